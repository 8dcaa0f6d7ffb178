"""A term record file that holds fewer records than its last committed version.

Saving a one-entry file over a school's whole term passes validation (the shorter file is valid);
git still has the longer one. `huxiao validate` asks git which record files changed and warns for
each kind of record that shrank, so a wipe cannot pass silently.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

from ..source.loading import ProjectPaths
from ..source.messages import tr
from ..source.problems import Problem

KINDS = ("lectures", "drills", "duty", "trainings", "inspections")


def shrunk_records(paths: ProjectPaths) -> list[Problem]:
    """A warning per record file with fewer records of some kind than in HEAD (none outside git)."""
    changed = _git(paths.root, "diff", "--name-only", "HEAD", "--", paths.display(paths.records))
    if changed is None:
        return []
    warnings = []
    for name in changed.splitlines():
        if not name.endswith(".yml") or Path(name).name.startswith("_"):
            continue
        before = _counts(_git(paths.root, "show", f"HEAD:{name}"))
        path = paths.root / name
        now = _counts(path.read_text(encoding="utf-8", errors="replace") if path.exists() else "")
        fewer = [tr("shrunk.kind", kind=tr(f"shrunk.{kind}"), before=before[kind], now=now[kind])
                 for kind in KINDS if now[kind] < before[kind]]
        if fewer:
            warnings.append(Problem(name, tr("shrunk.records", changes="，".join(fewer), file=name),
                                    severity="warning", code="shrunk.records"))
    return warnings


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _counts(text: str | None) -> dict[str, int]:
    data: Any = None
    try:
        data = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        pass  # a broken file is validation's to report; here it counts as holding nothing
    if not isinstance(data, dict):
        data = {}
    return {kind: len(data.get(kind) or []) if isinstance(data.get(kind), list) else 0 for kind in KINDS}
