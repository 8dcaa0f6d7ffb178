"""The 台账 workbook: exported from the records, filled in as a user would with openpyxl, read back.

Everything is real: the `huxiao ledger` command in its own process, openpyxl opening what it
wrote, the YAML files compared byte for byte, and LibreOffice (when installed) opening the file.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import FIXTURE, ROOT, run_cli, snapshot
from hypothesis import given, settings
from hypothesis import strategies as st
from test_audiences import DUTY, NUMBERS, RECORD, SCHOOL, SENTINELS

from generator.source import yamlfile
from generator.tools.ledger import append, layout

TERM = "2026-spring"
# The per-school 护学岗 figures are internal: the leak test's marker numbers, which no other field holds.
DUTY_FIGURES = DUTY
RECORD_FIELDS = ("teacher", "drill_problem", "owner", "headcount_group", "finding", "finding_owner", "secret_point")
HOSTILE = ['他说："a: b" # 不是注释', "{x: 1} [y] & *z !!python/object:os.system", "'单引号' \\ 反斜杠 @`%",
           "- 列表？ ? 问号: 键", "yes", "0012", "2026-03-01", "  前后空格被去掉  ".strip(), "null", "~"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture project with a school whose records hold every internal field, with markers."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    (root / "schools" / "shaobing-junior.yml").write_text(SCHOOL, encoding="utf-8")
    record = RECORD + "trainings:\n  - {date: 2026-03-02, subject: 一键报警, audience: 保安, attendees: 6}\n"
    (root / "records" / TERM / "shaobing-junior.yml").write_text(record, encoding="utf-8")
    shutil.copy(ROOT / "schools" / "_thresholds.yml", root / "schools" / "_thresholds.yml")
    return root


def ledger(project: Path, *args: str) -> subprocess.CompletedProcess:
    return run_cli("-C", str(project), "ledger", *args)


def export(project: Path, name: str = "台账.xlsx", *args: str, term: str = TERM) -> Path:
    out = project.parent / name
    result = ledger(project, "--term", term, "--out", str(out), *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def headers(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[layout.HEADER_ROW] if c.value}


def data_rows(ws) -> list[tuple]:
    return [row for row in ws.iter_rows(min_row=layout.FIRST_ROW, values_only=True) if any(v is not None for v in row)]


def add_row(path: Path, sheet: str, values: dict[str, object]) -> int:
    """Fill one more row of a sheet, as a person does in Excel; its row number."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    columns = headers(ws)
    row = ws.max_row + 1
    for header, value in values.items():
        ws.cell(row, columns[header], value)
    wb.save(path)
    return row


def records(project: Path, term: str = TERM) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (project / "records" / term).glob("[!_]*.yml")}


def every_text(path: Path) -> str:
    """Everything inside the .xlsx (every sheet, hidden ones too, and the shared strings)."""
    with zipfile.ZipFile(path) as z:
        # openpyxl writes text inline, non-ASCII as character references: compare what a reader sees.
        return html.unescape("\n".join(z.read(name).decode("utf-8", errors="replace") for name in z.namelist()))


# --------------------------------------------------------------------------- export


def test_export_has_a_row_per_record_with_real_dates_totals_and_print_setup(project: Path) -> None:
    path = export(project, "内部.xlsx", "--audience", "internal")
    wb = openpyxl.load_workbook(path)
    data = records(project)
    expected = {sheet.title: sum(len(r.get(sheet.kind) or []) for r in data.values()) for sheet in layout.SHEETS[:5]}
    expected["问题整改"] = sum(len(d.get("problems") or []) for r in data.values() for d in r.get("drills") or []) + \
        sum(len(i.get("findings") or []) for r in data.values() for i in r.get("inspections") or [])
    expected["清点人数"] = sum(len(d.get("headcount") or []) for r in data.values() for d in r.get("drills") or [])
    assert {ws.title: len(data_rows(ws)) for ws in wb.worksheets if ws.title != layout.META_SHEET} == expected
    assert expected["讲座"] == 2 and expected["护学岗"] == 1 and expected["问题整改"] == 2

    lectures = wb["讲座"]
    columns = headers(lectures)
    rows = data_rows(lectures)
    ids = [r[columns["学校编号"] - 1] for r in rows]
    assert sorted(ids) == ["ceshi-primary", "shaobing-junior"]
    date_cell = lectures.cell(layout.FIRST_ROW, columns["日期"])
    assert isinstance(date_cell.value, dt.datetime) and date_cell.number_format == "yyyy-mm-dd"
    audiences = sum(x["audience"] for r in data.values() for x in r.get("lectures") or [])
    total = lectures.cell(layout.TOTAL_ROW, columns["人数"]).value
    assert total.startswith("=SUM(") and sum(r[columns["人数"] - 1] for r in rows) == audiences
    assert lectures.cell(layout.TOTAL_ROW, 1).value == "合计"
    assert lectures.freeze_panes == "C4" and lectures.print_title_rows == "$1:$2"
    assert lectures.page_setup.orientation == "landscape" and int(lectures.page_setup.paperSize) == int(lectures.PAPERSIZE_A4)
    assert lectures.page_setup.fitToWidth == 1 and lectures.sheet_properties.pageSetUpPr.fitToPage
    assert lectures.column_dimensions["A"].width >= 20

    drills = wb["演练"]
    seconds = drills.cell(layout.FIRST_ROW, headers(drills)["用时（秒）"]).value
    assert seconds == 140
    duty = wb["护学岗"]
    columns = headers(duty)
    assert duty.cell(layout.TOTAL_ROW, columns["警力人次（每天）"]).value.startswith("=SUMPRODUCT(")
    assert data_rows(duty)[0][columns["警力人次（每天）"] - 1] == DUTY_FIGURES["officer_times"]
    assert wb[layout.META_SHEET].sheet_state == "hidden" and wb[layout.META_SHEET]["B1"].value == TERM


def test_times_are_excel_times(project: Path) -> None:
    path = project / "records" / TERM / "shaobing-junior.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    seconds: 140\n", '    signal: "09:20:05"\n    all_clear: "09:22:25"\n'),
                    encoding="utf-8")
    ws = openpyxl.load_workbook(export(project))["演练"]
    columns = headers(ws)
    row = next(r for r in data_rows(ws) if r[columns["学校编号"] - 1] == "shaobing-junior")
    assert row[columns["信号时刻"] - 1] == dt.time(9, 20, 5) and row[columns["用时（秒）"] - 1] == 140
    row_number = next(r for r in range(layout.FIRST_ROW, ws.max_row + 1) if ws.cell(r, 2).value == "shaobing-junior")
    cell = ws.cell(row_number, columns["信号时刻"])
    assert cell.number_format == "hh:mm:ss"


def test_public_ledger_holds_no_internal_data(project: Path) -> None:
    public, internal = every_text(export(project, "公开.xlsx")), every_text(export(project, "内部.xlsx", "--audience", "internal"))
    in_records = [v for k, v in SENTINELS.items() if k in RECORD_FIELDS] + [str(v) for v in [NUMBERS["expected"], *DUTY_FIGURES.values()]]
    for marker in list(SENTINELS.values()) + [str(v) for v in [*NUMBERS.values(), *DUTY_FIGURES.values()]]:
        assert marker not in public, marker
    for marker in in_records:  # the internal ledger holds the records' internal fields (not the school's profile)
        assert marker in internal, marker
    wb = openpyxl.load_workbook(project.parent / "公开.xlsx")
    assert wb.sheetnames == ["讲座", "演练", "培训", "隐患排查", layout.META_SHEET]
    assert "授课人" not in headers(wb["讲座"]) and "哨兵中学（虚构）" in public
    assert '"gate"' not in public and ">gate<" not in public  # not even the id of a non-public point


# --------------------------------------------------------------------------- import


def test_one_added_row_becomes_one_record_and_nothing_else_changes(project: Path) -> None:
    path = export(project)
    before = snapshot(project / "records")
    add_row(path, "讲座", {"学校编号": "ceshi-primary", "日期": dt.datetime(2026, 4, 8), "课程编号": "qiuzhu-dianhua",
                           "学段编号": "primary-upper", "形式": "主题班会", "人数": 45, "备注": HOSTILE[0]})
    result = ledger(project, "--import", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 条新记录" in result.stdout
    after = snapshot(project / "records")
    name = f"{TERM}/ceshi-primary.yml"
    assert {k for k in after if after[k] != before.get(k)} == {name}
    old, new = before[name], after[name]
    assert new.startswith(old)  # appended: every byte that was there is still there
    added = yaml.safe_load(new)["lectures"]
    assert len(added) == len(yaml.safe_load(old)["lectures"]) + 1
    assert added[-1] == {"date": dt.date(2026, 4, 8), "lesson": "qiuzhu-dianhua", "tier": "primary-upper", "audience": 45,
                         "form": "主题班会", "note": HOSTILE[0]}
    validate = run_cli("-C", str(project), "validate")
    assert validate.returncode == 0, validate.stdout
    again = ledger(project, "--import", str(path))  # the same workbook twice adds nothing more
    assert again.returncode == 0 and "0 条新记录" in again.stdout and snapshot(project / "records") == after


def test_rows_go_into_the_middle_of_a_file_without_moving_a_byte(project: Path) -> None:
    """A drill with its problems and headcount, into a file whose drills: list is not the last."""
    path = export(project, "内部.xlsx", "--audience", "internal")
    record = project / "records" / TERM / "shaobing-junior.yml"
    old = record.read_bytes()
    add_row(path, "演练", {"学校编号": "shaobing-junior", "日期": dt.datetime(2026, 5, 6), "课程编号": "chonwu-anquan",
                           "学段编号": "kindergarten", "参加楼栋、年级（每行一个）": "一楼\n二楼：东侧 # 注", "方式": "突发式",
                           "实战或推演": "桌面推演", "信号时刻": dt.time(10, 0, 0), "集合完毕时刻": dt.time(10, 2, 30), "参加人数": 80})
    add_row(path, "问题整改", {"学校编号": "shaobing-junior", "来自": "演练", "演练或排查日期": dt.datetime(2026, 5, 6),
                               "演练课程编号": "chonwu-anquan", "问题或隐患": "楼梯口拥堵\n第二行: \"引号\" #号 {括号}",
                               "整改责任人或部门": HOSTILE[1], "整改期限": dt.datetime(2026, 5, 20)})
    add_row(path, "清点人数", {"学校编号": "shaobing-junior", "演练日期": dt.datetime(2026, 5, 6), "演练课程编号": "chonwu-anquan",
                               "班级或楼栋": HOSTILE[2], "应到": 40, "实到": 39, "请假": 1})
    result = ledger(project, "--import", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    new = record.read_bytes()
    added = new.decode()[len(old.decode().split("duty:")[0]):].split("duty:")[0]
    assert new == old.replace(b"duty:", added.encode() + b"duty:", 1)  # inserted before duty:, all else as it was
    drills = yaml.safe_load(new)["drills"]
    assert len(drills) == 2 and drills[1]["groups"] == ["一楼", "二楼：东侧 # 注"] and drills[1]["mode"] == "unannounced"
    assert drills[1]["live"] is False and drills[1]["signal"] == "10:00:00" and drills[1]["all_clear"] == "10:02:30"
    assert drills[1]["problems"] == [{"problem": "楼梯口拥堵\n第二行: \"引号\" #号 {括号}", "owner": HOSTILE[1],
                                      "due": dt.date(2026, 5, 20)}]
    assert drills[1]["headcount"] == [{"group": HOSTILE[2], "expected": 40, "present": 39, "excused": 1}]
    assert not any(getattr(e, "anchor", None) or getattr(e, "tag", None) for e in yaml.parse(new.decode()))  # plain YAML
    assert run_cli("-C", str(project), "validate").returncode == 0


def test_hostile_text_round_trips_exactly(project: Path) -> None:
    path = export(project)
    for n, text in enumerate(HOSTILE):
        add_row(path, "培训", {"学校编号": "ceshi-primary", "日期": dt.datetime(2026, 3, 1 + n), "培训内容": text,
                               "对象": "教职工", "人数": 10 + n})
    result = ledger(project, "--import", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    text = (project / "records" / TERM / "ceshi-primary.yml").read_text(encoding="utf-8")
    events = list(yaml.parse(text))
    assert not any(getattr(e, "anchor", None) or getattr(e, "tag", None) for e in events)  # plain YAML
    assert [t["subject"] for t in yaml.safe_load(text)["trainings"]] == HOSTILE
    assert run_cli("-C", str(project), "validate").returncode == 0


def test_a_school_without_a_file_gets_one(project: Path) -> None:
    path = export(project, term="2025-autumn")
    add_row(path, "培训", {"学校编号": "ceshi-kindergarten", "日期": dt.datetime(2025, 10, 9), "培训内容": "门卫登记",
                           "对象": "保安", "人数": 4})
    result = ledger(project, "--import", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    made = project / "records" / "2025-autumn" / "ceshi-kindergarten.yml"
    assert yaml.safe_load(made.read_text(encoding="utf-8"))["trainings"] == [
        {"date": dt.date(2025, 10, 9), "subject": "门卫登记", "audience": "保安", "attendees": 4}]
    assert made.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schema/record.schema.json")


def test_refused_rows_are_told_by_sheet_row_and_column_and_nothing_is_written(project: Path) -> None:
    path = export(project)
    good = add_row(path, "讲座", {"学校编号": "ceshi-primary", "日期": dt.datetime(2026, 4, 8), "课程编号": "qiuzhu-dianhua",
                                  "学段编号": "primary-upper", "人数": 45})
    bad_date = add_row(path, "讲座", {"学校编号": "ceshi-primary", "日期": "2026-02-30", "课程编号": "qiuzhu-dianhua",
                                      "学段编号": "primary-upper", "人数": 45})
    unknown_lesson = add_row(path, "讲座", {"学校编号": "ceshi-primary", "日期": dt.datetime(2026, 4, 9),
                                            "课程编号": "no-such-lesson", "学段编号": "primary-upper", "人数": 45})
    unknown_school = add_row(path, "培训", {"学校编号": "ceshi-primry", "日期": dt.datetime(2026, 4, 9), "培训内容": "x",
                                            "对象": "保安", "人数": 3})
    outside = add_row(path, "培训", {"学校编号": "ceshi-primary", "日期": dt.datetime(2026, 8, 1), "培训内容": "x",
                                     "对象": "保安", "人数": 3})
    before = snapshot(project / "records")
    result = ledger(project, "--import", str(path))
    assert result.returncode == 1
    out = result.stderr
    assert f"台账.xlsx:讲座!第{bad_date}行:C列: date: 应为日期" in out
    assert f"台账.xlsx:讲座!第{unknown_lesson}行:D列: lesson: 未知课程“no-such-lesson”" in out
    assert f"台账.xlsx:培训!第{unknown_school}行:B列: school: 未知学校编号“ceshi-primry”；是不是“ceshi-primary”？" in out
    assert f"台账.xlsx:培训!第{outside}行:C列: date: 2026-08-01 不在本学期之内" in out
    assert f"讲座!第{good}行" not in out
    order = [next(n for n, line in enumerate(out.splitlines()) if where in line)
             for where in (f"讲座!第{bad_date}行", f"讲座!第{unknown_lesson}行", f"培训!第{unknown_school}行", f"培训!第{outside}行")]
    assert order == sorted(order)  # in the workbook's order, though the lesson is found by a later check
    shown = [line for text in (ROOT / "README.md", ROOT / "content" / "guides" / "records.md")
             for line in text.read_text(encoding="utf-8").splitlines() if line.startswith("台账.xlsx:")]
    assert len(shown) == 4 and all(line in out.splitlines() for line in shown), shown  # the docs show what it prints
    assert "没有写入任何文件" in out and "Traceback" not in out
    assert snapshot(project / "records") == before


def test_a_problem_under_no_drill_is_refused(project: Path) -> None:
    path = export(project, "内部.xlsx", "--audience", "internal")
    row = add_row(path, "问题整改", {"学校编号": "ceshi-primary", "来自": "演练", "演练或排查日期": dt.datetime(2026, 5, 6),
                                     "演练课程编号": "chonwu-anquan", "问题或隐患": "x", "整改责任人或部门": "y",
                                     "整改期限": dt.datetime(2026, 5, 20)})
    result = ledger(project, "--import", str(path))
    assert result.returncode == 1 and f"内部.xlsx:问题整改!第{row}行:D列:" in result.stderr


def test_a_changed_row_leaves_the_record_and_says_so(project: Path) -> None:
    path = export(project)
    wb = openpyxl.load_workbook(path)
    ws = wb["讲座"]
    ws.cell(layout.FIRST_ROW, headers(ws)["人数"], 999)
    wb.save(path)
    before = snapshot(project / "records")
    result = ledger(project, "--import", str(path))
    assert result.returncode == 0 and "内容不同" in result.stdout and snapshot(project / "records") == before


# --------------------------------------------------------------------------- the empty template


def test_a_term_without_records_gets_an_empty_template_with_dropdowns(project: Path) -> None:
    folder = project / "records" / "2026-autumn"
    folder.mkdir()
    (folder / "_term.yml").write_text("name: 2026年秋季学期\nfirst_day: 2026-09-01\nlast_day: 2027-01-22\n", encoding="utf-8")
    result = ledger(project, "--term", "2026-autumn", "--out", str(project.parent / "空白.xlsx"))
    assert result.returncode == 0 and "空白" in result.stdout
    wb = openpyxl.load_workbook(project.parent / "空白.xlsx")
    for ws in wb.worksheets[:-1]:
        assert data_rows(ws) == [] and ws.cell(layout.HEADER_ROW, 2).value == "学校编号"
    rules = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in wb["讲座"].data_validations.dataValidation}
    meta = wb[layout.META_SHEET]
    lists = {meta.cell(1, c).value: [meta.cell(r, c).value for r in range(2, meta.max_row + 1) if meta.cell(r, c).value]
             for c in range(4, meta.max_column + 1)}
    assert lists["学校编号"] == ["ceshi-kindergarten", "ceshi-primary", "shaobing-junior"]
    assert lists["课程编号"] == ["qiuzhu-dianhua"] and lists["演练编号"] == ["chonwu-anquan"]
    assert "_huxiao" in rules["B"] and "DATE(2026,9,1)" in rules["C"]
    assert meta["B1"].value == "2026-autumn"
    assert wb["讲座"].column_dimensions["C"].number_format == "yyyy-mm-dd"  # the date column, for the rows to come
    assert wb["讲座"].print_area.endswith(f"${layout.FIRST_ROW + 19}")  # 20 ruled rows print: a paper form too
    flagged = ledger(project, "--term", TERM, "--template", "--out", str(project.parent / "t.xlsx"))
    assert flagged.returncode == 0 and data_rows(openpyxl.load_workbook(project.parent / "t.xlsx")["讲座"]) == []


# --------------------------------------------------------------------------- LibreOffice opens it


def test_libreoffice_opens_the_workbook_and_computes_the_totals(project: Path, tmp_path: Path) -> None:
    assert shutil.which("soffice"), "LibreOffice is needed: run `sh tests/system-deps.sh`"
    path = export(project, "ledger.xlsx", "--audience", "internal")
    out = tmp_path / "csv"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", str(out),
                    str(path)], check=True, capture_output=True, timeout=240)
    lectures = (out / "ledger-讲座.csv").read_text(encoding="utf-8")
    assert "合计" in lectures and ",380," in lectures  # 280 + 100 listeners, summed by LibreOffice
    duty = (out / "ledger-护学岗.csv").read_text(encoding="utf-8")
    assert str(DUTY_FIGURES["officer_times"]) in duty
    # Saved again by an office program, the workbook still reads back: every row known, nothing added.
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "resaved"), str(path)],
                   check=True, capture_output=True, timeout=240)
    before = snapshot(project / "records")
    result = ledger(project, "--import", str(tmp_path / "resaved" / "ledger.xlsx"))
    assert result.returncode == 0 and "0 条新记录" in result.stdout and "内容不同" not in result.stdout, result.stdout
    assert snapshot(project / "records") == before


def test_dates_and_times_typed_as_text_are_read_and_a_wrong_choice_is_named(project: Path) -> None:
    path = export(project, "内部.xlsx", "--audience", "internal")
    add_row(path, "演练", {"学校编号": "shaobing-junior", "日期": "2026年5月6日", "课程编号": "chonwu-anquan",
                           "学段编号": "kindergarten", "参加楼栋、年级（每行一个）": "一楼", "信号时刻": "9:05",
                           "集合完毕时刻": "9:07:10", "参加人数": 80})
    add_row(path, "培训", {"学校编号": "ceshi-primary", "日期": "2026/5/7", "培训内容": "一键报警", "对象": "保安", "人数": 5})
    wrong = add_row(path, "护学岗", {"学校编号": "shaobing-junior", "日期（按周记录填该周第一天）": dt.datetime(2026, 5, 11),
                                     "岗点编号": "gate", "时段": "早上", "警力人次（每天）": 2})
    refused = ledger(project, "--import", str(path))
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == f"内部.xlsx:护学岗!第{wrong}行:G列: band: 应为以下之一：上学、放学、午间、夜间（实际填的是 '早上'）"
    wb = openpyxl.load_workbook(path)
    wb["护学岗"].cell(wrong, headers(wb["护学岗"])["时段"], "上学")
    wb.save(path)
    result = ledger(project, "--import", str(path))
    assert result.returncode == 0, result.stderr
    data = records(project)
    assert data["shaobing-junior"]["drills"][-1]["signal"] == "09:05:00" and data["shaobing-junior"]["drills"][-1]["all_clear"] == "09:07:10"
    assert data["shaobing-junior"]["drills"][-1]["date"] == dt.date(2026, 5, 6)
    assert data["ceshi-primary"]["trainings"] == [{"date": dt.date(2026, 5, 7), "subject": "一键报警", "audience": "保安", "attendees": 5}]
    assert data["shaobing-junior"]["duty"][-1] == {"start": dt.date(2026, 5, 11), "point": "gate", "band": "上学", "officer_times": 2}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60))
def test_any_text_is_written_as_yaml_that_reads_back_the_same(text: str) -> None:
    written = "subject: " + append.scalar("subject", text) + "\n"
    assert yamlfile.parse(written) == {"subject": text}


def test_a_file_that_is_no_workbook_is_refused_in_chinese(project: Path) -> None:
    (project.parent / "台账.xlsx").write_text("不是表格", encoding="utf-8")
    result = ledger(project, "--import", str(project.parent / "台账.xlsx"))
    assert result.returncode == 1 and "无法读取 台账.xlsx" in result.stderr and "Traceback" not in result.stderr
