"""The officer's 考核 sheet: per school served, what the school year's records show.

教育部令第52号 has the school evaluate its 法治副校长 each year; the sheet puts the counts the
school checks on one page (课时 against the rule, lectures, drills guided, staff trainings), with
room for the school's sign-off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..schedule.demands import officer_id, school_year_label, school_year_partner

if TYPE_CHECKING:
    from ..stationdata import StationData


@dataclass
class SchoolLine:
    school_id: str
    name: str
    periods: int
    lectures: int
    drills: int
    trainings: int


@dataclass
class OfficerSheet:
    id: str
    name: str
    unit: str
    title: str
    year: str
    required: int
    schools: list[SchoolLine] = field(default_factory=list)

    def short(self, line: SchoolLine) -> int:
        return max(0, self.required - line.periods)


def school_year_terms(term_id: str) -> list[str]:
    partner = school_year_partner(term_id)
    return sorted([term_id, partner], key=lambda t: (t[:4], t.endswith("autumn")))


def officer_sheets(c: StationData, term_id: str, required: int) -> dict[str, OfficerSheet]:
    """Every officer's sheet for the school year `term_id` belongs to, by officer id."""
    terms = [c.terms[t] for t in school_year_terms(term_id) if t in c.terms]
    sheets: dict[str, OfficerSheet] = {}
    for view in sorted(c.schools.values(), key=lambda v: v.school.name):
        liaison = view.school.liaison
        key = officer_id(liaison)
        sheet = sheets.setdefault(key, OfficerSheet(key, liaison.name, liaison.unit, liaison.title,
                                                    school_year_label(term_id), required))
        records = [r for book in terms if (r := book.record(view.id)) is not None]
        own = [x for r in records for x in r.lectures if x.teacher is None]
        sheet.schools.append(SchoolLine(view.id, view.school.name, sum(x.periods for x in own), len(own),
                                        sum(len(r.drills) for r in records), sum(len(r.trainings) for r in records)))
    return sheets
