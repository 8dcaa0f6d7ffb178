"""Plan against record, and both against the rules.

Each planned session is done (recorded that day), moved (recorded on another day), missed (its
day has passed with no record) or still planned. Each demand of the rules is met (by a record),
planned (a session still to come will meet it), or will be missed if nothing changes: red for a
verified obligation, amber for a suggestion or a rule we only have second-hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..source.plans import PlannedSession, Rules
from ..source.records import DrillRecord, Lecture
from .demands import Demand, applies, demands, hours_given, hours_needed, school_year_label, school_year_partner

if TYPE_CHECKING:
    from ..stationdata import StationData

SessionStatus = Literal["done", "moved", "missed", "planned"]
SESSION_LABELS: dict[str, str] = {"done": "已完成", "moved": "已调整", "missed": "未完成", "planned": "计划中"}
Level = Literal["met", "planned", "warn", "fail"]
LEVEL_LABELS: dict[str, str] = {"met": "已达到", "planned": "按计划可达到", "warn": "提醒：会错过", "fail": "不合规：会错过"}


@dataclass
class SessionRow:
    session: PlannedSession | None      # None: recorded without a plan
    record: Lecture | DrillRecord | None
    status: SessionStatus | Literal["unplanned"]

    @property
    def date(self) -> dt.date:
        if self.session is not None:
            return self.session.date
        assert self.record is not None
        return self.record.date

    @property
    def kind(self) -> str:
        if self.session is not None:
            return self.session.kind
        return "drill" if isinstance(self.record, DrillRecord) else "lecture"

    @property
    def lesson(self) -> str:
        item = self.session or self.record
        assert item is not None
        return item.lesson

    @property
    def tier(self) -> str:
        item = self.session or self.record
        assert item is not None
        return item.tier

    @property
    def public(self) -> bool:
        """Shown on the public school page: not an unannounced drill's date."""
        if self.session is not None and not self.session.public:
            return False
        return not (isinstance(self.record, DrillRecord) and self.record.mode == "unannounced")


@dataclass
class RuleRow:
    label: str
    window: str
    level: Level
    detail: str
    source: str
    confidence: str
    passed: bool = False  # its window is over: a miss is no longer "will be", it is

    @property
    def verdict(self) -> str:
        label = LEVEL_LABELS[self.level]
        return label.replace("会错过", "已错过") if self.passed and self.level in ("warn", "fail") else label


@dataclass
class SchoolTerm:
    """One school's term: the plan beside the record, and every rule with where it stands."""

    school_id: str
    term_id: str
    rows: list[SessionRow] = field(default_factory=list)
    rules: list[RuleRow] = field(default_factory=list)
    hours: RuleRow | None = None

    @property
    def worst(self) -> Level:
        levels = [r.level for r in self.rules] + ([self.hours.level] if self.hours else [])
        order: tuple[Level, ...] = ("fail", "warn", "planned")
        for level in order:
            if level in levels:
                return level
        return "met"

    @property
    def verdict(self) -> str:
        """The worst level's label: 已错过 when every rule at that level is past its window."""
        worst = [r for r in self.rules + ([self.hours] if self.hours else []) if r.level == self.worst]
        passed = bool(worst) and all(r.passed for r in worst)
        label = LEVEL_LABELS[self.worst]
        return label.replace("会错过", "已错过") if passed else label

    def count(self, level: str) -> int:
        return sum(1 for r in self.rules + ([self.hours] if self.hours else []) if r.level == level)


def match(sessions: list[PlannedSession], lectures: list[Lecture], drills: list[DrillRecord],
          today: dt.date) -> list[SessionRow]:
    """Each record paired with the planned session it carries out (same lesson, and tier for a
    lecture), the nearest in date; what is left over is missed, planned or unplanned."""
    rows: dict[int, SessionRow] = {}
    free = list(range(len(sessions)))
    extra: list[SessionRow] = []
    recorded: list[Lecture | DrillRecord] = sorted([*lectures, *drills], key=lambda r: r.date)
    for record in recorded:
        kind = "drill" if isinstance(record, DrillRecord) else "lecture"
        fits = [n for n in free if sessions[n].kind == kind and sessions[n].lesson == record.lesson
                and (kind == "drill" or sessions[n].tier == record.tier)]
        if not fits:
            extra.append(SessionRow(None, record, "unplanned"))
            continue
        n = min(fits, key=lambda k: (abs((sessions[k].date - record.date).days), k))
        free.remove(n)
        rows[n] = SessionRow(sessions[n], record, "done" if sessions[n].date == record.date else "moved")
    for n in free:
        rows[n] = SessionRow(sessions[n], None, "missed" if sessions[n].date < today else "planned")
    return sorted([rows[n] for n in range(len(sessions))] + extra, key=lambda r: (r.date, r.session.id if r.session else ""))


def school_term(c: StationData, term_id: str, school_id: str, rules: Rules | None,
                found: list[Demand] | None = None) -> SchoolTerm:
    """The school's plan beside its record, and each rule's demand (`found`: the school's
    demands, when the caller has them already) with where it stands."""
    book, plans = c.terms.get(term_id), c.plans.get(term_id)
    plan = plans.plan(school_id) if plans else None
    record = book.record(school_id) if book else None
    sessions = plan.sessions if plan else []
    lectures = record.lectures if record else []
    drills = record.drills if record else []
    result = SchoolTerm(school_id, term_id, match(sessions, lectures, drills, c.today))
    if book is None or rules is None:
        return result
    view = c.schools[school_id]
    done, coming = _held_and_coming(c, lectures, drills, result.rows)
    for demand in found if found is not None else demands(c, view, book.term, rules):
        result.rules.append(_rule_row(c, demand, done, coming, c.today))
    if applies(rules.lesson_hours, view.school.type):
        result.hours = _hours_row(c, term_id, school_id, rules, result.rows)
    return result


def rule_levels(c: StationData, term_id: str, school_id: str, found: list[Demand]) -> list[Level]:
    """Where each of the school's demands stands, as `school_term` says it, without the words a
    page shows (the term report counts them for every school of a city)."""
    book, plans = c.terms[term_id], c.plans.get(term_id)
    plan = plans.plan(school_id) if plans else None
    record = book.record(school_id)
    # what the demands `found` are worked out from, and what they are held against
    made_of = (record, plan, c.rules.model if c.rules else None, book.term, c.schools[school_id].school, c.curriculum)

    def levels() -> list[Level]:
        lectures = record.lectures if record else []
        drills = record.drills if record else []
        rows = match(plan.sessions if plan else [], lectures, drills, c.today)
        done, coming = _held_and_coming(c, lectures, drills, rows)
        return [_standing(demand, done, coming, c.today)[0] for demand in found]

    return c.remember(("rule_levels", term_id, school_id, c.today), made_of, levels)


Held = tuple[str, dt.date, str, str]  # kind, day, lesson, its topic


def _held_and_coming(c: StationData, lectures: list[Lecture], drills: list[DrillRecord],
                     rows: list[SessionRow]) -> tuple[list[Held], list[Held]]:
    """What was held (a lecture by another teacher is not the officer's) and what is still planned."""
    lessons = c.curriculum.lessons
    done: list[Held] = [("lecture", x.date, x.lesson, lessons[x.lesson].model.topic) for x in lectures if x.teacher is None]
    done += [("drill", x.date, x.lesson, lessons[x.lesson].model.topic) for x in drills]
    coming: list[Held] = [(s.kind, s.date, s.lesson, lessons[s.lesson].model.topic)
                          for s in (r.session for r in rows if r.status == "planned") if s]
    return done, coming


def _standing(demand: Demand, done: list[Held], coming: list[Held], today: dt.date) -> tuple[Level, Held | None]:
    """The demand met (and by what), planned (by what), or not."""
    def meets(items: list[Held]) -> Held | None:
        return next((x for x in items if demand.met_by(*x)), None)

    if hit := meets(done):
        return "met", hit
    if (hit := meets(coming)) and hit[1] >= today:
        return "planned", hit
    return ("fail" if demand.hard else "warn"), None


def _rule_row(c: StationData, demand: Demand, done: list[Held], coming: list[Held], today: dt.date) -> RuleRow:
    window = f"{demand.start:%m-%d}～{demand.end:%m-%d}"
    level, hit = _standing(demand, done, coming, today)
    if level == "met" and hit is not None:
        detail = f"{hit[1]:%m-%d} 已{'讲' if hit[0] == 'lecture' else '演练'}：{c.curriculum.lessons[hit[2]].model.title}"
    elif level == "planned" and hit is not None:
        detail = f"计划 {hit[1]:%m-%d}：{c.curriculum.lessons[hit[2]].model.title}"
    else:
        passed = demand.end < today
        topics = "、".join(c.curriculum.topics[t].name for t in demand.topics)
        what = f"（专题：{topics}）" if topics else ""
        detail = ("时间已过，没有记录" if passed else "没有安排，照现在的计划会错过") + what
    return RuleRow(demand.label, window, level, detail, demand.rule.source, demand.rule.confidence,
                   passed=demand.end < today)


def _hours_row(c: StationData, term_id: str, school_id: str, rules: Rules, rows: list[SessionRow]) -> RuleRow:
    per_year = rules.lesson_hours.per_year
    partner = school_year_partner(term_id)
    given = hours_given(c, term_id, school_id) + (hours_given(c, partner, school_id) if partner < term_id else 0)
    planned = sum(r.session.periods for r in rows if r.status == "planned" and r.session and r.session.kind == "lecture")
    year = school_year_label(term_id)
    if given >= per_year:
        level: Level = "met"
    elif given + planned >= per_year or (term_id.endswith("autumn") and given + planned >= hours_needed(c, term_id, school_id, rules)):
        level = "planned"
    else:
        level = "fail" if rules.lesson_hours.confidence == "verified" else "warn"
    detail = f"{year}已讲 {given} 课时，本学期还计划 {planned} 课时；每学年至少 {per_year} 课时"
    return RuleRow(f"法治副校长课时（{year}）", "全学年", level, detail, rules.lesson_hours.source, rules.lesson_hours.confidence,
                   passed=c.terms[term_id].term.last_day < c.today)
