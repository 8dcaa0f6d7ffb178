"""The 知识竞赛 presenter in a real browser: Debian's Chromium driven by Playwright, at 1280×720.

A lesson round over http (teams, answers hidden until revealed, points, scoreboard), the
keyboard a presenter clicker uses, a kindergarten (oral) round, a topic's mixed round, and the
same from the offline bundle over file:// with no request leaving it. Screenshots go to
test-artifacts/present/.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import CHROMIUM, FIXTURE, ROOT, mkdocs_build, serve

from generator.site.mdtext import strip_citations
from generator.site.present import script_json
from generator.source.loading import ProjectPaths
from generator.stationdata import load

ARTIFACTS = ROOT / "test-artifacts" / "present"
PROJECTOR = {"width": 1280, "height": 720}

LESSON, TIER = "shuadan-fanli", "senior-high"
ORAL_LESSON = "hao-pengyou"
TOPIC, TOPIC_TIER = "anti-fraud", "junior-high"

if not CHROMIUM.is_file():
    pytest.fail("browser tests need Chromium: run `sh tests/system-deps.sh`", pytrace=False)

from playwright.sync_api import Browser, Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def curriculum():
    return load(ProjectPaths.at(ROOT))


@pytest.fixture
def requests_seen() -> list[str]:
    return []


@pytest.fixture
def tab(browser: Browser, requests_seen: list[str]):
    context = browser.new_context(viewport=PROJECTOR, locale="zh-CN")
    tab = context.new_page()
    tab.on("request", lambda request: requests_seen.append(request.url))
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, errors


def shown(text: object) -> str:
    """Author text as the projector shows it: without citations and bold marks."""
    return " ".join(strip_citations(str(text)).replace("**", "").split())


def screenshot(tab: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def visible_text(tab: Page) -> str:
    return tab.locator("body").inner_text()


def set_teams(tab: Page, names: list[str]) -> None:
    tab.select_option("#hx-team-count", str(len(names)))
    inputs = tab.locator(".hx-team-names input[type=text]")
    expect(inputs).to_have_count(len(names))
    for i, name in enumerate(names):
        inputs.nth(i).fill(name)


def play_round(tab: Page, quiz: list, awards: dict[int, list[int]], prefix: str) -> None:
    """Step through every question with PageDown (reveal, then next), checking that neither the
    answer nor its explanation is in the page before the reveal, awarding `awards[question]`."""
    for number, item in enumerate(quiz):
        expect(tab.locator(".hx-number")).to_have_text(f"第 {number + 1} 题")
        text = visible_text(tab)
        assert shown(item.explanation) not in text and "✔" not in text
        assert item.choices or shown(item.answer) not in text
        expect(tab.locator(".hx-answer, .hx-correct")).to_have_count(0)
        expect(tab.locator(".hx-team").first).to_be_disabled()
        if number == 0:
            screenshot(tab, f"{prefix}-question")
        tab.keyboard.press("PageDown")  # the clicker's forward button: reveal first
        expect(tab.locator(".hx-explanation")).to_have_text(shown(item.explanation))
        expect(tab.locator(".hx-answer-text")).to_have_text(f"参考答案：{shown(item.answer)}" if not item.choices
                                                            else f"答案 {'ABCDEFGH'[item.answer - 1]}")
        # The revealed question fits the projector without scrolling.
        assert tab.locator("#hx-stage").evaluate("e => e.scrollHeight <= e.clientHeight"), number
        for team in awards.get(number, []):
            tab.keyboard.press(str(team))
        if number == 0:
            screenshot(tab, f"{prefix}-revealed")
        tab.keyboard.press("PageDown")


def test_lesson_round_hides_answers_until_revealed_and_keeps_score(tab: Page, server: str, curriculum,
                                                                    requests_seen: list[str]) -> None:
    quiz = curriculum.curriculum.lessons[LESSON].model.variants[TIER].quiz
    assert len(quiz) >= 3
    tab.goto(f"{server}/lessons/{LESSON}/{TIER}/")
    expect(tab.get_by_role("link", name="课堂竞赛（投影）")).to_have_attribute("href", "present/")
    tab.locator(".hx-printbar a", has_text="课堂竞赛").click()  # the print bar under the title leads there too
    expect(tab.locator("h1")).to_have_text(curriculum.curriculum.lessons[LESSON].model.title)
    set_teams(tab, ["红队", "蓝队", "绿队"])
    screenshot(tab, "lesson-setup")
    tab.get_by_role("button", name="开始竞赛 →").click()
    expect(tab.locator(".hx-choice")).to_have_count(len(quiz[0].choices))
    expect(tab.locator(".hx-letter").first).to_have_text("A")
    # Large type from the back row: question ≥ 40px, choices ≥ 32px at 1280×720.
    assert float(tab.locator(".hx-question").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 40
    assert float(tab.locator(".hx-choice").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 32
    play_round(tab, quiz, {0: [1], 1: [1, 2], len(quiz) - 1: [3, 1]}, "lesson")
    expect(tab.locator(".hx-scoreboard")).to_be_visible()
    rows = tab.locator(".hx-scoreboard tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("红队")
    expect(rows.nth(0).locator(".hx-score")).to_have_text("30")
    expect(tab.locator('.hx-scoreboard tr[data-team="2"] .hx-score')).to_have_text("10")
    expect(tab.locator('.hx-scoreboard tr[data-team="3"] .hx-score')).to_have_text("10")
    # 蓝队 and 绿队 share second place.
    expect(tab.locator('.hx-scoreboard tr[data-team="2"] .hx-rank')).to_have_text("2")
    expect(tab.locator('.hx-scoreboard tr[data-team="3"] .hx-rank')).to_have_text("2")
    screenshot(tab, "lesson-scoreboard")
    host = urlparse(server).hostname
    assert all(urlparse(u).hostname == host for u in requests_seen), requests_seen


def test_keyboard_navigation_timer_and_scoreboard(tab: Page, server: str, curriculum) -> None:
    quiz = curriculum.curriculum.lessons[LESSON].model.variants[TIER].quiz
    tab.goto(f"{server}/lessons/{LESSON}/{TIER}/present/")
    tab.keyboard.press("Enter")  # starts with the default teams (第一组…第三组)
    expect(tab.locator(".hx-team")).to_have_count(3)
    expect(tab.locator(".hx-team").first).to_contain_text("第一组")
    tab.keyboard.press("1")  # before the reveal: no point, a hint instead
    expect(tab.locator("#hx-help")).to_contain_text("先揭晓答案")
    expect(tab.locator(".hx-awarded")).to_have_count(0)
    tab.keyboard.press("ArrowRight")  # reveal
    expect(tab.locator(".hx-correct")).to_have_count(1)
    expect(tab.locator(".hx-correct")).to_contain_text(quiz[0].choices[quiz[0].answer - 1])
    tab.keyboard.press("ArrowRight")  # next
    expect(tab.locator(".hx-number")).to_have_text("第 2 题")
    expect(tab.locator(".hx-answer")).to_have_count(0)
    tab.keyboard.press("PageUp")  # back: question 1 stays revealed
    expect(tab.locator(".hx-number")).to_have_text("第 1 题")
    expect(tab.locator(".hx-answer")).to_have_count(1)
    tab.keyboard.press("2")
    tab.keyboard.press("2")  # a second press takes the point back
    tab.keyboard.press("3")
    expect(tab.locator(".hx-awarded")).to_have_count(1)
    expect(tab.locator(".hx-team").nth(2)).to_contain_text("10 分")
    tab.keyboard.press("ArrowRight")
    tab.keyboard.press(" ")  # space reveals question 2
    expect(tab.locator(".hx-answer")).to_have_count(1)
    tab.keyboard.press("PageDown")
    expect(tab.locator(".hx-number")).to_have_text("第 3 题")
    # The countdown: T starts it, T stops it.
    expect(tab.locator("#hx-timer")).to_have_text("倒计时 30 秒")
    tab.keyboard.press("t")
    expect(tab.locator("#hx-timer")).to_have_text("倒计时 29 秒", timeout=3000)
    tab.keyboard.press("T")
    stopped = tab.locator("#hx-timer").inner_text()
    tab.wait_for_timeout(1300)
    expect(tab.locator("#hx-timer")).to_have_text(stopped)
    # S shows the scoreboard and back; a reload keeps the round (sessionStorage).
    tab.keyboard.press("s")
    expect(tab.locator('.hx-scoreboard tr[data-team="3"] .hx-score')).to_have_text("10")
    tab.keyboard.press("S")
    expect(tab.locator(".hx-number")).to_have_text("第 3 题")
    tab.reload()
    expect(tab.locator(".hx-number")).to_have_text("第 3 题")
    expect(tab.locator(".hx-team").nth(2)).to_contain_text("10 分")
    # F: full screen and back.
    tab.keyboard.press("f")
    tab.wait_for_function("document.fullscreenElement === document.documentElement")
    tab.keyboard.press("F")
    tab.wait_for_function("document.fullscreenElement === null")


def test_enter_in_a_setup_field_does_not_start_the_round(tab: Page, server: str) -> None:
    tab.goto(f"{server}/lessons/{LESSON}/{TIER}/present/")
    names = tab.locator(".hx-team-names input[type=text]")
    names.first.fill("红队")
    names.first.press("Enter")  # moves on to the team's size, the round has not started
    expect(tab.locator(".hx-setup")).to_be_visible()
    expect(tab.locator(".hx-pupils").first).to_be_focused()
    tab.locator(".hx-pupils").first.press("Enter")
    expect(tab.locator(".hx-team-names input[type=text]").nth(1)).to_be_focused()
    tab.select_option("#hx-points", "5")
    tab.locator("#hx-points").press("Enter")
    expect(tab.locator(".hx-setup")).to_be_visible()
    tab.get_by_role("button", name="开始竞赛 →").click()
    expect(tab.locator(".hx-number")).to_have_text("第 1 题")
    expect(tab.locator(".hx-team").first).to_contain_text("红队")
    # The hint for a point given too early goes away with the reveal: the key line is back.
    tab.keyboard.press("1")
    expect(tab.locator("#hx-help")).to_contain_text("先揭晓答案")
    tab.keyboard.press("PageDown")
    expect(tab.locator("#hx-help")).not_to_contain_text("先揭晓答案")
    expect(tab.locator("#hx-help")).to_contain_text("PageDown")
    tab.keyboard.press("1")
    expect(tab.locator(".hx-team").first).to_contain_text("5 分")


def test_scoreboard_counts_pupils_for_the_record_form(tab: Page, server: str, curriculum) -> None:
    """Teams of 12, 10 and 8 pupils: the first answers every question, the second just enough for
    及格 (60%), the third none; the record form's counts follow, and say they are by team."""
    questions = len(curriculum.curriculum.lessons[LESSON].model.variants[TIER].quiz)
    enough = -(-questions * 6 // 10)
    assert 0 < enough < questions
    tab.goto(f"{server}/lessons/{LESSON}/{TIER}/present/")
    for i, size in enumerate([12, 10]):
        tab.locator(".hx-pupils").nth(i).fill(str(size))
    tab.get_by_role("button", name="开始竞赛 →").click()
    for number in range(questions):
        tab.keyboard.press("PageDown")
        tab.keyboard.press("1")
        if number < enough:
            tab.keyboard.press("2")
        tab.keyboard.press("PageDown")
    record = tab.locator(".hx-record")
    expect(record).to_contain_text("填上每队人数")  # the third team's size is missing: no guess
    expect(tab.locator("#hx-record-counts")).to_have_count(0)
    expect(tab.locator('.hx-scoreboard tr[data-team="2"] .hx-right')).to_have_text(f"{enough}/{questions}")
    record.get_by_label("第三组人数").fill("8")
    expect(tab.locator("#hx-record-counts")).to_have_text("参与 30 人 · 及格 22 人 · 优秀 12 人")
    expect(record).to_contain_text("quiz: {took_part: 30, passed: 22, excellent: 12}")
    expect(record).to_contain_text("不是每个学生的个人成绩")
    assert tab.locator("#hx-stage").evaluate("e => e.scrollHeight <= e.clientHeight")
    screenshot(tab, "scoreboard-record-counts")


def test_kindergarten_round_is_oral(tab: Page, server: str, curriculum) -> None:
    quiz = curriculum.curriculum.lessons[ORAL_LESSON].model.variants["kindergarten"].quiz
    assert quiz and all(item.choices is None for item in quiz)
    tab.goto(f"{server}/lessons/{ORAL_LESSON}/kindergarten/present/")
    tab.get_by_role("button", name="开始竞赛 →").click()
    expect(tab.locator(".hx-question")).to_have_text(shown(quiz[0].question))
    expect(tab.locator(".hx-choices, .hx-choice")).to_have_count(0)
    expect(tab.locator(".hx-oral")).to_contain_text("请老师读题")
    assert shown(quiz[0].answer) not in visible_text(tab)
    screenshot(tab, "kindergarten-question")
    tab.keyboard.press("Enter")
    expect(tab.locator(".hx-answer-text")).to_have_text(f"参考答案：{shown(quiz[0].answer)}")
    screenshot(tab, "kindergarten-revealed")


def test_topic_round_holds_every_quiz_of_the_tier(tab: Page, server: str, curriculum) -> None:
    lessons = curriculum.curriculum.lessons_for(TOPIC_TIER, TOPIC)
    assert len(lessons) >= 2
    expected = [(e.model.title, item) for e in lessons for item in e.model.variants[TOPIC_TIER].quiz]
    tab.goto(f"{server}/topics/{TOPIC}/")
    tier_name = curriculum.curriculum.tiers[TOPIC_TIER].name
    section = tab.locator(f"article h2:has-text('{tier_name}') ~ p a", has_text="课堂竞赛（投影）").first
    section.click()
    # A click does not wait for the new page's scripts (they come last): a key pressed before
    # present.js runs is lost, which a busy machine showed.
    tab.wait_for_load_state("load")
    expect(tab.locator(".hx-present-tier")).to_have_text(tier_name)
    expect(tab.locator(".hx-present-sub")).to_contain_text(f"共 {len(expected)} 题")
    tab.keyboard.press("Enter")
    for number, (title, item) in enumerate(expected):
        expect(tab.locator(".hx-number")).to_have_text(f"第 {number + 1} 题")
        expect(tab.locator(".hx-lesson")).to_have_text(title)
        expect(tab.locator(".hx-question")).to_have_text(shown(item.question))
        if number == len(lessons[0].model.variants[TOPIC_TIER].quiz):
            screenshot(tab, "topic-question")
        tab.keyboard.press("PageDown")
        tab.keyboard.press("PageDown")
    expect(tab.locator(".hx-scoreboard")).to_be_visible()


def test_round_from_the_offline_bundle_over_file_urls(tab: Page, bundle_dir: Path, curriculum,
                                                       requests_seen: list[str]) -> None:
    quiz = curriculum.curriculum.lessons[LESSON].model.variants[TIER].quiz
    tab.goto((bundle_dir / "lessons" / LESSON / f"{TIER}.html").as_uri())
    # The lesson page's links to its print documents and presenter name files that exist (links
    # made while directory URLs were still on ended in "handout/", a folder that is not there).
    for name in ("学生讲义", "知识竞赛题", "课堂竞赛（投影）"):
        href = tab.locator("article a", has_text=name).last.get_attribute("href") or ""
        assert href.endswith("index.html") and (bundle_dir / "lessons" / LESSON / href).is_file(), (name, href)
    tab.get_by_role("link", name="课堂竞赛（投影）").click()
    assert tab.url.startswith("file://") and tab.url.endswith("/present/index.html")
    set_teams(tab, ["一班", "二班"])
    tab.get_by_role("button", name="开始竞赛 →").click()  # Enter in the name field would only move on
    play_round(tab, quiz, {0: [2]}, "bundle")
    expect(tab.locator('.hx-scoreboard tr[data-team="2"] .hx-score')).to_have_text("10")
    expect(tab.locator(".hx-scoreboard tbody tr").first).to_contain_text("二班")
    screenshot(tab, "bundle-scoreboard")
    tab.get_by_role("link", name="← 返回课程").click()
    assert tab.url.endswith(f"/lessons/{LESSON}/{TIER}.html")
    assert requests_seen and all(u.startswith("file://") for u in requests_seen), requests_seen


def test_round_data_cannot_end_its_script_element() -> None:
    hostile = {"question": "</script><script>alert(1)</script><!-- & \u2028"}
    text = str(script_json(hostile))
    assert "</" not in text and "<!--" not in text and "&" not in text
    assert json.loads(text) == hostile


@pytest.mark.parametrize("screen", ["setup", "question", "revealed", "scoreboard"])
def test_no_serious_accessibility_violations(tab: Page, server: str, screen: str) -> None:
    axe = ROOT / "tests" / ".npm" / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.is_file():
        pytest.fail("accessibility checks need axe-core: run `sh tests/system-deps.sh`", pytrace=False)
    tab.goto(f"{server}/lessons/{LESSON}/{TIER}/present/")
    keys = {"setup": [], "question": ["Enter"], "revealed": ["Enter", "Enter", "1"], "scoreboard": ["Enter", "s"]}
    for key in keys[screen]:
        tab.keyboard.press(key)
    tab.add_script_tag(path=str(axe))
    violations = tab.evaluate("async () => (await axe.run(document)).violations"
                              ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                              " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes']}" for v in serious)


def test_every_quiz_has_a_round_page_whose_answers_are_only_data(starter_site: Path, curriculum) -> None:
    pages = 0
    for entry in curriculum.curriculum.lessons.values():
        for tier in entry.model.tiers:
            quiz = entry.model.variants[tier].quiz
            page = starter_site / "lessons" / entry.id / tier / "present" / "index.html"
            lesson_page = (starter_site / "lessons" / entry.id / tier / "index.html").read_text(encoding="utf-8")
            assert page.is_file() == bool(quiz) == ('href="present/"' in lesson_page), (entry.id, tier)
            if not quiz:
                continue
            pages += 1
            html = page.read_text(encoding="utf-8")
            before, data, after = _split_data(html)
            round_ = json.loads(data)
            assert [q["question"] for q in round_["questions"]] == [shown(item.question) for item in quiz]
            for item in quiz:
                assert shown(item.explanation) not in before + after
    assert pages > 100
    for topic in curriculum.curriculum.topics:
        for tier in curriculum.curriculum.tiers:
            quizzes = [item for e in curriculum.curriculum.lessons_for(tier, topic) for item in e.model.variants[tier].quiz]
            page = starter_site / "topics" / topic / tier / "present" / "index.html"
            assert page.is_file() == bool(quizzes), (topic, tier)
            if quizzes:
                assert len(json.loads(_split_data(page.read_text(encoding="utf-8"))[1])["questions"]) == len(quizzes)


def _split_data(html: str) -> tuple[str, str, str]:
    start = '<script type="application/json" id="hx-round">'
    before, rest = html.split(start)
    data, after = rest.split("</script>", 1)
    return before, data, after


def test_eight_teams_and_the_longest_question_fit_the_projector(tab: Page, server: str, curriculum) -> None:
    """The question with the most text (question, choices, explanation), revealed, with eight teams,
    and the eight-team scoreboard need no scrolling at 1280×720."""
    def size(item) -> int:
        return len(shown(item.question)) * 3 + sum(len(c) for c in item.choices or []) * 2 + len(shown(item.explanation))

    _, lesson, tier, number = max((size(item), e.id, t, n) for e in curriculum.curriculum.lessons.values()
                                  for t in e.model.tiers for n, item in enumerate(e.model.variants[t].quiz))
    tab.goto(f"{server}/lessons/{lesson}/{tier}/present/")
    tab.select_option("#hx-team-count", "8")
    tab.keyboard.press("PageDown")
    for _ in range(number):
        tab.keyboard.press("PageDown")
        tab.keyboard.press("PageDown")
    tab.keyboard.press("PageDown")
    expect(tab.locator(".hx-number")).to_have_text(f"第 {number + 1} 题")
    expect(tab.locator(".hx-team")).to_have_count(8)
    expect(tab.locator(".hx-answer")).to_have_count(1)
    tab.keyboard.press("8")
    screenshot(tab, "longest-question-eight-teams")
    assert tab.locator("#hx-stage").evaluate("e => e.scrollHeight <= e.clientHeight")
    tab.keyboard.press("s")
    expect(tab.locator(".hx-scoreboard tbody tr")).to_have_count(8)
    assert tab.locator("#hx-stage").evaluate("e => e.scrollHeight <= e.clientHeight")
    screenshot(tab, "scoreboard-eight-teams")


# A "which is wrong" question (negative: true) put into the fixture project's university quiz.
NEGATIVE_LESSON, NEGATIVE_TIER = "qiuzhu-dianhua", "university"
SAFE_ACT, UNSAFE_ACT = "96110 来电时接听，听它劝阻", "把自己的银行卡借给网友收款"


@pytest.fixture(scope="module")
def negative_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = tmp_path_factory.mktemp("negative") / "project"
    shutil.copytree(FIXTURE, project)
    shutil.copytree(ROOT / "content" / "stylesheets", project / "content" / "stylesheets")
    lesson = project / "lessons" / "demo" / f"{NEGATIVE_LESSON}.yml"
    ordinary = "      - {question: 刷单是否可信"
    negative = (f"      - {{question: 下面哪种做法是错误的？, negative: true, choices: [{SAFE_ACT}, {UNSAFE_ACT}], "
                "answer: 2, explanation: 出借银行卡是帮骗子收钱}\n")
    text = lesson.read_text(encoding="utf-8")
    assert ordinary in text
    lesson.write_text(text.replace(ordinary, negative + ordinary, 1), encoding="utf-8")
    site = mkdocs_build(project, project / "site", extra_css=["stylesheets/huxiao.css"])
    with serve(site) as url:
        yield url


def _red(colour: str) -> bool:
    red, green, blue = (int(part) for part in colour[colour.index("(") + 1:].rstrip(")").split(",")[:3])
    return red > 150 and green < 80 and blue < 80


def test_a_negative_questions_answer_is_revealed_as_the_wrong_act_in_red(tab: Page, negative_server: str) -> None:
    tab.goto(f"{negative_server}/lessons/{NEGATIVE_LESSON}/{NEGATIVE_TIER}/present/")
    tab.keyboard.press("Enter")
    expect(tab.locator(".hx-question")).to_have_text("下面哪种做法是错误的？")
    tab.keyboard.press("Enter")  # reveal
    unsafe = tab.locator(".hx-choice.hx-unsafe")
    expect(unsafe).to_have_count(1)
    expect(unsafe).to_contain_text(UNSAFE_ACT)
    expect(unsafe.locator(".hx-tick")).to_have_text("✘ 错误做法")
    expect(tab.locator(".hx-correct")).to_have_count(0)
    expect(tab.locator(".hx-answer-text")).to_have_text("错误做法 B")
    assert _red(unsafe.evaluate("e => getComputedStyle(e).backgroundColor"))
    assert _red(tab.locator(".hx-answer-text").evaluate("e => getComputedStyle(e).color"))
    text = visible_text(tab)
    assert "正确" not in text and "✔" not in text, text
    screenshot(tab, "negative-revealed")
    # The next, ordinary question still shows its answer as 正确, in green.
    tab.keyboard.press("PageDown")
    tab.keyboard.press("PageDown")
    expect(tab.locator(".hx-correct .hx-tick")).to_have_text("✔ 正确")
    expect(tab.locator(".hx-unsafe")).to_have_count(0)


def test_the_lesson_pages_answers_mark_a_negative_questions_answer_as_the_wrong_act(
        tab: Page, negative_server: str) -> None:
    tab.goto(f"{negative_server}/lessons/{NEGATIVE_LESSON}/{NEGATIVE_TIER}/")
    tab.locator("details.officer summary", has_text="讲师备课：答案与解析").click()
    answers = tab.locator("details.officer", has_text="答案与解析").locator("li")
    expect(answers.first.locator("strong")).to_have_text(f"✘ 错误做法 B. {UNSAFE_ACT}")
    assert _red(answers.first.locator("strong").evaluate("e => getComputedStyle(e).color"))
    expect(answers.nth(1).locator("strong")).to_have_text("B. 都是诈骗")
    assert "✘" not in answers.nth(1).inner_text()
    screenshot(tab, "negative-lesson-page")
