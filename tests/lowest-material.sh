#!/bin/sh
# The build tests again on the lowest Material that pyproject.toml allows (the main run has the
# highest): a virtual environment that sees the installed packages, with that Material on top.
set -eu
cd "$(dirname "$0")/.."
LOWEST=$(python3 -c "import re,tomllib;d=tomllib.load(open('pyproject.toml','rb'))['project']['dependencies'];print(next(re.search(r'>=([0-9.]+)',x).group(1) for x in d if x.startswith('mkdocs-material')))")
VENV="${TMPDIR:-/tmp}/huxiao-material-$LOWEST"
[ -x "$VENV/bin/python" ] || python3 -m venv --system-site-packages "$VENV"
"$VENV/bin/python" -m pip install -q "mkdocs-material==$LOWEST"
"$VENV/bin/python" -c "import material; print('Material', material.__version__ if hasattr(material, '__version__') else '')"
"$VENV/bin/python" -m pip show mkdocs-material | grep -i '^version'
"$VENV/bin/python" -m pytest -q tests/test_engines.py tests/test_site.py tests/test_pagefork.py tests/test_search_index.py tests/test_search.py
