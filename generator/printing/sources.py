"""What each PDF was made from, so that a build never links a PDF made from other data than its page.

`huxiao pdf` records, beside each PDF, a digest of the document's source; a build computes the
same digest from what it is about to publish and leaves out every PDF whose digest differs (its
page was edited, a record changed) until `huxiao pdf` runs again.

A term report is one document per term: its digest is that of its print HTML as the build would
render it (cheap: a handful of terms). A city library has some 19,000 lesson documents, and
rendering each a second time would add half a minute to a build; their print HTML is made of the
lesson, the tier and topic names, the site's address (the handout's QR code) and the templates,
so the digest is taken of those instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ..site.pages import PageBuilder
from ..site.paths import pdf_name, print_docs, report_pdf_name
from ..stationdata import StationData

SITE = Path(__file__).parents[1] / "site"
TEMPLATES = SITE / "templates"
PRINT_CSS = Path(__file__).parents[1] / "theme" / "huxiao" / "print.css"
# The Python that turns author text into print HTML (filters, escaping, inline markup).
PRINT_CODE = (SITE / "render.py", SITE / "mdtext.py", SITE / "pages.py")
# A draft (`huxiao pdf --draft`) carries no QR code: it never matches what a build publishes.
DRAFT = "draft"


@lru_cache(maxsize=1)
def _templates() -> str:
    """The print templates, style sheet and code: a new version of Huxiao makes new PDFs."""
    digest = hashlib.sha256()
    for path in [*sorted(TEMPLATES.glob("*.html.j2")), PRINT_CSS, *PRINT_CODE]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _names(c: StationData) -> str:
    """The tier and topic names every lesson document prints."""
    names = {"tiers": {k: v.name for k, v in c.curriculum.tiers.items()}, "topics": {k: v.name for k, v in c.curriculum.topics.items()}}
    return json.dumps(names, ensure_ascii=False, sort_keys=True)


def lesson_sources(c: StationData, site_url: str | None) -> dict[str, str]:
    """Every lesson document's source digest, by PDF name."""
    shared = f"{_templates()}\0{_names(c)}\0{site_url or ''}\0"
    found: dict[str, str] = {}
    for entry in c.curriculum.lessons.values():
        lesson = hashlib.sha256((shared + entry.model.model_dump_json()).encode())
        for tier in entry.model.tiers:
            for doc in print_docs(entry.model, tier):
                one = lesson.copy()
                one.update(f"\0{tier}\0{doc}".encode())
                found[pdf_name(entry.id, tier, doc)] = one.hexdigest()
    return found


def report_source(builder: PageBuilder, term_id: str) -> str:
    return hashlib.sha256(builder.term_report_print(term_id).encode()).hexdigest()


def current_sources(c: StationData, site_url: str | None, names: Iterable[str]) -> dict[str, str]:
    """The source digest of each PDF in `names` as the build would publish it now."""
    names = set(names)
    found = {k: v for k, v in lesson_sources(c, site_url).items() if k in names} if names else {}
    builder = PageBuilder(c, site_url)
    for term_id in c.started_terms():
        name = report_pdf_name(term_id)
        if name in names:
            found[name] = report_source(builder, term_id)
    return found


def fresh_and_stale(c: StationData, site_url: str | None, names: list[str],
                    recorded: dict[str, str]) -> tuple[list[str], list[str]]:
    """The PDFs in `names` made from what the build publishes now, and the others."""
    now = current_sources(c, site_url, names)
    fresh = [n for n in names if n in now and recorded.get(n) == now[n]]
    return fresh, [n for n in names if n not in fresh]
