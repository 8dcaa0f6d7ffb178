"""The search index the build writes: the curriculum's words whole, UTF-8, lesson-level text once.

The browser side (what a typed query finds) is tests/test_search.py, in Chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jieba
from conftest import ROOT

from generator.engine.searchindex import dictionary_file
from generator.site.searchwords import han_runs, law_names, search_words, user_dictionary
from generator.source.loading import ProjectPaths, load_all, load_file
from generator.source.synonyms import Synonyms
from generator.stationdata import load


def starter_curriculum():
    return load(ProjectPaths.at(ROOT, "lessons", "schools", "lessons/_taxonomy.yml", "schools/_thresholds.yml"))


def test_user_dictionary_holds_every_topic_name_tier_name_lesson_title_and_key_word(starter_site: Path) -> None:
    c = starter_curriculum()
    written = dictionary_file(user_dictionary(search_words(c))).read_text(encoding="utf-8").split("\n")
    words = set(written)
    assert written[:-1] == search_words(c) and written[-1] == ""  # the build's file, one word a line
    names = [t.name for t in c.curriculum.topics.values()] + [t.name for t in c.curriculum.tiers.values()]
    titles = [e.model.title for e in c.curriculum.lessons.values()]
    key_words = [w for e in c.curriculum.lessons.values() for v in e.model.variants.values() for w in v.key_words]
    for text in names + titles + key_words:
        # jieba cuts runs of Han characters; a title with punctuation reaches it as several runs.
        missing = [run for run in han_runs(text) if run not in words]
        assert not missing, (text, missing)
    assert {"防溺水", "反恐防暴", "识破刷单返利骗局", "一键报警", "两卡"} <= words


def test_jieba_keeps_each_dictionary_word_whole(starter_site: Path) -> None:
    path = dictionary_file(user_dictionary(search_words(starter_curriculum())))
    words = path.read_text(encoding="utf-8").split()
    tokenizer = jieba.Tokenizer()
    plain = [w for w in words if tokenizer.lcut(w, HMM=False) != [w]]
    assert plain, "jieba's own dictionary already knew every word: the test shows nothing"
    tokenizer.load_userdict(str(path))
    split = [(w, tokenizer.lcut(w)) for w in words if tokenizer.lcut(w) != [w]]
    assert not split, split[:10]


def test_law_names_are_the_short_names_people_search_for() -> None:
    assert law_names("《中华人民共和国未成年人保护法》第三十九条") == ["未成年人保护法"]
    assert law_names("《中小学公共安全教育指导纲要》") == ["中小学公共安全教育指导纲要"]
    assert law_names("教育部关于防范学生溺水的通知") == []
    c = starter_curriculum()
    assert "反电信网络诈骗法" in search_words(c)


def test_index_is_utf8_and_half_the_size_of_ascii_escapes(starter_site: Path) -> None:
    raw = (starter_site / "search" / "search_index.json").read_bytes()
    index = json.loads(raw)
    assert index["config"]["lang"] == ["zh"] and index["docs"]
    docs = raw[raw.index(b'"docs":'):]
    assert re.search(rb"\\u(?:[4-9][0-9a-f]{3}|200b)", docs) is None  # no Han character or word break escaped
    assert "防溺水".encode() in raw
    escaped = json.dumps(index, separators=(",", ":")).encode()
    assert len(raw) < 0.6 * len(escaped), (len(raw), len(escaped))


def test_drill_script_is_indexed_once_per_lesson_not_per_tier(starter_site: Path) -> None:
    index = json.loads((starter_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    c = starter_curriculum()
    drills = [e for e in c.curriculum.lessons.values() if e.model.drill is not None and len(e.model.tiers) > 1]
    assert drills
    for entry in drills:
        sections = [d["location"] for d in index["docs"]
                    if re.fullmatch(rf"lessons/{entry.id}/[a-z-]+/#(drill|roles|steps|headcount|after-action)", d["location"])]
        first = f"lessons/{entry.id}/{entry.model.tiers[0]}/"
        assert sections and {s.split("#")[0] for s in sections} == {first}, (entry.id, sections)
    # Each tier page keeps its own objectives and handout points.
    tiers = {d["location"].split("#")[0] for d in index["docs"] if d["location"].endswith(("#objectives", "#handout"))}
    assert all(f"lessons/{e.id}/{t}/" in tiers for e in drills for t in e.model.tiers)


def test_other_tiers_links_and_review_dates_stay_out_of_the_index(starter_site: Path) -> None:
    index = json.loads((starter_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = "".join(d["text"] for d in index["docs"] if re.fullmatch(r"lessons/[a-z0-9-]+/[a-z-]+/", d["location"]))
    assert "其他学段" not in text and "下次审核" not in text
    assert not [d["location"] for d in index["docs"] if d["location"].endswith("#materials")]
    assert "防溺水" in text  # the topic name stays


def test_synonyms_go_to_jieba_and_with_the_index_to_the_browser(starter_site: Path) -> None:
    c = starter_curriculum()
    assert c.curriculum.synonyms is not None
    groups = c.curriculum.synonyms.as_lists()
    assert ["欺凌", "霸凌"] in groups
    assert {"霸凌", "网暴", "拐卖", "心肺复苏"} <= set(search_words(c))
    data = json.loads((starter_site / "search" / "search_index.json").read_bytes())
    assert data["config"]["huxiao_synonyms"] == groups


def test_a_synonym_in_two_groups_is_refused_with_its_line(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "lessons").mkdir(parents=True)
    text = "groups:\n  - words: [欺凌, 霸凌]\n  - words: [霸凌, 网暴]\n"
    (root / "lessons" / "_synonyms.yml").write_text(text, encoding="utf-8")
    paths = ProjectPaths.at(root)
    assert paths.synonyms == root.resolve() / "lessons" / "_synonyms.yml"  # beside the taxonomy
    problems = [p for p in load_all(paths).problems if p.file == "lessons/_synonyms.yml"]
    assert len(problems) == 1 and problems[0].line == 3, problems
    message = str(problems[0])
    assert "“霸凌”" in message and "不止一组" in message, message
    (root / "lessons" / "_synonyms.yml").write_text("groups:\n  - words: [霸凌]\n", encoding="utf-8")
    model, problems = load_file(paths.synonyms, Synonyms, paths)
    assert model is None and problems and problems[0].line == 2, problems
