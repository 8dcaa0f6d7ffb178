"""What the rules ask of one school in one term, as dated windows a session must fall into.

A demand is met by a lecture or a drill held (or planned) inside its window; one session may
meet several demands at once (the first lesson of term near 安全教育日, say). The year's lesson
hours are a count over the school year, not a window, so they are kept apart (`hours_needed`).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from ..source.plans import WEEKDAYS, Rules, RuleSource, ThemedDay
from ..source.records import Term
from ..source.schools import Liaison

if TYPE_CHECKING:
    from ..schools import SchoolView
    from ..stationdata import StationData

Kind = Literal["lecture", "drill"]
Prefer = Literal["early", "late", "anchor", "middle"]


@dataclass(frozen=True)
class Demand:
    key: str                       # stable within a school and term, e.g. "drill:2027-03"
    kind: Kind
    label: str                     # what a station reads, e.g. 3月演练
    start: dt.date
    end: dt.date
    rule: RuleSource
    must: bool                     # a verified obligation, not a suggestion
    topics: tuple[str, ...] = ()   # a lecture meets it only on one of these topics (empty: any)
    lessons: tuple[str, ...] = ()  # a drill meets it only with one of these scripts (empty: any)
    prefer_lessons: tuple[str, ...] = ()
    anchor: dt.date | None = None
    prefer: Prefer = "middle"

    @property
    def hard(self) -> bool:
        """Missing it is a compliance failure (red), not a reminder (amber)."""
        return self.must and self.rule.confidence == "verified"

    def met_by(self, kind: str, day: dt.date, lesson_id: str, topic: str) -> bool:
        return (kind == self.kind and self.start <= day <= self.end
                and (not self.topics or topic in self.topics) and (not self.lessons or lesson_id in self.lessons))


def applies(rule: RuleSource, school_type: str) -> bool:
    return not rule.applies_to or school_type in rule.applies_to


def teaching_days(term: Term, start: dt.date | None = None, end: dt.date | None = None) -> list[dt.date]:
    first = max(term.first_day, start) if start else term.first_day
    last = min(term.last_day, end) if end else term.last_day
    days = _open_days(term.first_day, term.last_day, tuple((p.start, p.end) for p in (*term.holidays, *term.exam_weeks)))
    return list(days[bisect.bisect_left(days, first):bisect.bisect_right(days, last)])


@lru_cache(maxsize=16)
def _open_days(first: dt.date, last: dt.date, closed: tuple[tuple[dt.date, dt.date], ...]) -> tuple[dt.date, ...]:
    """A term's teaching days, worked out once: every school's monthly drills ask for them (the
    same days `closed_reason` leaves open: no weekend, holiday or exam week)."""
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return tuple(d for d in days if d.weekday() < 5 and not any(start <= d <= end for start, end in closed))


def themed_date(day: ThemedDay, term: Term) -> dt.date | None:
    """The themed day's date that falls in the term (or None): its fixed day in the term's
    year(s), or the term's last day for a day tied to the end of term."""
    if day.before_term_end:
        return term.last_day
    assert day.month is not None
    for year in sorted({term.first_day.year, term.last_day.year}):
        if day.day is not None:
            date = dt.date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))
        else:
            last = dt.date(year, day.month, calendar.monthrange(year, day.month)[1])
            wanted = WEEKDAYS.index(day.last_weekday or "monday")
            date = last - dt.timedelta(days=(last.weekday() - wanted) % 7)
        if term.first_day <= date <= term.last_day:
            return date
    return None


def demands(c: StationData, view: SchoolView, term: Term, rules: Rules) -> list[Demand]:
    """Every dated demand the rules make of this school in this term, by window end."""
    found = list(_term_sessions(view, term, rules)) + list(_themed(c, view, term, rules)) + list(_drills(view, term, rules))
    return sorted(found, key=lambda d: (d.end, d.start, d.key))


def demands_of_schools(c: StationData, term: Term, rules: Rules) -> dict[str, list[Demand]]:
    """Every school's demands in a term, worked out once per kind of school: they depend on the
    school's type, tiers and boarding alone (a city has thousands of schools and a few kinds)."""
    by_kind: dict[tuple, list[Demand]] = {}
    found: dict[str, list[Demand]] = {}
    for school_id, view in c.schools.items():
        kind = (view.school.type, tuple(view.tiers), view.school.boarding)
        if kind not in by_kind:
            by_kind[kind] = demands(c, view, term, rules)
        found[school_id] = by_kind[kind]
    return found


def _term_sessions(view: SchoolView, term: Term, rules: Rules) -> Iterator[Demand]:
    rule = rules.term_sessions
    if not applies(rule, view.school.type):
        return
    start_end = term.first_day + dt.timedelta(days=rule.start_within_days)
    yield Demand("start", "lecture", "开学第一课", term.first_day, start_end, rule, True, prefer="early")
    for period in term.holidays:
        if (period.end - period.start).days + 1 < rule.min_holiday_days or not term.first_day < period.start <= term.last_day:
            continue
        yield Demand(f"holiday:{period.name}", "lecture", f"{period.name}前安全教育",
                     period.start - dt.timedelta(days=rule.before_holiday_days), period.start - dt.timedelta(days=1),
                     rule, True, prefer="late")
    holiday = "暑假" if term.last_day.month >= 6 else "寒假"
    yield Demand("holiday:term-end", "lecture", f"{holiday}前安全教育",
                 term.last_day - dt.timedelta(days=rule.before_holiday_days), term.last_day, rule, True, prefer="late")


def _themed(c: StationData, view: SchoolView, term: Term, rules: Rules) -> Iterator[Demand]:
    season = "autumn" if term.first_day.month >= 7 else "spring"
    for day in rules.themed_days:
        if day.season not in (None, season):
            continue
        date = themed_date(day, term)
        if date is None or not applies(day, view.school.type):
            continue
        start = max(term.first_day, date - dt.timedelta(days=day.days_before))
        end = min(term.last_day, date + dt.timedelta(days=day.days_after))
        topics = tuple(t for t in day.topics if any(c.curriculum.lessons_for(tier, t) for tier in view.tiers))
        if day.topics and not topics:
            continue  # no lesson of that topic for this school's tiers: nothing the officer can teach
        yield Demand(f"theme:{day.name}", "lecture", day.name, start, end, day, False, topics=topics, anchor=date,
                     prefer="anchor")
        if day.drill and applies(rules.drills, view.school.type):
            yield Demand(f"theme-drill:{day.name}", "drill", f"{day.name}演练", start, end, day, False,
                         prefer_lessons=tuple(day.drill_lessons), anchor=date, prefer="anchor")


def _drills(view: SchoolView, term: Term, rules: Rules) -> Iterator[Demand]:
    rule = rules.drills
    if not applies(rule, view.school.type):
        return
    quarterly = view.tiers == ["kindergarten"]
    per = rule.kindergarten_per_quarter if quarterly else rule.school_per_month
    for label, start, end in _periods(term, quarterly):
        if len(teaching_days(term, start, end)) < rule.min_teaching_days:
            continue
        for n in range(per):
            suffix = f"（第{n + 1}次）" if per > 1 else ""
            yield Demand(f"drill:{start:%Y-%m}:{n + 1}", "drill", f"{label}演练{suffix}", max(start, term.first_day),
                         min(end, term.last_day), rule, True)
    boarding = rules.boarding
    if view.school.boarding and applies(boarding, view.school.type):
        for n in range(boarding.extra_per_term):
            yield Demand(f"boarding:{n + 1}", "drill", "寄宿制加练（宿舍）", term.first_day, term.last_day, boarding, True,
                         lessons=tuple(boarding.lessons))


def _periods(term: Term, quarterly: bool) -> Iterator[tuple[str, dt.date, dt.date]]:
    """The calendar months (or quarters) the term touches, with their first and last days."""
    year, month = term.first_day.year, term.first_day.month
    if quarterly:
        month = (month - 1) // 3 * 3 + 1
    while dt.date(year, month, 1) <= term.last_day:
        span = 3 if quarterly else 1
        end_month, end_year = month + span - 1, year
        end = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        label = f"{year}年第{(month - 1) // 3 + 1}季度" if quarterly else f"{month}月"
        yield label, dt.date(year, month, 1), end
        month += span
        if month > 12:
            year, month = year + 1, month - 12


# --------------------------------------------------------------------------- the year's hours


def school_year_partner(term_id: str) -> str:
    """The other term of the same school year: autumn 2026 goes with spring 2027."""
    year, season = term_id.split("-")
    return f"{int(year) + 1}-spring" if season == "autumn" else f"{int(year) - 1}-autumn"


def school_year_label(term_id: str) -> str:
    year, season = term_id.split("-")
    first = int(year) if season == "autumn" else int(year) - 1
    return f"{first}—{first + 1}学年"


def hours_given(c: StationData, term_id: str, school_id: str) -> int:
    """课时 the school's own 法治副校长 gave in a term, by its record (a lecture with another
    teacher named is not theirs)."""
    book = c.terms.get(term_id)
    record = book.record(school_id) if book else None
    if record is None:
        return 0
    return sum(x.periods for x in record.lectures if x.teacher is None)


def hours_needed(c: StationData, term_id: str, school_id: str, rules: Rules) -> int:
    """课时 this term must bring so the school year reaches the rule: what the earlier term left,
    or half the year when this term comes first."""
    per_year = rules.lesson_hours.per_year
    if term_id.endswith("spring"):
        return max(0, per_year - hours_given(c, school_year_partner(term_id), school_id))
    return (per_year + 1) // 2


# --------------------------------------------------------------------------- officers


def officer_label(liaison: Liaison) -> str:
    return f"{liaison.name}（{liaison.unit}）"


def overloaded_officers(c: StationData, rules: Rules) -> dict[str, tuple[str, list[str]]]:
    """Officers serving more schools than the rules allow: id -> (name and unit, school ids)."""
    served: dict[str, tuple[str, list[str]]] = {}
    for school_id in sorted(c.schools):
        liaison = c.schools[school_id].school.liaison
        served.setdefault(officer_id(liaison), (officer_label(liaison), []))[1].append(school_id)
    return {k: v for k, v in served.items() if len(v[1]) > rules.officer_load.max_schools}


def officer_id(liaison: Liaison) -> str:
    return liaison.officer_id
