"""The curriculum: the taxonomy, the lessons and the laws they cite, cross-checked and indexed once.

Input is what `source.loading` read from `lessons/` and `laws/`; output is a `Curriculum` (what
is taught, to whom, on whose authority) or the problems that make those files inconsistent
(unknown topic, missing variant, a misquoted law, ...). The schools, records and plans are
checked against it in `schools.py`, `records.py` and `plans.py`; `stationdata.py` puts the
whole together.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel

from . import laws as law_checks
from .source import markup
from .source.laws import Law
from .source.loading import Entry
from .source.messages import join, tr
from .source.models import Lesson, SchoolType, Taxonomy, Tier, Topic
from .source.problems import Loc, Problem
from .source.quizstem import negative_wording
from .source.synonyms import Synonyms

CITATION = re.compile(r"\[\^([a-z0-9]+(?:-[a-z0-9]+)*)\]")


@dataclass
class Curriculum:
    """What is taught, to whom, on whose authority: the taxonomy, the lessons, the laws."""

    tiers: dict[str, Tier]
    topics: dict[str, Topic]
    school_types: dict[str, SchoolType]
    lessons: dict[str, Entry[Lesson]]
    # the day a lesson's review_by is judged against
    today: dt.date
    taxonomy: Taxonomy | None = None
    # lessons past their review_by
    warnings: list[Problem] = field(default_factory=list)
    # index: tier -> topic -> lessons, in taxonomy order, lessons by title
    by_tier: dict[str, dict[str, list[Entry[Lesson]]]] = field(default_factory=dict)
    # Search synonyms (lessons/_synonyms.yml), when the project has them.
    synonyms: Synonyms | None = None
    # lesson id -> related lesson ids, both ways (made on first use)
    related_index: dict[str, list[str]] | None = None
    # laws/: the laws lessons cite, and per law which lesson sources cite it (see laws.py).
    laws: dict[str, Entry[Law]] = field(default_factory=dict)
    law_citations: dict[str, list[law_checks.Citation]] = field(default_factory=dict)

    @property
    def variant_count(self) -> int:
        return sum(len(e.model.variants) for e in self.lessons.values())

    def lessons_for(self, tier: str, topic: str) -> list[Entry[Lesson]]:
        return self.by_tier.get(tier, {}).get(topic, [])

    def topics_of_tier(self, tier: str) -> list[str]:
        return [t for t in self.topics if self.by_tier.get(tier, {}).get(t)]

    def tier_lessons(self, tier: str) -> list[Entry[Lesson]]:
        return [e for topic in self.topics for e in self.lessons_for(tier, topic)]

    def topic_lessons(self, topic: str) -> list[Entry[Lesson]]:
        return [e for e in self.lessons.values() if e.model.topic == topic]

    def meant_for(self, topic: str) -> list[str]:
        """The tiers and audiences a topic is meant for: as the taxonomy lists them, else every
        tier of pupils."""
        listed = self.topics[topic].tiers
        return list(listed) if listed else [t.id for t in self.tiers.values() if t.audience == "pupils"]

    def topic_tiers(self, topic: str) -> list[str]:
        return [t for t in self.tiers if self.lessons_for(t, topic)]

    def is_stale(self, lesson: Lesson) -> bool:
        return lesson.review_by < self.today

    def related(self, lesson_id: str) -> list[Entry[Lesson]]:
        """The lessons this one names as related and those that name it, by title."""
        if self.related_index is None:
            index: dict[str, set[str]] = defaultdict(set)
            for entry in self.lessons.values():
                for other in entry.model.related:
                    if other in self.lessons and other != entry.id:
                        index[entry.id].add(other)
                        index[other].add(entry.id)
            self.related_index = {k: sorted(v, key=lambda n: self.lessons[n].model.title) for k, v in index.items()}
        return [self.lessons[n] for n in self.related_index.get(lesson_id, [])]


def build(taxonomy: Taxonomy, lessons: list[Entry[Lesson]], taxonomy_file: str,
          unloadable: set[str] | frozenset[str] = frozenset(), today: dt.date | None = None,
          laws: Sequence[Entry[Law]] = (), unloadable_laws: set[str] | frozenset[str] = frozenset(),
          synonyms: Synonyms | None = None) -> tuple[Curriculum, list[Problem]]:
    """Cross-check and index. Returns the curriculum and every problem found (empty when valid)."""
    curriculum = index(taxonomy, lessons, today, laws, synonyms)
    return curriculum, check(curriculum, taxonomy_file, unloadable, unloadable_laws)


def index(taxonomy: Taxonomy, lessons: list[Entry[Lesson]], today: dt.date | None = None,
          laws: Sequence[Entry[Law]] = (), synonyms: Synonyms | None = None) -> Curriculum:
    """The curriculum indexed, not yet checked (`check` says what is wrong with it)."""
    today = today or dt.date.today()
    tiers = {t.id: t for t in taxonomy.tiers}
    topics = {t.id: t for t in taxonomy.topics}
    school_types = {t.id: t for t in taxonomy.school_types}
    curriculum = Curriculum(tiers, topics, school_types, {e.id: e for e in lessons}, today, taxonomy, synonyms=synonyms)
    curriculum.by_tier = _index(lessons, tiers, topics)
    law_map = {e.id: e for e in laws}
    curriculum.laws, curriculum.law_citations = law_map, law_checks.index(lessons, law_map)
    curriculum.warnings = [
        Problem(e.file, tr("review_overdue", date=e.model.review_by), ("review_by",), severity="warning",
                code="review_overdue")
        for e in lessons if curriculum.is_stale(e.model)
    ]
    return curriculum


def check(curriculum: Curriculum, taxonomy_file: str, unloadable: set[str] | frozenset[str] = frozenset(),
          unloadable_laws: set[str] | frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem of the taxonomy, the laws and the lessons (empty when valid). It reads only
    those files and the names of the ones that could not be read."""
    assert curriculum.taxonomy is not None
    problems = list(_check_taxonomy(curriculum.taxonomy, taxonomy_file))
    hotlines = {h.number for h in curriculum.taxonomy.hotlines}
    problems += law_checks.check_laws(curriculum.laws, set(unloadable_laws))
    for lesson in curriculum.lessons.values():
        # one look at the whole lesson as JSON decides which walks over its texts are needed
        whole = lesson.model.model_dump_json()
        problems += _check_lesson(lesson, curriculum.tiers, curriculum.topics, hotlines, taxonomy_file,
                                  curriculum.lessons, unloadable, whole)
        problems += _check_law_sources(lesson, whole, curriculum.laws, set(unloadable_laws))
    return problems


_QUICK: Loc = ("…",)


def _check_law_sources(lesson: Entry[Lesson], whole: str, laws: dict[str, Entry[Law]], unloadable: set[str]) -> list[Problem]:
    """The lesson's law sources and quotations. The quotations are first read from the lesson's
    JSON (`whole`) without their places; only when one is wrong are the texts walked to say
    where (a walk over a city's lessons takes a second)."""
    if not law_checks.may_quote(whole):
        return list(law_checks.check_lesson(lesson, laws, unloadable, None))
    found = list(law_checks.check_lesson(lesson, laws, unloadable, [(_QUICK, t) for t in _quoted_strings(whole)]))
    if any(p.loc == _QUICK for p in found):
        found = list(law_checks.check_lesson(lesson, laws, unloadable, list(_texts(lesson.model))))
    return found


def _quoted_strings(whole: str) -> list[str]:
    """The strings in a model's JSON that hold 「, 」 or “ (a quotation check reads no others)."""
    spans: set[tuple[int, int]] = set()
    for mark in "「」“":
        at = whole.find(mark)
        while at != -1:
            spans.add((_quote_before(whole, at), _quote_after(whole, at)))
            at = whole.find(mark, at + 1)
    return [json.loads(whole[start:end + 1]) for start, end in sorted(spans)]


def _quote_before(text: str, at: int) -> int:
    """Where the JSON string holding position `at` opens: the nearest unescaped " before it."""
    start = text.rfind('"', 0, at)
    while _escaped(text, start):
        start = text.rfind('"', 0, start)
    return start


def _quote_after(text: str, at: int) -> int:
    end = text.find('"', at)
    while _escaped(text, end):
        end = text.find('"', end + 1)
    return end


def _escaped(text: str, at: int) -> bool:
    backslashes = 0
    while at - backslashes - 1 >= 0 and text[at - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _index(lessons: list[Entry[Lesson]], tiers: dict, topics: dict) -> dict[str, dict[str, list[Entry[Lesson]]]]:
    index: dict[str, dict[str, list[Entry[Lesson]]]] = {t: {p: [] for p in topics} for t in tiers}
    for entry in sorted(lessons, key=lambda e: (e.model.kind, e.model.title, e.id)):
        for tier in entry.model.variants:
            if tier in index and entry.model.topic in topics:
                index[tier][entry.model.topic].append(entry)
    return index


def _duplicates(ids: list[str]) -> set[str]:
    seen: set[str] = set()
    return {i for i in ids if i in seen or seen.add(i)}  # type: ignore[func-returns-value]


def _check_taxonomy(taxonomy: Taxonomy, file: str) -> Iterator[Problem]:
    for name in ("tiers", "topics", "school_types"):
        items = getattr(taxonomy, name)
        for dup in _duplicates([i.id for i in items]):
            index = max(n for n, i in enumerate(items) if i.id == dup)
            yield Problem(file, tr("duplicate_id", id=dup), (name, index, "id"))
    tier_ids = {t.id for t in taxonomy.tiers}
    for n, topic in enumerate(taxonomy.topics):
        for m, tier in enumerate(topic.tiers or ()):
            if tier not in tier_ids:
                yield Problem(file, unknown("tier", tier, tier_ids), ("topics", n, "tiers", m))
    for dup in _duplicates([h.number for h in taxonomy.hotlines]):
        yield Problem(file, tr("duplicate_hotline", number=dup), ("hotlines",))
    for n, school_type in enumerate(taxonomy.school_types):
        for m, tier in enumerate(school_type.tiers):
            if tier not in tier_ids:
                yield Problem(file, unknown("tier", tier, tier_ids), ("school_types", n, "tiers", m))


def disclosure_tiers(lesson: Lesson, tiers: dict[str, Tier]) -> list[str]:
    """The tiers of a lesson whose audience is pupils: where the disclosure block applies (a
    parents' talk or a staff training has no pupil in the room)."""
    return [t for t in lesson.tiers if t in tiers and tiers[t].audience == "pupils"]


def children_tier(tier: Tier) -> bool:
    """Kindergarten and primary school (pupils up to 12): tiers that get no negative question."""
    return tier.audience == "pupils" and tier.ages is not None and tier.ages[1] <= 12


def _check_negative_quiz(quiz: list, tier: Tier | None, file: str, where: Loc) -> Iterator[Problem]:
    for n, item in enumerate(quiz):
        word = negative_wording(item.question)
        if (word or item.negative) and tier is not None and children_tier(tier):
            yield Problem(file, tr("quiz_negative_young", tier=tier.name), (*where, n, "question"),
                          code="quiz_negative_young")
        elif word and not item.negative:
            yield Problem(file, tr("quiz_negative_undeclared", word=word), (*where, n, "question"),
                          code="quiz_negative_undeclared")


def unknown(what: str, value: str, known) -> str:  # noqa: ANN001
    import difflib

    close = difflib.get_close_matches(value, list(known), n=1)
    hint = tr("did_you_mean", close=close[0]) if close else tr("known", known=join(sorted(known)))
    return tr("unknown", what=tr(f"what.{what}"), value=value, hint=hint)


def _check_lesson(entry: Entry[Lesson], tiers: dict, topics: dict, hotlines: set[str],
                  taxonomy_file: str, lessons: dict[str, Entry[Lesson]],
                  unloadable: set[str] | frozenset[str], whole: str) -> Iterator[Problem]:
    lesson, file = entry.model, entry.file
    if lesson.topic not in topics:
        yield Problem(file, unknown("topic", lesson.topic, topics), ("topic",))
    elif lesson.disclosure is None and topics[lesson.topic].disclosure and disclosure_tiers(lesson, tiers):
        yield Problem(file, f"专题“{topics[lesson.topic].name}”（{lesson.topic}）的学生可能在课上当场说出自己受害："
                            "请填写 disclosure（学生当场说出自己受害时），含 say、do_not_ask、tell、keep 四项",
                      ("disclosure",))
    source_ids = [s.id for s in lesson.sources]
    for dup in _duplicates(source_ids):
        yield Problem(file, tr("duplicate_source", id=dup), ("sources",))
    for n, tier in enumerate(lesson.tiers):
        if tier not in tiers:
            yield Problem(file, unknown("tier", tier, tiers), ("tiers", n))
        elif tier not in lesson.variants:
            yield Problem(file, tr("tier_without_variant", tier=tier), ("tiers", n))
    for tier, variant in lesson.variants.items():
        where: Loc = ("variants", tier)
        if tier not in lesson.tiers:
            yield Problem(file, tr("variant_not_listed", tier=tier), where)
        total = sum(a.minutes for a in variant.activities)
        if total > variant.minutes:
            yield Problem(file, tr("activities_too_long", total=total, minutes=variant.minutes),
                          (*where, "activities"))
        if variant.letter is not None and tier in tiers and tiers[tier].audience != "parents":
            yield Problem(file, tr("letter_parents_only"), (*where, "letter"))
        if variant.target_seconds is not None and lesson.kind != "drill":
            yield Problem(file, tr("target_drills_only"), (*where, "target_seconds"))
        yield from _check_negative_quiz(variant.quiz, tiers.get(tier), file, (*where, "quiz"))
        for n, hotline in enumerate(variant.handout.hotlines if hotlines else ()):
            if hotline.number not in hotlines:
                yield _not_allowed(file, hotline.number, hotlines, taxonomy_file,
                                   (*where, "handout", "hotlines", n, "number"))
    if lesson.drill is not None:
        yield from _check_drill_seconds(lesson, file)
    for n, other in enumerate(lesson.related):
        if other not in lessons and other not in unloadable:
            yield Problem(file, unknown("lesson", other, lessons), ("related", n))
        elif other == entry.id:
            yield Problem(file, tr("related_self"), ("related", n))
    # One walk over all text serves every check that applies to text anywhere in the lesson; it
    # runs only when a look at the whole lesson at once finds something that might be wrong.
    if not _text_may_fail(lesson, whole, source_ids, hotlines):
        return
    for loc, text in _texts(lesson):
        for cited in CITATION.findall(text):
            if cited not in source_ids:
                yield Problem(file, tr("unknown_citation", unknown=unknown("source", cited, source_ids), cited=cited), loc)
        for number in _CALL.findall(text) if hotlines else ():
            if number not in hotlines:
                yield _not_allowed(file, number, hotlines, taxonomy_file, loc)
        if loc[0] != "sources":
            yield from (Problem(file, message, loc) for message in _markup_problems(loc, text))


def _markup_problems(loc: Loc, text: str) -> list[str]:
    """Author text carries `**strong**` and no other markup; a title not even that."""
    if loc[-1] == "title" and markup.STRONG.search(text):
        return [markup.strong_not_allowed(str(loc[-1]))]
    return markup.problems(text)


# "拨打 110", "致电“12356”": a number the text tells pupils to call (not a year: "2025年").
_CALL = re.compile(r"(?:拨打|致电|打)\s*[“\"「]?(\d{3,6})(?![\d年月日号])")


# The same, as it reads in the lesson's JSON: there a quote is \" and a line break \n, so this
# matches wherever _CALL matches in some text, and maybe more.
_CALL_IN_JSON = re.compile(r"(?:拨打|致电|打)(?:\s|\\[nrt])*\\?[“\"「]?(\d{3,6})(?![\d年月日号])")


_SECONDS = re.compile(r"(\d+)\s*秒")


def _check_drill_seconds(lesson: Lesson, file: str) -> Iterator[Problem]:
    """Lesson-level drill text holds for every tier: a number of seconds it names must be a target
    one of the tiers has (a kindergarten drill is not measured against 120 seconds)."""
    assert lesson.drill is not None
    targets = {lesson.drill.target_seconds} | {v.target_seconds for v in lesson.variants.values() if v.target_seconds}
    texts: list[tuple[Loc, str]] = [(("summary",), lesson.summary)]
    texts += [(("key_messages", n), text) for n, text in enumerate(lesson.key_messages)]
    texts += [(("drill", "after_action", n), text) for n, text in enumerate(lesson.drill.after_action)]
    for loc, text in texts:
        for match in _SECONDS.finditer(text):
            if int(match.group(1)) not in targets:
                yield Problem(file, tr("drill_seconds", found=match.group(0),
                                         targets=join(f"{t} 秒" for t in sorted(targets))), loc)


def _text_may_fail(lesson: Lesson, text: str, source_ids: list[str], hotlines: set[str]) -> bool:
    """Whether walking the lesson's texts could find an unknown citation or a number not on the
    allow-list. The walk visits every string of a lesson in Python (a second per thousand
    lessons); the lesson's JSON (`text`) is made in Rust and searched in one go."""
    if any(cited not in source_ids for cited in CITATION.findall(text)):
        return True
    if markup.may_have_problems(lesson.model_dump_json(exclude={"sources"})):
        return True
    return bool(hotlines) and any(number not in hotlines for number in _CALL_IN_JSON.findall(text))


def _not_allowed(file: str, number: str, allowed: set[str], taxonomy_file: str, loc: Loc) -> Problem:
    """Hotlines are facts that pupils act on: only numbers on the repository's allow-list may appear."""
    return Problem(file, tr("hotline_not_allowed", number=number, allowed=join(sorted(allowed)), taxonomy=taxonomy_file),
                   loc)


def _texts(model: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every string in a model with its location, for checks that apply to all text."""
    for name in type(model).model_fields:
        yield from _walk(getattr(model, name), (*loc, name))


def _walk(value, loc: Loc) -> Iterator[tuple[Loc, str]]:  # noqa: ANN001
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, BaseModel):
        yield from _texts(value, loc)
    elif isinstance(value, (list, tuple)):
        for n, item in enumerate(value):
            yield from _walk(item, (*loc, n))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*loc, key))
