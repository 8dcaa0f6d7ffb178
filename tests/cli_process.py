"""The `huxiao` command in a process of its own, forked from a server that has imported it once.

A test runs the command some 250 times; a fresh interpreter pays about 0.4 s each to start and
import the package. Each run here is still its own process (its own working folder, environment,
standard output and error, exit code, and nothing left behind in the tests' process), started
from multiprocessing's fork server, which imported `generator.cli` once. The few tests about the
interpreter itself run `python -m generator.cli` (`conftest.run_cli_fresh`)."""

from __future__ import annotations

import os
import sys


def run(args: list[str], cwd: str, env: dict[str, str], out: str, err: str) -> None:
    """The command's `main`, as `python -m generator.cli` runs it; multiprocessing turns the
    SystemExit into the process's exit code."""
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    for fd, path in ((1, out), (2, err)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(target, fd)
        os.close(target)
    sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    sys.argv = ["huxiao", *args]
    from generator.cli import main

    sys.exit(main(list(args)))
