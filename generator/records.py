"""The term records cross-checked against the curriculum and the schools, and indexed by term.

Input is what `source.loading` read from `records/`; output is a `TermBook` per term (its dates
and each school's record) or the problems that make the records inconsistent: a date outside the
term or in the future, a lesson that does not exist or does not serve that tier, a drill record
that names no drill, a duty post the school does not have, the same slot recorded twice.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from .schools import SchoolView
from .source.loading import Entry, Remember, work_out
from .source.messages import join, tr
from .source.models import Lesson
from .source.problems import Loc, Problem
from .source.records import DrillRecord, Fix, Lecture, SchoolRecord, Term

Lessons = dict[str, Entry[Lesson]]


@dataclass
class TermBook:
    """One term: its calendar and every school's record for it (by school id)."""

    id: str
    entry: Entry[Term]
    schools: dict[str, Entry[SchoolRecord]] = field(default_factory=dict)

    @property
    def term(self) -> Term:
        return self.entry.model

    def record(self, school_id: str) -> SchoolRecord | None:
        entry = self.schools.get(school_id)
        return entry.model if entry is not None else None


def build(lessons: Lessons, schools: dict[str, SchoolView], terms: dict[str, Entry[Term] | None],
          records: dict[str, list[Entry[SchoolRecord]]], today: dt.date,
          unloadable: set[str] | frozenset[str] = frozenset(),
          remember: Remember = work_out) -> tuple[dict[str, TermBook], list[Problem]]:
    """The term books, oldest first, and every problem found in the records: each checked against
    the lessons (they exist, fit the tier) and its school (the tiers it serves, its duty posts)."""
    problems: list[Problem] = []
    books: dict[str, TermBook] = {}
    for term_id in sorted(terms, key=lambda t: (t[:4], t.endswith("autumn"))):
        entry = terms[term_id]
        if entry is None:
            continue  # its file is missing or invalid, reported when it was read
        problems += _check_term(entry)
        book = books[term_id] = TermBook(term_id, entry)
        for record in records.get(term_id, []):
            view = schools.get(record.id)
            if view is None and record.id in unloadable:
                continue  # the school's own file is broken, and reported
            if view is None:
                problems.append(Problem(record.file, tr("record_no_school", id=record.id)))
                continue
            # by school and term too: two record files with the same bytes may be one object
            made_of = (record.model, view.school, entry.model, lessons)
            if not remember(("record looks fine", *map(id, made_of[:3]), today), made_of,
                            partial(looks_fine, record.model, view, entry.model, lessons, today)):
                problems += [p for p in _check_record(record, view, entry.model, lessons, today)
                             if not (p.code == "unknown_lesson" and p.extra.get("lesson") in unloadable)]
            book.schools[record.id] = record
    return books, problems


def _check_term(entry: Entry[Term]) -> Iterator[Problem]:
    term = entry.model
    year, season = entry.id.split("-")
    if term.first_day.year != int(year):
        yield Problem(entry.file, tr("first_day_year", day=term.first_day, year=year),
                      ("first_day",))
    if season == "autumn" and not 7 <= term.first_day.month <= 10:
        yield Problem(entry.file, tr("autumn_start"), ("first_day",))
    if season == "spring" and not 1 <= term.first_day.month <= 4:
        yield Problem(entry.file, tr("spring_start"), ("first_day",))
    for kind, periods in (("holidays", term.holidays), ("exam_weeks", term.exam_weeks)):
        for n, period in enumerate(periods):
            if period.end < term.first_day or period.start > term.last_day:
                yield Problem(entry.file, tr("period_outside", name=period.name), (kind, n))


def looks_fine(record: SchoolRecord, view: SchoolView, term: Term, lessons: Lessons, today: dt.date) -> bool:
    """A quick look that passes nearly every record, and none with a problem: `_check_record`
    walks a record only on a doubt (a city has thousands of record files, and most are fine)."""
    first, latest = term.first_day, min(today, term.last_day)
    points = {p.id for p in view.school.patrol_points}
    held: list[tuple[Lecture | DrillRecord, bool]] = [(x, False) for x in record.lectures]
    held += [(x, True) for x in record.drills]
    for item, is_drill in held:
        entry = lessons.get(item.lesson)
        if (entry is None or not first <= item.date <= latest or (entry.model.kind == "drill") != is_drill
                or item.tier not in view.tiers or item.tier not in entry.model.variants):
            return False
    for drill_record in record.drills:
        if any(f.fixed is not None and f.fixed > today for f in drill_record.problems):
            return False
    for duty in record.duty:
        if duty.point not in points or not first <= duty.start <= latest \
                or duty.start + dt.timedelta(days=duty.days - 1) > term.last_day:
            return False
    if not all(first <= x.date <= latest for x in record.trainings) or \
            not all(first <= x.date <= latest for x in record.inspections):
        return False
    slots = ([(x.date, x.lesson, x.tier) for x in record.lectures], [(x.date, x.lesson, tuple(x.groups)) for x in record.drills],
             [(x.start, x.point, x.band) for x in record.duty], [(x.date, x.subject) for x in record.trainings],
             [x.date for x in record.inspections])
    return all(len(set(kind)) == len(kind) for kind in slots)


def _check_record(entry: Entry[SchoolRecord], view: SchoolView, term: Term, lessons: Lessons,
                  today: dt.date) -> Iterator[Problem]:
    record, file = entry.model, entry.file

    def date(day: dt.date, loc: Loc) -> Iterator[Problem]:
        if not term.first_day <= day <= term.last_day:
            yield Problem(file, tr("day_outside", day=day, first=term.first_day, last=term.last_day), loc)
        elif day > today:
            yield Problem(file, tr("day_future", day=day), loc)

    for n, lecture in enumerate(record.lectures):
        where: Loc = ("lectures", n)
        yield from date(lecture.date, (*where, "date"))
        yield from lesson_fits(lessons, view, file, lecture.lesson, lecture.tier, where, drill=False)
    for n, drill in enumerate(record.drills):
        where = ("drills", n)
        yield from date(drill.date, (*where, "date"))
        yield from lesson_fits(lessons, view, file, drill.lesson, drill.tier, where, drill=True)
        for k, fix in enumerate(drill.problems):
            if fix.fixed is not None and fix.fixed > today:
                yield Problem(file, tr("fixed_future", day=fix.fixed), (*where, "problems", k, "fixed"))
    points = {p.id for p in view.school.patrol_points}
    for n, duty in enumerate(record.duty):
        where = ("duty", n)
        yield from date(duty.start, (*where, "start"))
        last = duty.start + dt.timedelta(days=duty.days - 1)
        if last > term.last_day:
            yield Problem(file, tr("duty_past_end", days=duty.days, start=duty.start), (*where, "days"))
        if duty.point not in points:
            known = join(sorted(points)) or tr("none_yet")
            yield Problem(file, tr("unknown_point", point=duty.point, known=known),
                          (*where, "point"))
    for n, training in enumerate(record.trainings):
        yield from date(training.date, ("trainings", n, "date"))
    for n, inspection in enumerate(record.inspections):
        yield from date(inspection.date, ("inspections", n, "date"))
    yield from _twice(file, "lectures", [(x.date, x.lesson, x.tier) for x in record.lectures])
    yield from _twice(file, "drills", [(x.date, x.lesson, tuple(x.groups)) for x in record.drills])
    yield from _twice(file, "duty", [(x.start, x.point, x.band) for x in record.duty])
    yield from _twice(file, "trainings", [(x.date, x.subject) for x in record.trainings])
    yield from _twice(file, "inspections", [(x.date,) for x in record.inspections])


def lesson_fits(lessons: Lessons, view: SchoolView, file: str, lesson_id: str, tier: str, where: Loc,
                drill: bool) -> Iterator[Problem]:
    """A recorded or planned session's lesson exists, is (or is not) a drill, and serves a tier the
    school has."""
    entry = lessons.get(lesson_id)
    if entry is None:
        yield Problem(file, tr("unknown_lesson", id=lesson_id), (*where, "lesson"), code="unknown_lesson",
                      extra={"lesson": lesson_id})
        return
    if drill and entry.model.kind != "drill":
        yield Problem(file, tr("not_a_drill", id=lesson_id),
                      (*where, "lesson"))
    if not drill and entry.model.kind == "drill":
        yield Problem(file, tr("is_a_drill", id=lesson_id), (*where, "lesson"))
    if tier not in view.tiers:
        yield Problem(file, tr("tier_not_served", tier=tier, tiers=join(view.tiers)),
                      (*where, "tier"))
    elif tier not in entry.model.variants:
        yield Problem(file, tr("no_variant_for_tier", id=lesson_id, tier=tier), (*where, "tier"))


def _twice(file: str, kind: str, slots: list[tuple]) -> Iterator[Problem]:
    counts = Counter(slots)
    seen: set[tuple] = set()
    for n, slot in enumerate(slots):
        if counts[slot] > 1 and slot in seen:
            yield Problem(file, tr("slot_twice", what=tr(f"slot.{kind}" if kind in ("lectures", "duty") else "slot.other")),
                          (kind, n))
        seen.add(slot)


# --------------------------------------------------------------------------- derived values


def target_seconds(lessons: Lessons, drill: DrillRecord) -> int | None:
    """The drill's target: the school's own for that building, else the script's for the tier."""
    if drill.target_seconds is not None:
        return drill.target_seconds
    lesson = lessons[drill.lesson].model
    variant = lesson.variants.get(drill.tier)
    if variant is not None and variant.target_seconds is not None:
        return variant.target_seconds
    return lesson.drill.target_seconds if lesson.drill is not None else None


def is_open(fix: Fix, on: dt.date) -> bool:
    return fix.fixed is None or fix.fixed > on


def is_overdue(fix: Fix, on: dt.date) -> bool:
    return is_open(fix, on) and fix.due < on


def fixes_of(record: SchoolRecord) -> list[Fix]:
    """The problems a record's drills found and the hazards its inspections found."""
    return [f for d in record.drills for f in d.problems] + [f for i in record.inspections for f in i.findings]


def lectures_of(books: dict[str, TermBook], school_id: str) -> list[tuple[TermBook, Lecture]]:
    """Every lecture a school recorded, term by term, in date order."""
    return [(book, x) for book in books.values() for x in _sorted(book, school_id, "lectures")]


def drills_of(books: dict[str, TermBook], school_id: str) -> list[tuple[TermBook, DrillRecord]]:
    """Every drill a school recorded, term by term, in date order."""
    return [(book, x) for book in books.values() for x in _sorted(book, school_id, "drills")]


def _sorted(book: TermBook, school_id: str, kind: str) -> list:
    record = book.record(school_id)
    return sorted(getattr(record, kind), key=lambda x: x.date) if record is not None else []
