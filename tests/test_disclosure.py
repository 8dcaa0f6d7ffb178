"""学生当场说出自己受害时: the disclosure block of lessons in topics where a pupil may disclose.

Which topics need it is taxonomy data (`disclosure: true`); every lesson of such a topic carries
the block, which shows on each pupil tier's page and run-sheet, escaped like all author text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE, ROOT, article, html_text, mkdocs_build, page, run_cli

from generator.curriculum import disclosure_tiers
from generator.site import mdtext
from generator.source.loading import ProjectPaths
from generator.stationdata import load

TITLE = "学生当场说出自己受害时"
LESSON = "lessons/demo/qiuzhu-dianhua.yml"
HOSTILE = '<script>alert("x")</script> 说：“谢谢你” & {{ 7*7 }} **粗** # 不是标题'


def flagged_lessons() -> list[tuple[str, str]]:
    c = load(ProjectPaths.at(ROOT))
    flagged = [t.id for t in c.curriculum.topics.values() if t.disclosure]
    assert flagged, "no topic in lessons/_taxonomy.yml is flagged disclosure: true"
    return [(e.id, tier) for e in c.curriculum.lessons.values() if e.model.topic in flagged
            for tier in disclosure_tiers(e.model, c.curriculum.tiers)]


def test_the_sensitive_topics_are_flagged_in_the_taxonomy() -> None:
    c = load(ProjectPaths.at(ROOT))
    assert {t.id for t in c.curriculum.topics.values() if t.disclosure} == {
        "anti-fraud", "anti-bullying", "sexual-abuse-prevention", "anti-drug", "mental-health",
        "cyberbullying", "rule-of-law"}


def _texts(lesson) -> list[str]:
    d = lesson.disclosure
    return [mdtext.strip_citations(t) for t in (*d.say, *d.do_not_ask, *d.tell, *d.keep)]


def test_every_flagged_lesson_shows_the_block_on_its_page_and_run_sheet(starter_site: Path) -> None:
    c = load(ProjectPaths.at(ROOT))
    cases = flagged_lessons()
    assert len(cases) >= 14
    for lesson_id, tier in cases:
        lesson = c.curriculum.lessons[lesson_id].model
        body = article(page(starter_site, f"/lessons/{lesson_id}/{tier}/"))
        assert '<div class="admonition warning hx-disclosure"' in body, (lesson_id, tier)
        text = html_text(re.sub(r'<sup class="hx-cite">.*?</sup>', "", body))  # citations as links
        assert '<sup class="hx-cite"><a href="#src-' in body or "[^" not in str(lesson.disclosure), lesson_id
        sheet = html_text(page(starter_site, f"/lessons/{lesson_id}/{tier}/runsheet/"))
        for shown in (text, sheet):
            assert TITLE in shown and "不要当着全班问" in shown and "课后告诉谁" in shown, (lesson_id, tier)
            for item in _texts(lesson):
                assert re.sub(r"\s+", " ", item) in shown, (lesson_id, tier, item)


def test_block_text_is_escaped_on_the_page_and_the_run_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Validation refuses such markup (tests/test_print_walkthrough.py); let through here, escaping
    # alone must still keep it text.
    from generator.source import markup as markup_rules

    monkeypatch.setattr(markup_rules, "problems", lambda text: [])
    monkeypatch.setattr(markup_rules, "may_have_problems", lambda text: False)
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    _flag_anti_fraud(root)
    data = yaml.safe_load((root / LESSON).read_text(encoding="utf-8"))
    data["disclosure"] = {"say": [HOSTILE], "do_not_ask": ["不问细节"], "tell": ["告诉班主任[^h96110]"],
                          "keep": ["原话、时间、在场的人"]}
    (root / LESSON).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = mkdocs_build(root, tmp_path / "site", huxiao={"speed": False})  # all in this process
    for url in ("/lessons/qiuzhu-dianhua/primary-upper/", "/lessons/qiuzhu-dianhua/primary-upper/runsheet/"):
        html = page(site, url)
        assert "<script>alert" not in html, url  # escaped: shown as text below, never an element
        shown = html_text(html)
        block = shown.split(TITLE, 1)[1]
        assert '<script>alert("x")</script> 说：“谢谢你” & {{ 7*7 }}' in block, url  # literal, not run
        assert "告诉班主任" in block and "[^h96110]" not in block, url  # the citation is not raw text
    body = article(page(site, "/lessons/qiuzhu-dianhua/primary-upper/"))
    assert "# 不是标题" in html_text(body) and 'id="不是标题"' not in body


def _flag_anti_fraud(root: Path, parents: bool = False) -> None:
    taxonomy = root / "lessons" / "_taxonomy.yml"
    data = yaml.safe_load(taxonomy.read_text(encoding="utf-8"))
    for topic in data["topics"]:
        if topic["id"] == "anti-fraud":
            topic["disclosure"] = True
            if parents and topic.get("tiers"):
                topic["tiers"].append("parents")
    if parents:
        data["tiers"].append({"id": "parents", "name": "家长", "audience": "parents", "minutes": [15, 30],
                              "method": "家长会讲解"})
    taxonomy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_flagged_topic_lesson_without_the_block_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    assert run_cli("-C", str(root), "validate").returncode == 0
    _flag_anti_fraud(root)
    result = run_cli("-C", str(root), "validate")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if LESSON in line]
    assert len(lines) == 1, result.stdout + result.stderr
    assert ": disclosure: " in lines[0] and "专题“" in lines[0] and "say、do_not_ask、tell、keep" in lines[0]


def test_a_parents_only_lesson_of_a_flagged_topic_needs_no_block(tmp_path: Path) -> None:
    """The block is for a room of pupils: a parents' talk in a flagged topic validates without it."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    _flag_anti_fraud(root, parents=True)
    data = yaml.safe_load((root / LESSON).read_text(encoding="utf-8"))
    variant = data["variants"]["primary-upper"]
    data["tiers"], data["variants"] = ["parents"], {"parents": {**variant, "minutes": 30,
                                                                "activities": variant["activities"][:1]}}
    (root / LESSON).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("-C", str(root), "validate")
    assert "disclosure" not in result.stdout + result.stderr, result.stdout + result.stderr
