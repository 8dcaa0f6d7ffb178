"""Typed models of the term records: `records/<term-id>/_term.yml` and one file per school and term.

The profile in `schools/` keeps what is stable about a school; what happened in a term is kept
here: lectures, drills, 护学岗 duty, staff training and hazard inspections. Checks that need other
files (does the lesson exist and serve that tier? is the date inside the term?) live in
`generator/records.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .messages import fail
from .models import Id, Line, Strict, Text

TERM_ID_PATTERN = r"^20[0-9]{2}-(spring|autumn)$"
TERM_ID_RE = re.compile(TERM_ID_PATTERN)
Count = Annotated[int, Field(ge=0, le=100000)]
Clock = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$")]


class Period(Strict):
    name: Line = Field(description="名称，如 国庆节、期中考试")
    start: dt.date = Field(description="第一天")
    end: dt.date = Field(description="最后一天")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise fail("end_before_start")
        return self


class Term(Strict):
    """一个学期（records/<学期>/_term.yml）：起止日期、假期和考试周。"""

    name: Line = Field(description="学期名称，如 2026年秋季学期")
    first_day: dt.date = Field(description="开学第一天")
    last_day: dt.date = Field(description="学期最后一天")
    holidays: list[Period] = Field(default_factory=list, description="假期（不安排活动）")
    exam_weeks: list[Period] = Field(default_factory=list, description="考试周（不安排活动）")

    @model_validator(mode="after")
    def _ordered(self) -> Term:
        if self.last_day <= self.first_day:
            raise fail("term_order")
        if (self.last_day - self.first_day).days > 200:
            raise fail("term_too_long")
        return self


class Quiz(Strict):
    took_part: Count = Field(description="知识竞赛参与人数")
    passed: Count = Field(description="及格人数")
    excellent: Count = Field(description="优秀人数")

    @model_validator(mode="after")
    def _counts(self) -> Quiz:
        if self.passed > self.took_part:
            raise fail("passed_over_took_part")
        if self.excellent > self.passed:
            raise fail("excellent_over_passed")
        return self


LectureForm = Literal["讲座", "主题班会", "知识竞赛", "警营开放日", "情景模拟", "家长会"]


class Lecture(Strict):
    date: dt.date = Field(description="日期")
    lesson: Id = Field(description="课程编号（lessons/ 下的文件名）")
    tier: Id = Field(description="学段编号；须是本校学段，且课程有这一学段的教案")
    audience: Annotated[int, Field(ge=1, le=50000)] = Field(description="参加人数")
    periods: Annotated[int, Field(ge=1, le=10)] = Field(default=1, description="课时数")
    form: LectureForm = Field(default="讲座", description="形式：讲座、主题班会、知识竞赛、警营开放日……")
    teacher: Line | None = Field(default=None, description="授课人（内部）；不填即本校法治副校长")
    quiz: Quiz | None = Field(default=None, description="知识竞赛：参与、及格、优秀人数")
    note: Line | None = Field(default=None, description="备注")

    @model_validator(mode="after")
    def _quiz_only_for_contests(self) -> Lecture:
        if self.quiz is not None and self.form != "知识竞赛":
            raise fail("quiz_only_contest")
        if self.quiz is not None and self.quiz.took_part > self.audience:
            raise fail("quiz_over_audience")
        return self


class Headcount(Strict):
    group: Line = Field(description="班级或楼栋")
    expected: Count = Field(description="应到人数")
    present: Count = Field(description="实到人数")
    excused: Count = Field(default=0, description="请假人数")

    @model_validator(mode="after")
    def _counts(self) -> Headcount:
        if self.present > self.expected:
            raise fail("present_over_expected")
        if self.present + self.excused > self.expected:
            raise fail("present_excused_over")
        return self


class Fix(Strict):
    """A problem found in a drill or an inspection, and who fixes it by when."""

    problem: Text = Field(description="发现的问题（内部）")
    owner: Line = Field(description="整改责任人或部门（内部）")
    due: dt.date = Field(description="整改期限")
    fixed: dt.date | None = Field(default=None, description="整改完成日期；未完成不填")


class DrillRecord(Strict):
    date: dt.date = Field(description="日期")
    lesson: Id = Field(description="演练脚本（kind: drill 的课程编号）")
    tier: Id = Field(description="按哪个学段的脚本与目标用时")
    groups: list[Line] = Field(min_length=1, description="参加的楼栋、年级或学段")
    mode: Literal["announced", "unannounced"] = Field(
        default="announced", description="announced 预定式；unannounced 突发式")
    live: bool = Field(default=True, description="true 实战演练；false 桌面推演")
    signal: Clock | None = Field(default=None, description="信号发出时刻 HH:MM:SS")
    all_clear: Clock | None = Field(default=None, description="集合完毕（解除）时刻 HH:MM:SS")
    seconds: Annotated[int, Field(ge=1, le=3600)] | None = Field(
        default=None, description="从信号到集合完毕的用时（秒）；填了 signal 和 all_clear 可不填")
    target_seconds: Annotated[int, Field(ge=10, le=3600)] | None = Field(
        default=None, description="本校为这栋楼定的目标用时（秒）；不填用脚本的目标")
    participants: Annotated[int, Field(ge=1, le=50000)] = Field(description="参加人数")
    headcount: list[Headcount] = Field(default_factory=list, description="清点人数（内部）")
    problems: list[Fix] = Field(default_factory=list, description="发现的问题及整改（内部）")
    note: Line | None = Field(default=None, description="备注")

    @model_validator(mode="after")
    def _times(self) -> DrillRecord:
        if (self.signal is None) != (self.all_clear is None):
            raise fail("signal_pair")
        if self.signal is not None and self.all_clear is not None:
            measured = _clock(self.all_clear) - _clock(self.signal)
            if measured <= 0:
                raise fail("all_clear_order")
            if self.seconds is not None and self.seconds != measured:
                raise fail("seconds_mismatch", seconds=self.seconds, measured=measured)
            self.seconds = measured
        for n, fix in enumerate(self.problems):
            if fix.due < self.date:
                raise fail("problem_due_before", n=n)
            if fix.fixed is not None and fix.fixed < self.date:
                raise fail("problem_fixed_before", n=n)
        return self


def _clock(value: str) -> int:
    hours, minutes, seconds = (int(part) for part in value.split(":"))
    return hours * 3600 + minutes * 60 + seconds


class Duty(Strict):
    """护学岗 and patrols: one line per post (or patrol point), time band and week or day."""

    start: dt.date = Field(description="日期；按周记录时填该周第一天")
    days: Annotated[int, Field(ge=1, le=7)] = Field(default=1, description="天数：按天记录为 1，按周记录为上岗天数")
    point: Id = Field(description="护学岗或必巡点编号（学校档案 patrol_points 中的 id）")
    band: Literal["上学", "放学", "午间", "夜间"] = Field(description="时段")
    officer_times: Count = Field(description="每天的警力人次（按周记录时乘以天数计入合计）")
    vehicle_runs: Count = Field(default=0, description="每天的警车出动次数")
    volunteers: Count = Field(default=0, description="每天的群防群治力量人次")


class Training(Strict):
    date: dt.date = Field(description="日期")
    subject: Line = Field(description="培训内容，如 钢叉盾牌使用、一键报警、门卫登记")
    audience: Literal["保安", "教职工", "保安和教职工"] = Field(description="培训对象")
    attendees: Annotated[int, Field(ge=1, le=5000)] = Field(description="参加人数")


class Inspection(Strict):
    date: dt.date = Field(description="隐患排查日期")
    findings: list[Fix] = Field(default_factory=list, description="发现的隐患及整改（内部）")

    @model_validator(mode="after")
    def _dates(self) -> Inspection:
        for n, fix in enumerate(self.findings):
            if fix.due < self.date:
                raise fail("finding_due_before", n=n)
        return self


class SchoolRecord(Strict):
    """一所学校一个学期的工作记录（records/<学期>/<学校编号>.yml）。"""

    lectures: list[Lecture] = Field(default_factory=list, description="讲座、主题班会、知识竞赛等")
    drills: list[DrillRecord] = Field(default_factory=list, description="应急疏散等演练")
    duty: list[Duty] = Field(default_factory=list, description="护学岗与巡逻")
    trainings: list[Training] = Field(default_factory=list, description="保安、教职工培训")
    inspections: list[Inspection] = Field(default_factory=list, description="隐患排查")
