"""The station's term report: the figures it now counts by hand, made from the term records.

Every figure comes from `records/<term-id>/`; the draft summary paragraph is written from the
same figures, so the paragraph and the tables cannot disagree. `compared` sets each figure beside
the same term a year before (同比) and the term before (环比); `writeup.py` writes the 工作总结 from
them.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from ..records import TermBook, drills_of, fixes_of, is_open, is_overdue, target_seconds
from ..source.records import DrillRecord
from ..stationdata import StationData


@dataclass
class DrillFigures:
    """Drills of one script: how many, their median and best time, against the target."""

    lesson: str
    times: list[int] = field(default_factory=list)
    count: int = 0
    met: int = 0
    timed: int = 0
    targets: set[int] = field(default_factory=set)

    @property
    def median(self) -> int | None:
        return round(statistics.median(self.times)) if self.times else None

    @property
    def best(self) -> int | None:
        return min(self.times) if self.times else None


@dataclass
class SchoolFigures:
    school_id: str
    lectures: int = 0
    periods: int = 0
    audience: int = 0
    drills: int = 0
    drills_met: int = 0
    drills_timed: int = 0
    participants: int = 0  # 演练参演人次
    trainings: int = 0
    trained: int = 0
    found: int = 0
    fixed: int = 0
    open_problems: int = 0
    overdue: int = 0


@dataclass
class DutyFigures:
    """护学岗 duty: officer-times, car runs and volunteers. A school's own figures are police
    deployment data, internal only; the district's total is what a station publishes."""

    officer_times: int = 0
    vehicle_runs: int = 0
    volunteers: int = 0


@dataclass
class Rate:
    """知识竞赛: of the audience how many took part (参与率), of those how many passed and did well."""

    audience: int = 0
    took_part: int = 0
    passed: int = 0
    excellent: int = 0

    def percent(self, part: int) -> str:
        return f"{100 * part / self.took_part:.1f}%" if self.took_part else "—"

    @property
    def participation(self) -> str:
        return f"{100 * self.took_part / self.audience:.1f}%" if self.audience else "—"


@dataclass
class TermReport:
    book: TermBook
    schools: dict[str, SchoolFigures]
    by_topic: dict[str, list[int]]  # topic -> [lectures, periods, audience]
    by_tier: dict[str, list[int]]
    by_form: dict[str, int]
    quiz: Rate
    drills: dict[str, DrillFigures]  # by drill script
    patrol_points: int
    public_patrol_points: int
    duty: DutyFigures  # the district's total
    # Per school only in the internal report: a public report never holds them, so no public
    # page, PDF or office file made from it can show them.
    duty_by_school: dict[str, DutyFigures] | None

    @cached_property
    def total(self) -> SchoolFigures:
        """The district's figures: every school's added up (once; the report reads them often)."""
        total = SchoolFigures("")
        for name in vars(total):
            if name != "school_id":
                setattr(total, name, sum(getattr(figures, name) for figures in self.schools.values()))
        return total

    @property
    def schools_covered(self) -> int:
        return sum(1 for f in self.schools.values() if f.lectures or f.drills)

    def students_covered(self, c: StationData) -> int:
        return sum(c.schools[s].school.head_count for s, f in self.schools.items() if f.lectures or f.drills)


def term_report(c: StationData, term_id: str, internal: bool = False, until: dt.date | None = None) -> TermReport:
    """The term's figures; `internal` adds each school's 护学岗 figures; `until` counts only what
    was done by that day (an earlier term's same period, to compare a term not yet over)."""
    book = c.terms[term_id]
    made_of = (c.curriculum, book.term, *(x for school_id, view in c.schools.items() for x in (view.school, book.record(school_id))))
    return c.remember(("term_report", term_id, internal, until, c.today), made_of,
                      lambda: _term_report(c, book, internal, until))


def _term_report(c: StationData, book: TermBook, internal: bool, until: dt.date | None) -> TermReport:
    on = min(c.today, book.term.last_day, until or book.term.last_day)
    schools: dict[str, SchoolFigures] = {}
    by_topic: dict[str, list[int]] = {t: [0, 0, 0] for t in c.curriculum.topics}
    by_tier: dict[str, list[int]] = {t: [0, 0, 0] for t in c.curriculum.tiers}
    by_form: dict[str, int] = defaultdict(int)
    quiz = Rate()
    drills: dict[str, DrillFigures] = {}
    duty_total = DutyFigures()
    duty_by_school: dict[str, DutyFigures] = {}
    for school_id in c.schools:
        figures = schools[school_id] = SchoolFigures(school_id)
        record = book.record(school_id)
        if record is None:
            continue
        for lecture in (x for x in record.lectures if x.date <= on):
            figures.lectures += 1
            figures.periods += lecture.periods
            figures.audience += lecture.audience
            for row in (by_topic[c.curriculum.lessons[lecture.lesson].model.topic], by_tier[lecture.tier]):
                row[0] += 1
                row[1] += lecture.periods
                row[2] += lecture.audience
            by_form[lecture.form] += 1
            if lecture.quiz is not None:
                quiz.audience += lecture.audience
                quiz.took_part += lecture.quiz.took_part
                quiz.passed += lecture.quiz.passed
                quiz.excellent += lecture.quiz.excellent
        for drill in (x for x in record.drills if x.date <= on):
            figures.drills += 1
            figures.participants += drill.participants
            script = drills.setdefault(drill.lesson, DrillFigures(drill.lesson))
            script.count += 1
            target = target_seconds(c.curriculum.lessons, drill)
            if target is not None:
                script.targets.add(target)
            if drill.seconds is not None:
                script.times.append(drill.seconds)
                script.timed += 1
                figures.drills_timed += 1
                if target is not None and drill.seconds <= target:
                    script.met += 1
                    figures.drills_met += 1
            for fix in drill.problems:
                _count_fix(figures, fix.fixed, fix.due, on)
        school_duty = duty_by_school[school_id] = DutyFigures()
        for duty in (x for x in record.duty if x.start <= on):
            for tally in (school_duty, duty_total):
                tally.officer_times += duty.officer_times * duty.days
                tally.vehicle_runs += duty.vehicle_runs * duty.days
                tally.volunteers += duty.volunteers * duty.days
        for training in (x for x in record.trainings if x.date <= on):
            figures.trainings += 1
            figures.trained += training.attendees
        for inspection in (x for x in record.inspections if x.date <= on):
            for fix in inspection.findings:
                _count_fix(figures, fix.fixed, fix.due, on)
    points = [p for view in c.schools.values() for p in view.school.patrol_points]
    if internal:
        for school_id in c.schools:
            duty_by_school.setdefault(school_id, DutyFigures())
    return TermReport(book, schools, by_topic, by_tier, dict(by_form), quiz, drills,
                      len(points), sum(1 for p in points if p.public), duty_total,
                      duty_by_school if internal else None)


def _count_fix(figures: SchoolFigures, fixed: dt.date | None, due: dt.date, on: dt.date) -> None:
    figures.found += 1
    if fixed is not None and fixed <= on:
        figures.fixed += 1
    else:
        figures.open_problems += 1
        if due < on:
            figures.overdue += 1


def summary(report: TermReport, c: StationData) -> str:
    """A draft paragraph in the station's register, every number taken from the report."""
    total = report.total
    term = report.book.term
    parts = [f"{term.name}，辖区共走进{report.schools_covered}所学校开展安全讲座{total.lectures}场、"
             f"{total.periods}课时，受教育师生{total.audience}人次"]
    if report.quiz.took_part:
        parts.append(f"组织安全知识竞赛{report.by_form.get('知识竞赛', 0)}场，参与{report.quiz.took_part}人次"
                     f"（参与率{report.quiz.participation}），及格率{report.quiz.percent(report.quiz.passed)}、"
                     f"优秀率{report.quiz.percent(report.quiz.excellent)}")
    if total.drills:
        parts.append(f"指导开展应急疏散演练{total.drills}次、参演师生{total.participants}人次，其中{total.drills_met}次在目标用时内完成")
    if report.duty.officer_times:
        parts.append(f"护学岗投入警力{report.duty.officer_times}人次，出动警车{report.duty.vehicle_runs}次，"
                     f"发动群防群治力量{report.duty.volunteers}人次")
    if report.patrol_points:
        parts.append(f"设护学必巡点{report.patrol_points}个")
    if total.trainings:
        parts.append(f"培训指导学校保安和教职工{total.trainings}次、{total.trained}人次")
    if total.found:
        parts.append(f"排查发现隐患和问题{total.found}处，已整改{total.fixed}处")
    return "；".join(parts) + "。"


# --------------------------------------------------------------------------- against earlier terms


def last_term_id(term_id: str) -> str:
    """The term before: 2026-autumn -> 2026-spring, 2026-spring -> 2025-autumn."""
    year, season = term_id.split("-")
    return f"{year}-spring" if season == "autumn" else f"{int(year) - 1}-autumn"


def next_term_id(term_id: str) -> str:
    year, season = term_id.split("-")
    return f"{int(year) + 1}-spring" if season == "autumn" else f"{year}-autumn"


def same_term_last_year(term_id: str) -> str:
    year, season = term_id.split("-")
    return f"{int(year) - 1}-{season}"


@dataclass
class Figure:
    """One figure of the term, with the same term a year before (同比) and the term before (环比)
    where those terms have a record of it (None where they have not: nothing is said then)."""

    key: str
    label: str
    unit: str
    now: int
    last_year: int | None = None
    last_term: int | None = None


# The figures a 总结 reports and compares: key, label, unit, how to read it off a report.
FIGURES: tuple[tuple[str, str, str, Callable[[TermReport, SchoolFigures], int]], ...] = (
    ("lectures", "安全讲座", "场", lambda r, t: t.lectures),
    ("periods", "课时", "课时", lambda r, t: t.periods),
    ("audience", "受教育师生", "人次", lambda r, t: t.audience),
    ("quizzes", "知识竞赛", "场", lambda r, t: r.by_form.get("知识竞赛", 0)),
    ("quiz_took_part", "竞赛参与", "人次", lambda r, t: r.quiz.took_part),
    ("drills", "应急演练", "次", lambda r, t: t.drills),
    ("drills_met", "演练达到目标用时", "次", lambda r, t: t.drills_met),
    ("participants", "参演师生", "人次", lambda r, t: t.participants),
    ("officer_times", "护学岗警力", "人次", lambda r, t: r.duty.officer_times),
    ("vehicle_runs", "警车出动", "次", lambda r, t: r.duty.vehicle_runs),
    ("volunteers", "群防群治力量", "人次", lambda r, t: r.duty.volunteers),
    ("trainings", "保安和教职工培训", "次", lambda r, t: t.trainings),
    ("trained", "培训人员", "人次", lambda r, t: t.trained),
    ("found", "排查发现隐患和问题", "处", lambda r, t: t.found),
    ("fixed", "已整改", "处", lambda r, t: t.fixed),
)


# A term's FIGURES by `until` (see `figures_of`), or the same from a cache.
EarlierFigures = Callable[[str, dt.date | None], dict[str, int]]


def comparisons(c: StationData, term_id: str) -> list[tuple[str, str, dt.date | None]]:
    """The earlier terms a term's report is compared with (the same term last year, the term
    before: those with records), each with its slot and the day it is counted until."""
    term = c.terms[term_id].term
    days_in = min(c.today, term.last_day) - term.first_day
    found = []
    for earlier_id, slot in ((same_term_last_year(term_id), "last_year"), (last_term_id(term_id), "last_term")):
        book = c.terms.get(earlier_id)
        if book is None or not book.schools or book.term.first_day > c.today:
            continue
        found.append((earlier_id, slot, None if c.today >= term.last_day else book.term.first_day + days_in))
    return found


def figures_of(c: StationData, term_id: str, until: dt.date | None) -> dict[str, int]:
    """A term's FIGURES, counted `until` a day (None: all of it), as `compared` sets them beside
    a later term's."""
    report = term_report(c, term_id, until=until)
    return {key: read(report, report.total) for key, _label, _unit, read in FIGURES}


def compared(c: StationData, report: TermReport, earlier: EarlierFigures | None = None) -> dict[str, Figure]:
    """The term's figures against the same term last year and the term before, from their own
    records (public totals only). A term not yet over is compared with the same period of the
    earlier term (as many days from its first day), not with the whole of it."""
    figures = {key: Figure(key, label, unit, read(report, report.total)) for key, label, unit, read in FIGURES}
    for earlier_id, slot, until in comparisons(c, report.book.id):
        values = earlier(earlier_id, until) if earlier is not None else figures_of(c, earlier_id, until)
        for key, value in values.items():
            if value:  # a figure the earlier term did not record at all is not compared with
                setattr(figures[key], slot, value)
    return figures


# --------------------------------------------------------------------------- the drill loop


@dataclass
class DrillStep:
    """One drill of a school, its target, and whether its problems were fixed before the next."""

    term_id: str
    drill: DrillRecord
    target: int | None
    worse: bool  # slower than the school's previous timed drill of the same script
    fixed_before_next: bool | None  # None: no problems, or no next drill yet


@dataclass
class SchoolLoop:
    school_id: str
    steps: list[DrillStep]
    overdue: int

    @property
    def flagged(self) -> bool:
        last = self.steps[-1] if self.steps else None
        return self.overdue > 0 or (last is not None and last.worse)


def drill_loop(c: StationData, school_id: str) -> SchoolLoop:
    return SchoolLoop(school_id, drill_steps(c, school_id), fix_counts(c, school_id)[2])


def drill_steps(c: StationData, school_id: str) -> list[DrillStep]:
    """The school's drills, all terms, in date order, each against its target and the one before."""
    made_of = (c.curriculum, *(book.record(school_id) for book in c.terms.values()))
    return c.remember(("drill_steps", school_id, tuple(c.terms)), made_of, lambda: _drill_steps(c, school_id))


def _drill_steps(c: StationData, school_id: str) -> list[DrillStep]:
    history = drills_of(c.terms, school_id)
    steps: list[DrillStep] = []
    previous: dict[str, int] = {}
    for n, (book, drill) in enumerate(history):
        worse = drill.seconds is not None and drill.lesson in previous and drill.seconds > previous[drill.lesson]
        if drill.seconds is not None:
            previous[drill.lesson] = drill.seconds
        later = history[n + 1][1].date if n + 1 < len(history) else None
        fixed_before = None
        if drill.problems and later is not None:
            fixed_before = all(f.fixed is not None and f.fixed <= later for f in drill.problems)
        steps.append(DrillStep(book.id, drill, target_seconds(c.curriculum.lessons, drill), worse, fixed_before))
    return steps


def fix_counts(c: StationData, school_id: str) -> tuple[int, int, int]:
    """Problems found in drills and inspections, all terms: (found, still open, open past due)."""
    fixes = [f for book in c.terms.values() if (r := book.record(school_id)) is not None for f in fixes_of(r)]
    still_open = [f for f in fixes if is_open(f, c.today)]
    return len(fixes), len(still_open), sum(1 for f in still_open if is_overdue(f, c.today))
