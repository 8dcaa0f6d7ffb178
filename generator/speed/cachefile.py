"""A dict kept between runs in one pickle file under `.cache/huxiao/` (see parsecache, pagecache,
modelcache, checkcache); `BuildCaches` holds one of each.

Entries are keyed by a hash of what they were made from, so they never go stale. The file is a
log: a save after a few changes appends them (a city's page cache is 250 MB, and one edited
record changes a handful of pages), and the file is written afresh, keeping only the entries
used since the last save, when a quarter of it is no longer used or after a few appends. The file
sits in the project folder, so it is read with an unpickler that builds only what the cache's
owner allows: a tampered file cannot run code. A file that cannot be read or written is ignored,
and everything is made afresh; a cut-off last append loses only itself.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

# Appends before the file is written afresh.
MAX_APPENDS = 8


class CacheFile:
    def __init__(self, file: Path, version: tuple, unpickler: type[pickle.Unpickler]) -> None:
        self.file = file
        self.version = version
        self.unpickler = unpickler
        self.entries: dict[bytes, Any] | None = None
        self.used: set[bytes] = set()
        self.added: dict[bytes, Any] = {}
        self.frames = 0  # pickles in the file: the whole, then the appends

    def load(self) -> dict[bytes, Any]:
        if self.entries is None:
            self.entries, self.frames = {}, 0
            try:
                with self.file.open("rb") as handle:
                    self._read_frames(handle)
            except Exception:  # noqa: BLE001 - a missing, old or damaged cache is simply rebuilt
                if self.frames == 0:
                    self.entries = {}
        return self.entries

    def _read_frames(self, handle: Any) -> None:
        assert self.entries is not None
        while True:
            try:
                # an unpickler of its own for each: an unpickler keeps what it read for later references
                stored = self.unpickler(handle).load()
            except EOFError:
                return
            if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.version
                    and isinstance(stored[1], dict)):
                return  # another version's file: what was read so far (nothing) stands
            self.entries.update(stored[1])
            self.frames += 1

    def put(self, key: bytes, value: Any) -> None:
        self.load()[key] = value
        self.added[key] = value
        self.used.add(key)

    def size(self) -> int:
        """The file's size in bytes (0 when there is none)."""
        try:
            return self.file.stat().st_size
        except OSError:
            return 0

    def save(self) -> None:
        """Append the entries added since the last save, or write the used ones afresh."""
        if self.entries is None:
            return  # never read: nothing to keep or drop
        entries = self.entries
        unused = len(entries) - len(self.used & entries.keys())
        small = unused * 4 <= len(entries)
        try:
            if small and not self.added:
                pass
            elif small and 0 < self.frames < MAX_APPENDS:
                with self.file.open("ab") as out:
                    pickle.dump((self.version, self.added), out, protocol=pickle.HIGHEST_PROTOCOL)
                self.frames += 1
            else:
                kept = {key: entries[key] for key in self.used if key in entries}
                self.file.parent.mkdir(parents=True, exist_ok=True)
                with tempfile.NamedTemporaryFile("wb", dir=self.file.parent, prefix=f".{self.file.stem}-",
                                                 delete=False) as temp:
                    pickle.dump((self.version, kept), temp, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temp.name, self.file)
                self.entries, self.frames = kept, 1
        except OSError:
            pass  # a read-only checkout still builds; it just makes everything afresh
        self.used, self.added = set(), {}
