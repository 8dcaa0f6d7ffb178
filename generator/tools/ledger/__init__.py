"""The term's 台账 as an Excel workbook (`huxiao ledger`), and a filled workbook read back into records/.

`layout` says which sheets and columns there are and who may see them, `write` makes the workbook,
`read` turns a filled one into new record items located by sheet, row and column, `append` adds
them to the YAML files without touching a byte that is there.
"""

from __future__ import annotations

from pathlib import Path

from ...source.loading import ProjectPaths
from ...source.messages import join, tr
from ...stationdata import StationData
from . import read, write


def export_workbook(c: StationData, term_id: str, out: Path, internal: bool, template: bool) -> tuple[list[str], int]:
    """Write the term's ledger (empty when the term has no records yet); what to print and the exit code."""
    if term_id not in c.terms:
        return [f"records/{term_id}/_term.yml: " + tr("plan.no_calendar", term=term_id)], 1
    empty = template or not c.terms[term_id].schools
    counts = write.write(c, term_id, out, internal, template=empty)
    what = tr("ledger.template") if empty else ""
    what += tr("ledger.internal" if internal else "ledger.public")
    lines = [tr("ledger.written", what=what, out=out, counts=join(f"{sheet} {n}" for sheet, n in counts.items()))]
    if internal:
        lines.append(tr("ledger.internal_note"))
    return lines, 0


def import_workbook(c: StationData, paths: ProjectPaths, path: Path, term_id: str | None,
                    dry_run: bool) -> tuple[list[str], int]:
    """Add the workbook's new rows to records/; every problem and nothing written, or what was added."""
    try:
        wb = read.open_book(path)
    except read.BadBook:
        return [tr("ledger.unreadable", book=path.name)], 1
    term_id = term_id or read.term_of(wb)
    if term_id is None:
        return [tr("ledger.no_term", book=path.name)], 1
    if term_id not in c.terms:
        return [f"records/{term_id}/_term.yml: " + tr("plan.no_calendar", term=term_id)], 1
    try:
        result = read.read(c, wb, path.name, term_id, paths.records / term_id, paths.display)
    except read.Refused as refused:
        count = len(refused.problems)
        return refused.problems + [tr("plan.nothing_written", count=count)], 1
    if not dry_run:
        read.write(result)
    added = sum(n for _, n in result.writes.values())
    lines = list(result.notices)
    lines.append(tr("ledger.imported", term=term_id, verb=tr("plan.verb_dry" if dry_run else "plan.verb_wet"), added=added,
                    files=len(result.writes), kept=result.kept))
    lines += [f"  {paths.display(p)}：+{n}" for p, (_, n) in sorted(result.writes.items())]
    return lines, 0
