"""What the curriculum's checks found, kept in `.cache/huxiao/checks.pickle` between runs.

Checking a city's thousand lessons (every text, every law quotation) takes a second, and between
two builds the lessons rarely change. The problems found (usually none) are stored under a hash
of everything the checks read: the bytes of the taxonomy, of every lesson and law file, the
names of files that could not be read, and the generator's own code. Read with an unpickler that
builds nothing but plain data and `Problem`s: a tampered file cannot run code.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..source.problems import Problem
from .cachefile import CacheFile

CACHE_FILE = Path(".cache") / "huxiao" / "checks.pickle"
_FORMAT = ("huxiao-checks", 1)


class _ProblemsUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("generator.source.problems", "Problem"):
            return Problem
        raise pickle.UnpicklingError(f"{module}.{name} is not a problem")


class CheckCache(CacheFile):
    def __init__(self, root: Path) -> None:
        super().__init__(root / CACHE_FILE, _FORMAT, _ProblemsUnpickler)

    def get(self, key: bytes, check: Callable[[], list[Problem]]) -> list[Problem]:
        """The problems stored under `key`, or what `check()` finds, then stored."""
        entries = self.load()
        self.used.add(key)
        if key not in entries:
            self.put(key, check())
        return list(entries[key])
