"""Python's cycle collector paused while a library is loaded and its pages are made.

Both make millions of objects that live as long as the build, and each of the collector's full
passes walks all of them again: at city scale that was a third of the generator's time. Plain
reference counting still frees what is dropped; the collector resumes afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
