"""`huxiao plan --term 2027-spring`: propose each school's term plan into plans/<term>/<school>.yml.

A plan file belongs to the officer once written. A second run never rewrites it: what the rules
still lack is appended after the last line, so every hand edit, comment and blank line stays as
it was. Every file is checked before any is written, so a plan that cannot be extended safely
stops the run with nothing changed.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .. import stationdata
from ..schedule.planner import Proposal, propose
from ..source import yamlfile
from ..source.loading import ProjectPaths, ReadFiles, read_files
from ..source.messages import join, tr
from ..source.plans import Plan, PlannedSession
from ..source.problems import InvalidProject, Problem
from . import yamltext

WEEKDAY_NAMES = "一二三四五六日"
HEADER = """\
# yaml-language-server: $schema=../../schema/plan.schema.json
# {name}·{term}计划：由 huxiao plan 提出，请直接修改（改日期、换课程、删去不办的场次都可以）。
# 再次运行 huxiao plan 只会在文件末尾补上规则还缺的场次，不会改动已有内容。
sessions:
"""


@dataclass
class PlanWrite:
    path: Path
    text: str
    new: int


def run(paths: ProjectPaths, term_id: str, today: dt.date | None = None, read: ReadFiles = read_files,
        dry_run: bool = False, data: stationdata.StationData | None = None) -> tuple[Proposal, list[PlanWrite]]:
    """Plan the term and write (unless `dry_run`) what is new; InvalidProject if the project,
    the rules or an existing plan stand in the way. `data`: the project already loaded."""
    c = data or stationdata.load(paths, today=today, read=read)
    if c.rules is None:
        raise InvalidProject([Problem(paths.display(paths.rules), tr("plan.no_rules"))])
    if term_id not in c.terms:
        raise InvalidProject([Problem(f"records/{term_id}/_term.yml", tr("plan.no_calendar", term=term_id))])
    proposal = propose(c, term_id, c.rules.model)
    writes: list[PlanWrite] = []
    problems: list[Problem] = []
    folder = paths.plans / term_id
    for school_id, school in proposal.schools.items():
        if not school.new:
            continue
        path = folder / f"{school_id}.yml"
        items = render_sessions(c, school.new)
        if path.is_file():
            old = path.read_text(encoding="utf-8")
            text = old + ("" if old.endswith("\n") else "\n") + items
            trouble = _appended_cleanly(old, text, len(school.new), paths.display(path))
            if trouble:
                problems.append(trouble)
                continue
        else:
            view = c.schools[school_id]
            text = HEADER.format(name=view.school.name, term=c.terms[term_id].term.name) + items
        writes.append(PlanWrite(path, text, len(school.new)))
    if problems:
        raise InvalidProject(problems)
    if not dry_run:
        for write in writes:
            write.path.parent.mkdir(parents=True, exist_ok=True)
            scratch = write.path.with_name(f".{write.path.name}.tmp")
            scratch.write_text(write.text, encoding="utf-8")
            os.replace(scratch, write.path)
    return proposal, writes


# Written as a person would: ids and the kind and mode words unquoted.
_PLAIN = ("id", "kind", "lesson", "tier", "mode")


def render_sessions(c: stationdata.StationData, sessions: list[PlannedSession]) -> str:
    """The new sessions as items of the `sessions:` list, each under a comment a person can read."""
    out = []
    for session in sessions:
        lesson = c.curriculum.lessons[session.lesson].model
        what = "演练" if session.kind == "drill" else "讲座"
        comment = (f"  # {session.date:%m月%d日} 周{WEEKDAY_NAMES[session.date.weekday()]} · {what} · "
                   f"{lesson.title} · {c.curriculum.tiers[session.tier].name}")
        out.append(comment + "\n" + yamltext.render_item(session.model_dump(exclude_defaults=True), "  ", _PLAIN))
    return "".join(out)


def _appended_cleanly(old: str, new: str, added: int, name: str) -> Problem | None:
    """The appended text must read as the old plan plus the new sessions, and nothing else."""
    try:
        before = Plan.model_validate(yamlfile.parse(old) or {})
        after = Plan.model_validate(yamlfile.parse(new))
    except (yamlfile.YamlError, ValueError):
        after = None
    if after is None or after.sessions[:len(before.sessions)] != before.sessions or len(after.sessions) != len(before.sessions) + added:
        return Problem(name, tr("plan.cannot_append"), ("sessions",))
    return None


def report(term_id: str, proposal: Proposal, writes: list[PlanWrite], dry_run: bool) -> list[str]:
    """What a station reads after a run (in Chinese unless asked for English)."""
    total = sum(w.new for w in writes)
    lines = [tr("plan.summary", term=term_id, schools=len(proposal.schools), total=total,
                verb=tr("plan.verb_dry" if dry_run else "plan.verb_wet"), files=len(writes))]
    for _officer, (name, schools) in sorted(proposal.overloaded.items()):
        lines.append(tr("plan.overloaded", name=name, count=len(schools), schools=join(schools)))
    for school_id, school in sorted(proposal.schools.items()):
        for tier, lesson in school.repeats:
            lines.append(tr("plan.repeat", school=school_id, lesson=lesson, tier=tier))
        for demand, why in school.unmet:
            label = demand.label if demand else tr("plan.year_hours")
            key = "plan.unmet_hard" if demand is None or demand.hard else "plan.unmet_soft"
            lines.append(tr(key, school=school_id, label=label, why=why))
    return lines
