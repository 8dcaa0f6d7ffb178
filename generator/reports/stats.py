"""Counts of lectures and drills held, from the term records."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..stationdata import StationData


@dataclass
class Tally:
    lectures: int = 0
    drills: int = 0
    audience: int = 0  # 讲座受教育人次: lectures only, as the term report counts it
    participants: int = 0  # 演练参演人次, never added to the audience
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


def held_by_school(data: StationData) -> dict[str, tuple[int, int]]:
    """Each school's lectures and drills, all terms: the school list shows no more (quick to
    count, so a page cache can key the list by them)."""
    held = dict.fromkeys(data.schools, (0, 0))
    for book in data.terms.values():
        for school_id, entry in book.schools.items():
            lectures, drills = held[school_id]
            held[school_id] = (lectures + len(entry.model.lectures), drills + len(entry.model.drills))
    return held


def delivery_stats(data: StationData) -> DeliveryStats:
    total = Tally()
    terms: dict[str, Tally] = defaultdict(Tally)
    schools: dict[str, Tally] = {}
    topics: dict[str, Tally] = {t: Tally() for t in data.curriculum.topics}
    tiers: dict[str, Tally] = {t: Tally() for t in data.curriculum.tiers}
    for view in data.schools.values():
        schools[view.id] = Tally()
    lessons = data.curriculum.lessons
    # Record by record (the sum needs no order): a city has thousands of them.
    for book in data.terms.values():
        for school_id, entry in book.schools.items():
            record, school = entry.model, schools[school_id]
            for lecture in record.lectures:
                for tally in (total, terms[book.term.name], school, topics[lessons[lecture.lesson].model.topic], tiers[lecture.tier]):
                    tally.lectures += 1
                    tally.audience += lecture.audience
            for drill in record.drills:
                for tally in (total, terms[book.term.name], school, topics[lessons[drill.lesson].model.topic], tiers[drill.tier]):
                    tally.drills += 1
                    tally.participants += drill.participants
                    if drill.seconds is not None:
                        tally.drill_seconds.append(drill.seconds)
    # Newest term first.
    ordered = [book.term.name for book in reversed(data.terms.values()) if book.term.name in terms]
    return DeliveryStats(total, {name: terms[name] for name in ordered}, schools, topics, tiers)
