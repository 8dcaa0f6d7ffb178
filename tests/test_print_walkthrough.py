"""The print side of the usability walkthrough: what teachers and parents get on paper.

Author markup is the same in every output, placeholder addresses are refused, the quiz key is a
document of its own, citation marks stay apart, drill scripts and handouts use their pages, and
print pages and the 404 page ask for nothing that is not there.
"""

from __future__ import annotations

import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import FIXTURE, ROOT, html_text, mkdocs_build, page, run_cli
from pypdf import PdfReader

from generator.source import markup
from generator.source.loading import ProjectPaths
from generator.stationdata import load

LESSON = "lessons/demo/qiuzhu-dianhua.yml"
MM = 72 / 25.4  # PDF points per millimetre


def edit_yaml(project: Path, rel: str, change) -> None:
    path = project / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns("site", "pdf"))
    return target


# --------------------------------------------------------------------------- 1. author markup


@pytest.mark.parametrize("text, what", [
    ("这是*斜体*", "斜体"), ("看`代码`", "反引号"), ("点[这里](https://a.cn/)", "链接"), ("<b>粗</b>", "HTML"),
    ("# 标题", "标题"), ("~~删掉~~", "删除线"), ("_强调_ 一下", "下划线"), ("**没关上", "星号"),
    ("![图](a.png)", "图片"),
])
def test_markup_other_than_strong_is_named(text: str, what: str) -> None:
    found = markup.problems(text)
    assert found and what in found[0], (text, found)


@pytest.mark.parametrize("text", ["朋友想伤害自己，**不替他保密**。", "公共场所“____止吸烟”", "拨打 110[^h96110]。",
                                  "- 第一点\n- 第二点", "1. 先报警"])
def test_what_authors_write_is_accepted(text: str) -> None:
    assert markup.problems(text) == []


def test_validate_refuses_other_markup_with_file_line_and_field(copy: Path) -> None:
    path = copy / LESSON
    text = path.read_text(encoding="utf-8").replace("  - 接到 96110 来电请接听。[^h96110]",
                                                    "  - 接到 96110 来电*请接听*。[^h96110]")
    text = text.replace("points: [报警打 110, 96110 来电要接听]", "points: [报警打 110, '[96110](https://x.cn) 来电要接听']")
    path.write_text(text, encoding="utf-8")
    result = run_cli("-C", str(copy), "validate")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"{LESSON}:6:") and "key_messages[0]" in line and "斜体" in line and "**加粗**" in line
               for line in lines), result.stdout
    assert any("variants.primary-upper.handout.points[1]" in line and "链接" in line for line in lines), result.stdout


def test_a_title_carries_no_strong(copy: Path) -> None:
    path = copy / LESSON
    path.write_text(path.read_text(encoding="utf-8").replace("title: 记住求助电话", "title: 记住**求助**电话"), "utf-8")
    result = run_cli("-C", str(copy), "validate")
    assert result.returncode == 1 and f"{LESSON}:1:" in result.stdout and "title" in result.stdout, result.stdout


def test_the_starter_library_uses_only_strong() -> None:
    load(ProjectPaths.at(ROOT))  # raises on any problem, markup included


def _strong_fixture(copy: Path) -> None:
    def change(data: dict) -> None:
        data["key_messages"] = ["接到 96110 来电**一定要接听**。[^h96110]"]
        data["variants"]["primary-upper"]["handout"]["points"] = ["报警打 **110**", "96110 来电要接听"]
        data["variants"]["primary-upper"]["quiz"][0]["explanation"] = "**110** 是报警电话"

    edit_yaml(copy, LESSON, change)


def test_strong_is_strong_on_the_page_the_print_page_and_the_pdf(copy: Path, tmp_path: Path) -> None:
    _strong_fixture(copy)
    site = mkdocs_build(copy, tmp_path / "site")
    lesson = page(site, "/lessons/qiuzhu-dianhua/primary-upper/")
    handout = page(site, "/lessons/qiuzhu-dianhua/primary-upper/handout/")
    key = page(site, "/lessons/qiuzhu-dianhua/primary-upper/quiz-key/")
    for html in (lesson, handout):
        assert "<strong>一定要接听</strong>" in html and "<strong>110</strong>" in html
    assert "<strong>110</strong> 是报警电话" in key
    for html in (lesson, handout, key):
        assert "**" not in html_text(html)
    result = run_cli("-C", str(copy), "pdf", "--out", str(tmp_path / "pdf"), "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("handout", "runsheet", "quiz-key"):
        reader = PdfReader(tmp_path / "pdf" / f"qiuzhu-dianhua/primary-upper/{name}.pdf")
        text = "".join(p.extract_text() for p in reader.pages)
        assert "*" not in text, (name, text)
    exported = tmp_path / "export"
    assert run_cli("-C", str(copy), "export", str(exported)).returncode == 0
    markdown = (exported / "docs/lessons/qiuzhu-dianhua/primary-upper.md").read_text(encoding="utf-8")
    assert "<strong>一定要接听</strong>" in markdown


# --------------------------------------------------------------------------- 2. placeholder site_url


def _site_url(project: Path, url: str) -> None:
    config = project / "mkdocs.yml"
    text = re.sub(r"^site_url: .*$", f"site_url: {url}", config.read_text(encoding="utf-8"), flags=re.M)
    config.write_text(text, encoding="utf-8")


def test_a_placeholder_site_url_fails_the_strict_build(copy: Path, tmp_path: Path, caplog) -> None:
    from mkdocs.exceptions import Abort

    _site_url(copy, "https://example.org/huxiao/")
    with pytest.raises(Abort):
        mkdocs_build(copy, tmp_path / "strict")
    assert any("site_url 是占位地址" in r.getMessage() and "HUXIAO_SITE_URL" in r.getMessage() for r in caplog.records)
    mkdocs_build(copy, tmp_path / "lenient", strict=False)  # only a warning without --strict


def test_site_url_from_the_environment_as_ci_sets_it(copy: Path, tmp_path: Path, monkeypatch) -> None:
    _site_url(copy, "!ENV [HUXIAO_SITE_URL, 'https://example.org/huxiao/']")
    monkeypatch.setenv("HUXIAO_SITE_URL", "https://anquan-ceshi.gitlab.io/huxiao/")
    site = mkdocs_build(copy, tmp_path / "site")  # strict: no warning
    assert 'data-qr="https://anquan-ceshi.gitlab.io/huxiao/lessons/qiuzhu-dianhua/primary-upper/"' in \
        page(site, "/lessons/qiuzhu-dianhua/primary-upper/handout/")
    from generator.site.siteurl import from_config

    assert from_config(copy / "mkdocs.yml") == "https://anquan-ceshi.gitlab.io/huxiao/"
    monkeypatch.delenv("HUXIAO_SITE_URL")
    assert from_config(copy / "mkdocs.yml") == "https://example.org/huxiao/"


def test_huxiao_pdf_refuses_a_placeholder_site_url_and_drafts_without_a_qr_code(copy: Path, tmp_path: Path) -> None:
    _site_url(copy, "https://example.org/huxiao/")
    school = sorted(p.stem for p in (copy / "schools").glob("*.yml") if not p.stem.startswith("_"))[0]
    result = run_cli("-C", str(copy), "pdf", "--school", school, "--out", str(tmp_path / "pdf"), "-q")
    assert result.returncode == 1
    assert "site_url 是占位地址" in result.stderr and "example.org" in result.stderr
    assert "HUXIAO_SITE_URL=" in result.stderr and "--draft" in result.stderr
    assert not (tmp_path / "pdf").exists()  # nothing written
    assert run_cli("-C", str(copy), "pdf", "-q").returncode == 1 and not (copy / "pdf").exists()
    # A draft shows the layout: a marked box where the QR code will be, in its own folder.
    draft = run_cli("-C", str(copy), "pdf", "--school", school, "--draft", "-q")
    assert draft.returncode == 0, draft.stdout + draft.stderr
    pack = copy / "pdf-draft" / "schools" / f"{school}.pdf"
    text = re.sub(r"\s+", "", "".join(pdf_pages(pack)))
    assert "样稿" in text and "此处不印二维码" in text and "扫码查看完整课程" not in text
    assert not (copy / "pdf").exists()


# --------------------------------------------------------------------------- 4. quiz and key apart


def pdf_pages(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(path.read_bytes())).pages]


def test_student_sheet_and_answer_key_are_separate_documents(rendered: Path, fixture_site: Path) -> None:
    from generator.site.paths import PRINT_DOCS, print_docs

    curriculum = load(ProjectPaths.at(FIXTURE))
    assert print_docs(curriculum.curriculum.lessons["qiuzhu-dianhua"].model, "primary-upper")[:4] == \
        ["handout", "runsheet", "quiz", "quiz-key"]
    assert PRINT_DOCS["quiz"] == "知识竞赛题（学生版）" and PRINT_DOCS["quiz-key"] == "知识竞赛题答案（教师版）"
    sheet = "".join(pdf_pages(rendered / "qiuzhu-dianhua/primary-upper/quiz.pdf"))
    key = "".join(pdf_pages(rendered / "qiuzhu-dianhua/primary-upper/quiz-key.pdf"))
    assert "报警电话是多少" in sheet and "110 是报警电话" not in sheet and "答案" not in sheet
    assert "110 是报警电话" in key and "96110 是反诈专线" in key and "教师版" in key
    lesson = page(fixture_site, "/lessons/qiuzhu-dianhua/primary-upper/")
    assert 'href="quiz/">知识竞赛题（学生版）</a>' in lesson and 'href="quiz-key/">知识竞赛题答案（教师版）</a>' in lesson
    assert "答案" not in html_text(page(fixture_site, "/lessons/qiuzhu-dianhua/primary-upper/quiz/"))


# --------------------------------------------------------------------------- 5. citation marks


def test_adjacent_citation_marks_stay_apart() -> None:
    from generator.site.render import _html_block_paras

    html = str(_html_block_paras("有据可查[^a][^b]。", {"a": 3, "b": 4}))
    assert html_text(html) == "有据可查[3][4]。", html


def test_citation_marks_on_the_lesson_page_are_bracketed(fixture_site: Path) -> None:
    lesson = page(fixture_site, "/lessons/qiuzhu-dianhua/primary-upper/")
    assert '<sup class="hx-cite"><a href="#src-h96110">[1]</a></sup>' in lesson


# --------------------------------------------------------------------------- 6. drill scripts


def _fill_per_page(path: Path) -> list[float]:
    """How far down each page its text reaches, as a share of the page's height."""
    fills = []
    for pdf_page in PdfReader(io.BytesIO(path.read_bytes())).pages:
        height = float(pdf_page.mediabox.height)
        lowest = [height]

        def visit(text, cm, tm, font, size, lowest=lowest, height=height):
            if text.strip():
                lowest[0] = min(lowest[0], (cm[5] if tm is None else tm[5] * cm[3] + cm[5]))

        pdf_page.extract_text(visitor_text=visit)
        fills.append((height - lowest[0]) / height)
    return fills


@pytest.fixture(scope="module")
def starter_drills(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from generator.printing import pdf

    curriculum = load(ProjectPaths.at(ROOT))
    wanted = ("huozai-shusan/junior-high/drill.pdf", "baoli-qinhai-fengxiao/junior-high/drill.pdf",
              "dizhen-shusan/kindergarten/drill.pdf")
    jobs = [job for job in pdf.lesson_jobs(curriculum, "https://huxiao-ceshi.github.io/huxiao/") if job.name in wanted]
    out = tmp_path_factory.mktemp("drills")
    results = pdf.render_all(jobs, out, workers=1, progress=False, force=True)
    assert not [p for r in results for p in r.problems]
    return {name: out / name for name in wanted}


def test_drill_scripts_leave_no_page_nearly_empty(starter_drills: dict[str, Path]) -> None:
    for name, path in starter_drills.items():
        fills = _fill_per_page(path)
        assert len(fills) <= 2, (name, fills)
        assert all(fill >= 0.5 for fill in fills[:-1]) and fills[-1] >= 0.15, (name, fills)


def test_short_labels_in_narrow_columns_do_not_break(starter_drills: dict[str, Path]) -> None:
    curriculum = load(ProjectPaths.at(ROOT))
    for name, path in starter_drills.items():
        lines = [re.sub(r"\s+", "", line) for text in pdf_pages(path) for line in text.splitlines()]
        drill = curriculum.curriculum.lessons[name.split("/")[0]].model.drill
        assert drill is not None
        # A label broken inside its cell comes back as two lines ("时" and "间…").
        labels = ["时间谁做什么", "检查项是否问题与整改"] + [step.who for step in drill.steps if len(step.who) <= 4]
        for label in labels:
            assert any(label in line for line in lines), (name, label, lines[:30])


# --------------------------------------------------------------------------- 7. the handout uses its page


def test_a_short_handout_is_set_to_use_its_page(rendered: Path) -> None:
    path = rendered / "qiuzhu-dianhua/primary-upper/handout.pdf"
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert len(reader.pages) == 1
    assert abs(float(reader.pages[0].mediabox.width) - 210 * MM) < 1  # A4
    fill = _fill_per_page(path)[0]
    # The fixture's handout is two points long: 47% of the page in the base size.
    assert fill >= 0.55, f"the handout uses only {fill:.0%} of its page"


# --------------------------------------------------------------------------- 8. favicon and 404


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.refs.append((tag, dict(attrs).get("rel") or "", value))


def test_print_pages_ask_for_nothing_missing(fixture_site: Path) -> None:
    pages = sorted(fixture_site.glob("lessons/*/*/*/index.html"))
    assert pages
    for path in pages:
        parser = _Refs()
        parser.feed(path.read_text(encoding="utf-8"))
        assert any(rel == "icon" for _, rel, _ in parser.refs), f"{path}: no icon: the browser asks for /favicon.ico"
        base = "http://site/" + path.relative_to(fixture_site).as_posix()
        for _, _, ref in parser.refs:
            target = urlsplit(urljoin(base, ref))
            if target.netloc != "site" or ref.startswith("#"):
                continue
            local = fixture_site / target.path.lstrip("/")
            local = local / "index.html" if target.path.endswith("/") else local
            assert local.is_file(), f"{path.relative_to(fixture_site)} refers to {ref}, which is not in the site"


def test_404_page_has_no_absolute_site_paths(fixture_site: Path) -> None:
    html = (fixture_site / "404.html").read_text(encoding="utf-8")
    # Links are relative to <base>, which names site_url's path until its script moves it.
    assert not re.search(r'<(?!base\b)[a-z]+[^>]*\s(?:href|src)="/test/', html)
    assert '<base href="/test/">' in html and "huxiao/print.css" in html


# --------------------------------------------------------------------------- names for the reader


@pytest.mark.parametrize("audience, handout, quiz, key, not_for", [
    ("parents", "家长须知", "家长自测题", "讲解人用，请勿发给家长", "学生"),
    ("staff", "培训讲义", "培训考核题", "考核人用，请勿发给参训人员", "学生"),
])
def test_parents_and_staff_sheets_are_named_for_their_reader(audience: str, handout: str, quiz: str, key: str,
                                                             not_for: str) -> None:
    from generator.site.pages import PageBuilder
    from generator.site.paths import doc_name

    curriculum = load(ProjectPaths.at(ROOT))
    tiers = [t for t in curriculum.curriculum.tiers.values() if t.audience == audience]
    found = [(e, t.id) for e in curriculum.curriculum.lessons.values() for t in tiers
             if t.id in e.model.tiers and e.model.variants[t.id].quiz]
    assert found, audience
    builder = PageBuilder(curriculum)
    for entry, tier in found:
        sheet = html_text(builder.print_html(entry, tier, "handout"))
        questions = html_text(builder.print_html(entry, tier, "quiz"))
        answers = html_text(builder.print_html(entry, tier, "quiz-key"))
        assert handout in sheet and "学生讲义" not in sheet, entry.id
        assert quiz in questions and "知识竞赛题" not in questions and "班级＿＿＿＿　姓名" not in questions, entry.id
        assert key in answers and "教师版" not in answers, entry.id
    assert doc_name("handout", audience) == handout and doc_name("runsheet", audience) == "讲师讲稿"
    assert doc_name("handout", "pupils") == "学生讲义"
