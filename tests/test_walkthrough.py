"""The usability walkthrough, in Chromium at 1280×900 and on a 390×844 phone.

Three users' tasks on the starter site, served on 127.0.0.1, clicked through as a new user would:

- an officer preparing a 40-minute anti-fraud class for 小学4–6年级 and a fire drill;
- a 初中 class teacher looking for a handout on gaming scams and on bullying;
- station staff asking how many lectures and drills each school had, and how to add a lesson.

Each defect the walkthrough found has a test here that measures the page as drawn (widths, lines,
positions) and fails while the defect is there. Screenshots of every step go to
test-artifacts/walkthrough/, which CI keeps as artifacts.
"""

from __future__ import annotations

import re
import shutil
from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from conftest import CHROMIUM, FIXTURE, ROOT, mkdocs_build, serve, with_fixture_pdfs

ARTIFACTS = ROOT / "test-artifacts" / "walkthrough"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}

if not CHROMIUM.is_file():
    pytest.fail("walkthrough tests need Chromium: run `sh tests/system-deps.sh`", pytrace=False)

from playwright.sync_api import Browser, Page, expect  # noqa: E402

# The lessons the three users end up on (starter library).
FRAUD = ("youxi-zhuangbei-zhapian", "免费皮肤不免费：识破游戏装备诈骗")
FIRE_DRILL = ("huozai-shusan", "火灾应急疏散演练")  # the fire drill has no 小学4–6年级 variant
BULLYING = ("fang-qiling", "对校园欺凌说“不”")


def open_tab(browser: Browser, device: str) -> Page:
    width, height = VIEWPORTS[device]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    return context.new_page()


@pytest.fixture(params=list(VIEWPORTS))
def device(request) -> str:
    return request.param


@pytest.fixture
def tab(browser: Browser, device: str):
    page = open_tab(browser, device)
    yield page
    page.context.close()


def shoot(tab: Page, name: str, full_page: bool = False) -> None:
    """A screenshot of what the user sees (the first screen unless `full_page`)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = tab.viewport_size["width"] if tab.viewport_size else 0
    tab.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=full_page)


def settle(tab: Page) -> None:
    """Wait until the page and the site's scripts (sidebar, tables: they run a frame after load) are done."""
    tab.wait_for_load_state("load")
    tab.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))))")


def is_phone(tab: Page) -> bool:
    return bool(tab.viewport_size and tab.viewport_size["width"] < 600)


def go_tier(tab: Page, server: str, tier_name: str) -> None:
    """Home → 按学段 → a tier, by clicking."""
    tab.goto(server + "/")
    tab.locator("article a", has_text="按学段").first.click()
    expect(tab.locator("article h1")).to_contain_text("按学段浏览")
    tab.locator("article a", has_text=tier_name).first.click()
    expect(tab.locator("article h1")).to_contain_text(tier_name)
    settle(tab)


def open_topic_then_lesson(tab: Page, topic: str, title: str) -> None:
    """On a tier page: the topic's button (tested on its own below), then the lesson in that topic's list."""
    buttons = tab.locator(".hx-topic-grid a", has_text=topic)
    if buttons.count():
        buttons.first.click()
    tab.locator("article li a", has_text=title).first.click()
    expect(tab.locator("article h1")).to_contain_text(title)
    settle(tab)


# --- measurements, in the browser -------------------------------------------------------------

FACTS_JS = """() => {
  const box = document.querySelector('article .hx-facts');
  if (!box) return null;
  const lines = el => {  // the text's line boxes: [left, right, top] of each
    const range = document.createRange(); range.selectNodeContents(el);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    const rows = new Map();
    for (const r of rects) {
      const key = Math.round(r.top);
      const row = rows.get(key) || {left: r.left, right: r.right, top: r.top};
      row.left = Math.min(row.left, r.left); row.right = Math.max(row.right, r.right); rows.set(key, row);
    }
    return [...rows.values()];
  };
  const item = el => ({text: el.textContent.trim(), size: parseFloat(getComputedStyle(el).fontSize), lines: lines(el)});
  return {labels: [...box.querySelectorAll('dt, th')].map(item), values: [...box.querySelectorAll('dd, td')].map(item)};
}"""


def assert_facts_read(tab: Page) -> dict:
    """The info row: five labels, each on one line; each value never broken into a character or
    two per line; no value running into the next on the same line."""
    facts = tab.evaluate(FACTS_JS)
    assert facts, "no facts row"
    labels, values = facts["labels"], facts["values"]
    assert [x["text"] for x in labels][:6] == ["专题", "学段", "时长", "形式", "授课", "审核"], labels
    assert len(values) >= 5
    for label in labels:
        assert len(label["lines"]) == 1, f"label {label['text']} wraps: {label['lines']}"
    for value in values:
        chars = len(value["text"])
        for line in value["lines"][:-1]:  # every line but the last holds at least four characters
            assert line["right"] - line["left"] >= min(chars, 4) * value["size"] * 0.9, \
                f"{value['text']!r} is broken into narrow lines: {value['lines']}"
    for one, two in pairwise(values):
        a, b = one["lines"][-1], two["lines"][0]
        if abs(a["top"] - b["top"]) < 2 and b["left"] >= a["right"] - 1:
            assert b["left"] - a["right"] >= 8, f"{one['text']!r} runs into {two['text']!r}"
    return facts


PRINTBAR_JS = """() => {
  const bar = document.querySelector('article .hx-printbar');
  const h1 = document.querySelector('article h1');
  const list = document.getElementById('print');
  const listed = [];
  for (let el = list && list.nextElementSibling; el && !/^H[12]$/.test(el.tagName); el = el.nextElementSibling)
    el.querySelectorAll('a').forEach(a => listed.push([a.textContent.trim(), a.getAttribute('href')]));
  if (!bar) return {bar: null, listed};
  // the print documents; the presenter that follows them is not one
  const links = [...bar.querySelectorAll('a:not(.hx-printbar-present)')].map(a => [a.textContent.trim(), a.getAttribute('href')]);
  const r = bar.getBoundingClientRect();
  const before = [...document.querySelectorAll('article > *')].indexOf(bar) - [...document.querySelectorAll('article > *')].indexOf(h1);
  return {bar: {top: r.top, bottom: r.bottom, height: r.height}, links, listed, after_title: before, screen: innerHeight};
}"""


def assert_print_bar(tab: Page, must_have: tuple[str, ...]) -> list[str]:
    """A bar under the title with every print document of the tier (the same ones, same order, as
    the 打印材料 list further down), inside the first screen at the top of the page."""
    tab.evaluate("() => window.scrollTo(0, 0)")
    found = tab.evaluate(PRINTBAR_JS)
    assert found["bar"], "no print bar"
    bar = found["bar"]
    assert found["after_title"] <= 2, "the print bar is not right under the title"
    assert bar["height"] > 0 and bar["bottom"] <= found["screen"], f"print bar below the first screen: {bar}"
    assert found["links"] == found["listed"], (found["links"], found["listed"])
    names = [name for name, _ in found["links"]]
    for name in must_have:
        assert name in names, (name, names)
    return names


SIDEBAR_JS = """() => {
  const wrap = document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap');
  const sections = wrap.querySelectorAll('.md-nav__item--section.md-nav__item--active');
  const heading = sections[sections.length - 1].querySelector(':scope > .md-nav__link');
  const title = wrap.querySelector('.md-nav--lifted > .md-nav__list > .md-nav__item--active > .md-nav__link');
  const link = wrap.querySelector('a.md-nav__link--active[href]');
  const w = wrap.getBoundingClientRect(), h = heading.getBoundingClientRect(), t = title.getBoundingClientRect();
  // links of the nav drawn between the sticky title and the tier's heading: another tier's rows
  const between = [...wrap.querySelectorAll('.md-nav__link')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= t.bottom - 2 && r.bottom <= h.top + 2 && !heading.contains(el) && el !== title;
  }).map(el => el.textContent.trim()).filter(Boolean);
  return {heading: heading.textContent.trim(), headTop: h.top, titleBottom: t.bottom, wrapTop: w.top,
          wrapBottom: w.bottom, linkTop: link.getBoundingClientRect().top, linkBottom: link.getBoundingClientRect().bottom,
          between};
}"""


TABLES_JS = """() => {
  const article = document.querySelector('article');
  const box = article.getBoundingClientRect();
  const scrolls = el => { const s = getComputedStyle(el).overflowX; return s === 'auto' || s === 'scroll'; };
  return [...article.querySelectorAll('table')].filter(t => t.offsetParent !== null).map(table => {
    let scroller = null;
    for (let el = table; el && el !== article; el = el.parentElement)
      if (scrolls(el) && el.scrollWidth > el.clientWidth + 1) { scroller = el; break; }
    let hint = null;
    if (scroller) {
      for (let el = scroller; el && el !== article && !hint; el = el.parentElement) {
        const prev = el.previousElementSibling;
        if (prev && prev.classList.contains('hx-scroll-hint')) hint = prev;
      }
    }
    const r = table.getBoundingClientRect();
    return {head: [...table.querySelectorAll('th')].map(th => th.textContent.trim()).join('|').slice(0, 60),
            right: r.right, articleRight: box.right, scrolls: !!scroller,
            hinted: !!(hint && !hint.hidden && hint.offsetHeight > 0 && hint.getBoundingClientRect().width > 0)};
  });
}"""


def assert_tables_fit_or_say_they_scroll(tab: Page) -> None:
    for table in tab.evaluate(TABLES_JS):
        if table["scrolls"]:
            assert table["hinted"], f"table {table['head']} scrolls sideways with no sign of it"
        else:
            assert table["right"] <= table["articleRight"] + 1, f"table {table['head']} runs off the page"
    assert tab.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth + 1"), "the page scrolls sideways"


def column_cell(tab: Page, heading: str) -> dict:
    """Where the first school row's cell of the column `heading` is drawn, and what clips it."""
    return tab.evaluate("""heading => {
      const table = document.querySelector('article table');
      const index = [...table.querySelectorAll('thead th')].findIndex(th => th.textContent.trim() === heading);
      if (index < 0) return null;
      const cell = table.querySelector('tbody tr').cells[index];
      const r = cell.getBoundingClientRect();
      let left = 0, right = innerWidth;
      for (let el = cell.parentElement; el; el = el.parentElement) {
        if (getComputedStyle(el).overflowX !== 'visible') {
          const b = el.getBoundingClientRect(); left = Math.max(left, b.left); right = Math.min(right, b.right);
        }
      }
      return {text: cell.textContent.trim(), left: r.left, right: r.right, width: r.width, shownLeft: left, shownRight: right};
    }""", heading)


def objective(lesson: str, tier: str) -> tuple[str, str]:
    """The first objective of a lesson's tier variant and the lesson's summary, as written."""
    path = next(ROOT.joinpath("lessons").glob(f"*/{lesson}.yml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    strip = lambda text: re.sub(r"\s*\[\^[a-z0-9-]+\]", "", " ".join(text.split()))  # noqa: E731
    return strip(data["variants"][tier]["objectives"][0]), strip(data["summary"])


# --- the officer ---------------------------------------------------------------------------------

def test_officer_lesson_page_facts_read_as_pairs(tab: Page, server: str, device: str) -> None:
    """Defect: the info row had no style: headings misaligned, values run together, 形/式 on a phone."""
    go_tier(tab, server, "小学4–6年级")
    open_topic_then_lesson(tab, "防范电信网络诈骗", FRAUD[1])
    facts = assert_facts_read(tab)
    assert any("40 分钟" in v["text"] for v in facts["values"])
    shoot(tab, "officer-1-fraud-lesson")


def test_officer_print_bar_is_under_the_title(tab: Page, server: str, device: str) -> None:
    """Defect: the print documents were only at the foot of a long page."""
    tab.goto(f"{server}/lessons/{FRAUD[0]}/primary-upper/")
    settle(tab)
    names = assert_print_bar(tab, ("学生讲义", "讲师讲稿"))
    assert not any("演练" in n for n in names), "a lecture has no drill script"
    tab.locator(".hx-printbar a", has_text="学生讲义").first.click()
    expect(tab.locator("h1")).to_contain_text(FRAUD[1])
    shoot(tab, "officer-2-fraud-handout")
    # the fire drill: 专题 → 应急疏散演练 → the drill, whose bar has the drill script
    tab.goto(server + "/topics/")
    tab.locator("article a", has_text="应急疏散演练").first.click()
    tier = tab.locator("article h2", has_text="小学1–3年级").locator("xpath=following-sibling::ul[1]")
    tier.locator("a", has_text=FIRE_DRILL[1]).first.click()
    expect(tab.locator("article h1")).to_contain_text(FIRE_DRILL[1])
    expect(tab.locator("article h1")).to_contain_text("小学1–3年级")
    settle(tab)
    assert_facts_read(tab)
    names = assert_print_bar(tab, ("学生讲义", "讲师讲稿"))
    assert any("演练脚本" in n for n in names), names
    shoot(tab, "officer-3-fire-drill")


def test_print_bar_links_the_pdfs_where_built(browser: Browser, tmp_path: Path, rendered: Path) -> None:
    """With `huxiao pdf` run before the build, the bar offers each document's PDF too, and on a
    phone it still ends within the first screen."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    with_fixture_pdfs(root, rendered)  # as `huxiao pdf` writes them
    shutil.copytree(ROOT / "content" / "stylesheets", root / "content" / "stylesheets")  # the site's own look
    site = mkdocs_build(root, tmp_path / "site", extra_css=["stylesheets/huxiao.css"])
    with serve(site) as base:
        tab = open_tab(browser, "phone")
        try:
            tab.goto(f"{base}/lessons/qiuzhu-dianhua/primary-upper/")
            settle(tab)
            names = assert_print_bar(tab, ("学生讲义", "讲师讲稿"))
            pdfs = tab.evaluate("() => [...document.querySelectorAll('.hx-printbar a.hx-printbar-pdf')]"
                                ".map(a => a.getAttribute('href'))")
            assert "../../../pdf/qiuzhu-dianhua/primary-upper/handout.pdf" in pdfs
            assert len(pdfs) == names.count("PDF") and pdfs, (names, pdfs)
            for href in pdfs:
                assert (site / "lessons/qiuzhu-dianhua/primary-upper" / href).resolve().is_file(), href
            shoot(tab, "officer-2-print-bar-with-pdfs")
        finally:
            tab.context.close()


@pytest.mark.parametrize(("lesson", "tier", "tier_name"), [
    (FRAUD[0], "primary-upper", "小学4–6年级"), (FIRE_DRILL[0], "primary-lower", "小学1–3年级"),
    (BULLYING[0], "junior-high", "初中"), ("shuadan-fanli", "university", "高校"),
])
def test_sidebar_opens_on_the_lesson_tier(browser: Browser, server: str, lesson: str, tier: str,
                                          tier_name: str) -> None:
    """Defect: the sidebar opened scrolled into the previous tier's topics, without that tier's heading."""
    tab = open_tab(browser, "desktop")
    try:
        tab.goto(f"{server}/lessons/{lesson}/{tier}/")
        settle(tab)
        tab.wait_for_timeout(200)  # Material's own scroll of the sidebar has happened by now
        nav = tab.evaluate(SIDEBAR_JS)
        assert nav["heading"] == tier_name, nav
        assert nav["headTop"] >= nav["titleBottom"] - 1, f"the tier's heading is under the sticky title: {nav}"
        assert not nav["between"], f"another tier's rows above the tier's heading: {nav['between']}"
        assert nav["wrapTop"] <= nav["linkTop"] and nav["linkBottom"] <= nav["wrapBottom"], f"active link out of view: {nav}"
        shoot(tab, f"officer-sidebar-{lesson}-{tier}")
    finally:
        tab.context.close()


# --- the 初中 class teacher --------------------------------------------------------------------

def test_teacher_tier_listing_describes_the_tier(tab: Page, server: str, device: str) -> None:
    """Defect: tier listings described the lesson for all tiers, not for the tier listed."""
    go_tier(tab, server, "初中")
    shoot(tab, "teacher-1-tier")
    for lesson, title in (FRAUD, BULLYING):
        goal, summary = objective(lesson, "junior-high")
        item = tab.locator("article li", has=tab.locator("a", has_text=title)).first
        text = " ".join(item.inner_text().split())
        assert goal[:20] in text, (goal, text)
        assert summary[:20] not in text, f"the lesson-wide summary is listed: {text}"
    # the topic page's per-tier lists
    tab.goto(server + "/topics/anti-bullying/")
    goal, summary = objective(BULLYING[0], "junior-high")
    section = tab.locator("article h2", has_text="初中").locator("xpath=following-sibling::ul[1]")
    assert goal[:20] in " ".join(section.inner_text().split())


def test_teacher_handouts_read_on_the_device(tab: Page, server: str, device: str) -> None:
    """Defect: handouts on a phone kept A4 margins on screen, a narrow column of text."""
    for (lesson, title), topic, step in ((FRAUD, "防范电信网络诈骗", 2), (BULLYING, "防欺凌", 3)):
        go_tier(tab, server, "初中")
        open_topic_then_lesson(tab, topic, title)
        shoot(tab, f"teacher-{step}-lesson-{lesson}")
        tab.locator("article a", has_text="学生讲义").first.click()  # the print bar's (or the list's at the foot)
        expect(tab.locator("h1")).to_contain_text(title)
        text = tab.evaluate("""() => { const m = document.querySelector('main'); const s = getComputedStyle(m);
          return {inner: m.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight),
                  pad: parseFloat(s.paddingLeft), overflow: document.scrollingElement.scrollWidth > innerWidth + 1}; }""")
        width = VIEWPORTS[device][0]
        assert not text["overflow"], "the handout scrolls sideways"
        assert text["pad"] <= (20 if is_phone(tab) else 48), f"sheet margins on screen: {text}"
        if is_phone(tab):
            assert text["inner"] >= width - 60, f"the handout's text column is {text['inner']} px of {width}"
        shoot(tab, f"teacher-{step}-handout-{lesson}", full_page=True)
        tab.emulate_media(media="print")  # printed, the sheet's margins are the page's (A4, @page)
        printed = tab.evaluate("() => parseFloat(getComputedStyle(document.querySelector('main')).paddingLeft)")
        assert printed == 0
        tab.emulate_media(media="screen")


# --- station staff -------------------------------------------------------------------------------

def test_staff_school_index_shows_liaison_phone_lectures_drills(tab: Page, server: str, device: str) -> None:
    """Defect: /schools/ was wider than its scroll area, the 法治副校长 and phone columns out of sight."""
    tab.goto(server + "/")
    nav = tab.locator(".md-tabs a", has_text="学校") if not is_phone(tab) else tab.locator("article a", has_text="学校")
    nav.first.click()
    expect(tab.locator("article h1")).to_contain_text("学校名录")
    settle(tab)
    shoot(tab, "staff-1-schools")
    for column in ("法治副校长", "联系电话", "讲座", "演练"):
        cell = column_cell(tab, column)
        assert cell, f"no column {column}"
        assert cell["width"] > 0 and cell["text"], cell
        assert cell["left"] >= cell["shownLeft"] - 1 and cell["right"] <= cell["shownRight"] + 1, \
            f"{column} is out of sight: {cell}"
    assert_tables_fit_or_say_they_scroll(tab)
    shoot(tab, "staff-1-schools-full", full_page=True)
    tab.locator("article td a").first.click()
    expect(tab.locator("article h1")).to_contain_text("虚构")
    settle(tab)
    assert_tables_fit_or_say_they_scroll(tab)
    shoot(tab, "staff-2-school", full_page=True)


@pytest.mark.parametrize("url", ["/stats/", "/coverage/", "/reports/2026-autumn/", "/tiers/", "/topics/",
                                 f"/lessons/{FIRE_DRILL[0]}/primary-lower/"])
def test_staff_wide_tables_fit_or_say_they_scroll(tab: Page, server: str, device: str, url: str) -> None:
    """Defect: tables clipped at their scroll area's edge with no sign that they scroll."""
    tab.goto(server + url)
    settle(tab)
    assert_tables_fit_or_say_they_scroll(tab)
    shoot(tab, "staff-3-table-" + url.strip("/").replace("/", "-"), full_page=True)


GRID_JS = """selector => [...document.querySelectorAll(selector)].map(el => {
  const r = el.getBoundingClientRect(); return {left: Math.round(r.left), right: r.right, height: r.height}; })"""


def test_staff_topic_index_is_a_grid_of_buttons_on_a_phone(browser: Browser, server: str) -> None:
    """Defect: on a phone the topic index was a table cut at its second column, and a tier's
    page a long scroll through its topics with no index in sight."""
    tab = open_tab(browser, "phone")
    try:
        go_tier(tab, server, "初中")
        boxes = tab.evaluate(GRID_JS, ".hx-topic-grid a")
        assert len(boxes) >= 10, "no topic buttons on the tier page"
        assert len({b["left"] for b in boxes}) == 2 and all(b["right"] <= 390 and b["height"] >= 36 for b in boxes)
        assert tab.evaluate("() => document.querySelector('.hx-topic-grid').getBoundingClientRect().top") < 844
        tab.goto(server + "/topics/")
        settle(tab)
        boxes = tab.evaluate(GRID_JS, "article tbody tr")
        assert len(boxes) >= 10
        assert len({b["left"] for b in boxes}) == 2, "not a grid of two columns"
        assert all(b["right"] <= 390 and b["height"] >= 40 for b in boxes), boxes
        shoot(tab, "staff-4-topics")
    finally:
        tab.context.close()


def test_staff_finds_how_to_add_a_lesson(tab: Page, server: str, device: str) -> None:
    """The last question: from the home page to the guide on adding a lesson."""
    tab.goto(server + "/")
    if is_phone(tab):  # the drawer, its 指南 section, the guides' index page
        tab.locator("label.md-header__button[for='__drawer']").click()
        tab.locator(".md-nav--primary a.md-nav__link", has_text="指南").first.click()
    else:
        tab.locator(".md-tabs a", has_text="指南").first.click()
    expect(tab.locator("article h1")).to_contain_text("指南")
    tab.locator("article a", has_text="如何新增课程").first.click()
    expect(tab.locator("article h1")).to_contain_text("新增")
    settle(tab)
    assert_tables_fit_or_say_they_scroll(tab)
    shoot(tab, "staff-5-add-lesson")


CELLS_JS = """selector => [...document.querySelectorAll(selector + ' tbody td')].filter(td => td.textContent.trim())
  .map(td => ({text: td.textContent.trim(), width: td.getBoundingClientRect().width,
               size: parseFloat(getComputedStyle(td).fontSize)}))"""

SVG_TEXT_JS = """() => [...document.querySelectorAll('.hx-chart svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => { const r = t.getBoundingClientRect();
                return {text: t.textContent.trim(), left: r.left - box.left, right: box.right - r.right,
                        px: parseFloat(getComputedStyle(t).fontSize) * box.width / svg.viewBox.baseVal.width}; });
  return {width: box.width, texts};
})"""


def test_parent_on_a_phone_reads_the_plan_and_the_chart(browser: Browser, server: str) -> None:
    """Defects: on a phone the school's plan table squeezed to one character a line, and the term
    report's chart labels ran off its left edge in text about 6 px high."""
    tab = open_tab(browser, "phone")
    try:
        tab.goto(f"{server}/schools/chunmiao-kindergarten/")
        settle(tab)
        cells = tab.evaluate(CELLS_JS, "table.hx-plan")
        assert cells, "no plan table"
        for cell in cells:  # a card: each value as wide as its text needs, up to the card's width
            assert cell["width"] >= min(len(cell["text"]), 8) * cell["size"] * 0.9, cell
        assert_tables_fit_or_say_they_scroll(tab)
        shoot(tab, "parent-1-school-plan", full_page=True)
        tab.goto(f"{server}/reports/2026-autumn/")
        settle(tab)
        charts = tab.evaluate(SVG_TEXT_JS)
        assert charts and charts[0]["texts"], "no chart"
        for chart in charts:
            for text in chart["texts"]:
                assert text["left"] >= -1 and text["right"] >= -1, f"{text['text']!r} runs off the chart: {text}"
                assert text["px"] >= 9.5, f"{text['text']!r} is {text['px']:.1f} px on a phone"
        tab.locator(".hx-chart").scroll_into_view_if_needed()
        shoot(tab, "parent-2-report-chart")
    finally:
        tab.context.close()


def test_kindergarten_teacher_sees_the_pictures_on_page_and_print_page(tab: Page, server: str, device: str) -> None:
    """Defect: kindergarten handouts were dense adult text with no pictures, for a child who cannot read."""
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(f"{server}/lessons/guo-malu/kindergarten/")
    settle(tab)
    pictures = tab.locator("article ol.hx-pictures li")
    expect(pictures.first).to_be_visible()
    count = pictures.count()
    assert count >= 4
    assert tab.evaluate("() => [...document.querySelectorAll('article .hx-pictures img')]"
                        ".every(img => img.complete && img.naturalWidth > 0 && img.alt)")
    tab.locator("article .hx-pictures").scroll_into_view_if_needed()
    shoot(tab, "kindergarten-1-lesson-pictures")
    tab.locator(".hx-printbar a", has_text="学生讲义").first.click()
    settle(tab)
    expect(tab.locator(".hx-handout .hx-pictures li")).to_have_count(count)
    assert tab.evaluate("() => [...document.querySelectorAll('.hx-handout .hx-pictures img')]"
                        ".every(img => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width >= 40)")
    expect(tab.locator(".hx-credit")).to_contain_text("OpenMoji")
    assert tab.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth + 1"), "the sheet scrolls sideways"
    shoot(tab, "kindergarten-2-print-page", full_page=True)
    host = server.split("//")[1].split("/")[0]
    assert all(url.startswith("data:") or host in url for url in requests), [u for u in requests if host not in u][:5]
