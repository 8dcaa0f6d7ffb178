"""The station's guides: their YAML examples validate, their example output is what validate prints,
their commands exist, and every guide is in the nav."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli

from generator.cli import build_parser

GUIDES = ROOT / "content" / "guides"
SUMMARY = re.compile(r"^\d+ 门课程（\d+ 份学段教案），\d+ 所学校：通过$")


def blocks(page: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", (GUIDES / page).read_text(encoding="utf-8"), re.S)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A copy of the project's YAML: lessons, schools, records and the laws lessons cite."""
    for folder in ("lessons", "schools", "records", "laws"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def validate(project: Path) -> tuple[int, list[str]]:
    result = run_cli("-C", str(project), "validate")
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout.splitlines()


def write_examples(page: str, project: Path) -> dict[str, str]:
    """Each YAML example whose first line names its file (`# records/…yml`), written there."""
    written = {}
    for block in blocks(page, "yaml"):
        first = block.splitlines()[0]
        if re.fullmatch(r"# [a-z0-9_/-]+\.yml", first):
            rel = first[2:]
            (project / rel).parent.mkdir(parents=True, exist_ok=True)
            (project / rel).write_text(block, encoding="utf-8")
            written[rel] = block
    return written


def test_the_records_guide_examples_validate_and_its_example_problem_is_what_validate_prints(library: Path) -> None:
    written = write_examples("records.md", library)
    assert set(written) == {"records/2026-autumn/_term.yml", "records/2026-autumn/qingsong-primary.yml"}
    code, out = validate(library)
    assert code == 0, out
    assert SUMMARY.match(out[-1]), out
    # The guide's example problem: the second lecture's tier changed to one the school does not have.
    record = library / "records/2026-autumn/qingsong-primary.yml"
    text = record.read_text(encoding="utf-8")
    old = "    tier: primary-upper             # 学段编号"
    assert old in text
    record.write_text(text.replace(old, "    tier: junior-high               # 学段编号", 1), encoding="utf-8")
    code, out = validate(library)
    assert code == 1
    shown = [line for block in blocks("records.md", "text") for line in block.splitlines() if ".yml:" in line]
    assert shown and shown == out, (shown, out)


def test_the_add_lesson_guide_and_readme_show_what_validate_prints(library: Path) -> None:
    lesson = library / "lessons/anti-fraud/shuadan-fanli.yml"
    original = lesson.read_text(encoding="utf-8")
    shown = [line for block in blocks("add-lesson.md", "text") for line in block.splitlines()]
    # 1. the second question of the senior-high variant answered with a 4th choice that is not there
    old = "        choices: [借给他，反正是同学, 拒绝，出租出借银行卡是违法行为, 只借一天就没关系]\n        answer: 2\n"
    assert old in original
    lesson.write_text(original.replace(old, old.replace("answer: 2", "answer: 4")), encoding="utf-8")
    code, out = validate(library)
    assert code == 1 and out == shown[:1], (out, shown)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```text\n{out[0]}\n```" in readme
    # 2. objectives misspelt in the senior-high variant
    start = original.index("  senior-high:")
    at = original.index("    objectives:", start)
    lesson.write_text(original[:at] + "    objectivs:" + original[at + len("    objectives:"):], encoding="utf-8")
    code, out = validate(library)
    assert code == 1 and out == shown[1:3], (out, shown)
    lesson.write_text(original, encoding="utf-8")
    # 3. a "which is wrong" question in a primary tier (how the drowning lesson was written before)
    drowning = library / "lessons/drowning/fang-nishui.yml"
    safe = "      - question: 看到同学落水，你站在岸上，最先应该做什么？\n"
    text = drowning.read_text(encoding="utf-8")
    assert safe in text
    drowning.write_text(text.replace(safe, "      - question: 看到同学落水，下面哪种做法是错误的？\n"), encoding="utf-8")
    code, out = validate(library)
    assert code == 1 and out == shown[3:], (out, shown)


def test_the_install_guide_shows_the_summary_validate_prints() -> None:
    shown = [line for block in blocks("install.md", "text") for line in block.splitlines()]
    assert any(SUMMARY.match(line) for line in shown), shown


def _commands() -> list[tuple[str, list[str]]]:
    found = []
    for name in ("install", "upkeep", "add-lesson", "records", "internal", "teacher"):
        page = GUIDES / f"{name}.md"
        text = page.read_text(encoding="utf-8")
        code = re.findall(r"`(huxiao [^`]+)`", text)
        for block in re.findall(r"```bash\n(.*?)```", text, re.S):
            code += [line.strip() for line in block.splitlines() if line.strip().startswith("huxiao ")]
        found += [(page.name, shlex.split(command)[1:]) for command in code]
    return found


def test_every_huxiao_command_in_the_guides_exists() -> None:
    commands = _commands()
    assert len(commands) >= 15
    parser = build_parser()
    for page, args in commands:
        if args[0] in ("bundle", "bench"):
            tool = (ROOT / "generator" / "tools" / f"{args[0]}.py").read_text(encoding="utf-8")
            assert all(f'"{a}"' in tool for a in args[1:] if a.startswith("--")), (page, args)
            continue
        try:
            parser.parse_args(args)
        except SystemExit:
            pytest.fail(f"{page}: huxiao {' '.join(args)} is not a valid command")


def test_every_guide_is_in_the_nav_and_on_the_guides_page() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    guides_nav = next(item["指南"] for item in config["nav"] if isinstance(item, dict) and "指南" in item)
    in_nav = {next(iter(e.values())) if isinstance(e, dict) else e for e in guides_nav}
    index = (GUIDES / "index.md").read_text(encoding="utf-8")
    for name in ("install", "upkeep", "add-lesson", "records", "internal", "prepare", "teacher"):
        assert f"guides/{name}.md" in in_nav, name
        assert f"]({name}.md)" in index, name


_VISIBLE_ENGLISH = re.compile(r"\b(?:Not found|Made with|Back to top|Skip to content|Previous|Next|Search|"
                              r"Table of contents|Copy to clipboard|list\[|dict\[)\b")


def test_guides_404_and_field_reference_read_chinese(starter_site: Path) -> None:
    from conftest import html_text

    not_found = html_text((starter_site / "404.html").read_text(encoding="utf-8"))
    assert "找不到这个页面" in not_found and "Not found" not in not_found
    for name in ("install", "upkeep", "records", "internal", "teacher", "add-lesson", "fields"):
        page = (starter_site / "guides" / name / "index.html").read_text(encoding="utf-8")
        text = html_text(page)
        assert not _VISIBLE_ENGLISH.search(text), (name, _VISIBLE_ENGLISH.search(text))
        labels = re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', page)
        assert not [label for label in labels if re.fullmatch(r"[A-Za-z ]{4,}", label)], (name, labels)
    fields = html_text((starter_site / "guides" / "fields" / "index.html").read_text(encoding="utf-8"))
    assert "教学环节" in fields and "QuizItem" not in fields and "来源的列表" in fields
