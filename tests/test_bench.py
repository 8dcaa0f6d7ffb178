"""A smoke run of the benchmark at a tiny scale, so it cannot rot. It checks shape, not speed."""

from __future__ import annotations

import json

from conftest import FIXTURE, run_cli


def test_benchmark_runs_and_reports_every_figure() -> None:
    result = run_cli("bench", "-C", str(FIXTURE), "--lessons", "4", "--schools", "3", "--repeat", "1",
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
    assert any(line.startswith("time per page, large / small:") for line in lines)
    starter = report["starter"]
    assert starter["pages"] > 0 and 0 < starter["search_index_mb"] < starter["site_mb"]
    assert any(line.startswith("starter library:") for line in lines)
