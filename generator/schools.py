"""The schools cross-checked against the curriculum: each with the tiers it serves.

Input is what `source.loading` read from `schools/` and the checked `Curriculum`; output is a
`SchoolView` per school or the problems that make a profile inconsistent with the taxonomy (an
unknown school type or tier, an id a lesson has already).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .curriculum import Curriculum, unknown
from .source.loading import Entry
from .source.messages import tr
from .source.models import SchoolType
from .source.problems import Problem
from .source.schools import School


@dataclass
class SchoolView:
    """A school with what is derived from it: the tiers it serves."""

    entry: Entry[School]
    tiers: list[str]
    # the entry's, as attributes: a city's reports read them some 100,000 times a build
    id: str = field(init=False)
    school: School = field(init=False)

    def __post_init__(self) -> None:
        self.id = self.entry.id
        self.school = self.entry.model


def build(curriculum: Curriculum, schools: list[Entry[School]]) -> tuple[dict[str, SchoolView], list[Problem]]:
    """Each school with its tiers, by id, and every problem found in the profiles."""
    problems: list[Problem] = []
    views: dict[str, SchoolView] = {}
    for school in schools:
        view = SchoolView(school, _school_tiers(school.model, curriculum.school_types))
        views[school.id] = view
        problems += _check_school(view, curriculum)
        if school.id in curriculum.lessons:
            problems.append(Problem(school.file, tr("duplicate_id_lesson", id=school.id)))
    return views, problems


def _school_tiers(school: School, school_types: dict[str, SchoolType]) -> list[str]:
    if school.tiers is not None:
        return list(school.tiers)
    known = school_types.get(school.type)
    return list(known.tiers) if known else []


def _check_school(view: SchoolView, curriculum: Curriculum) -> Iterator[Problem]:
    school, file = view.school, view.entry.file
    if school.type not in curriculum.school_types:
        yield Problem(file, unknown("school type", school.type, curriculum.school_types), ("type",))
    for n, tier in enumerate(school.tiers or []):
        if tier not in curriculum.tiers:
            yield Problem(file, unknown("tier", tier, curriculum.tiers), ("tiers", n))

