"""`huxiao report`: the term 工作总结 as a Word file and a PDF, read back with python-docx, with
LibreOffice (as WPS or Word would open it) and with pypdf; every figure checked against a recount
made here from the YAML records, not from the report object."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE, ROOT, run_cli
from docx import Document
from docx.shared import Pt

from generator.reports.term import Figure
from generator.reports.writeup import versus

TERM = "2026-spring"
HEADINGS = ("一、基本情况", "二、主要做法和成效", "三、存在的问题", "四、下一步工作打算")
# Planted in one school's records: per-school 护学岗 figures (the district total is public, each
# school's is not) and internal text. None of them may reach the public files.
MARKERS = {"officer": 7301, "vehicle": 8311, "volunteer": 9721}
INTERNAL_TEXT = ("标记隐患甲乙丙", "标记责任人丁戊", "标记授课人己庚", "幼儿园后门标记点")

PRIMARY_RECORD = f"""
lectures:
  - {{date: 2026-03-10, lesson: qiuzhu-dianhua, tier: primary-upper, audience: 280}}
  - {{date: 2026-04-20, lesson: qiuzhu-dianhua, tier: primary-upper, audience: 450, periods: 2, form: 知识竞赛,
      teacher: 标记授课人己庚, quiz: {{took_part: 400, passed: 380, excellent: 120}}}}
duty:
  - {{start: 2026-03-02, days: 1, point: p1, band: 上学, officer_times: {MARKERS['officer']},
      vehicle_runs: {MARKERS['vehicle']}, volunteers: {MARKERS['volunteer']}}}
trainings:
  - {{date: 2026-03-20, subject: 钢叉盾牌使用, audience: 保安, attendees: 12}}
inspections:
  - date: 2026-04-02
    findings:
      - {{problem: 标记隐患甲乙丙, owner: 标记责任人丁戊, due: 2026-05-01}}
      - {{problem: 围墙缺口（虚构）, owner: 总务处, due: 2026-04-20, fixed: 2026-04-18}}
"""
KINDERGARTEN_RECORD = """
drills:
  - {date: 2026-04-01, lesson: chonwu-anquan, tier: kindergarten, groups: [kindergarten], participants: 110, seconds: 140}
  - {date: 2026-05-12, lesson: chonwu-anquan, tier: kindergarten, groups: [kindergarten], participants: 115, seconds: 163}
duty:
  - {start: 2026-03-03, days: 3, point: k1, band: 放学, officer_times: 2, vehicle_runs: 1, volunteers: 4}
"""
# The term before: one lecture early in the term, one late (outside its first 107 days).
EARLIER_RECORD = """
lectures:
  - {date: 2025-10-10, lesson: qiuzhu-dianhua, tier: primary-upper, audience: 300}
  - {date: 2026-01-10, lesson: qiuzhu-dianhua, tier: primary-upper, audience: 200}
"""
NEXT_PLAN = """
sessions:
  - {id: s01, date: 2026-09-07, kind: lecture, lesson: qiuzhu-dianhua, tier: primary-upper, periods: 2}
  - {id: s02, date: 2026-10-12, kind: lecture, lesson: qiuzhu-dianhua, tier: primary-upper}
"""
NEXT_DRILL_PLAN = """
sessions:
  - {id: s01, date: 2026-10-20, kind: drill, lesson: chonwu-anquan, tier: kindergarten}
"""


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with a fuller 2026 spring (lectures, a quiz, drills, duty at two schools,
    training, an open hazard) and plans for the next term."""
    project = tmp_path_factory.mktemp("report") / "project"
    shutil.copytree(FIXTURE, project)
    kindergarten = project / "schools" / "ceshi-kindergarten.yml"
    kindergarten.write_text(kindergarten.read_text(encoding="utf-8")
                            + 'patrol_points:\n  - {id: k1, name: "幼儿园后门标记点", public: false}\n', encoding="utf-8")
    records = project / "records" / TERM
    (records / "ceshi-primary.yml").write_text(PRIMARY_RECORD, encoding="utf-8")
    (records / "ceshi-kindergarten.yml").write_text(KINDERGARTEN_RECORD, encoding="utf-8")
    (project / "records" / "2025-autumn" / "ceshi-primary.yml").write_text(EARLIER_RECORD, encoding="utf-8")
    autumn = project / "records" / "2026-autumn"
    autumn.mkdir()
    (autumn / "_term.yml").write_text("name: 2026年秋季学期\nfirst_day: 2026-09-01\nlast_day: 2027-01-22\n", encoding="utf-8")
    plans = project / "plans" / "2026-autumn"
    plans.mkdir(parents=True)
    (plans / "ceshi-primary.yml").write_text(NEXT_PLAN, encoding="utf-8")
    (plans / "ceshi-kindergarten.yml").write_text(NEXT_DRILL_PLAN, encoding="utf-8")
    return project


def _report(project: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("-C", str(project), "report", "--term", TERM, "--out", str(out), *extra)


@pytest.fixture(scope="module")
def public(planted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("public")
    result = _report(planted, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def internal(planted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("internal")
    result = _report(planted, out, "--audience", "internal")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def libreoffice_text(path: Path, tmp: Path) -> str:
    """The Word file as LibreOffice reads it, converted to plain text (its own profile folder, so
    parallel tests do not share one)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed: tests/system-deps.sh installs libreoffice-writer-nogui"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp / 'lo-profile'}", "--headless",
                    "--convert-to", "txt:Text", "--outdir", str(tmp), str(path)],
                   check=True, capture_output=True, timeout=180)
    return (tmp / (path.stem + ".txt")).read_text(encoding="utf-8-sig")


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def every_part(path: Path) -> str:
    """Every XML part of the .docx (body, footers, document properties), as text."""
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def recount(project: Path, term: str) -> dict[str, int]:
    """The term's figures counted straight from its YAML files."""
    counts = dict.fromkeys(("lectures", "periods", "audience", "drills", "participants", "officer", "vehicle",
                            "volunteer", "trainings", "trained", "found", "fixed", "quiz"), 0)
    for path in (project / "records" / term).glob("[!_]*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for lecture in data.get("lectures", []):
            counts["lectures"] += 1
            counts["periods"] += lecture.get("periods", 1)
            counts["audience"] += lecture["audience"]
            counts["quiz"] += lecture.get("quiz", {}).get("took_part", 0)
        for drill in data.get("drills", []):
            counts["drills"] += 1
            counts["participants"] += drill["participants"]
            counts["found"] += len(drill.get("problems", []))
            counts["fixed"] += sum(1 for f in drill.get("problems", []) if f.get("fixed"))
        for duty in data.get("duty", []):
            counts["officer"] += duty["officer_times"] * duty.get("days", 1)
            counts["vehicle"] += duty.get("vehicle_runs", 0) * duty.get("days", 1)
            counts["volunteer"] += duty.get("volunteers", 0) * duty.get("days", 1)
        for training in data.get("trainings", []):
            counts["trainings"] += 1
            counts["trained"] += training["attendees"]
        for inspection in data.get("inspections", []):
            counts["found"] += len(inspection.get("findings", []))
            counts["fixed"] += sum(1 for f in inspection.get("findings", []) if f.get("fixed"))
    return counts


def change(now: int, before: int, unit: str) -> str:
    return "持平" if now == before else f"{'增加' if now > before else '减少'}{abs(now - before)}{unit}"


def test_word_file_has_the_four_sections_the_unit_and_the_recounted_figures(planted: Path, public: Path,
                                                                            tmp_path: Path) -> None:
    word = public / f"{TERM}.docx"
    now, before = recount(planted, TERM), recount(planted, "2025-autumn")
    paragraphs = [p.text for p in Document(str(word)).paragraphs]
    assert paragraphs[0].replace("\n", "") == "测试派出所2026年春季学期护校安园工作总结"
    today = dt.date.today()
    assert paragraphs[-3:-1] == ["测试市公安局测试分局测试派出所", f"{today.year}年{today.month}月{today.day}日"]
    schools = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (planted / "schools").glob("[!_]*.yml")]
    taxonomy = yaml.safe_load((planted / "lessons" / "_taxonomy.yml").read_text(encoding="utf-8"))
    type_names = {t["id"]: t["name"] for t in taxonomy["school_types"]}
    for text in (docx_text(word), libreoffice_text(word, tmp_path)):
        positions = [text.index(h) for h in HEADINGS]
        assert positions == sorted(positions)
        assert f"测试街道辖区共有学校{len(schools)}所（" in text
        for school_type in {s["type"] for s in schools}:
            assert f"{type_names[school_type]}{sum(1 for s in schools if s['type'] == school_type)}所" in text
        assert f"在校学生{sum(s['head_count'] for s in schools)}人" in text
        assert f"开展安全讲座{now['lectures']}场（环比{change(now['lectures'], before['lectures'], '场')}" in text
        assert f"受教育师生{now['audience']}人次（环比{change(now['audience'], before['audience'], '人次')}" in text
        assert f"共{now['periods']}课时" in text
        assert f"参与{now['quiz']}人次" in text and "其中知识竞赛" not in text  # said once, with its figures
        assert f"指导学校开展应急演练{now['drills']}次" in text and f"参演师生{now['participants']}人次" in text
        assert (f"护学岗投入警力{now['officer']}人次，出动警车{now['vehicle']}次，"
                f"发动群防群治力量{now['volunteer']}人次") in text
        assert f"培训指导学校保安和教职工{now['trainings']}次、{now['trained']}人次" in text
        assert f"排查发现隐患和问题{now['found']}处" in text and f"已整改{now['fixed']}处" in text
        # no 2025 spring on record: nothing is said against the same term last year
        assert "同比" not in text
        assert f"仍有{now['found'] - now['fixed']}处未整改" in text
        assert "1次演练超出目标用时" in text and "1所学校的演练用时比上一次" in text
        assert "已为2所学校排定安全讲座2场、3课时，应急演练1次" in text


def test_word_layout_follows_the_official_document_format(public: Path) -> None:
    word = public / f"{TERM}.docx"
    doc = Document(str(word))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    title, heading, body = doc.paragraphs[0], next(p for p in doc.paragraphs if p.text == HEADINGS[0]), doc.paragraphs[2]

    def east_asian(run) -> str:
        return run._r.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")

    assert east_asian(title.runs[0]).endswith("小标宋简体") and title.runs[0].font.size == Pt(22)
    assert title.alignment == 1  # centred
    assert east_asian(heading.runs[0]) == "黑体" and heading.paragraph_format.keep_with_next
    assert east_asian(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    sub = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert east_asian(sub.runs[0]) == "楷体_GB2312"
    assert 28 <= doc.styles["Normal"].paragraph_format.line_spacing.pt <= 29
    footer = section.footer._element.xml + section.even_page_footer._element.xml
    assert footer.count(" PAGE ") == 2 and "— " in footer


def test_pdf_is_written_beside_it_with_the_same_sections(public: Path) -> None:
    text = pdf_text(public / f"{TERM}.pdf")
    for heading in HEADINGS:
        assert heading in text
    assert "测试市公安局测试分局测试派出所" in text


def test_public_files_hold_no_school_duty_figures_and_no_internal_text(planted: Path, public: Path, internal: Path,
                                                                       tmp_path: Path) -> None:
    word = public / f"{TERM}.docx"
    shown = [every_part(word), libreoffice_text(word, tmp_path), pdf_text(public / f"{TERM}.pdf")]
    total = recount(planted, TERM)["officer"]
    assert all(str(total) in text for text in shown)  # the district's total is public
    for text in shown:
        for marker in MARKERS.values():
            assert str(marker) not in text
        for secret in INTERNAL_TEXT:
            assert secret not in text
        assert "测试所长" not in text  # the chief signs only the internal file
    # the internal file does carry them, so the check above can fail
    inside = docx_text(internal / f"{TERM}.docx")
    assert all(str(marker) in inside for marker in MARKERS.values())
    assert "标记隐患甲乙丙" in inside and "标记责任人丁戊" in inside and "内部资料" in inside


def test_a_bad_settings_file_is_located_and_nothing_is_written(planted: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(planted, project)
    (project / "schools" / "_station.yml").write_text(
        "unit: 测试市公安局测试分局测试派出所\nparent: 测试分局\ndistrict: 测试街道\nchief: 测试所长\ncontact: [1, 2]\n",
        encoding="utf-8")
    out = tmp_path / "out"
    result = _report(project, out)
    assert result.returncode == 1
    assert "schools/_station.yml:5:" in result.stdout and "contact" in result.stdout
    assert not out.exists()


def test_an_existing_word_file_is_not_overwritten_without_force(planted: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    edited = out / f"{TERM}.docx"
    edited.write_bytes(b"edited by hand")
    result = _report(planted, out)
    assert result.returncode == 1 and "--force" in result.stderr
    assert edited.read_bytes() == b"edited by hand" and not (out / f"{TERM}.pdf").exists()
    assert _report(planted, out, "--force").returncode == 0
    assert zipfile.is_zipfile(io.BytesIO(edited.read_bytes()))


def test_without_a_settings_file_the_schools_station_is_used_and_named(planted: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(planted, project)
    (project / "schools" / "_station.yml").unlink()
    result = _report(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "schools/_station.yml" in result.stderr
    assert docx_text(tmp_path / "out" / f"{TERM}.docx").startswith("测试派出所")


def test_an_unknown_term_writes_nothing(planted: Path, tmp_path: Path) -> None:
    result = run_cli("-C", str(planted), "report", "--term", "2030-autumn", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "2026-spring" in result.stderr
    assert not (tmp_path / "out").exists()


def test_versus_says_nothing_without_an_earlier_record() -> None:
    assert versus(Figure("x", "讲座", "场", 12)) == ""
    assert versus(Figure("x", "讲座", "场", 12, last_year=8, last_term=12)) == "（同比增加4场、上升50.0%，环比持平）"
    assert versus(Figure("x", "讲座", "场", 6, last_term=8)) == "（环比减少2场、下降25.0%）"


def test_starter_term_in_progress_is_compared_with_the_same_days_of_the_last_term(tmp_path: Path) -> None:
    started = time.perf_counter()
    result = run_cli("report", "--term", "2026-autumn", "--out", str(tmp_path))
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert seconds < 60  # all 516 print documents took minutes; this is one
    text = docx_text(tmp_path / "2026-autumn.docx")
    term = yaml.safe_load((ROOT / "records" / "2026-autumn" / "_term.yml").read_text(encoding="utf-8"))
    spring = yaml.safe_load((ROOT / "records" / "2026-spring" / "_term.yml").read_text(encoding="utf-8"))
    today = dt.date.today()
    if today >= term["last_day"]:
        pytest.skip("the term is over: compared with whole terms")
    until = spring["first_day"] + (today - term["first_day"])

    def lectures(folder: str, last: dt.date) -> int:
        return sum(1 for p in (ROOT / "records" / folder).glob("[!_]*.yml")
                   for x in (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("lectures", []) if x["date"] <= last)

    now, before = lectures("2026-autumn", today), lectures("2026-spring", until)
    change = "增加" if now > before else "减少"
    assert f"开展安全讲座{now}场（环比{change}{abs(now - before)}场" in text
    assert "同比" not in text  # no 2025 autumn in the starter
    assert f"环比均与相应学期开学后同样{(today - term['first_day']).days + 1}天的数字相比" in text
    schools = len(list((ROOT / "schools").glob("[!_]*.yml")))
    assert f"辖区共有学校{schools}所（" in text
    assert "2027年春季学期已为" in text
    assert "项规定动作到期未落实" in text  # the starter's rules (plans/_rules.yml) against its records


def test_an_edited_settings_file_shows_on_the_report_page_of_a_cached_rebuild(tmp_path: Path) -> None:
    from conftest import html_text, mkdocs_build, page

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    assert "测试派出所2026年春季学期护校安园工作总结" in html_text(page(mkdocs_build(project, tmp_path / "first"), f"/reports/{TERM}/"))
    station = project / "schools" / "_station.yml"
    station.write_text(station.read_text(encoding="utf-8").replace("short_name: 测试派出所", "short_name: 改名派出所"),
                       encoding="utf-8")
    assert "改名派出所2026年春季学期" in html_text(page(mkdocs_build(project, tmp_path / "second"), f"/reports/{TERM}/"))


def test_a_term_not_yet_over_is_compared_with_the_same_days_of_the_term_before(planted: Path) -> None:
    """On 1 June, the spring term's 107th day: the autumn term's first 107 days had one lecture
    (its second came later), so two lectures now are one more, not as many."""
    from generator.reports.term import term_report
    from generator.reports.writeup import writeup
    from generator.source.loading import ProjectPaths
    from generator.stationdata import load

    def written(today: dt.date | None) -> str:
        c = load(ProjectPaths.at(planted), today=today)
        return "".join(part.text for section in writeup(c, term_report(c, TERM)).sections for part in section.parts)

    text = written(dt.date(2026, 6, 1))
    assert "开展安全讲座2场（环比增加1场、上升100.0%）" in text
    assert "环比均与相应学期开学后同样107天的数字相比" in text
    over = written(None)
    assert "开展安全讲座2场（环比持平）" in over and "同样" not in over
