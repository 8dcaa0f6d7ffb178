"""The term 工作总结 as a Word file a station edits in WPS or Word and sends up.

Laid out after GB/T 9704 (党政机关公文格式) as far as it suits a 工作总结: A4, margins 37/35/28/26 mm,
the title in 小标宋 22 pt, the body in 仿宋_GB2312 三号 (16 pt) on a 28.95 pt line (22 lines a page),
level-1 headings in 黑体, level-2 in 楷体, page numbers "— 1 —" in 宋体 四号 at the outer edge, and
the 落款 (unit and date) at the end. Every font is named for East Asian text too (w:eastAsia): WPS
takes a run's Chinese font from there, not from the Latin name.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..reports.writeup import Writeup

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
LINE = Pt(28.95)  # 22 lines on the type area of GB/T 9704
INDENT = Pt(32)  # two characters of 三号


def term_docx(w: Writeup, contact: str | None = None, signer: str | None = None) -> bytes:
    """The Word file's bytes. `signer` (签发人) only for the internal file: a named person."""
    doc = Document()
    _page(doc)
    _normal_style(doc)
    doc.core_properties.title = w.title
    doc.core_properties.author = w.unit
    doc.core_properties.comments = "由 huxiao report 从工作记录生成"
    if w.internal:
        _line(doc, "内部资料　注意保密", HEADING_FONT, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False)
        if signer:
            _line(doc, f"签发人：{signer}", SUBHEADING_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    title = _line(doc, w.title_lines[0], TITLE_FONT, size=Pt(22), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    title.runs[0].add_break()
    _run(title, w.title_lines[1], TITLE_FONT, Pt(22))
    title.paragraph_format.line_spacing = Pt(36)  # a 22 pt title needs more than the body's line
    title.paragraph_format.space_before = LINE
    title.paragraph_format.space_after = LINE
    for heading, section in zip(w.headings(), w.sections, strict=True):
        _line(doc, heading, HEADING_FONT).paragraph_format.keep_with_next = True  # never last on a page
        for sub, text in section.numbered():
            paragraph = _paragraph(doc)
            if sub is not None:
                _run(paragraph, f"{sub}。", SUBHEADING_FONT)
            _run(paragraph, text, BODY_FONT)
    # The 落款 (and the note under it) never stand on a page of their own: the last paragraph goes with them.
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _signoff(doc, w, keep_with_next=bool(contact))
    if contact:
        note = _line(doc, f"（联系电话：{contact}）", BODY_FONT, align=WD_ALIGN_PARAGRAPH.LEFT)
        note.paragraph_format.space_before = LINE
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page(doc) -> None:  # noqa: ANN001
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # the page number sits 7 mm below the type area
    # GB/T 9704: an odd page's number at the right, an even page's at the left, one character in
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """"— n —" with n a PAGE field, one character in from the outer edge."""
    paragraph.alignment = align
    side = "right_indent" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left_indent"
    setattr(paragraph.paragraph_format, side, Pt(14))
    _run(paragraph, "— ", PAGE_NUMBER_FONT, Pt(14))
    # A field as Word writes it: begin, instruction, separate, the last value shown, end, each in a run.
    for kind in ("begin", " PAGE ", "separate", "1", "end"):
        run = _run(paragraph, "", PAGE_NUMBER_FONT, Pt(14))
        if kind in ("begin", "separate", "end"):
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif kind == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = kind
            run._r.append(instruction)
        else:
            run.text = kind
    _run(paragraph, " —", PAGE_NUMBER_FONT, Pt(14))


def _normal_style(doc) -> None:  # noqa: ANN001
    style = doc.styles["Normal"]
    _fonts(style.element.get_or_add_rPr(), BODY_FONT)
    style.font.size = BODY_SIZE
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)


def _paragraph(doc, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True) -> Paragraph:  # noqa: ANN001
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = INDENT
    return paragraph


def _line(doc, text: str, font: str, size: Pt = BODY_SIZE, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,  # noqa: ANN001
          indent: bool = True) -> Paragraph:
    paragraph = _paragraph(doc, align, indent)
    _run(paragraph, text, font, size)
    return paragraph


def _run(paragraph: Paragraph, text: str, font: str, size: Pt = BODY_SIZE) -> Run:
    run = paragraph.add_run(text)
    run.font.size = size
    _fonts(run._r.get_or_add_rPr(), font)
    return run


def _fonts(rpr, east_asian: str) -> None:  # noqa: ANN001
    """Latin text in Times New Roman, Chinese in `east_asian`: both named, as WPS and Word read them."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(key), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _signoff(doc, w: Writeup, keep_with_next: bool) -> None:  # noqa: ANN001
    """落款: the unit, and the date under it, right-aligned four characters in (GB/T 9704 7.3.5)."""
    for n, text in enumerate((w.unit, w.date_text)):
        paragraph = _line(doc, text, BODY_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        paragraph.paragraph_format.right_indent = Pt(64)
        paragraph.paragraph_format.keep_with_next = n == 0 or keep_with_next
        if n == 0:
            paragraph.paragraph_format.space_before = Pt(2 * 28.95)
