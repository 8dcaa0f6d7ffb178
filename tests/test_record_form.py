"""The term-record form (/records/form/) in a real browser: Debian's Chromium driven by Playwright.

The fixture project is built into a temporary folder and the form opened from file://, as in the
offline bundle. An officer's lecture and drill are typed in, the form points out a date outside
the term, 实到 > 应到 and an all-clear before the signal, they are fixed, and the YAML the page
shows (and downloads) is written into a copy of the project: `huxiao validate` passes and the
loaded record holds the values typed, hostile text included. Screenshots go to
test-artifacts/record-form/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import CHROMIUM, ROOT, run_cli

from generator.site.recordform import form_data
from generator.source.loading import ProjectPaths
from generator.stationdata import load

NPM = ROOT / "tests" / ".npm" / "node_modules"
ARTIFACTS = ROOT / "test-artifacts" / "record-form"
TERM = "2026-spring"
# What an officer might type into free text: quotes, a colon and a hash, YAML and HTML syntax.
HOSTILE_NOTE = '家长会后 "补讲": #2 <script>alert(1)</script> {{x}} - [x] yes: no'
HOSTILE_PROBLEM = '楼梯口拥堵: "东侧"\n第二行 #注释? - 项 \'单引号\' \\ 反斜杠 \t制表'

if not CHROMIUM.is_file() or not (NPM / "axe-core" / "axe.min.js").is_file():
    pytest.fail("browser tests need Chromium and axe-core: run `sh tests/system-deps.sh`", pytrace=False)

from playwright.sync_api import Browser, Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def built(prebuilt_fixture: Path) -> Path:
    """The fixture project with its public site built into site/ (shared, read only)."""
    return prebuilt_fixture


def open_form(browser: Browser, built: Path, width: int = 1280, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", accept_downloads=True)
    tab = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto((built / "site" / "records" / "form" / "index.html").as_uri())
    expect(tab.locator("article h1")).to_contain_text("填写工作记录")
    tab.select_option("#hx-rf-term", TERM)
    return context, tab, requests, errors


def field(tab: Page, path: str):
    return tab.locator(f'[data-path="{path}"]')


def message(tab: Page, path: str):
    return tab.locator(f'[data-msg="{path}"]')


def shot(tab: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_existing(tab: Page, built: Path, school: str):
    """Open the school's term file in the form, as the page asks; returns that file's record."""
    path = built / "records" / TERM / f"{school}.yml"
    tab.set_input_files("#hx-rf-file", str(path))
    expect(tab.locator(".hx-rf-head")).to_contain_text(f"已打开 {school}.yml")
    return load(ProjectPaths.at(built)).terms[TERM].record(school)


def yaml_of(tab: Page) -> str:
    return tab.locator("#hx-rf-yaml").inner_text()


def validate_with(built: Path, tmp_path: Path, school: str, text: str):
    """The project copied, `text` as the school's record of the term, validated and loaded."""
    project = tmp_path / "project"
    shutil.copytree(built, project, ignore=shutil.ignore_patterns("site", ".cache"))
    (project / "records" / TERM / f"{school}.yml").write_text(text, encoding="utf-8")
    result = run_cli("-C", str(project), "validate")
    assert result.returncode == 0, result.stdout + result.stderr + "\n" + text
    return load(ProjectPaths.at(project)).terms[TERM].record(school)


def test_a_lecture_typed_in_the_form_validates_and_loads(browser: Browser, built: Path, tmp_path: Path) -> None:
    context, tab, requests, errors = open_form(browser, built)
    tab.select_option("#hx-rf-school", "ceshi-primary")
    before = open_existing(tab, built, "ceshi-primary")
    tab.click("[data-add=lectures]")
    field(tab, "lectures.0.date").fill("2025-12-01")
    field(tab, "lectures.0.lesson").select_option("qiuzhu-dianhua")
    field(tab, "lectures.0.tier").select_option("primary-upper")
    field(tab, "lectures.0.audience").fill("300")
    expect(message(tab, "lectures.0.date")).to_contain_text("不在本学期内（2026-02-15 至 2026-07-15）")
    expect(tab.get_by_role("button", name="复制 YAML")).to_be_disabled()
    field(tab, "lectures.0.date").fill("2026-04-20")
    expect(message(tab, "lectures.0.date")).to_have_text("")
    field(tab, "lectures.0.form").select_option("知识竞赛")
    tab.locator("#hx-rf-lectures-0-quiz-on").check()
    field(tab, "lectures.0.quiz.took_part").fill("280")
    field(tab, "lectures.0.quiz.passed").fill("290")
    expect(message(tab, "lectures.0.quiz.passed")).to_contain_text("及格人数多于参与人数")
    field(tab, "lectures.0.quiz.passed").fill("250")
    field(tab, "lectures.0.quiz.excellent").fill("90")
    field(tab, "lectures.0.periods").fill("2")
    field(tab, "lectures.0.note").fill(HOSTILE_NOTE)
    expect(tab.locator(".hx-rf-status")).to_contain_text("检查通过")
    shot(tab, "lecture-1280")
    text = yaml_of(tab)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab.get_by_role("button", name="复制 YAML").click()
    expect(tab.locator(".hx-rf-copied")).to_have_text("已复制")
    assert tab.evaluate("navigator.clipboard.readText()") == text
    with tab.expect_download() as download:
        tab.get_by_role("button", name="下载文件").click()
    assert download.value.suggested_filename == "ceshi-primary.yml"
    assert Path(download.value.path()).read_text(encoding="utf-8") == text
    context.close()
    assert not errors, errors
    assert all(u.startswith(("file://", "blob:", "data:")) for u in requests), requests

    record = validate_with(built, tmp_path, "ceshi-primary", text)
    *kept, lecture = record.lectures
    assert kept == before.lectures
    assert (lecture.date, lecture.lesson, lecture.tier, lecture.audience, lecture.periods, lecture.form) == (
        dt.date(2026, 4, 20), "qiuzhu-dianhua", "primary-upper", 300, 2, "知识竞赛")
    assert lecture.quiz is not None and (lecture.quiz.took_part, lecture.quiz.passed, lecture.quiz.excellent) == (280, 250, 90)
    assert lecture.note == HOSTILE_NOTE


def test_a_drill_typed_in_the_form_validates_and_loads(browser: Browser, built: Path, tmp_path: Path) -> None:
    context, tab, _, errors = open_form(browser, built)
    tab.select_option("#hx-rf-school", "ceshi-kindergarten")
    before = open_existing(tab, built, "ceshi-kindergarten")
    tab.click("[data-add=drills]")
    field(tab, "drills.0.date").fill("2026-05-06")
    field(tab, "drills.0.lesson").select_option("chonwu-anquan")
    field(tab, "drills.0.tier").select_option("kindergarten")
    field(tab, "drills.0.groups").fill("小一班、小二班")
    field(tab, "drills.0.mode").select_option("unannounced")
    field(tab, "drills.0.signal").fill("10：00")  # as typed on a Chinese keyboard
    field(tab, "drills.0.all_clear").fill("09:59:00")
    field(tab, "drills.0.participants").fill("60")
    expect(message(tab, "drills.0.all_clear")).to_contain_text("集合完毕时刻应在信号之后")
    field(tab, "drills.0.all_clear").fill("10:02:10")
    tab.get_by_role("button", name="＋ 添加一条清点人数（内部）").click()
    field(tab, "drills.0.headcount.0.group").fill("小一班")
    field(tab, "drills.0.headcount.0.expected").fill("30")
    field(tab, "drills.0.headcount.0.present").fill("31")
    expect(message(tab, "drills.0.headcount.0.present")).to_contain_text("实到人数（31）多于应到人数（30）")
    expect(tab.locator(".hx-rf-status")).to_contain_text("要填写或改正")
    shot(tab, "drill-errors-1280")
    field(tab, "drills.0.headcount.0.present").fill("29")
    field(tab, "drills.0.headcount.0.excused").fill("1")
    tab.get_by_role("button", name="＋ 添加一条发现的问题及整改（内部）").click()
    field(tab, "drills.0.problems.0.problem").fill(HOSTILE_PROBLEM)
    field(tab, "drills.0.problems.0.owner").fill("总务处")
    field(tab, "drills.0.problems.0.due").fill("2026-05-01")
    expect(message(tab, "drills.0.problems.0.due")).to_contain_text("整改期限早于当天")
    field(tab, "drills.0.problems.0.due").fill("2026-05-20")
    field(tab, "drills.0.problems.0.fixed").fill("2026-05-18")
    expect(tab.locator(".hx-rf-status")).to_contain_text("检查通过")
    shot(tab, "drill-1280")
    text = yaml_of(tab)
    context.close()
    assert not errors, errors

    assert 'signal: "10:00:00"' in text
    record = validate_with(built, tmp_path, "ceshi-kindergarten", text)
    *kept, drill = record.drills
    assert kept == before.drills
    assert (drill.date, drill.lesson, drill.tier, drill.groups, drill.mode, drill.live) == (
        dt.date(2026, 5, 6), "chonwu-anquan", "kindergarten", ["小一班", "小二班"], "unannounced", True)
    assert (drill.signal, drill.all_clear, drill.seconds, drill.participants) == ("10:00:00", "10:02:10", 130, 60)
    [count] = drill.headcount
    assert (count.group, count.expected, count.present, count.excused) == ("小一班", 30, 29, 1)
    [problem] = drill.problems
    assert problem.problem == HOSTILE_PROBLEM.strip()
    assert (problem.owner, problem.due, problem.fixed) == ("总务处", dt.date(2026, 5, 20), dt.date(2026, 5, 18))


def test_duty_on_a_point_the_public_build_does_not_name(browser: Browser, built: Path, tmp_path: Path) -> None:
    """The public form lists only published patrol points; the fixture school's p1 is not one, yet
    a 护学岗 week on it is a valid record: the form must not refuse it."""
    context, tab, _, errors = open_form(browser, built)
    tab.select_option("#hx-rf-school", "ceshi-primary")
    open_existing(tab, built, "ceshi-primary")
    tab.click("[data-add=duty]")
    field(tab, "duty.0.start").fill("2026-07-13")
    field(tab, "duty.0.days").fill("5")
    expect(message(tab, "duty.0.days")).to_contain_text("超出了学期最后一天 2026-07-15")
    field(tab, "duty.0.start").fill("2026-03-09")
    field(tab, "duty.0.point").fill("p1")
    field(tab, "duty.0.band").select_option("上学")
    field(tab, "duty.0.officer_times").fill("2")
    field(tab, "duty.0.volunteers").fill("3")
    expect(tab.locator(".hx-rf-status")).to_contain_text("检查通过")
    text = yaml_of(tab)
    context.close()
    assert not errors, errors
    [duty] = validate_with(built, tmp_path, "ceshi-primary", text).duty
    assert (duty.start, duty.days, duty.point, duty.band, duty.officer_times, duty.vehicle_runs, duty.volunteers) == (
        dt.date(2026, 3, 9), 5, "p1", "上学", 2, 0, 3)


def test_the_form_on_a_phone(browser: Browser, built: Path) -> None:
    context, tab, _, errors = open_form(browser, built, 390, 844)
    tab.select_option("#hx-rf-school", "ceshi-kindergarten")
    tab.click("[data-add=drills]")
    field(tab, "drills.0.date").fill("2026-08-01")
    expect(message(tab, "drills.0.date")).to_contain_text("不在本学期内")
    tab.click("[data-add=duty]")
    width = tab.evaluate("document.documentElement.scrollWidth")
    shot(tab, "phone-390")
    context.close()
    assert not errors, errors
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_the_form_has_no_serious_accessibility_violations(browser: Browser, built: Path) -> None:
    context, tab, _, _ = open_form(browser, built)
    tab.select_option("#hx-rf-school", "ceshi-primary")
    tab.click("[data-add=lectures]")
    tab.click("[data-add=duty]")
    tab.add_script_tag(path=str(NPM / "axe-core" / "axe.min.js"))
    violations = tab.evaluate("async () => (await axe.run(document.querySelector('article'))).violations"
                              ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                              " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
    context.close()
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes']}" for v in serious)


def test_the_form_data_is_public_and_comes_from_the_models(built: Path) -> None:
    """The inlined JSON: the record model's schema, the terms, schools and lessons; of the school's
    patrol points only those the station publishes (the fixture's p1 is not public)."""
    html = (built / "site" / "records" / "form" / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="hx-record-form-data">(.*?)</script>', html, re.S)
    assert match
    data = json.loads(match.group(1))
    assert data == json.loads(json.dumps(form_data(load(ProjectPaths.at(built)))))
    assert data["schema"]["$defs"]["Headcount"]["required"] == ["group", "expected", "present"]
    assert data["terms"][TERM] == {"name": "2026年春季学期", "first_day": "2026-02-15", "last_day": "2026-07-15"}
    primary = next(s for s in data["schools"] if s["id"] == "ceshi-primary")
    assert primary["points"] == [] and "测试点位" not in html
    assert "internal" not in json.dumps(data["schools"])


# Text YAML could read as something else if it were written plain, or that needs escaping.
AWKWARD = ["yes", "No", "null", "~", "true", "123", "0x1F", "1e3", "09:20:05", "2026-05-06", "- 项", "? 问", ": 冒号",
           "@at", "`反引号`", "|", ">", "%YAML", "&锚 *别名", "!tag", "#注释", "a: b", "a #b", "[1, 2]", "{a: 1}",
           "'单'", '"双"', "反\\斜杠", "行一\n行二", "制\t表", "全角：＃", "\u00a0不换行空格", "表情😀",
           "</script><script>alert(1)</script>", "{{ 7*7 }}{% raw %}"]


def test_the_yaml_emitter_keeps_awkward_text_as_typed(browser: Browser, built: Path) -> None:
    """The problem field is free text (Text, line breaks allowed): whatever is typed comes back
    from the YAML the page writes as the same string, read by the project's own YAML reader."""
    from generator.source import yamlfile

    context, tab, _, errors = open_form(browser, built)
    tab.select_option("#hx-rf-school", "ceshi-kindergarten")
    open_existing(tab, built, "ceshi-kindergarten")
    tab.click("[data-add=inspections]")
    tab.get_by_role("button", name="＋ 添加一条发现的隐患及整改（内部）").click()
    for text in AWKWARD:
        typed = f"甲{text}乙"
        field(tab, "inspections.0.findings.0.problem").fill(typed)
        data = yamlfile.parse(yaml_of(tab))
        assert data["inspections"][-1]["findings"][0]["problem"] == typed, (text, yaml_of(tab))
    for text in ("jia", "a-b", "x1", "yes-no"):  # the few written plain come back as the same string too
        field(tab, "inspections.0.findings.0.owner").fill(text)
        assert yamlfile.parse(yaml_of(tab))["inspections"][-1]["findings"][0]["owner"] == text
    context.close()
    assert not errors, errors


def test_the_form_cannot_give_back_a_file_with_fewer_records(browser: Browser, built: Path, tmp_path: Path) -> None:
    """Saving the download over a school's term file wiped its term once. Now the page asks for that
    file, gives back every line of it with the new entry added, and keeps what is typed across a
    reload, asking before the tab is left with work not yet downloaded."""
    context, tab, _, errors = open_form(browser, built)
    assert tab.locator("#hx-rf-school").input_value() == ""  # no school chosen for the person
    expect(tab.locator("#hx-rf-school option").first).to_have_text("请选择学校")
    tab.select_option("#hx-rf-school", "ceshi-kindergarten")
    tab.click("[data-add=trainings]")
    field(tab, "trainings.0.date").fill("2026-04-21")
    field(tab, "trainings.0.subject").fill("钢叉、盾牌使用与配合")
    field(tab, "trainings.0.audience").select_option("保安")
    field(tab, "trainings.0.attendees").fill("6")
    # The school has a file for the term: nothing to download until it is opened.
    expect(tab.locator(".hx-rf-status")).to_contain_text("已有记录文件")
    expect(tab.get_by_role("button", name="下载文件")).to_be_disabled()
    form_text = tab.locator("#hx-record-form").inner_text()
    for english in ("announced", "true", "false", "HH:MM:SS"):
        assert english not in form_text, english
    # A reload keeps what was typed.
    tab.reload()
    expect(tab.locator(".hx-rf-head")).to_contain_text("已恢复")
    assert field(tab, "trainings.0.attendees").input_value() == "6"
    original = (built / "records" / TERM / "ceshi-kindergarten.yml").read_text(encoding="utf-8")
    before = open_existing(tab, built, "ceshi-kindergarten")
    expect(tab.locator(".hx-rf-status")).to_contain_text("完整文件")
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    field(tab, "trainings.0.attendees").click()  # the browser asks only on a page the person has used
    tab.close(run_before_unload=True)  # work not downloaded: the browser asks, and staying is chosen
    tab.wait_for_timeout(500)  # the dialog event arrives while Playwright waits, not while Python sleeps
    assert dialogs == ["beforeunload"] and not tab.is_closed()
    tab.close()
    tab = context.new_page()
    tab.goto((built / "site" / "records" / "form" / "index.html").as_uri())
    expect(tab.locator(".hx-rf-status")).to_contain_text("完整文件")  # the opened file is kept too
    with tab.expect_download() as download:
        tab.get_by_role("button", name="下载文件").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    dialogs.clear()
    tab.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    field(tab, "trainings.0.attendees").click()
    tab.close(run_before_unload=True)  # downloaded: nothing to ask, the tab closes
    deadline = time.monotonic() + 5
    while not tab.is_closed() and time.monotonic() < deadline:
        context.new_page().close()  # any call lets Playwright deliver the close (or a dialog) event
    assert tab.is_closed()
    context.close()
    assert not errors and not dialogs, (errors, dialogs)
    assert text.startswith(original.rstrip("\n") + "\n"), text  # every byte of the file, then the new entry
    record = validate_with(built, tmp_path, "ceshi-kindergarten", text)
    assert record.drills == before.drills and record.inspections == before.inspections and record.duty == before.duty
    assert record.lectures == before.lectures
    *kept, training = record.trainings
    assert kept == before.trainings and (training.date, training.attendees) == (dt.date(2026, 4, 21), 6)


def test_opening_another_schools_file_is_refused(browser: Browser, built: Path) -> None:
    context, tab, _, errors = open_form(browser, built)
    tab.select_option("#hx-rf-school", "ceshi-primary")
    tab.set_input_files("#hx-rf-file", str(built / "records" / TERM / "ceshi-kindergarten.yml"))
    expect(message(tab, "file")).to_contain_text("当前选的学校是 ceshi-primary")
    tab.set_input_files("#hx-rf-file", str(built / "schools" / "ceshi-primary.yml"))
    expect(message(tab, "file")).to_contain_text("不是工作记录文件")
    context.close()
    assert not errors, errors
