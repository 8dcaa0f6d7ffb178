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

from . import checklist, gcpause, mdtext, pagecache
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
    # With `html_bodies` (the plugin): pages whose body is HTML, not Markdown (see PageBody), with
    # their table of contents; MkDocs need not convert them.
    html_pages: dict[str, "HtmlPage"] = field(default_factory=dict)
    # Per page written through PageBody, the paths it links to (checked by `build_site`).
    links: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class HtmlPage:
    """A page whose body the generator wrote as HTML: its headings (level, id, inner HTML), and
    the officer's material kept out of the page until search has read it (`late`, by
    placeholder). Flat tuples: the page cache loads thousands of them."""
    headings: tuple[tuple[int, str, str], ...]
    late: dict[str, str]

    @property
    def anchors(self) -> set[str]:
        return {anchor for _, anchor, _ in self.headings}

    def toc_tokens(self) -> list[dict]:
        """The headings as Python-Markdown's `toc` extension nests them (`md.toc_tokens`)."""
        return _nest([{"level": level, "id": anchor, "name": _TAG.sub("", inner), "html": inner,
                       "data-toc-label": "", "children": []} for level, anchor, inner in self.headings])


def restore_late_blocks(html: str, page: HtmlPage) -> str:
    """The finished page with its officer material back in place."""
    for placeholder, block in page.late.items():
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
    env.filters.update(paras=_paras, html_paras=_html_block_paras, indent_md=_indent, mmss=_mmss, plain=_plain, anchor=_anchor)
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


def _html_block_paras(text: str, cites: Any = None) -> Markup:
    """Like `paras`, for inside an HTML block: a blank line would end the block in Markdown."""
    return Markup(str(_paras(text, cites)).replace("\n\n", "<br><br>"))


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


def rel(here: str, target: str) -> Markup:
    """A relative link from page `here` to page `target` (both docs-relative .md paths)."""
    return Markup(_relative(here.split("/")[:-1], target.split("/")))


def _relative(folders: list[str], parts: list[str]) -> str:
    """The way from the folder `folders` to the file `parts`, by string alone: index pages hold
    tens of thousands of links, and posixpath.relpath asks the OS for the working folder."""
    common = 0
    while common < len(folders) and common < len(parts) - 1 and folders[common] == parts[common]:
        common += 1
    return "../" * (len(folders) - common) + "/".join(parts[common:])


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


@dataclass(frozen=True)
class Rendered:
    text: str
    html: HtmlPage | None
    links: frozenset[str]


@dataclass(frozen=True)
class HtmlBodies:
    """How the MkDocs build links and marks headings, for pages written as HTML (see PageBody)."""
    permalink: str | None = None
    directory_urls: bool = True


class PageBody:
    """What a generated page's template calls to write what Markdown must not parse.

    `{% call raw() %}<html>{% endcall %}` is an HTML block, `heading(level, text, id)` a heading
    with a fixed id, `url(path)` a link to another generated page or file. For the MkDocs plugin
    (`html=True`) the whole body comes out as HTML, so MkDocs skips Python-Markdown for it (the
    cost of most of a city build); for `huxiao export` it is Markdown with the same HTML blocks.

    `raw(search=False)` blocks (the officer's long material) leave a placeholder that the plugin
    fills in only after search has read the page: indexing them would cost the search plugin a
    pure-Python HTML parse. The token carries a random part, so author text cannot forge one."""

    def __init__(self, here: str, html: bool, permalink: str | None = None, directory_urls: bool = True) -> None:
        self.here = here
        self.html = html
        self.permalink = permalink
        self.directory_urls = directory_urls
        self.headings: list[tuple[int, str, str]] = []
        self.late: dict[str, str] = {}
        self.links: set[str] = set()
        self.prefix = f"hxblock{secrets.token_hex(6)}n"

    def raw(self, caller: Any, search: bool = False) -> Markup:
        block = caller()
        if not self.html or search:
            return block
        placeholder = f"<p data-search-exclude>{self.prefix}{len(self.late)}</p>"
        self.late[placeholder] = str(block)
        return Markup(placeholder)

    def heading(self, level: int, text: str, anchor: str, search: bool = True, suffix: str = "") -> Markup:
        """`text` is author text (escaped here), `suffix` ready-made HTML such as the tier badge."""
        inner = mdtext.escape_inline(text) + str(suffix)
        _anchor(anchor)
        flag = "" if search else " data-search-exclude"
        if not self.html:
            return Markup(f"{'#' * level} {inner} {{ #{anchor}{flag} }}")
        self.headings.append((level, anchor, inner))
        link = (f'<a class="headerlink" href="#{anchor}" title="Permanent link">{self.permalink}</a>'
                if self.permalink else "")
        return Markup(f'<h{level} id="{anchor}"{flag}>{inner}{link}</h{level}>')

    def url(self, target: str, fragment: str = "") -> Markup:
        """The link from this page to `target` (a docs-relative path), as the browser follows it."""
        self.links.add(target)
        link = relative_url(self.here, target, self.directory_urls)
        return Markup(link + (f"#{_anchor(fragment)}" if fragment else ""))

    def page(self) -> HtmlPage | None:
        if not self.html:
            return None
        return HtmlPage(headings=tuple(self.headings), late=self.late)


_TAG = re.compile(r"<[^>]*>")


def _nest(headings: list[dict]) -> list[dict]:
    """Flat headings as a tree: each heading holds the deeper ones that follow it."""
    root: list[dict] = []
    stack: list[dict] = []
    for heading in headings:
        token = {**heading, "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


@lru_cache(maxsize=65536)
def url_of(path: str, directory_urls: bool = True) -> str:
    """The URL of a docs-relative file, as MkDocs gives it (`a/b.md` -> `a/b/`)."""
    if path.endswith(".md"):
        path = path[:-3] + ".html"
        if directory_urls and not path.endswith("index.html"):
            path = path[:-5] + "/index.html"
    if directory_urls and posixpath.basename(path) == "index.html":
        return posixpath.dirname(path) + "/" if "/" in path else ""
    return path


def relative_url(here: str, target: str, directory_urls: bool = True) -> str:
    """The relative URL from page `here` to `target`, both docs-relative paths."""
    return _relative(url_of(here, directory_urls).split("/")[:-1], url_of(target, directory_urls).split("/")) or "./"


class PageBuilder:
    def __init__(self, curriculum: Curriculum, site_url: str | None = None, pdfs: frozenset[str] = frozenset(),
                 qr_inline: bool = False, html_bodies: HtmlBodies | None = None,
                 page_cache: pagecache.PageCache | None = None):
        # On the site the browser draws QR codes (theme/huxiao/qr.js); PDFs get them inline.
        self.qr_inline = qr_inline
        self.html_bodies = html_bodies
        self.page_cache = page_cache
        self._base: bytes | None = None
        self.c = curriculum
        self.env = environment()
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self.pdfs = pdfs

    def render(self, template: str, here: str, meta: dict, **context: Any) -> str:
        body = self.env.get_template(template).render(
            c=self.c, here=here, link=lambda target: rel(here, target), paths=PATHS, **context
        )
        return front_matter(**meta) + body

    def render_body(self, template: str, here: str, meta: dict, **context: Any) -> Rendered:
        """A page written through PageBody: HTML for the plugin, Markdown for export."""
        options = self.html_bodies
        body = PageBody(here, html=options is not None, permalink=options.permalink if options else None,
                        directory_urls=options.directory_urls if options else True)
        text = self.render(template, here, meta, raw=body.raw, heading=body.heading, url=body.url, **context)
        return Rendered(text, body.page(), frozenset(body.links))

    # one page each -------------------------------------------------------

    def lesson_variant(self, entry: Entry[Lesson], tier: str) -> Rendered:
        """The lesson page for one tier (see PageBody)."""
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
        return self.render_body(
            "lesson.md.j2", here, meta,
            entry=entry, lesson=lesson, tier=self.c.tiers[tier], variant=variant, starts=starts,
            total=clock, cites=_source_numbers(lesson), stale=self.c.is_stale(lesson),
            prints=[(PRINT_DOCS[d], print_path(entry.id, tier, d), self._pdf_file(entry.id, tier, d))
                    for d in print_docs(lesson)],
        )

    def _pdf_file(self, lesson: str, tier: str, doc: str) -> str | None:
        name = pdf_name(lesson, tier, doc)
        return f"pdf/{name}" if name in self.pdfs else None

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
        pdf_file = self._pdf_file(entry.id, tier, doc)
        pdf = rel(here, pdf_file) if pdf_file else None
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

    # keys of the page cache: what a page is made of besides the code ----------

    @property
    def _cache_base(self) -> bytes:
        if self._base is None:
            taxonomy = self.c.taxonomy.model_dump_json() if self.c.taxonomy is not None else ""
            self._base = pagecache.key(self.site_url, self.qr_inline, self.html_bodies, taxonomy)
        return self._base

    def cached(self, parts: tuple, render: Any) -> Any:
        """`render()`'s page, from the page cache when one is given and holds it."""
        if self.page_cache is None:
            return render()
        return self.page_cache.get(pagecache.key(self._cache_base, *parts), render)

    def lessons_shown(self, view: SchoolView) -> tuple:
        """What a school page shows of the lessons (see school.md.j2): per tier and topic how many
        there are and the first few, and the lessons of its records. An edit elsewhere in the
        library leaves the page cached."""
        shown: list = []
        for tier in view.tiers:
            for topic in self.c.topics_of_tier(tier):
                entries = self.c.lessons_for(tier, topic)
                shown.append((tier, topic, len(entries), [(e.id, e.model.title, e.model.kind)
                                                          for e in entries[:RECOMMENDED_PER_TOPIC]]))
        for record in view.school.deliveries:
            lesson = self.c.lessons[record.lesson].model
            shown.append((record.lesson, lesson.title, lesson.kind))
        return tuple(shown)

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

    def lesson_overview(self, entry: Entry[Lesson]) -> Rendered:
        lesson = entry.model
        return self.render_body(
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

    def school(self, view: SchoolView) -> Rendered:
        records = sorted(view.school.deliveries, key=lambda r: r.date, reverse=True)
        return self.render_body("school.md.j2", school_path(view.id),
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


def forget() -> None:
    """Drop the lesson pages kept for the next build (a `mkdocs build` builds once)."""
    _lesson_pages.clear()


def _cached_lesson_page(builder: PageBuilder, entry: Entry[Lesson], tier: str, doc: str) -> Any:
    c = builder.c
    # What the page shows besides its lesson and the build settings (which the page cache's keys
    # hold already).
    shown = (c.is_stale(entry.model), tuple(sorted(n for n in builder.pdfs if n.startswith(f"{entry.id}/"))))
    settings = (id(c.taxonomy), builder.site_url, builder.qr_inline, builder.html_bodies, *shown)
    key = (entry.id, tier, doc)
    cached = _lesson_pages.get(key)
    if cached and cached[0] is entry.model and cached[1] == settings:
        return cached[2]
    if doc in ("page", "overview"):
        render = (lambda: builder.lesson_variant(entry, tier)) if doc == "page" else (lambda: builder.lesson_overview(entry))
        markdown = builder.cached(("lesson", entry.id, tier, doc, shown, entry.digest), render)
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


@gcpause.paused
def build_site(curriculum: Curriculum, audience: str = "public", site_url: str | None = None,
               pdfs: frozenset[str] = frozenset(), html_bodies: HtmlBodies | None = None,
               with_print_documents: bool = True, page_cache: pagecache.PageCache | None = None) -> SiteContent:
    """Every generated page and the nav that holds them; `internal` adds the school dossiers.

    `site_url` makes the handouts' QR codes; `pdfs` names the PDFs present, which pages link to.
    With `html_bodies` (the MkDocs plugin) lesson and school pages are HTML, listed in
    `html_pages`; without it every page is Markdown (export). `page_cache` keeps lesson and school
    pages between builds (the caller saves it). Without `with_print_documents`
    `files` stays empty: the plugin has `printjob` write them while MkDocs renders the pages.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    builder = PageBuilder(curriculum, site_url, pdfs, html_bodies=html_bodies, page_cache=page_cache)
    site = SiteContent(nav=build_nav(curriculum))
    pages = site.pages
    for entry in curriculum.lessons.values():
        _add_page(site, lesson_path(entry.id), _cached_lesson_page(builder, entry, "", "overview"))
        site.not_in_nav.add(lesson_path(entry.id))
        for tier in entry.model.tiers:
            _add_page(site, lesson_path(entry.id, tier), _cached_lesson_page(builder, entry, tier, "page"))
            site.print_documents += [print_path(entry.id, tier, doc) for doc in print_docs(entry.model)]
    if with_print_documents:
        site.files.update(print_documents(curriculum, site_url, pdfs))
    for view in curriculum.schools.values():
        _add_page(site, school_path(view.id),
                  builder.cached(("school", view.id, builder.lessons_shown(view), view.entry.digest),
                                 lambda view=view: builder.school(view)))
    # The listings draw on every lesson and school: any edit renders them again.
    library = tuple((e.id, e.digest) for e in [*curriculum.lessons.values(),
                                                        *(v.entry for v in curriculum.schools.values())])
    thresholds = curriculum.thresholds.model_dump_json() if curriculum.thresholds is not None else ""
    pages.update(builder.cached(("listings", library, curriculum.today, thresholds), lambda: _listings(builder)))
    if audience == "internal":
        _add_internal_pages(builder, site)
    _check_links(site)
    site.search_excluded = {p for p, text in pages.items() if '\nsearch: {"exclude": true}\n' in text[:800]}
    return site


def _listings(builder: PageBuilder) -> dict[str, str]:
    """The pages that list lessons or schools, the statistics and the field reference."""
    c = builder.c
    stats = delivery_stats(c)
    pages = {"tiers/index.md": builder.index("tiers_index.md.j2", "tiers/index.md", "按学段")}
    for tier in c.tiers:
        pages[tier_path(tier)] = builder.tier(tier)
    pages["topics/index.md"] = builder.index("topics_index.md.j2", "topics/index.md", "按专题")
    for topic in c.topics:
        pages[topic_path(topic)] = builder.topic(topic)
    pages["schools/index.md"] = builder.index("schools_index.md.j2", "schools/index.md", "学校名录",
                                              districts=c.schools_by_district(), stats=stats)
    pages[STATS_PATH] = builder.index("stats.md.j2", STATS_PATH, "开展情况统计", stats=stats)
    pages[COVERAGE_PATH] = builder.index("coverage.md.j2", COVERAGE_PATH, "课程覆盖")
    pages["guides/fields.md"] = front_matter(title="字段参考", search={"exclude": True}) + field_reference()
    return pages


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


def _add_page(site: SiteContent, path: str, page: Rendered) -> None:
    site.pages[path] = page.text
    site.links[path] = page.links
    if page.html is not None:
        site.html_pages[path] = page.html


def _check_links(site: SiteContent) -> None:
    """Links in HTML blocks are not MkDocs' to check: every one must reach a generated file."""
    targets = site.pages.keys() | set(site.print_documents)
    for path, links in site.links.items():
        for target in links:
            if target not in targets and not target.startswith("pdf/"):
                raise AssertionError(f"generated page {path} links to {target}, which is not generated")


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
