#!/bin/sh
# Installs what the full test suite needs besides the Python packages of pyproject.toml, only
# where it is missing: Debian packages (a CJK font for PDF handouts; Chromium's headless shell and npm
# for the browser tests; LibreOffice Writer and Calc, which open the Word report and the Excel 台账 in the tests), and the npm packages the browser tests use, into tests/.npm/ (axe-core, injected into pages; and
# iframe-worker, to check the copy vendored in generator/theme/huxiao/vendor/).
set -eu
missing=""
for pkg in fonts-noto-cjk chromium-headless-shell libreoffice-writer-nogui libreoffice-calc-nogui; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=""; fi
  echo "installing:$missing" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
npm_dir="$(dirname "$0")/.npm"
if [ ! -f "$npm_dir/node_modules/axe-core/axe.min.js" ] || [ ! -f "$npm_dir/node_modules/iframe-worker/shim/index.js" ]; then
  echo "installing into $npm_dir: axe-core iframe-worker" >&2
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$npm_dir" axe-core@4 iframe-worker@1.0.4 >/dev/null
fi
