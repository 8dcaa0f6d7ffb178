"""A smoke run of the benchmark at a tiny scale, so it cannot rot. It checks shape, not speed."""

from __future__ import annotations

import json

from conftest import FIXTURE, run_cli, with_fixture_rules


def test_benchmark_runs_and_reports_every_figure(tmp_path) -> None:
    import shutil

    import yaml

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with_fixture_rules(project)  # a term still to come (below): the bench plans it
    (project / "records" / "2099-spring").mkdir()
    (project / "records" / "2099-spring" / "_term.yml").write_text(
        "name: 2099年春季学期\nfirst_day: 2099-02-16\nlast_day: 2099-07-03\n", encoding="utf-8")
    # A lesson written for older pupils only, with a declared "which is wrong" question: the bench
    # copies it to every tier, where such a question is refused below junior high.
    lesson_file = project / "lessons" / "demo" / "qiuzhu-dianhua.yml"
    lesson = yaml.safe_load(lesson_file.read_text(encoding="utf-8"))
    lesson["tiers"] = ["university"]
    lesson["variants"] = {"university": lesson["variants"]["university"]}
    lesson["variants"]["university"]["quiz"].append(
        {"question": "下面哪种做法是错误的？", "choices": ["拒绝刷单", "出借银行卡"], "answer": 2,
         "explanation": "出借银行卡违法", "negative": True})
    lesson_file.write_text(yaml.safe_dump(lesson, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("bench", "-C", str(project), "--lessons", "4", "--schools", "3", "--repeat", "1",
                     "--small", "0.5")
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    report = json.loads(lines[-1])
    small, large = report["results"]
    assert (small["lessons"], large["lessons"]) == (2, 4)
    # Every lesson is varied into all six tiers: 6 variant pages + 1 overview each, plus schools.
    assert large["pages"] >= 4 * 7 + 3
    for key in ("load_validate_s", "generate_s", "generate_cold_s", "generator_one_change_s", "build_s",
                "generator_share", "ms_per_page", "rebuild_s",
                "peak_rss_mb", "total_pss_mb", "search_index_mb", "site_mb"):
        assert large[key] is not None and large[key] > 0, key
    assert 0 < large["generator_share"] < 1
    assert large["records"] > 0 and "records_s" in large  # the fixture's records are varied per school too
    assert large["planned_sessions"] > 0 and large["plan_s"] > 0  # every school planned for the coming term
    assert large["ledger_rows"] > 0 and large["ledger_s"] > 0  # the internal 台账 of the busiest term, written
    assert any(line.startswith("time per page, large / small:") for line in lines)
    starter = report["starter"]
    assert starter["pages"] > 0 and 0 < starter["search_index_mb"] < starter["site_mb"]
    assert any(line.startswith("starter library:") for line in lines)
