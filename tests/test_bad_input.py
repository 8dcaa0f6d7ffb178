"""Bad input: each kind gets one clear line naming file, line, column and field; exit 1; no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli, snapshot

LESSON = "lessons/demo/qiuzhu-dianhua.yml"
DRILL = "lessons/demo/chonwu-anquan.yml"
SCHOOL = "schools/ceshi-primary.yml"
RECORD = "records/2026-spring/ceshi-primary.yml"
DRILL_RECORD = "records/2026-spring/ceshi-kindergarten.yml"
TERM = "records/2026-spring/_term.yml"


def edit(project: Path, rel: str, old: str, new: str) -> str:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def validate(project: Path) -> tuple[int, str]:
    result = run_cli("-C", str(project), "validate")
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return result.returncode, result.stdout


def assert_problem(project: Path, expected_prefix: str, *words: str) -> str:
    """`huxiao validate` names the problem; `huxiao build` fails the same way and leaves site/ alone."""
    code, out = validate(project)
    assert code == 1, out
    lines = [line for line in out.splitlines() if line.startswith(expected_prefix)]
    assert lines, f"no line starting {expected_prefix!r} in:\n{out}"
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    before = snapshot(project / "site")
    assert before, "the fixture should come with a previous build"
    build = run_cli("-C", str(project), "build", "-q")
    assert build.returncode == 1
    assert "Traceback" not in build.stderr, build.stderr
    assert lines[0] in build.stderr
    assert snapshot(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")], "left a half-built site"
    return lines[0]


# Each case: (file, old text, new text, needle marking the reported line, field path, words in the message)
CASES = {
    "yaml-syntax": (LESSON, "summary: 测试用课程", "summary: [测试用课程", None, None,
                    ["YAML 语法错误", "从第 4 行开始"]),
    "wrong-type": (LESSON, "    minutes: 40", "    minutes: 四十", "minutes: 四十",
                   "variants.primary-upper.minutes", ["应为整数", "四十"]),
    "missing-field": (LESSON, "summary: 测试用课程：记住 110 与 96110。\n", "", "title:", "summary",
                      ["缺少必填字段“summary”"]),
    "unknown-field": (LESSON, "    objectives: [记住报警电话", "    objectivs: [记住报警电话", "objectivs:",
                      "variants.primary-upper.objectivs", ["未知字段“objectivs”", "是不是“objectives”"]),
    "unknown-topic": (LESSON, "topic: anti-fraud", "topic: anti-frod", "topic: anti-frod", "topic",
                      ["未知专题“anti-frod”", "是不是“anti-fraud”"]),
    "unknown-tier": (LESSON, "tiers: [primary-upper, university]", "tiers: [primary-upper, univrsity]",
                     "tiers:", "tiers[1]", ["未知学段“univrsity”"]),
    "missing-variant": (LESSON, "tiers: [primary-upper, university]", "tiers: [primary-upper, university, junior-high]",
                        "tiers:", "tiers[2]", ["“junior-high”", "没有它的教案"]),
    "quiz-answer-out-of-range": (LESSON, 'choices: ["110", "119", "120"], answer: 1',
                                 'choices: ["110", "119", "120"], answer: 4', "answer: 4",
                                 "variants.primary-upper.quiz[0]", ["答案 4 不在 3 个选项之内"]),
    "minutes-over-duration": (LESSON, "        minutes: 30\n", "        minutes: 35\n", "    activities:\n      - title: 导入游戏",
                              "variants.primary-upper.activities", ["合计 45 分钟", "40"]),
    "record-missing-lesson": (RECORD, "  lesson: qiuzhu-dianhua\n", "  lesson: no-such-lesson\n", "no-such-lesson",
                              "lectures[0].lesson", ["未知课程“no-such-lesson”"]),
    "record-tier-not-served": (RECORD, "  tier: primary-upper\n", "  tier: primary-lower\n", "tier: primary-lower",
                               "lectures[0].tier", ["没有学段“primary-lower”的教案"]),
    "record-outside-term": (RECORD, "- date: 2026-03-10", "- date: 2026-08-10", "2026-08-10",
                            "lectures[0].date", ["不在本学期之内"]),
    "lecture-names-a-drill": (RECORD, "  lesson: qiuzhu-dianhua\n", "  lesson: chonwu-anquan\n", "chonwu-anquan",
                              "lectures[0].lesson", ["是演练，请记在 drills 下"]),
    "same-slot-twice": (RECORD, "lectures:\n", "lectures:\n- {date: 2026-03-10, lesson: qiuzhu-dianhua, "
                        "tier: primary-upper, audience: 10}\n", "- date: 2026-03-10", "lectures[1]",
                        ["记录了两次"]),
    "unknown-patrol-point": (RECORD, "  audience: 280\n", "  audience: 280\nduty:\n- {start: 2026-03-09, "
                             "point: p9, band: 上学, officer_times: 2}\n", "point: p9", "duty[0].point",
                             ["未知岗点“p9”"]),
    "all-clear-before-signal": (DRILL_RECORD, "  seconds: 140\n", "  signal: '09:00:00'\n  all_clear: '08:59:00'\n",
                                "- date: 2026-04-01", "drills[0]", ["all_clear（集合完毕时刻）要晚于 signal（信号时刻）"]),
    "present-more-than-expected": (DRILL_RECORD, "  seconds: 140\n", "  seconds: 140\n  headcount:\n"
                                   "  - {group: 大班, expected: 30, present: 31}\n", "{group: 大班",
                                   "drills[0].headcount[0]", ["实到 present 多于应到 expected"]),
    "term-ends-before-it-starts": (TERM, "last_day: 2026-07-15", "last_day: 2026-01-15", None, None,
                                   ["last_day（最后一天）必须晚于 first_day（第一天）"]),
    "duplicate-key": (LESSON, "title: 记住求助电话\n", "title: 记住求助电话\ntitle: 又一个标题\n", "title: 又一个",
                      None, ["键“title”重复", "第 1 行"]),
    "tab-indent": (LESSON, "  - id: h96110\n", "  - id: h96110\n\ttitle: x\n", "\ttitle", None, ["Tab"]),
    "python-tag": (LESSON, "summary: 测试用课程：记住 110 与 96110。", "summary: !!python/object/apply:os.system [echo hi]",
                   "summary: !!python", None, ["不允许使用标签"]),
    "javascript-link": (LESSON, "summary: 测试用课程", "summary: 点我 javascript:alert(1) 测试用课程",
                        "summary:", "summary", ["javascript:"]),
    "negative-minutes": (DRILL, "{title: 儿歌, minutes: 10", "{title: 儿歌, minutes: -10", "{title: 儿歌",
                         "variants.kindergarten.activities[0].minutes", ["应大于或等于 1"]),
    # Unquoted, the loader builds the date itself and fails without a mark: still located, with its field.
    "impossible-date": (RECORD, "date: 2026-03-10", "date: 2026-02-30", "date: 2026-02-30", "lectures[0].date",
                        ["“2026-02-30”取值无效", "日期不存在"]),
    "impossible-date-quoted": (RECORD, "date: 2026-03-10", "date: '2026-02-30'", "date: '2026-02-30'", "lectures[0].date",
                               ["日期"]),
    # A one-line text: its own limit of 200 characters, told as characters (not "items") and alone.
    "line-over-its-limit": (SCHOOL, "name: 测试小学（虚构）", "name: " + "长" * 5000, "name: 长", "name",
                            ["最多 200 个字符"]),
    "direction-override": (SCHOOL, "name: 测试小学（虚构）", "name: 测试\u202e小学", "name: 测试", "name",
                           ["改变文字方向", "U+202E"]),
    "direction-isolate-in-point": (SCHOOL, 'name: "测试点位"', 'name: "测试\u2067点位"', 'name: "测试', "patrol_points[0].name",
                                   ["U+2067"]),
    "hotline-not-on-allow-list": (LESSON, 'hotlines: [{number: "110", name: 报警}]',
                                  'hotlines: [{number: "12345", name: 报警}]', 'number: "12345"',
                                  "variants.primary-upper.handout.hotlines[0].number",
                                  ["“12345”不在求助电话白名单上", "lessons/_taxonomy.yml"]),
    "call-number-not-on-allow-list": (LESSON, "summary: 测试用课程：记住 110 与 96110。",
                                      "summary: 测试用课程：遇事请拨打 12345，2025年起。", "summary:", "summary",
                                      ["“12345”不在求助电话白名单上"]),
    # In the lesson's JSON, which a quick check searches first, a quote is \" and a line break \n.
    "call-number-in-quotes": (LESSON, "summary: 测试用课程：记住 110 与 96110。",
                              'summary: 测试用课程：遇事请拨打 "12345"。', "summary:", "summary",
                              ["“12345”不在求助电话白名单上"]),
    "call-number-after-line-break": (LESSON, "summary: 测试用课程：记住 110 与 96110。",
                                     "summary: |-\n  测试用课程：遇事请拨打\n  12345。", "summary:", "summary",
                                     ["“12345”不在求助电话白名单上"]),
    "drill-text-names-another-target": (DRILL, "after_action: [记录用时]", "after_action: [记录用时，与 120 秒目标对比]",
                                        "after_action:", "drill.after_action[0]",
                                        ["“120 秒”不是本演练任何学段的目标用时", "90 秒、150 秒"]),
    "quiz-negative-stem-undeclared": (LESSON, "{question: 刷单是否可信, choices: [可信, 都是诈骗], answer: 2",
                                      "{question: 下列哪种做法是错误的, choices: [不理刷单广告, 帮人刷单赚佣金], answer: 2",
                                      "下列哪种做法是错误的", "variants.university.quiz[0].question",
                                      ["“错误”", "negative: true", "✘ 错误做法"]),
    "quiz-negative-stem-for-children": (LESSON, "{question: 报警电话是多少, choices",
                                        "{question: 下面哪个电话不是报警电话, negative: true, choices",
                                        "下面哪个电话不是报警电话", "variants.primary-upper.quiz[0].question",
                                        ["小学4–6年级不出反向题", "应该怎么做"]),
    "quiz-declared-negative-for-children": (LESSON, "{question: 报警电话是多少, choices",
                                            "{question: 报警电话是多少, negative: true, choices",
                                            "negative: true", "variants.primary-upper.quiz[0].question",
                                            ["小学4–6年级不出反向题"]),
    "oral-question-without-text-answer": (DRILL, "answer: 不追，告诉老师", "answer: 2", "answer: 2",
                                          "variants.kindergarten.quiz[0]", ["口答题"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_with_file_line_and_field(project: Path, case: str) -> None:
    rel, old, new, needle, field, words = CASES[case]
    text = edit(project, rel, old, new)
    prefix = f"{rel}:"
    if needle is not None:
        prefix += f"{line_of(text, needle)}:"
    line = assert_problem(project, prefix, *words)
    if field is not None:
        assert f": {field}: " in line, line


@pytest.mark.parametrize("name", ["qiuzhu dianhua", "Qiuzhu-Dianhua", "求助电话", "qiuzhu..dianhua"],
                         ids=["space", "capitals", "chinese", "dots"])
def test_bad_file_name_is_reported(project: Path, name: str) -> None:
    (project / LESSON).rename(project / f"lessons/demo/{name}.yml")
    assert_problem(project, f"lessons/demo/{name}.yml:", "不能作编号")


def test_duplicate_id_in_another_folder_is_reported(project: Path) -> None:
    (project / "lessons/other").mkdir()
    (project / "lessons/other/qiuzhu-dianhua.yml").write_bytes((project / LESSON).read_bytes())
    assert_problem(project, "lessons/other/qiuzhu-dianhua.yml:", "编号“qiuzhu-dianhua”重复",
                   "lessons/demo/qiuzhu-dianhua.yml")


@pytest.mark.parametrize("content, words", ids=["empty", "list", "gbk", "binary", "alias-bomb", "too-large"], argvalues=[
    (b"", "文件是空的"),
    (b"- a\n- b\n", "最外层必须是“字段: 值”的映射"),
    ("title: 中文标题\n".encode("gbk"), "GBK"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "二进制文件"),
    (b"a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
     "YAML 别名太多"),
    (b"title: x\n" + b"# padding\n" * 300_000, "MB"),
])
def test_unreadable_files_are_reported(project: Path, content: bytes, words: str) -> None:
    (project / LESSON).write_bytes(content)
    assert_problem(project, f"{LESSON}:", words)


def test_byte_order_mark_is_accepted(project: Path) -> None:
    path = project / LESSON
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out = validate(project)
    assert code == 0, out


def test_every_problem_is_reported_at_once(project: Path) -> None:
    edit(project, LESSON, "topic: anti-fraud", "topic: nope")
    edit(project, DRILL, "kind: drill", "kind: drll")
    edit(project, SCHOOL, "head_count: 800", "head_count: lots")
    code, out = validate(project)
    assert code == 1
    assert all(f in out for f in (LESSON, DRILL, SCHOOL)), out
    assert "发现 3 个问题" in run_cli("-C", str(project), "validate").stderr


def test_github_format_prints_annotations(project: Path) -> None:
    text = edit(project, LESSON, "topic: anti-fraud", "topic: anti-frod")
    result = run_cli("-C", str(project), "validate", "--format", "github")
    assert result.returncode == 1
    assert f"::error file={LESSON},line={line_of(text, 'topic:')},col=1,title=topic::未知专题“anti-frod”" in result.stdout


def test_valid_project_prints_summary(project: Path) -> None:
    code, out = validate(project)
    assert code == 0
    assert out.strip().endswith("2 门课程（3 份学段教案），2 所学校：通过")


def test_mkdocs_build_aborts_with_the_same_message(project: Path, tmp_path: Path) -> None:
    edit(project, LESSON, "topic: anti-fraud", "topic: anti-frod")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"),
                             "-d", str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert f"{LESSON}:2:1: topic: 未知专题“anti-frod”" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def test_a_record_dated_in_the_future_is_refused(project: Path) -> None:
    """Records say what happened; a date after today belongs in a plan."""
    import datetime as dt

    today = dt.date.today()
    autumn = today.month >= 7
    first = dt.date(today.year, 7 if autumn else 1, 2)
    folder = project / "records" / f"{today.year}-{'autumn' if autumn else 'spring'}"
    folder.mkdir(exist_ok=True)
    (folder / "_term.yml").write_text(f"name: 本学期\nfirst_day: {first}\nlast_day: {first + dt.timedelta(days=199)}\n",
                                      encoding="utf-8")
    tomorrow = today + dt.timedelta(days=1)
    (folder / "ceshi-primary.yml").write_text(
        f"lectures:\n- {{date: {tomorrow}, lesson: qiuzhu-dianhua, tier: primary-upper, audience: 30}}\n",
        encoding="utf-8")
    assert_problem(project, f"records/{folder.name}/ceshi-primary.yml:2:", "还没到")


def test_old_profiles_with_deliveries_are_told_how_to_move_them(project: Path) -> None:
    edit(project, SCHOOL, "contact: 000-0000-0001\n", "contact: 000-0000-0001\ndeliveries:\n"
         "  - {date: 2026-03-10, lesson: qiuzhu-dianhua, tier: primary-upper, audience: 280}\n")
    assert_problem(project, f"{SCHOOL}:", "huxiao migrate-records")

