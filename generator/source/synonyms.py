"""The words people type for what the curriculum calls otherwise (lessons/_synonyms.yml).

A visitor searches 霸凌 where the lessons say 欺凌, 网暴 where they say 网络欺凌. Each group
lists words that mean the same for search; a query holding one of them is searched with each of
the others in its place as well (`theme/assets/javascripts/workers/huxiao-search.js`). The words
are data beside the taxonomy, so a station adds one without touching code.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .messages import tr
from .models import Strict
from .problems import Problem

# A search word: Han characters, letters or digits, no space (the query is cut at spaces).
Word = Annotated[str, Field(pattern=r"^[\w\u3400-\u4dbf\u4e00-\u9fff]+$", max_length=20)]


class SynonymGroup(Strict):
    words: list[Word] = Field(min_length=2, description="搜索时视为同义的词，如 欺凌、霸凌")


class Synonyms(Strict):
    """搜索同义词（lessons/_synonyms.yml）：访客常用的说法与课程里用的词。"""

    groups: list[SynonymGroup] = Field(default_factory=list, description="同义词组；搜到组里任一词，也按组里其他词搜索")

    def as_lists(self) -> list[list[str]]:
        return [list(group.words) for group in self.groups]


def repeated_words(synonyms: Synonyms, file: str) -> list[Problem]:
    """Each word belongs to one group: a second mention, with where it is (the line follows from
    the field's place in the file)."""
    seen: set[str] = set()
    problems = []
    for n, group in enumerate(synonyms.groups):
        for m, word in enumerate(group.words):
            if word in seen:
                problems.append(Problem(file, tr("duplicate_synonym", word=word), ("groups", n, "words", m)))
            seen.add(word)
    return problems
