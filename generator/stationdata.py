"""The station's data: the curriculum, the schools, every term's records and every plan, loaded
and cross-checked as one.

`load` is the one call from a project folder to a `StationData` that reports and page building
read, or `InvalidProject` listing every problem with file, line and field. Each part is checked
by its own module against only the parts it depends on: the lessons and laws (`curriculum.py`),
the schools against the taxonomy (`schools.py`), the records against lessons and schools
(`records.py`), the plans and rules against all three and the term calendars (`plans.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from . import curriculum as curriculum_checks
from . import plans as plan_checks
from . import records as record_checks
from . import schools as school_checks
from .curriculum import Curriculum
from .plans import PlanBook
from .records import TermBook
from .schools import SchoolView
from .source import loading, yamlfile
from .source.loading import Entry, ProjectPaths, ReadFiles, Remember, read_files, work_out
from .source.models import Lesson
from .source.plans import Rules
from .source.problems import InvalidProject, Problem
from .source.schools import Thresholds
from .source.station import Station

# `curriculum.build` or a stand-in giving the same result (the speed layer's, which keeps the last
# one while `serve` rebuilds after a record changed and no lesson did).
CheckCurriculum = Callable[..., tuple[Curriculum, list[Problem]]]

@dataclass
class StationData:
    """Everything a station keeps, checked: what it teaches, where, what was done, what is planned."""

    curriculum: Curriculum
    schools: dict[str, SchoolView]
    thresholds: Thresholds | None = None
    # The term records, oldest term first (see records.py).
    terms: dict[str, TermBook] = field(default_factory=dict)
    # The term plans (see plans.py) and the rules they are made and checked by.
    plans: dict[str, PlanBook] = field(default_factory=dict)
    rules: Entry[Rules] | None = None
    # The station's settings (schools/_station.yml): who signs the reports; None when not written.
    station: Station | None = None
    warnings: list[Problem] = field(default_factory=list)
    remember: Remember = field(default=work_out, repr=False, compare=False)

    @property
    def today(self) -> dt.date:
        return self.curriculum.today

    def started_terms(self) -> dict[str, TermBook]:
        """The terms that have begun, oldest first: the ones with a record and a report (a term
        still to come has only its calendar, for planning)."""
        return {k: b for k, b in self.terms.items() if b.term.first_day <= self.today}

    def current_term(self) -> TermBook | None:
        started = list(self.started_terms().values())
        return started[-1] if started else None

    def planned_terms(self, school_id: str) -> list[str]:
        """The current term (its record against the rules) and every later term the school has a
        plan for."""
        current = self.current_term()
        later = [t for t, book in sorted(self.plans.items()) if school_id in book.schools and t in self.terms
                 and (current is None or (t > current.id and self.terms[t].term.first_day > current.term.first_day))]
        return ([current.id] if current is not None else []) + later

    def recommended(self, school: SchoolView) -> dict[str, list[Entry[Lesson]]]:
        """The lessons a school's tiers can be taught, tier by tier, in topic order."""
        return {tier: self.curriculum.tier_lessons(tier) for tier in school.tiers}

    def schools_by_district(self) -> dict[str, list[SchoolView]]:
        """The schools grouped by district, districts and schools in name order."""
        groups: dict[str, list[SchoolView]] = {}
        for view in sorted(self.schools.values(), key=lambda v: (v.school.district, v.school.name)):
            groups.setdefault(view.school.district, []).append(view)
        return groups


def load(paths: ProjectPaths, today: dt.date | None = None, read: ReadFiles = read_files,
         check_curriculum: CheckCurriculum = curriculum_checks.build,
         remember: Remember = work_out) -> StationData:
    """The project's data, or InvalidProject listing every problem with file, line and field.
    `read`, `check_curriculum` and `remember` are the plain steps' faster twins, if any (`remember`
    is handed on: the records and plans checked, and what the reports work out, are kept by it)."""
    loaded = loading.load_all(paths, read)
    problems = list(loaded.problems)
    if loaded.taxonomy is None:
        raise InvalidProject(problems)
    curriculum, found_in_curriculum = check_curriculum(
        loaded.taxonomy, loaded.lessons, taxonomy_file=paths.display(paths.taxonomy), unloadable=loaded.failed_ids,
        today=today or dt.date.today(), laws=loaded.laws, unloadable_laws=loaded.failed_laws, synonyms=loaded.synonyms)
    schools, found = school_checks.build(curriculum, loaded.schools)
    found = found_in_curriculum + found
    terms, found_in_records = record_checks.build(curriculum.lessons, schools, loaded.terms, loaded.records,
                                                  curriculum.today, unloadable=loaded.failed_ids,
                                                  remember=remember)
    found += found_in_records
    plans, found_in_plans = plan_checks.build(curriculum, schools, terms, loaded.rules, loaded.plans,
                                              unloadable=loaded.failed_ids, remember=remember)
    found += [p for p in found_in_plans if p.severity == "error"]
    problems += [yamlfile.locate_problem(p, paths.root) for p in found]
    if problems:
        raise InvalidProject(problems)
    warnings = curriculum.warnings + [p for p in found_in_plans if p.severity != "error"]
    return StationData(curriculum, schools, loaded.thresholds, terms, plans, loaded.rules, loaded.station,
                       [yamlfile.locate_problem(p, paths.root) for p in warnings], remember)
