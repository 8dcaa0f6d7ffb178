"""The cycle collector while a library is loaded and its pages made (speed/gcpause.py): paused,
and in a process that loads once the library set aside from it afterwards; never in `serve`."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pytest
from conftest import FIXTURE, mkdocs_build

from generator.speed import gcpause


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_a_freezing_pause_collects_the_garbage_before_it_and_freezes_what_lives_after() -> None:
    gc.unfreeze()
    garbage = _Node()
    freed = weakref.finalize(garbage, lambda: None)
    del garbage
    with gcpause.paused(freeze=True):
        assert not gc.isenabled()
        library = [_Node() for _ in range(1000)]
    assert gc.isenabled()
    assert not freed.alive, "garbage from before the pause must be collected, not frozen"
    frozen = gc.get_freeze_count()
    assert frozen >= len(library)
    with gcpause.paused():
        more = [_Node() for _ in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == frozen and more
    gc.unfreeze()


def test_a_command_freezes_its_library_and_the_bench_freezes_as_a_build_does_not_as_serve(tmp_path: Path) -> None:
    from generator.cli import _load
    from generator.source.loading import ProjectPaths
    from generator.speed.caches import BuildCaches
    from generator.tools import bench

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("site", ".cache", "pdf"))
    gc.unfreeze()
    assert _load(ProjectPaths.at(project)).schools
    assert gc.get_freeze_count() > 10_000
    bench._generate(project, parsed_cache=True, caches=BuildCaches(project), save=False)  # a `serve` rebuild
    assert gc.get_freeze_count() == 0
    bench._generate(project, parsed_cache=True)  # a new `mkdocs build` process
    assert gc.get_freeze_count() > 10_000
    gc.unfreeze()


def test_mkdocs_build_freezes_its_library_when_the_pause_ends_and_serve_never(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.engine.plugin import HuxiaoPlugin

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("site", ".cache", "pdf"))
    gc.unfreeze()
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(tmp_path / "served"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    build(config)  # a rebuild replaces the library: the old one stays collectable
    assert gc.get_freeze_count() == 0
    config.plugins.on_shutdown()
    # A build: frozen before the caches are saved, not only when the plugin drops them.
    seen: list[int] = []
    keep = HuxiaoPlugin._keep_only_the_pages
    monkeypatch.setattr(HuxiaoPlugin, "_keep_only_the_pages", lambda self: (seen.append(gc.get_freeze_count()), keep(self)))
    mkdocs_build(project, tmp_path / "built")
    assert seen and seen[0] > 10_000
    assert gc.get_freeze_count() == 0  # and unfrozen when the build ends
