"""Pages rendered in a fork of `mkdocs build` (generator/pagefork.py): the site is the same."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from conftest import ROOT, mkdocs_build

from generator.speed import pagefork


def _files(site: Path) -> dict[str, bytes]:
    # sitemap.xml.gz carries the time of the build.
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.suffix != ".gz"}


def test_a_forked_build_writes_the_same_site(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.huxiao"):
        forked = mkdocs_build(ROOT, tmp_path / "forked")
    assert any("pages rendered by a fork" in r.getMessage() for r in caplog.records), "no fork was made"
    single = mkdocs_build(ROOT, tmp_path / "single", huxiao={"parallel": False})
    forked_files, single_files = _files(forked), _files(single)
    assert forked_files.keys() == single_files.keys()
    different = [name for name in single_files if forked_files[name] != single_files[name]]
    # The search index too: the fork's entries are merged back in page order.
    assert not different, different[:5]
    assert len(single_files) > 500


def test_a_fork_that_dies_fails_the_build_with_a_message(tmp_path: Path) -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(3)  # as if killed before it wrote its result
    failure = pagefork.finish(pagefork.Fork(pid=pid, result=tmp_path / "result.pickle", pages={"a.md"}), config=None)
    assert failure and "ended without a result" in failure


def test_no_fork_when_serving(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    assert pagefork.unavailable(config, "serve", dirty=False)
    assert pagefork.unavailable(config, "build", dirty=True)
    assert pagefork.unavailable(config, "build", dirty=False) is None
