"""Real MkDocs builds of the fixture project and of the starter project: pages, nav, content."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE, ROOT, article, html_text, mkdocs_build, page

TIERS = ["kindergarten", "primary-lower", "primary-upper", "junior-high", "senior-high", "university"]


def load_yaml_folder(folder: Path) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted(folder.rglob("*.yml")) if not p.name.startswith("_")}


def taxonomy(project: Path) -> dict:
    return yaml.safe_load((project / "lessons" / "_taxonomy.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("project_root, site_fixture", [(FIXTURE, "fixture_site"), (ROOT, "starter_site")])
def test_every_stable_url_exists(project_root: Path, site_fixture: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue(site_fixture)
    tax = taxonomy(project_root)
    for tier in tax["tiers"]:
        page(site, f"/tiers/{tier['id']}/")
    for topic in tax["topics"]:
        page(site, f"/topics/{topic['id']}/")
    for lesson_id, lesson in load_yaml_folder(project_root / "lessons").items():
        page(site, f"/lessons/{lesson_id}/")
        for tier in lesson["tiers"]:
            page(site, f"/lessons/{lesson_id}/{tier}/")
    for school_id in load_yaml_folder(project_root / "schools"):
        page(site, f"/schools/{school_id}/")
    for url in ("/", "/stats/", "/schools/", "/tiers/", "/topics/", "/coverage/"):
        page(site, url)


def test_tier_ids_are_the_stable_ones() -> None:
    tiers = taxonomy(ROOT)["tiers"]
    assert [t["id"] for t in tiers if t.get("audience", "pupils") == "pupils"] == TIERS
    assert [t["id"] for t in tiers if t.get("audience", "pupils") != "pupils"] == ["parents", "staff"]


def primary_nav(html: str) -> str:
    start = html.index('md-sidebar--primary')
    return html[start:html.index('md-sidebar--secondary', start)]


def test_nav_lists_every_tier_and_topic(fixture_site: Path) -> None:
    tax = taxonomy(FIXTURE)
    tiers_page = page(fixture_site, "/tiers/")
    nav = primary_nav(tiers_page)
    for tier in tax["tiers"]:
        assert tier["name"] in nav
        assert f'href="{tier["id"]}/"' in nav
    topics_page = page(fixture_site, "/topics/")
    nav = primary_nav(topics_page)
    for topic in tax["topics"]:
        assert topic["name"] in nav, topic["id"]
    # A topic added in the taxonomy file alone gets its page: no code change needed.
    assert "校园动物安全" in html_text(page(fixture_site, "/topics/campus-pets/"))


def test_nav_is_nested_and_pruned(fixture_site: Path) -> None:
    """A lesson page carries its own tier's branch, not every lesson of the site."""
    html = page(fixture_site, "/lessons/qiuzhu-dianhua/university/")
    nav = primary_nav(html)
    assert "记住求助电话" in nav  # its own entry, under 高校 → 防范电信网络诈骗
    assert "primary-upper/" in nav  # the sibling tier's index stays reachable
    assert "qiuzhu-dianhua/primary-upper/" not in nav  # but not the lessons inside other tiers
    assert "chonwu-anquan/kindergarten/" not in nav


def _sidebar(html: str) -> str:
    """The primary nav with insignificant whitespace (next to tags) removed."""
    match = re.search(r'<nav class="md-nav md-nav--primary.*?</nav>\s*</div>\s*</div>\s*</div>', html, re.S)
    assert match, "page has no primary nav"
    text = re.sub(r"\s+", " ", match.group(0))
    text = re.sub(r"\s*(<[^>]+>)\s*", r"\1", text)
    return re.sub(r'"\s+', '"', re.sub(r"\s+>", ">", text))


def test_fast_nav_draws_what_material_draws(starter_site: Path, tmp_path: Path) -> None:
    """generator/sitenav.py stands in for Material's nav macro: every page's sidebar is the same."""
    from generator.speed import sitenav

    assert sitenav.material_macro_hash() == sitenav.MIRRORED_MACRO, (
        "Material's partials/nav-item.html changed: compare it with generator/sitenav.py, then update MIRRORED_MACRO")
    material = mkdocs_build(ROOT, tmp_path / "material-nav",
                            plugins=[{"search": {"lang": "zh"}}, {"huxiao": {"fast_nav": False}}])
    compared = 0
    for fast in starter_site.rglob("index.html"):
        html = fast.read_text(encoding="utf-8")
        if "md-nav--primary" not in html:
            continue  # print documents
        reference = (material / fast.relative_to(starter_site)).read_text(encoding="utf-8")
        assert "huxiao_nav" not in html
        assert _sidebar(html) == _sidebar(reference), fast.relative_to(starter_site).as_posix()
        compared += 1
    assert compared > 150


def test_lesson_page_holds_objectives_timings_quiz_and_officer_notes(fixture_site: Path) -> None:
    lesson = load_yaml_folder(FIXTURE / "lessons")["qiuzhu-dianhua"]
    variant = lesson["variants"]["primary-upper"]
    html = article(page(fixture_site, "/lessons/qiuzhu-dianhua/primary-upper/"))
    text = html_text(html)
    for objective in variant["objectives"]:
        assert objective in text
    # Start times run on from the activities' minutes: 0:00, then 0:10.
    assert "0:00" in text and "0:10" in text and "合计" in text
    for item in variant["quiz"]:
        assert item["question"] in text
        assert item["explanation"] in text
    assert 'class="officer"' in html or "officer" in html
    assert "讲师备课" in text
    for activity in variant["activities"]:
        assert activity["speaker_notes"] in text
    # The citation links to the numbered source at the bottom.
    assert 'href="#src-h96110"' in html and 'id="src-h96110"' in html


def test_generated_pages_link_only_to_what_the_site_has(starter_site: Path) -> None:
    """Lesson and school pages are HTML that MkDocs does not check: every link and anchor must land."""
    checked = 0
    pages = [*starter_site.glob("lessons/*/index.html"), *starter_site.glob("lessons/*/*/index.html"),
             *starter_site.glob("schools/*/index.html")]
    for source in sorted(pages):
        html = article(source.read_text(encoding="utf-8"))
        ids = set(re.findall(r'id="([^"]+)"', html))
        for href in re.findall(r'href="([^"]+)"', html):
            if href.startswith(("http://", "https://", "mailto:", "webcal://")):
                continue
            path, _, fragment = href.partition("#")
            target = (source.parent / path).resolve() if path else source
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{source.relative_to(starter_site)} links to missing {href}"
            if fragment:
                found = ids if target == source else set(re.findall(r'id="([^"]+)"', target.read_text(encoding="utf-8")))
                assert fragment in found, f"{source.relative_to(starter_site)} links to missing anchor {href}"
            checked += 1
    assert checked > 1000


def test_lesson_page_table_of_contents_names_its_sections(fixture_site: Path) -> None:
    html = page(fixture_site, "/lessons/chonwu-anquan/kindergarten/")
    assert '<nav class="md-nav md-nav--secondary"' in html, "no table of contents"
    toc = html[html.index('<nav class="md-nav md-nav--secondary"'):html.index("<article")]
    for anchor in ("objectives", "flow", "activity-1", "drill", "steps", "print", "sources"):
        assert f'href="#{anchor}"' in toc, anchor
        assert f'id="{anchor}"' in article(html), anchor


def test_drill_page_holds_script(fixture_site: Path) -> None:
    text = html_text(article(page(fixture_site, "/lessons/chonwu-anquan/kindergarten/")))
    for words in ("演练脚本", "三短声哨音", "总指挥", "0:30", "150 秒", "班主任按名单点名", "记录用时", "（口头问答）"):
        assert words in text


def test_school_page_holds_tiers_and_recommended_lessons(fixture_site: Path) -> None:
    html = article(page(fixture_site, "/schools/ceshi-primary/"))
    text = html_text(html)
    assert "小学1–3年级" in text and "小学4–6年级" in text
    assert "推荐课程" in text
    assert "../../lessons/qiuzhu-dianhua/primary-upper/" in html
    # Kindergarten-only lessons are not recommended to a primary school.
    assert "chonwu-anquan" not in html


def _stats_row(html: str, label: str) -> list[str]:
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = [html_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row {label}")


@pytest.mark.parametrize("project_root, site_fixture", [(FIXTURE, "fixture_site"), (ROOT, "starter_site")])
def test_stats_match_delivery_records(project_root: Path, site_fixture: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue(site_fixture)
    lessons = load_yaml_folder(project_root / "lessons")
    files = [p for p in (project_root / "records").glob("*/*.yml") if not p.name.startswith("_")]
    books = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in files]
    lectures = [r for b in books for r in b.get("lectures", [])]
    drills = [r for b in books for r in b.get("drills", [])]
    assert all(lessons[r["lesson"]].get("kind") == "drill" for r in drills)
    html = article(page(site, "/stats/"))
    # Lecture audience and drill participants are separate figures, never added into one.
    first = [html_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)[:5]]
    assert first == [str(len(lectures)), str(sum(r["audience"] for r in lectures)), str(len(drills)),
                     str(sum(r["participants"] for r in drills)), str(len(lectures) + len(drills))]
    tax = taxonomy(project_root)
    for tier in tax["tiers"]:
        mine_l = [r for r in lectures if r["tier"] == tier["id"]]
        mine_d = [r for r in drills if r["tier"] == tier["id"]]
        row = _stats_row(html, tier["name"])
        assert row[1:5] == [str(len(mine_l)), str(sum(r["audience"] for r in mine_l)), str(len(mine_d)),
                            str(sum(r["participants"] for r in mine_d))]


def test_search_index_finds_chinese_words_inside_sentences(fixture_site: Path) -> None:
    index = json.loads((fixture_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    tokens = {tok for doc in index["docs"] if doc["location"].startswith("lessons/qiuzhu-dianhua/university/")
              for tok in separator.split(html_text(doc["text"]))}
    # "分析一起刷单返利骗局的时间线": without segmentation the whole run is one token.
    assert "刷单" in tokens or "返利" in tokens, sorted(tokens)[:50]


def test_school_and_statistics_pages_stay_out_of_search(fixture_site: Path) -> None:
    index = json.loads((fixture_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "lessons/qiuzhu-dianhua/university/" in locations
    assert not any(loc.startswith(("schools/", "stats/")) for loc in locations)


def test_no_generated_markdown_is_written_into_content(fixture_site: Path) -> None:
    assert sorted(p.name for p in (FIXTURE / "content").rglob("*")) == ["index.md"]


def test_no_external_font_or_cdn_requests(starter_site: Path) -> None:
    html = page(starter_site, "/")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert 'lang="zh"' in html


def test_lesson_pages_carry_learning_resource_json_ld(fixture_site: Path) -> None:
    lesson = load_yaml_folder(FIXTURE / "lessons")["qiuzhu-dianhua"]
    html = page(fixture_site, "/lessons/qiuzhu-dianhua/primary-upper/")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org" and data["@type"] == "LearningResource"
    assert data["inLanguage"] == "zh-CN"
    assert data["educationalLevel"] == "小学4–6年级"
    assert data["typicalAgeRange"] == "9-12"
    assert re.fullmatch(r"PT\d+M", data["timeRequired"]) and data["timeRequired"] == "PT40M"
    assert data["teaches"] == lesson["variants"]["primary-upper"]["objectives"]
    assert isinstance(data["keywords"], str) and "求助电话" in data["keywords"]
    assert data["learningResourceType"] == "lesson plan"
    assert data["url"] == "https://huxiao-ceshi.github.io/test/lessons/qiuzhu-dianhua/primary-upper/"
    drill = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                 page(fixture_site, "/lessons/chonwu-anquan/kindergarten/"), re.S).group(1))
    assert drill["learningResourceType"] == "drill" and drill["timeRequired"] == "PT20M"


def test_list_lines_in_author_text_show_as_bulleted_lines() -> None:
    from generator.site import mdtext
    from generator.site.render import _html_paras

    text = "三件事：\n- 不去水边\n* 不下水\n\n**注意** 这一行不是列表"
    assert mdtext.escape_paragraphs(text) == ["三件事：<br>▪ 不去水边<br>▪ 不下水", "&#42;&#42;注意&#42;&#42; 这一行不是列表"]
    assert str(_html_paras(text)) == "三件事：<br>▪ 不去水边<br>▪ 不下水<br><strong>注意</strong> 这一行不是列表"


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_in_html_pages_are_the_urls_mkdocs_would_make(directory_urls: bool) -> None:
    """The generator writes lesson and school pages as HTML, so it computes their links itself."""
    from mkdocs.structure.files import File
    from mkdocs.utils import get_relative_url

    from generator.site.paths import relative_url

    def url(path: str) -> str:
        return File(path, "docs", "site", use_directory_urls=directory_urls).url

    pages = ["index.md", "lessons/x/index.md", "lessons/x/kindergarten.md", "lessons/x/primary-lower.md",
             "tiers/kindergarten/index.md", "topics/fire.md", "schools/a.md",
             "lessons/x/kindergarten/handout/index.html", "pdf/x/kindergarten/handout.pdf"]
    for here in pages[:7]:
        for target in pages:
            assert relative_url(here, target, directory_urls) == get_relative_url(url(target), url(here)), (here, target)


def test_lesson_page_has_materials_checklist_and_related_lessons_both_ways(fixture_site: Path,
                                                                             starter_site: Path) -> None:
    lesson = html_text(article(page(fixture_site, "/lessons/qiuzhu-dianhua/primary-upper/")))
    assert "课前准备" in lesson and "电话号码卡片 6 套" in lesson
    assert "课前核对" in lesson and "本校近期有无学生被骗的事件" in lesson
    lessons = load_yaml_folder(ROOT / "lessons")
    pairs = [(a, b) for a, data in lessons.items() for b in data.get("related", [])
             if a not in lessons[b].get("related", [])]
    assert pairs, "the starter should have a relation written on one side only"
    for a, b in pairs[:5]:
        named = lessons[a]
        here = next(t for t in lessons[b]["tiers"])
        back = page(starter_site, f"/lessons/{b}/{here}/")
        assert "相关课程" in html_text(article(back)) and named["title"] in html_text(article(back)), (a, b)
        assert f'href="../../{a}/' in back, (a, b)


def test_the_site_speaks_chinese_and_names_the_quiz_once(starter_site: Path) -> None:
    """No English left in the page chrome, and the quiz has one name on the page and on its sheet."""
    lesson = page(starter_site, "/lessons/shuadan-fanli/university/")
    for english in ("Permanent link", "Made with", "Material for MkDocs</a>"):
        assert english not in lesson, english
    assert 'title="永久链接"' in lesson
    assert "知识竞赛题" in html_text(article(lesson)) and "知识问答" not in html_text(article(lesson))
