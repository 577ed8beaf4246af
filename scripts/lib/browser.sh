# Headless browser for the dashboard's browser test (dashboard/*ITCase). Source it; do not run it.
# shellcheck shell=bash

# Installs Debian's chromium and chromium-driver with apt-get when /usr/bin/chromium or
# /usr/bin/chromedriver is missing, and fonts-noto-cjk when no CJK font is installed (the page is
# Chinese by default; without it the screenshot shows boxes). Non-interactive; sudo only when not
# root.
# Returns non-zero (with a message) when they cannot be installed.
ensure_browser() {
  local packages=()
  [[ -x /usr/bin/chromium ]] || packages+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || packages+=(chromium-driver)
  if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    packages+=(fonts-noto-cjk)
  fi
  if [[ ${#packages[@]} -eq 0 ]]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: chromium/chromedriver are missing and apt-get is not available; install Chromium and its driver" >&2
    return 1
  fi
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || {
      echo "error: installing chromium needs root or sudo" >&2
      return 1
    }
    sudo=(sudo -n)
  fi
  echo "[$(date +%H:%M:%S)] installing ${packages[*]} (apt-get) ..." >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
    && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${packages[@]}" >&2 \
    || {
      echo "error: apt-get could not install ${packages[*]}" >&2
      return 1
    }
  [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || {
    echo "error: chromium or chromedriver still missing after apt-get install" >&2
    return 1
  }
}
