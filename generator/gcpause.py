"""Python's cycle collector paused while a library is loaded and its pages are made.

Both make millions of objects that live as long as the build, and each of the collector's full
passes walks all of them again: at city scale that was a third of the generator's time. Plain
reference counting still frees what is dropped; the collector resumes afterwards.
"""

from __future__ import annotations

import functools
import gc
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def paused(function: F) -> F:
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return run  # type: ignore[return-value]
