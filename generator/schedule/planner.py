"""A term plan per school that meets the rules: `propose(data, term_id)`.

Greedy and plain, because a city plans 2,000 schools at once: the demands of each school (see
`demands.py`) are taken by the end of their window; each unmet one gets a session on the teaching
day that meets the most other demands too, then the day its officer is least busy, then the day
the demand prefers (near a themed day, early for the first lesson, late before a holiday). What
is already planned or recorded counts first, so a second run only fills the gaps. A lesson given
to the same tier last term is not proposed again; topics rotate; drill scripts rotate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..source.messages import tr
from ..source.plans import PlannedSession, Rules
from ..source.records import Lecture, Term
from .compliance import match
from .demands import Demand, Kind, applies, demands, hours_needed, officer_id, overloaded_officers, teaching_days

if TYPE_CHECKING:
    from ..schools import SchoolView
    from ..stationdata import StationData


@dataclass(frozen=True)
class Held:
    """A session as the rules see it: planned or recorded."""

    kind: str
    date: dt.date
    lesson: str
    topic: str
    tier: str
    periods: int = 1


@dataclass
class SchoolProposal:
    school_id: str
    officer: str
    new: list[PlannedSession] = field(default_factory=list)
    unmet: list[tuple[Demand | None, str]] = field(default_factory=list)  # (demand, why); None: the year's hours
    # (tier, lesson) given last term and proposed again: the topic holds no other lesson for the tier
    repeats: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Proposal:
    term_id: str
    schools: dict[str, SchoolProposal] = field(default_factory=dict)
    # officer id -> (name, unit, school ids) for those over the rules' limit
    overloaded: dict[str, tuple[str, list[str]]] = field(default_factory=dict)


def previous_term(term_id: str) -> str:
    year, season = term_id.split("-")
    return f"{year}-spring" if season == "autumn" else f"{int(year) - 1}-autumn"


def held_sessions(c: StationData, term_id: str, school_id: str) -> list[Held]:
    """What a school's plan and record for a term hold, a recorded session and the planned one it
    carries out counted once (on the day it was held)."""
    book, records = c.plans.get(term_id), c.terms.get(term_id)
    plan = book.plan(school_id) if book else None
    record = records.record(school_id) if records else None
    sessions = [s for s in plan.sessions if s.lesson in c.curriculum.lessons] if plan else []
    lectures = [x for x in record.lectures if x.teacher is None] if record else []
    held: list[Held] = []
    for row in match(sessions, lectures, record.drills if record else [], c.today):
        item = row.record or row.session
        assert item is not None
        kind = row.session.kind if row.session else ("lecture" if isinstance(item, Lecture) else "drill")
        periods = item.periods if isinstance(item, (Lecture, PlannedSession)) else 1
        held.append(Held(kind, item.date, item.lesson, c.curriculum.lessons[item.lesson].model.topic, item.tier, periods))
    return held


def propose(c: StationData, term_id: str, rules: Rules) -> Proposal:
    """New sessions for every school in the term, and what cannot be met and why."""
    term = c.terms[term_id].term
    proposal = Proposal(term_id)
    load: Counter[tuple[str, dt.date]] = Counter()
    weeks: Counter[tuple[str, dt.date]] = Counter()
    held_by_school = {sid: held_sessions(c, term_id, sid) for sid in c.schools}
    for sid, view in c.schools.items():
        officer = officer_id(view.school.liaison)
        for h in held_by_school[sid]:
            load[officer, h.date] += 1
            weeks[officer, _monday(h.date)] += 1
    proposal.overloaded = overloaded_officers(c, rules)
    days = [d for d in teaching_days(term) if d >= c.today]  # a plan only proposes what is still ahead
    pools = lecture_pools(c)
    last_term = previous_term(term_id)
    for sid in sorted(c.schools):
        view = c.schools[sid]
        planner = _SchoolPlanner(c, view, term, rules, days, load, held_by_school[sid],
                                 held_sessions(c, last_term, sid), _existing_ids(c, term_id, sid), pools, weeks)
        proposal.schools[sid] = planner.run(hours_needed(c, term_id, sid, rules))
    return proposal


def lecture_pools(c: StationData) -> dict[str, dict[str, list[str]]]:
    """tier -> topic -> the lectures (not drills) taught to that tier, by title."""
    return {tier: {topic: [e.id for e in c.curriculum.lessons_for(tier, topic) if e.model.kind == "lecture"]
                   for topic in c.curriculum.topics_of_tier(tier)} for tier in c.curriculum.tiers}


def _existing_ids(c: StationData, term_id: str, school_id: str) -> set[str]:
    book = c.plans.get(term_id)
    plan = book.plan(school_id) if book else None
    return {s.id for s in plan.sessions} if plan else set()


class _SchoolPlanner:
    def __init__(self, c: StationData, view: SchoolView, term: Term, rules: Rules, days: list[dt.date],
                 load: Counter[tuple[str, dt.date]], held: list[Held], last_term: list[Held], ids: set[str],
                 pools: dict[str, dict[str, list[str]]], weeks: Counter[tuple[str, dt.date]]) -> None:
        self.c, self.view, self.term, self.rules, self.days, self.load = c, view, term, rules, days, load
        self.pools, self.weeks = pools, weeks
        self.busy_days = {h.date for h in held}
        self.held = list(held)
        self.officer = officer_id(view.school.liaison)
        self.result = SchoolProposal(view.id, self.officer)
        self.taken_ids = set(ids)
        self.last_term_lessons = {(h.tier, h.lesson) for h in last_term}
        self.topic_use: Counter[tuple[str, str]] = Counter((h.tier, h.topic) for h in last_term + held if h.kind == "lecture")
        self.last_drill = next((h.lesson for h in sorted(last_term + held, key=lambda h: h.date, reverse=True)
                                if h.kind == "drill"), None)

    # -- the plan

    def run(self, hours: int) -> SchoolProposal:
        wanted = demands(self.c, self.view, self.term, self.rules)
        # Topic-bound demands first: an open demand must not use up the one lesson a themed day needs.
        for demand in sorted(wanted, key=lambda d: not d.topics):
            if not self._met(demand):
                self._place(demand, [d for d in wanted if not self._met(d)])
        if applies(self.rules.lesson_hours, self.view.school.type):
            self._fill_hours(hours)
        self._number_by_date()
        return self.result

    def _number_by_date(self) -> None:
        """New sessions get the free ids s01, s02, ... in date order (ids are kept in the file,
        so a calendar event stays the same event when its date is edited)."""
        self.result.new.sort(key=lambda s: (s.date, s.kind))
        number = 1
        for session in self.result.new:
            while f"s{number:02d}" in self.taken_ids:
                number += 1
            session.id = f"s{number:02d}"
            self.taken_ids.add(session.id)

    def _met(self, demand: Demand) -> bool:
        return any(demand.met_by(h.kind, h.date, h.lesson, h.topic) for h in self.held)

    def _place(self, demand: Demand, open_demands: list[Demand]) -> None:
        window = self.days[bisect_left(self.days, demand.start):bisect_right(self.days, demand.end)]
        if not window:
            self.result.unmet.append((demand, tr("plan.why_no_day", start=demand.start, end=demand.end)))
            return
        free = [d for d in window if self._free(d)]
        if not free:
            limit = self.rules.officer_load.max_sessions_per_day
            self.result.unmet.append((demand, tr("plan.why_full", start=demand.start, end=demand.end, limit=limit)))
            return
        day = max(free, key=lambda d: (self._also_meets(demand, d, open_demands), _near_anchors(demand, d, open_demands),
                                       -self._busy(d), _preference(demand, d)))
        topics = demand.topics or next((o.topics for o in open_demands
                                        if o.kind == "lecture" and o.topics and o.start <= day <= o.end), ())
        if demand.kind == "lecture":
            chosen = self._lecture(topics)
            if chosen is None:
                self.result.unmet.append((demand, tr("plan.why_no_lecture")))
                return
        else:
            chosen = self._drill(demand)
            if chosen is None:
                self.result.unmet.append((demand, tr("plan.why_no_drill")))
                return
        tier, lesson_id = chosen
        why = [o.label for o in open_demands
               if o.met_by(demand.kind, day, lesson_id, self.c.curriculum.lessons[lesson_id].model.topic)] or [demand.label]
        self._add(demand.kind, day, lesson_id, tier, why)

    def _fill_hours(self, hours: int) -> None:
        """More lectures, each in the widest gap between the term's lectures, until the year's
        课时 can be reached."""
        while sum(h.periods for h in self.held if h.kind == "lecture") < hours:
            taken = sorted({h.date for h in self.held if h.kind == "lecture"})
            free = [d for d in self.days if self._free(d)]
            if not free:
                self.result.unmet.append((None, tr("plan.why_no_free_day")))
                return
            day = max(free, key=lambda d: (min((abs((d - t).days) for t in taken), default=999), -self._busy(d), -d.toordinal()))
            chosen = self._lecture(())
            if chosen is None:
                self.result.unmet.append((None, tr("plan.why_no_lecture")))
                return
            tier, lesson_id = chosen
            self._add("lecture", day, lesson_id, tier, [f"每学年至少{self.rules.lesson_hours.per_year}课时"])

    def _add(self, kind: Kind, day: dt.date, lesson_id: str, tier: str, why: list[str]) -> None:
        topic = self.c.curriculum.lessons[lesson_id].model.topic
        session = PlannedSession(id="new", date=day, kind=kind, lesson=lesson_id, tier=tier, why=why)
        self.result.new.append(session)
        self.held.append(Held(kind, day, lesson_id, topic, tier))
        self.load[self.officer, day] += 1
        self.weeks[self.officer, _monday(day)] += 1
        self.busy_days.add(day)
        if kind == "lecture":
            self.topic_use[tier, topic] += 1
        else:
            self.last_drill = lesson_id

    # -- days

    def _free(self, day: dt.date) -> bool:
        return self.load[self.officer, day] < self.rules.officer_load.max_sessions_per_day and day not in self.busy_days

    def _busy(self, day: dt.date) -> int:
        """The officer's sessions that day and, less, that week: so schools get different days."""
        return self.load[self.officer, day] * 10 + self.weeks[self.officer, _monday(day)]

    @staticmethod
    def _also_meets(demand: Demand, day: dt.date, open_demands: list[Demand]) -> int:
        return sum(1 for o in open_demands if o.kind == demand.kind and o.start <= day <= o.end
                   and (not o.topics or not demand.topics or set(o.topics) & set(demand.topics)))

    # -- lessons

    def _tiers_in_turn(self, kind: str) -> list[str]:
        """The school's tiers, the least served this term first."""
        count = Counter(h.tier for h in self.held if h.kind == kind)
        return sorted(self.view.tiers, key=lambda t: (count[t], self.view.tiers.index(t)))

    def _lecture(self, topics: tuple[str, ...]) -> tuple[str, str] | None:
        """A lesson for the least served tier: from the topic it heard least of, the first lesson in
        a school-specific rotation it has not had this term or last (last term's only if nothing else)."""
        planned = {(h.tier, h.lesson) for h in self.held}
        for tier in self._tiers_in_turn("lecture"):
            pools = self.pools.get(tier, {})
            choices = [t for t in (topics or pools) if pools.get(t)]
            for topic in sorted(choices, key=lambda t: (self.topic_use[tier, t], _mix(self.view.id, t))):
                ids = pools[topic]
                offset = int.from_bytes(_mix(self.view.id, tier), "big") % len(ids)
                turn = ids[offset:] + ids[:offset]
                fresh = next((x for x in turn if (tier, x) not in planned and (tier, x) not in self.last_term_lessons), None)
                if fresh is not None:
                    return tier, fresh
            for topic in sorted(choices, key=lambda t: (self.topic_use[tier, t], _mix(self.view.id, t))):
                again = next((x for x in pools[topic] if (tier, x) not in planned), None)
                if again is not None:
                    self.result.repeats.append((tier, again))
                    return tier, again
        return None

    def _drill(self, demand: Demand) -> tuple[str, str] | None:
        order = list(demand.lessons or demand.prefer_lessons) + [x for x in self.rules.drills.scenarios
                                                                 if not demand.lessons]
        if self.last_drill in order and not demand.lessons and not demand.prefer_lessons:
            at = order.index(self.last_drill) + 1
            order = order[at:] + order[:at]
        for lesson_id in order:
            entry = self.c.curriculum.lessons.get(lesson_id)
            if entry is None:
                continue
            for tier in self._tiers_in_turn("drill"):
                if tier in entry.model.variants:
                    return tier, lesson_id
        return None


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _near_anchors(demand: Demand, day: dt.date, open_demands: list[Demand]) -> int:
    """Close to the themed days whose windows the day is in: a themed day's session within a few
    days of it beats a quieter week further away."""
    anchored = [o for o in [demand, *open_demands] if o.kind == demand.kind and o.anchor and o.start <= day <= o.end]
    return -sum(abs((day - o.anchor).days) // 4 for o in anchored if o.anchor is not None)


def _preference(demand: Demand, day: dt.date) -> int:
    if demand.prefer == "early":
        return -day.toordinal()
    if demand.prefer == "late":
        return day.toordinal()
    if demand.prefer == "anchor" and demand.anchor is not None:
        return -abs((day - demand.anchor).days)
    middle = demand.start + (demand.end - demand.start) / 2
    return -abs((day - middle).days)


def _mix(school_id: str, lesson_id: str) -> bytes:
    """A fixed but school-dependent order, so neighbouring schools do not all get the same lesson."""
    return hashlib.blake2b(f"{school_id}/{lesson_id}".encode(), digest_size=4).digest()
