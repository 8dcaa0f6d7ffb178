"""Python's cycle collector paused while a library is loaded and its pages are made, and, in a
process that loads once, what they made set aside from it afterwards.

Both make millions of objects that live as long as the build, and each of the collector's full
passes walks all of them again: at city scale that was a third of the generator's time. Plain
reference counting still frees what is dropped.

With `freeze` (a `mkdocs build`, a `huxiao` command: one library a process), everything alive
when the pause ends is frozen (`gc.freeze`): the collector resumes for what is made later and
never walks the library again. Without that, its first pass after the pause walked them all (0.6 s
at city scale, more while a cold build pickles its caches). What is garbage when the pause begins
is collected first (little, in a new process), so none of it is frozen; the plugin unfreezes when
its build ends. `serve` never freezes: each rebuild replaces the library, and the old one must stay
collectable.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    if freeze:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        gc.enable()
