"""The starter library itself: every rule of the curriculum issue, over the real lessons/ folder,
so the library can never silently shrink."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import ROOT, article, html_text, page, run_cli

from generator import stationdata as project
from generator.source.loading import ProjectPaths

REQUIRED_TOPICS = ["anti-fraud", "anti-drug", "traffic", "counter-terror", "evacuation-drill", "fire", "drowning",
                   "cyber-safety", "anti-bullying", "mental-health", "anti-cult"]
MINUTES = {"kindergarten": (15, 20), "primary-lower": (35, 40), "primary-upper": (35, 40),
           "junior-high": (40, 45), "senior-high": (45, 90), "university": (45, 90),
           "parents": (15, 30), "staff": (30, 60)}
SCHOOL_TYPES = ["kindergarten", "primary", "junior", "senior", "nine-year", "vocational", "university"]


@pytest.fixture(scope="module")
def curriculum():
    return project.load(ProjectPaths.at(ROOT))


def test_every_file_validates() -> None:
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout


def test_library_size(curriculum) -> None:
    assert len(curriculum.curriculum.lessons) >= 30
    assert curriculum.curriculum.variant_count >= 100


def test_every_required_topic_is_taught_in_four_tiers(curriculum) -> None:
    for topic in REQUIRED_TOPICS:
        tiers = curriculum.curriculum.topic_tiers(topic)
        assert len(tiers) >= 4, (topic, tiers)


def test_every_tier_has_lessons_in_eight_topics(curriculum) -> None:
    for tier in curriculum.curriculum.tiers:
        topics = curriculum.curriculum.topics_of_tier(tier)
        if curriculum.curriculum.tiers[tier].audience == "pupils":
            assert len(topics) >= 8, (tier, topics)
        else:  # parents and staff: every topic meant for them has a lesson for them
            assert topics and set(topics) == {t for t in curriculum.curriculum.topics if tier in curriculum.curriculum.meant_for(t)}, tier


def test_each_variant_is_complete_and_timed_for_its_age(curriculum) -> None:
    for entry in curriculum.curriculum.lessons.values():
        for tier, variant in entry.model.variants.items():
            where = f"{entry.file} {tier}"
            low, high = MINUTES[tier]
            assert low <= variant.minutes <= high, where
            assert sum(a.minutes for a in variant.activities) == variant.minutes, where
            assert len(variant.objectives) >= 3, where
            assert all(a.speaker_notes.strip() for a in variant.activities), where
            assert len(variant.misconceptions) >= 2, where
            assert len(variant.quiz) >= 5, where
            assert all(q.explanation.strip() for q in variant.quiz), where
            if tier == "kindergarten":
                assert all(q.choices is None for q in variant.quiz), f"{where}: oral questions for kindergarten"
            assert 3 <= len(variant.handout.points) <= 6, where
            assert variant.key_words, where


def test_every_lesson_cites_its_sources(curriculum) -> None:
    for entry in curriculum.curriculum.lessons.values():
        lesson = entry.model
        assert lesson.sources, entry.file
        cited = set(re.findall(r"\[\^([a-z0-9-]+)\]", " ".join(lesson.key_messages)))
        assert cited, f"{entry.file}: key messages cite no source"


def test_variants_are_written_for_their_age_not_copied(curriculum) -> None:
    for entry in curriculum.curriculum.lessons.values():
        notes = defaultdict(list)
        for tier, variant in entry.model.variants.items():
            notes[" ".join(a.speaker_notes for a in variant.activities)].append(tier)
        copies = [tiers for tiers in notes.values() if len(tiers) > 1]
        assert not copies, f"{entry.file}: identical speaker notes in {copies}"


def test_at_least_four_complete_drills(curriculum) -> None:
    drills = [e for e in curriculum.curriculum.lessons.values() if e.model.kind == "drill"]
    assert len(drills) >= 4
    roles = " ".join(r.role for e in drills for r in e.model.drill.roles)
    for role in ("总指挥", "疏散引导", "清点人数", "安全警戒"):
        assert role in roles
    for entry in drills:
        drill = entry.model.drill
        assert len(drill.roles) >= 3 and len(drill.steps) >= 3 and len(drill.after_action) >= 3, entry.file
        assert drill.target_seconds <= 300 and drill.headcount, entry.file
    scenarios = " ".join(e.model.title + e.model.drill.scenario for e in drills)
    for word in ("火", "地震"):
        assert word in scenarios
    assert any("钢叉" in " ".join(d for r in e.model.drill.roles for d in r.duties) + e.model.drill.scenario
               for e in drills), "the violent-intruder drill names the staff's 钢叉"


def test_sample_schools_cover_every_type(curriculum) -> None:
    views = list(curriculum.schools.values())
    assert len(views) >= 15
    assert {v.school.type for v in views} >= set(SCHOOL_TYPES)
    for view in views:
        school = view.school
        assert "虚构" in school.name, school.name
        assert school.internal is not None, view.id
        assert all(book.record(view.id) for book in curriculum.started_terms().values()), f"{view.id}: a term without records"
        assert school.liaison.name and school.contact


def test_coverage_page_shows_every_cell(starter_site: Path, curriculum) -> None:
    html = article(page(starter_site, "/coverage/"))
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    assert len(rows) == len(curriculum.curriculum.topics)
    tier_ids = list(curriculum.curriculum.tiers)
    required_names = {curriculum.curriculum.topics[t].name: t for t in REQUIRED_TOPICS}
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert len(cells) == 1 + len(curriculum.curriculum.tiers)
        topic = required_names.get(html_text(cells[0]).strip())
        for tier, cell in zip(tier_ids, cells[1:], strict=True):
            text = html_text(cell)
            assert "../lessons/" in cell or "缺" in text or "不适用" in text
            if topic:  # a required topic has a lesson in every tier it is meant for
                assert "缺" not in text, (topic, tier)
    topics_scoped = [t for t in curriculum.curriculum.topics.values() if t.tiers]
    assert all(len(t.tiers) >= 4 for t in topics_scoped if t.id in REQUIRED_TOPICS)


def test_hotlines_come_from_the_allow_list(curriculum) -> None:
    allowed = {h.number: h for h in curriculum.curriculum.taxonomy.hotlines}
    assert {"110", "119", "120", "122", "96110", "12356"} <= set(allowed)
    assert all(h.source for h in allowed.values())
    used = {h.number for e in curriculum.curriculum.lessons.values() for v in e.model.variants.values() for h in v.handout.hotlines}
    assert used and used <= set(allowed)


def test_internal_build_has_a_dossier_and_checklist_for_every_sample_school(curriculum) -> None:
    from generator.reports import checklist
    from generator.site.assemble import build_site
    from generator.site.paths import dossier_path

    public = build_site(curriculum, "public")
    internal = build_site(curriculum, "internal")
    for school_id, view in curriculum.schools.items():
        assert dossier_path(school_id) not in public.pages
        page_text = internal.pages[dossier_path(school_id)]
        assert "一校一表" in page_text
        checks = checklist.evaluate(view, curriculum)
        assert len(checks) == 10 and all(check.source for check in checks), school_id
    statuses = {check.status for view in curriculum.schools.values() for check in checklist.evaluate(view, curriculum)}
    assert statuses >= {"pass", "fail"}  # the sample district shows both


def test_public_starter_site_holds_no_internal_text_of_the_sample_schools(starter_site: Path, curriculum) -> None:
    from test_audiences import all_text

    from generator.curriculum import _walk

    secrets = {text for view in curriculum.schools.values() if view.school.internal
               for _loc, text in _walk(view.school.internal, ()) if len(text) >= 6}
    assert len(secrets) > 50  # the sample district's internal blocks are filled
    public = all_text(starter_site)
    leaked = sorted(s for s in secrets if s in public)
    assert not leaked, leaked[:5]


def test_school_page_recommends_lessons_topic_by_topic(starter_site: Path, curriculum) -> None:
    from generator.site.pages import RECOMMENDED_PER_TOPIC

    view = next(v for v in curriculum.schools.values() if v.school.type == "university")
    html = article(page(starter_site, f"/schools/{view.id}/"))
    section = html.split("推荐课程", 1)[1]
    tier = view.tiers[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    topics = curriculum.curriculum.topics_of_tier(tier)
    assert len(items) == len(topics)  # one line per topic, not run together
    for item, topic in zip(items, topics, strict=True):
        assert html_text(item).strip().startswith(curriculum.curriculum.topics[topic].name + "："), item
        lessons = re.findall(r'<a href="../../lessons/', item)
        assert 1 <= len(lessons) <= RECOMMENDED_PER_TOPIC
