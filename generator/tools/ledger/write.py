"""`huxiao ledger --term …`: the term's records as an Excel workbook, a sheet per kind of record.

Each sheet has a title row, the header row and a totals row (合计, Excel formulas over the data and
the spare rows below it, so rows a person adds are counted), all three frozen, then one row per
record. Dates and times are real Excel values. Dropdowns (school ids, lesson ids, tiers, the
fixed choices) read their lists from a hidden sheet that also names the term, so the workbook can
be read back (`read.py`). With no records, or asked for, the same workbook comes out empty: the
template a station fills in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ...records import TermBook
from ...source.records import SchoolRecord
from ...stationdata import StationData
from .layout import FIRST_ROW, HEADER_ROW, META_SHEET, SPARE_ROWS, TITLE_ROW, TOTAL_LABEL, TOTAL_ROW, Column, Sheet, dig, sheets_for, to_cell

DATE_FORMAT, TIME_FORMAT = "yyyy-mm-dd", "hh:mm:ss"
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
SHOWN_FILL = PatternFill("solid", fgColor="F7F7F7")
# An empty sheet gets ruled blank rows: printed, the template is also a paper form to fill in by hand.
BLANK_ROWS = 20
FONT = "Noto Sans CJK SC"


@dataclass
class Row:
    """One record (or one problem or headcount under a drill or inspection) as a row's data."""

    school: str
    data: dict[str, Any]
    shown: dict[str, Any] = field(default_factory=dict)


def write(c: StationData, term_id: str, out: Path, internal: bool, template: bool = False) -> dict[str, int]:
    """Write the workbook; the number of rows of each sheet."""
    book = c.terms[term_id]
    wb = Workbook()
    wb.remove(wb.active)
    counts: dict[str, int] = {}
    lists = _lists(c, book, internal)
    for sheet in sheets_for(internal):
        rows = [] if template else list(rows_of(c, book, sheet))
        _sheet(wb.create_sheet(sheet.title), sheet, rows, book, internal, lists)
        counts[sheet.title] = len(rows)
    _meta(wb, term_id, internal, lists)
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = out.with_name(f".{out.name}.tmp")
    wb.save(scratch)
    scratch.replace(out)
    return counts


def rows_of(c: StationData, book: TermBook, sheet: Sheet) -> Iterator[Row]:
    """The sheet's rows, by date and then school."""
    rows: list[tuple[dt.date, str, Row]] = []
    for school_id in sorted(book.schools):
        record = book.schools[school_id].model
        for day, row in _school_rows(c, school_id, record, sheet):
            rows.append((day, school_id, row))
    rows.sort(key=lambda r: (r[0], r[1]))
    return (row for _, _, row in rows)


def _school_rows(c: StationData, school_id: str, record: SchoolRecord, sheet: Sheet) -> Iterator[tuple[dt.date, Row]]:
    view = c.schools[school_id]
    name = {"school_name": view.school.name}
    if sheet.kind == "fixes":
        for kind in ("drills", "inspections"):
            for parent in getattr(record, kind):
                fixes = parent.problems if kind == "drills" else parent.findings
                key = {"kind": kind, "date": parent.date, "lesson": getattr(parent, "lesson", None)}
                for fix in fixes:
                    yield parent.date, Row(school_id, {**fix.model_dump(), "parent": key, "school": school_id}, name)
        return
    if sheet.kind == "headcount":
        for drill in record.drills:
            key = {"kind": "drills", "date": drill.date, "lesson": drill.lesson}
            for count in drill.headcount:
                yield drill.date, Row(school_id, {**count.model_dump(), "parent": key, "school": school_id}, name)
        return
    points = {p.id: p.name for p in view.school.patrol_points}
    for item in getattr(record, sheet.kind):
        shown: dict[str, Any] = dict(name)
        lesson = getattr(item, "lesson", None)
        if lesson in c.curriculum.lessons:
            shown["lesson_title"] = c.curriculum.lessons[lesson].model.title
        if sheet.kind == "duty":
            shown["point_name"] = points.get(item.point)
        if sheet.kind == "drills":
            shown["problem_count"] = len(item.problems)
        if sheet.kind == "inspections":
            shown["finding_count"] = len(item.findings)
            shown["fixed_count"] = sum(1 for f in item.findings if f.fixed is not None)
        day = item.start if sheet.kind == "duty" else item.date
        yield day, Row(school_id, {**item.model_dump(), "school": school_id}, shown)


def _lists(c: StationData, book: TermBook, internal: bool) -> dict[str, list[Any]]:
    """The dropdowns' lists. Patrol point ids only in the internal ledger, like the duty sheet."""
    lessons = sorted(c.curriculum.lessons)
    lists: dict[str, list[Any]] = {
        "学校编号": sorted(c.schools),
        "课程编号": [x for x in lessons if c.curriculum.lessons[x].model.kind != "drill"],
        "演练编号": [x for x in lessons if c.curriculum.lessons[x].model.kind == "drill"],
        "学段编号": list(c.curriculum.tiers),
    }
    if internal:
        lists["岗点编号"] = sorted({p.id for v in c.schools.values() for p in v.school.patrol_points})
    for sheet in sheets_for(internal):
        for column in sheet.visible(internal):
            if column.choices and column.options:
                lists[column.options] = [label for label, _ in column.choices]
    return lists


def _sheet(ws: Worksheet, sheet: Sheet, rows: list[Row], book: TermBook, internal: bool,
           lists: dict[str, list[Any]]) -> None:
    columns = sheet.visible(internal)
    last_col = get_column_letter(len(columns))
    audience = "内部资料，不得公开" if internal else "公开版"
    ws.cell(TITLE_ROW, 1, f"{book.term.name}　{sheet.title}台账（{audience}）").font = Font(name=FONT, bold=True, size=14)
    ws.merge_cells(f"A{TITLE_ROW}:{last_col}{TITLE_ROW}")
    ws.row_dimensions[HEADER_ROW].height = 32
    last_row = FIRST_ROW + len(rows) + SPARE_ROWS - 1
    for n, column in enumerate(columns, start=1):
        letter = get_column_letter(n)
        ws.column_dimensions[letter].width = column.width
        if column.kind in ("date", "time"):  # rows a person adds show their dates and times the same way
            ws.column_dimensions[letter].number_format = DATE_FORMAT if column.kind == "date" else TIME_FORMAT
        head = ws.cell(HEADER_ROW, n, column.header)
        head.font, head.fill, head.border = Font(name=FONT, bold=True), HEAD_FILL, BOX
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        total = ws.cell(TOTAL_ROW, n, _total(column, columns, letter, last_row))
        total.font, total.fill, total.border = Font(name=FONT, bold=True), TOTAL_FILL, BOX
        style = None
        for r, row in enumerate(rows or [None] * BLANK_ROWS, start=FIRST_ROW):
            cell = ws.cell(r, n, _value(column, row) if row is not None else None)
            if style is None:
                _style(cell, column)
                style = cell._style
            else:
                # Copying the first cell's style indexes is what keeps a city's 65,000 rows at seconds:
                # setting font, border and alignment objects on each cell hashes them every time.
                cell._style = copy(style)
        _validation(ws, column, letter, last_row, book, lists)
    for r in range(FIRST_ROW, FIRST_ROW + (0 if rows else BLANK_ROWS)):
        ws.row_dimensions[r].height = 24  # room to write by hand
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)
    ws.print_title_rows = f"{HEADER_ROW - 1}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A{TITLE_ROW}:{last_col}{FIRST_ROW + (len(rows) or BLANK_ROWS) - 1}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _style(cell: Cell, column: Column) -> None:
    cell.font, cell.border = Font(name=FONT, color="666666" if column.show else None), BOX
    if column.show:  # shown for reading, ignored on import: grey, so no one fills it in for nothing
        cell.fill = SHOWN_FILL
    cell.alignment = Alignment(vertical="top", wrap_text=column.kind in ("text", "lines"))
    if column.kind == "date":
        cell.number_format = DATE_FORMAT
    elif column.kind == "time":
        cell.number_format = TIME_FORMAT


def _value(column: Column, row: Row) -> Any:
    if column.show is not None:
        return row.shown.get(column.show)
    assert column.field is not None
    return to_cell(column, dig(row.data, column.field))


def _total(column: Column, columns: tuple[Column, ...], letter: str, last_row: int) -> Any:
    if column is columns[0]:
        return TOTAL_LABEL
    span = f"{letter}{FIRST_ROW}:{letter}{last_row}"
    if column.total == "sum":
        return f"=SUM({span})"
    if column.total == "per_day":
        days = get_column_letter(next(n for n, c in enumerate(columns, start=1) if c.field == "days"))
        return f"=SUMPRODUCT({days}{FIRST_ROW}:{days}{last_row},{span})"
    return None


def _validation(ws: Worksheet, column: Column, letter: str, last_row: int, book: TermBook,
                lists: dict[str, list[Any]]) -> None:
    """A dropdown where the column has a list, a date check inside the term: Excel warns, import decides."""
    cells = f"{letter}{FIRST_ROW}:{letter}{last_row}"
    rule = None
    if column.options in lists:
        names = list(lists)
        col = get_column_letter(names.index(column.options) + 4)
        source = f"{quote_sheetname(META_SHEET)}!${col}$2:${col}${len(lists[column.options]) + 1}"
        rule = DataValidation(type="list", formula1=source, allow_blank=True)
    elif column.kind == "date" and column.field in ("date", "start"):
        first, last = book.term.first_day, book.term.last_day
        rule = DataValidation(type="date", operator="between", allow_blank=True,
                              formula1=f"DATE({first.year},{first.month},{first.day})",
                              formula2=f"DATE({last.year},{last.month},{last.day})")
        rule.error = f"日期应在本学期之内（{first} 至 {last}）"
    if rule is None:
        return
    rule.errorStyle = "warning"
    rule.showErrorMessage = True
    rule.errorTitle = column.header
    ws.add_data_validation(rule)
    rule.add(cells)


def _meta(wb: Workbook, term_id: str, internal: bool, lists: dict[str, list[Any]]) -> None:
    """The hidden sheet: which term and audience the workbook is, and the dropdowns' lists."""
    ws = wb.create_sheet(META_SHEET)
    ws.append(["学期", term_id])
    ws.append(["版本", "internal" if internal else "public"])
    ws.append(["说明", "huxiao ledger 生成；导入时读取本页的学期编号，请勿修改"])
    for n, (name, values) in enumerate(lists.items(), start=4):
        ws.cell(1, n, name)
        for r, value in enumerate(values, start=2):
            ws.cell(r, n, value)
    ws.sheet_state = "hidden"
