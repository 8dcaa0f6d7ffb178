"""`huxiao migrate-records`: school profiles' `deliveries:` and `internal.patrol_points` into records.

Before term records existed, a school profile kept a flat `deliveries:` list and free-text patrol
points. This moves each delivery into `records/<term-id>/<school-id>.yml` (a lecture, or a drill
when its lesson is a drill) and each patrol point into `patrol_points:` with an id, then takes the
old blocks out of the profile, leaving every other line (comments included) as it was.

Nothing is overwritten: when a record file it would write exists already, it writes nothing and
says which. Everything is computed first and written last, so a problem leaves no half-move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..source import loading, yamlfile
from ..source.loading import ProjectPaths
from ..source.messages import tr


class MigrationError(Exception):
    pass


@dataclass
class Plan:
    """The files to write (path -> text), and what moved."""

    writes: dict[Path, str] = field(default_factory=dict)
    moved_deliveries: int = 0
    moved_points: int = 0


def term_id(day: dt.date) -> str:
    """Chinese school terms: autumn from September to January, spring from February to August."""
    if day.month >= 9:
        return f"{day.year}-autumn"
    if day.month == 1:
        return f"{day.year - 1}-autumn"
    return f"{day.year}-spring"


def _term_template(term: str) -> str:
    year, season = term.split("-")
    first, last = (f"{year}-09-01", f"{int(year) + 1}-01-31") if season == "autumn" else \
                  (f"{year}-02-15", f"{year}-07-15")
    name = f"{year}年{'秋季' if season == 'autumn' else '春季'}学期"
    return (f"# 由 huxiao migrate-records 生成：请按本地校历核对开学、结束日期，并填写假期和考试周。\n"
            f"name: {name}\nfirst_day: {first}\nlast_day: {last}\nholidays: []\nexam_weeks: []\n")


def plan(paths: ProjectPaths, kinds: dict[str, str]) -> Plan:
    """What migrating would write; `kinds` is each lesson id's kind (lecture or drill)."""
    result = Plan()
    records: dict[tuple[str, str], dict[str, list]] = {}
    for path in loading.discover(paths.schools):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
        if not isinstance(data, dict):
            continue
        deliveries = data.get("deliveries") or []
        points = (data.get("internal") or {}).get("patrol_points") or []
        if not deliveries and not points and "deliveries" not in data:
            continue
        for delivery in deliveries:
            book = records.setdefault((term_id(delivery["date"]), path.stem), {"lectures": [], "drills": []})
            if kinds.get(delivery.get("lesson", "")) == "drill":
                book["drills"].append(_drill(delivery))
            else:
                book["lectures"].append(_lecture(delivery))
            result.moved_deliveries += 1
        result.writes[path] = _rewrite_profile(text, points)
        result.moved_points += len(points)
    for (term, school), book in sorted(records.items()):
        folder = paths.records / term
        target = folder / f"{school}.yml"
        if target.exists():
            raise MigrationError(tr("migrate.exists", file=paths.display(target)))
        if not (folder / "_term.yml").exists():
            result.writes[folder / "_term.yml"] = _term_template(term)
        body = {key: value for key, value in book.items() if value}
        result.writes[target] = ("# yaml-language-server: $schema=../../schema/record.schema.json\n"
                                 "# 由 huxiao migrate-records 从学校档案的 deliveries 迁入。\n"
                                 + yamlfile.dump_plain(body, width=1000))
    return result


def _lecture(delivery: dict) -> dict:
    record = {"date": delivery["date"], "lesson": delivery["lesson"], "tier": delivery["tier"],
              "audience": delivery["audience"]}
    if delivery.get("note"):
        record["note"] = delivery["note"]
    return record


def _drill(delivery: dict) -> dict:
    record: dict[str, Any] = {"date": delivery["date"], "lesson": delivery["lesson"], "tier": delivery["tier"],
                              "groups": [delivery["tier"]], "participants": delivery["audience"]}
    if delivery.get("drill_seconds"):
        record["seconds"] = delivery["drill_seconds"]
    if delivery.get("note"):
        record["note"] = delivery["note"]
    return record


def _rewrite_profile(text: str, points: list[str]) -> str:
    """The profile without its `deliveries:` and `internal.patrol_points` blocks, and with the
    points as `patrol_points:` before `internal:`; every other line kept as written."""
    lines = text.splitlines(keepends=True)
    root = yaml.compose(text)
    drop: set[int] = set()
    internal_line = None
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "deliveries":
                drop.update(range(key.start_mark.line, _end_line(value, lines)))
            if key.value == "internal" and isinstance(value, yaml.MappingNode):
                internal_line = key.start_mark.line
                for inner_key, inner_value in value.value:
                    if inner_key.value == "patrol_points":
                        drop.update(range(inner_key.start_mark.line, _end_line(inner_value, lines)))
    block = ""
    if points:
        block = "patrol_points:\n" + "".join(
            f"  - {{id: p{n}, name: {_quote(name)}, public: false}}\n" for n, name in enumerate(points, start=1))
    out = []
    for number, line in enumerate(lines):
        if number == internal_line and block:
            out.append(block)
        if number not in drop:
            out.append(line)
    if block and internal_line is None:
        out.append(block)
    return "".join(out)


def _end_line(node: yaml.Node, lines: list[str]) -> int:
    """The first line after `node` (a block's end mark points at the next token)."""
    end = node.end_mark.line
    if node.end_mark.column > 0:
        end += 1
    while end > 0 and end <= len(lines) and not lines[end - 1].strip():
        end -= 1
    return end


def _quote(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, default_style='"').strip()


def apply(migration: Plan) -> None:
    for path, text in migration.writes.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
