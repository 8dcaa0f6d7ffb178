"""The speed layer changes nothing but speed, and the site builds under MkDocs and ProperDocs alike."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, mkdocs_build


def _files(site: Path) -> dict[str, bytes]:
    # sitemap.xml.gz carries the time of the build.
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.suffix != ".gz"}


_LEFT_OUT = {"site", "site-internal", ".cache", ".git", "pdf", "tests"}


def _copy(target: Path) -> Path:
    """The project without its outputs; only top-level folders are left out, since the package has
    folders of the same names (generator/site)."""
    def left_out(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == ROOT
        return {name for name in names if (top and name in _LEFT_OUT) or name.endswith(".egg-info")}

    shutil.copytree(ROOT, target, ignore=left_out)
    assert (target / "generator" / "site" / "pages.py").is_file()
    return target


def test_every_speed_switch_off_writes_the_same_site(tmp_path: Path) -> None:
    project = _copy(tmp_path / "project")
    mkdocs_build(project, tmp_path / "cold")  # fills .cache/huxiao
    fast = _files(mkdocs_build(project, tmp_path / "fast"))  # pages from the page cache, forked, fast nav
    assert (project / ".cache" / "huxiao").is_dir()
    shutil.rmtree(project / ".cache")
    plain = _files(mkdocs_build(project, tmp_path / "plain", huxiao={"speed": False}))
    assert not (project / ".cache").exists(), "speed: false must not write a cache"
    assert fast.keys() == plain.keys()
    different = [name for name in plain if fast[name] != plain[name]]
    assert not different, different[:5]
    assert len(plain) > 500


needs_properdocs = pytest.mark.skipif(importlib.util.find_spec("properdocs") is None,
                                      reason="ProperDocs is installed by the test extras")


def _properdocs(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "properdocs", "build", *args], cwd=project,
                          capture_output=True, text=True, timeout=600)


@needs_properdocs
def test_properdocs_builds_the_starter_strict_without_a_line_per_forked_page(tmp_path: Path) -> None:
    project = _copy(tmp_path / "project")
    done = _properdocs(project, "--strict")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Page skipped" not in done.stderr, "the fork's pages are reported one by one"
    assert (project / "site" / "lessons" / "shuadan-fanli" / "university" / "index.html").is_file()
    assert (project / "site" / "lessons" / "shuadan-fanli" / "university" / "handout" / "index.html").is_file()


@needs_properdocs
def test_properdocs_strict_with_a_warning_keeps_the_old_site(tmp_path: Path) -> None:
    project = _copy(tmp_path / "project")
    old = project / "site"
    old.mkdir()
    (old / "marker.txt").write_text("the site as published", encoding="utf-8")
    index = project / "content" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n[断开的链接](no-such-page.md)\n", encoding="utf-8")
    done = _properdocs(project, "--strict")
    assert done.returncode != 0
    assert "no-such-page.md" in done.stderr
    assert (old / "marker.txt").read_text(encoding="utf-8") == "the site as published"
    assert sorted(p.name for p in old.iterdir()) == ["marker.txt"]
    assert not list(project.glob(".site-building-*")), "the attempt is left behind"
