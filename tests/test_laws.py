"""Laws as data: a lesson cannot say more than the stored law text, and the migration kept every value."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE, ROOT, article, html_text, page, run_cli

from generator.laws import article_label, mismatch
from generator.tools.migrate_sources import article_number

LESSON = Path("lessons/demo/qiuzhu-dianhua.yml")
QUOTE = "「任何单位和个人不得非法买卖、出租、出借电话卡…银行账户、支付账户、互联网账号等」[^fzf-31]"
FIELD = "variants.university.activities[0].description"
BEFORE = ROOT / "tests" / "fixtures" / "sources-before-laws.json"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns("site", ".cache"))
    return target


def _edit(project: Path, old: str, new: str, path: Path = LESSON) -> int:
    """Replace `old` by `new` in a file of the copy; the 1-based line where it was."""
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _refused(project: Path, line: int, where: str, words: str) -> None:
    result = run_cli("-C", str(project), "validate")
    assert result.returncode == 1, result.stdout
    expected = [row for row in result.stdout.splitlines()
                if row.startswith(f"{LESSON.as_posix()}:{line}:") and f": {where}: " in row and words in row]
    assert expected, result.stdout


def _description_line(project: Path) -> int:
    text = (project / LESSON).read_text(encoding="utf-8")
    return text[: text.index(QUOTE)].count("\n") + 1


def test_the_fixture_and_the_starter_validate() -> None:
    for project in (FIXTURE, ROOT):
        result = run_cli("-C", str(project), "validate")
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_quotation_one_character_off_is_refused(copy: Path) -> None:
    line = _description_line(copy)
    _edit(copy, "不得非法买卖", "不得违法买卖")
    _refused(copy, line, FIELD, "与《中华人民共和国反电信网络诈骗法》第三十一条（31）的存档原文不一致（从“违法买卖")


def test_a_citation_of_an_article_not_stored_is_refused(copy: Path) -> None:
    line = _edit(copy, 'article: "31"', 'article: "32"')
    _refused(copy, line, "sources[1].article", "没有存第三十二条（article: 32；laws/fanzha.yml 已存：25、31）")


def test_a_citation_of_a_superseded_version_is_refused(copy: Path) -> None:
    old = (copy / "laws" / "fanzha.yml").read_text(encoding="utf-8")
    (copy / "laws" / "fanzha-draft.yml").write_text(old + "superseded_by: fanzha\n", encoding="utf-8")
    line = _edit(copy, "law: fanzha\n    article: \"25\"", "law: fanzha-draft\n    article: \"25\"")
    _refused(copy, line, "sources[2].law", "已被 fanzha 取代，请改为引用 law: fanzha")


def test_a_quotation_of_a_second_hand_article_is_refused(copy: Path) -> None:
    line = _description_line(copy)
    _edit(copy, "也不能为诈骗提供个人信息[^fzf-25]", "「不得为他人提供个人信息」[^fzf-25]")
    _refused(copy, line, FIELD, "第二十五条（25）只见过转述（second-hand），不能加「」照录")


def test_an_unknown_law_is_refused_with_a_suggestion(copy: Path) -> None:
    line = _edit(copy, "law: fanzha\n    article: \"31\"", "law: fanzhaa\n    article: \"31\"")
    _refused(copy, line, "sources[1].law", "laws/ 中没有法规“fanzhaa”；是不是“fanzha”？")


def test_a_quotation_tied_to_no_law_citation_is_refused(copy: Path) -> None:
    line = _description_line(copy)
    _edit(copy, QUOTE, QUOTE.removesuffix("[^fzf-31]") + "，")
    _refused(copy, line, FIELD, "「」只用来照录法条")


def test_a_broken_law_file_is_reported_with_its_line_and_field(copy: Path) -> None:
    _edit(copy, "confidence: second-hand\n    about", "confidence: verified\n    about", Path("laws/fanzha.yml"))
    result = run_cli("-C", str(copy), "validate")
    assert result.returncode == 1
    assert any(row.startswith("laws/fanzha.yml:") and "articles[0]" in row and "verified 的条款要有 text" in row
               for row in result.stdout.splitlines()), result.stdout


def test_quotations_match_verbatim_parts_in_order() -> None:
    stored = "任何单位和个人不得非法买卖、出租、出借电话卡、物联网卡。…不得提供实名核验帮助。"
    assert mismatch("不得非法买卖、出租", stored) is None
    assert mismatch("任何单位…物联网卡", stored) is None
    assert mismatch("不得非法买卖、出卖", stored) == "卖"  # where it stops matching
    assert mismatch("物联网卡…任何单位", stored) == "任何单位"  # out of order
    assert mismatch("物联网卡。不得提供", stored) is not None  # across an omission in the stored text
    assert mismatch("……", stored) == "……"


def test_article_ids_read_as_chinese_citations() -> None:
    assert [article_label(a) for a in ("31", "55(3)", "287之二", "130", "101", "6.4.11")] == [
        "第三十一条", "第五十五条第三项", "第二百八十七条之二", "第一百三十条", "第一百零一条", "6.4.11"]
    assert [article_number(d) for d in ("2021年版；第三十九条：…", "第一百三十条", "第二百八十七条之二", "第十条", "2012年")] == [
        "39", "130", "287之二", "10", None]


def test_law_pages_list_the_lessons_citing_each_article(fixture_site: Path) -> None:
    listing = article(page(fixture_site, "laws/"))
    assert "《中华人民共和国反电信网络诈骗法》" in listing and 'href="fanzha/"' in listing
    law = article(page(fixture_site, "laws/fanzha/"))
    stored = yaml.safe_load((FIXTURE / "laws" / "fanzha.yml").read_text(encoding="utf-8"))
    assert stored["articles"][1]["text"] in law
    section = law[law.index('id="art-31"'):]
    assert 'href="../../lessons/qiuzhu-dianhua/"' in section and "记住求助电话" in section
    lesson = page(fixture_site, "lessons/qiuzhu-dianhua/university/")
    assert 'href="../../../laws/fanzha/#art-31"' in lesson
    # The source gives only law: and article:; what a reader needs comes from the law file.
    item = lesson[lesson.index('<li id="src-fzf-31">'):]
    item = html_text(item[: item.index("</li>")])
    assert item == "全国人民代表大会常务委员会：《中华人民共和国反电信网络诈骗法》（主席令第一一九号），2022-12-01，第三十一条"


def _without_law_lines(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.strip().startswith(("law:", "article:")))


def test_migration_adds_two_lines_and_nothing_else_and_can_run_again(copy: Path) -> None:
    lesson = copy / LESSON
    migrated = lesson.read_text(encoding="utf-8")
    old_style = _without_law_lines(migrated).replace(
        "  - id: fzf-31\n", "  - id: fzf-31\n    title: 《反电信网络诈骗法》\n    detail: 第三十一条\n"
                            "    issuer: 全国人民代表大会常务委员会\n    date: 2022-12-01\n    confidence: verified\n").replace(
        "  - id: fzf-25\n", "  - {id: fzf-25, title: 《中华人民共和国反电信网络诈骗法》, detail: 第二十五条, issuer: 全国人大常委会, "
                            "date: 2022-12-01, confidence: verified}\n")
    lesson.write_text(old_style, encoding="utf-8")
    dry = run_cli("-C", str(copy), "migrate-sources", "--dry-run")
    assert dry.returncode == 0 and "fzf-31 → law: fanzha，article: 31" in dry.stdout, dry.stdout
    assert lesson.read_text(encoding="utf-8") == old_style
    assert run_cli("-C", str(copy), "migrate-sources").returncode == 0
    new = lesson.read_text(encoding="utf-8")
    assert _without_law_lines(new).replace(', law: fanzha, article: "25"', "", 1) == old_style
    sources = {s["id"]: s for s in yaml.safe_load(new)["sources"]}
    assert sources["fzf-31"]["law"] == "fanzha" and sources["fzf-31"]["article"] == "31"
    assert sources["fzf-31"]["detail"] == "第三十一条" and sources["fzf-31"]["issuer"] == "全国人民代表大会常务委员会"
    assert sources["fzf-25"] == {"id": "fzf-25", "law": "fanzha", "article": "25", "title": "《中华人民共和国反电信网络诈骗法》",
                                 "detail": "第二十五条", "issuer": "全国人大常委会", "date": dt.date(2022, 12, 1),
                                 "confidence": "verified"}
    assert run_cli("-C", str(copy), "validate").returncode == 0
    again = run_cli("-C", str(copy), "migrate-sources")
    assert "0 条来源" in again.stdout and lesson.read_text(encoding="utf-8") == new


def test_a_half_migrated_source_gets_its_article(copy: Path) -> None:
    lesson = copy / LESSON
    _edit(copy, '    law: fanzha\n    article: "31"\n', "    law: fanzha\n    detail: 第三十一条\n")
    assert run_cli("-C", str(copy), "migrate-sources").returncode == 0
    text = lesson.read_text(encoding="utf-8")
    assert '    law: fanzha\n    article: "31"\n    detail: 第三十一条\n' in text


def test_every_source_kept_every_value_through_the_migration() -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    laws = {p.stem for p in (ROOT / "laws").glob("*.yml")}
    cited = 0
    for lesson_id, sources in before.items():
        path = next((ROOT / "lessons").rglob(f"{lesson_id}.yml"))
        now = {s["id"]: s for s in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]}
        for old in sources:
            assert old["id"] in now, (lesson_id, old["id"])
            new = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in now[old["id"]].items()}
            for key, value in old.items():
                if key == "detail":  # a detail may grow as a lesson is reviewed, never lose what it said
                    assert str(new.get(key, "")).startswith(value), (lesson_id, old["id"], key)
                else:
                    assert new.get(key) == value, (lesson_id, old["id"], key)
            if "《" in old["title"] and any(law in new.get("law", "") for law in laws):
                cited += 1
    assert cited >= 40
