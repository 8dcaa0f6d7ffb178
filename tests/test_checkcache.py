"""What the curriculum's checks found, kept between runs (.cache/huxiao/checks.pickle): a new
process does not check unchanged lessons again, and still finds what is wrong in a changed one.
(A tampered check cache: tests/test_parsecache.py, with the other cache files.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE

from generator.source.loading import ProjectPaths
from generator.source.problems import InvalidProject
from generator.speed import checkcache
from generator.speed.caches import BuildCaches


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("site", ".cache"))
    return root


def _fresh(root: Path) -> BuildCaches:
    """A load as a new process does it: only what is on disk."""
    caches = BuildCaches(root)
    caches.load(ProjectPaths.at(root))
    caches.save()
    return caches


def test_a_new_process_takes_the_checks_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy(tmp_path)
    _fresh(root)
    assert (root / checkcache.CACHE_FILE).is_file()

    from generator import curriculum

    def no_checks(*args: object, **kwargs: object) -> list:
        raise AssertionError("the lessons were checked again")

    monkeypatch.setattr(curriculum, "check", no_checks)
    data = BuildCaches(root).load(ProjectPaths.at(root))
    assert data.curriculum.lessons


def test_a_changed_lesson_is_checked_again(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _fresh(root)
    lesson = next((root / "lessons").rglob("qiuzhu-dianhua.yml"))
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("topic: anti-fraud", "topic: no-such-topic"), encoding="utf-8")
    with pytest.raises(InvalidProject) as error:
        _fresh(root)
    assert any("no-such-topic" in str(p) and "qiuzhu-dianhua" in p.file for p in error.value.problems)
    # and a problem found is kept, and told again, by the next process too
    with pytest.raises(InvalidProject) as again:
        _fresh(root)
    assert [str(p) for p in again.value.problems] == [str(p) for p in error.value.problems]
