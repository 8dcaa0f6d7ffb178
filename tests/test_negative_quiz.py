"""Negative quiz questions ("which is wrong"): the wording that needs `negative: true`, and the
printed answer key, which names the answer as the wrong act (× 错误做法) in red, never as the right answer."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import ROOT
from pypdf import PdfReader

from generator.curriculum import children_tier
from generator.printing import pdf
from generator.source.loading import ProjectPaths
from generator.source.quizstem import negative_wording
from generator.stationdata import load


@pytest.mark.parametrize("question, word", [
    ("看到同学落水，下面哪种做法是错误的？", "错误"),
    ("下列说法不正确的是？", "不正确"),
    ("遭到网络欺凌时，下列哪项做法不恰当？", "不恰当"),
    ("在路口等灯时，骑车人最不应该停在大货车的哪个位置？", "不应该"),
    ("下面哪件东西不适合抛给落水者？", "不适合"),
    ("以下哪种行为是不安全的？", "不安全"),
])
def test_a_stem_asking_for_the_wrong_choice_is_negative(question: str, word: str) -> None:
    assert negative_wording(question) == word


@pytest.mark.parametrize("question", [
    "着火时为什么不能乘电梯？",  # a reason, not a choice of acts
    "判断一样吃的能不能吃，最重要的是看什么？",
    "我们的儿歌里，没有大人在身边，玩水可不可以？",
    "已经给对方拍过几次照片，后来觉得不对劲，最好的做法是？",
    "学生崴了脚不能走，你已经叫了校医，接下来你应该？",
    "看到同学落水，你站在岸上，最先应该做什么？",
])
def test_an_ordinary_question_is_not_negative(question: str) -> None:
    assert negative_wording(question) is None


def test_the_library_has_no_negative_question_for_children_and_declares_the_others() -> None:
    curriculum = load(ProjectPaths.at(ROOT))
    declared = 0
    for entry in curriculum.curriculum.lessons.values():
        for tier, variant in entry.model.variants.items():
            for item in variant.quiz:
                negative = item.negative or negative_wording(item.question)
                assert not (negative and children_tier(curriculum.curriculum.tiers[tier])), (entry.id, tier, item.question)
                assert item.negative or not negative_wording(item.question), (entry.id, tier, item.question)
                declared += item.negative
    assert declared >= 1  # the answer key test below needs one


def _key_job(curriculum, lesson: str, tier: str) -> pdf.Job:
    return next(job for job in pdf.lesson_jobs(curriculum, "https://example.org/")
                if job.name == f"{lesson}/{tier}/quiz-key.pdf")


def test_the_answer_key_prints_a_negative_answer_as_the_wrong_act_in_red(tmp_path: Path) -> None:
    curriculum = load(ProjectPaths.at(ROOT))
    lesson, tier, number = next((e.id, t, n) for e in curriculum.curriculum.lessons.values() for t, v in e.model.variants.items()
                                for n, item in enumerate(v.quiz) if item.negative)
    quiz = curriculum.curriculum.lessons[lesson].model.variants[tier].quiz
    results = pdf.render_all([_key_job(curriculum, lesson, tier)], tmp_path, workers=1, progress=False, force=True)
    assert all(not r.problems for r in results), [r.problems for r in results]
    path = tmp_path / lesson / tier / "quiz-key.pdf"
    text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(path.read_bytes())).pages))
    item = quiz[number]
    letter = "ABCDEFGH"[item.answer - 1]
    wrong_act = re.sub(r"\s+", "", item.choices[item.answer - 1])
    assert f"×错误做法{letter}.{wrong_act}" in text, text
    assert f"答案：{letter}.{wrong_act}" not in text
    ordinary = sum(1 for other in quiz if not other.negative)
    assert text.count("答案：") == ordinary
    # The wrong act is printed in red: a red fill colour is set in the page's drawing operators.
    content = PdfReader(io.BytesIO(path.read_bytes())).pages[0].get_contents().get_data().decode("latin-1")
    fills = [tuple(float(v) for v in m) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", content)]
    assert any(r > 0.6 and g < 0.35 and b < 0.35 for r, g, b in fills), fills
