"""The one object that holds what the speed layer keeps for a project between builds.

Whoever runs builds makes it and hands it down: the engine adapter keeps one for every rebuild
of `serve` (and a fresh one per `build`), a command makes one for its single run. Nothing below
the speed layer knows it exists: loading takes its `read` in place of the plain
`loading.read_files`, `build_site` its `page_builder` in place of the plain `PageBuilder`, and
both give the same results as the plain ones, only sooner.

- validated files, in memory, by path, size and modification time (`serve` re-reads only what
  changed);
- parsed YAML, on disk (`parsecache`), by hash of the file's bytes;
- generated pages, on disk (`pagecache`), by hash of everything a page is made of;
- lesson pages and print documents, in memory, by the very lesson object they came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from .. import curriculum as curriculum_checks
from .. import stationdata
from ..curriculum import Curriculum
from ..source import loading
from ..source.loading import Entry, Outcome, ProjectPaths
from ..source.models import Lesson, Taxonomy
from ..source.problems import Problem
from ..stationdata import StationData
from . import checkcache, modelcache, pagecache, parsecache

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..site.body import HtmlBodies
    from ..site.pages import PageBuilder

T = TypeVar("T")

# How many times longer parsing YAML takes than reading the same data from the parse cache
# (PyYAML builds a few MB of objects a second, the unpickler a hundred).
PARSE_VS_UNPICKLE = 50


class BuildCaches:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.parsed = parsecache.ParseCache(self.root)
        self.pages = pagecache.PageCache(self.root)
        self.checks = checkcache.CheckCache(self.root)
        self.models = modelcache.ModelCache(self.root)
        self._files: dict[tuple[str, type], tuple[tuple[int, int], Outcome, bytes]] = {}
        self._digests: dict[str, bytes] = {}
        self.lesson_pages: dict[tuple[str, str, str], tuple[Lesson, tuple, Any, bytes | None]] = {}
        self._curriculum: tuple[Any, dict, tuple[Curriculum, list[Problem]]] | None = None
        self._worked_out: _Remembered[Any] = _Remembered()
        self._compiled: tuple[Environment, Environment] | None = None

    # ---------------------------------------------------------------- loading

    def read(self, files: list[Path], model: type[BaseModel], paths: ProjectPaths) -> dict[Path, Outcome]:
        """`loading.read_files`, reading and validating only the files that changed, and parsing
        through the parse cache (a cold library on every core)."""
        outcomes: dict[Path, Outcome] = {}
        raws: dict[Path, bytes] = {}
        stamps: dict[Path, tuple[int, int]] = {}
        for path in files:
            try:
                stamps[path] = _stamp(path)
                known = self._files.get((str(path), model))
                if known and known[0] == stamps[path]:
                    outcomes[path] = known[1]
                    self._digests[paths.display(path)] = known[2]
                    continue
                raws[path] = path.read_bytes()
            except OSError:
                outcomes[path] = loading.load_file(path, model, paths)  # reports what is wrong
        digests = {path: parsecache.digest(raw) for path, raw in raws.items()}
        # the parse cache keeps what files still hold, also those read from the model cache
        self.parsed.used.update(digests.values())
        model_keys = {path: modelcache.key(digest, model) for path, digest in digests.items()}
        validated = {path: self.models.known(key) for path, key in model_keys.items()}
        unknown = {path: raw for path, raw in raws.items() if validated[path] is None}
        parsed = self._parse(unknown, digests)
        for path, raw in raws.items():
            outcome: Outcome = (validated[path], [])
            if path in unknown:
                outcome = loading.validate(raw, parsed[path], model, paths.display(path))
                if outcome[0] is not None:
                    self.models.store(model_keys[path], outcome[0])
            digest = digests[path]
            self._files[(str(path), model)] = (stamps[path], outcome, digest)
            self._digests[paths.display(path)] = digest
            outcomes[path] = outcome
        return outcomes

    def _parse(self, raws: dict[Path, bytes], digests: dict[Path, bytes]) -> dict[Path, Any]:
        """The files' parsed YAML: through the parse cache, or parsed here when that is sooner
        (reading a city's parse cache costs more than parsing the one file edited in `serve`)."""
        if not raws:
            return {}
        if self.parsed.entries is None and sum(map(len, raws.values())) * PARSE_VS_UNPICKLE < self.parsed.size():
            return {path: parsecache.parse_one(raw) for path, raw in raws.items()}
        return self.parsed.parse_all(raws, digests)

    def load(self, paths: ProjectPaths, today: dt.date | None = None) -> StationData:
        """`stationdata.load` through these caches."""
        return stationdata.load(paths, today, read=self.read, check_curriculum=self.check_curriculum,
                                remember=self.remember)

    def remember(self, key: tuple, objects: tuple, work: Callable[[], T]) -> T:
        """`loading.Remember`: the records and plans checked and what the reports work out per
        school and term, kept between the rebuilds of `serve`."""
        return self._worked_out.get(key, objects, work)

    def check_curriculum(self, taxonomy: Taxonomy, lessons: list[Entry[Lesson]], **options: Any) -> tuple[Curriculum, list[Problem]]:
        """`curriculum.build`, its checks done again only when a file they read changed: in
        `serve` an edited record leaves the lessons and laws the very objects they were (nothing
        is done again), and a new process finds what the checks found in the check cache."""
        inputs = (taxonomy, [(e.id, e.file, e.model) for e in lessons],
                  [(e.id, e.file, e.model) for e in options["laws"]], options["synonyms"])
        settings = {k: v for k, v in options.items() if k not in ("laws", "synonyms")}
        if self._curriculum is not None and _same(self._curriculum[0], inputs) and self._curriculum[1] == settings:
            return self._curriculum[2]
        curriculum = curriculum_checks.index(taxonomy, lessons, options["today"], options["laws"], options["synonyms"])
        file, unloadable, unloadable_laws = options["taxonomy_file"], options["unloadable"], options["unloadable_laws"]
        def check() -> list[Problem]:
            return curriculum_checks.check(curriculum, file, unloadable, unloadable_laws)

        if file in self._digests:
            problems = self.checks.get(self._checks_key(file, lessons, options["laws"], unloadable, unloadable_laws), check)
        else:
            problems = check()  # the taxonomy was not read through these caches: nothing to key it by
        self._curriculum = (inputs, settings, (curriculum, problems))
        return curriculum, problems

    def _checks_key(self, taxonomy_file: str, lessons: list[Entry[Lesson]], laws: list[Entry], unloadable: Any,
                    unloadable_laws: Any) -> bytes:
        """A hash of what the curriculum's checks read."""
        files = hashlib.blake2b(self._digests[taxonomy_file] + taxonomy_file.encode(), digest_size=20)
        for entry in [*lessons, *laws]:
            files.update(entry.file.encode() + b"\0" + self.digest(entry))
        return pagecache.key("checks", files.digest(), sorted(unloadable), sorted(unloadable_laws))

    def digest(self, entry: Entry) -> bytes:
        """The hash of the bytes `entry` was read from."""
        return self._digests[entry.file]

    # ---------------------------------------------------------------- pages

    def page_builder(self, data: StationData, site_url: str | None = None, pdfs: frozenset[str] = frozenset(),
                     qr_inline: bool = False, html_bodies: HtmlBodies | None = None) -> PageBuilder:
        # imported here: a command that only reads the project (`huxiao validate`) starts sooner
        # without the page building code
        from .pagebuilder import CachedPageBuilder

        builder = CachedPageBuilder(self, data, site_url, pdfs, qr_inline, html_bodies)
        builder.env = self._templates(builder.env)
        return builder

    def _templates(self, env: Environment) -> Environment:
        """The page templates compiled once and kept on disk (Jinja's own bytecode cache): in
        `serve` a record edit renders a report and a school page whose templates the first build,
        all from the page cache, never compiled. Kept per version of the environment's settings."""
        from jinja2 import FileSystemBytecodeCache

        from ..site import render

        if self._compiled is None or self._compiled[0] is not env:
            # where the environment's settings are written
            settings = hashlib.blake2b(Path(render.__file__).read_bytes(), digest_size=8).hexdigest()
            folder = self.root / ".cache" / "huxiao" / f"templates-{settings}"
            for older in folder.parent.glob("templates-*"):
                if older != folder:
                    shutil.rmtree(older, ignore_errors=True)  # compiled by an earlier version
            folder.mkdir(parents=True, exist_ok=True)
            self._compiled = (env, env.overlay(bytecode_cache=FileSystemBytecodeCache(str(folder))))
        return self._compiled[1]

    def save(self) -> None:
        """Write the parse, model, page and check caches, keeping only what this build used."""
        self.parsed.save()
        self.models.save()
        self.pages.save()
        self.checks.save()


def _same(old: Any, new: Any) -> bool:
    """The same objects, in the same order (identity, not equality: an unchanged file comes back
    from `read` as the very object it was)."""
    if isinstance(old, (tuple, list)) and isinstance(new, (tuple, list)):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    return old is new or (isinstance(old, str) and old == new)


class _Remembered(Generic[T]):
    """What was worked out from some objects, by key, for as long as they are the very same
    objects: in `serve` a file that did not change comes back from loading as the object it was,
    so thousands of records and plans are not checked again for one edit."""

    def __init__(self) -> None:
        self._known: dict[tuple, tuple[tuple, T]] = {}

    def get(self, key: tuple, objects: tuple, work_out: Callable[[], T]) -> T:
        known = self._known.get(key)
        if known is not None and len(known[0]) == len(objects) and all(a is b for a, b in zip(known[0], objects, strict=True)):
            return known[1]
        value = work_out()
        self._known[key] = (objects, value)  # holds the objects: an id in a key stays theirs
        return value


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size
