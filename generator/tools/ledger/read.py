"""`huxiao ledger --import 台账.xlsx`: a filled workbook back into records/, adding only what is new.

Every row becomes a record item through the same models and cross-checks as `huxiao validate`;
a problem is told by sheet, row, column and field. A row whose slot (the same date and lesson,
post and band …) is already recorded is left alone: the YAML is never rewritten. Nothing is
written unless every row passes and every changed file reads back as its old record plus the new
items.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel, ValidationError

from ... import records as records_module
from ...source import yamlfile
from ...source.loading import Entry, validation_problem
from ...source.messages import pydantic_message, tr
from ...source.problems import Loc, field_path
from ...source.records import DrillRecord, Duty, Inspection, Lecture, SchoolRecord, Training
from ...stationdata import StationData
from . import append
from .layout import FIRST_ROW, HEADER_ROW, META_SHEET, SHEETS, SUB_LISTS, TOTAL_LABEL, Sheet, dig, from_cell, unknown_choice

MODELS: dict[str, type[BaseModel]] = {"lectures": Lecture, "drills": DrillRecord, "duty": Duty,
                                      "trainings": Training, "inspections": Inspection}


class Refused(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Cell:
    """Where a row is: its sheet, its row number and the column of each field in this workbook."""

    sheet: Sheet
    row: int
    columns: dict[str, int]


@dataclass
class Item:
    """One new record item read from a row, with the rows of its problems and headcount."""

    school: str
    kind: str
    data: dict[str, Any]
    origin: Cell
    subs: dict[tuple, Cell] = field(default_factory=dict)  # ("problems", 0) -> the row it came from
    model: Any = None


@dataclass
class Result:
    term: str
    writes: dict[Path, tuple[str, int]]  # file -> (its new text, items added)
    kept: int
    notices: list[str]


class Reader:
    def __init__(self, c: StationData, book_name: str) -> None:
        self.c, self.book_name = c, book_name
        self.found: list[tuple[int, int, str]] = []  # (sheet, row, message): told in the workbook's order
        self.notices: list[str] = []

    @property
    def problems(self) -> list[str]:
        return [message for _, _, message in sorted(self.found, key=lambda p: p[:2])]

    def add(self, message: str) -> None:
        """A problem not of one row (a missing column, a file that cannot take new items)."""
        self.found.append((len(SHEETS), 0, message))

    def where(self, cell: Cell, loc: Loc = (), message: str = "") -> str:
        column = _column(cell, loc)
        at = tr("ledger.at", book=self.book_name, sheet=cell.sheet.title, row=cell.row, column=get_column_letter(column))
        path = field_path(tuple(p for p in loc if not isinstance(p, int))) if loc else ""
        return f"{at}: " + (f"{path}: " if path else "") + message

    def refuse(self, cell: Cell, loc: Loc, message: str) -> None:
        self.found.append((SHEETS.index(cell.sheet), cell.row, self.where(cell, loc, message)))


def _column(cell: Cell, loc: Loc) -> int:
    """The column of the field at `loc`, or of the nearest field it is part of, else the school's."""
    names = [str(p) for p in loc if not isinstance(p, int)]
    while names:
        path = ".".join(names)
        match = cell.columns.get(path) or next((n for f, n in cell.columns.items() if f.startswith(path + ".")), None)
        if match:
            return match
        names.pop()
    return cell.columns.get("school", 1)


def open_book(path: Path) -> Workbook:
    """The workbook; BadBook when the file is missing or no .xlsx."""
    try:
        return load_workbook(path)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as error:
        raise BadBook(str(error)) from None


class BadBook(Exception):
    pass


def term_of(wb: Workbook) -> str | None:
    """The term the workbook was written for (its hidden sheet), if it says."""
    if META_SHEET not in wb.sheetnames:
        return None
    value = wb[META_SHEET]["B1"].value
    return str(value).strip() if value else None


def read(c: StationData, wb: Workbook, name: str, term_id: str, folder: Path, display: Any) -> Result:
    """The files to write for the workbook `name`; Refused with every problem found."""
    reader = Reader(c, name)
    book = c.terms[term_id]
    rows: dict[str, list[tuple[Cell, dict]]] = defaultdict(list)
    for sheet in SHEETS:
        if sheet.title in wb.sheetnames:
            rows[sheet.kind] = _rows(reader, wb[sheet.title], sheet)
    items, kept = _items(reader, book, rows)
    _attach(reader, book, items, rows)
    writes = _writes(reader, book, items, folder, display)
    if reader.found:
        raise Refused(reader.problems)
    return Result(term_id, writes, kept, reader.notices)


def _rows(reader: Reader, ws: Worksheet, sheet: Sheet) -> list[tuple[Cell, dict]]:
    """Each filled row of the sheet as (where it is, its data by dotted field)."""
    heads = {str(c.value).strip(): c.column for c in ws[HEADER_ROW] if c.value is not None}
    columns = {col.field: heads[col.header] for col in sheet.columns if col.field and col.header in heads}
    missing = [col for col in sheet.columns if col.field and not col.internal and col.header not in heads]
    if missing:
        for col in missing:
            reader.add(tr("ledger.missing_column", book=reader.book_name, sheet=sheet.title,
                                      header=col.header, row=HEADER_ROW))
        return []
    found = []
    for cells in ws.iter_rows(min_row=FIRST_ROW):
        values = {f: cells[n - 1].value if n <= len(cells) else None for f, n in columns.items()}
        first = cells[0].value if cells else None
        if isinstance(first, str) and first.strip().startswith(TOTAL_LABEL):
            continue
        data: dict[str, Any] = {}
        cell = Cell(sheet, cells[0].row, columns)
        refused = False
        for col in sheet.columns:
            if col.field not in values:
                continue
            if unknown_choice(col, values[col.field]):  # told once here, not again as a missing field
                labels = ", ".join(f"'{label}'" for label, _ in col.choices)
                reader.refuse(cell, tuple(col.field.split(".")), pydantic_message("literal_error", {"expected": labels}, "")
                              + tr("got", value=repr(values[col.field])))
                refused = True
            value = from_cell(col, values[col.field])
            if value is not None:
                _put(data, col.field, value)
        if data and not refused:
            found.append((cell, data))
    return found


def _put(data: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _slot(kind: str, x: Any) -> tuple:
    """What makes two records the same, as `huxiao validate` sees it (records.py)."""
    return {"lectures": lambda: (x.date, x.lesson, x.tier), "drills": lambda: (x.date, x.lesson, tuple(x.groups)),
            "duty": lambda: (x.start, x.point, x.band), "trainings": lambda: (x.date, x.subject),
            "inspections": lambda: (x.date,)}[kind]()


def _validate(reader: Reader, model: type[BaseModel], data: dict, origin: Cell, subs: dict[tuple, Cell]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for e in error.errors(include_url=False):
            problem = validation_problem(e, data, "", model)
            cell, rest = _origin(origin, subs, problem.loc)
            reader.refuse(cell, rest, problem.message)
        return None


def _origin(origin: Cell, subs: dict[tuple, Cell], loc: Loc) -> tuple[Cell, Loc]:
    """The row a field of an item came from: the item's own, or a problem's or headcount's row."""
    if len(loc) >= 2 and tuple(loc[:2]) in subs:
        return subs[tuple(loc[:2])], loc[2:]
    return origin, loc


def _school(reader: Reader, cell: Cell, data: dict) -> str | None:
    school = data.pop("school", None)
    if school in reader.c.schools:
        return str(school)
    close = difflib.get_close_matches(str(school), list(reader.c.schools), n=1, cutoff=0.6)
    hint = tr("did_you_mean", close=close[0]) if close else ""
    reader.refuse(cell, ("school",), tr("ledger.no_school", id=school or "", hint=hint))
    return None


def _items(reader: Reader, book: records_module.TermBook, rows: dict[str, list[tuple[Cell, dict]]]) -> tuple[list[Item], int]:
    """The new items of the main sheets; rows already recorded are counted and left alone."""
    items: list[Item] = []
    kept = 0
    for kind, model in MODELS.items():
        for cell, data in rows.get(kind, []):
            school = _school(reader, cell, data)
            item = _validate(reader, model, data, cell, {})
            if school is None or item is None:
                continue
            record = book.record(school)
            old = {_slot(kind, x): x for x in getattr(record, kind)} if record else {}
            if _slot(kind, item) in old:
                kept += 1
                if _differs(old[_slot(kind, item)], item, cell):
                    reader.notices.append(reader.where(cell, (), tr("ledger.kept_changed", file=book.schools[school].file)))
                continue
            items.append(Item(school, kind, data, cell, model=item))
    return items, kept


def _differs(old: BaseModel, new: BaseModel, cell: Cell) -> bool:
    """Whether the row says something else than the record in the columns this workbook has."""
    before, after = old.model_dump(), new.model_dump()
    return any(dig(before, f) != dig(after, f) for f in cell.columns if f != "school")


def _attach(reader: Reader, book: records_module.TermBook, items: list[Item],
            rows: dict[str, list[tuple[Cell, dict]]]) -> None:
    """Problems and headcounts go into their new drill or inspection; under a recorded one they are left alone."""
    new = {(x.school, x.kind, x.model.date, getattr(x.model, "lesson", None)): x for x in items if x.kind in ("drills", "inspections")}
    for sub_kind in ("fixes", "headcount"):
        for cell, data in rows.get(sub_kind, []):
            school = _school(reader, cell, data)
            parent = data.pop("parent", {})
            kind = parent.get("kind", "drills")
            day = parent.get("date")
            if kind not in ("drills", "inspections"):
                reader.refuse(cell, ("parent", "kind"), pydantic_message("literal_error", {"expected": "'演练', '隐患排查'"}, ""))
                continue
            if not isinstance(day, dt.date):
                reader.refuse(cell, ("parent", "date"), pydantic_message("date_parsing", {}, ""))
                continue
            if school is None:
                continue
            lesson = parent.get("lesson") if kind == "drills" else None
            list_name = SUB_LISTS[(sub_kind, kind)]
            target = new.get((school, kind, day, lesson))
            if target is not None:
                target.data.setdefault(list_name, []).append(data)
                target.subs[(list_name, len(target.data[list_name]) - 1)] = cell
                continue
            old = _recorded_parent(book, school, kind, day, lesson)
            if old is None:
                reader.refuse(cell, ("parent", "date"), tr("ledger.no_parent", kind=tr(f"ledger.kind.{kind}"), school=school,
                                                           day=day, lesson=lesson or ""))
            elif data not in [x.model_dump(exclude_none=True) for x in getattr(old, list_name)]:
                reader.notices.append(reader.where(cell, (), tr("ledger.kept_changed", file=book.schools[school].file)))
    for item in items:
        if item.subs:
            item.model = _validate(reader, MODELS[item.kind], item.data, item.origin, item.subs)


def _recorded_parent(book: records_module.TermBook, school: str, kind: str, day: dt.date, lesson: str | None) -> Any:
    record = book.record(school)
    for x in getattr(record, kind) if record else []:
        if x.date == day and getattr(x, "lesson", None) == lesson:
            return x
    return None


def _writes(reader: Reader, book: records_module.TermBook, items: list[Item], folder: Path,
            display: Any) -> dict[Path, tuple[str, int]]:
    """Each changed file's new text, checked as a whole through the model and the cross-checks."""
    by_school: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.model is not None:
            by_school[item.school].append(item)
    writes: dict[Path, tuple[str, int]] = {}
    entries = dict(book.schools)
    for school, school_items in by_school.items():
        path = folder / f"{school}.yml"
        dumps: dict[str, list[dict]] = defaultdict(list)
        for item in school_items:
            dumps[item.kind].append(_dump(item.model))
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        try:
            text = append.insert(old, dumps) if old is not None else append.new_file(
                reader.c.schools[school].school.name, book.term.name, dumps)
            append.check(old, text, dumps)
        except append.CannotAppend:
            reader.add(f"{display(path)}: " + tr("ledger.cannot_append"))
            continue
        model = SchoolRecord.model_validate(yamlfile.parse(text))
        entries[school] = Entry(school, display(path), model)
        writes[path] = (text, len(school_items))
    _cross_check(reader, book, entries, by_school)
    return writes


def _dump(model: BaseModel) -> dict:
    """The item as written: what differs from the defaults, seconds left out when the clock gives it."""
    data = model.model_dump(exclude_defaults=True)
    if isinstance(model, DrillRecord) and model.signal is not None:
        data.pop("seconds", None)
    return data


def _cross_check(reader: Reader, book: records_module.TermBook, entries: dict[str, Entry[SchoolRecord]],
                 by_school: dict[str, list[Item]]) -> None:
    """`huxiao validate`'s checks of the records, each problem of a new item told at its row."""
    _, problems = records_module.build(
        reader.c.curriculum.lessons, reader.c.schools, {book.id: book.entry}, {book.id: list(entries.values())}, reader.c.today)
    for problem in problems:
        school = next((s for s, e in entries.items() if e.file == problem.file), None)
        loc = problem.loc
        if school in by_school and len(loc) >= 2 and isinstance(loc[1], int):
            old = book.record(school)
            index = loc[1] - (len(getattr(old, str(loc[0]))) if old else 0)
            new = [x for x in by_school[school] if x.kind == loc[0]]
            if 0 <= index < len(new):
                cell, rest = _origin(new[index].origin, new[index].subs, loc[2:])
                reader.refuse(cell, rest, problem.message)
                continue
        reader.add(str(problem))


def write(result: Result) -> None:
    for path, (text, _) in result.writes.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.tmp")
        scratch.write_text(text, encoding="utf-8")
        os.replace(scratch, path)
