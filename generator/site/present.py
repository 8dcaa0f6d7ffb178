"""The 知识竞赛 presenter: a standalone page per quiz round, for the classroom projector.

A round is one lesson variant's quiz, or every quiz of one topic's lessons for one tier (a mixed
round). The page is a print-document-like HTML file (no Material chrome) that works from the
site, from `mkdocs serve` and from the offline bundle over file://: the questions, answers and
explanations are inlined as JSON data (`<script type="application/json">`, never template
source), and the theme's `huxiao/present.js` shows them one at a time; an answer only becomes
text in the page when the officer reveals it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Iterable

from markupsafe import Markup

from ..stationdata import StationData
from ..source.loading import Entry
from ..source.models import Lesson, QuizItem
from . import mdtext
from .paths import lesson_path, present_path, rel, root_of, topic_path, topic_present_path
from .render import html_environment

MAX_TEAMS = 8
# Characters that could end the data's <script> element or open a comment or entity in it.
_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                "\u2028": "\\u2028", "\u2029": "\\u2029"})


@dataclass(frozen=True)
class Round:
    path: str
    title: str
    subtitle: str
    back: str  # the page the round belongs to (docs-relative .md path)
    back_name: str
    questions: list[dict]


def _text(value: str) -> str:
    """Author text as the projector shows it: citations and `**` marks dropped, one line."""
    return " ".join(mdtext.strip_citations(value).replace("**", "").split())


def _question(item: QuizItem, lesson: str | None) -> dict:
    oral = item.choices is None
    return {
        "question": _text(item.question),
        "choices": None if oral else [_text(c) for c in item.choices or []],
        # A choice's index (from 0), or the expected answer of an oral question.
        "answer": _text(str(item.answer)) if oral else int(item.answer) - 1,
        "explanation": _text(item.explanation),
        # The answer of a "which is wrong" question is the unsafe act: revealed as 错误做法, never 正确.
        "negative": item.negative,
        "lesson": lesson,
    }


def lesson_round(c: StationData, entry: Entry[Lesson], tier: str) -> Round | None:
    quiz = entry.model.variants[tier].quiz
    if not quiz:
        return None
    return Round(present_path(entry.id, tier), entry.model.title, c.curriculum.tiers[tier].name, lesson_path(entry.id, tier),
                 "返回课程", [_question(item, None) for item in quiz])


def topic_lessons(c: StationData, topic: str, tier: str) -> list[Entry[Lesson]]:
    """The lessons whose quizzes make the topic's mixed round for `tier`, in the topic page's order."""
    return [e for e in c.curriculum.lessons_for(tier, topic) if e.model.variants[tier].quiz]


def topic_round(c: StationData, topic: str, tier: str) -> Round | None:
    lessons = topic_lessons(c, topic, tier)
    if not lessons:
        return None
    questions = [_question(item, e.model.title) for e in lessons for item in e.model.variants[tier].quiz]
    return Round(topic_present_path(topic, tier), f"{c.curriculum.topics[topic].name} · 综合竞赛", c.curriculum.tiers[tier].name,
                 topic_path(topic), "返回专题", questions)


def topic_round_tiers(c: StationData, topic: str) -> set[str]:
    """The tiers for which the topic page links a mixed round."""
    return {tier for tier in c.curriculum.tiers if topic_lessons(c, topic, tier)}


def rounds(c: StationData) -> Iterable[Round]:
    for entry in c.curriculum.lessons.values():
        for tier in entry.model.tiers:
            found = lesson_round(c, entry, tier)
            if found is not None:
                yield found
    for topic in c.curriculum.topics:
        for tier in c.curriculum.tiers:
            found = topic_round(c, topic, tier)
            if found is not None:
                yield found


def paths(c: StationData) -> list[str]:
    """Where every presenter page lives, without rendering them."""
    found = [present_path(e.id, t) for e in c.curriculum.lessons.values() for t in e.model.tiers if e.model.variants[t].quiz]
    return found + [topic_present_path(topic, tier) for topic in c.curriculum.topics for tier in c.curriculum.tiers
                    if topic_lessons(c, topic, tier)]


def script_json(data: object) -> Markup:
    """JSON that is safe as the text of a <script> element: no `</script>`, `<!--` or `&`."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_UNSAFE)
    assert not re.search(r"</|<!--", text)
    return Markup(text)


def html(round_: Round) -> str:
    here = round_.path
    data = {"title": round_.title, "subtitle": round_.subtitle, "maxTeams": MAX_TEAMS,
            "questions": round_.questions}
    back = str(rel(here, round_.back.removesuffix(".md") + "/index.html")).removesuffix("index.html")
    return html_environment().get_template("present.html.j2").render(
        title=f"{round_.title}（{round_.subtitle}）课堂竞赛", heading=round_.title, subtitle=round_.subtitle,
        count=len(round_.questions), root=root_of(here), back=back, back_name=round_.back_name,
        data=script_json(data))


def documents(c: StationData) -> Iterable[tuple[str, str]]:
    """Every presenter page, as (path, HTML)."""
    for found in rounds(c):
        yield found.path, html(found)
