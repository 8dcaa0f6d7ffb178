"""The way out to Zensical: `huxiao export` + `zensical build` writes every page the plugin writes.

Material for MkDocs reaches end of life on 2027-05-05 and names Zensical its successor, which runs
no project's own plugin. These tests build a project both ways, the plugin's (`mkdocs build`) and
the export's (`huxiao export DIR`, then `zensical build` in DIR), and check that every address of
the plugin's site is there in Zensical's (pages, print and presenter pages, calendars, theme
files), the standalone files byte for byte, and that Zensical's own search finds a lesson by a
Chinese word. Zensical is not in the test extras (0.1.x needs a package this index does not
serve): `tests/zensical.sh` runs these tests in a virtual environment with it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE, ROOT, article, html_text, mkdocs_build, run_cli, serve
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.skipif(importlib.util.find_spec("zensical") is None,
                                reason="Zensical is not installed here: `sh tests/zensical.sh` installs it and runs this")

# What each engine writes for itself: its own scripts and styles, search index, compressed sitemap.
ENGINE_OWN = re.compile(r"^(assets/|search/|search\.json$|sitemap\.xml(\.gz)?$)")


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def _zensical_site(project: Path, out: Path) -> Path:
    """`huxiao export out` of `project`, then `zensical build` there, as a station runs them."""
    exported = run_cli("-C", str(project), "export", str(out))
    assert exported.returncode == 0, exported.stdout + exported.stderr
    assert "zensical build" in exported.stdout
    built = subprocess.run([sys.executable, "-m", "zensical", "build"], cwd=out, capture_output=True, text=True,
                           timeout=600)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return out / "site"


def _is_print_or_present(page: Path) -> bool:
    # Pages rendered through the theme carry Material's header; the standalone ones do not.
    return 'class="md-header' not in page.read_text(encoding="utf-8")


def _same_addresses(plugin: Path, zensical: Path) -> None:
    wanted = {p for p in _files(plugin) if not ENGINE_OWN.match(p)}
    missing = sorted(wanted - _files(zensical))
    assert not missing, f"{len(missing)} of {len(wanted)} files of the plugin build missing: {missing[:10]}"
    extra = sorted(p for p in _files(zensical) - _files(plugin) if not ENGINE_OWN.match(p))
    assert not extra, f"files only in the Zensical build: {extra[:10]}"
    # What the plugin writes as it is (print and presenter pages, calendars, theme files) is the same file.
    standalone = {p for p in wanted if not p.endswith(".html") or _is_print_or_present(plugin / p)}
    different = sorted(p for p in standalone if (plugin / p).read_bytes() != (zensical / p).read_bytes())
    assert not different, different[:10]


@pytest.fixture(scope="module")
def fixture_zensical(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _zensical_site(FIXTURE, tmp_path_factory.mktemp("zensical") / "export")


def test_every_file_of_the_plugin_build_is_in_the_zensical_build(fixture_zensical: Path, tmp_path: Path) -> None:
    plugin = mkdocs_build(FIXTURE, tmp_path / "plugin")
    _same_addresses(plugin, fixture_zensical)
    files = _files(fixture_zensical)
    # The checks above would pass on two empty sites: the fixture has pages of every kind.
    assert "lessons/qiuzhu-dianhua/university/index.html" in files
    assert "lessons/qiuzhu-dianhua/university/handout/index.html" in files
    assert "lessons/qiuzhu-dianhua/university/present/index.html" in files
    assert "topics/anti-fraud/university/present/index.html" in files
    assert "huxiao/print.css" in files and "huxiao/present.js" in files
    handout = (fixture_zensical / "lessons/qiuzhu-dianhua/university/handout/index.html").read_text(encoding="utf-8")
    assert 'href="../../../../huxiao/print.css"' in handout
    lesson = (fixture_zensical / "lessons/qiuzhu-dianhua/university/index.html").read_text(encoding="utf-8")
    assert "记住求助电话" in html_text(article(lesson))
    assert 'src="../../../huxiao/tables.js"' in lesson  # the theme's scripts, as extra_javascript
    assert "找不到这个页面" in (fixture_zensical / "404.html").read_text(encoding="utf-8")
    structured = re.compile(r'<script type="application/ld\+json">.*?</script>', re.S)
    wanted = structured.findall((plugin / "lessons/qiuzhu-dianhua/university/index.html").read_text(encoding="utf-8"))
    assert wanted and structured.findall(lesson) == wanted


def test_zensical_search_index_holds_the_lesson_text(fixture_zensical: Path) -> None:
    index = json.loads((fixture_zensical / "search.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh"]
    hits = {item["location"].split("#")[0] for item in index["items"] if "刷单" in item["text"]}
    assert hits == {"lessons/qiuzhu-dianhua/university/"}
    # Pages the generator keeps out of search stay out (topic pages repeat lesson text).
    assert not [item for item in index["items"] if item["location"].startswith("topics/")]


def test_zensical_search_finds_a_lesson_by_a_chinese_word(fixture_zensical: Path, tmp_path: Path, browser) -> None:
    with serve(fixture_zensical) as url:
        tab = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        tab.goto(f"{url}/")
        tab.locator(".md-search__button").first.click()
        # Zensical's search is a dialog in a shadow root, which Playwright's CSS selectors pierce.
        tab.locator("dialog input[role=combobox]").fill("刷单")
        results = tab.locator("dialog ol[role=listbox] a[role=option]")
        results.first.wait_for(timeout=30_000)
        hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        artifacts = ROOT / "test-artifacts" / "browser"
        artifacts.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(artifacts / "zensical-search-shuadan.png"))
        tab.context.close()
    assert hrefs and all("/lessons/qiuzhu-dianhua/university/" in href for href in hrefs), hrefs


@pytest.fixture(scope="module")
def starter_zensical(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _zensical_site(ROOT, tmp_path_factory.mktemp("zensical-starter") / "export")


def test_the_starter_builds_under_zensical_with_every_page_and_calendar(starter_zensical: Path,
                                                                        tmp_path: Path) -> None:
    plugin = mkdocs_build(ROOT, tmp_path / "plugin")
    _same_addresses(plugin, starter_zensical)
    calendars = [p for p in _files(starter_zensical) if p.endswith(".ics")]
    assert len(calendars) >= 10
    assert len([p for p in _files(starter_zensical) if p.endswith("/present/index.html")]) >= 20


def test_zensical_search_finds_most_of_the_query_set(starter_zensical: Path, browser) -> None:
    """The queries of tests/test_search.py, typed into Zensical's search (which cuts Chinese into
    characters, with none of the plugin's jieba words): 90% must find a lesson in the first three."""
    queries = yaml.safe_load((ROOT / "tests" / "fixtures" / "search-queries.yml").read_text(encoding="utf-8"))
    misses = []
    with serve(starter_zensical) as url:
        tab = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        tab.goto(f"{url}/")
        tab.locator(".md-search__button").first.click()
        field, results = tab.locator("dialog input[role=combobox]"), tab.locator("dialog ol[role=listbox] a[role=option]")
        for item in queries:
            field.fill("")
            results.first.wait_for(state="detached", timeout=10_000)
            field.fill(item["query"])
            with contextlib.suppress(PlaywrightTimeout):  # no result at all: a miss
                results.first.wait_for(timeout=5_000)
            tab.wait_for_timeout(300)  # the list settles as the worker answers
            hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")[:3]
            found = [m.group(1) for href in hrefs if (m := re.search(r"/lessons/([a-z0-9-]+)/", href))]
            if not set(found) & set(item["lessons"]):
                misses.append(f"{item['query']}: {found or 'no lesson'} (expected one of {item['lessons']})")
        tab.context.close()
    print(f"\n{len(queries) - len(misses)}/{len(queries)} queries find a lesson in Zensical's first three; misses:")
    print("\n".join(misses) or "none")
    assert len(misses) <= len(queries) * 0.1, misses
