#!/usr/bin/env bash
# Install Debian's headless browser for the page tests (tests/test_browser.py):
# chromium and chromium-driver, from the distribution's packages, if /usr/bin/chromium or
# /usr/bin/chromedriver is missing.  Idempotent; needs root or sudo.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        sudo="sudo"
    else
        echo "install-browser: need root (or sudo) to install ${need[*]}" >&2
        exit 1
    fi
fi
echo "install-browser: installing ${need[*]} from Debian's packages" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
/usr/bin/chromium --version >&2
