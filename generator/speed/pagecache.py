"""Generated pages of earlier builds, kept in `.cache/huxiao/pages.pickle` by what they show.

A city library is thousands of lesson and school pages, and rendering them is most of the
generator's time; between two builds few of them change. Each page is stored under a hash of
everything it is made from (its lesson or school, the taxonomy, the lessons a school page
shows, the build settings and the generator's own code), so a changed input makes a new key
and is never served stale. Entries no build used are dropped when the cache is saved.

Read with an unpickler that builds nothing but plain data and the page classes: the file sits
in the project folder, and a tampered one must not run code.
"""

from __future__ import annotations

import hashlib
import importlib
import pickle
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..site.body import HtmlPage
from .cachefile import CacheFile

CACHE_FILE = Path(".cache") / "huxiao" / "pages.pickle"
_FORMAT = ("huxiao-pages", 4)
_ALLOWED = {("generator.site.body", "Rendered"), ("generator.site.body", "HtmlPage"),
            ("builtins", "set"), ("builtins", "frozenset")}


class _PagesUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return getattr(importlib.import_module(module), name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a page")


@lru_cache(maxsize=1)
def code_version() -> bytes:
    """A hash of the generator's code and templates: a new version renders every page afresh."""
    package = Path(__file__).parents[1]
    digest = hashlib.blake2b(digest_size=20)
    for path in sorted([*package.rglob("*.py"), *package.glob("site/templates/*")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def key(*parts: Any) -> bytes:
    digest = hashlib.blake2b(code_version(), digest_size=20)
    for part in parts:
        digest.update(b"\0" + (part if isinstance(part, bytes) else repr(part).encode("utf-8")))
    return digest.digest()


class PageCache(CacheFile):
    def __init__(self, root: Path) -> None:
        super().__init__(root / CACHE_FILE, _FORMAT, _PagesUnpickler)
        self.hits = self.misses = 0
        self.blocks: dict[str, str] = {}

    def keep(self, page_key: bytes) -> None:
        """The page under `page_key` was used, from memory: keep it at the next save."""
        self.used.add(page_key)

    def get(self, page_key: bytes, render: Callable[[], Any]) -> Any:
        """The page stored under `page_key`, or `render()`'s page, then stored."""
        entries = self.load()
        self.used.add(page_key)
        if page_key in entries:
            self.hits += 1
            return entries[page_key]
        self.misses += 1
        page = render()
        self.put(page_key, _shared_blocks(page, self.blocks))
        return page


def _shared_blocks(page: Any, blocks: dict[str, str]) -> Any:
    """The page with each of its raw HTML blocks the one object of that text: pages repeat the
    same blocks (a tier's table of variants, a picture), and the pickle keeps an object once, so a
    city's page cache is half the size and read in half the time."""
    html = getattr(page, "html", None)
    if isinstance(html, HtmlPage):
        for name, block in html.late.items():
            html.late[name] = blocks.setdefault(block, block)
    return page
