"""`mkdocs serve` rebuilds when a lesson or school file changes, re-rendering only what changed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import with_fixture_rules

from generator.site.assemble import build_site
from generator.source.loading import ProjectPaths
from generator.speed.caches import BuildCaches
from generator.stationdata import load

LESSON = "lessons/demo/qiuzhu-dianhua.yml"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _fetch(url)
        if body and text in body:
            return True
        time.sleep(0.5)
    return False


def test_serve_reloads_when_lesson_and_school_files_change(project: Path) -> None:
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}",
                               "-f", str(project / "mkdocs.yml")], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        # site_url ends in /test/, which serve mounts the site under.
        lesson_url = f"http://127.0.0.1:{port}/test/lessons/qiuzhu-dianhua/university/"
        assert _wait_for(lesson_url, "记住求助电话", 90), "serve did not come up"
        path = project / LESSON
        path.write_text(path.read_text(encoding="utf-8").replace("title: 记住求助电话", "title: 记住求助热线"),
                        encoding="utf-8")
        assert _wait_for(lesson_url, "记住求助热线", 60), "lesson change not picked up"
        school = project / "schools" / "ceshi-primary.yml"
        school.write_text(school.read_text(encoding="utf-8").replace("测试小学（虚构）", "改名小学（虚构）"),
                          encoding="utf-8")
        assert _wait_for(f"http://127.0.0.1:{port}/test/schools/ceshi-primary/", "改名小学（虚构）", 60)
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_rebuild_rerenders_only_the_changed_lesson(project: Path) -> None:
    paths = ProjectPaths.at(project)
    caches = BuildCaches(project)
    before = build_site(caches.load(paths), make_builder=caches.page_builder)
    path = project / LESSON
    path.write_text(path.read_text(encoding="utf-8").replace("title: 记住求助电话", "title: 记住求助热线"),
                    encoding="utf-8")
    after = build_site(caches.load(paths), make_builder=caches.page_builder)
    changed = "lessons/qiuzhu-dianhua/university.md"
    untouched = "lessons/chonwu-anquan/kindergarten.md"
    assert "记住求助热线" in after.pages[changed] and "记住求助热线" not in before.pages[changed]
    assert after.pages[untouched] is before.pages[untouched]  # served from the cache, not re-rendered


def test_serve_dirty_renders_again_only_the_pages_that_changed(project: Path, tmp_path: Path) -> None:
    """`mkdocs serve --dirty` builds again and again with the same plugin, as here."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = tmp_path / "site"
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    changed = site / "lessons/qiuzhu-dianhua/university/index.html"
    untouched = site / "lessons/chonwu-anquan/kindergarten/index.html"
    stamps = {page: page.stat().st_mtime_ns for page in (changed, untouched)}
    cache = project / ".cache" / "huxiao" / "pages.pickle"
    saved = cache.stat().st_mtime_ns
    time.sleep(0.05)
    path = project / LESSON
    path.write_text(path.read_text(encoding="utf-8").replace("title: 记住求助电话", "title: 记住求助热线"),
                    encoding="utf-8")
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
    build(config, dirty=True)
    assert cache.stat().st_mtime_ns == saved  # a rebuild does not write the caches
    config.plugins.on_shutdown()
    assert cache.stat().st_mtime_ns > saved  # stopping does
    assert "记住求助热线" in changed.read_text(encoding="utf-8")
    assert changed.stat().st_mtime_ns > stamps[changed]
    assert untouched.stat().st_mtime_ns == stamps[untouched]


def test_a_record_edited_in_serve_leaves_the_lessons_unchecked_and_the_disk_cache_whole(project: Path) -> None:
    """An edited record: the lessons are not checked again, only pages that show records are
    made again, and the page cache on disk still holds every page for the next `mkdocs build`."""
    from generator.source.problems import InvalidProject

    paths = ProjectPaths.at(project)
    caches = BuildCaches(project)
    first = caches.load(paths)
    before = build_site(first, make_builder=caches.page_builder)
    caches.save()
    record = project / "records" / "2026-spring" / "ceshi-primary.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("audience: 280", "audience: 281"), encoding="utf-8")
    second = caches.load(paths)
    after = build_site(second, make_builder=caches.page_builder)
    caches.save()
    assert second.curriculum is first.curriculum
    assert second.terms["2026-spring"].record("ceshi-primary").lectures[0].audience == 281
    lesson = "lessons/qiuzhu-dianhua/university.md"
    assert after.pages[lesson] is before.pages[lesson]
    assert after.pages["stats.md"] != before.pages["stats.md"]
    # the school list shows how many lectures each school held, not their audience
    assert after.pages["schools/index.md"] is before.pages["schools/index.md"]
    # the earlier term's report does not show the later term: it stays cached, and right
    assert after.pages["reports/2025-autumn.md"] is before.pages["reports/2025-autumn.md"]
    assert after.pages["reports/2026-spring.md"] != before.pages["reports/2026-spring.md"]
    assert after.pages == build_site(load(paths)).pages  # the same site, cached or not

    fresh = BuildCaches(project)
    again = build_site(fresh.load(paths), make_builder=fresh.page_builder)
    assert fresh.pages.misses == 0 and again.pages == after.pages

    # An edited lesson is checked again, and a broken one is still refused.
    path = project / LESSON
    path.write_text(path.read_text(encoding="utf-8").replace("topic: anti-fraud", "topic: no-such-topic"), encoding="utf-8")
    try:
        caches.load(paths)
    except InvalidProject as error:
        assert any("no-such-topic" in str(p) for p in error.problems)
    else:
        raise AssertionError("a lesson with an unknown topic passed")


def test_serve_checks_again_only_records_whose_file_school_or_term_changed(project: Path, monkeypatch) -> None:
    """`serve` keeps what the quick look at each record found while the record, its school, its
    term and the lessons are the objects they were: an unchanged record is not looked at again,
    and a change to any of the four is."""
    from generator import records
    from generator.source.problems import InvalidProject

    looked: list[int] = []
    plain = records.looks_fine
    monkeypatch.setattr(records, "looks_fine", lambda record, *rest: looked.append(1) or plain(record, *rest))
    paths = ProjectPaths.at(project)
    caches = BuildCaches(project)
    caches.load(paths)
    assert len(looked) == 3  # the fixture's three record files
    looked.clear()
    caches.load(paths)
    assert looked == []
    record = project / "records" / "2025-autumn" / "ceshi-primary.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("audience: ", "audience: 1", 1), encoding="utf-8")
    caches.load(paths)
    assert len(looked) == 1
    # The term ends before the spring record's lecture: its unchanged record is refused.
    term = project / "records" / "2026-spring" / "_term.yml"
    term.write_text(term.read_text(encoding="utf-8").replace("last_day: 2026-07-15", "last_day: 2026-03-01"), encoding="utf-8")
    try:
        caches.load(paths)
    except InvalidProject as error:
        assert any(p.file == "records/2026-spring/ceshi-primary.yml" and "2026-03-10" in str(p) for p in error.problems)
    else:
        raise AssertionError("a lecture after the term's last day passed")


def test_serve_checks_an_unchanged_plan_again_when_its_term_changes(tmp_path: Path) -> None:
    """A planned session that a new holiday falls on is warned about, though its plan file did not change."""
    from conftest import ROOT

    project = tmp_path / "starter"
    for folder in ("lessons", "laws", "schools", "records", "plans"):
        shutil.copytree(ROOT / folder, project / folder)
    paths = ProjectPaths.at(project)
    caches = BuildCaches(project)
    before = caches.load(paths)
    plan = "plans/2027-spring/chunmiao-kindergarten.yml"
    assert not [w for w in before.warnings if w.file == plan]
    assert caches.load(paths).plans is not before.plans  # loaded again, nothing changed, still no warning
    term = project / "records" / "2027-spring" / "_term.yml"
    term.write_text(term.read_text(encoding="utf-8").replace(
        "holidays:\n", "holidays:\n- name: 测试假日\n  start: 2027-02-22\n  end: 2027-02-22\n", 1), encoding="utf-8")
    after = caches.load(paths)
    assert [w for w in after.warnings if w.file == plan and "测试假日" in str(w)]


def test_a_lecture_added_in_serve_shows_in_the_cached_school_list(project: Path) -> None:
    paths = ProjectPaths.at(project)
    caches = BuildCaches(project)
    before = build_site(caches.load(paths), make_builder=caches.page_builder)
    record = project / "records" / "2026-spring" / "ceshi-primary.yml"
    text = record.read_text(encoding="utf-8")
    lecture = text[text.index("- date: 2026-03-10"):]
    record.write_text(text + lecture.replace("2026-03-10", "2026-03-11"), encoding="utf-8")
    after = build_site(caches.load(paths), make_builder=caches.page_builder)
    assert after.pages["schools/index.md"] != before.pages["schools/index.md"]
    assert after.pages == build_site(load(paths)).pages


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_what_serve_remembers_of_the_reports_follows_every_file_they_are_made_of(project: Path) -> None:
    """The term reports, drill histories and rule levels `serve` keeps between rebuilds: after each
    edit of a file they are made of, the internal and the public site equal a build from nothing."""
    with_fixture_rules(project)
    paths = ProjectPaths.at(project)
    caches = BuildCaches(project)
    edits = [
        ("records/2026-spring/ceshi-primary.yml", "audience: 280", "audience: 290"),
        # the spring report compares itself with the autumn before
        ("records/2025-autumn/ceshi-primary.yml", "audience: ", "audience: 1"),
        ("lessons/demo/chonwu-anquan.yml", "target_seconds: 150", "target_seconds: 120"),
        ("schools/ceshi-primary.yml", "head_count: 800", "head_count: 900"),
        ("schools/ceshi-primary.yml", "head_count: 900", "head_count: 900\nboarding: true"),
        ("schools/ceshi-primary.yml", "public: false}", "public: false}\n  - {id: p2, name: 公开点位, public: true}"),
        ("records/2026-spring/_term.yml", "holidays: []", "holidays: [{name: 测试假, start: 2026-03-02, end: 2026-03-06}]"),
        ("plans/_rules.yml", "school_per_month: 1", "school_per_month: 2"),
    ]
    for audience in ("internal", "public"):
        build_site(caches.load(paths), audience, make_builder=caches.page_builder)
    for file, old, new in edits:
        _replace(project / file, old, new)
        for audience in ("internal", "public"):
            cached = build_site(caches.load(paths), audience, make_builder=caches.page_builder)
            plain = build_site(load(paths), audience)
            assert (cached.pages, cached.assets) == (plain.pages, plain.assets), (file, new, audience)
