"""The Jinja set-up: two environments (Markdown pages, HTML print documents) and their filters.

Every value a Markdown template prints is escaped by `_finalize`, every value an HTML template
prints by autoescape, so author text never becomes Markdown, HTML or template syntax.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..source.markup import STRONG
from ..source.pictures import CREDIT, PICTURES
from . import mdtext
from ..laws import article_label, shown
from .paths import anchor, doc_name, term_short

PICTURE_DIR = Path(__file__).resolve().parent.parent / "theme" / "huxiao" / "pictures"


KIND_NAMES = {"lecture": "讲座", "drill": "演练"}
TAUGHT_BY_NAMES = {"teacher": "班主任可讲", "officer": "建议民警讲"}
STATUS_NAMES = {"pass": "✔ 达标", "fail": "✘ 未达标", "unknown": "？ 未填写"}

@lru_cache(maxsize=None)
def picture_src(name: str) -> Markup:
    """A vendored picture as a data: URI: the same in a page, a print page over file:// and a PDF,
    with no file to copy or request."""
    data = (PICTURE_DIR / f"{name}.svg").read_bytes()
    return Markup("data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii"))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, dt.date)):
        return str(value)
    return mdtext.bold(mdtext.escape_inline(str(value)))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator.site", "templates"),
        finalize=_finalize,
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates ship with the package: no file check on each of 10,000 pages
        keep_trailing_newline=True,
    )
    env.filters.update(paras=_paras, html_paras=_html_block_paras, indent_md=_indent, mmss=_mmss, plain=_plain, anchor=anchor,
                       term_short=term_short)
    env.globals.update(kind_names=KIND_NAMES, letters="ABCDEFGH", status_names=STATUS_NAMES,
                       taught_by_names=TAUGHT_BY_NAMES, article_label=article_label,
                       law_source=shown, picture_src=picture_src, picture_names=PICTURES,
                       picture_credit=CREDIT)
    return env


@lru_cache(maxsize=1)
def html_environment() -> Environment:
    """For the print documents, which are HTML: autoescaped, so author text is always data."""
    env = Environment(loader=PackageLoader("generator.site", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, finalize=_html_finalize, auto_reload=False)
    env.filters.update(paras=_html_paras, mmss=_mmss, plain=_html_plain)
    env.globals.update(kind_names=KIND_NAMES, letters="ABCDEFGH", answer_text=_answer_text, doc_name=doc_name,
                       picture_src=picture_src, picture_names=PICTURES, picture_credit=CREDIT)
    return env


def _html_finalize(value: Any) -> Any:
    """Author text in a print document: escaped, with `**strong**` as on the lesson page."""
    return _strong(escape(value)) if isinstance(value, str) and not isinstance(value, Markup) else value


def _strong(escaped: Markup) -> Markup:
    return Markup(STRONG.sub(r"<strong>\1</strong>", str(escaped)))


def _html_plain(text: str) -> Markup:
    """One line of author text, its citations dropped."""
    return _strong(escape(mdtext.strip_citations(text)))


def _html_paras(text: str) -> Markup:
    """Multi-line author text as HTML: escaped, line breaks kept, `**bold**` kept, citations dropped."""
    lines = [escape(mdtext.bullet(line).strip()) for line in mdtext.strip_citations(text).splitlines() if line.strip()]
    return _strong(Markup("<br>").join(lines))


def _answer_text(item: Any) -> str:
    answer = f"{'ABCDEFGH'[item.answer - 1]}. {item.choices[item.answer - 1]}" if item.choices else str(item.answer)
    # A "which is wrong" question's answer is the unsafe act: named so, never read out as the right thing to do.
    # × rather than the screen's ✘, which the print font (Noto Sans CJK) does not have.
    return f"× 错误做法 {answer}" if getattr(item, "negative", False) else answer


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



def _mmss(seconds: int) -> Markup:
    return Markup(f"{seconds // 60}:{seconds % 60:02d}")


def _plain(text: str) -> Markup:
    """Author text without its citations, for summaries and handouts."""
    return Markup(mdtext.bold(mdtext.escape_inline(mdtext.strip_citations(text))))


def front_matter(**meta: Any) -> str:
    # JSON values are valid YAML, and json.dumps is many times faster than a YAML emitter.
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
    return "---\n" + lines + "---\n\n"


