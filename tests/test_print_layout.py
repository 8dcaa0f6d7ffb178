"""The PDFs laid out with less work come out as before.

pdf.py lays each document out with print.css parsed once per process (given to WeasyPrint as a
stylesheet of the user's, in place of the inline <style> the job's HTML carries), and prints a
handout or letter from the A4 layout its type step was measured on. Each is compared here with
the plain way: the job's HTML as it is, the type step measured on a very tall page.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

from conftest import FIXTURE, ROOT
from pypdf import PdfReader
from weasyprint import CSS, HTML, Document

from generator.printing import pdf
from generator.source.loading import ProjectPaths
from generator.stationdata import load

SITE = "https://example.org/"


def plain_layout(page_html: str, *extra_css: str) -> Document:
    return HTML(string=page_html).render(stylesheets=[CSS(string=text) for text in extra_css])


def plain_content_mm(page_html: str) -> float:
    return pdf._first_page_mm(plain_layout(page_html, pdf.TALL_PAGE))


def pdf_pages_and_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() or "" for page in reader.pages)


def kind(job: pdf.PrintJob) -> str:
    folder, _, file = job.name.rpartition("/")
    return folder if folder in ("reports", "schools", "internal", "assessment") else file


def one_of_each_kind() -> list[pdf.PrintJob]:
    """Every kind of print document: the fixture project's, and its letter to parents and
    officer's 考核 sheet from the starter library (the fixture has neither)."""
    fixture, starter = load(ProjectPaths.at(FIXTURE)), load(ProjectPaths.at(ROOT))
    jobs = [*pdf.lesson_jobs(fixture, SITE), *pdf.report_jobs(fixture, SITE),
            *(pdf.school_pack_job(fixture, school, SITE) for school in fixture.schools),
            pdf.report_job(fixture, list(fixture.started_terms())[-1], SITE, internal=True, name="internal/report.pdf"),
            next(job for job in pdf.lesson_jobs(starter, SITE) if job.name.endswith("/letter.pdf")),
            pdf.assessment_jobs(starter)[0]]
    return list({kind(job): job for job in jobs}.values())


def test_every_kind_of_document_is_laid_out_as_with_its_inline_stylesheet() -> None:
    jobs = one_of_each_kind()
    assert sorted(kind(job) for job in jobs) == ["assessment", "drill.pdf", "handout.pdf", "internal", "letter.pdf",
                                                 "quiz-key.pdf", "quiz.pdf", "reports", "runsheet.pdf", "schools"]
    for job in jobs:
        page_html = pdf.fill_page(job).html if job.one_page else job.html
        assert page_html.count(f"<style>{pdf._css()}</style>") == 1, job.name  # the way being tested
        before, after = plain_layout(page_html).write_pdf(), pdf._layout(page_html).write_pdf()
        assert pdf_pages_and_text(after) == pdf_pages_and_text(before), job.name
        assert after == before, job.name
        assert pdf._content_mm(page_html) == plain_content_mm(page_html), job.name


def test_print_css_is_parsed_once_for_many_layouts() -> None:
    job = next(job for job in pdf.lesson_jobs(load(ProjectPaths.at(FIXTURE)), SITE) if job.name.endswith("/quiz.pdf"))
    pdf._layout(job.html)
    pdf._content_mm(job.html)
    parsed = pdf._parsed_css.cache_info()
    for _ in range(3):
        pdf._layout(job.html)
        pdf._content_mm(job.html)
    again = pdf._parsed_css.cache_info()
    assert again.misses == parsed.misses and again.hits == parsed.hits + 9  # print.css at each, the tall page too


def plain_fill_page(job: pdf.PrintJob) -> str:
    """The type step as fill_page defines it: the largest that fits, each measured on a tall page."""
    if plain_content_mm(job.html) > pdf.FILL_TARGET_MM:
        return job.html
    for step in pdf.FILL_STEPS:
        page_html = pdf.FILLED.sub(lambda found, step=step: f"{found.group(0)} {step}", job.html, count=1)
        if plain_content_mm(page_html) <= pdf.FILL_TARGET_MM:
            return page_html
    return job.html


def padded(job: pdf.PrintJob, lines: int) -> pdf.PrintJob:
    marker = '<div class="hx-box"><h2>这样做</h2>'
    assert marker in job.html
    return pdf.PrintJob(job.name, job.label, job.html.replace(marker, marker + "<p>很长的一段文字用来撑满页面。</p>" * lines, 1),
                        True)


def sheets_to_fill() -> list[pdf.PrintJob]:
    """The fixture's handouts, one of them lengthened into each smaller step and past them, and
    the starter's letters to parents."""
    fixture = pdf.lesson_jobs(load(ProjectPaths.at(FIXTURE)), SITE)
    handouts = [job for job in fixture if job.name.endswith("/handout.pdf")]
    primary = next(job for job in handouts if job.name == "qiuzhu-dianhua/primary-upper/handout.pdf")
    letters = [job for job in pdf.lesson_jobs(load(ProjectPaths.at(ROOT)), SITE) if job.name.endswith("/letter.pdf")]
    # With 10 more lines the search walks up from step 4 to 1; 12: to 3; 17: step 5 as first
    # guessed; 18: no step fits; 20: 272 mm, too long for any step but still on one A4 page.
    return [*handouts, *(padded(primary, lines) for lines in (10, 12, 17, 18, 20)), *letters]


def test_type_step_measured_on_a4_is_the_one_a_tall_page_gives() -> None:
    steps = []
    for job in sheets_to_fill():
        expected = plain_fill_page(job)
        filled, document = pdf._filled(job)  # render_job prints this layout
        assert filled.html == expected, job.name
        plain = plain_layout(expected)
        assert len(document.pages) == len(plain.pages) == 1, job.name
        assert document.write_pdf() == plain.write_pdf(), job.name
        steps.append(re.search(r'class="hx-doc hx-(?:handout|letter) ?([^"]*)"', expected).group(1))
    assert {"hx-fill-1", "hx-fill-2", "hx-fill-3", "hx-fill-4", "hx-fill-5", ""} <= set(steps), steps


def test_an_overlong_handout_is_printed_as_it_is_and_its_overflow_measured(tmp_path: Path) -> None:
    job = padded(next(job for job in pdf.lesson_jobs(load(ProjectPaths.at(FIXTURE)), SITE)
                      if job.name == "qiuzhu-dianhua/primary-upper/handout.pdf"), 24)
    filled, document = pdf._filled(job)
    assert filled == job and len(document.pages) == len(plain_layout(job.html).pages) == 2
    assert pdf._one_page_mm(document) == math.inf and plain_content_mm(job.html) > pdf.FILL_TARGET_MM
    result = pdf.render_job(job, tmp_path)
    assert result.pages == 2 and len(result.problems) == 1 and not (tmp_path / job.name).exists()
    assert f"{plain_content_mm(job.html) - pdf.A4_CONTENT_HEIGHT_MM:.0f}" in result.problems[0]
