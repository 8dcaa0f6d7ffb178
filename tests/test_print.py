"""Print kit: real PDFs rendered with WeasyPrint and read back; print pages on a real site."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE, ROOT, mkdocs_build, page, run_cli, with_fixture_pdfs
from pypdf import PdfReader

LESSON = "lessons/demo/qiuzhu-dianhua.yml"


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return len(reader.pages), "\n".join(p.extract_text() or "" for p in reader.pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_print_document_is_rendered(rendered: Path) -> None:
    names = sorted(p.relative_to(rendered).as_posix() for p in rendered.rglob("*.pdf"))
    assert names == [
        "chonwu-anquan/kindergarten/drill.pdf", "chonwu-anquan/kindergarten/handout.pdf",
        "chonwu-anquan/kindergarten/quiz-key.pdf", "chonwu-anquan/kindergarten/quiz.pdf",
        "chonwu-anquan/kindergarten/runsheet.pdf",
        "qiuzhu-dianhua/primary-upper/handout.pdf", "qiuzhu-dianhua/primary-upper/quiz-key.pdf",
        "qiuzhu-dianhua/primary-upper/quiz.pdf",
        "qiuzhu-dianhua/primary-upper/runsheet.pdf", "qiuzhu-dianhua/university/handout.pdf",
        "qiuzhu-dianhua/university/quiz-key.pdf", "qiuzhu-dianhua/university/quiz.pdf",
        "qiuzhu-dianhua/university/runsheet.pdf",
        "reports/2025-autumn.pdf", "reports/2026-spring.pdf",
    ]


def test_handout_is_one_page_with_title_and_key_messages(rendered: Path) -> None:
    lesson = yaml.safe_load((FIXTURE / LESSON).read_text(encoding="utf-8"))
    pages, text = pdf_text(rendered / "qiuzhu-dianhua/primary-upper/handout.pdf")
    assert pages == 1
    assert squash(lesson["title"]) in squash(text)
    for message in lesson["key_messages"]:
        assert squash(re.sub(r"\[\^[a-z0-9-]+\]", "", message)) in squash(text)
    assert "110" in text
    # No answers on the pupils' handout.
    assert "110 是报警电话" not in text


def test_fonts_are_embedded_and_one_cjk_family(rendered: Path) -> None:
    from generator.printing.pdf import embedded_fonts

    reader = PdfReader(io.BytesIO((rendered / "qiuzhu-dianhua/primary-upper/handout.pdf").read_bytes()))
    for pdf_page in reader.pages:
        for ref in pdf_page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() \
                if "/DescendantFonts" in font else font["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())
    fonts = embedded_fonts((rendered / "qiuzhu-dianhua/primary-upper/handout.pdf").read_bytes())
    assert fonts and all(name.startswith("Noto-Sans-CJK") for name in fonts), fonts


def test_run_sheet_start_times_add_up(rendered: Path) -> None:
    lesson = yaml.safe_load((FIXTURE / LESSON).read_text(encoding="utf-8"))
    activities = lesson["variants"]["primary-upper"]["activities"]
    _, text = pdf_text(rendered / "qiuzhu-dianhua/primary-upper/runsheet.pdf")
    clock = 0
    for activity in activities:
        start, end = f"{clock // 60}:{clock % 60:02d}", f"{(clock + activity['minutes']) // 60}:{(clock + activity['minutes']) % 60:02d}"
        assert re.search(rf"{start}\s*{end}\s*{activity['title']}", text), (start, end, activity["title"], text[:500])
        assert squash(activity["speaker_notes"]) in squash(text)
        clock += activity["minutes"]
    assert clock <= lesson["variants"]["primary-upper"]["minutes"]


def test_quiz_sheet_and_its_answer_key_are_two_documents(rendered: Path) -> None:
    _, sheet = pdf_text(rendered / "qiuzhu-dianhua/primary-upper/quiz.pdf")
    _, key = pdf_text(rendered / "qiuzhu-dianhua/primary-upper/quiz-key.pdf")
    assert "报警电话是多少" in sheet and "答案" not in sheet
    assert "答案" in key and "110 是报警电话" in key


def test_drill_script_has_role_cards_and_after_action_form(rendered: Path) -> None:
    _, text = pdf_text(rendered / "chonwu-anquan/kindergarten/drill.pdf")
    for words in ("角色卡", "总指挥", "清点人数", "演练后检查表", "记录用时", "实测用时", "150"):
        assert words in text


def test_unchanged_documents_are_skipped(rendered: Path) -> None:
    result = run_cli("-C", str(FIXTURE), "pdf", "--out", str(rendered), "-q")
    assert result.returncode == 0
    assert "已生成 0 个 PDF，15 个未变" in result.stdout


def test_school_pack_has_cover_and_every_recommended_handout(tmp_path: Path) -> None:
    result = run_cli("-C", str(FIXTURE), "pdf", "--out", str(tmp_path), "--school", "ceshi-primary", "-q")
    assert result.returncode == 0, result.stdout
    pages, text = pdf_text(tmp_path / "schools/ceshi-primary.pdf")
    # Cover + the one lesson for 小学4–6年级 (none for 小学1–3年级 in the fixture).
    assert pages == 2
    assert "测试小学（虚构）" in text and "记住求助电话" in text


def _with_lesson(tmp_path: Path, change) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    data = yaml.safe_load((root / LESSON).read_text(encoding="utf-8"))
    change(data)
    (root / LESSON).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def test_overlong_handout_is_reported_with_its_overflow(tmp_path: Path) -> None:
    def lengthen(data: dict) -> None:
        data["variants"]["primary-upper"]["handout"]["points"] = ["遇到陌生来电先核实身份，不转账、不透露验证码。" * 6] * 12

    root = _with_lesson(tmp_path, lengthen)
    result = run_cli("-C", str(root), "validate", "--print")
    assert result.returncode == 1
    line = next(out for out in result.stdout.splitlines() if "一页 A4 放不下" in out)
    assert "qiuzhu-dianhua（primary-upper）学生讲义" in line
    assert re.search(r"超出 \d+ 毫米", line)
    pdf = run_cli("-C", str(root), "pdf", "--out", str(tmp_path / "out"), "-q")
    assert pdf.returncode == 1
    assert not (tmp_path / "out/qiuzhu-dianhua/primary-upper/handout.pdf").exists()


def test_character_outside_every_font_is_reported(tmp_path: Path) -> None:
    def add_unknown_glyph(data: dict) -> None:
        data["variants"]["primary-upper"]["handout"]["points"].append("特殊符号\U0010FFFD")

    root = _with_lesson(tmp_path, add_unknown_glyph)
    result = run_cli("-C", str(root), "validate", "--print")
    assert result.returncode == 1
    assert "U+10FFFD" in result.stdout and "不在字体 Noto Sans CJK SC 中" in result.stdout


def test_text_missing_from_the_pdf_is_reported(rendered: Path) -> None:
    """The second line of defence: source text that the PDF's text layer does not hold."""
    from generator.printing.pdf import check_pdf

    data = (rendered / "qiuzhu-dianhua/primary-upper/handout.pdf").read_bytes()
    assert check_pdf(data, "记住求助电话", "x") == []
    problems = check_pdf(data, "记住求助电话龘", "x")
    assert problems and "没有印出来" in problems[0] and "U+9F98" in problems[0]


def test_print_pages_are_on_the_site_with_the_print_stylesheet(fixture_site: Path) -> None:
    html = page(fixture_site, "/lessons/qiuzhu-dianhua/primary-upper/handout/")
    assert "huxiao/print.css" in html and (fixture_site / "huxiao" / "print.css").is_file()
    assert "window.print()" in html and "打印" in html
    # The QR code to the lesson page, drawn by the browser from the site's own script.
    assert 'data-qr="https://huxiao-ceshi.github.io/test/lessons/qiuzhu-dianhua/primary-upper/"' in html
    assert (fixture_site / "huxiao/vendor/qrcode-generator-2.0.4.js").is_file()
    # A print page stands alone: no site navigation, header or search.
    assert "md-sidebar" not in html and "md-header" not in html and "md-search" not in html
    css = (fixture_site / "huxiao" / "print.css").read_text(encoding="utf-8")
    assert "size: A4" in css and "break-inside: avoid" in css and "@media print" in css
    lesson = page(fixture_site, "/lessons/qiuzhu-dianhua/primary-upper/")
    for doc in ("handout", "runsheet", "quiz", "quiz-key"):
        assert f'href="{doc}/"' in lesson


def test_site_links_lesson_pages_to_their_pdfs(tmp_path: Path, rendered: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    with_fixture_pdfs(root, rendered)  # as `huxiao pdf` writes them
    site = mkdocs_build(root, tmp_path / "site")
    lesson = page(site, "/lessons/qiuzhu-dianhua/primary-upper/")
    assert "../../../pdf/qiuzhu-dianhua/primary-upper/handout.pdf" in lesson
    assert (site / "pdf/qiuzhu-dianhua/primary-upper/handout.pdf").is_file()
    # The print page's PDF and its way back are two controls, not one line read as one link.
    bar = page(site, "/lessons/qiuzhu-dianhua/primary-upper/handout/").split('class="hx-print-bar"')[1].split("</nav>")[0]
    links = re.findall(r'<a class="([^"]+)" href="([^"]+)"[^>]*>([^<]+)</a>', bar)
    assert [(kind, text) for kind, _, text in links] == [("hx-print-pdf", "下载 PDF 文件"), ("hx-print-back", "← 返回课程页")]
    assert links[0][1].endswith("handout.pdf") and links[1][1] == "../"


def test_a_pdf_made_from_other_data_than_its_page_is_left_out(tmp_path: Path, caplog, rendered: Path) -> None:
    """A record changed after `huxiao pdf`: the build does not link or copy the report PDF made
    from the old records, and says how many and what to run; after `huxiao pdf` it does again."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("site", "pdf"))
    with_fixture_pdfs(root, rendered)  # as `huxiao pdf` writes them
    report_pdf = "pdf/reports/2026-spring.pdf"
    record = root / "records/2026-spring/ceshi-primary.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("audience: 280", "audience: 281", 1), encoding="utf-8")
    caplog.clear()
    site = mkdocs_build(root, tmp_path / "stale", strict=False)
    warned = [r.getMessage() for r in caplog.records if "huxiao pdf" in r.getMessage()]
    assert len(warned) == 1 and "1 个 PDF" in warned[0], warned
    assert "reports/2026-spring.pdf" not in page(site, "/reports/2026-spring/")
    assert not (site / report_pdf).exists()
    # What the change did not touch is still made from the same data, and still linked.
    assert (site / "pdf/reports/2025-autumn.pdf").is_file()
    assert "pdf/reports/2025-autumn.pdf" in page(site, "/reports/2025-autumn/")
    assert (site / "pdf/qiuzhu-dianhua/primary-upper/handout.pdf").is_file()
    again = run_cli("-C", str(root), "pdf", "-q")
    assert again.returncode == 0 and "已生成 1 个 PDF" in again.stdout, again.stdout
    caplog.clear()
    site = mkdocs_build(root, tmp_path / "fresh")  # strict: no warning
    assert "pdf/reports/2026-spring.pdf" in page(site, "/reports/2026-spring/")
    assert (site / report_pdf).is_file()
    # An edited lesson leaves its own PDFs out, the same way.
    lesson = root / "lessons/demo/qiuzhu-dianhua.yml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("测试用课程", "测试课程", 1), encoding="utf-8")
    caplog.clear()
    site = mkdocs_build(root, tmp_path / "lesson", strict=False)
    assert not (site / "pdf/qiuzhu-dianhua/primary-upper/handout.pdf").exists()
    assert "handout.pdf" not in page(site, "/lessons/qiuzhu-dianhua/primary-upper/")


def test_characters_sharing_a_glyph_are_not_reported_missing(tmp_path: Path) -> None:
    """Noto Sans CJK draws "•" and "·" with one glyph, and the PDF's text gives back only one of them."""
    def add_both_dots(data: dict) -> None:
        data["variants"]["primary-upper"]["handout"]["points"].append("三件事 · 一起记 • 不慌张")

    root = _with_lesson(tmp_path, add_both_dots)
    result = run_cli("-C", str(root), "validate", "--print")
    assert result.returncode == 0, result.stdout


def test_print_helper_reports_what_went_wrong(tmp_path: Path) -> None:
    """The plugin fails the build with this message when the helper writing print documents fails."""
    from generator.source.loading import ProjectPaths
    from generator.speed import printjob

    empty = tmp_path / "not-a-project"
    empty.mkdir()
    helper = printjob.start(ProjectPaths.at(empty), tmp_path / "site", None, frozenset())
    failure = printjob.finish(helper)
    assert failure is not None and "taxonomy" in failure
    assert not (tmp_path / "site").exists()


def test_print_helper_writes_every_print_document(tmp_path: Path) -> None:
    from generator.site.assemble import print_documents
    from generator.source.loading import ProjectPaths
    from generator.speed import printjob
    from generator.stationdata import load

    helper = printjob.start(ProjectPaths.at(FIXTURE), tmp_path / "site", "https://example.org/", frozenset())
    assert printjob.finish(helper) is None
    expected = dict(print_documents(load(ProjectPaths.at(FIXTURE)), "https://example.org/"))
    written = {p.relative_to(tmp_path / "site").as_posix(): p.read_text(encoding="utf-8")
               for p in (tmp_path / "site").rglob("*.html")}
    assert written == expected and len(written) > 5


def test_term_report_pdf_carries_its_figures_and_chart(rendered: Path) -> None:
    pages, text = pdf_text(rendered / "reports/2026-spring.pdf")
    assert pages >= 1
    assert "2026年春季学期" in squash(text) and "情况综述" in text
    # The chart is drawn as vectors with its labels as text, not left out.
    assert "讲座场次" in squash(text)


def test_parent_letter_prints_with_its_receipt_on_one_a4_sheet(tmp_path: Path) -> None:
    from generator.printing import pdf
    from generator.source.loading import ProjectPaths
    from generator.stationdata import load

    curriculum = load(ProjectPaths.at(ROOT))
    letters = [job for job in pdf.lesson_jobs(curriculum, "https://example.org/") if job.name.endswith("/letter.pdf")]
    assert len(letters) >= 4  # 寒假, 暑假, 五一, 国庆
    results = pdf.render_all(letters, tmp_path, workers=1, progress=False, force=True)
    assert all(not r.problems for r in results), [r.problems for r in results]
    for job in letters:
        pages, text = pdf_text(tmp_path / job.name)
        assert pages == 1, job.name
        assert "回执" in squash(text) and "家长签名" in squash(text), job.name
        # Back before the holiday, with a phone number; the generic letter leaves who sends it blank.
        lesson_id, tier = job.name.split("/")[:2]
        letter = curriculum.curriculum.lessons[lesson_id].model.variants[tier].letter
        assert letter is not None
        if "假" in letter.title or "节" in letter.title:  # a holiday letter comes back before the holiday
            assert letter.return_by == "放假前", job.name
        assert f"请于{letter.return_by}交回班主任" in squash(text) and "家长电话" in text and "开学后" not in text, job.name
        assert "＿派出所" in squash(text) and "＿年＿" in squash(text), job.name
        # Large type that uses the page, as a handout does (it used to stop at 60% in small type).
        filled = pdf.fill_page(job)
        assert "hx-fill-" in filled.html, job.name
        assert pdf._content_mm(filled.html) > 0.8 * pdf.A4_CONTENT_HEIGHT_MM, job.name


def test_school_pack_letters_name_the_school_station_officer_and_date() -> None:
    from conftest import html_text

    from generator.site.pages import PageBuilder
    from generator.source.loading import ProjectPaths
    from generator.stationdata import load

    curriculum = load(ProjectPaths.at(ROOT))
    view = next(v for v in curriculum.schools.values())
    school = view.school
    text = html_text(PageBuilder(curriculum).school_pack_html(view, css_inline=""))
    titles = [e.model.variants[t].letter.title for e in curriculum.curriculum.lessons.values() for t in e.model.tiers
              if e.model.variants[t].letter]
    assert titles and all(title in text for title in titles)
    today = curriculum.today
    signed = f"{school.station} {school.name}"  # html_text folds the ideographic space
    assert text.count(signed) == len(titles) and text.count(f"法治副校长 {school.liaison.name}") >= len(titles)
    assert text.count(f"{today.year}年{today.month}月{today.day}日") == len(titles)
    assert "＿派出所" not in squash(text) and "＿年＿" not in squash(text)
    # In the PDF each letter is set in the type step that fills its page, as a letter printed alone.
    from generator.printing import pdf

    job = pdf.school_pack_job(curriculum, view.id, None)
    assert len(re.findall(r'class="hx-doc hx-letter hx-fill-\d"', job.html)) == len(titles)


def test_every_starter_handout_and_letter_fits_one_a4_page() -> None:
    """What `huxiao validate --print` promises, for the library this project ships."""
    result = run_cli("-C", str(ROOT), "validate", "--print")
    assert result.returncode == 0, result.stdout[-3000:]


def test_rendering_a_document_frees_its_layout(tmp_path: Path) -> None:
    """A layout's boxes sit in reference cycles: render_job frees them after each document, so a
    process rendering a library does not grow by hundreds of MB between the collector's passes."""
    import gc

    from generator.printing import pdf
    from generator.source.loading import ProjectPaths
    from generator.stationdata import load

    job = next(j for j in pdf.lesson_jobs(load(ProjectPaths.at(FIXTURE)), None) if j.name.endswith("/handout.pdf"))
    gc.collect()
    assert not pdf.render_job(job, tmp_path).problems
    assert gc.collect() < 50  # left to the collector's schedule: 700 to 5,000 objects a document


def test_overflow_is_measured_not_guessed() -> None:
    """The message says how far a handout runs over, so an author knows how much to cut."""
    from generator.printing import pdf
    from generator.source.loading import ProjectPaths
    from generator.stationdata import load

    curriculum = load(ProjectPaths.at(FIXTURE))
    job = next(j for j in pdf.lesson_jobs(curriculum, None) if j.name == "qiuzhu-dianhua/primary-upper/handout.pdf")
    marker = '<div class="hx-box"><h2>这样做</h2>'

    def padded(lines: int) -> str:
        return job.html.replace(marker, marker + "<p>很长的一段文字用来撑满页面。</p>" * lines, 1)

    small, large = pdf._overflow_mm(padded(30)), pdf._overflow_mm(padded(60))
    assert 5 < small < large and large - small > 50, (small, large)


# --------------------------------------------------------------------------- kindergarten pictures


def _fill_colours(svg: str) -> set[tuple[float, float, float]]:
    """The colours an SVG fills with, leaving out black, white and greys (text is drawn in those)."""
    found = set()
    for hex_colour in re.findall(r'fill="#([0-9a-fA-F]{6})"', svg):
        rgb = tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
        if max(rgb) - min(rgb) > 0.1:
            found.add(rgb)
    return found


def test_picture_set_is_vendored_with_its_licence() -> None:
    from typing import get_args

    from generator.site.render import PICTURE_DIR
    from generator.source.pictures import PICTURES, PictureName

    assert set(get_args(PictureName)) == set(PICTURES)
    assert {p.stem for p in PICTURE_DIR.glob("*.svg")} == set(PICTURES)
    assert "Attribution-ShareAlike 4.0" in (PICTURE_DIR / "LICENSE.txt").read_text(encoding="utf-8")
    assert "theme/huxiao/pictures/*" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name in PICTURES:
        svg = (PICTURE_DIR / f"{name}.svg").read_text(encoding="utf-8")
        assert "<script" not in svg and "href=\"http" not in svg and "<image" not in svg, name


def test_a_picture_is_named_from_the_set_and_its_line_is_short() -> None:
    from pydantic import ValidationError

    from generator.source.models import Handout

    with pytest.raises(ValidationError) as wrong:
        Handout(points=["过马路"], pictures=[{"picture": "unicorn", "line": "红灯停"}])
    assert "unicorn" in str(wrong.value)
    with pytest.raises(ValidationError):
        Handout(points=["过马路"], pictures=[{"picture": "car", "line": "很长" * 11}])
    assert Handout(points=["过马路"], pictures=[{"picture": "car", "line": "不在车前车后玩。"}]).pictures[0].picture == "car"


def test_every_kindergarten_handout_is_pictures_a_parent_reads_aloud(tmp_path: Path) -> None:
    from generator.printing import pdf
    from generator.site.render import PICTURE_DIR
    from generator.source.loading import ProjectPaths
    from generator.source.pictures import CREDIT
    from generator.stationdata import load

    curriculum = load(ProjectPaths.at(ROOT))
    kindergarten = [e for e in curriculum.curriculum.lessons.values() if "kindergarten" in e.model.tiers]
    assert len(kindergarten) >= 10
    assert all(e.model.variants["kindergarten"].handout.pictures for e in kindergarten), \
        [e.id for e in kindergarten if not e.model.variants["kindergarten"].handout.pictures]
    entry = curriculum.curriculum.lessons["guo-malu"]
    pictures = entry.model.variants["kindergarten"].handout.pictures
    job = next(j for j in pdf.lesson_jobs(curriculum, "https://example.org/") if j.name == "guo-malu/kindergarten/handout.pdf")
    results = pdf.render_all([job], tmp_path, workers=1, progress=False, force=True)
    assert not results[0].problems, results[0].problems
    pages, text = pdf_text(tmp_path / job.name)
    assert pages == 1
    for item in pictures:
        assert squash(item.line) in squash(text)
    assert squash(CREDIT) in squash(text) and "这样做" not in text  # the pictures take the place of the points
    # Each coloured picture is drawn: its own colours are among the page's fills (the ball is black and white).
    stream = PdfReader(io.BytesIO((tmp_path / job.name).read_bytes())).pages[0].get_contents().get_data().decode("latin-1")
    drawn = [tuple(float(v) for v in m.split()) for m in re.findall(r"([\d.]+ [\d.]+ [\d.]+) rg", stream)]
    coloured = [(item.picture, _fill_colours((PICTURE_DIR / f"{item.picture}.svg").read_text(encoding="utf-8")))
                for item in pictures]
    assert len([name for name, colours in coloured if colours]) >= 4
    for name, colours in coloured:
        assert not colours or any(all(abs(a - b) < 0.003 for a, b in zip(colour, fill, strict=True))
                                  for colour in colours for fill in drawn), name


def test_school_pack_letters_are_signed_with_the_station_settings() -> None:
    """The station's settings (schools/_station.yml) sign the letters of the schools it serves."""
    from conftest import html_text

    from generator.site.pages import PageBuilder
    from generator.source.loading import ProjectPaths
    from generator.source.station import Station
    from generator.stationdata import load

    curriculum = load(ProjectPaths.at(ROOT))
    view = next(v for v in curriculum.schools.values())
    curriculum.station = Station(unit=f"某市公安局{view.school.station}", short_name=view.school.station,
                                 parent="某市公安局", district="某街道", chief="某所长", contact="值班电话 000-1234567")
    text = html_text(PageBuilder(curriculum).school_pack_html(view, css_inline=""))
    assert f"某市公安局{view.school.station} {view.school.name}" in text and "值班电话 000-1234567" in text
    other = next(v for v in curriculum.schools.values() if v.school.station != view.school.station)
    text = html_text(PageBuilder(curriculum).school_pack_html(other, css_inline=""))
    assert f"{other.school.station} {other.school.name}" in text and "值班电话 000-1234567" not in text
