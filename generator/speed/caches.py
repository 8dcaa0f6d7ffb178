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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .. import curriculum as curriculum_checks
from .. import stationdata
from ..curriculum import Curriculum
from ..schools import SchoolView
from ..site.body import HtmlBodies, Rendered
from ..site.pages import RECOMMENDED_PER_TOPIC, PageBuilder
from ..source import loading
from ..source.loading import Entry, Outcome, ProjectPaths
from ..source.models import Lesson, Taxonomy
from ..source.problems import Problem
from ..stationdata import StationData
from . import checkcache, modelcache, pagecache, parsecache

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
        unknown = {path: raw for path, raw in raws.items() if self.models.known(modelcache.key(digests[path], model)) is None}
        parsed = self._parse(unknown, digests)
        for path, raw in raws.items():
            model_key = modelcache.key(digests[path], model)
            if path in unknown:
                outcome = loading.validate(raw, parsed[path], model, paths.display(path))
                if outcome[0] is not None:
                    self.models.store(model_key, outcome[0])
            else:
                outcome = (self.models.known(model_key), [])
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
        return stationdata.load(paths, today, read=self.read, check_curriculum=self.check_curriculum)

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
        return CachedPageBuilder(self, data, site_url, pdfs, qr_inline, html_bodies)

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


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


class CachedPageBuilder(PageBuilder):
    """A `PageBuilder` whose pages come from the caches when what they are made of is unchanged."""

    def __init__(self, caches: BuildCaches, data: StationData, site_url: str | None,
                 pdfs: frozenset[str], qr_inline: bool, html_bodies: HtmlBodies | None) -> None:
        super().__init__(data, site_url, pdfs, qr_inline=qr_inline, html_bodies=html_bodies)
        self.caches = caches
        taxonomy = data.curriculum.taxonomy.model_dump_json() if data.curriculum.taxonomy is not None else ""
        self._base = pagecache.key(self.site_url, qr_inline, html_bodies, taxonomy)
        self._settings = (id(data.curriculum.taxonomy), self.site_url, qr_inline, html_bodies)
        self._library_keys: dict[str | None, bytes] = {}
        self._shown_by_tiers: dict[tuple[str, ...], bytes] = {}
        self._laws_shown: dict[str, str] = {}

    def _stored(self, parts: tuple, render: Callable[[], Any]) -> Any:
        return self.caches.pages.get(pagecache.key(self._base, *parts), render)

    def _lesson_memo(self, entry: Entry[Lesson], tier: str, doc: str, render: Callable[[], Any], stored: bool) -> Any:
        """Pages of one lesson depend only on its file, the taxonomy and a few settings. Files
        that did not change come back from loading as the very same objects, so in `serve` a
        rebuild renders again only the lessons whose file changed. A `stored` page is kept in the
        page cache too, for the next process."""
        # What the page shows besides its lesson and the build settings.
        shown = (self.c.curriculum.is_stale(entry.model), tuple(sorted(n for n in self.pdfs if n.startswith(f"{entry.id}/"))),
                 tuple((e.id, e.model.title, tuple(e.model.tiers)) for e in self.c.curriculum.related(entry.id)),
                 # The source list shows each cited law's title, number, date and confidence.
                 tuple(self._law_shown(s.law) for s in entry.model.sources if s.law in self.c.curriculum.laws))
        settings = (*self._settings, *shown)
        known = self.caches.lesson_pages.get((entry.id, tier, doc))
        if known and known[0] is entry.model and known[1] == settings:
            if known[3] is not None:
                self.caches.pages.keep(known[3])  # still shown: the next save must not drop it
            return known[2]
        page_key = pagecache.key(self._base, "lesson", entry.id, tier, doc, shown, self.caches.digest(entry)) if stored else None
        page = self.caches.pages.get(page_key, render) if page_key is not None else render()
        self.caches.lesson_pages[(entry.id, tier, doc)] = (entry.model, settings, page, page_key)
        return page

    def _law_shown(self, law_id: str) -> str:
        """A cited law as a lesson page shows it (its JSON), once per build: a law is cited by
        thousands of lesson pages."""
        if law_id not in self._laws_shown:
            self._laws_shown[law_id] = self.c.curriculum.laws[law_id].model.model_dump_json()
        return self._laws_shown[law_id]

    def lesson_variant(self, entry: Entry[Lesson], tier: str) -> Rendered:
        return self._lesson_memo(entry, tier, "page", lambda: PageBuilder.lesson_variant(self, entry, tier), stored=True)

    def lesson_overview(self, entry: Entry[Lesson]) -> Rendered:
        return self._lesson_memo(entry, "", "overview", lambda: PageBuilder.lesson_overview(self, entry), stored=True)

    def print_html(self, entry: Entry[Lesson], tier: str, doc: str, css_inline: str | None = None) -> str:
        if css_inline is not None:
            return PageBuilder.print_html(self, entry, tier, doc, css_inline)
        return self._lesson_memo(entry, tier, doc, lambda: PageBuilder.print_html(self, entry, tier, doc), stored=False)

    def calendar_events(self, school_id: str, audience: str, for_officer: bool) -> str:
        """A school's calendar events change with its plans, the lessons they name and the rules."""
        return self._stored(("ics", school_id, audience, for_officer, self._records_shown(school_id), self.c.today),
                            lambda: PageBuilder.calendar_events(self, school_id, audience, for_officer))

    def school(self, view: SchoolView, internal: bool = False) -> Rendered:
        parts = ("school", view.id, internal, self._lessons_shown(view), self.caches.digest(view.entry),
                 self._records_shown(view.id), self._officer_plans(view), self.c.today)
        return self._stored(parts, lambda: PageBuilder.school(self, view, internal))

    def _library(self, upto: str | None = None) -> bytes:
        """A hash of every lesson, school, term and record file, today, the thresholds, the station
        and the rules: what the listings and the term reports are made of (any edit renders them
        again). `upto` a term: the records of later terms left out (a term's report compares it
        with earlier terms only)."""
        if upto not in self._library_keys:
            c = self.c
            files: list[Entry] = [*c.curriculum.lessons.values(), *(v.entry for v in c.schools.values())]
            later = False
            for term_id, book in c.terms.items():
                files += [book.entry] if later else [book.entry, *book.schools.values()]
                later = later or term_id == upto
            for plans in c.plans.values():
                files += list(plans.schools.values())
            thresholds = c.thresholds.model_dump_json() if c.thresholds is not None else ""
            # the report's writeup reads the station (title, 落款) and the rules (demands missed)
            thresholds += c.station.model_dump_json() if c.station is not None else ""
            thresholds += c.rules.model.model_dump_json() if c.rules is not None else ""
            library = hashlib.blake2b(digest_size=20)
            for entry in files:
                library.update(entry.file.encode() + b"\0" + self.caches.digest(entry))
            self._library_keys[upto] = pagecache.key(library.digest(), c.today, thresholds)
        return self._library_keys[upto]

    def curriculum_listings(self) -> dict[str, str]:
        """Made from the lessons and laws alone: an edited record leaves them cached."""
        lessons = hashlib.blake2b(digest_size=20)
        files: list[Entry] = [*self.c.curriculum.lessons.values(), *self.c.curriculum.laws.values()]
        for entry in files:
            lessons.update(entry.file.encode() + b"\0" + self.caches.digest(entry))
        return self._stored(("curriculum-listings", lessons.digest(), self.c.today),
                            lambda: PageBuilder.curriculum_listings(self))

    def station_listings(self) -> dict[str, str]:
        return self._stored(("station-listings", self._library()), lambda: PageBuilder.station_listings(self))

    def term_report(self, term_id: str, internal: bool = False) -> Rendered:
        # Its PDF comes and goes with `huxiao pdf` and with the records it was made from.
        return self._stored(("report", term_id, internal, self._report_pdf(term_id), self._library(upto=term_id)),
                            lambda: PageBuilder.term_report(self, term_id, internal))

    def _lessons_shown(self, view: SchoolView) -> bytes:
        """What a school page shows of the lessons (see school.md.j2): per tier and topic how many
        there are and the first few, and the lessons of its records. An edit elsewhere in the
        library leaves the page cached. The same for every school with the same tiers."""
        tiers = tuple(view.tiers)
        if tiers not in self._shown_by_tiers:
            shown: list = []
            for tier in tiers:
                for topic in self.c.curriculum.topics_of_tier(tier):
                    entries = self.c.curriculum.lessons_for(tier, topic)
                    shown.append((tier, topic, len(entries), [(e.id, e.model.title, e.model.kind)
                                                              for e in entries[:RECOMMENDED_PER_TOPIC]]))
            self._shown_by_tiers[tiers] = pagecache.key(tuple(shown))
        return self._shown_by_tiers[tiers]

    def _officer_plans(self, view: SchoolView) -> bytes:
        """The plans of the officer's other schools: the page says what the officer's calendar holds."""
        digest = hashlib.blake2b(digest_size=20)
        for school_id in self._schools_of(view.school.liaison.officer_id):
            for term_id, plans in sorted(self.c.plans.items()):
                if school_id != view.id and (plan := plans.schools.get(school_id)) is not None:
                    digest.update(term_id.encode() + self.caches.digest(plan))
        return digest.digest()

    def _records_shown(self, school_id: str) -> bytes:
        """A hash of the school's records in every term and of the lessons they name (titles,
        drill targets): bytes, which the page key takes as they are (repr of a long tuple is slow)."""
        digest = hashlib.blake2b(digest_size=20)
        for term_id, plans in self.c.plans.items():
            if (plan := plans.schools.get(school_id)) is not None:
                digest.update(term_id.encode() + self.caches.digest(plan))
                for lesson in sorted({s.lesson for s in plan.model.sessions}):
                    digest.update(self.caches.digest(self.c.curriculum.lessons[lesson]))
        if self.c.rules is not None:
            digest.update(self.c.rules.model.model_dump_json().encode())
        for term_id, book in self.c.terms.items():
            entry = book.schools.get(school_id)
            digest.update(term_id.encode() + self.caches.digest(book.entry))
            if entry is not None:
                digest.update(self.caches.digest(entry))
                named = {x.lesson for x in entry.model.lectures} | {x.lesson for x in entry.model.drills}
                for lesson in sorted(named):
                    digest.update(self.caches.digest(self.c.curriculum.lessons[lesson]))
        return digest.digest()
