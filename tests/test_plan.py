"""The planner on a copy of the starter district: a compliant spring 2027, hand edits kept on a
second run, bad plans refused with file and line, plan against record on the school page, and
calendars read back by a strict iCalendar parser."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, article, html_text, mkdocs_build, page, run_cli
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from generator.plans import closed_reason
from generator.schedule.compliance import school_term
from generator.schedule.demands import officer_id, teaching_days
from generator.site.calendars import calendars, school_events
from generator.source.loading import ProjectPaths
from generator.stationdata import load

TERM = "2027-spring"


def starter_copy(root: Path, with_plans: bool = False) -> Path:
    for name in ("lessons", "schools", "records", "plans", "content", "laws"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    if not with_plans:
        shutil.rmtree(root / "plans" / TERM)
    return root


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The starter without its spring plans, then `huxiao plan` run once on it."""
    root = starter_copy(tmp_path_factory.mktemp("planned"))
    result = run_cli("-C", str(root), "plan", "--term", TERM)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, result.stdout


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "plans" / TERM).glob("*.yml"))}


def test_plan_meets_every_verified_rule_and_reports_the_rest(planned: tuple[Path, str]) -> None:
    root, output = planned
    c = load(ProjectPaths.at(root))
    assert c.rules is not None
    rules = c.rules.model
    term = c.terms[TERM].term
    per_day: Counter[tuple[str, dt.date]] = Counter()
    autumn = c.terms["2026-autumn"]
    assert set(c.plans[TERM].schools) == set(c.schools)
    # The planner proposes days, never hours: no officer gets two timed sessions at once, and
    # validation finds no clash to warn of.
    assert all(s.start is None for e in c.plans[TERM].schools.values() for s in e.model.sessions)
    assert not any("时间重叠" in str(w) for w in c.warnings)
    for school_id, view in c.schools.items():
        status = school_term(c, TERM, school_id, rules)
        failing = [r.label for r in status.rules + ([status.hours] if status.hours else []) if r.level == "fail"]
        assert not failing, (school_id, failing)
        plan = c.plans[TERM].plan(school_id)
        assert plan is not None
        record = autumn.record(school_id)
        given_last_term = {(x.tier, x.lesson) for x in record.lectures} if record else set()
        for session in plan.sessions:
            assert closed_reason(term, session.date) is None, (school_id, session)
            assert session.tier in view.tiers and session.tier in c.curriculum.lessons[session.lesson].model.variants
            assert session.why, session
            if session.kind == "lecture" and (session.tier, session.lesson) in given_last_term:
                # Only where the topic has no other lesson for the tier, and then the run says so.
                topic = c.curriculum.lessons[session.lesson].model.topic
                others = [e.id for e in c.curriculum.lessons_for(session.tier, topic) if e.model.kind == "lecture"]
                assert set(others) <= {lesson for _, lesson in given_last_term}, (school_id, session)
                assert f"{school_id}：{session.lesson}（{session.tier}）上学期已讲过" in output
            per_day[officer_id(view.school.liaison), session.date] += 1
        months = {s.date.month for s in plan.sessions if s.kind == "drill"}
        if view.tiers != ["kindergarten"] and view.school.type != "university":
            assert {3, 4, 5, 6} <= months, (school_id, months)  # February has too few teaching days
    assert max(per_day.values()) <= rules.officer_load.max_sessions_per_day
    # The one officer serving three schools is named, in Chinese, as a reminder.
    assert "郑丽（虚构）" in output and "超过规则的上限" in output


def test_second_run_keeps_hand_edits_and_fills_only_the_gap(planned: tuple[Path, str], tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(planned[0], root)
    path = root / "plans" / TERM / "hubin-primary.yml"
    text = path.read_text(encoding="utf-8")
    blocks = text.split("\n  # ")
    drills = [n for n, block in enumerate(blocks) if "kind: drill" in block and "date: 2027-06" in block]
    assert drills, "a June drill was planned"
    removed = blocks.pop(drills[0])
    # The officer moves the first lesson a day later, notes why, and drops the June drill.
    edited = "\n  # ".join(blocks).replace("date: 2027-02-22", "date: 2027-02-23", 1)
    edited = edited.replace("sessions:\n", "# 开学第一课改到周二：周一学校开大会。\nsessions:\n", 1)
    path.write_text(edited, encoding="utf-8")
    others = {k: v for k, v in snapshot(root).items() if k != path.name}

    result = run_cli("-C", str(root), "plan", "--term", TERM)
    assert result.returncode == 0, result.stdout + result.stderr
    after = path.read_text(encoding="utf-8")
    assert after.startswith(edited)  # every byte a person wrote is still there
    added = after[len(edited):]
    assert "kind: drill" in added and "date: 2027-06" in added and "6月演练" in added
    assert "kind: drill" in removed
    assert {k: v for k, v in snapshot(root).items() if k != path.name} == others
    c = load(ProjectPaths.at(root))
    ids = [s.id for s in c.plans[TERM].plan("hubin-primary").sessions]
    assert len(ids) == len(set(ids))
    # A third run has nothing to add and touches nothing.
    before = snapshot(root)
    result = run_cli("-C", str(root), "plan", "--term", TERM)
    assert result.returncode == 0 and "新增 0 场" in result.stdout
    assert snapshot(root) == before


def test_a_plan_that_cannot_be_extended_stops_the_run_with_nothing_written(planned: tuple[Path, str],
                                                                          tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(planned[0], root)
    folder = root / "plans" / TERM
    # One file in flow style (appending block items would break it), another with a gap to fill.
    (folder / "wenchang-primary.yml").write_text("sessions: []\n", encoding="utf-8")
    gap = folder / "hubin-primary.yml"
    gap.write_text("\n  # ".join(gap.read_text(encoding="utf-8").split("\n  # ")[:-1]) + "\n", encoding="utf-8")
    before = snapshot(root)
    result = run_cli("-C", str(root), "plan", "--term", TERM)
    assert result.returncode == 1
    assert "plans/2027-spring/wenchang-primary.yml" in result.stdout and "sessions" in result.stdout
    assert "没有写入任何文件" in result.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize("change, where, message", [
    ("date: 2027-03-", "date", "不在本学期内"),
    ("lesson: ", "lesson", "未知课程“no-such-lesson”"),
])
def test_bad_plans_are_refused_with_file_line_and_field(planned: tuple[Path, str], tmp_path: Path, change: str,
                                                       where: str, message: str) -> None:
    root = tmp_path / "project"
    shutil.copytree(planned[0], root)
    path = root / "plans" / TERM / "hubin-primary.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.strip().startswith(change) or (change == "lesson: " and "lesson:" in line))
    key = lines[n].split(":")[0]
    lines[n] = f"{key}: 2028-03-01" if where == "date" else f"{key}: no-such-lesson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("-C", str(root), "validate")
    assert result.returncode == 1
    assert f"plans/2027-spring/hubin-primary.yml:{n + 1}:" in result.stdout, result.stdout
    assert f".{where}" in result.stdout and message in result.stdout


def test_unverified_rules_warn_and_never_fail(planned: tuple[Path, str]) -> None:
    """The boarding drill is a station rule (local): a boarding school without it is amber."""
    root, _ = planned
    c = load(ProjectPaths.at(root))
    assert c.rules is not None
    status = school_term(c, "2026-autumn", "donghu-dier-senior", c.rules.model)
    boarding = [r for r in status.rules if r.label.startswith("寄宿制")]
    assert boarding and all(r.level in ("warn", "met") for r in boarding)
    assert all(r.level != "fail" for r in status.rules if r.confidence != "verified")


AUTUMN_PLAN = """sessions:
  - {id: s01, date: 2026-10-10, kind: lecture, lesson: fang-nishui, tier: primary-upper}
  - {id: s02, date: 2026-10-20, kind: lecture, lesson: fang-nishui-kids, tier: primary-lower}
  - {id: s03, date: 2026-11-04, kind: lecture, lesson: geren-xinxi-baohu, tier: primary-upper}
  - {id: s04, date: 2026-12-10, kind: drill, lesson: huozai-shusan, tier: primary-lower}
  - {id: s05, date: 2026-12-16, kind: drill, lesson: dizhen-shusan, tier: primary-upper, mode: unannounced,
     note: SENTINEL-UNANNOUNCED-4Z7}
"""


@pytest.fixture(scope="module")
def autumn_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = starter_copy(tmp_path_factory.mktemp("autumn"), with_plans=True)
    (root / "plans" / "2026-autumn").mkdir()
    (root / "plans" / "2026-autumn" / "hubin-primary.yml").write_text(AUTUMN_PLAN, encoding="utf-8")
    return root, mkdocs_build(root, tmp_path_factory.mktemp("autumn-site"), strict=False)


def test_school_page_shows_plan_against_record(autumn_site: tuple[Path, Path]) -> None:
    _, site = autumn_site
    text = html_text(article(page(site, "/schools/hubin-primary/")))
    plan = text[text.index("学期计划（2026年秋季学期）"):]
    assert "2026-10-10 讲座： 防溺水" in plan.replace("讲座：", "讲座： ", 1) or "已完成" in plan
    assert "已调整（实际 2026-10-24）" in plan  # planned for the 20th, held on the 24th
    assert "2026-11-04" not in plan  # lapsed with no record: publicly neither done nor planned
    assert "计划中" in plan and "2026-12-10" in plan
    assert "2026-12-16" not in text  # an unannounced drill's date is not published
    assert "学期计划（2027年春季学期）" in text


VERDICTS = ("会错过", "已错过", "未完成", "不合规", "超时", "达标", "目标", "规则要求", "规则检查", "整改期限")


def test_public_school_pages_show_what_was_done_and_planned_not_verdicts(autumn_site: tuple[Path, Path]) -> None:
    _, site = autumn_site
    pages = sorted((site / "schools").glob("*/index.html"))
    assert len(pages) > 3
    for path in pages:
        html = path.read_text(encoding="utf-8")
        body = article(html)
        shown = [word for word in VERDICTS if word in html_text(body)]
        assert not shown, f"{path.parent.name}: {shown}"
        assert "hx-level" not in body and "hx-status-missed" not in body and "hx-rules" not in body
        assert "huxiao plan" not in body and "records/" not in body and "plans/" not in body
    # Pages a parent or a teacher reads do not send them to the project's folders.
    for url in ("/stats/", "/reports/", "/coverage/"):
        text = html_text(article(page(site, url)))
        assert not any(word in text for word in ("records/", "plans/", ".yml", "huxiao ")), url


def test_calendars_parse_strictly_and_carry_only_public_sessions(autumn_site: tuple[Path, Path]) -> None:
    root, site = autumn_site
    c = load(ProjectPaths.at(root))
    public = sum(1 for book in c.plans.values() for e in book.schools.values() for s in e.model.sessions if s.public)
    files = sorted((site / "calendars").rglob("*.ics"))
    assert files
    uids: list[str] = []
    school_events = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        strict = IcsCalendarStream.calendar_from_ics(text)  # raises on anything RFC 5545 forbids
        loose = Calendar.from_ical(text)
        assert len(strict.events) == len(loose.walk("VEVENT"))
        assert not any("SENTINEL-UNANNOUNCED" in str(e.get("description")) for e in loose.walk("VEVENT"))
        for event in strict.events:
            if isinstance(event.dtstart, dt.datetime):
                assert str(event.dtstart.tzinfo) == "Asia/Shanghai"
            else:
                assert event.summary.startswith("时间待定·")
            assert event.dtend > event.dtstart
        if path.parent.name == "schools":
            school_events += len(strict.events)
            uids += [e.uid for e in strict.events]
    assert school_events == public
    assert len(uids) == len(set(uids))
    hubin = IcsCalendarStream.calendar_from_ics((site / "calendars/schools/hubin-primary.ics").read_text(encoding="utf-8"))
    drill = next(e for e in hubin.events if e.uid == "2026-autumn-hubin-primary-s04@huxiao")
    # No time agreed with the school: an all-day event to be decided, not a default hour.
    assert drill.dtstart == dt.date(2026, 12, 10) and drill.dtend == dt.date(2026, 12, 11)
    assert drill.summary.startswith("时间待定·演练：")
    assert str((site / "schools/hubin-primary/index.html").read_text(encoding="utf-8")).count(".ics") >= 2


def day_of(event) -> dt.date:
    """The day of a timed or an all-day (时间待定) event."""
    return event.dtstart.date() if isinstance(event.dtstart, dt.datetime) else event.dtstart


def calendar_files(root: Path, audience: str) -> dict[str, str]:
    c = load(ProjectPaths.at(root))
    return calendars(c, audience, lambda school, who, officer: school_events(c, school, who, None, officer))


def test_an_edited_date_moves_the_same_event(autumn_site: tuple[Path, Path], tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(autumn_site[0], root)
    path = root / "plans" / "2026-autumn" / "hubin-primary.yml"
    before = IcsCalendarStream.calendar_from_ics(calendar_files(root, "public")[
        "calendars/schools/hubin-primary.ics"])
    path.write_text(AUTUMN_PLAN.replace("2026-12-10", "2026-12-11"), encoding="utf-8")
    after = IcsCalendarStream.calendar_from_ics(calendar_files(root, "public")[
        "calendars/schools/hubin-primary.ics"])
    assert [e.uid for e in before.events] == [e.uid for e in after.events]
    moved = {e.uid: day_of(e) for e in after.events}
    assert moved["2026-autumn-hubin-primary-s04@huxiao"] == dt.date(2026, 12, 11)
    internal = IcsCalendarStream.calendar_from_ics(calendar_files(root, "internal")[
        "calendars/schools/hubin-primary.ics"])
    assert len(internal.events) == len(after.events) + 1  # the unannounced drill, for the station only


CLASH_PLAN = """sessions:
  - {id: s01, date: 2026-11-04, kind: lecture, lesson: geren-xinxi-baohu, tier: primary-upper, start: "14:50"}
  - {id: s02, date: 2026-11-05, kind: lecture, lesson: geren-xinxi-baohu, tier: primary-lower}
"""


def test_hand_set_times_of_one_officer_are_checked_and_untimed_sessions_are_all_day(autumn_site: tuple[Path, Path],
                                                                                 tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(autumn_site[0], root)
    hubin = root / "plans" / "2026-autumn" / "hubin-primary.yml"
    hubin.write_text(AUTUMN_PLAN.replace("tier: primary-upper}\n  - {id: s04", 'tier: primary-upper, start: "14:30"}\n  - {id: s04'),
                     encoding="utf-8")
    # lianhua-primary has the same 法治副校长 as hubin-primary: 14:30 there, 14:50 here.
    (root / "plans" / "2026-autumn" / "lianhua-primary.yml").write_text(CLASH_PLAN, encoding="utf-8")
    result = run_cli("-C", str(root), "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    clash = [line for line in result.stdout.splitlines() if "时间重叠" in line]
    assert len(clash) == 1, result.stdout
    assert clash[0].startswith("plans/2026-autumn/lianhua-primary.yml:2:") and "sessions[0].start" in clash[0]
    assert "湖滨小学" in clash[0] and "14:30" in clash[0]
    files = calendar_files(root, "public")
    c = load(ProjectPaths.at(root))
    officer = IcsCalendarStream.calendar_from_ics(files[f"calendars/officers/{officer_id(c.schools['hubin-primary'].school.liaison)}.ics"])
    timed = [e for e in officer.events if isinstance(e.dtstart, dt.datetime)]
    assert len(timed) == 2 and all(e.dtend - e.dtstart == dt.timedelta(minutes=40) for e in timed)
    assert all(e.summary.startswith("时间待定·") for e in officer.events if e not in timed)
    # Apart by an hour: no warning.
    (root / "plans" / "2026-autumn" / "lianhua-primary.yml").write_text(CLASH_PLAN.replace("14:50", "15:10"), encoding="utf-8")
    assert "时间重叠" not in run_cli("-C", str(root), "validate").stdout


def test_a_calendar_holds_the_current_term_and_the_next(autumn_site: tuple[Path, Path], tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(autumn_site[0], root)
    (root / "plans" / "2026-spring").mkdir()
    (root / "plans" / "2026-spring" / "hubin-primary.yml").write_text(
        "sessions:\n  - {id: s01, date: 2026-05-12, kind: lecture, lesson: fang-nishui, tier: primary-upper}\n", encoding="utf-8")
    events = IcsCalendarStream.calendar_from_ics(calendar_files(root, "public")["calendars/schools/hubin-primary.ics"]).events
    days = sorted(day_of(e) for e in events)
    terms = {e.uid.split("-hubin-primary-")[0] for e in events}
    assert terms == {"2026-autumn", "2027-spring"}  # today is 2026-12-04: the spring before is over
    assert days[0] >= dt.date(2026, 9, 1) and days[-1] >= dt.date(2027, 3, 1)


def test_internal_build_has_compliance_overview_and_assessment_sheets(autumn_site: tuple[Path, Path],
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root, public = autumn_site
    assert not (public / "internal").exists()
    monkeypatch.setenv("HUXIAO_AUDIENCE", "internal")
    site = mkdocs_build(root, tmp_path / "internal", strict=False)
    overview = html_text(article(page(site, "/internal/compliance/2026-autumn/")))
    c = load(ProjectPaths.at(root))
    for view in c.schools.values():
        assert view.school.name in overview
    assert "不合规" in overview and "郑丽（虚构）" in overview and "超过规则的 2 所" in overview
    assert "开学第一课（09-01～09-15，已错过）" in overview  # today is 2026-12-04
    officer = officer_id(c.schools["hubin-primary"].school.liaison)
    sheet = html_text(article(page(site, f"/internal/officers/{officer}/")))
    assert "考核表" in sheet and "学校意见（签章）" in sheet and "东湖区湖滨小学（虚构）" in sheet
    assert "&#" not in sheet and f"pdf-internal/assessment/{officer}.pdf" in sheet  # no reference shown as text
    record = c.terms["2026-autumn"].record("hubin-primary")
    periods = sum(x.periods for x in record.lectures if x.teacher is None)
    assert f"{periods} / 4" in sheet
    school = html_text(article(page(site, "/schools/hubin-primary/")))
    plan = school[school.index("学期计划（2026年秋季学期）"):]
    assert "未完成" in plan  # 4 November has passed with no record
    assert "规则要求" in plan and "《中小学幼儿园应急疏散演练指南》" in plan
    assert "不合规：已错过" in plan  # a window already past is missed, not "will be"
    assert "不合规：会错过" in plan  # 元旦前, still to come
    assert "超时" in school or "达标" in school
    assert "目标用时" in page(site, "/schools/hubin-primary/")  # the drill chart with its targets
    internal_ics = Calendar.from_ical((site / "calendars/schools/hubin-primary.ics").read_bytes())
    assert any("SENTINEL-UNANNOUNCED-4Z7" in str(e.get("description")) for e in internal_ics.walk("VEVENT"))


def test_assessment_sheets_print_to_the_internal_pdf_folder_only(planned: tuple[Path, str], tmp_path: Path) -> None:
    from pypdf import PdfReader

    root = tmp_path / "project"
    shutil.copytree(planned[0], root)
    result = run_cli("-C", str(root), "pdf", "--internal", "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    c = load(ProjectPaths.at(root))
    officer = officer_id(c.schools["xiangyang-kindergarten"].school.liaison)
    sheet = root / "pdf-internal" / "assessment" / f"{officer}.pdf"
    reader = PdfReader(sheet)
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())  # cells wrap long names
    record = c.terms["2026-autumn"].record("xiangyang-kindergarten")
    periods = sum(x.periods for x in record.lectures if x.teacher is None) if record else 0
    assert "考核表" in text and "向阳幼儿园" in text and f"{periods}/4" in text
    assert not (root / "pdf").exists()  # nothing internal where the public site takes its PDFs from


def test_the_planning_guide_examples_are_valid() -> None:
    """The Chinese guide's term calendar and plan item are what the models accept."""
    import re

    from generator.source import yamlfile
    from generator.source.plans import Plan
    from generator.source.records import Term

    text = (ROOT / "content" / "guides" / "plan.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 2
    term = Term.model_validate(yamlfile.parse(blocks[0]))
    plan = Plan.model_validate(yamlfile.parse(blocks[1]))
    c = load(ProjectPaths.at(ROOT))
    for session in plan.sessions:
        assert term.first_day <= session.date <= term.last_day
        assert session.tier in c.curriculum.lessons[session.lesson].model.variants
    assert "huxiao plan --term 2027-spring" in text


def test_what_a_short_term_cannot_hold_is_reported_with_the_reason(tmp_path: Path) -> None:
    root = starter_copy(tmp_path / "project")
    (root / "records" / TERM / "_term.yml").write_text(
        "name: 2027年春季学期\nfirst_day: 2027-02-22\nlast_day: 2027-02-24\n", encoding="utf-8")
    rules = (root / "plans" / "_rules.yml").read_text(encoding="utf-8")
    (root / "plans" / "_rules.yml").write_text(rules.replace("max_sessions_per_day: 2", "max_sessions_per_day: 1"),
                                               encoding="utf-8")
    result = run_cli("-C", str(root), "plan", "--term", TERM)
    assert result.returncode == 0, result.stdout + result.stderr
    # Three teaching days, one session a day: the officer of three schools cannot give each its
    # first lesson, its lesson before the holiday and the year's hours.
    lines = [line for line in result.stdout.splitlines() if line.startswith("无法满足：")]
    assert any("每天都已排满 1 场" in line for line in lines), result.stdout
    assert any(line.startswith("无法满足：lianhua-primary：") or line.startswith("无法满足：liuan-kindergarten：")
               for line in lines)
    c = load(ProjectPaths.at(root))
    per_day = Counter((officer_id(c.schools[sid].school.liaison), s.date)
                      for sid, e in c.plans[TERM].schools.items() for s in e.model.sessions)
    assert max(per_day.values()) == 1


def test_a_themed_day_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    root = starter_copy(tmp_path / "project", with_plans=True)
    rules = root / "plans" / "_rules.yml"
    text = rules.read_text(encoding="utf-8")
    assert "    month: 4\n    day: 15\n" in text
    rules.write_text(text.replace("    month: 4\n    day: 15\n", "    month: 4\n    day: 31\n"), encoding="utf-8")
    result = run_cli("-C", str(root), "validate")
    assert result.returncode == 1
    line = text[:text.index("    month: 4\n    day: 15\n")].count("\n")  # the item's "- name:" line, 1-based
    assert f"plans/_rules.yml:{line}:5: themed_days[1]: 没有4月31日这一天" in result.stdout, result.stdout


def test_teaching_days_are_the_days_closed_reason_leaves_open() -> None:
    """Teaching days are worked out once per term; they must stay the days no rule closes."""
    data = load(ProjectPaths.at(ROOT))
    assert data.terms
    for book in data.terms.values():
        term = book.term
        every = [term.first_day + dt.timedelta(days=n) for n in range((term.last_day - term.first_day).days + 1)]
        assert teaching_days(term) == [d for d in every if closed_reason(term, d) is None]
        middle = every[len(every) // 2]
        window = [d for d in every if middle <= d <= middle + dt.timedelta(days=30)]
        assert teaching_days(term, middle, middle + dt.timedelta(days=30)) == [d for d in window if closed_reason(term, d) is None]
        assert len(teaching_days(term)) < len(every)  # weekends at least


def test_the_report_counts_each_rule_where_the_school_page_shows_it() -> None:
    """The term report counts the rules' demands by `rule_levels`, the school pages show them by
    `school_term`: for every school and term they must agree."""
    from generator.schedule.compliance import rule_levels
    from generator.schedule.demands import demands_of_schools

    data = load(ProjectPaths.at(ROOT))
    assert data.rules is not None
    rules = data.rules.model
    levels_seen: set[str] = set()
    for term_id, book in data.terms.items():
        found = demands_of_schools(data, book.term, rules)
        for school_id in data.schools:
            shown = [row.level for row in school_term(data, term_id, school_id, rules).rules]
            assert rule_levels(data, term_id, school_id, found[school_id]) == shown, (term_id, school_id)
            levels_seen.update(shown)
    assert {"met", "fail"} <= levels_seen  # the starter's records meet some rules and miss others


@pytest.mark.parametrize("name", ["测试小学·护校安园日历", "很长的校名" * 20, "逗号，分号;反斜杠\\与冒号:"])
def test_a_calendar_header_is_what_icalendar_writes(name: str) -> None:
    """The calendar's header is put together from parts icalendar wrote once (a city has
    thousands of calendars): it must be byte for byte what icalendar writes for the whole."""
    from generator.site import calendars as module

    whole = Calendar()
    for key, value in (("prodid", module.PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"), ("method", "PUBLISH"),
                       ("x-wr-calname", name), ("x-wr-timezone", "Asia/Shanghai")):
        whole.add(key, value)
    text = whole.to_ical().decode("utf-8")
    expected = text.removesuffix("END:VCALENDAR\r\n") + module._zone() + "EVENTS" + "END:VCALENDAR\r\n"
    assert module._wrap(None, name, ["EVENTS"]) == expected  # type: ignore[arg-type]


def test_every_event_is_what_icalendar_writes_for_it() -> None:
    """Events are put together from lines icalendar wrote once per value (a city's calendars hold
    40,000 events): each must be byte for byte what icalendar writes for the whole event, for every
    session of the starter, timed and not, in a school's and an officer's calendar, and for text
    icalendar escapes and folds."""
    from generator.site import calendars as module

    data = load(ProjectPaths.at(ROOT))
    stamp = dt.datetime(2026, 12, 4, tzinfo=dt.timezone.utc)
    shapes = set()
    for school_id in data.schools:
        for term_id, planned in module.calendar_sessions(data, school_id, "internal"):
            # Each session also with an agreed time and a note (the starter's plans leave most untimed).
            timed = planned.model_copy(update={"start": "14:30", "note": "带好名单；请提前10分钟到"})
            for session, for_officer in ((planned, False), (planned, True), (timed, False), (timed, True)):
                event = module._event(data, school_id, term_id, session, stamp, "https://example.org/huxiao/", for_officer)
                assert module.event_text(event) == module.icalendar_event(event).to_ical().decode("utf-8"), event
                shapes.add(tuple(name for name, _ in event))
    assert any("transp" in names for names in shapes) and any("transp" not in names for names in shapes)
    hostile = (("uid", "2099-spring-" + "school-" * 12 + "s1@huxiao"), ("dtstamp", stamp),
               ("dtstart", dt.date(2099, 3, 2)), ("dtend", dt.date(2099, 3, 3)), ("transp", "TRANSPARENT"),
               ("summary", "时间待定·逗号，分号;反斜杠\\与冒号:" * 6), ("location", "学校,分号;\\"),
               ("description", "第一行\n第二行;,\\\n" + "很长的一行" * 40), ("categories", ("演练",)))
    assert module.event_text(hostile) == module.icalendar_event(hostile).to_ical().decode("utf-8")
