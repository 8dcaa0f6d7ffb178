"""Generated pages kept between builds (.cache/huxiao/pages.pickle): same site, never stale."""

from __future__ import annotations

import logging
import pickle
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE, ROOT, html_text, mkdocs_build, page

from generator.speed import pagecache


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".cache", "site-internal"))
    return target


def _fresh_build(root: Path, out: Path) -> tuple[int, int]:
    """A build as a new process makes it, with nothing in memory; (pages from the cache, rendered)."""
    records: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs.plugins.huxiao")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        mkdocs_build(root, out)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    found = [re.match(r"huxiao: (\d+) pages from the page cache, (\d+) rendered", m) for m in records]
    counts = [(int(m.group(1)), int(m.group(2))) for m in found if m]
    assert len(counts) == 1, records
    return counts[0]


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.suffix != ".gz"}


def test_a_build_from_the_cache_writes_the_same_site(tmp_path: Path) -> None:
    root = _copy(ROOT, tmp_path / "project")
    hits, rendered = _fresh_build(root, tmp_path / "first")
    assert rendered > 100 and hits == 0
    assert _fresh_build(root, tmp_path / "second") == (rendered, 0)
    assert _files(tmp_path / "first") == _files(tmp_path / "second")


def test_a_changed_lesson_shows_on_its_pages_school_pages_and_listings(tmp_path: Path) -> None:
    root = _copy(FIXTURE, tmp_path / "project")
    _fresh_build(root, tmp_path / "first")
    path = root / "lessons" / "demo" / "qiuzhu-dianhua.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 改过的", 1), encoding="utf-8")
    hits, rendered = _fresh_build(root, tmp_path / "second")
    assert hits > 0 and rendered > 0
    assert "改过的" in html_text(page(tmp_path / "second", "/lessons/qiuzhu-dianhua/primary-upper/"))
    assert "改过的" in html_text(page(tmp_path / "second", "/lessons/qiuzhu-dianhua/"))
    assert "改过的" in html_text(page(tmp_path / "second", "/schools/ceshi-primary/"))
    assert "改过的" in html_text(page(tmp_path / "second", "/tiers/primary-upper/"))


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (shutil.copy, (str(FIXTURE / "mkdocs.yml"), str(self.marker)))


def test_a_tampered_cache_runs_nothing_and_is_rebuilt(tmp_path: Path) -> None:
    root = _copy(FIXTURE, tmp_path / "project")
    marker = tmp_path / "ran"
    cache_file = root / pagecache.CACHE_FILE
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(pickle.dumps((("huxiao-pages", 3), {b"x": _Payload(marker)})))
    hits, rendered = _fresh_build(root, tmp_path / "site")
    assert not marker.exists()
    assert hits == 0 and rendered > 0
    assert pagecache._PagesUnpickler(cache_file.open("rb")).load()[0] == ("huxiao-pages", 4)


def test_a_cache_file_appends_a_few_changes_and_is_written_afresh_when_much_is_unused(tmp_path: Path) -> None:
    import pickle

    from generator.speed.cachefile import MAX_APPENDS, CacheFile

    def cache() -> CacheFile:
        return CacheFile(tmp_path / "c.pickle", ("test", 1), pickle.Unpickler)

    first = cache()
    for n in range(40):
        first.put(b"k%d" % n, "页" * 1000)
    first.save()
    whole = first.size()
    second = cache()
    assert len(second.load()) == 40
    second.used.update(second.load())
    shared = "共用"
    second.put(b"new", ("新", shared, shared))  # the second is a reference back to the first
    second.save()
    assert whole < second.size() < whole + 200  # the one new entry, appended
    third = cache()
    assert third.load()[b"new"] == ("新", "共用", "共用") and len(third.load()) == 41 and third.frames == 2

    # a cut-off last append loses only itself
    with (tmp_path / "c.pickle").open("ab") as out:
        out.write(pickle.dumps(("test", 1), protocol=pickle.HIGHEST_PROTOCOL)[:-3])
    assert len(cache().load()) == 41

    # half of it no longer used: written afresh with the used entries only
    fourth = cache()
    fourth.used.update(list(fourth.load())[:20])
    fourth.put(b"newer", "新")
    fourth.save()
    assert fourth.size() < whole and len(cache().load()) == 21 and cache().load()[b"newer"] == "新"

    # after a few appends, written afresh
    for n in range(MAX_APPENDS + 1):
        more = cache()
        more.used.update(more.load())
        more.put(b"m%d" % n, "x")
        more.save()
    assert cache().frames < MAX_APPENDS


def test_pages_share_their_repeated_blocks_in_the_cache(tmp_path: Path) -> None:
    """The same raw block on many pages (a lesson's table of tiers, a picture) is one object in
    the page cache, so the pickle holds it once."""
    from generator.site.assemble import build_site
    from generator.site.body import HtmlBodies
    from generator.source.loading import ProjectPaths
    from generator.speed.caches import BuildCaches

    root = _copy(FIXTURE, tmp_path / "project")
    caches = BuildCaches(root)
    build_site(caches.load(ProjectPaths.at(root)), html_bodies=HtmlBodies(permalink="&para;"), make_builder=caches.page_builder)
    caches.save()
    stored = pagecache.PageCache(root).load()
    blocks = [b for page in stored.values() if getattr(page, "html", None) for b in page.html.late.values()]
    assert len(blocks) > len(set(blocks))  # the fixture's pages do repeat blocks
    assert len({id(b) for b in blocks}) == len(set(blocks))


def test_templates_compiled_once_are_read_back_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report or school page rendered again in `serve` (its template not yet compiled in that
    process) takes the compiled template from .cache/huxiao/ (Jinja's own bytecode cache)."""
    import jinja2

    from generator.site.assemble import build_site
    from generator.source.loading import ProjectPaths
    from generator.speed.caches import BuildCaches

    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("site", ".cache"))
    (root / ".cache" / "huxiao" / "templates-0ld").mkdir(parents=True)  # an earlier version's
    caches = BuildCaches(root)
    builder = caches.page_builder(caches.load(ProjectPaths.at(root)))
    builder.env.get_template("term_report.md.j2")
    assert list((root / ".cache" / "huxiao").glob("templates-*/*.cache"))
    assert not (root / ".cache" / "huxiao" / "templates-0ld").exists()
    compiled: list[str] = []
    plain_compile = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda env, source, name=None, *rest, **kw: compiled.append(name) or plain_compile(env, source, name, *rest, **kw))
    fresh = BuildCaches(root)
    again = fresh.page_builder(fresh.load(ProjectPaths.at(root)))
    assert again.env.get_template("term_report.md.j2").render  # a usable template
    assert "term_report.md.j2" not in compiled
    assert build_site(fresh.load(ProjectPaths.at(root)), make_builder=fresh.page_builder).pages == \
        build_site(caches.load(ProjectPaths.at(root))).pages


@pytest.mark.parametrize("internal", [False, True])
def test_school_pages_write_each_tiers_lessons_once_with_the_same_text_and_links(tmp_path: Path, internal: bool) -> None:
    """The speed layer writes a tier's recommended lessons once per build and gives every later
    school page the same list: each page's text and the links it reports (which the link check
    reads) must be what the plain page builder gives, for every starter school."""
    from generator.site.body import HtmlBodies, Rendered, restore_late_blocks
    from generator.site.pages import PageBuilder
    from generator.source.loading import ProjectPaths
    from generator.speed.caches import BuildCaches

    def shown(page: Rendered) -> str:  # the page's officer-only blocks back in place of their random tokens
        assert page.html is not None
        return restore_late_blocks(page.text, page.html)

    root = _copy(ROOT, tmp_path / "project")
    caches = BuildCaches(root)
    data = caches.load(ProjectPaths.at(root))
    bodies = HtmlBodies(permalink="&para;")
    plain = PageBuilder(data, "https://example.org/huxiao/", html_bodies=bodies)
    cached = caches.page_builder(data, "https://example.org/huxiao/", html_bodies=bodies)
    shared = [view for view in data.schools.values() if view.tiers]
    assert len({tier for view in shared for tier in view.tiers}) < sum(len(view.tiers) for view in shared)
    for view in shared:
        fast, slow = PageBuilder.school(cached, view, internal), plain.school(view, internal)
        assert (shown(fast), fast.links) == (shown(slow), slow.links), view.id
        assert any(link.startswith("lessons/") for link in fast.links)
