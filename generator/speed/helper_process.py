"""Starting a `python -m generator.<module>` helper process that imports this very package.

A fresh interpreter rather than multiprocessing: forking `mkdocs serve` (which has threads
running) can deadlock, and spawning re-runs the caller's main script, which may not be guarded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO, Any


def start(module: str, stdin_data: bytes, stdout: Any, stderr: Any | IO[bytes]) -> subprocess.Popen:
    """Run `python -m generator.<module>`, send it `stdin_data` and close its input."""
    package_parent = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))
    helper = subprocess.Popen([sys.executable, "-m", f"generator.{module}"], stdin=subprocess.PIPE,
                              stdout=stdout, stderr=stderr, env={**os.environ, "PYTHONPATH": path})
    assert helper.stdin is not None
    helper.stdin.write(stdin_data)
    helper.stdin.close()
    return helper
