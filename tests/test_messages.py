"""Messages to the station: Chinese by default, English on request, one catalogue for both."""

from __future__ import annotations

import re
import shutil
import string
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from test_bad_input import CASES, edit

from generator import stationdata as project_loader
from generator.source import loading, messages
from generator.source.loading import ProjectPaths
from generator.source.models import Lesson
from generator.source.problems import InvalidProject
from generator.source.records import SchoolRecord
from generator.source.schools import School

FIXTURE = ROOT / "tests" / "fixtures" / "project"
CJK = re.compile(r"[\u4e00-\u9fff]")
# pydantic's and PyYAML's own English, which must never reach a Chinese reader.
ENGLISH_LEAKS = re.compile(r"Input should|Field required|Extra inputs|Value error|valid integer|valid date|"
                           r"Assertion failed|String should|List should|did you mean|is not|must be|while parsing|"
                           r"could not find|expected <")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("table", [messages.MESSAGES, messages.PYDANTIC], ids=["ours", "pydantic"])
def test_every_message_has_a_chinese_and_an_english_text_with_the_same_fields(table: dict) -> None:
    for key, text in table.items():
        assert text.zh and text.en, key
        if key != "other":  # the fallback shows pydantic's own text in English
            assert _fields(text.zh) - {"s"} == _fields(text.en) - {"s"}, key  # s: an English plural
        if _fields(text.zh) != {text.zh.strip("{}")}:  # a template that is only a field has no words
            assert CJK.search(text.zh) or (key == "list_sep" and text.zh == "、"), key
            assert not CJK.search(text.en.replace("知识竞赛", "").replace("实到", "").replace("应到", "")
                                  .replace("与本学段目标用时对比", "")), key


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    used: set[str] = set()
    for path in (ROOT / "generator").rglob("*.py"):
        used |= set(re.findall(r"\b(?:tr|fail)\(\"([a-z_.]+)\"", path.read_text(encoding="utf-8")))
    assert len(used) > 60
    assert used - set(messages.MESSAGES) == set()


def _problems(project: Path) -> list:
    try:
        project_loader.load(ProjectPaths.at(project))
    except InvalidProject as error:
        return error.problems
    return []


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One copy of the fixture project per kind of bad input (the cases of test_bad_input)."""
    base = tmp_path_factory.mktemp("broken")
    copies = []
    for case, (rel, old, new, *_rest) in sorted(CASES.items()):
        target = base / case
        shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns("site"))
        edit(target, rel, old, new)
        copies.append(target)
    return copies


def test_no_english_sentence_reaches_a_chinese_reader(broken: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(messages.ENV, raising=False)
    seen = 0
    for project in broken:
        problems = _problems(project)
        assert problems, project.name
        for problem in problems:
            seen += 1
            assert CJK.search(problem.message), (project.name, str(problem))
            assert not ENGLISH_LEAKS.search(problem.message), (project.name, str(problem))
            # no run of three English words: a sentence, not a field name or a value
            assert not re.search(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}", problem.message), (project.name, str(problem))
            # file:line:column: field: message, as before
            assert str(problem).startswith(problem.position + ": ")
    assert seen >= len(CASES)


def test_english_on_request(broken: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(messages.ENV, "en")
    texts = {project.name: " ".join(p.message for p in _problems(project)) for project in broken}
    assert "did you mean 'anti-fraud'" in texts["unknown-topic"]
    assert "must be a whole number (got '四十')" in texts["wrong-type"]
    assert "required field 'summary' is missing" in texts["missing-field"]
    assert "answer 4 is not one of the 3 choices" in texts["quiz-answer-out-of-range"]
    assert "YAML syntax error" in texts["yaml-syntax"]
    for project, text in texts.items():
        assert not re.search(r"[\u4e00-\u9fff]{4}", re.sub(r"'[^']*'|\([^)]*\)", "", text).replace(
            "与本学段目标用时对比", "")), (project, text)


# pydantic's error types, each from a value that makes it, with what the Chinese message must say.
PYDANTIC_CASES = [
    (Lesson, {"title": 1}, ("title",), "string_type", "应为文字"),
    (Lesson, {"kind": "lectur"}, ("kind",), "literal_error", "应为以下之一：lecture、drill"),
    (Lesson, {"taught_by": "police"}, ("taught_by",), "literal_error", "应为以下之一：teacher、officer"),
    (Lesson, {"reviewed": "2026-13-01"}, ("reviewed",), "date_from_datetime_parsing", "应为日期"),
    (Lesson, {"tiers": []}, ("tiers",), "too_short", "至少要有 1 项"),
    (Lesson, {"tiers": "primary-upper"}, ("tiers",), "list_type", "应为列表"),
    (Lesson, {"titel": "x"}, ("titel",), "extra_forbidden", "未知字段“titel”；是不是“title”？"),
    (Lesson, {}, ("summary",), "missing", "缺少必填字段“summary”"),
    (Lesson, {"topic": "Anti Fraud"}, ("topic",), "id_pattern", "应为编号"),
    (School, {"head_count": "lots"}, ("head_count",), "int_parsing", "应为整数"),
    (SchoolRecord, {"lectures": [{"audience": -1}]}, ("lectures", 0, "audience"), "greater_than_equal", "应大于或等于"),
    (SchoolRecord, {"lectures": [{"audience": 1.5}]}, ("lectures", 0, "audience"), "int_from_float", "应为整数"),
]


@pytest.mark.parametrize("model, data, loc, kind, words", PYDANTIC_CASES,
                         ids=[f"{c[0].__name__}-{c[3]}" for c in PYDANTIC_CASES])
def test_pydantic_errors_are_translated_by_type(monkeypatch: pytest.MonkeyPatch, model: type, data: dict,
                                                loc: tuple, kind: str, words: str) -> None:
    monkeypatch.delenv(messages.ENV, raising=False)
    import yaml

    raw = yaml.safe_dump(data, allow_unicode=True).encode() if data else b"x: 1\n"
    value = data if data else {"x": 1}
    _, problems = loading.validate(raw, value, model, "f.yml")
    found = [p for p in problems if p.loc == loc]
    assert found, [str(p) for p in problems]
    assert found[0].code == kind, found[0]
    assert words in found[0].message, found[0].message
    assert not ENGLISH_LEAKS.search(" ".join(p.message for p in problems)), [str(p) for p in problems]


def test_cli_lang_option_and_environment(project: Path) -> None:
    edit(project, "lessons/demo/qiuzhu-dianhua.yml", "topic: anti-fraud", "topic: anti-frod")
    chinese = run_cli("-C", str(project), "validate")
    english = run_cli("-C", str(project), "validate", "--lang", "en")
    before = run_cli("--lang", "en", "-C", str(project), "validate")
    assert "topic: 未知专题“anti-frod”；是不是“anti-fraud”？" in chinese.stdout
    assert "发现 1 个问题" in chinese.stderr
    for result in (english, before):
        assert result.returncode == 1
        assert "topic: unknown topic 'anti-frod'; did you mean 'anti-fraud'?" in result.stdout
        assert "1 problem found" in result.stderr


# Common slips in hand-edited YAML: each explained in Chinese, with no English phrase of libyaml's.
YAML_SLIPS = ["a: 'x\nb: 1\n", "a:\n  b: 1\n c: 2\n", "a: b: c\n", "a: @x\n", "a: [1, 2\n", "a: {b: 1\n",
              "- a\nb: 1\n", "a: 1\n  b: 2\n", 'a: "x\\q"\n', "a: *nope\n", "a: `x`\n", "a: x\n- b\n",
              "a: 2026-02-30\n", "? [a]\n: 1\n", "a: 1\na: 2\n", "a:\n\tb: 1\n", "", "- a\n"]


@pytest.mark.parametrize("text", YAML_SLIPS)
def test_yaml_slips_are_explained_in_chinese(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    from generator.source import yamlfile

    monkeypatch.delenv(messages.ENV, raising=False)
    with pytest.raises(yamlfile.YamlError) as caught:
        yamlfile.parse(text)
    message = caught.value.message
    assert CJK.search(message), message
    assert not re.search(r"\b(?!YAML\b)[A-Za-z]{3,}\b(?: [A-Za-z]{2,}\b)+", message.replace("Tab", "")), message
