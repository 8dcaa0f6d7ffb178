"""Typed models of term planning: the rules a term must meet (`plans/_rules.yml`) and each
school's plan for a term (`plans/<term-id>/<school-id>.yml`).

The rules are data a station may edit: each carries its source and how sure we are of it, and a
rule that is not verified only ever warns. A plan is proposed by `huxiao plan` and then belongs to
the officer who edits it; checks that need other files live in `generator/plans.py`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from .messages import fail
from .models import Id, Line, Strict

Hour = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Days = Annotated[int, Field(ge=0, le=120)]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class RuleSource(Strict):
    source: Line = Field(description="出处：法规、文件或本所规定，如 教育部令第52号")
    confidence: Literal["verified", "second-hand", "local"] = Field(
        description="verified：见过原文，达不到即为不合规；second-hand：仅见转述，只作提醒；local：本所或地方自定，只作提醒")
    applies_to: list[Id] = Field(default_factory=list, description="适用的学校类型编号（见 _taxonomy.yml 的 school_types）；不填即全部")


class LessonHours(RuleSource):
    per_year: Annotated[int, Field(ge=0, le=100)] = Field(description="每所学校每学年（秋季＋春季学期）法治副校长至少讲几课时")


class DrillRule(RuleSource):
    school_per_month: Annotated[int, Field(ge=0, le=10)] = Field(description="中小学每个月至少演练几次")
    kindergarten_per_quarter: Annotated[int, Field(ge=0, le=10)] = Field(description="幼儿园每个季度至少演练几次")
    min_teaching_days: Days = Field(
        default=10, description="一个月（季度）在本学期内少于这么多上课日时，不单独要求演练（如二月开学前几天）")
    scenarios: list[Id] = Field(min_length=1, description="轮换的演练脚本（演练课程编号），按顺序轮换")


class BoardingRule(RuleSource):
    extra_per_term: Annotated[int, Field(ge=0, le=20)] = Field(description="寄宿制学校每学期另加几次演练")
    lessons: list[Id] = Field(min_length=1, description="寄宿制学校加练用的演练脚本，如 宿舍夜间火灾疏散演练")


class TermSessionRule(RuleSource):
    start_within_days: Days = Field(description="开学后多少天内上“开学第一课”")
    before_holiday_days: Days = Field(description="放假前多少天内上节前安全教育")
    min_holiday_days: Annotated[int, Field(ge=1, le=60)] = Field(
        default=3, description="假期至少几天才要求节前安全教育（学期末的寒暑假总是要求）")


class ThemedDay(RuleSource):
    name: Line = Field(description="主题日名称，如 全民国家安全教育日")
    month: Annotated[int, Field(ge=1, le=12)] | None = Field(default=None, description="月份")
    day: Annotated[int, Field(ge=1, le=31)] | None = Field(default=None, description="日；与 last_weekday 二选一")
    last_weekday: Weekday | None = Field(default=None, description="该月最后一个星期几，如 monday（全国中小学生安全教育日）")
    before_term_end: bool = Field(default=False, description="true：不是固定日期，而是学期最后一天（放暑假、寒假）之前，如 暑期防溺水")
    season: Literal["spring", "autumn"] | None = Field(
        default=None, description="只用于春季（spring）或秋季（autumn）学期，如 暑期防溺水只在春季学期末；不填即两季都用")
    topics: list[Id] = Field(default_factory=list, description="建议的专题编号；不填则任选")
    drill: bool = Field(default=False, description="这一天前后也宜组织一次演练")
    drill_lessons: list[Id] = Field(default_factory=list, description="这次演练优先用的脚本，如 消防日用火灾疏散演练")
    days_before: Days = Field(default=10, description="提前多少天内算“临近”")
    days_after: Days = Field(default=5, description="之后多少天内算“临近”")

    @model_validator(mode="after")
    def _one_date(self) -> ThemedDay:
        fixed = self.month is not None and (self.day is None) != (self.last_weekday is None)
        if self.before_term_end == fixed:
            raise fail("plan.one_date")
        if self.day is not None and self.month is not None and self.day > calendar.monthrange(2024, self.month)[1]:
            raise fail("plan.no_such_day", month=self.month, day=self.day)  # 2024 is a leap year: 2月29日 passes
        return self


class OfficerLoad(Strict):
    max_schools: Annotated[int, Field(ge=1, le=100)] = Field(description="一名法治副校长最多联系几所学校；超过只作提醒")
    schools_source: RuleSource
    max_sessions_per_day: Annotated[int, Field(ge=1, le=10)] = Field(description="一名民警一天最多排几场（讲座、演练合计）")
    day_source: RuleSource


class SessionTimes(Strict):
    # No longer used: a session without an agreed time is an all-day 时间待定 event, not one at a
    # default hour (two schools of one officer would both get 14:30). Still read, so that older
    # rules files stay valid.
    lecture: Hour = Field(default="14:30", description="已不再使用（没有约定时间的场次在日历上是全天的“时间待定”）；保留只为旧文件仍可读取")
    drill: Hour = Field(default="10:00", description="已不再使用（同上）")
    drill_minutes: Annotated[int, Field(ge=5, le=240)] = Field(default=30, description="演练在日历上占多少分钟")


class Rules(Strict):
    """排课规则（plans/_rules.yml）：每条注明出处与可信度，派出所可按本地规定修改。"""

    lesson_hours: LessonHours = Field(description="法治副校长每学年课时")
    drills: DrillRule = Field(description="应急疏散演练频次与轮换")
    boarding: BoardingRule = Field(description="寄宿制学校加练")
    term_sessions: TermSessionRule = Field(description="开学和节前的集中安全教育")
    themed_days: list[ThemedDay] = Field(default_factory=list, description="主题日及建议专题")
    officer_load: OfficerLoad = Field(description="民警工作量")
    times: SessionTimes = Field(default_factory=SessionTimes, description="日历上的默认时间")


class PlannedSession(Strict):
    id: Id = Field(description="本计划内的编号（日历用它更新事件，请勿改动）")
    date: dt.date = Field(description="日期")
    kind: Literal["lecture", "drill"] = Field(description="lecture 讲座；drill 演练")
    lesson: Id = Field(description="课程编号（演练填演练脚本的编号）")
    tier: Id = Field(description="学段编号；须是本校学段，且课程有这一学段的教案")
    start: Hour | None = Field(default=None, description="与学校约定的开始时间 HH:MM；不填时日历上是全天的“时间待定”")
    periods: Annotated[int, Field(ge=1, le=10)] = Field(default=1, description="课时数（讲座）")
    mode: Literal["announced", "unannounced"] = Field(
        default="announced", description="演练：announced 预定式；unannounced 突发式（日期不公开）")
    why: list[Line] = Field(default_factory=list, description="排这一场的理由（规划器填写）")
    note: Line | None = Field(default=None, description="备注；写进日历，公开的场次在公开网站的日历里也看得到")

    @model_validator(mode="after")
    def _mode_for_drills(self) -> PlannedSession:
        if self.kind == "lecture" and self.mode != "announced":
            raise fail("plan.mode_for_drills")
        return self

    @property
    def public(self) -> bool:
        """Unannounced drills keep their date inside the station."""
        return self.mode == "announced"


class Plan(Strict):
    """一所学校一个学期的计划（plans/<学期>/<学校编号>.yml），由 huxiao plan 提出，民警可直接修改。"""

    sessions: list[PlannedSession] = Field(default_factory=list, description="计划的讲座与演练")

    @field_validator("sessions", mode="before")
    @classmethod
    def _emptied(cls, value: Any) -> Any:
        """`sessions:` with every item deleted is an empty plan, not an error."""
        return [] if value is None else value

    @model_validator(mode="after")
    def _unique_ids(self) -> Plan:
        seen: set[str] = set()
        for session in self.sessions:
            if session.id in seen:
                raise fail("plan.same_id", id=session.id)
            seen.add(session.id)
        return self
