"""The whole site: every generated page, the print documents and the nav that holds them.

`build_site` is the one call an engine adapter (or `huxiao export`) makes. It takes the page
builder to use as a factory, so a faster builder (see `generator/speed/`) can stand in for the
plain one without this module knowing how it is faster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..stationdata import StationData
from ..reports import checklist
from ..reports.term import drill_loop
from . import mdtext, present, recordform
from .body import HtmlBodies, HtmlPage, Rendered
from .calendars import calendars
from .pages import PageBuilder
from .paths import (LAWS_PATH, law_path, COVERAGE_PATH, STATS_PATH, compliance_path, dossier_path, officer_path, lesson_path, print_docs, print_path,
                    report_path, school_path, tier_path, topic_path)

AUDIENCES = ("public", "internal")

MakeBuilder = Callable[..., PageBuilder]


@dataclass
class SiteContent:
    pages: dict[str, str] = field(default_factory=dict)
    # Standalone HTML files (the print documents), written to the site as they are.
    files: dict[str, str] = field(default_factory=dict)
    # Other generated files written as they are: the calendars (.ics).
    assets: dict[str, str] = field(default_factory=dict)
    # The paths of the print documents, also when they are not in `files` (written elsewhere).
    print_documents: list[str] = field(default_factory=list)
    nav: list = field(default_factory=list)
    # Pages reachable by links but kept out of the nav (lesson overviews).
    not_in_nav: set[str] = field(default_factory=set)
    # Pages whose text duplicates lesson text or is not worth finding: left out of search.
    search_excluded: set[str] = field(default_factory=set)
    # With `html_bodies` (the plugin): pages whose body is HTML, not Markdown (see PageBody), with
    # their table of contents; the engine need not convert them.
    html_pages: dict[str, HtmlPage] = field(default_factory=dict)
    # Per page written through PageBody, the paths it links to (checked by `build_site`).
    links: dict[str, frozenset[str]] = field(default_factory=dict)


def print_documents(data: StationData, site_url: str | None = None,
                    pdfs: frozenset[str] = frozenset()) -> Iterable[tuple[str, str]]:
    """Every lesson's print documents for the site, as (path, HTML)."""
    return _print_documents(PageBuilder(data, site_url, pdfs))


def _print_documents(builder: PageBuilder) -> Iterable[tuple[str, str]]:
    for entry in builder.c.curriculum.lessons.values():
        for tier in entry.model.tiers:
            for doc in print_docs(entry.model, tier):
                yield print_path(entry.id, tier, doc), builder.print_html(entry, tier, doc)
    yield from present.documents(builder.c)


def build_site(data: StationData, audience: str = "public", site_url: str | None = None,
               pdfs: frozenset[str] = frozenset(), html_bodies: HtmlBodies | None = None,
               with_print_documents: bool = True, make_builder: MakeBuilder = PageBuilder) -> SiteContent:
    """Every generated page and the nav that holds them; `internal` adds the school dossiers.

    `site_url` makes the handouts' QR codes; `pdfs` names the PDFs present, which pages link to.
    With `html_bodies` (the engine adapter) lesson and school pages are HTML, listed in
    `html_pages`; without it every page is Markdown (export). Without `with_print_documents`
    `files` stays empty, for a caller that writes the print documents itself.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    builder = make_builder(data, site_url, pdfs, html_bodies=html_bodies)
    site = SiteContent(nav=build_nav(data))
    for entry in data.curriculum.lessons.values():
        _add_page(site, lesson_path(entry.id), builder.lesson_overview(entry))
        site.not_in_nav.add(lesson_path(entry.id))
        for tier in entry.model.tiers:
            _add_page(site, lesson_path(entry.id, tier), builder.lesson_variant(entry, tier))
            site.print_documents += [print_path(entry.id, tier, doc) for doc in print_docs(entry.model, tier)]
    site.print_documents += present.paths(data)
    if with_print_documents:
        site.files.update(_print_documents(builder))
    site.assets.update(calendars(data, audience, builder.calendar_events))
    for view in data.schools.values():
        _add_page(site, school_path(view.id), builder.school(view, internal=audience == "internal"))
    site.pages.update(builder.listings())
    for term_id in data.started_terms():
        _add_page(site, report_path(term_id), builder.term_report(term_id, internal=audience == "internal"))
    if data.started_terms():
        _add_page(site, recordform.FORM_PATH, recordform.form_page(data, audience, html_bodies))
    if audience == "internal":
        _add_internal_pages(builder, site)
    _check_links(site)
    site.search_excluded = {p for p, text in site.pages.items() if '\nsearch: {"exclude": true}\n' in text[:800]}
    return site


def _add_internal_pages(builder: PageBuilder, site: SiteContent) -> None:
    """一校一档 and 一校一表 for every school, and the district overview. Internal build only."""
    c = builder.c
    rows: dict[str, list] = {}
    for district, views in c.schools_by_district().items():
        rows[district] = [(view, checklist.evaluate(view, c)) for view in views]
    loops = {view.id: drill_loop(c, view.id) for view in c.schools.values()}
    site.pages["internal/index.md"] = builder.internal_index(rows, loops)
    nav: list = ["internal/index.md"]
    current = c.current_term()
    if c.rules is not None and current is not None:
        terms = [t for t in c.terms if t == current.id or (t in c.plans and c.terms[t].term.first_day > current.term.first_day)]
        checks: list = []
        for term_id in terms:
            site.pages[compliance_path(term_id)] = builder.compliance(term_id)
            checks.append({mdtext.plain(f"{c.terms[term_id].term.name}计划与规则"): compliance_path(term_id)})
        sheets = builder.officer_sheets(current.id)
        for sheet in sheets.values():
            site.pages[officer_path(sheet.id)] = builder.officer_sheet(sheet)
        checks.append({"考核表": [{mdtext.plain(s.name): officer_path(s.id)} for s in sheets.values()]})
        nav.append({"计划与考核": checks})
    for district, entries in rows.items():
        for view, checks in entries:
            site.pages[dossier_path(view.id)] = builder.dossier(view, checks)
        nav.append({mdtext.plain(district): [{mdtext.plain(v.school.name): dossier_path(v.id)} for v, _ in entries]})
    site.nav.append({"内部档案": nav})


def _add_page(site: SiteContent, path: str, page: Rendered) -> None:
    site.pages[path] = page.text
    site.links[path] = page.links
    if page.html is not None:
        site.html_pages[path] = page.html


def _check_links(site: SiteContent) -> None:
    """Links in HTML blocks are not the engine's to check: every one must reach a generated file."""
    targets = site.pages.keys() | set(site.print_documents) | site.assets.keys()
    for path, links in site.links.items():
        if targets.issuperset(links):
            continue  # nearly every page: checked at C speed
        for target in links:
            if target not in targets and not target.startswith("pdf/"):
                raise AssertionError(f"generated page {path} links to {target}, which is not generated")


def build_nav(c: StationData) -> list:
    """Nested nav, so each page carries only its own branch (with navigation.prune)."""

    def item(title: str, path: str) -> dict:
        return {mdtext.plain(title): path}

    by_tier: list = ["tiers/index.md"]
    for tier_id, tier in c.curriculum.tiers.items():
        branch: list = [tier_path(tier_id)]
        for topic_id in c.curriculum.topics_of_tier(tier_id):
            lessons = [item(e.model.title, lesson_path(e.id, tier_id)) for e in c.curriculum.lessons_for(tier_id, topic_id)]
            branch.append({mdtext.plain(c.curriculum.topics[topic_id].name): lessons})
        by_tier.append({mdtext.plain(tier.name): branch})
    by_topic = ["topics/index.md"] + [item(t.name, topic_path(t.id)) for t in c.curriculum.topics.values()]
    schools: list = ["schools/index.md"]
    for district, views in c.schools_by_district().items():
        # District → school type → school: a city district has hundreds of schools, and with
        # navigation.prune every school page carries the list of its siblings.
        by_type: dict[str, list] = {}
        for view in views:
            by_type.setdefault(view.school.type, []).append(item(view.school.name, school_path(view.id)))
        branch = [{mdtext.plain(c.curriculum.school_types[t].name): by_type[t]} for t in c.curriculum.school_types if t in by_type]
        schools.append({mdtext.plain(district): branch})
    reports: list = [item("开展情况统计", STATS_PATH), item("课程覆盖", COVERAGE_PATH)]
    if c.started_terms():
        reports.append({"学期工作报告": ["reports/index.md"] + [item(f"{book.term.name}", report_path(term_id))
                                                          for term_id, book in reversed(c.started_terms().items())]})
        reports.append(item("填写工作记录", recordform.FORM_PATH))
    nav = [{"学段": by_tier}, {"专题": by_topic}, {"学校": schools}, {"统计": reports}]
    if c.curriculum.laws:
        laws = sorted(c.curriculum.laws.items(), key=lambda item: (item[1].model.superseded_by is not None, item[1].model.title, item[0]))
        nav.append({"法规依据": [LAWS_PATH] + [item(f"《{e.model.title}》" + ("（已取代）" if e.model.superseded_by else ""),
                                                  law_path(law_id)) for law_id, e in laws]})
    return nav


def nav_pages(nav: Iterable) -> list[str]:
    """Every page path a nav names, in order."""
    found: list[str] = []
    for node in nav:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                found += nav_pages(value) if isinstance(value, list) else [value]
    return found
