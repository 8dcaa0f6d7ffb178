"""The published site in a real browser: Debian's Chromium driven by Playwright.

The starter site is served on 127.0.0.1 (and the offline bundle opened from file://); the tests
click through it as a visitor does, search in Chinese, record every request, print a handout,
and run axe-core for accessibility. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import CHROMIUM, ROOT
from pypdf import PdfReader

NPM = ROOT / "tests" / ".npm" / "node_modules"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
A4_POINTS = (595.28, 841.89)

# A lesson of the starter library, found by a phrase from its text.
QUERY, LESSON_ID, LESSON_TITLE = "刷单", "shuadan-fanli", "识破刷单返利骗局"
TIER_ID, TIER_NAME = "senior-high", "高中/中职"
LESSON_HEADINGS = ("核心信息", "教学目标", "教学流程", "知识竞赛题", "常见误区", "讲义要点")

if not CHROMIUM.is_file() or not (NPM / "axe-core" / "axe.min.js").is_file():
    pytest.fail("browser tests need Chromium and axe-core: run `sh tests/system-deps.sh`", pytrace=False)

from playwright.sync_api import Browser, Page, expect  # noqa: E402


@pytest.fixture
def requests_seen() -> list[str]:
    return []


@pytest.fixture
def tab(browser: Browser, requests_seen: list[str]):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.on("request", lambda request: requests_seen.append(request.url))
    yield tab
    context.close()


def screenshot(tab: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def walk_tier_to_lesson(tab: Page, prefix: str) -> None:
    """Home → the tier index → one tier → one of its lessons, by clicking links as a visitor."""
    expect(tab.locator("article h1")).to_contain_text("护校")
    screenshot(tab, f"{prefix}-home")
    tab.locator("article a", has_text="按学段").first.click()
    expect(tab.locator("article h1")).to_contain_text("按学段浏览")
    tab.locator("article a", has_text=TIER_NAME).first.click()
    expect(tab.locator("article h1")).to_contain_text(TIER_NAME)
    screenshot(tab, f"{prefix}-tier")
    tab.locator("article a", has_text=LESSON_TITLE).first.click()
    expect(tab.locator("article h1")).to_contain_text(LESSON_TITLE)
    headings = tab.locator("article h2").all_inner_texts()
    for heading in LESSON_HEADINGS:
        assert any(heading in h for h in headings), (heading, headings)
    screenshot(tab, f"{prefix}-lesson")


def search_finds_lesson(tab: Page) -> None:
    tab.locator("label.md-search__icon, .md-search__input").first.click()
    # Over file:// the search worker starts in an iframe and takes longer: type once it is ready.
    expect(tab.locator(".md-search-result__meta")).not_to_contain_text("初始化", timeout=30_000)
    field = tab.locator("input.md-search__input")
    field.fill(QUERY)
    field.press("End")  # Material searches on key events; fill() alone (like IME input) sends none
    results = tab.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=15_000)
    expect(tab.locator(".md-search-result")).to_contain_text(LESSON_TITLE)


def test_navigate_from_home_to_a_lesson(tab: Page, server: str, requests_seen: list[str]) -> None:
    tab.goto(server + "/")
    walk_tier_to_lesson(tab, "served")
    assert f"/lessons/{LESSON_ID}/{TIER_ID}/" in tab.url
    assert_only_local(requests_seen, "127.0.0.1")


def test_chinese_search_finds_the_lesson(tab: Page, server: str, requests_seen: list[str]) -> None:
    tab.goto(server + "/")
    search_finds_lesson(tab)
    screenshot(tab, "served-search")
    assert_only_local(requests_seen, "127.0.0.1")


def assert_only_local(urls: list[str], host: str | None) -> None:
    """Every request went to `host` (or, for the bundle, to file:// only)."""
    assert urls
    foreign = [u for u in urls if not u.startswith(("data:", "blob:"))
               and (urlparse(u).hostname != host if host else not u.startswith("file://"))]
    assert not foreign, foreign


def test_every_page_kind_requests_only_its_own_host(tab: Page, server: str, requests_seen: list[str]) -> None:
    for url in ("/", "/tiers/", f"/tiers/{TIER_ID}/", f"/lessons/{LESSON_ID}/{TIER_ID}/", "/schools/",
                "/stats/", "/coverage/", f"/lessons/{LESSON_ID}/{TIER_ID}/handout/"):
        tab.goto(server + url)
        tab.wait_for_load_state("networkidle")
    assert_only_local(requests_seen, "127.0.0.1")


def test_printed_handout_is_one_a4_page(tab: Page, server: str) -> None:
    tab.goto(f"{server}/lessons/{LESSON_ID}/{TIER_ID}/handout/")
    tab.wait_for_load_state("networkidle")
    expect(tab.locator("h1")).to_contain_text(LESSON_TITLE)
    # The QR code is a picture inside a link to the lesson page: WeChat reads it on a long press.
    lesson_url = f"{os.environ['HUXIAO_SITE_URL']}lessons/{LESSON_ID}/{TIER_ID}/"
    expect(tab.locator(f'.hx-qr a.hx-qr-code[href="{lesson_url}"] img[src^="data:image/"]')).to_have_count(1)
    tab.emulate_media(media="print")
    pdf = tab.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "handout-printed.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == tuple(round(x) for x in A4_POINTS)
    assert LESSON_TITLE in reader.pages[0].extract_text().replace(" ", "")


def test_offline_bundle_works_from_file_urls(tab: Page, bundle_dir: Path, requests_seen: list[str]) -> None:
    tab.goto((bundle_dir / "index.html").as_uri())
    walk_tier_to_lesson(tab, "bundle")
    assert tab.url.startswith("file://")
    tab.goto((bundle_dir / "index.html").as_uri())
    search_finds_lesson(tab)
    screenshot(tab, "bundle-search")
    tab.locator(".md-search-result__link", has_text=LESSON_TITLE).first.click()
    expect(tab.locator("article h1")).to_contain_text(LESSON_TITLE)
    assert_only_local(requests_seen, None)


def test_bundle_carries_the_vendored_iframe_worker_unchanged(bundle_dir: Path) -> None:
    vendored = (bundle_dir / "huxiao" / "vendor" / "iframe-worker-1.0.4.js").read_text(encoding="utf-8")
    upstream = (NPM / "iframe-worker" / "shim" / "index.js").read_text(encoding="utf-8")
    assert upstream.strip() and upstream.strip() in vendored


@pytest.mark.parametrize("url", ["/", f"/tiers/{TIER_ID}/", f"/lessons/{LESSON_ID}/{TIER_ID}/", "/schools/"])
def test_no_serious_accessibility_violations(tab: Page, server: str, url: str) -> None:
    tab.goto(server + url)
    if url == "/schools/":  # the directory, then one school's own page
        tab.locator("article td a").first.click()
        expect(tab.locator("article h1")).to_contain_text("虚构")
    tab.add_script_tag(path=str(NPM / "axe-core" / "axe.min.js"))
    violations = tab.evaluate("async () => (await axe.run(document)).violations"
                              ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                              " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes']}" for v in serious)
    screenshot(tab, "axe-" + (url.strip("/").replace("/", "-") or "home"))


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)])
def test_a_school_calendar_is_offered_to_subscribe_on_a_phone(browser: Browser, server: str, width: int,
                                                               height: int) -> None:
    """WeChat will not download a .ics: the page gives a webcal:// link, a button that copies the
    https address, and a QR code of it as an image in a link, and says what the calendar holds."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    try:
        tab.goto(f"{server}/schools/hubin-primary/")
        address = f"{os.environ['HUXIAO_SITE_URL']}calendars/schools/hubin-primary.ics"
        box = tab.locator(".hx-subscribe")
        expect(box).to_contain_text("订阅到手机日历")
        expect(box).to_contain_text(re.compile(r"本校的安排：\d+ 场，20\d\d-\d\d-\d\d 至 20\d\d-\d\d-\d\d（.*学期"))
        subscribe = box.locator("a", has_text="订阅到手机日历").first
        assert subscribe.get_attribute("href") == "webcal://" + address.split("://", 1)[1]
        code = box.locator(f'a.hx-qr-code[href="{address}"] img')
        expect(code).to_have_count(1)
        assert code.get_attribute("src").startswith("data:image/")
        assert code.bounding_box()["width"] >= 100  # big enough to scan from a screen
        box.locator("button.hx-copy").first.click()
        expect(box.locator("button.hx-copy").first).to_have_text("已复制")
        assert tab.evaluate("navigator.clipboard.readText()") == address
        box.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        box.screenshot(path=str(ARTIFACTS / f"subscribe-{width}.png"))
    finally:
        context.close()
