"""The sheets and columns of the 台账 workbook, shared by the writer and the reader.

A column names the record field it holds (a dotted path into one item of `SchoolRecord`), or
shows something only for reading (the school's name, the lesson's title, counts) and is ignored
on import. Columns and sheets marked internal go only into the internal ledger: named people,
problems and who fixes them, headcounts, and the whole 护学岗 sheet (patrol points and the
per-school police figures are never public).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.datetime import from_excel

TITLE_ROW, HEADER_ROW, TOTAL_ROW, FIRST_ROW = 1, 2, 3, 4
TOTAL_LABEL = "合计"
# Rows below the data that get the dropdowns and fall inside the totals, for rows a person adds.
SPARE_ROWS = 500
META_SHEET = "_huxiao"
_TYPED_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_TYPED_CLOCK = re.compile(r"(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?")


@dataclass(frozen=True)
class Column:
    header: str
    field: str | None = None  # dotted path in the item; "school" is the record file; "parent.*" the drill or inspection
    kind: str = "text"  # text, lines, int, date, time, choice
    width: float = 12
    internal: bool = False
    choices: tuple[tuple[str, Any], ...] = ()  # (what the cell says, the YAML value)
    options: str | None = None  # a dropdown list of the meta sheet
    show: str | None = None  # what a read-only column shows (see write.py)
    total: str | None = None  # "sum", or "per_day" (a daily figure times the days)


@dataclass(frozen=True)
class Sheet:
    title: str
    kind: str  # the SchoolRecord list, or "fixes" / "headcount" for the rows under a drill or an inspection
    columns: tuple[Column, ...]
    internal: bool = False

    def visible(self, internal: bool) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if internal or not c.internal)


SCHOOL = Column("学校", show="school_name", width=24)
SCHOOL_ID = Column("学校编号", "school", width=20, options="学校编号")
MODES = (("预定式", "announced"), ("突发式", "unannounced"))
LIVE = (("实战演练", True), ("桌面推演", False))
SOURCES = (("演练", "drills"), ("隐患排查", "inspections"))

LECTURES = Sheet("讲座", "lectures", (
    SCHOOL, SCHOOL_ID,
    Column("日期", "date", "date", 12),
    Column("课程编号", "lesson", width=20, options="课程编号"),
    Column("课程", show="lesson_title", width=30),
    Column("学段编号", "tier", width=16, options="学段编号"),
    Column("形式", "form", "choice", 12, options="形式",
           choices=tuple((f, f) for f in ("讲座", "主题班会", "知识竞赛", "警营开放日", "情景模拟", "家长会"))),
    Column("人数", "audience", "int", 8, total="sum"),
    Column("课时", "periods", "int", 7, total="sum"),
    Column("竞赛参与人数", "quiz.took_part", "int", 10, total="sum"),
    Column("及格人数", "quiz.passed", "int", 9, total="sum"),
    Column("优秀人数", "quiz.excellent", "int", 9, total="sum"),
    Column("授课人", "teacher", width=14, internal=True),
    Column("备注", "note", width=30),
))

DRILLS = Sheet("演练", "drills", (
    SCHOOL, SCHOOL_ID,
    Column("日期", "date", "date", 12),
    Column("课程编号", "lesson", width=18, options="演练编号"),
    Column("演练", show="lesson_title", width=22),
    Column("学段编号", "tier", width=16, options="学段编号"),
    Column("参加楼栋、年级（每行一个）", "groups", "lines", 22),
    Column("方式", "mode", "choice", 10, choices=MODES, options="方式"),
    Column("实战或推演", "live", "choice", 11, choices=LIVE, options="实战或推演"),
    Column("信号时刻", "signal", "time", 10),
    Column("集合完毕时刻", "all_clear", "time", 12),
    Column("用时（秒）", "seconds", "int", 10),
    Column("目标用时（秒）", "target_seconds", "int", 12),
    Column("参加人数", "participants", "int", 9, total="sum"),
    Column("发现问题（处）", show="problem_count", width=12, total="sum"),
    Column("备注", "note", width=30),
))

DUTY = Sheet("护学岗", "duty", (
    SCHOOL, SCHOOL_ID,
    Column("日期（按周记录填该周第一天）", "start", "date", 16),
    Column("天数", "days", "int", 6, total="sum"),
    Column("岗点编号", "point", width=14, options="岗点编号"),
    Column("岗点", show="point_name", width=26),
    Column("时段", "band", "choice", 8, choices=tuple((b, b) for b in ("上学", "放学", "午间", "夜间")), options="时段"),
    Column("警力人次（每天）", "officer_times", "int", 14, total="per_day"),
    Column("警车次（每天）", "vehicle_runs", "int", 13, total="per_day"),
    Column("群防群治人次（每天）", "volunteers", "int", 18, total="per_day"),
), internal=True)

TRAININGS = Sheet("培训", "trainings", (
    SCHOOL, SCHOOL_ID,
    Column("日期", "date", "date", 12),
    Column("培训内容", "subject", width=30),
    Column("对象", "audience", "choice", 14, choices=tuple((a, a) for a in ("保安", "教职工", "保安和教职工")),
           options="培训对象"),
    Column("人数", "attendees", "int", 8, total="sum"),
))

INSPECTIONS = Sheet("隐患排查", "inspections", (
    SCHOOL, SCHOOL_ID,
    Column("日期", "date", "date", 12),
    Column("发现隐患（处）", show="finding_count", width=12, total="sum"),
    Column("已整改（处）", show="fixed_count", width=12, total="sum"),
))

FIXES = Sheet("问题整改", "fixes", (
    SCHOOL, SCHOOL_ID,
    Column("来自", "parent.kind", "choice", 10, choices=SOURCES, options="来自"),
    Column("演练或排查日期", "parent.date", "date", 14),
    Column("演练课程编号", "parent.lesson", width=18, options="演练编号"),
    Column("问题或隐患", "problem", width=36),
    Column("整改责任人或部门", "owner", width=18),
    Column("整改期限", "due", "date", 12),
    Column("整改完成日期", "fixed", "date", 12),
), internal=True)

HEADCOUNT = Sheet("清点人数", "headcount", (
    SCHOOL, SCHOOL_ID,
    Column("演练日期", "parent.date", "date", 12),
    Column("演练课程编号", "parent.lesson", width=18, options="演练编号"),
    Column("班级或楼栋", "group", width=18),
    Column("应到", "expected", "int", 8, total="sum"),
    Column("实到", "present", "int", 8, total="sum"),
    Column("请假", "excused", "int", 8, total="sum"),
), internal=True)

SHEETS = (LECTURES, DRILLS, DUTY, TRAININGS, INSPECTIONS, FIXES, HEADCOUNT)
# The list each kind of sub-row belongs to, inside its drill or inspection.
SUB_LISTS = {("fixes", "drills"): "problems", ("fixes", "inspections"): "findings", ("headcount", "drills"): "headcount"}


def sheets_for(internal: bool) -> tuple[Sheet, ...]:
    return tuple(s for s in SHEETS if internal or not s.internal)


def dig(data: dict, path: str) -> Any:
    """`data["quiz"]["took_part"]` for "quiz.took_part", None where any part is missing."""
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def to_cell(column: Column, value: Any) -> Any:
    """A YAML value as the cell shows it: a real date or time, one group a line, a choice by its label."""
    if value is None:
        return None
    if column.kind == "time":
        return dt.time.fromisoformat(value)
    if column.kind == "lines":
        return "\n".join(value)
    if column.kind == "choice":
        return next((label for label, v in column.choices if v == value), value)
    return value


def from_cell(column: Column, value: Any) -> Any:
    """A cell as the value the model reads; what cannot be read is passed on for the model to refuse."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    if value is None:
        return None
    if column.kind == "date":
        return _day(value)
    if column.kind == "time":
        return _clock(value)
    if column.kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    if column.kind == "lines" and isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if column.kind == "choice":
        return next((v for label, v in column.choices if label == value), value)
    if column.kind == "text" and isinstance(value, (int, float)):
        return str(value)
    return value


def _day(value: Any) -> Any:
    """A date cell, or a date typed as 2026/9/1, 2026.9.1 or 2026年9月1日, or an Excel day number."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 <= value <= 80000:
        return from_excel(value).date()  # a date cell that lost its format: pydantic would read seconds since 1970
    match = isinstance(value, str) and _TYPED_DAY.fullmatch(value)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return value  # no such day: the model says so
    return value


def _clock(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, (int, float)) and 0 <= value < 1:  # a time typed into an unformatted cell
        seconds = round(value * 86400)
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    match = isinstance(value, str) and _TYPED_CLOCK.fullmatch(value)
    if match:
        return ":".join(f"{int(part or 0):02d}" for part in match.groups())
    return value


def unknown_choice(column: Column, cell: Any) -> bool:
    """A choice column holding something that is neither a label of the dropdown nor a YAML value."""
    if column.kind != "choice" or cell is None or (isinstance(cell, str) and not cell.strip()):
        return False
    text = cell.strip() if isinstance(cell, str) else cell
    return all(text != label and text != value for label, value in column.choices)
