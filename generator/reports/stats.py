"""Counts of lectures and drills delivered, from the schools' delivery records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ..curriculum import Curriculum


@dataclass
class Tally:
    lectures: int = 0
    drills: int = 0
    audience: int = 0
    drill_seconds: list[int] = field(default_factory=list)

    @property
    def sessions(self) -> int:
        return self.lectures + self.drills

    @property
    def mean_drill_seconds(self) -> int | None:
        return round(sum(self.drill_seconds) / len(self.drill_seconds)) if self.drill_seconds else None


@dataclass
class DeliveryStats:
    total: Tally
    by_term: dict[str, Tally]
    by_school: dict[str, Tally]
    by_topic: dict[str, Tally]
    by_tier: dict[str, Tally]


def term_of(day: dt.date) -> tuple[int, int, str]:
    """Chinese school terms: autumn runs September to January, spring February to August."""
    if day.month >= 9:
        return day.year, 2, f"{day.year}年秋季学期"
    if day.month == 1:
        return day.year - 1, 2, f"{day.year - 1}年秋季学期"
    return day.year, 1, f"{day.year}年春季学期"


def delivery_stats(curriculum: Curriculum) -> DeliveryStats:
    total = Tally()
    terms: dict[tuple[int, int, str], Tally] = defaultdict(Tally)
    schools: dict[str, Tally] = {}
    topics: dict[str, Tally] = {t: Tally() for t in curriculum.topics}
    tiers: dict[str, Tally] = {t: Tally() for t in curriculum.tiers}
    for view in curriculum.schools.values():
        schools[view.id] = Tally()
        for record in view.school.deliveries:
            lesson = curriculum.lessons[record.lesson].model
            for tally in (total, terms[term_of(record.date)], schools[view.id], topics[lesson.topic],
                          tiers[record.tier]):
                _add(tally, lesson.kind == "drill", record.audience, record.drill_seconds)
    ordered_terms = {key[2]: terms[key] for key in sorted(terms, reverse=True)}
    return DeliveryStats(total, ordered_terms, schools, topics, tiers)


def _add(tally: Tally, is_drill: bool, audience: int, seconds: int | None) -> None:
    if is_drill:
        tally.drills += 1
        if seconds is not None:
            tally.drill_seconds.append(seconds)
    else:
        tally.lectures += 1
    tally.audience += audience
