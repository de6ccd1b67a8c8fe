# Sourced by bin/serve and bin/test: create .venv with Python 3.11+ and install the project.
# EXTRAS selects optional dependencies (e.g. "test").
PYTHON_BIN=${PYTHON:-}
if [ -z "$PYTHON_BIN" ]; then
  for candidate in python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PYTHON_BIN=$candidate
      break
    fi
  done
fi
if [ -z "$PYTHON_BIN" ]; then
  echo "Yaowen needs Python 3.11 or newer; none was found (set PYTHON=/path/to/python3)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $PYTHON_BIN ..."
  "$PYTHON_BIN" -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate
spec="."
[ -n "${EXTRAS:-}" ] && spec=".[${EXTRAS}]"
echo "Installing Yaowen ${spec} into .venv ..."
python -m pip install --quiet --disable-pip-version-check --upgrade pip
python -m pip install --quiet --disable-pip-version-check -e "$spec"
