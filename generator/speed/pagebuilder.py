"""Generated pages from the page cache: a `PageBuilder` that renders a page only when what it is
made of changed (see `caches.BuildCaches.page_builder`, which hands it to `build_site`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
from collections.abc import Callable
from typing import Any, Protocol

from markupsafe import Markup

from ..reports.stats import held_by_school
from ..reports.term import comparisons
from ..schools import SchoolView
from ..site.body import HtmlBodies, Rendered
from ..site.pages import RECOMMENDED_PER_TOPIC, PageBuilder
from ..source.loading import Entry
from ..source.models import Lesson
from ..stationdata import StationData
from . import pagecache


class PageStore(Protocol):
    """What the page builder takes from `caches.BuildCaches` (named here, not imported: that
    module imports this one when pages are built)."""

    pages: pagecache.PageCache
    lesson_pages: dict[tuple[str, str, str], tuple[Lesson, tuple, Any, bytes | None]]

    def digest(self, entry: Entry) -> bytes: ...


class CachedPageBuilder(PageBuilder):
    """A `PageBuilder` whose pages come from the caches when what they are made of is unchanged."""

    def __init__(self, caches: PageStore, data: StationData, site_url: str | None,
                 pdfs: frozenset[str], qr_inline: bool, html_bodies: HtmlBodies | None) -> None:
        super().__init__(data, site_url, pdfs, qr_inline=qr_inline, html_bodies=html_bodies)
        self.caches = caches
        taxonomy = data.curriculum.taxonomy.model_dump_json() if data.curriculum.taxonomy is not None else ""
        self._base = pagecache.key(self.site_url, qr_inline, html_bodies, taxonomy)
        self._settings = (id(data.curriculum.taxonomy), self.site_url, qr_inline, html_bodies)
        self._library_keys: dict[str | None, bytes] = {}
        self._shown_by_tiers: dict[tuple[str, ...], bytes] = {}
        self._laws_shown: dict[str, str] = {}
        self._shown_by_lesson: dict[str, tuple] = {}
        # the PDFs present, by the lesson they print (`<lesson>/<tier>/<doc>.pdf`)
        self._pdfs_by_lesson: dict[str, list[str]] = {}
        for name in pdfs:
            self._pdfs_by_lesson.setdefault(name.split("/", 1)[0], []).append(name)
        self._earlier: dict[tuple[str, dt.date | None], dict[str, int]] = {}
        self._records_by_school: dict[str, bytes] = {}
        self._recommended: dict[tuple[str, str], tuple[Markup, list[tuple[str, str]]]] = {}

    def _stored(self, parts: tuple, render: Callable[[], Any]) -> Any:
        return self.caches.pages.get(pagecache.key(self._base, *parts), render)

    def _lesson_memo(self, entry: Entry[Lesson], tier: str, doc: str, render: Callable[[], Any], stored: bool) -> Any:
        """Pages of one lesson depend only on its file, the taxonomy and a few settings. Files
        that did not change come back from loading as the very same objects, so in `serve` a
        rebuild renders again only the lessons whose file changed. A `stored` page is kept in the
        page cache too, for the next process."""
        shown = self._lesson_shown(entry)
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

    def _lesson_shown(self, entry: Entry[Lesson]) -> tuple:
        """What a lesson's pages show besides the lesson and the build settings, once per lesson
        and build (a lesson has a page per tier, an overview and print documents)."""
        if entry.id not in self._shown_by_lesson:
            c = self.c
            self._shown_by_lesson[entry.id] = (
                c.curriculum.is_stale(entry.model), tuple(sorted(self._pdfs_by_lesson.get(entry.id, []))),
                tuple((e.id, e.model.title, tuple(e.model.tiers)) for e in c.curriculum.related(entry.id)),
                # The source list shows each cited law's title, number, date and confidence.
                tuple(self._law_shown(s.law) for s in entry.model.sources if s.law in c.curriculum.laws))
        return self._shown_by_lesson[entry.id]

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

    def recommended(self, tier_id: str, here: str, url: Callable[..., Markup]) -> Markup:
        """Written once per tier and build (a city's school pages wrote it 3,000 times, half their
        cost); a page after the first gets the same text and links to the same pages. The list
        links only to lesson and tier pages, outside the folder school pages share, so every page
        of that folder writes it alike."""
        key = (tier_id, posixpath.dirname(here))
        if key not in self._recommended:
            targets: list[tuple[str, str]] = []

            def recording(target: str, fragment: str = "") -> Markup:
                targets.append((target, fragment))
                return url(target, fragment)

            self._recommended[key] = (PageBuilder.recommended(self, tier_id, here, recording), targets)
        text, targets = self._recommended[key]
        for target, fragment in targets:
            url(target, fragment)  # the page links to them as well
        return text

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
        """The school list shows each school's file and how many lectures and drills it held: a
        record edit that changes neither leaves it cached."""
        held = held_by_school(self.c)
        listed = hashlib.blake2b(digest_size=20)
        for view in self.c.schools.values():
            lectures, drills = held[view.id]
            listed.update(f"{view.id},{lectures},{drills}".encode() + self.caches.digest(view.entry))
        index = self._stored(("schools-index", listed.digest()), lambda: PageBuilder.schools_index(self, held))
        return {"schools/index.md": index,
                **self._stored(("station-figures", self._library()), lambda: PageBuilder.station_figures(self))}

    def term_report(self, term_id: str, internal: bool = False) -> Rendered:
        # The earlier terms' figures it shows are cached apart (see `earlier_figures`), and asked
        # for here too: with the page from the cache they are still in use, and kept.
        for earlier_id, _slot, until in comparisons(self.c, term_id):
            self.earlier_figures(earlier_id, until)
        # Its PDF comes and goes with `huxiao pdf` and with the records it was made from.
        return self._stored(("report", term_id, internal, self._report_pdf(term_id), self._library(upto=term_id)),
                            lambda: PageBuilder.term_report(self, term_id, internal))

    def earlier_figures(self, term_id: str, until: dt.date | None) -> dict[str, int]:
        """Made of that term's and earlier terms' records: a record edited in a later term leaves
        them cached."""
        if (term_id, until) not in self._earlier:
            self._earlier[(term_id, until)] = self._stored(("earlier-figures", term_id, until, self._library(upto=term_id)),
                                                           lambda: PageBuilder.earlier_figures(self, term_id, until))
        return self._earlier[(term_id, until)]

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
        """`_records_of`, once per school and build (its page and both calendars ask), and in
        `serve` kept while the files it hashes are the objects they were."""
        if school_id not in self._records_by_school:
            c = self.c
            made_of = (c.curriculum, c.rules.model if c.rules else None, *(p.plan(school_id) for p in c.plans.values()),
                       *(x for book in c.terms.values() for x in (book.term, book.record(school_id))))
            self._records_by_school[school_id] = c.remember(("records_of", school_id, tuple(c.plans), tuple(c.terms)),
                                                            made_of, lambda: self._records_of(school_id))
        return self._records_by_school[school_id]

    def _records_of(self, school_id: str) -> bytes:
        """A hash of the school's records in every term and of the lessons they name (titles,
        drill targets): bytes, which the page key takes as they are (repr of a long tuple is slow)."""
        digest = hashlib.blake2b(digest_size=20)
        for term_id, plans in self.c.plans.items():
            if (plan := plans.schools.get(school_id)) is not None:
                digest.update(term_id.encode() + self.caches.digest(plan))
                for lesson in sorted({s.lesson for s in plan.model.sessions}):
                    digest.update(self.caches.digest(self.c.curriculum.lessons[lesson]))
        if self.c.rules is not None:
            digest.update(self.caches.digest(self.c.rules))
        for term_id, book in self.c.terms.items():
            entry = book.schools.get(school_id)
            digest.update(term_id.encode() + self.caches.digest(book.entry))
            if entry is not None:
                digest.update(self.caches.digest(entry))
                named = {x.lesson for x in entry.model.lectures} | {x.lesson for x in entry.model.drills}
                for lesson in sorted(named):
                    digest.update(self.caches.digest(self.c.curriculum.lessons[lesson]))
        return digest.digest()
