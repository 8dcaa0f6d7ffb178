"""The curriculum's own words, for Chinese search: topic and tier names, lesson titles, key words,
hotline names, the short names of the laws the lessons cite and the search synonyms.

Material's search plugin cuts the Chinese text of every page into words with jieba before it
indexes it, and the browser matches a query against those words (by prefix). jieba's general
dictionary knows 溺水 but not 防溺水, 两卡 or 一键报警, and would cut them into pieces that other
lessons share (防, 卡, 报警). `search_words` lists the words the data uses as terms, so jieba
keeps each one whole; the engine hands them to jieba as a user dictionary (`engine/searchindex.py`).
"""

from __future__ import annotations

import re

from ..stationdata import StationData

# jieba cuts runs of Han characters; a title such as 免费皮肤不免费：识破游戏装备诈骗 reaches it as
# two runs, so each run is a word of its own.
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# 《中华人民共和国未成年人保护法》 is cited in full and searched for by its short name.
BOOK_TITLE = re.compile(r"《([^》]+)》")
STATE_PREFIX = "中华人民共和国"
# A law's short name ends in one of these (未成年人保护法, 禁毒法, 道路交通安全法实施条例).
LAW_ENDINGS = ("法", "条例", "规定", "办法", "纲要")


def han_runs(text: str) -> list[str]:
    """The runs of Han characters in `text` that are two characters or longer (one character
    is a word jieba keeps whole anyway)."""
    return [run for run in HAN_RUN.findall(text) if len(run) > 1]


def law_names(title: str) -> list[str]:
    """The laws named in a source's title, by the name people use: without 中华人民共和国."""
    names = []
    for name in BOOK_TITLE.findall(title):
        short = name.removeprefix(STATE_PREFIX)
        if short.endswith(LAW_ENDINGS):
            names.append(short)
    return names


def search_words(c: StationData) -> list[str]:
    """Every word the data gives search, once each, in a stable order."""
    texts: list[str] = [topic.name for topic in c.curriculum.topics.values()]
    texts += [tier.name for tier in c.curriculum.tiers.values()]
    if c.curriculum.taxonomy is not None:
        texts += [hotline.name for hotline in c.curriculum.taxonomy.hotlines]
    for entry in c.curriculum.lessons.values():
        lesson = entry.model
        texts.append(lesson.title)
        for variant in lesson.variants.values():
            texts += variant.key_words
        for source in lesson.sources:
            texts += law_names(source.title or "")
    for law in c.curriculum.laws.values():
        texts += law_names(f"《{law.model.title}》")
    # The words visitors type for them (霸凌, 网暴): whole in the index, so the query finds them.
    if c.curriculum.synonyms is not None:
        texts += [word for group in c.curriculum.synonyms.as_lists() for word in group]
    words: dict[str, None] = {}
    for text in texts:
        for run in han_runs(text):
            words.setdefault(run, None)
    return list(words)


def user_dictionary(words: list[str]) -> str:
    """The words as a jieba user dictionary: one word a line, no frequency, so jieba gives each
    just enough weight to keep it whole (`jieba.suggest_freq`)."""
    return "".join(f"{word}\n" for word in words)
