"""Laws as data: lesson sources that cite laws/, and quotations checked against the stored text.

A lesson quotes a law in 「…」, tied to the citation of a law source: the citation `[^id]` comes
right after the closing 」 (a punctuation mark may stand between), or right before the opening 「
(a ： or ， may stand between). The quotation must be a verbatim part of the stored article;
"…" inside it joins verbatim parts, which must appear in the article in that order. 「」 is
kept for law quotations: one tied to no citation, or to a source that is not a law, is refused.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .source.laws import Law
from .source.loading import Entry
from .source.messages import join, tr
from .source.models import Lesson, Source
from .source.problems import Loc, Problem

QUOTE = re.compile(r"「([^「」]*)」")
_CITE_AFTER = re.compile(r"^[。，；、]?\[\^([a-z0-9]+(?:-[a-z0-9]+)*)\]")
_CITE_BEFORE = re.compile(r"\[\^([a-z0-9]+(?:-[a-z0-9]+)*)\][：，]?$")
_ELLIPSIS = re.compile(r"…+|\.\.\.+")

_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Citation:
    """One lesson source citing a law (and maybe an article)."""

    lesson: str
    source: str
    article: str | None


def index(lessons: list[Entry[Lesson]], laws: dict[str, Entry[Law]]) -> dict[str, list[Citation]]:
    """Per law id, the lesson sources that cite it, by lesson id."""
    found: dict[str, list[Citation]] = {law: [] for law in laws}
    for entry in sorted(lessons, key=lambda e: e.id):
        for source in entry.model.sources:
            if source.law in found:
                found[source.law].append(Citation(entry.id, source.id, source.article))
    return found


def shown(source: Source, laws: dict[str, Entry[Law]]) -> Source:
    """A source as a reader sees it: what it leaves out taken from the law it cites."""
    entry = laws.get(source.law or "")
    if entry is None:
        return source
    law = entry.model
    return source.model_copy(update={
        "title": source.title or title(law), "issuer": source.issuer or law.issuer, "number": source.number or law.number,
        "date": source.date or law.in_force, "confidence": source.confidence or law.confidence,
        "detail": source.detail or (article_label(source.article) if source.article else None)})


def check_laws(laws: dict[str, Entry[Law]], unloadable: set[str]) -> Iterator[Problem]:
    for entry in laws.values():
        new = entry.model.superseded_by
        if new is not None and (new == entry.id or (new not in laws and new not in unloadable)):
            yield Problem(entry.file, tr("law.superseded_unknown", new=new), ("superseded_by",))


def check_lesson(entry: Entry[Lesson], laws: dict[str, Entry[Law]], unloadable: set[str],
                 texts: list[tuple[Loc, str]] | None) -> Iterator[Problem]:
    """The lesson's law sources, and (given its texts) every 「」 quotation in them."""
    lesson, file = entry.model, entry.file
    for n, source in enumerate(lesson.sources):
        if source.law is None or source.law in unloadable:
            continue
        law = laws.get(source.law)
        if law is None:
            close = difflib.get_close_matches(source.law, list(laws), n=1)
            hint = tr("did_you_mean", close=close[0]) if close else ""
            yield Problem(file, tr("law.unknown", law=source.law, hint=hint), ("sources", n, "law"))
            continue
        if law.model.superseded_by is not None:
            yield Problem(file, tr("law.superseded", title=title(law.model), new=law.model.superseded_by),
                          ("sources", n, "law"), code="law.superseded")
        if source.article is not None and law.model.article(source.article) is None:
            yield Problem(file, tr("law.article_unknown", title=title(law.model), article=source.article, law=law.id,
                                   label=article_label(source.article),
                                   known=join(a.id for a in law.model.articles) or "—"),
                          ("sources", n, "article"), code="law.article_unknown")
    for loc, text in texts or ():
        if "「" in text or "」" in text:
            yield from _check_quotes(file, loc, text, lesson, laws, unloadable)


def _check_quotes(file: str, loc: Loc, text: str, lesson: Lesson, laws: dict[str, Entry[Law]],
                  unloadable: set[str]) -> Iterator[Problem]:
    sources = {s.id: s for s in lesson.sources}
    for match in QUOTE.finditer(text):
        quote = match.group(1)
        after = _CITE_AFTER.match(text[match.end():])
        before = _CITE_BEFORE.search(text[:match.start()])
        cited = [m.group(1) for m in (after, before) if m is not None]
        law_cited = [c for c in cited if c in sources and sources[c].law is not None]
        if not cited:
            yield Problem(file, tr("law.quote_untied", quote=_short(quote)), loc, code="law.quote_untied")
            continue
        if not law_cited:
            if cited[0] in sources:  # an unknown citation is reported by the curriculum's own check
                yield Problem(file, tr("law.quote_not_law", source=cited[0]), loc, code="law.quote_not_law")
            continue
        source = sources[law_cited[0]]
        law = laws.get(source.law or "")
        if law is None or source.law in unloadable:
            continue  # reported with the source
        if source.article is None:
            yield Problem(file, tr("law.quote_no_article", source=source.id), loc, code="law.quote_no_article")
            continue
        article = law.model.article(source.article)
        if article is None:
            continue  # reported with the source
        if article.confidence != "verified" or article.text is None or law.model.confidence != "verified":
            yield Problem(file, tr("law.quote_second_hand", title=title(law.model), article=article.id,
                                   label=article_label(article.id)), loc,
                          code="law.quote_second_hand")
            continue
        wrong = mismatch(quote, article.text)
        if wrong is not None:
            yield Problem(file, tr("law.quote_differs", quote=_short(quote), title=title(law.model),
                                   article=article.id, label=article_label(article.id), part=_short(wrong, 12)), loc, code="law.quote_differs")
    if text.count("「") != text.count("」") or len(QUOTE.findall(text)) != text.count("「"):
        yield Problem(file, tr("law.quote_untied", quote=_short(text)), loc, code="law.quote_untied")


def mismatch(quote: str, stored: str) -> str | None:
    """None when `quote` is verbatim in `stored` ("…" joining verbatim parts in order), else the
    first part of the quote that is not found there, cut where it stops matching."""
    position = 0
    for part in _ELLIPSIS.split(quote):
        if not part:
            continue
        found = stored.find(part, position)
        if found < 0:
            return part[_matching_prefix(part, stored[position:]):] or part
        position = found + len(part)
    return None if quote.strip("…. ") else quote


def _matching_prefix(part: str, stored: str) -> int:
    """How many leading characters of `part` are found in `stored`: where a misquote begins."""
    size = 0
    while size < len(part) and part[: size + 1] in stored:
        size += 1
    return size


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def title(law: Law) -> str:
    return f"《{law.title}》"


def article_label(article_id: str) -> str:
    """"31" as 第三十一条, "55(3)" as 第五十五条第三项, "287之二" as 第二百八十七条之二; a clause of a standard as it is."""
    if "." in article_id:
        return article_id
    number, _, rest = article_id.partition("(")
    base, _, suffix = number.partition("之")
    label = f"第{chinese_number(int(base))}条" + (f"之{suffix}" if suffix else "")
    if rest:
        label += f"第{chinese_number(int(rest.rstrip(')')))}项"
    return label


def chinese_number(value: int) -> str:
    """1 to 9999 as written in article numbers: 十二, 一百三十, 一百零一, 二百八十七."""
    if value < 10:
        return _DIGITS[value]
    if value < 20:
        return "十" + (_DIGITS[value % 10] if value % 10 else "")
    text, zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // unit % 10
        if digit:
            text += ("零" if zero and text else "") + _DIGITS[digit] + name
            zero = False
        elif text:
            zero = True
    return text
