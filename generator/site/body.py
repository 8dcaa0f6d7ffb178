"""The HTML body of a generated page: headings with fixed ids, raw blocks, links checked later.

Lesson and school pages are written as HTML rather than Markdown, so the engine need not run
Python-Markdown over thousands of pages; `PageBody` is what their templates call to write it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import mdtext
from .paths import anchor as check_anchor, relative_url


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
    # The heading link's tooltip, as the `toc` extension's permalink_title gives it.
    permalink_title: str = "Permanent link"


class PageBody:
    """What a generated page's template calls to write what Markdown must not parse.

    `{% call raw() %}<html>{% endcall %}` is an HTML block, `heading(level, text, id)` a heading
    with a fixed id, `url(path)` a link to another generated page or file. For the MkDocs plugin
    (`html=True`) the whole body comes out as HTML, so MkDocs skips Python-Markdown for it (the
    cost of most of a city build); for `huxiao export` it is Markdown with the same HTML blocks.

    `raw(search=False)` blocks (the officer's long material) leave a placeholder that the plugin
    fills in only after search has read the page: indexing them would cost the search plugin a
    pure-Python HTML parse. The token carries a random part, so author text cannot forge one."""

    def __init__(self, here: str, html: bool, permalink: str | None = None, directory_urls: bool = True,
                 permalink_title: str = "Permanent link") -> None:
        self.here = here
        self.html = html
        self.permalink = permalink
        self.permalink_title = permalink_title
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
        check_anchor(anchor)
        flag = "" if search else " data-search-exclude"
        if not self.html:
            return Markup(f"{'#' * level} {inner} {{ #{anchor}{flag} }}")
        self.headings.append((level, anchor, inner))
        link = (f'<a class="headerlink" href="#{anchor}" title="{self.permalink_title}">{self.permalink}</a>'
                if self.permalink else "")
        return Markup(f'<h{level} id="{anchor}"{flag}>{inner}{link}</h{level}>')

    def url(self, target: str, fragment: str = "") -> Markup:
        """The link from this page to `target` (a docs-relative path), as the browser follows it."""
        self.links.add(target)
        link = relative_url(self.here, target, self.directory_urls)
        return Markup(link + (f"#{check_anchor(fragment)}" if fragment else ""))

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

