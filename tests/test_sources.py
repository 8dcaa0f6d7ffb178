"""Sources are structured and checkable, and moving them to the structured form lost nothing."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from conftest import ROOT, run_cli

BEFORE = ROOT / "tests" / "fixtures" / "sources-before-structured.json"
DROPPED = ROOT / "tests" / "fixtures" / "sources-dropped"


def _lessons() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "lessons").rglob("*.yml")
            if not p.name.startswith("_")}


def test_every_old_source_arrived_unchanged_or_was_dropped_with_a_reason() -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    dropped = {(d["lesson"], d["id"]): d["reason"] for f in DROPPED.glob("*.yml")
               for d in yaml.safe_load(f.read_text(encoding="utf-8")) or []}
    assert all(reason.strip() for reason in dropped.values())
    lessons = _lessons()
    for lesson_id, sources in before.items():
        assert lesson_id in lessons, f"lesson {lesson_id} disappeared"
        now = {s["id"]: s for s in lessons[lesson_id]["sources"]}
        for old in sources:
            if (lesson_id, old["id"]) in dropped:
                assert old["id"] not in now or now[old["id"]]["title"] != old["title"], (lesson_id, old["id"])
                continue
            assert old["id"] in now, f"{lesson_id}: source {old['id']} neither kept nor listed as dropped"
            for key in ("title", "url"):
                assert now[old["id"]].get(key) == old.get(key), (lesson_id, old["id"], key)
            # A detail may say more than before, never less.
            assert (old.get("detail") or "") in (now[old["id"]].get("detail") or ""), (lesson_id, old["id"])


def test_every_source_names_its_issuer_and_how_to_find_it() -> None:
    for lesson_id, lesson in _lessons().items():
        for source in lesson["sources"]:
            assert source.get("issuer"), (lesson_id, source["id"])
            assert any(source.get(k) for k in ("number", "date", "url")), (lesson_id, source["id"])
            assert source.get("confidence") in ("verified", "second-hand"), (lesson_id, source["id"])


def test_validate_rejects_a_source_nobody_can_check(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "project", project)
    lesson = next(p for p in (project / "lessons").rglob("*.yml") if not p.name.startswith("_"))
    data = yaml.safe_load(lesson.read_text(encoding="utf-8"))
    first = data["sources"][0]
    text = lesson.read_text(encoding="utf-8")
    for key in ("number", "date", "url"):
        if key in first:
            value = first[key]
            text = text.replace(f"    {key}: {value if not hasattr(value, 'isoformat') else value.isoformat()}\n", "", 1)
    lesson.write_text(text, encoding="utf-8")
    result = run_cli("-C", str(project), "validate")
    assert result.returncode == 1
    assert "还要有文号、日期或网址中的至少一项" in result.stdout
    assert f"{lesson.relative_to(project).as_posix()}:" in result.stdout
