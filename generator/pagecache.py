"""Generated pages of earlier builds, kept in `.cache/huxiao/pages.pickle` by what they show.

A city library is thousands of lesson and school pages, and rendering them is most of the
generator's time; between two builds few of them change. Each page is stored under a hash of
everything it is made from (its lesson or school, the taxonomy, the lesson list a school page
draws on, the build settings and the generator's own code), so a changed input makes a new key
and is never served stale. Entries no build used are dropped when the cache is saved.

Read with an unpickler that builds nothing but plain data and the page classes: the file sits
in the project folder, and a tampered one must not run code.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

CACHE_FILE = Path(".cache") / "huxiao" / "pages.pickle"
_FORMAT = ("huxiao-pages", 2)
_ALLOWED = {("generator.pages", "Rendered"), ("generator.pages", "HtmlPage"),
            ("builtins", "set"), ("builtins", "frozenset")}


class _PagesUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return getattr(importlib.import_module(module), name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a page")


@lru_cache(maxsize=1)
def code_version() -> bytes:
    """A hash of the generator's code and templates: a new version renders every page afresh."""
    package = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=20)
    for path in sorted([*package.glob("*.py"), *package.glob("templates/*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def key(*parts: Any) -> bytes:
    digest = hashlib.blake2b(code_version(), digest_size=20)
    for part in parts:
        digest.update(b"\0" + (part if isinstance(part, bytes) else repr(part).encode("utf-8")))
    return digest.digest()


class PageCache:
    def __init__(self, root: Path) -> None:
        self.file = root / CACHE_FILE
        self.entries: dict[bytes, Any] | None = None
        self.used: set[bytes] = set()
        self.changed = False
        self.hits = self.misses = 0

    def _load(self) -> dict[bytes, Any]:
        if self.entries is None:
            self.entries = {}
            try:
                with self.file.open("rb") as handle:
                    stored = _PagesUnpickler(handle).load()
                if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == _FORMAT:
                    self.entries = stored[1]
            except Exception:  # noqa: BLE001 - a missing, old or damaged cache is simply rebuilt
                self.entries = {}
        return self.entries

    def get(self, page_key: bytes, render: Callable[[], Any]) -> Any:
        """The page stored under `page_key`, or `render()`'s page, then stored."""
        entries = self._load()
        self.used.add(page_key)
        if page_key in entries:
            self.hits += 1
            return entries[page_key]
        self.misses += 1
        page = entries[page_key] = render()
        self.changed = True
        return page

    def save(self) -> None:
        """Write the pages used since the last save (others are dropped), if anything changed."""
        entries = self._load()
        if not self.changed and len(entries) == len(self.used):
            self.used = set()
            return
        kept = {k: entries[k] for k in self.used if k in entries}
        self.entries, self.used, self.changed = kept, set(), False
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=self.file.parent, prefix=".pages-", delete=False) as out:
                pickle.dump((_FORMAT, kept), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(out.name, self.file)
        except OSError:
            pass  # a read-only checkout still builds; it just renders every time


_caches: dict[Path, PageCache] = {}


def for_project(root: Path) -> PageCache:
    """One cache per project and process, so `mkdocs serve` keeps it in memory between builds."""
    root = root.resolve()
    if root not in _caches:
        _caches[root] = PageCache(root)
    return _caches[root]


def forget(root: Path) -> None:
    _caches.pop(root.resolve(), None)
