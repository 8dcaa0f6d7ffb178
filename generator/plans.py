"""The term plans and the rules cross-checked against the curriculum, the schools and the terms.

Input is what `source.loading` read from `plans/`; output is a `PlanBook` per term (each school's
plan) or the problems that make a plan inconsistent: a term with no calendar in `records/`, a
school that does not exist, a date outside the term, a lesson that does not fit the school. A
session on a weekend, a holiday or in an exam week is only a warning: an officer may mean it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from .curriculum import Curriculum
from .records import Lessons, TermBook, lesson_fits
from .schools import SchoolView
from .source.loading import Entry, Remember, work_out
from .source.messages import tr
from .source.plans import Plan, PlannedSession, Rules, SessionTimes
from .source.problems import Problem
from .source.records import Term


@dataclass
class PlanBook:
    """One term's plans, by school id."""

    id: str
    schools: dict[str, Entry[Plan]] = field(default_factory=dict)

    def plan(self, school_id: str) -> Plan | None:
        entry = self.schools.get(school_id)
        return entry.model if entry is not None else None


def build(curriculum: Curriculum, schools: dict[str, SchoolView], terms: dict[str, TermBook],
          rules: Entry[Rules] | None, plans: dict[str, list[Entry[Plan]]],
          unloadable: set[str] | frozenset[str] = frozenset(),
          remember: Remember = work_out) -> tuple[dict[str, PlanBook], list[Problem]]:
    """The plan books by term, and every problem found in the plans and the rules."""
    problems: list[Problem] = list(check_rules(curriculum, rules)) if rules is not None else []
    books: dict[str, PlanBook] = {}
    for term_id, entries in plans.items():
        book = books[term_id] = PlanBook(term_id)
        term = terms.get(term_id)
        for entry in entries:
            if term is None:
                problems.append(Problem(entry.file, tr("plan.no_term", term=term_id)))
                continue
            view = schools.get(entry.id)
            if view is None:
                if entry.id not in unloadable:
                    problems.append(Problem(entry.file, tr("plan.no_school", school=entry.id)))
                continue
            problems += remember(("plan checked", entry.file), (entry.model, view.school, term.term, curriculum.lessons),
                                 partial(check_plan, curriculum.lessons, view, entry, term.term))
            book.schools[entry.id] = entry
    if not any(p.severity == "error" for p in problems):
        problems += officer_clashes(curriculum.lessons, schools, rules.model if rules is not None else None, books)
    return books, problems


def check_plan(lessons: Lessons, view: SchoolView, entry: Entry[Plan], term: Term) -> list[Problem]:
    """A plan's sessions against its term (a day it can be held) and the lessons (one that fits)."""
    return [p for n, session in enumerate(entry.model.sessions)
            for p in _check_session(lessons, view, entry.file, term, session, n)]


def session_minutes(lessons: Lessons, session: PlannedSession, rules: Rules | None) -> int:
    """How long a session takes: its lesson's minutes (times periods), a drill what the rules say."""
    if session.kind == "drill":
        return rules.times.drill_minutes if rules is not None else SessionTimes().drill_minutes
    return lessons[session.lesson].model.variants[session.tier].minutes * session.periods


def _span(lessons: Lessons, session: PlannedSession, rules: Rules | None) -> tuple[dt.datetime, dt.datetime]:
    assert session.start is not None
    start = dt.datetime.combine(session.date, dt.time.fromisoformat(session.start))
    return start, start + dt.timedelta(minutes=session_minutes(lessons, session, rules))


def officer_clashes(lessons: Lessons, schools: dict[str, SchoolView], rules: Rules | None,
                    books: dict[str, PlanBook]) -> list[Problem]:
    """Hand-set times at which one officer would be at two schools at once: a warning on the later
    session of each pair (a session without a time is 时间待定 and clashes with nothing)."""
    timed: dict[tuple[str, dt.date], list[tuple[str, str, int, PlannedSession]]] = {}
    for book in books.values():
        for school_id, entry in sorted(book.schools.items()):
            officer = schools[school_id].school.liaison.officer_id
            for n, session in enumerate(entry.model.sessions):
                if session.start is not None:
                    timed.setdefault((officer, session.date), []).append((school_id, entry.file, n, session))
    found: list[Problem] = []
    for (_, day), sessions in sorted(timed.items(), key=lambda item: (item[0][0], item[0][1])):
        sessions.sort(key=lambda x: (x[3].start, x[0], x[2]))
        for k, (school_id, file, n, session) in enumerate(sessions):
            start, _end = _span(lessons, session, rules)
            for other_id, other_file, _, other in sessions[:k]:
                _, other_end = _span(lessons, other, rules)
                if other_id != school_id and start < other_end:
                    found.append(Problem(file, tr(
                        "plan.officer_clash", day=day, start=session.start, school=schools[other_id].school.name,
                        other_start=other.start, other_end=f"{other_end:%H:%M}", other_file=other_file,
                        officer=schools[school_id].school.liaison.name), ("sessions", n, "start"), severity="warning"))
    return found


def _check_session(lessons: Lessons, view: SchoolView, file: str, term: Term, session: PlannedSession,
                   n: int) -> Iterator[Problem]:
    where = ("sessions", n)
    day = session.date
    if not term.first_day <= day <= term.last_day:
        yield Problem(file, tr("plan.outside_term", day=day, first=term.first_day, last=term.last_day), (*where, "date"))
    elif reason := closed_reason(term, day):
        yield Problem(file, tr("plan.closed_day", day=day, reason=reason), (*where, "date"), severity="warning")
    yield from lesson_fits(lessons, view, file, session.lesson, session.tier, where, drill=session.kind == "drill")


def closed_reason(term: Term, day: dt.date) -> str | None:
    """Why no class is held on `day`, or None on a teaching day."""
    if day.weekday() >= 5:
        return tr("plan.weekend")
    for period in term.holidays:
        if period.start <= day <= period.end:
            return tr("plan.holiday", name=period.name)
    for period in term.exam_weeks:
        if period.start <= day <= period.end:
            return tr("plan.exams", name=period.name)
    return None


def check_rules(c: Curriculum, entry: Entry[Rules]) -> Iterator[Problem]:
    """The rules name lessons, topics and school types: each must exist."""
    rules, file = entry.model, entry.file
    drill_lists: list[tuple[tuple[str | int, ...], list[str]]] = [
        (("drills", "scenarios"), rules.drills.scenarios), (("boarding", "lessons"), rules.boarding.lessons)]
    drill_lists += [(("themed_days", n, "drill_lessons"), d.drill_lessons) for n, d in enumerate(rules.themed_days)]
    for loc, lesson_ids in drill_lists:
        for n, lesson_id in enumerate(lesson_ids):
            lesson = c.lessons.get(lesson_id)
            if lesson is None:
                yield Problem(file, tr("plan.no_lesson", id=lesson_id), (*loc, n))
            elif lesson.model.kind != "drill":
                yield Problem(file, tr("plan.not_a_drill", id=lesson_id), (*loc, n))
    for n, day in enumerate(rules.themed_days):
        for k, topic in enumerate(day.topics):
            if topic not in c.topics:
                yield Problem(file, tr("plan.no_topic", id=topic), ("themed_days", n, "topics", k))
    ruled = [("lesson_hours", rules.lesson_hours), ("drills", rules.drills), ("boarding", rules.boarding),
             ("term_sessions", rules.term_sessions)] + [(f"themed_days[{n}]", d) for n, d in enumerate(rules.themed_days)]
    for block, rule in ruled:
        for k, type_id in enumerate(rule.applies_to):
            if type_id not in c.school_types:
                loc = ("themed_days", int(block[12:-1])) if block.startswith("themed_days") else (block,)
                yield Problem(file, tr("plan.no_school_type", id=type_id), (*loc, "applies_to", k))
