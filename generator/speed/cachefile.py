"""A dict kept between runs in one pickle file under `.cache/huxiao/` (see parsecache, pagecache); `BuildCaches` holds one of each.

Entries are keyed by a hash of what they were made from, so they never go stale; a save keeps
only the entries used since the last one. The file sits in the project folder, so it is read
with an unpickler that builds only what the cache's owner allows: a tampered file cannot run
code. A file that cannot be read or written is ignored, and everything is made afresh.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any


class CacheFile:
    def __init__(self, file: Path, version: tuple, unpickler: type[pickle.Unpickler]) -> None:
        self.file = file
        self.version = version
        self.unpickler = unpickler
        self.entries: dict[bytes, Any] | None = None
        self.used: set[bytes] = set()
        self.changed = False

    def load(self) -> dict[bytes, Any]:
        if self.entries is None:
            self.entries = {}
            try:
                with self.file.open("rb") as handle:
                    stored = self.unpickler(handle).load()
                if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.version:
                    self.entries = stored[1]
            except Exception:  # noqa: BLE001 - a missing, old or damaged cache is simply rebuilt
                self.entries = {}
        return self.entries

    def size(self) -> int:
        """The file's size in bytes (0 when there is none)."""
        try:
            return self.file.stat().st_size
        except OSError:
            return 0

    def save(self) -> None:
        """Write the entries used since the last save (others are dropped), if anything changed."""
        if self.entries is None:
            return  # never read: nothing to keep or drop
        entries = self.entries
        if not self.changed and len(entries) == len(self.used):
            self.used = set()
            return
        kept = {key: entries[key] for key in self.used if key in entries}
        self.entries, self.used, self.changed = kept, set(), False
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=self.file.parent, prefix=f".{self.file.stem}-",
                                             delete=False) as out:
                pickle.dump((self.version, kept), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(out.name, self.file)
        except OSError:
            pass  # a read-only checkout still builds; it just makes everything afresh
