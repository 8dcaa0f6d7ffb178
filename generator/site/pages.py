"""From the data to pages: one method per kind of page, each returning its text.

`PageBuilder` knows the data and the build's settings (site URL for QR codes, PDFs
present, HTML bodies or Markdown) and nothing of the engine that publishes the pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ..stationdata import StationData
from ..schools import SchoolView
from ..laws import article_label, title as law_title
from ..records import drills_of, target_seconds
from ..reports.assessment import OfficerSheet, officer_sheets
from ..reports.checklist import Check
from ..schedule.compliance import LEVEL_LABELS, SESSION_LABELS, SchoolTerm, school_term
from ..schedule.demands import demands_of_schools, officer_id, overloaded_officers
from ..reports.term import SchoolLoop, drill_loop, figures_of, fix_counts, summary, term_report
from ..reports.writeup import writeup
from ..reports.stats import delivery_stats, held_by_school
from ..source.loading import Entry
from ..source.laws import KIND_NAMES as LAW_KINDS
from ..source.models import Lesson
from . import charts, mdtext, present
from .jsonld import learning_resource
from .fieldref import field_reference
from .body import HtmlBodies, PageBody, Rendered
from .calendars import Subscription, calendar_sessions, school_events, subscription
from .paths import (LAWS_PATH, law_path, COVERAGE_PATH, compliance_path, officer_calendar, officer_path, school_calendar, PATHS, PRINT_DOCS, STATS_PATH, doc_name, dossier_path, lesson_path, pdf_name, print_docs,
                    print_path, rel, report_path, report_pdf_name, root_of, school_path, term_short,
                    tier_path, topic_path)
from .render import environment, front_matter, html_environment

LARGE_TYPE_TIERS = {"kindergarten", "primary-lower"}
# A school page names a few lessons per topic and tier and links to the rest: a city library of
# a thousand lessons would otherwise put hundreds of links on each of thousands of school pages.
RECOMMENDED_PER_TOPIC = 3


class PageBuilder:
    def __init__(self, data: StationData, site_url: str | None = None, pdfs: frozenset[str] = frozenset(),
                 qr_inline: bool = False, html_bodies: HtmlBodies | None = None, draft: bool = False):
        # On the site the browser draws QR codes (theme/huxiao/qr.js); PDFs get them inline.
        self.qr_inline = qr_inline
        # A draft print (`huxiao pdf --draft`) has no address yet: a marked box where the QR code goes.
        self.draft = draft
        self.html_bodies = html_bodies
        self.c = data
        self.env = environment()
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self.pdfs = pdfs
        self._by_officer: dict[str, list[str]] | None = None

    def render(self, template: str, here: str, meta: dict, **context: Any) -> str:
        body = self.env.get_template(template).render(
            c=self.c, here=here, link=lambda target: rel(here, target), paths=PATHS, **context
        )
        return front_matter(**meta) + body

    def render_body(self, template: str, here: str, meta: dict, **context: Any) -> Rendered:
        """A page written through PageBody: HTML for the plugin, Markdown for export."""
        options = self.html_bodies
        body = PageBody(here, html=options is not None, permalink=options.permalink if options else None,
                        directory_urls=options.directory_urls if options else True,
                        permalink_title=options.permalink_title if options else "Permanent link")
        text = self.render(template, here, meta, raw=body.raw, heading=body.heading, url=body.url, **context)
        return Rendered(text, body.page(), frozenset(body.links))

    # one page each -------------------------------------------------------

    def lesson_variant(self, entry: Entry[Lesson], tier: str) -> Rendered:
        """The lesson page for one tier (see PageBody)."""
        lesson = entry.model
        variant = lesson.variants[tier]
        here = lesson_path(entry.id, tier)
        tier_name = self.c.curriculum.tiers[tier].name
        starts, clock = [], 0
        for activity in variant.activities:
            starts.append(clock)
            clock += activity.minutes
        meta = {"title": mdtext.plain(f"{lesson.title}（{tier_name}）"),
                "description": mdtext.plain(mdtext.strip_citations(lesson.summary)),
                "jsonld": learning_resource(lesson, tier, self.c, self.lesson_url(entry.id, tier))}
        return self.render_body(
            "lesson.md.j2", here, meta,
            entry=entry, lesson=lesson, tier=self.c.curriculum.tiers[tier], variant=variant, starts=starts,
            total=clock, cites=_source_numbers(lesson), stale=self.c.curriculum.is_stale(lesson),
            prints=[(doc_name(d, self.c.curriculum.tiers[tier].audience), print_path(entry.id, tier, d),
                     self._pdf_file(entry.id, tier, d)) for d in print_docs(lesson, tier)],
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
        return dict(c=self.c, lesson=lesson, tier=self.c.curriculum.tiers[tier], variant=variant, starts=starts,
                    large=tier in LARGE_TYPE_TIERS, qr=self.qr(entry.id, tier) if doc == "handout" else "",
                    title=f"{lesson.title}（{self.c.curriculum.tiers[tier].name}）{doc_name(doc, self.c.curriculum.tiers[tier].audience)}")

    def print_html(self, entry: Entry[Lesson], tier: str, doc: str, css_inline: str | None = None) -> str:
        """A print document as a standalone HTML file: on the site, or (with `css_inline`) for a PDF."""
        here = print_path(entry.id, tier, doc)
        context = self.print_context(entry, tier, doc)
        pdf_file = self._pdf_file(entry.id, tier, doc)
        pdf = rel(here, pdf_file) if pdf_file else None
        return html_environment().get_template(f"print_{doc}.html.j2").render(
            **context, css_inline=Markup(css_inline) if css_inline else None, on_site=css_inline is None,
            root=root_of(here),
            back=str(rel(here, f"lessons/{entry.id}/{tier}/index.html")).removesuffix("index.html"),
            pdf=pdf,
        )

    def school_letters(self, view: SchoolView) -> list[tuple[Lesson, Any, Any]]:
        """Every letter to parents, for a school's pack: (lesson, tier, variant)."""
        return [(e.model, self.c.curriculum.tiers[tier], e.model.variants[tier]) for e in self.c.curriculum.lessons.values()
                for tier in e.model.tiers if e.model.variants[tier].letter is not None]

    def school_letter_html(self, view: SchoolView, index: int, css_inline: str) -> str:
        """One of the pack's letters alone on its page, signed for the school (to find its type size)."""
        lesson, tier, variant = self.school_letters(view)[index]
        return html_environment().get_template("print_letter.html.j2").render(
            lesson=lesson, tier=tier, variant=variant, signer=self.letter_signer(view), title=lesson.title,
            css_inline=Markup(css_inline), on_site=False, root="", back="", pdf=None)

    def school_pack_html(self, view: SchoolView, css_inline: str, letter_steps: list[str] | None = None) -> str:
        """The pack: cover, handouts, letters (each in `letter_steps`' type step when given)."""
        handouts = []
        for tier, entries in self.c.recommended(view).items():
            for entry in entries:
                context = self.print_context(entry, tier, "handout")
                handouts.append((context["lesson"], context["tier"], context["variant"], context["large"],
                                 context["qr"]))
        letters = self.school_letters(view)
        return html_environment().get_template("school_pack.html.j2").render(
            c=self.c, view=view, school=view.school, handouts=handouts, letters=letters,
            letter_steps=letter_steps or [""] * len(letters),
            signer=self.letter_signer(view), title=view.school.name,
            css_inline=Markup(css_inline), on_site=False, root="", back="", pdf=None)

    def letter_signer(self, view: SchoolView) -> dict[str, str]:
        """Who sends a school's letters to parents, filled in where the generic letter has blanks."""
        school, today, ours = view.school, self.c.today, self.c.station
        # The station's own settings (schools/_station.yml) sign for the schools it serves.
        mine = ours is not None and school.station in (ours.unit, ours.name)
        return {"station": ours.unit if mine and ours else school.station, "school": school.name,
                "liaison": school.liaison.name, "contact": school.contact,
                "station_contact": ours.contact if mine and ours else "",
                "date": f"{today.year}年{today.month}月{today.day}日"}

    def lesson_url(self, lesson: str, tier: str) -> str | None:
        return f"{self.site_url}lessons/{lesson}/{tier}/" if self.site_url else None

    def qr(self, lesson: str, tier: str) -> Markup:
        """The handout's QR code to the lesson page, with its caption."""
        if self.draft:
            return Markup('<div class="hx-qr-code hx-qr-draft"><strong>样稿</strong>正式网址未定<br>此处不印二维码</div>'
                          '<p>样稿：定稿时印本课网页的二维码</p>')
        url = self.lesson_url(lesson, tier)
        if url is None:
            return Markup("")
        caption = Markup("<p>扫码查看完整课程</p>")
        if not self.qr_inline:
            # A link as well as a picture: a phone opens it with a tap, WeChat by a long press.
            return Markup('<a class="hx-qr-code" href="{0}" data-qr="{0}"></a>').format(url) + caption
        import segno

        svg = segno.make(url, error="m").svg_inline(scale=3, omitsize=True)
        return Markup(f'<div class="hx-qr-code">{svg}</div>') + caption

    def lesson_overview(self, entry: Entry[Lesson]) -> Rendered:
        lesson = entry.model
        return self.render_body(
            "lesson_overview.md.j2", lesson_path(entry.id),
            # Search finds a lesson's summary and key messages here, once; tier pages add their own.
            {"title": mdtext.plain(lesson.title), "description": mdtext.plain(mdtext.strip_citations(lesson.summary))},
            entry=entry, lesson=lesson, cites=_source_numbers(lesson), stale=self.c.curriculum.is_stale(lesson),
        )

    def tier(self, tier_id: str) -> str:
        tier = self.c.curriculum.tiers[tier_id]
        # Tier and topic pages list lessons' summaries, which search finds on the lessons' own pages.
        return self.render("tier.md.j2", tier_path(tier_id), {"title": mdtext.plain(tier.name), "search": {"exclude": True}},
                           tier=tier)

    def topic(self, topic_id: str) -> str:
        topic = self.c.curriculum.topics[topic_id]
        lessons = [e for e in self.c.curriculum.lessons.values() if e.model.topic == topic_id]
        lessons.sort(key=lambda e: (min(list(self.c.curriculum.tiers).index(t) for t in e.model.tiers), e.model.title))
        return self.render("topic.md.j2", topic_path(topic_id), {"title": mdtext.plain(topic.name), "search": {"exclude": True}},
                           topic=topic, lessons=lessons, rounds=present.topic_round_tiers(self.c, topic_id))

    def school(self, view: SchoolView, internal: bool = False) -> Rendered:
        """The school's page. Publicly it says what was done and what is planned; the rules, the
        drill targets and the verdicts against them (met, missed, 超时) stay in the internal build."""
        book = self.c.current_term()
        record = book.record(view.id) if book is not None else None
        drills = [(d, target_seconds(self.c.curriculum.lessons, d)) for d in sorted(record.drills, key=lambda d: d.date)] if record else []
        # hx_subscribe: the page draws a QR code and has a copy button (theme/main.html loads their scripts).
        return self.render_body("school.md.j2", school_path(view.id),
                                {"title": mdtext.plain(view.school.name), "search": {"exclude": True},
                                 **({"hx_subscribe": True} if self._calendars_of(view) else {})},
                                view=view, school=view.school, book=book, record=record, drills=drills,
                                chart=self.drill_chart(view, internal), fixes=fix_counts(self.c, view.id),
                                internal=internal,
                                per_topic=RECOMMENDED_PER_TOPIC, recommended=self.recommended,
                                plans=self.school_plans(view.id),
                                calendars=self._subscriptions(view, "internal" if internal else "public"),
                                session_labels=SESSION_LABELS)

    def recommended(self, tier_id: str, here: str, url: Callable[..., Markup]) -> Markup:
        """The lessons for one of its tiers on the school page `here`, linked by the page's `url`."""
        return Markup(self.env.get_template("school_recommended.md.j2").render(
            c=self.c, paths=PATHS, tier_id=tier_id, url=url, per_topic=RECOMMENDED_PER_TOPIC))

    def _calendars_of(self, view: SchoolView) -> tuple[str, str] | None:
        """The school's and its officer's calendar files, when the school has a public session
        planned (then both exist in every build; see calendars.py)."""
        public = bool(calendar_sessions(self.c, view.id, "public"))
        return (school_calendar(view.id), officer_calendar(officer_id(view.school.liaison))) if public else None

    def _subscriptions(self, view: SchoolView, audience: str) -> list[Subscription]:
        """The school's calendar and its officer's, with what each holds (see calendars.py)."""
        if self._calendars_of(view) is None:
            return []
        liaison = view.school.liaison
        mine = calendar_sessions(self.c, view.id, audience)
        theirs = sorted((x for sid in self._schools_of(liaison.officer_id) for x in calendar_sessions(self.c, sid, audience)),
                        key=lambda x: x[1].date)
        found = [subscription(self.c, "本校的安排", school_calendar(view.id), mine, self.site_url),
                 subscription(self.c, f"{liaison.title}{liaison.name}在各校的安排", officer_calendar(liaison.officer_id),
                              theirs, self.site_url)]
        return [s for s in found if s is not None]

    def _schools_of(self, officer: str) -> list[str]:
        if self._by_officer is None:
            self._by_officer = {}
            for sid, v in sorted(self.c.schools.items()):
                self._by_officer.setdefault(v.school.liaison.officer_id, []).append(sid)
        return self._by_officer[officer]

    def calendar_events(self, school_id: str, audience: str, for_officer: bool) -> str:
        """The school's planned sessions as iCalendar events (see calendars.py)."""
        return school_events(self.c, school_id, audience, self.site_url, for_officer)

    def school_plans(self, school_id: str) -> list[SchoolTerm]:
        """The school's plans from this term on, each beside its record and the rules."""
        rules = self.c.rules.model if self.c.rules is not None else None
        return [school_term(self.c, term_id, school_id, rules) for term_id in self.c.planned_terms(school_id)]

    def drill_chart(self, view: SchoolView, internal: bool = False) -> Markup | None:
        """The school's timed drills across terms (internally against their targets), or None with
        fewer than two."""
        timed = [(book, d) for book, d in drills_of(self.c.terms, view.id) if d.seconds is not None]
        if len(timed) < 2:
            return None
        labels = [f"{term_short(book.id)} {d.date.month}/{d.date.day}" for book, d in timed]
        targets = [target_seconds(self.c.curriculum.lessons, d) for _, d in timed] if internal else None
        return charts.drill_times(f"hx-drills-{view.id}", "历次演练用时与目标（秒）" if internal else "历次演练用时（秒）",
                                  labels, [d.seconds for _, d in timed], targets)

    def index(self, template: str, path: str, title: str, **context: Any) -> str:
        return self.render(template, path, {"title": title, "search": {"exclude": True}}, **context)


    def listings(self) -> dict[str, str]:
        """The pages that list lessons or schools, the statistics and the field reference."""
        # in the order they always had (the search index lists pages in it)
        order = ["tiers/", "topics/", "schools/index.md", STATS_PATH, COVERAGE_PATH, "reports/", "laws/", "guides/"]
        both = {**self.curriculum_listings(), **self.station_listings()}
        return dict(sorted(both.items(), key=lambda item: next(n for n, start in enumerate(order) if item[0].startswith(start))))

    def curriculum_listings(self) -> dict[str, str]:
        """The listings made from the curriculum alone: tiers, topics, coverage, laws, the field
        reference (a term record changes none of them)."""
        c = self.c
        pages = {"tiers/index.md": self.index("tiers_index.md.j2", "tiers/index.md", "按学段")}
        for tier in c.curriculum.tiers:
            pages[tier_path(tier)] = self.tier(tier)
        pages["topics/index.md"] = self.index("topics_index.md.j2", "topics/index.md", "按专题")
        for topic in c.curriculum.topics:
            pages[topic_path(topic)] = self.topic(topic)
        pages[COVERAGE_PATH] = self.index("coverage.md.j2", COVERAGE_PATH, "课程覆盖")
        if c.curriculum.laws:
            pages.update(self.laws())
        pages["guides/fields.md"] = front_matter(title="字段参考", search={"exclude": True}) + field_reference()
        return pages

    def station_listings(self) -> dict[str, str]:
        """The listings made from the schools and their records: the school list, the statistics,
        the reports."""
        return {"schools/index.md": self.schools_index(held_by_school(self.c)), **self.station_figures()}

    def schools_index(self, held: dict[str, tuple[int, int]]) -> str:
        """学校名录: each school with its liaison and the lectures and drills it `held`."""
        return self.index("schools_index.md.j2", "schools/index.md", "学校名录",
                          districts=self.c.schools_by_district(), held=held)

    def station_figures(self) -> dict[str, str]:
        """The statistics and the reports' index."""
        pages = {STATS_PATH: self.index("stats.md.j2", STATS_PATH, "开展情况统计", stats=delivery_stats(self.c))}
        if self.c.started_terms():
            pages["reports/index.md"] = self.index("reports_index.md.j2", "reports/index.md", "学期工作报告")
        return pages

    def laws(self) -> dict[str, str]:
        """法规依据: every law, and per law its stored articles and the lessons citing each."""
        c = self.c
        names = {"law_title": law_title, "article_label": article_label, "kind_names_law": LAW_KINDS,
                 "confidence_names": {"verified": "已核对原文", "second-hand": "只见转述，使用前核对"}}
        ordered = sorted(c.curriculum.laws.items(), key=lambda item: (item[1].model.superseded_by is not None, item[1].model.title, item[0]))
        pages = {LAWS_PATH: self.render("laws_index.md.j2", LAWS_PATH, {"title": "法规依据"}, laws=ordered, **names)}
        for law_id, entry in ordered:
            by_article: dict[str, list] = {}
            whole: list = []
            for cite in c.curriculum.law_citations.get(law_id, []):
                pair = (cite, c.curriculum.lessons[cite.lesson])
                (by_article.setdefault(cite.article, []) if cite.article else whole).append(pair)
            replaces = [e for e in c.curriculum.laws.values() if e.model.superseded_by == law_id]
            pages[law_path(law_id)] = self.render(
                "law.md.j2", law_path(law_id), {"title": mdtext.plain(law_title(entry.model))},
                law=entry.model, by_article=by_article, whole=whole, replaces=replaces, **names)
        return pages

    def internal_index(self, districts: dict[str, list[tuple[SchoolView, list[Check]]]],
                       loops: dict[str, SchoolLoop]) -> str:
        return self.render("internal_index.md.j2", "internal/index.md",
                           {"title": "辖区三防总览", "search": {"exclude": True}}, districts=districts,
                           # The worst first: a drill slower than the last, then the most overdue fixes.
                           flagged=sorted((loop for loop in loops.values() if loop.flagged),
                                          key=lambda loop: (not (loop.steps and loop.steps[-1].worse), -loop.overdue)))

    def dossier(self, view: SchoolView, checks: list[Check]) -> str:
        """一校一档 and 一校一表 of one school (internal build only)."""
        path = dossier_path(view.id)
        books = [(book, book.record(view.id)) for book in reversed(self.c.terms.values())]
        return self.render("dossier.md.j2", path,
                           {"title": mdtext.plain(f"{view.school.name} 一校一档"), "search": {"exclude": True}},
                           view=view, school=view.school, internal=view.school.internal, checks=checks,
                           books=[(b, r) for b, r in books if r is not None], history=drill_loop(self.c, view.id),
                           points={p.id: p for p in view.school.patrol_points}, target_seconds=target_seconds)

    def _report_context(self, term_id: str, internal: bool) -> dict[str, Any]:
        """The term report's figures, its draft summary and its chart, for the page and the PDF."""
        report = term_report(self.c, term_id, internal)
        topics = sorted(((self.c.curriculum.topics[t].name, row[0]) for t, row in report.by_topic.items() if row[0]),
                        key=lambda x: -x[1])
        chart = charts.bars(f"hx-topics-{term_id}", "讲座场次（按专题）", topics, "场") if topics else None
        # The 总结's four sections, written from this same report object.
        written = writeup(self.c, report, internal, self.earlier_figures)
        return {"report": report, "total": report.total, "summary": summary(report, self.c), "chart": chart,
                "students": report.students_covered(self.c), "writeup": written,
                "sections": list(zip(written.headings(), written.sections))}

    def term_report(self, term_id: str, internal: bool = False) -> Rendered:
        context = self._report_context(term_id, internal)
        title = f"{context['report'].book.term.name}工作报告"
        return self.render_body("term_report.md.j2", report_path(term_id),
                                {"title": mdtext.plain(title), "search": {"exclude": True}},
                                pdf=self._report_pdf(term_id), **context)

    def _report_pdf(self, term_id: str) -> str | None:
        name = report_pdf_name(term_id)
        return f"pdf/{name}" if name in self.pdfs else None

    def term_report_print(self, term_id: str, css_inline: str | None = None, internal: bool = False) -> str:
        """The term report as a standalone print document (for its PDF): public unless asked."""
        context = self._report_context(term_id, internal)
        return html_environment().get_template("print_term_report.html.j2").render(
            c=self.c, title=f"{context['report'].book.term.name}工作报告",
            css_inline=Markup(css_inline) if css_inline else None, on_site=css_inline is None, root="", back="",
            pdf=None, **context)

    def compliance(self, term_id: str) -> str:
        """Every school against every rule for a term, worst first (internal build only)."""
        assert self.c.rules is not None
        rules = self.c.rules.model
        found = demands_of_schools(self.c, self.c.terms[term_id].term, rules) if term_id in self.c.terms else {}
        rows = [school_term(self.c, term_id, sid, rules, found.get(sid)) for sid in sorted(self.c.schools)]
        order = {"fail": 0, "warn": 1, "planned": 2, "met": 3}
        rows.sort(key=lambda st: (order[st.worst], -st.count("fail"), -st.count("warn"), self.c.schools[st.school_id].school.name))
        load = rules.officer_load
        overloaded = [(label, [self.c.schools[sid].school.name for sid in school_ids])
                      for label, school_ids in overloaded_officers(self.c, rules).values()]
        sheets = self.officer_sheets(term_id)
        return self.render("compliance.md.j2", compliance_path(term_id),
                           {"title": f"{self.c.terms[term_id].term.name}计划与规则检查", "search": {"exclude": True}},
                           term=self.c.terms[term_id].term, term_id=term_id, rows=rows, level_labels=LEVEL_LABELS,
                           overloaded=overloaded, max_schools=load.max_schools,
                           schools_confidence=load.schools_source.confidence, sheets=list(sheets.values()),
                           officer_paths={sid: officer_path(officer_id(v.school.liaison)) for sid, v in self.c.schools.items()},
                           officer_paths_by_id={k: officer_path(k) for k in sheets})

    def officer_sheets(self, term_id: str) -> dict[str, OfficerSheet]:
        assert self.c.rules is not None
        return officer_sheets(self.c, term_id, self.c.rules.model.lesson_hours.per_year)

    def officer_sheet(self, sheet: OfficerSheet) -> str:
        assert self.c.rules is not None
        return self.render("officer_sheet.md.j2", officer_path(sheet.id),
                           {"title": f"{sheet.name} 考核表", "search": {"exclude": True}}, sheet=sheet,
                           hours_source=self.c.rules.model.lesson_hours.source, pdf=None)

    def officer_sheet_print(self, sheet: OfficerSheet, css_inline: str) -> str:
        assert self.c.rules is not None
        return html_environment().get_template("print_officer_sheet.html.j2").render(
            c=self.c, sheet=sheet, hours_source=self.c.rules.model.lesson_hours.source, title=f"{sheet.name} 考核表",
            css_inline=Markup(css_inline), on_site=False, root="", back="", pdf=None)

    def earlier_figures(self, term_id: str, until: dt.date | None) -> dict[str, int]:
        """An earlier term's figures, which a report sets beside its own."""
        return figures_of(self.c, term_id, until)


def _source_numbers(lesson: Lesson) -> dict[str, int]:
    return {source.id: n for n, source in enumerate(lesson.sources, start=1)}
