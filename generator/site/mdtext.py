"""Author text to Markdown that shows exactly that text.

User text is data: every character that Markdown, HTML or a Markdown extension could read as
syntax is written as a numeric character reference, which every Markdown engine passes through
and every browser shows as the character. Paragraphs stay paragraphs; `**bold**` is the one
piece of formatting authors may use (validation refuses any other, see source/markup.py);
`[^id]` cites a source of the lesson.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Callable

from markupsafe import Markup

# Characters with a meaning in Markdown or its extensions (emphasis, links, lists, tables,
# attribute lists, admonitions, details, footnotes, abbreviations, math, emoji, critic, keys).
_SPECIAL = set("\\`*_{}[]()#+-!|~^=:?$@%\"'")
_TABLE = str.maketrans({c: f"&#{ord(c)};" for c in _SPECIAL})
_BOLD = re.compile(r"&#42;&#42;(.+?)&#42;&#42;")
_CITATION = re.compile(r"&#91;&#94;([a-z0-9]+(?:&#45;[a-z0-9]+)*)&#93;")
_LIST_START = re.compile(r"^(\d+)\.")
_BULLET = re.compile(r"^\s*[-*+]\s+")


@lru_cache(maxsize=65536)
def escape_inline(text: str) -> str:
    """One line of text, safe inside any Markdown construct (paragraph, list item, table cell)."""
    text = " ".join(str(text).split())
    text = html.escape(text, quote=False).translate(_TABLE)
    # "1. foo" at the start of a line would become a numbered list.
    return _LIST_START.sub(r"\1&#46;", text)


def bullet(line: str) -> str:
    """A Markdown list item ("- x", "* x") as a bulleted line: author text sits inside paragraphs
    and table cells, where a real list cannot go. Not "•": Noto Sans CJK draws it with the glyph of
    "·", so a PDF's text would give it back as "·" and the glyph check would fail."""
    return _BULLET.sub("▪ ", line)


def escape_paragraphs(text: str) -> list[str]:
    """Paragraphs (split on blank lines), each escaped to a single line; line breaks kept as <br>."""
    blocks = re.split(r"\n\s*\n", str(text).strip())
    return ["<br>".join(escape_inline(bullet(line)) for line in block.splitlines() if line.strip())
            for block in blocks if block.strip()]


def cite(escaped: str, number_of: Callable[[str], int | None]) -> str:
    """Turn escaped `[^id]` citations into superscript links to the page's source list."""

    def link(match: re.Match) -> str:
        source_id = match.group(1).replace("&#45;", "-")
        number = number_of(source_id)
        if number is None:
            return match.group(0)
        # In brackets: two marks side by side read "[3][4]", not "34".
        return f'<sup class="hx-cite"><a href="#src-{source_id}">[{number}]</a></sup>'

    return _CITATION.sub(link, escaped)


def bold(escaped: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escaped)


def plain(text: str) -> str:
    """Text for titles, front matter and nav: HTML-escaped, since themes print it unescaped."""
    return html.escape(" ".join(str(text).split()), quote=True)


def strip_citations(text: str) -> str:
    return re.sub(r"\s*\[\^[a-z0-9-]+\]", "", str(text))


def md(text: str) -> Markup:
    return Markup(text)
