#!/bin/sh
# The way out to Zensical (tests/test_zensical.py): `huxiao export` + `zensical build` in a virtual
# environment that sees the installed packages, with Zensical on top. Zensical is in no extra of
# pyproject.toml: 0.1.x needs zensical-ui, which not every package index serves, so this pins the
# newest that installs everywhere; ZENSICAL="zensical" (the GitHub workflow) takes the newest.
set -eu
cd "$(dirname "$0")/.."
ZENSICAL="${ZENSICAL:-zensical==0.0.73}"
VENV="${TMPDIR:-/tmp}/huxiao-zensical"
[ -x "$VENV/bin/python" ] || python3 -m venv --system-site-packages "$VENV"
"$VENV/bin/python" -m pip install -q "$ZENSICAL"
"$VENV/bin/python" -m pip show zensical | grep -i '^version'
"$VENV/bin/python" -m pytest -q -p no:cacheprovider tests/test_zensical.py
