"""Parsing many YAML files fast: parsed data kept between runs, and cold parses spread over cores.

libyaml parses, but PyYAML builds the Python objects at a few MB a second, so parsing is most of
a cold load of a city's library. A file whose bytes did not change is not parsed again: its data
comes from `.cache/huxiao/parsed.pickle` in the project, keyed by a hash of the bytes. The cache
holds only plain data (mappings, lists, text, numbers, dates) and is read with an unpickler that
refuses anything else, so a tampered cache cannot run code; a cache that cannot be read or
written is ignored. Many files to parse at once (a cold start) are parsed in worker processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from ..source import yamlfile
from . import helper_process
from .cachefile import CacheFile

CACHE_FILE = Path(".cache") / "huxiao" / "parsed.pickle"
# Bump when what `yamlfile.parse` returns for the same bytes changes.
_FORMAT = ("huxiao-parsed", 1, yaml.__version__)
# Below this many bytes to parse, starting worker processes costs more than it saves.
PARALLEL_BYTES = 4 * 1024 * 1024
_ALLOWED_GLOBALS = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"),
                    ("datetime", "timedelta")}


class _PlainDataUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=20).digest()


class ParseCache(CacheFile):
    """The parsed data of one project's YAML files, by hash of their bytes."""

    def __init__(self, root: Path) -> None:
        super().__init__(root / CACHE_FILE, _FORMAT, _PlainDataUnpickler)

    def parse_all(self, raws: dict[Path, bytes], digests: dict[Path, bytes] | None = None) -> dict[Path, Any]:
        """Each file's data, or the YamlError that parsing it raised (`digests`: the files' hashes,
        when the caller has them already)."""
        entries = self.load()
        results: dict[Path, Any] = {}
        missing: dict[Path, bytes] = {}
        for path, raw in raws.items():
            key = digests[path] if digests is not None else digest(raw)
            if key in entries:
                results[path] = entries[key]
                self.used.add(key)
            else:
                missing[path] = raw
        for path, outcome in _parse_many(missing).items():
            results[path] = outcome
            if not isinstance(outcome, yamlfile.YamlError):
                key = digest(missing[path])
                self.put(key, outcome)
        return results


def parse_one(raw: bytes) -> Any:
    """The file's data, or the YamlError parsing it raised."""
    try:
        return yamlfile.parse(yamlfile.decode(raw))
    except yamlfile.YamlError as error:
        return error


def _parse_share(raws: list[bytes]) -> list[Any]:
    # YamlError does not survive pickling (its __init__ takes extra arguments): send its parts.
    out = []
    for outcome in map(parse_one, raws):
        out.append(("error", outcome.message, outcome.line, outcome.column)
                   if isinstance(outcome, yamlfile.YamlError) else ("ok", outcome))
    return out


def _parse_many(raws: dict[Path, bytes]) -> dict[Path, Any]:
    """Parse, on every core when there is much to parse: this process takes one share, and a
    `python -m generator.speed.parsecache` helper each other share."""
    workers = _cores()
    if workers < 2 or sum(map(len, raws.values())) < PARALLEL_BYTES:
        return {path: parse_one(raw) for path, raw in raws.items()}
    paths = list(raws)
    shares = [paths[n::workers] for n in range(workers)]
    helpers = [helper_process.start("speed.parsecache", pickle.dumps([raws[p] for p in share], protocol=pickle.HIGHEST_PROTOCOL),
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
               for share in shares[1:]]
    results: dict[Path, Any] = {path: parse_one(raws[path]) for path in shares[0]}
    for share, helper in zip(shares[1:], helpers, strict=True):
        outcomes = None
        try:
            assert helper.stdout is not None
            output = helper.stdout.read()
            if helper.wait() == 0:
                outcomes = _PlainDataUnpickler(io.BytesIO(output)).load()
        except (OSError, pickle.UnpicklingError, EOFError):
            outcomes = None
        if not isinstance(outcomes, list) or len(outcomes) != len(share):
            outcomes = _parse_share([raws[p] for p in share])  # the helper failed: parse here
        for path, outcome in zip(share, outcomes, strict=True):
            results[path] = outcome[1] if outcome[0] == "ok" else yamlfile.YamlError(*outcome[1:])
    return {path: results[path] for path in paths}


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1



if __name__ == "__main__":
    # The helper of _parse_many: a pickled list of file contents in, their outcomes out.
    shared = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - from the parent process only
    sys.stdout.buffer.write(pickle.dumps(_parse_share(shared), protocol=pickle.HIGHEST_PROTOCOL))

