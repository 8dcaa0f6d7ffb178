"""Two audiences: nothing from an `internal:` block reaches the public build; all of it reaches
the internal one."""

from __future__ import annotations

import gzip
import html
from pathlib import Path

import pytest
from conftest import article, html_text, mkdocs_build, page, run_cli

SENTINELS = {
    "security_lead": "SENTINEL-LEAD-7Q1",
    "equipment": "SENTINEL-EQUIP-3K9",
    "barriers": "SENTINEL-BARRIER-5T2",
    "blind_spots": "SENTINEL-BLIND-8W4",
    "risks": "SENTINEL-RISK-4H8",
    "notes": "SENTINEL-NOTES-9D3",
    # Term records: named people, problems and who fixes them, headcount, duty, inspection findings.
    "teacher": "SENTINEL-TEACHER-6B1",
    "drill_problem": "SENTINEL-DRILLPROBLEM-1C7",
    "owner": "SENTINEL-OWNER-5N3",
    "headcount_group": "SENTINEL-HEADCOUNT-2P8",
    "finding": "SENTINEL-FINDING-7X4",
    "finding_owner": "SENTINEL-FINDOWNER-3J5",
    "secret_point": "SENTINEL-POINT-9R2",
    "secret_drill": "SENTINEL-UNANNOUNCED-4F6",
}
NUMBERS = {"cameras": 98765, "retention_days": 3217, "expected": 94321, "present": 83907, "excused": 7389}
# Per-school police figures: a school's own 护学岗 deployment is internal; only the district's total
# is public. Each differs from every other figure, and the totals they make are checked apart.
DUTY = {"officer_times": 71937, "vehicle_runs": 64813, "volunteers": 58273}
OTHER_DUTY = {"officer_times": 2711, "vehicle_runs": 2713, "volunteers": 2717}
PUBLIC_POINT = "公开必巡点-哨兵路口"

SCHOOL = f"""name: 哨兵中学（虚构）
type: junior
head_count: 1600
district: 测试区
station: 测试派出所
liaison: {{name: 测试警官（虚构）, unit: 测试派出所}}
contact: 000-0000-0003
tiers: [kindergarten, primary-upper]
patrol_points:
  - {{id: gate, name: {SENTINELS["secret_point"]}}}
  - {{id: crossing, name: {PUBLIC_POINT}, public: true}}
internal:
  security_lead: {SENTINELS["security_lead"]}
  guards: {{full_time: 2, gatehouse_24h: false, patrols_per_day: 3, equipment: [{SENTINELS["equipment"]}]}}
  barriers: [{SENTINELS["barriers"]}]
  closed_campus: true
  alarm: {{installed: true, linked_to_police: false, last_test: 2026-02-01}}
  video: {{cameras: {NUMBERS["cameras"]}, linked_to_police: true, retention_days: {NUMBERS["retention_days"]},
          blind_spots: [{SENTINELS["blind_spots"]}]}}
  risks: [{SENTINELS["risks"]}]
  notes: {SENTINELS["notes"]}
"""

RECORD = f"""lectures:
  - {{date: 2026-03-10, lesson: qiuzhu-dianhua, tier: primary-upper, audience: 100, teacher: {SENTINELS["teacher"]}}}
drills:
  - date: 2026-04-01
    lesson: chonwu-anquan
    tier: kindergarten
    groups: [一楼]
    participants: 90
    seconds: 140
    headcount: [{{group: {SENTINELS["headcount_group"]}, expected: {NUMBERS["expected"]}, present: {NUMBERS["present"]},
                 excused: {NUMBERS["excused"]}}}]
    problems: [{{problem: {SENTINELS["drill_problem"]}, owner: {SENTINELS["owner"]}, due: 2026-04-20}}]
duty:
  - {{start: 2026-03-09, days: 1, point: gate, band: 上学, officer_times: {DUTY["officer_times"]},
     vehicle_runs: {DUTY["vehicle_runs"]}, volunteers: {DUTY["volunteers"]}}}
inspections:
  - date: 2026-03-20
    findings: [{{problem: {SENTINELS["finding"]}, owner: {SENTINELS["finding_owner"]}, due: 2026-04-01}}]
"""

PLAN = f"""sessions:
  - {{id: s01, date: 2026-03-16, kind: lecture, lesson: qiuzhu-dianhua, tier: primary-upper}}
  - {{id: s02, date: 2026-04-08, kind: drill, lesson: chonwu-anquan, tier: kindergarten, mode: unannounced,
     note: {SENTINELS["secret_drill"]}}}
"""


CODE = {".js", ".css", ".map", ".woff", ".woff2", ".ttf", ".png", ".ico"}


def all_text(site: Path, data_only: bool = False) -> str:
    """Every file of the output as text: .gz files decompressed, PDFs as the text a reader sees.
    `data_only` leaves out the theme's code and fonts, whose digits are not figures."""
    from pypdf import PdfReader

    parts = []
    for path in site.rglob("*"):
        if path.is_file() and not (data_only and path.suffix in CODE):
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            if path.suffix == ".pdf":
                parts.extend(p.extract_text() for p in PdfReader(path).pages)
                continue
            text = data.decode("utf-8", errors="replace")
            if path.suffix == ".ics":  # RFC 5545 folds long lines: unfold, or a marker split in two slips past
                text = text.replace("\r\n ", "").replace("\n ", "")
            parts.append(text)
    # Author text is written with character references (&#45; for "-"): compare what a reader sees.
    return html.unescape("\n".join(parts))


@pytest.fixture(scope="module")
def sentinel_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from conftest import FIXTURE

    root = tmp_path_factory.mktemp("sentinel") / "project"
    shutil.copytree(FIXTURE, root)
    (root / "schools" / "shaobing-junior.yml").write_text(SCHOOL, encoding="utf-8")
    (root / "records" / "2026-spring" / "shaobing-junior.yml").write_text(RECORD, encoding="utf-8")
    # A plan, so that the public calendars exist and are checked too; the unannounced drill stays inside.
    plans = root / "plans" / "2026-spring"
    plans.mkdir(parents=True)
    (plans / "shaobing-junior.yml").write_text(PLAN, encoding="utf-8")
    # A second school on duty, so that the district's total is not one school's figure.
    other = root / "records" / "2026-spring" / "ceshi-primary.yml"
    other.write_text(other.read_text(encoding="utf-8") + "duty:\n  - {start: 2026-03-09, days: 1, point: p1, band: 上学, "
                     + ", ".join(f"{k}: {v}" for k, v in OTHER_DUTY.items()) + "}\n", encoding="utf-8")
    thresholds = Path(__file__).resolve().parents[1] / "schools" / "_thresholds.yml"
    shutil.copy(thresholds, root / "schools" / "_thresholds.yml")
    return root


def _digits_apart(text: str) -> str:
    """The text with every run of digits set apart, so that 7193 is not found inside 17193."""
    import re

    return " " + " ".join(re.findall(r"\d+", text.replace(",", ""))) + " "


def test_public_build_holds_no_internal_data(sentinel_project: Path, tmp_path: Path) -> None:
    """Pages, search index, calendars and every PDF the public site carries (`huxiao pdf` first, as CI does)."""
    result = run_cli("-C", str(sentinel_project), "pdf", "--out", str(sentinel_project / "pdf"), "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    site = mkdocs_build(sentinel_project, tmp_path / "public")
    assert list(site.rglob("reports/*.pdf")) and list(site.rglob("*.ics")) and (site / "search" / "search_index.json").is_file()
    text = all_text(site)
    data = all_text(site, data_only=True)
    numbers = _digits_apart(data)
    for name, value in list(NUMBERS.items()) + list(DUTY.items()):
        assert str(value) not in data and f" {value} " not in numbers, name
    # The district's total is public: the two schools' duty added up, in the report's page and PDF.
    for name in DUTY:
        assert f" {DUTY[name] + OTHER_DUTY[name]} " in numbers, name
        assert f" {OTHER_DUTY[name]} " not in _digits_apart(page(site, "/reports/2026-spring/")), name
    assert "哨兵中学" in text  # the school itself is public
    assert "发现问题 2 处" in html_text(article(page(site, "/schools/shaobing-junior/")))  # counts are public
    assert PUBLIC_POINT in text  # a point the station has published shows; the others do not
    for name, value in SENTINELS.items():
        assert value not in text, name
    assert not (site / "internal").exists()
    assert not list(site.rglob("*.yml")) and not list(site.rglob("*.yaml"))
    # The record form inlines the schools' data: the published point, not the others.
    form = html.unescape(page(site, "/records/form/"))
    assert PUBLIC_POINT in form and SENTINELS["secret_point"] not in form and '"id":"gate"' not in form


def test_internal_build_holds_every_internal_field(sentinel_project: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUXIAO_AUDIENCE", "internal")
    site = mkdocs_build(sentinel_project, tmp_path / "internal")
    text = all_text(site)
    for name, value in list(SENTINELS.items()) + [(k, str(v)) for k, v in NUMBERS.items()]:
        assert value in text, name
    report = _digits_apart(page(site, "/reports/2026-spring/"))
    for name, value in DUTY.items():  # the station's own build lists each school's duty
        assert f" {value} " in report, name
    assert SENTINELS["secret_point"] in page(site, "/records/form/")  # the station's own form knows every point
    dossier = html_text(article(page(site, "/internal/schools/shaobing-junior/")))
    # 1600 students need 3 + (600 // 500) = 4 guards: 2 is short; 3 patrols are under 5.
    assert "≥ 4 人（1600 名学生）" in dossier and "✘ 未达标" in dossier
    assert "GB/T 29315-2022" in dossier
    overview = html_text(article(page(site, "/internal/")))
    assert "哨兵中学" in overview and "专职保安" in overview
    assert "内部资料" in html_text(page(site, "/"))  # every page says it is internal


def test_cli_flag_builds_internal_into_its_own_folder(sentinel_project: Path) -> None:
    result = run_cli("-C", str(sentinel_project), "build", "--audience", "internal", "-q")
    assert result.returncode == 0, result.stderr
    assert (sentinel_project / "site-internal" / "internal" / "index.html").is_file()
    assert not (sentinel_project / "site" / "internal").exists()


def test_unknown_audience_is_refused(sentinel_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUXIAO_AUDIENCE", "everyone")
    result = run_cli("-C", str(sentinel_project), "build", "-q")
    assert result.returncode == 1
    assert "HUXIAO_AUDIENCE='everyone'" in result.stderr and "Traceback" not in result.stderr
