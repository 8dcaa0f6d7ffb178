"""Print pages and the 404 page in Debian's Chromium, with the site served under another path.

A station may serve the site from a folder other than the one `site_url` names (here `/anquan/`
rather than `/test/`); the server answers a missing address with `404.html`, as GitHub and
GitLab Pages do. Screenshots and printed PDFs go to test-artifacts/browser/.
"""

from __future__ import annotations

import http.server
import io
import re
from pathlib import Path

import pytest
from conftest import CHROMIUM, ROOT, serve
from pypdf import PdfReader

if not CHROMIUM.is_file():
    pytest.fail("browser tests need Chromium: run `sh tests/system-deps.sh`", pytrace=False)

from playwright.sync_api import Browser, Page, expect

ARTIFACTS = ROOT / "test-artifacts" / "browser"
PREFIX = "/anquan/"


class _PrefixHandler(http.server.SimpleHTTPRequestHandler):
    """The site under PREFIX; anything missing gets the site's 404.html with status 404."""

    def log_message(self, *args) -> None:
        pass

    def translate_path(self, path: str) -> str:
        inside = path[len(PREFIX) - 1:] if path.startswith(PREFIX) else "/__outside__"
        return super().translate_path(inside)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server(fixture_site: Path):
    with serve(fixture_site, _PrefixHandler) as base:
        yield base + PREFIX


@pytest.fixture(scope="module")
def tab(browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield context.new_page()
    context.close()


def _failed_requests(tab: Page, url: str) -> list[str]:
    """Requests of the page at `url` that failed, leaving out the 404 page's HEAD requests looking
    for the site's root, and the browser's guesses ahead of the parser (its preload scanner does not
    wait for the script that sets <base>) for files the page then loaded."""
    failed: list[str] = []
    loaded: set[str] = set()

    def note(response) -> None:
        if response.url == url or response.request.method == "HEAD":
            return
        if response.status >= 400:
            failed.append(response.url)
        else:
            loaded.add(response.url.rsplit("/", 1)[-1])

    tab.on("response", note)
    try:
        tab.goto(url)
        tab.wait_for_load_state("networkidle")
    finally:
        tab.remove_listener("response", note)
    return [u for u in failed if u.rsplit("/", 1)[-1] not in loaded]


def test_404_page_works_under_another_path(tab: Page, server: str) -> None:
    missing = server + "lessons/no-such-lesson/deeper/"
    assert _failed_requests(tab, missing) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "404-other-path.png"), full_page=True)
    # Material's own style sheet is applied: the header is a bar across the top, not a list of links.
    header = tab.locator("header.md-header")
    expect(header).to_be_visible()
    assert tab.evaluate("getComputedStyle(document.querySelector('header.md-header')).position") == "sticky"
    tab.locator("a.md-header__button.md-logo").click()
    tab.wait_for_load_state("networkidle")
    assert tab.url == server and "护校" in tab.title()


def test_print_pages_request_nothing_missing(tab: Page, server: str) -> None:
    for doc in ("handout", "runsheet", "quiz", "quiz-key"):
        url = f"{server}lessons/qiuzhu-dianhua/primary-upper/{doc}/"
        assert _failed_requests(tab, url) == [], doc
        icon = tab.evaluate("document.querySelector('link[rel=icon]') && document.querySelector('link[rel=icon]').href")
        assert icon and icon.startswith(server), (doc, icon)


def test_printed_drill_script_in_chromium(tab: Page, server: str) -> None:
    tab.goto(server + "lessons/chonwu-anquan/kindergarten/drill/")
    tab.wait_for_load_state("networkidle")
    tab.emulate_media(media="print")
    pdf = tab.pdf(prefer_css_page_size=True, print_background=True)
    tab.emulate_media(media="screen")
    (ARTIFACTS / "drill-printed.pdf").write_bytes(pdf)
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) <= 2, len(pages)
    lines = [re.sub(r"\s+", "", line) for text in pages for line in text.splitlines()]
    assert any("时间谁做什么" in line for line in lines), lines[:20]


def test_printed_handout_uses_its_page_as_the_pdf_does(tab: Page, server: str) -> None:
    tab.goto(server + "lessons/qiuzhu-dianhua/primary-upper/handout/")
    tab.wait_for_load_state("networkidle")
    step = tab.evaluate("[...document.querySelector('.hx-handout').classList].find(c => c.startsWith('hx-fill-'))")
    assert step == "hx-fill-1", step  # the fixture's handout is short: the largest step fits
    tab.screenshot(path=str(ARTIFACTS / "handout-print-page.png"), full_page=True)
    tab.emulate_media(media="print")
    pdf = tab.pdf(prefer_css_page_size=True, print_background=True)
    tab.emulate_media(media="screen")
    (ARTIFACTS / "handout-filled-printed.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    from test_print_walkthrough import _fill_per_page

    path = ARTIFACTS / "handout-filled-printed.pdf"
    assert _fill_per_page(path)[0] >= 0.55, _fill_per_page(path)  # 0.47 in the base size
