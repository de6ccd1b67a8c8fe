# Sourced by bin/serve and bin/test: install Debian packages the platform uses when they are
# missing (as root with apt-get), or say which to install.
# debian_need PACKAGE CHECK WHY: installs PACKAGE unless the shell test CHECK succeeds.
debian_need() {
  local package=$1 check=$2 why=$3
  if eval "$check" >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's $package ($why) ..."
    if [ -z "${_DEBIAN_UPDATED:-}" ]; then
      apt-get update -qq
      _DEBIAN_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  else
    echo "$why needs Debian's $package: sudo apt-get install -y $package" >&2
  fi
}

# Share cards (/a/<id>/share.png) draw Chinese titles with a CJK font; without one they fall
# back to Latin text.
debian_need fonts-wqy-microhei \
  'fc-list :lang=zh | grep -q . || test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc' \
  "Chinese text on share cards"
