"""From the curriculum to pages: a mapping of path -> Markdown (with front matter) and a nav.

Nothing here knows MkDocs: the plugin adds these pages to a build, `huxiao export` writes them
to a folder. Templates hold the presentation; every value they print is escaped by default
(see `_finalize`), so author text never becomes Markdown, HTML or template syntax.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from . import checklist, mdtext
from .curriculum import Curriculum, SchoolView
from .loading import Entry
from .models import Lesson
from .schema import field_reference
from .stats import delivery_stats

KIND_NAMES = {"lecture": "讲座", "drill": "演练"}
STATUS_NAMES = {"pass": "✔ 达标", "fail": "✘ 未达标", "unknown": "？ 未填写"}
AUDIENCES = ("public", "internal")


@dataclass
class SiteContent:
    pages: dict[str, str] = field(default_factory=dict)
    # Standalone HTML files (the print documents), written to the site as they are.
    files: dict[str, str] = field(default_factory=dict)
    # The paths of the print documents, also when they are not in `files` (written by printjob).
    print_documents: list[str] = field(default_factory=list)
    nav: list = field(default_factory=list)
    # Pages reachable by links but kept out of the nav (lesson overviews).
    not_in_nav: set[str] = field(default_factory=set)
    # Pages whose text duplicates lesson text or is not worth finding: left out of search.
    search_excluded: set[str] = field(default_factory=set)
    # With `stash_html`: per page, the HTML blocks taken out of its Markdown, by placeholder
    # (see HtmlStash). MkDocs converts a page of short placeholders; `restore_html` puts the
    # blocks back.
    html_blocks: dict[str, dict[str, tuple[str, bool]]] = field(default_factory=dict)


def restore_html(path: str, html: str, site: SiteContent, late: bool = False) -> str:
    """The page's HTML with its stashed blocks (the early or the `late` ones) back in place."""
    for placeholder, (block, is_late) in site.html_blocks.get(path, {}).items():
        if is_late == late:
            html = html.replace(placeholder, block, 1)
    return html


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, dt.date)):
        return str(value)
    return mdtext.escape_inline(str(value))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        finalize=_finalize,
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(paras=_paras, indent_md=_indent, mmss=_mmss, plain=_plain, anchor=_anchor)
    env.globals.update(kind_names=KIND_NAMES, letters="ABCDEFGH", status_names=STATUS_NAMES)
    return env


@lru_cache(maxsize=1)
def html_environment() -> Environment:
    """For the print documents, which are HTML: autoescaped, so author text is always data."""
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(paras=_html_paras, mmss=_mmss, plain=mdtext.strip_citations)
    env.globals.update(kind_names=KIND_NAMES, letters="ABCDEFGH", answer_text=_answer_text)
    return env


def _html_paras(text: str) -> Markup:
    """Multi-line author text as HTML: escaped, line breaks kept, `**bold**` kept, citations dropped."""
    lines = [escape(mdtext.bullet(line).strip()) for line in mdtext.strip_citations(text).splitlines() if line.strip()]
    joined = Markup("<br>").join(lines)
    return Markup(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", str(joined)))


def _answer_text(item: Any) -> str:
    return f"{'ABCDEFGH'[item.answer - 1]}. {item.choices[item.answer - 1]}" if item.choices else str(item.answer)


def _paras(text: str, cites: Any = None, indent: int = 0) -> Markup:
    """Multi-paragraph author text: escaped, `**bold**` kept, citations linked."""
    lookup = cites.get if cites else (lambda _id: None)
    blocks = [mdtext.bold(mdtext.cite(p, lookup)) for p in mdtext.escape_paragraphs(text)]
    return Markup(("\n\n" + " " * indent).join(blocks))


def _indent(text: str, width: int = 4) -> Markup:
    pad = " " * width
    return Markup("\n".join(pad + line if line else line for line in str(text).split("\n")))


def _anchor(identifier: str) -> Markup:
    """An id (a-z, 0-9, hyphens, checked by the models) as a URL fragment, which must stay as is."""
    if not re.fullmatch(r"[a-z0-9-]+", identifier):
        raise ValueError(f"not an id: {identifier!r}")
    return Markup(identifier)


def _mmss(seconds: int) -> Markup:
    return Markup(f"{seconds // 60}:{seconds % 60:02d}")


def _plain(text: str) -> Markup:
    """Author text without its citations, for summaries and handouts."""
    return Markup(mdtext.escape_inline(mdtext.strip_citations(text)))


@lru_cache(maxsize=65536)
def rel(here: str, target: str) -> Markup:
    """A relative link from page `here` to page `target` (both docs-relative .md paths)."""
    return Markup(posixpath.relpath(target, posixpath.dirname(here) or "."))


def front_matter(**meta: Any) -> str:
    # JSON values are valid YAML, and json.dumps is many times faster than a YAML emitter.
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
    return "---\n" + lines + "---\n\n"


# --------------------------------------------------------------------------- paths


def tier_path(tier: str) -> str:
    return f"tiers/{tier}/index.md"


def topic_path(topic: str) -> str:
    return f"topics/{topic}.md"


def lesson_path(lesson: str, tier: str | None = None) -> str:
    return f"lessons/{lesson}/{tier}.md" if tier else f"lessons/{lesson}/index.md"


def school_path(school: str) -> str:
    return f"schools/{school}.md"


def dossier_path(school: str) -> str:
    return f"internal/schools/{school}.md"


PRINT_DOCS = {"handout": "学生讲义", "runsheet": "讲师讲稿", "quiz": "知识竞赛题", "drill": "演练脚本与检查表"}
LARGE_TYPE_TIERS = {"kindergarten", "primary-lower"}
# A school page names a few lessons per topic and tier and links to the rest: a city library of
# a thousand lessons would otherwise put hundreds of links on each of thousands of school pages.
RECOMMENDED_PER_TOPIC = 3


def print_path(lesson: str, tier: str, doc: str) -> str:
    """Print documents are standalone HTML files, not Markdown pages: /lessons/<id>/<tier>/<doc>/."""
    return f"lessons/{lesson}/{tier}/{doc}/index.html"


def pdf_name(lesson: str, tier: str, doc: str) -> str:
    """Where `huxiao pdf` writes a document, relative to its output folder (and to the site)."""
    return f"{lesson}/{tier}/{doc}.pdf"


def print_docs(lesson: Lesson) -> list[str]:
    return [d for d in PRINT_DOCS if d != "drill" or lesson.kind == "drill"]


STATS_PATH = "stats.md"
COVERAGE_PATH = "coverage.md"


# --------------------------------------------------------------------------- builders


class HtmlStash:
    """Called as `{% call raw() %}<html>{% endcall %}` in a template: keeps the block out of the
    Markdown (Python-Markdown parses raw HTML with a slow pure-Python parser) and leaves a
    placeholder paragraph. The token carries a random part, so author text cannot forge one.

    `raw(search=True)` blocks are put back as soon as the page's HTML exists, so search indexes
    them; the others only into the finished page (`late`), after search has read it: the
    officer's long material then costs the search plugin nothing."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.blocks: dict[str, tuple[str, bool]] = {}
        self.prefix = f"hxblock{secrets.token_hex(6)}n"

    def __call__(self, caller: Any, search: bool = False) -> Markup:
        block = caller()
        if not self.enabled:
            return block
        token = f"{self.prefix}{len(self.blocks)}"
        if search:
            self.blocks[f"<p>{token}</p>"] = (str(block), False)
            return Markup(f"\n\n{token}\n\n")  # a paragraph of its own, whatever surrounds the call
        self.blocks[f"<p data-search-exclude>{token}</p>"] = (str(block), True)
        return Markup(f"\n\n{token}\n{{: data-search-exclude }}\n\n")


class PageBuilder:
    def __init__(self, curriculum: Curriculum, site_url: str | None = None, pdfs: frozenset[str] = frozenset(),
                 qr_inline: bool = False, stash_html: bool = False):
        # On the site the browser draws QR codes (theme/huxiao/qr.js); PDFs get them inline.
        self.qr_inline = qr_inline
        self.stash_html = stash_html
        self.c = curriculum
        self.env = environment()
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self.pdfs = pdfs

    def render(self, template: str, here: str, meta: dict, **context: Any) -> str:
        body = self.env.get_template(template).render(
            c=self.c, here=here, link=lambda target: rel(here, target), paths=PATHS, **context
        )
        return front_matter(**meta) + body

    # one page each -------------------------------------------------------

    def lesson_variant(self, entry: Entry[Lesson], tier: str) -> tuple[str, dict[str, tuple[str, bool]]]:
        """The lesson page's Markdown, and the HTML blocks stashed out of it (see HtmlStash)."""
        lesson = entry.model
        variant = lesson.variants[tier]
        here = lesson_path(entry.id, tier)
        tier_name = self.c.tiers[tier].name
        starts, clock = [], 0
        for activity in variant.activities:
            starts.append(clock)
            clock += activity.minutes
        meta = {"title": mdtext.plain(f"{lesson.title}（{tier_name}）"),
                "description": mdtext.plain(mdtext.strip_citations(lesson.summary)),
                "jsonld": learning_resource(lesson, tier, self.c, self.lesson_url(entry.id, tier))}
        stash = HtmlStash(self.stash_html)
        markdown = self.render(
            "lesson.md.j2", here, meta, raw=stash,
            entry=entry, lesson=lesson, tier=self.c.tiers[tier], variant=variant, starts=starts,
            total=clock, cites=_source_numbers(lesson), stale=self.c.is_stale(lesson),
            prints=[(PRINT_DOCS[d], print_path(entry.id, tier, d), self._pdf_link(here, entry.id, tier, d))
                    for d in print_docs(lesson)],
        )
        return markdown, stash.blocks

    def _pdf_link(self, here: str, lesson: str, tier: str, doc: str) -> Markup | None:
        name = pdf_name(lesson, tier, doc)
        return rel(here, f"pdf/{name}") if name in self.pdfs else None

    def print_context(self, entry: Entry[Lesson], tier: str, doc: str) -> dict:
        lesson = entry.model
        variant = lesson.variants[tier]
        starts, clock = [], 0
        for activity in variant.activities:
            starts.append(clock)
            clock += activity.minutes
        return dict(c=self.c, lesson=lesson, tier=self.c.tiers[tier], variant=variant, starts=starts,
                    large=tier in LARGE_TYPE_TIERS, qr=self.qr(entry.id, tier) if doc == "handout" else "",
                    title=f"{lesson.title}（{self.c.tiers[tier].name}）{PRINT_DOCS[doc]}")

    def print_html(self, entry: Entry[Lesson], tier: str, doc: str, css_inline: str | None = None) -> str:
        """A print document as a standalone HTML file: on the site, or (with `css_inline`) for a PDF."""
        here = print_path(entry.id, tier, doc)
        context = self.print_context(entry, tier, doc)
        pdf = self._pdf_link(here, entry.id, tier, doc)
        return html_environment().get_template(f"print_{doc}.html.j2").render(
            **context, css_inline=Markup(css_inline) if css_inline else None, on_site=css_inline is None,
            root=_root_of(here),
            back=str(rel(here, f"lessons/{entry.id}/{tier}/index.html")).removesuffix("index.html"),
            pdf=pdf,
        )

    def school_pack_html(self, view: SchoolView, css_inline: str) -> str:
        handouts = []
        for tier, entries in self.c.recommended(view).items():
            for entry in entries:
                context = self.print_context(entry, tier, "handout")
                handouts.append((context["lesson"], context["tier"], context["variant"], context["large"],
                                 context["qr"]))
        return html_environment().get_template("school_pack.html.j2").render(
            c=self.c, view=view, school=view.school, handouts=handouts, title=view.school.name,
            css_inline=Markup(css_inline), on_site=False, root="", back="", pdf=None)

    def lesson_url(self, lesson: str, tier: str) -> str | None:
        return f"{self.site_url}lessons/{lesson}/{tier}/" if self.site_url else None

    def qr(self, lesson: str, tier: str) -> Markup:
        url = self.lesson_url(lesson, tier)
        if url is None:
            return Markup("")
        if not self.qr_inline:
            return Markup('<div class="hx-qr-code" data-qr="{}"></div>').format(url)
        import segno

        svg = segno.make(url, error="m").svg_inline(scale=3, omitsize=True)
        return Markup(f'<div class="hx-qr-code">{svg}</div>')

    def lesson_overview(self, entry: Entry[Lesson]) -> str:
        lesson = entry.model
        return self.render(
            "lesson_overview.md.j2", lesson_path(entry.id),
            # Search finds a lesson's summary and key messages here, once; tier pages add their own.
            {"title": mdtext.plain(lesson.title), "description": mdtext.plain(mdtext.strip_citations(lesson.summary))},
            entry=entry, lesson=lesson, cites=_source_numbers(lesson), stale=self.c.is_stale(lesson),
        )

    def tier(self, tier_id: str) -> str:
        tier = self.c.tiers[tier_id]
        # Tier and topic pages list lessons' summaries, which search finds on the lessons' own pages.
        return self.render("tier.md.j2", tier_path(tier_id), {"title": mdtext.plain(tier.name), "search": {"exclude": True}},
                           tier=tier)

    def topic(self, topic_id: str) -> str:
        topic = self.c.topics[topic_id]
        lessons = [e for e in self.c.lessons.values() if e.model.topic == topic_id]
        lessons.sort(key=lambda e: (min(list(self.c.tiers).index(t) for t in e.model.tiers), e.model.title))
        return self.render("topic.md.j2", topic_path(topic_id), {"title": mdtext.plain(topic.name), "search": {"exclude": True}},
                           topic=topic, lessons=lessons)

    def school(self, view: SchoolView) -> str:
        records = sorted(view.school.deliveries, key=lambda r: r.date, reverse=True)
        return self.render("school.md.j2", school_path(view.id),
                           {"title": mdtext.plain(view.school.name), "search": {"exclude": True}},
                           view=view, school=view.school, records=records, per_topic=RECOMMENDED_PER_TOPIC)

    def index(self, template: str, path: str, title: str, **context: Any) -> str:
        return self.render(template, path, {"title": title, "search": {"exclude": True}}, **context)


def learning_resource(lesson: Lesson, tier_id: str, c: Curriculum, url: str | None) -> str:
    """schema.org LearningResource as JSON-LD, safe to place inside a <script> element."""
    tier = c.tiers[tier_id]
    variant = lesson.variants[tier_id]
    data = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "name": f"{lesson.title}（{tier.name}）",
        "description": mdtext.strip_citations(lesson.summary),
        "inLanguage": "zh-CN",
        "educationalLevel": tier.name,
        "typicalAgeRange": f"{tier.ages[0]}-{tier.ages[1]}",
        "timeRequired": f"PT{variant.minutes}M",
        "teaches": [mdtext.strip_citations(o) for o in variant.objectives],
        "keywords": ", ".join([c.topics[lesson.topic].name, *variant.key_words]),
        "learningResourceType": "drill" if lesson.kind == "drill" else "lesson plan",
        "about": c.topics[lesson.topic].name,
        "dateModified": lesson.reviewed.isoformat(),
    }
    if url:
        data["url"] = url
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "</script>" or "<!--" in author text must not end the element early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


PATHS = {"tier": tier_path, "topic": topic_path, "lesson": lesson_path, "school": school_path, "dossier": dossier_path,
         "stats": STATS_PATH, "coverage": COVERAGE_PATH}


def _root_of(path: str) -> str:
    """The relative way from a file at `path` back to the site root."""
    return "../" * path.count("/")


def _source_numbers(lesson: Lesson) -> dict[str, int]:
    return {source.id: n for n, source in enumerate(lesson.sources, start=1)}


# Pages of one lesson depend only on its file, the taxonomy and a few build settings. Files that
# did not change come back from `loading` as the very same objects, so in `mkdocs serve` a rebuild
# re-renders only the lessons whose file changed.
_lesson_pages: dict[tuple[str, str, str], tuple[Lesson, tuple, Any]] = {}


def _cached_lesson_page(builder: PageBuilder, entry: Entry[Lesson], tier: str, doc: str) -> Any:
    c = builder.c
    settings = (id(c.taxonomy), builder.site_url, builder.qr_inline, builder.stash_html, c.is_stale(entry.model),
                tuple(sorted(n for n in builder.pdfs if n.startswith(f"{entry.id}/"))))
    key = (entry.id, tier, doc)
    cached = _lesson_pages.get(key)
    if cached and cached[0] is entry.model and cached[1] == settings:
        return cached[2]
    if doc == "page":
        markdown = builder.lesson_variant(entry, tier)
    elif doc == "overview":
        markdown = builder.lesson_overview(entry)
    else:
        markdown = builder.print_html(entry, tier, doc)
    _lesson_pages[key] = (entry.model, settings, markdown)
    return markdown


def print_documents(curriculum: Curriculum, site_url: str | None = None, pdfs: frozenset[str] = frozenset(),
                    keep: bool = True) -> Iterable[tuple[str, str]]:
    """Every lesson's print documents for the site, as (path, HTML); kept in memory for the next
    build unless not to `keep` (the print helper writes each and forgets it)."""
    builder = PageBuilder(curriculum, site_url, pdfs)
    for entry in curriculum.lessons.values():
        for tier in entry.model.tiers:
            for doc in print_docs(entry.model):
                html = _cached_lesson_page(builder, entry, tier, doc) if keep else builder.print_html(entry, tier, doc)
                yield print_path(entry.id, tier, doc), html


def build_site(curriculum: Curriculum, audience: str = "public", site_url: str | None = None,
               pdfs: frozenset[str] = frozenset(), stash_html: bool = False,
               with_print_documents: bool = True) -> SiteContent:
    """Every generated page and the nav that holds them; `internal` adds the school dossiers.

    `site_url` makes the handouts' QR codes; `pdfs` names the PDFs present, which pages link to.
    `stash_html` (the MkDocs plugin) keeps lesson pages' HTML blocks in `html_blocks`, out of the
    Markdown; without it every page is complete Markdown (export). Without `with_print_documents`
    `files` stays empty: the plugin has `printjob` write them while MkDocs renders the pages.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    builder = PageBuilder(curriculum, site_url, pdfs, stash_html=stash_html)
    site = SiteContent(nav=build_nav(curriculum))
    pages = site.pages
    for entry in curriculum.lessons.values():
        pages[lesson_path(entry.id)] = _cached_lesson_page(builder, entry, "", "overview")
        site.not_in_nav.add(lesson_path(entry.id))
        for tier in entry.model.tiers:
            path = lesson_path(entry.id, tier)
            pages[path], blocks = _cached_lesson_page(builder, entry, tier, "page")
            if blocks:
                site.html_blocks[path] = blocks
            site.print_documents += [print_path(entry.id, tier, doc) for doc in print_docs(entry.model)]
    if with_print_documents:
        site.files.update(print_documents(curriculum, site_url, pdfs))
    pages["tiers/index.md"] = builder.index("tiers_index.md.j2", "tiers/index.md", "按学段")
    for tier in curriculum.tiers:
        pages[tier_path(tier)] = builder.tier(tier)
    pages["topics/index.md"] = builder.index("topics_index.md.j2", "topics/index.md", "按专题")
    for topic in curriculum.topics:
        pages[topic_path(topic)] = builder.topic(topic)
    pages["schools/index.md"] = builder.index("schools_index.md.j2", "schools/index.md", "学校名录",
                                              districts=curriculum.schools_by_district(),
                                              stats=delivery_stats(curriculum))
    for view in curriculum.schools.values():
        pages[school_path(view.id)] = builder.school(view)
    pages[STATS_PATH] = builder.index("stats.md.j2", STATS_PATH, "开展情况统计", stats=delivery_stats(curriculum))
    pages[COVERAGE_PATH] = builder.index("coverage.md.j2", COVERAGE_PATH, "课程覆盖")
    pages["guides/fields.md"] = front_matter(title="字段参考", search={"exclude": True}) + field_reference()
    if audience == "internal":
        _add_internal_pages(builder, site)
    site.search_excluded = {p for p, text in pages.items() if '\nsearch: {"exclude": true}\n' in text[:800]}
    return site


def _add_internal_pages(builder: PageBuilder, site: SiteContent) -> None:
    """一校一档 and 一校一表 for every school, and the district overview. Internal build only."""
    c = builder.c
    rows: dict[str, list] = {}
    for district, views in c.schools_by_district().items():
        rows[district] = [(view, checklist.evaluate(view, c)) for view in views]
    meta = {"search": {"exclude": True}}
    site.pages["internal/index.md"] = builder.render("internal_index.md.j2", "internal/index.md",
                                                    {"title": "辖区三防总览", **meta}, districts=rows)
    nav: list = ["internal/index.md"]
    for district, entries in rows.items():
        for view, checks in entries:
            path = dossier_path(view.id)
            records = sorted(view.school.deliveries, key=lambda r: r.date, reverse=True)
            site.pages[path] = builder.render(
                "dossier.md.j2", path, {"title": mdtext.plain(f"{view.school.name} 一校一档"), **meta},
                view=view, school=view.school, internal=view.school.internal, checks=checks, records=records)
        nav.append({mdtext.plain(district): [{mdtext.plain(v.school.name): dossier_path(v.id)} for v, _ in entries]})
    site.nav.append({"内部档案": nav})


def build_nav(c: Curriculum) -> list:
    """Nested nav, so each page carries only its own branch (with navigation.prune)."""

    def item(title: str, path: str) -> dict:
        return {mdtext.plain(title): path}

    by_tier = ["tiers/index.md"]
    for tier_id, tier in c.tiers.items():
        branch: list = [tier_path(tier_id)]
        for topic_id in c.topics_of_tier(tier_id):
            lessons = [item(e.model.title, lesson_path(e.id, tier_id)) for e in c.lessons_for(tier_id, topic_id)]
            branch.append({mdtext.plain(c.topics[topic_id].name): lessons})
        by_tier.append({mdtext.plain(tier.name): branch})
    by_topic = ["topics/index.md"] + [item(t.name, topic_path(t.id)) for t in c.topics.values()]
    schools: list = ["schools/index.md"]
    for district, views in c.schools_by_district().items():
        # District → school type → school: a city district has hundreds of schools, and with
        # navigation.prune every school page carries the list of its siblings.
        by_type: dict[str, list] = {}
        for view in views:
            by_type.setdefault(view.school.type, []).append(item(view.school.name, school_path(view.id)))
        branch = [{mdtext.plain(c.school_types[t].name): by_type[t]} for t in c.school_types if t in by_type]
        schools.append({mdtext.plain(district): branch})
    return [{"学段": by_tier}, {"专题": by_topic}, {"学校": schools},
            {"统计": [item("开展情况统计", STATS_PATH), item("课程覆盖", COVERAGE_PATH)]}]


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
