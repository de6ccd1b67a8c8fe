# Sourced by bin/serve and bin/test: install Debian packages the platform uses when they are
# missing (as root with apt-get), or say which to install.
# debian_need PACKAGE CHECK WHY [optional]: installs PACKAGE unless the shell test CHECK
# succeeds. apt-get waits up to 30 s for another apt or dpkg holding the lock. A required
# package that cannot be installed stops the script (bin/test must fail loudly without
# Chromium); an optional one is warned about and skipped, so the site still starts.
debian_need() {
  local package=$1 check=$2 why=$3 optional=${4:-}
  if eval "$check" >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's $package ($why) ..."
    if _debian_install "$package"; then
      return 0
    fi
    if [ "$optional" = "optional" ]; then
      echo "WARNING: could not install Debian's $package ($why); going on without it." \
        "Install it later: apt-get install -y $package" >&2
      return 0
    fi
    echo "Could not install Debian's $package ($why); stopping." >&2
    return 1
  else
    echo "$why needs Debian's $package: sudo apt-get install -y $package" >&2
  fi
}

_debian_install() {
  local apt=(apt-get -qq -o DPkg::Lock::Timeout=30)
  if [ -z "${_DEBIAN_UPDATED:-}" ]; then
    "${apt[@]}" update || return 1
    _DEBIAN_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y "$1" >/dev/null
}

# Share cards (/a/<id>/share.png) draw Chinese titles with a CJK font; without one they fall
# back to Latin text, so the site starts without it.
debian_need fonts-wqy-microhei \
  'fc-list :lang=zh | grep -q . || test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc' \
  "Chinese text on share cards" optional
