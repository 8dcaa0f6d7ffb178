"""The term-record form (/records/form/): a page an officer fills in after a visit, in the
browser, with no server. It writes the YAML of a `records/<term>/<school>.yml` file as the person
types and checks what it can on the way.

Everything the form knows is inlined at build time as JSON (so it works offline and from
`file://`): the JSON Schema of the record model (required fields, enums, limits, patterns, the
field descriptions), the terms with their dates, the schools with their tiers, the lessons with
their tiers and kind. Only public data: a school's internal block never, and only the patrol points
the station publishes, unless the build is internal. The script is
`generator/theme/huxiao/record-form.js`; the checks that `generator/records.py` makes across
files are mirrored there.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..stationdata import StationData
from ..source.records import SchoolRecord
from .body import HtmlBodies, PageBody, Rendered
from .paths import relative_url
from .render import environment, front_matter

FORM_PATH = "records/form.md"
SCRIPT = "huxiao/record-form.js"
STYLE = "huxiao/record-form.css"


def form_data(c: StationData, audience: str = "public") -> dict[str, Any]:
    """What the form needs, public data only (internal adds the unpublished patrol points)."""
    schema = SchoolRecord.model_json_schema()
    terms = {term_id: {"name": book.term.name, "first_day": book.term.first_day.isoformat(),
                       "last_day": book.term.last_day.isoformat()}
             for term_id, book in c.started_terms().items()}  # records are of what happened
    # Which terms a school already has a file for: the form then asks for that file and adds to it.
    schools = [{"id": view.id, "name": view.school.name, "tiers": view.tiers,
                "recorded": [t for t in terms if c.terms[t].record(view.id) is not None],
                "points": [{"id": p.id, "name": p.name} for p in view.school.patrol_points
                           if p.public or audience == "internal"]}
               for view in sorted(c.schools.values(), key=lambda v: (v.school.district, v.school.name))]
    lessons = [{"id": e.id, "title": e.model.title, "kind": e.model.kind, "tiers": list(e.model.variants)}
               for e in sorted(c.curriculum.lessons.values(), key=lambda e: (e.model.kind, e.model.title))]
    tiers = {t.id: t.name for t in c.curriculum.tiers.values()}
    # The public build knows only the published points: there an unknown point id is not an error.
    return {"schema": schema, "terms": terms, "schools": schools, "lessons": lessons, "tiers": tiers,
            "all_points": audience == "internal"}


def script_json(data: Any) -> Markup:
    """JSON safe inside a <script> element: no "</script>", "<!--" or "&" can end or bend it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def form_page(c: StationData, audience: str = "public", html_bodies: HtmlBodies | None = None) -> Rendered:
    """The form page, written through PageBody like the lesson pages (HTML for the plugin)."""
    options = html_bodies
    body = PageBody(FORM_PATH, html=options is not None, permalink=options.permalink if options else None,
                    directory_urls=options.directory_urls if options else True,
                    permalink_title=options.permalink_title if options else "Permanent link")
    directory_urls = options.directory_urls if options else True
    text = environment().get_template("record_form.md.j2").render(
        raw=body.raw, heading=body.heading, data=script_json(form_data(c, audience)),
        script=relative_url(FORM_PATH, SCRIPT, directory_urls), style=relative_url(FORM_PATH, STYLE, directory_urls),
        terms=c.started_terms())
    meta = {"title": "填写工作记录", "search": {"exclude": True}}
    return Rendered(front_matter(**meta) + text, body.page(), frozenset(body.links))
