"""Who may teach a lesson (班主任可讲 / 建议民警讲): a lesson field, shown on the lesson page and the listings."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from generator import stationdata as project_loader
from generator.site import paths
from generator.site.assemble import build_site
from generator.source.loading import ProjectPaths

LABELS = {"teacher": "班主任可讲", "officer": "建议民警讲"}
OFFICER_TOPICS = {"counter-terror", "anti-cult", "national-security"}


@pytest.fixture(scope="module")
def site():
    curriculum = project_loader.load(ProjectPaths.at(ROOT))
    return curriculum, build_site(curriculum).pages


def test_every_lesson_states_who_teaches_it_by_the_rule() -> None:
    """Drills, counter-terror, anti-cult, national security and the law lessons (-falv) go to the
    officer; the everyday lessons a class teacher can give."""
    for path in sorted((ROOT / "lessons").glob("*/*.yml")):
        text = path.read_text(encoding="utf-8")
        stated = re.search(r"^taught_by: (\w+)$", text, re.M)
        assert stated, f"{path.name} does not say taught_by"
        drill = re.search(r"^kind: drill$", text, re.M) is not None
        topic = path.parent.name
        officer = drill or topic in OFFICER_TOPICS or path.stem.endswith("-falv")
        assert stated.group(1) == ("officer" if officer else "teacher"), path.name


def test_the_label_shows_on_tier_and_topic_listings_and_the_lesson_page(site) -> None:
    curriculum, pages = site
    both = set()
    for tier_id in curriculum.curriculum.tiers:
        for topic_id in curriculum.curriculum.topics_of_tier(tier_id):
            for entry in curriculum.curriculum.lessons_for(tier_id, topic_id):
                label = LABELS[entry.model.taught_by]
                both.add(label)
                link = f"[{entry.model.title}]("
                for page in (paths.tier_path(tier_id), paths.topic_path(topic_id)):
                    lines = [line for line in pages[page].splitlines() if line.startswith(f"- {link}")]
                    assert lines, (page, entry.id)
                    assert all(f"分钟，{label}）" in line for line in lines), (page, lines)
                lesson_page = pages[paths.lesson_path(entry.id, tier_id)]
                assert f">授课</dt><dd>{label}</dd>" in lesson_page, entry.id
    assert both == set(LABELS.values()), "the library should have lessons of both kinds"
