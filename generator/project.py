"""One call from a project folder to a checked curriculum: load, validate, cross-check."""

from __future__ import annotations

import datetime as dt

from . import curriculum, gcpause, loading, yamlfile
from .curriculum import Curriculum
from .loading import ProjectPaths
from .problems import InvalidProject


@gcpause.paused
def load(paths: ProjectPaths, today: dt.date | None = None) -> Curriculum:
    """The project's curriculum, or InvalidProject listing every problem with file, line and field."""
    loaded = loading.load_all(paths)
    problems = list(loaded.problems)
    if loaded.taxonomy is None:
        raise InvalidProject(problems)
    result, found = curriculum.build(
        loaded.taxonomy, loaded.lessons, loaded.schools,
        taxonomy_file=paths.display(paths.taxonomy), unloadable=loaded.failed_ids, today=today,
        thresholds=loaded.thresholds,
    )
    problems += [yamlfile.locate_problem(p, paths.root) for p in found]
    if problems:
        raise InvalidProject(problems)
    result.warnings = [yamlfile.locate_problem(p, paths.root) for p in result.warnings]
    return result
