"""Print documents to PDF with WeasyPrint, checked so that nothing is lost on paper.

Each document is rendered from the same Markdown as its print page on the site, with the same
print stylesheet. After rendering: a handout must fit on one A4 page (an overflow is reported
with how far it runs over), every character of the source text must be in the PDF's text (a
glyph no font has becomes an error, not a blank box), and every font must be embedded.
Unchanged documents are skipped: a manifest in the output folder keeps each one's hash.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import html
import json
import math
import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..site.pages import PageBuilder
from ..site.paths import assessment_pdf_name, doc_name, pdf_name, print_docs, report_pdf_name
from ..source.messages import tr
from ..stationdata import StationData
from . import sources

if TYPE_CHECKING:
    from weasyprint import CSS, Document

PRINT_CSS = Path(__file__).parents[1] / "theme" / "huxiao" / "print.css"
MANIFEST = ".huxiao-pdf.json"
A4_CONTENT_HEIGHT_MM = 297 - 2 * 12  # the @page margins in print.css


class PdfUnavailable(Exception):
    pass


@dataclass(frozen=True)
class PrintJob:
    name: str  # output path relative to the output folder, e.g. shuadan-fanli/university/handout.pdf
    label: str  # lesson and tier, for messages
    html: str
    one_page: bool
    # What the document was made from (see sources.py): a build links the PDF only while it matches.
    source: str = ""

    @property
    def digest(self) -> str:
        return hashlib.sha256((self.html + _css() + _engine_version()).encode()).hexdigest()


@dataclass
class Rendered:
    name: str
    pages: int = 0
    size: int = 0
    skipped: bool = False
    problems: list[str] = field(default_factory=list)


def _css() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


def _engine_version() -> str:
    try:
        import weasyprint
    except ImportError as error:
        raise PdfUnavailable("PDF output needs WeasyPrint: pip install 'huxiao[pdf]'") from error
    return weasyprint.__version__


def lesson_jobs(data: StationData, site_url: str | None, draft: bool = False) -> list[PrintJob]:
    builder = PageBuilder(data, site_url, qr_inline=True, draft=draft)
    css = _css()
    made_from = sources.lesson_sources(data, site_url)
    jobs = []
    for entry in data.curriculum.lessons.values():
        for tier in entry.model.tiers:
            for doc in print_docs(entry.model, tier):
                name = pdf_name(entry.id, tier, doc)
                jobs.append(PrintJob(name, f"{entry.id}（{tier}）{doc_name(doc, data.curriculum.tiers[tier].audience)}",
                                     builder.print_html(entry, tier, doc, css_inline=css), doc in ("handout", "letter"),
                                     sources.DRAFT if draft else made_from[name]))
    return jobs


def report_jobs(data: StationData, site_url: str | None) -> list[PrintJob]:
    """The term report of every term, as the station prints and files it."""
    return [report_job(data, term, site_url) for term in data.started_terms()]


def report_job(data: StationData, term: str, site_url: str | None, internal: bool = False,
               name: str | None = None) -> PrintJob:
    """One term's report (public unless `internal`), to `name` or its place in the PDF folder."""
    builder = PageBuilder(data, site_url, qr_inline=True)
    return PrintJob(name or report_pdf_name(term), tr("print.term_report", term=term),
                    builder.term_report_print(term, css_inline=_css(), internal=internal), False,
                    "" if internal else sources.report_source(builder, term))


def assessment_jobs(data: StationData) -> list[PrintJob]:
    """Every officer's 考核 sheet for the current school year: internal, never in the site's pdf/."""
    current = data.current_term()
    if data.rules is None or current is None:
        return []
    builder = PageBuilder(data)
    css = _css()
    return [PrintJob(assessment_pdf_name(sheet.id), f"考核表 {sheet.name}", builder.officer_sheet_print(sheet, css), False)
            for sheet in builder.officer_sheets(current.id).values()]


def school_pack_job(data: StationData, school_id: str, site_url: str | None, draft: bool = False) -> PrintJob:
    """One PDF: a cover naming the school, the handout of every lesson recommended for it, then
    every letter to parents signed for the school."""
    builder = PageBuilder(data, site_url, qr_inline=True, draft=draft)
    view = data.schools[school_id]
    # Each letter in the type step it fills its own page with, as a letter printed alone.
    steps = []
    for index in range(len(builder.school_letters(view))):
        alone = fill_page(PrintJob("letter.pdf", "", builder.school_letter_html(view, index, _css()), True))
        found = re.search(r'class="hx-doc hx-letter (hx-fill-\d)', alone.html)
        steps.append(found.group(1) if found else "")
    html_text = builder.school_pack_html(view, css_inline=_css(), letter_steps=steps)
    return PrintJob(f"schools/{school_id}.pdf", tr("print.school_pack", school=school_id), html_text, False)


# --------------------------------------------------------------------------- rendering and checks


def render_job(job: PrintJob, out: Path) -> Rendered:
    """Render one document and check it; writes the PDF only when every check passes."""
    result = Rendered(job.name)
    if job.name.endswith(("/handout.pdf", "/letter.pdf")):
        job, document = _filled(job)
    else:
        document = _layout(job.html)
    result.pages = len(document.pages)
    if job.one_page and result.pages > 1:
        result.problems.append(tr("print.overflow", label=job.label, mm=_overflow_mm(job.html), pages=result.pages))
    data = document.write_pdf()
    result.problems += check_pdf(data, _visible_text(job.html), job.label)
    if not result.problems:
        target = out / job.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        result.size = len(data)
    # A layout leaves thousands of its objects in reference cycles. Left to the collector's own
    # schedule they pile up to a render process of 680 MB; freed after each document it stays
    # near 380 MB, for 3% more time (the library is frozen, so a pass walks only this document).
    del document
    gc.collect()
    return result


# A handout with room to spare is set larger, in steps, while it still fits: the page is used, the
# type is easier to read from the back of a classroom. The steps are classes of print.css (largest
# first), tried here as the print page's huxiao/fit.js tries them in the browser.
FILL_STEPS = ("hx-fill-1", "hx-fill-2", "hx-fill-3", "hx-fill-4", "hx-fill-5")
FILL_SCALES = (15.9 / 11, 14.8 / 11, 13.7 / 11, 12.6 / 11, 11.8 / 11)  # the steps' type sizes, relative
FILL_TARGET_MM = A4_CONTENT_HEIGHT_MM - 6  # a margin for the line-breaking of the real page
FILLED = re.compile(r'class="hx-doc hx-(?:handout|letter)')  # the one-page sheets set as large as fits


def fill_page(job: PrintJob) -> PrintJob:
    """The handout (or letter) set in the largest type step that still fits its page (as it is if none does)."""
    return _filled(job)[0]


def _filled(job: PrintJob) -> tuple[PrintJob, Document]:
    """fill_page's handout with its A4 layout, the one measured (so it is not laid out again to print).

    A larger step is never shorter, so the search starts at the step the base height suggests
    (text grows about with the square of its size, boxes and the QR code less) and walks from there:
    the same step as trying each from the largest, in two or three layouts instead of five."""
    base = _layout(job.html)
    base_mm = _one_page_mm(base)
    if base_mm > FILL_TARGET_MM:
        return job, base
    chosen = job, base  # the search ends on the last step found to fit: only its layout is kept

    def fits(step: int) -> bool:  # each step is tried once
        nonlocal chosen
        page_html = FILLED.sub(lambda found: f"{found.group(0)} {FILL_STEPS[step]}", job.html, count=1)
        document = _layout(page_html)
        if _one_page_mm(document) > FILL_TARGET_MM:
            return False
        chosen = PrintJob(job.name, job.label, page_html, job.one_page), document
        return True

    step = next((n for n, scale in enumerate(FILL_SCALES) if base_mm * scale ** 1.5 <= FILL_TARGET_MM),
                len(FILL_STEPS) - 1)
    if fits(step):
        while step > 0 and fits(step - 1):
            step -= 1
    else:
        any(fits(smaller) for smaller in range(step + 1, len(FILL_STEPS)))
    return chosen


def _overflow_mm(page_html: str) -> float:
    """How far the content runs past one A4 page: laid out on one very tall page and measured."""
    return max(_content_mm(page_html) - A4_CONTENT_HEIGHT_MM, 1.0)


def _content_mm(page_html: str) -> float:
    """The height of the content, laid out on one very tall page of A4's width."""
    return _first_page_mm(_layout(page_html, TALL_PAGE))


def _one_page_mm(document: Document) -> float:
    """The content's height measured on its A4 layout: while it fits one page nothing breaks (a
    handout or letter forces no break), so the layout is the tall page's box for box, and the
    height what _content_mm gives; on more pages, infinite."""
    return _first_page_mm(document) if len(document.pages) == 1 else math.inf


def _first_page_mm(document: Document) -> float:
    bottom = 0.0
    for box in document.pages[0]._page_box.descendants():
        # The page, html and body boxes fill the page: only what they hold counts.
        if getattr(box, "element_tag", None) in (None, "html", "body"):
            continue
        if hasattr(box, "position_y") and hasattr(box, "margin_height"):
            bottom = max(bottom, box.position_y + box.margin_height())
    return bottom * 25.4 / 96 - 12


# !important: print.css sets @page to A4; this outranks it whether print.css comes inline (the author's) or given (the user's: _layout).
TALL_PAGE = "@page { size: 210mm 3000mm !important; margin: 12mm 14mm !important; }"


def _layout(page_html: str, *extra_css: str) -> Document:
    """The document laid out by WeasyPrint, with print.css parsed once per process, not at every layout.

    The job's HTML carries print.css inline (its digest and the site's print pages need it whole);
    here that <style> is taken out and the stylesheet given already parsed. WeasyPrint applies a
    given stylesheet as the user's, not the author's, which decides nothing for print.css: it has
    no ID selectors (a style attribute outranks it either way), its one !important is for the
    site's print bar, and the SVGs it sizes carry no width or height of their own (segno's
    omitsize, pygal's explicit_size=False: such sizes count as the author's, and would then
    outrank it). tests/test_print_layout.py lays every kind of document out both ways."""
    from weasyprint import HTML

    css = _css()
    inline = f"<style>{css}</style>"
    sheets = [_parsed_css(text) for text in extra_css]
    if inline in page_html:
        page_html = page_html.replace(inline, "", 1)
        sheets.insert(0, _parsed_css(css))
    return HTML(string=page_html).render(stylesheets=sheets)


@functools.lru_cache(maxsize=4)
def _parsed_css(text: str) -> CSS:
    from weasyprint import CSS

    return CSS(string=text)


def _visible_text(page_html: str) -> str:
    body = re.split(r"<body[^>]*>", page_html, maxsplit=1)[1]
    body = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def check_pdf(data: bytes, source_text: str, label: str) -> list[str]:
    """Every character of the source is in the PDF's text, and every font is embedded."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    present = set(text)
    covered = _cjk_font_coverage()
    # Characters drawn with one shared glyph ("•" and "·") come back from the PDF as either.
    same_glyph = _glyph_twins()
    missing = sorted({ch for ch in source_text if not ch.isspace() and ch not in present
                      and not same_glyph.get(ch, set()) & present})
    problems = []
    outside = sorted({ch for ch in source_text if not ch.isspace() and covered and ord(ch) not in covered})
    if outside:
        codes = ", ".join(f"{ch!r} U+{ord(ch):04X}" for ch in outside[:10])
        problems.append(tr("print.not_in_font", label=label, count=len(outside), font=CJK_FAMILY, codes=codes))
    elif missing:
        shown = "".join(missing[:20])
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in missing[:5])
        problems.append(tr("print.not_rendered", label=label, count=len(missing), shown=repr(shown), codes=codes))
    for name in sorted(_unembedded_fonts(reader)):
        problems.append(tr("print.not_embedded", label=label, font=name))
    return problems


CJK_FAMILY = "Noto Sans CJK SC"


@functools.lru_cache(maxsize=1)
def _cjk_cmap() -> dict[int, str]:
    """Code point → glyph name of the handouts' font, read from the file fontconfig resolves
    (empty when fontconfig is not there to ask)."""
    try:
        match = subprocess.run(["fc-match", "-f", "%{file}|%{index}", CJK_FAMILY], capture_output=True, text=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {}
    path, _, index = match.partition("|")
    if not path or "CJK" not in path:
        raise PdfUnavailable(tr("print.no_font", font=CJK_FAMILY))
    from fontTools.ttLib import TTCollection, TTFont

    # A .ttc holds the JP, KR, SC, TC… faces; their cmaps differ, so read the face fontconfig chose.
    font = TTCollection(path).fonts[int(index or 0)] if path.endswith(".ttc") else TTFont(path)
    return font.getBestCmap()


@functools.lru_cache(maxsize=1)
def _cjk_font_coverage() -> frozenset[int]:
    return frozenset(_cjk_cmap())


@functools.lru_cache(maxsize=1)
def _glyph_twins() -> dict[str, set[str]]:
    """For each character, the other characters the font draws with the same glyph."""
    by_glyph: dict[str, set[str]] = {}
    for code, glyph in _cjk_cmap().items():
        by_glyph.setdefault(glyph, set()).add(chr(code))
    return {ch: group - {ch} for group in by_glyph.values() if len(group) > 1 for ch in group}


def embedded_fonts(data: bytes) -> set[str]:
    import io

    from pypdf import PdfReader

    return {name for name, _ in _fonts(PdfReader(io.BytesIO(data)))}


def _fonts(reader) -> Iterator[tuple[str, bool]]:  # noqa: ANN001
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            yield str(font.get("/BaseFont", "?")).split("+", 1)[-1], embedded


def _unembedded_fonts(reader) -> set[str]:  # noqa: ANN001
    return {name for name, embedded in _fonts(reader) if not embedded}


# --------------------------------------------------------------------------- the whole run


def _render_in_worker(args: tuple[PrintJob, str]) -> Rendered:
    job, out = args
    return render_job(job, Path(out))


def render_all(jobs: Iterable[PrintJob], out: Path, workers: int | None = None, progress: bool = True,
               force: bool = False) -> list[Rendered]:
    """Render every job not already rendered from the same source, on all cores."""
    _engine_version()
    out.mkdir(parents=True, exist_ok=True)
    manifest, made_from = read_manifest(out)
    jobs = list(jobs)
    todo, results = [], []
    for job in jobs:
        if not force and manifest.get(job.name) == job.digest and (out / job.name).is_file():
            results.append(Rendered(job.name, skipped=True))
        else:
            todo.append(job)
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    bar = _progress(len(todo), progress)
    done: Iterator[Rendered]
    if workers == 1:
        done = (render_job(job, out) for job in todo)
    else:
        pool = ProcessPoolExecutor(workers)
        done = pool.map(_render_in_worker, [(job, str(out)) for job in todo], chunksize=2)
    digests = {job.name: job.digest for job in todo}
    try:
        for result in done:
            results.append(result)
            if not result.problems:
                manifest[result.name] = digests[result.name]
            bar.update(1)
        made = {r.name for r in results if not r.problems}
        for job in jobs:
            if job.name in made and job.source:
                made_from[job.name] = job.source
            elif job.name not in made:
                made_from.pop(job.name, None)  # the PDF there, if any, is an older one
    finally:
        bar.close()
        if workers > 1:
            pool.shutdown()
        (out / MANIFEST).write_text(json.dumps({"pdfs": manifest, "sources": made_from}, indent=0, sort_keys=True),
                                    encoding="utf-8")
    return results


def read_manifest(out: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Each PDF's hash (to skip what is unchanged) and its source digest (see sources.py). A
    manifest of an older Huxiao has no sources: its PDFs count as made from other data."""
    path = out / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if "pdfs" not in data:
        return data, {}
    return data["pdfs"], data.get("sources", {})


def _progress(total: int, enabled: bool):  # noqa: ANN202
    try:
        from tqdm import tqdm
    except ImportError:
        enabled = False
    if not enabled:
        class _Silent:
            def update(self, _n: int) -> None: ...
            def close(self) -> None: ...
        return _Silent()
    # A bar format of our own: tqdm's default speaks English ("pdf/s").
    return tqdm(total=total, desc="PDF", dynamic_ncols=True, bar_format=tr("print.progress"))
