"""Validated files kept between runs in `.cache/huxiao/models.pickle`, by a hash of their bytes.

Parsing a city's YAML from the parse cache and validating it with pydantic takes a second and a
half; most files are the same as last time, and their validated models come back from here in
less. Only files that validated are kept (a file with problems is read again and told again).
The key is the file's bytes and the model it was read as; the cache's version holds a hash of
the schema's code (`generator/source/`), so a changed model or validator reads every file again.
Read with an unpickler that builds nothing but plain data, dates and the schema's own models: a
tampered file cannot run code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel

from .cachefile import CacheFile

CACHE_FILE = Path(".cache") / "huxiao" / "models.pickle"
_DATES = {"date", "datetime", "time", "timedelta", "timezone"}


class _ModelsUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in _DATES:
            return getattr(dt, name)
        if module.startswith("generator.source.") and "." not in name:
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of the schema")


@lru_cache(maxsize=1)
def schema_version() -> bytes:
    """A hash of the schema's code: models, validators, messages."""
    source = Path(__file__).parents[1] / "source"
    digest = hashlib.blake2b(digest_size=20)
    for path in sorted(source.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def key(file_digest: bytes, model: type[BaseModel]) -> bytes:
    return file_digest + f"{model.__module__}.{model.__qualname__}".encode()


class ModelCache(CacheFile):
    def __init__(self, root: Path) -> None:
        super().__init__(root / CACHE_FILE, ("huxiao-models", 1, pydantic.VERSION, schema_version()), _ModelsUnpickler)

    def known(self, model_key: bytes) -> BaseModel | None:
        model = self.load().get(model_key)
        if model is not None:
            self.used.add(model_key)
        return model

    def store(self, model_key: bytes, model: BaseModel) -> None:
        self.put(model_key, model)
