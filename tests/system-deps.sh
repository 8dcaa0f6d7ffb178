#!/bin/sh
# Installs the Debian packages the full test suite needs, only where they are missing:
# a CJK font for PDF handouts, and Chromium for the browser tests.
set -eu
missing=""
for pkg in fonts-noto-cjk chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=""; fi
echo "installing:$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
