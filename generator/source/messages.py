"""Every message Huxiao prints about the input, in Chinese (default) and English.

A station's editors read Chinese: `huxiao validate` answers in Chinese unless asked for English
(`huxiao --lang en …` or `HUXIAO_LANG=en`). All texts live in this one catalogue, each under a key
with a Chinese and an English template (`str.format` fields). Errors raised inside the pydantic
models carry their key as the error type (`fail`), and pydantic's own errors are translated by
their type (`pydantic_message`), so no English sentence of pydantic's reaches a Chinese reader.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, NamedTuple

from pydantic_core import PydanticCustomError

from .messages_foreign import ARGPARSE, PYDANTIC_TEXTS
from .messages_laws import LAW_MESSAGES

LANGUAGES = ("zh", "en")
ENV = "HUXIAO_LANG"


def language() -> str:
    """'zh' unless HUXIAO_LANG asks for English (read each time: helper processes inherit it)."""
    return "en" if os.environ.get(ENV, "").lower().startswith("en") else "zh"


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    os.environ[ENV] = lang


class Text(NamedTuple):
    zh: str
    en: str


MESSAGES: dict[str, Text] = {
    # ---- words used inside other messages
    "warning": Text("警告", "warning"),
    "shrunk.records": Text("记录比上次提交（git）时少：{changes}。如果不是有意删除，用 git checkout -- {file} 找回，再把新记录加进去",
                           "fewer records than at the last commit (git): {changes}. If this was not meant, restore it with "
                           "git checkout -- {file} and add the new record to it"),
    "shrunk.kind": Text("{kind} {before} → {now} 条", "{kind} {before} → {now}"),
    "shrunk.lectures": Text("讲座", "lectures"),
    "shrunk.drills": Text("演练", "drills"),
    "shrunk.duty": Text("护学岗", "duty"),
    "shrunk.trainings": Text("培训", "trainings"),
    "shrunk.inspections": Text("隐患排查", "inspections"),
    "list_sep": Text("、", ", "),
    "did_you_mean": Text("；是不是“{close}”？", "; did you mean '{close}'?"),
    "known": Text("；已有：{known}", "; known: {known}"),
    "allowed_fields": Text("；可用的字段：{fields}", "; allowed fields: {fields}"),
    "got": Text("（实际填的是 {value}）", " (got {value})"),
    "what.tier": Text("学段", "tier"),
    "what.topic": Text("专题", "topic"),
    "what.lesson": Text("课程", "lesson"),
    "what.source": Text("来源", "source"),
    "what.school type": Text("学校类型", "school type"),
    "none_yet": Text("无：请在学校档案中添加 patrol_points", "none: add patrol_points to the school's profile"),
    "slot.lectures": Text("日期、课程和学段都相同", "same date and the same lesson and tier"),
    "slot.duty": Text("日期、岗点和时段都相同", "same date and the same post and time band"),
    "slot.other": Text("日期和内容都相同", "same date and the same entry"),
    # ---- plans and rules (source/plans.py, plans.py, tools/plan.py)
    "plan.one_date": Text("需要且只能给出一种日期：month 加 day，month 加 last_weekday，或 before_term_end: true",
                          "give exactly one kind of date: month and day, month and last_weekday, or before_term_end: true"),
    "plan.no_such_day": Text("没有{month}月{day}日这一天", "there is no day {day} in month {month}"),
    "plan.mode_for_drills": Text("mode 只用于演练（kind: drill）", "mode is only for drills (kind: drill)"),
    "plan.same_id": Text("两场安排的编号相同：{id}", "two sessions have the same id: {id}"),
    "plan.no_term": Text("找不到学期 {term} 的日历：请先写 records/{term}/_term.yml（开学、放假日期）",
                         "no calendar for term {term}: write records/{term}/_term.yml first (first day, holidays)"),
    "plan.no_school": Text("schools/ 下没有学校“{school}”：计划文件以学校的文件名命名",
                           "no school '{school}' in schools/: a plan file is named after the school's file"),
    "plan.outside_term": Text("{day} 不在本学期内（{first} 至 {last}）", "{day} is outside the term ({first} to {last})"),
    "plan.closed_day": Text("{day} 是{reason}：请确认确实要在这一天安排", "{day} is {reason}: make sure the session is meant for that day"),
    "plan.officer_clash": Text(
        "{day} {start} 开始的这一场与 {school} 的安排（{other_start}–{other_end}，{other_file}）时间重叠："
        "{officer} 不能同时在两所学校；请改开始时间或日期",
        "{day} at {start} overlaps the session at {school} ({other_start}–{other_end}, {other_file}): {officer} cannot be "
        "at two schools at once; change the start time or the day"),
    "plan.weekend": Text("周末", "a weekend"),
    "plan.holiday": Text("{name}假期", "in the {name} holiday"),
    "plan.exams": Text("{name}", "in {name}"),
    "plan.no_lesson": Text("没有编号为“{id}”的课程", "no lesson with id '{id}'"),
    "plan.not_a_drill": Text("“{id}”不是演练脚本（kind: drill）", "'{id}' is not a drill script (kind: drill)"),
    "plan.no_topic": Text("没有编号为“{id}”的专题", "no topic with id '{id}'"),
    "plan.no_school_type": Text("没有编号为“{id}”的学校类型", "no school type with id '{id}'"),
    "plan.no_rules": Text("找不到排课规则文件：请先写 plans/_rules.yml", "no rules file: write plans/_rules.yml first"),
    "plan.no_calendar": Text("找不到学期 {term} 的日历：请先写这个文件（first_day、last_day、holidays、exam_weeks）",
                             "no calendar for term {term}: write this file first (first_day, last_day, holidays, exam_weeks)"),
    "plan.cannot_append": Text("无法在文件末尾补充场次：请让 sessions: 列表放在文件最后（块格式，每场以“  - ”开头），然后再运行 huxiao plan",
                               "cannot append sessions at the end of this file: keep the sessions: list last, in block style "
                               "(each session starting with '  - '), then run huxiao plan again"),
    "plan.bad_term_id": Text("huxiao plan：“{term}”不是学期编号，请用 <年份>-spring 或 <年份>-autumn，如 2027-spring",
                             "huxiao plan: '{term}' is not a term id: use <year>-spring or <year>-autumn, e.g. 2027-spring"),
    "plan.nothing_written": Text("发现 {count} 个问题，没有写入任何文件", "{count} problems found, nothing written"),
    "plan.summary": Text("{term}：{schools} 所学校，新增 {total} 场，{verb} {files} 个计划文件。",
                         "{term}: {schools} schools, {total} new sessions, {verb} {files} plan files."),
    "plan.verb_dry": Text("将写入", "would write"),
    "plan.verb_wet": Text("已写入", "wrote"),
    "plan.overloaded": Text("提醒：{name} 联系 {count} 所学校（{schools}），超过规则的上限。",
                            "reminder: {name} serves {count} schools ({schools}), more than the rules allow."),
    "plan.repeat": Text("提醒：{school}：{lesson}（{tier}）上学期已讲过，这个专题没有别的课可换",
                        "reminder: {school}: {lesson} ({tier}) was given last term; its topic has no other lesson"),
    "plan.unmet_hard": Text("无法满足：{school}：{label}：{why}", "cannot meet: {school}: {label}: {why}"),
    "plan.unmet_soft": Text("提醒：{school}：{label}：{why}", "reminder: {school}: {label}: {why}"),
    "plan.year_hours": Text("每学年课时", "the year's lesson hours"),
    "plan.why_no_day": Text("{start}至{end}没有上课日（假期、考试周或周末）",
                            "no teaching day from {start} to {end} (holidays, exams or weekends)"),
    "plan.why_full": Text("{start}至{end}的上课日里，法治副校长每天都已排满 {limit} 场（本校或所联系的其他学校）",
                          "from {start} to {end} the officer already has {limit} sessions every teaching day (here or at their other schools)"),
    "plan.why_no_lecture": Text("本校学段没有可讲的课程（课程库里这些专题没有本校学段的教案）",
                                "no lesson for this school's tiers (the library has none in these topics)"),
    "plan.why_no_drill": Text("课程库里没有适合本校学段的演练脚本", "no drill script in the library for this school's tiers"),
    "plan.why_no_free_day": Text("本学期已没有法治副校长空闲的上课日", "no free teaching day left for the officer this term"),
    # ---- the 台账 workbook (tools/ledger/)
    "ledger.at": Text("{book}:{sheet}!第{row}行:{column}列", "{book}:{sheet}!row {row}:column {column}"),
    "ledger.bad_term": Text("huxiao ledger：“{term}”不是学期编号，请用 <年份>-spring 或 <年份>-autumn，如 2026-autumn",
                            "huxiao ledger: '{term}' is not a term id: use <year>-spring or <year>-autumn, e.g. 2026-autumn"),
    "ledger.no_school": Text("未知学校编号“{id}”{hint}", "unknown school id '{id}'{hint}"),
    "ledger.no_term": Text("{book} 没有写明学期（隐藏页 _huxiao 的 B1）：请加 --term，如 --term 2026-autumn",
                           "{book} does not say its term (hidden sheet _huxiao, B1): add --term, e.g. --term 2026-autumn"),
    "ledger.missing_column": Text("{book}:{sheet}!第{row}行: 缺少“{header}”列", "{book}:{sheet}!row {row}: the column '{header}' is missing"),
    "ledger.kind.drills": Text("演练", "drill"),
    "ledger.kind.inspections": Text("隐患排查", "inspection"),
    "ledger.no_parent": Text("本台账和已有记录中都没有这一{kind}（{school}，{day}，{lesson}）：请先在“{kind}”表中填写",
                             "no such {kind} in this workbook or the records ({school}, {day}, {lesson}): fill it in first"),
    "ledger.kept_changed": Text("与已有记录是同一项，但内容不同：没有改动已有记录；要修改请直接编辑 {file}",
                                "the same entry as a recorded one but different: the record was left as it is; edit {file} to change it"),
    "ledger.cannot_append": Text("无法在不改动已有内容的情况下添加记录：请把这一类记录写成块格式的列表（每项以“- ”开头，"
                                 "不要写成 lectures: [] 这样的一行），然后再导入",
                                 "cannot add records without changing what is there: write that list in block style "
                                 "(one '- ' item per line, not lectures: [] on one line), then import again"),
    "ledger.unreadable": Text("无法读取 {book}：不是 Excel 工作簿（.xlsx）", "cannot read {book}: not an Excel workbook (.xlsx)"),
    "ledger.imported": Text("{term}：{verb} {added} 条新记录，{files} 个文件；{kept} 行已有记录，未改动",
                            "{term}: {verb} {added} new records in {files} files; {kept} rows already recorded, left as they are"),
    "ledger.written": Text("已写出{what}台账 {out}：{counts}", "wrote the {what} ledger {out}: {counts}"),
    "ledger.public": Text("公开版", "public"),
    "ledger.internal": Text("内部版", "internal"),
    "ledger.template": Text("空白", "empty"),
    "ledger.internal_note": Text("内部资料：含授课人、问题与整改、清点人数和护学岗数据，不要发布或外传",
                                 "internal: it names teachers, problems and owners, headcounts and the gate-duty figures; do not publish it"),
    # ---- reading files (loading.py, yamlfile.py)
    "file_not_found.taxonomy": Text("找不到分类文件（学段、专题、学校类型）", "taxonomy file not found"),
    "bad_term_folder": Text("文件夹名“{name}”不是学期编号：应写成 <年份>-spring 或 <年份>-autumn，如 2026-autumn",
                            "folder name '{name}' is not a term id: use <year>-spring or <year>-autumn, e.g. 2026-autumn"),
    "term_file_missing": Text("找不到学期文件：每个 records/<学期编号>/ 文件夹都要有一个写明 first_day 和 last_day 的 _term.yml",
                              "term file not found: every records/<term-id>/ folder needs a _term.yml with first_day and last_day"),
    "bad_file_name": Text("文件名“{stem}”不能作编号：只能用小写字母 a-z、数字和单个连字符，如 shuadan-fanli.yml",
                          "file name '{stem}' is not a valid id: use lower-case letters a-z, digits and single hyphens, "
                          "e.g. shuadan-fanli.yml"),
    "duplicate_file_id": Text("编号“{id}”重复：{other} 的文件名相同", "duplicate id '{id}': {other} has the same file name"),
    "cannot_read": Text("无法读取文件：{reason}", "cannot read file: {reason}"),
    "yaml.duplicate_key": Text("键“{key}”重复（第 {first} 行已经写过）", "duplicate key '{key}' (first given on line {first})"),
    "yaml.too_big": Text("文件有 {size:.1f} MB，最多只能 {limit} MB", "file is {size:.1f} MB; at most {limit} MB is allowed"),
    "yaml.binary": Text("这是二进制文件（含 NUL 字节），不是 YAML 文本", "file is binary (it contains NUL bytes), not YAML text"),
    "yaml.not_utf8": Text("文件不是 UTF-8 编码{guess}；请另存为 UTF-8", "file is not UTF-8{guess}; save it as UTF-8"),
    "yaml.looks_like": Text("（看起来是 {label}）", " (it looks like {label})"),
    "yaml.error": Text("YAML 错误：{error}", "YAML error: {error}"),
    "yaml.invalid_value": Text("取值无效：{error}", "invalid value: {error}"),
    "yaml.invalid_value_at": Text("“{value}”取值无效：{error}", "'{value}' is not a valid value: {error}"),
    "yaml.too_deep": Text("文档嵌套层数太多", "the document is nested too deeply"),
    "yaml.empty": Text("文件是空的", "file is empty"),
    "yaml.top_level": Text("最外层必须是“字段: 值”的映射，而不是{kind}",
                           "the top level must be a mapping of fields, not a {kind}"),
    "yaml.kind.list": Text("列表", "list"),
    "yaml.kind.text": Text("文字", "text"),
    "yaml.kind.number": Text("数字", "number"),
    "yaml.kind.other": Text("{name}", "{name}"),
    "yaml.tag": Text("不允许使用标签 {tag}：只能写普通的 YAML 数据（文字、数字、列表、映射）",
                     "the tag {tag} is not allowed: only plain YAML data (text, numbers, lists, mappings)"),
    "yaml.tab": Text("YAML 的缩进不能用 Tab 制表符，请用空格缩进",
                     "a tab character is not allowed in YAML indentation; indent with spaces"),
    "yaml.syntax": Text("YAML 语法错误：{problem}", "YAML syntax error: {problem}"),
    "yaml.syntax_context": Text("YAML 语法错误：{context}（从第 {line} 行开始），{problem}",
                                "YAML syntax error: {context} (started on line {line}), {problem}"),
    "yaml.syntax_context_only": Text("YAML 语法错误：{context}，{problem}", "YAML syntax error: {context}, {problem}"),
    "yaml.too_many_values": Text("展开后超过 {limit} 个值（YAML 别名太多）",
                                 "the document expands to more than {limit} values (too many YAML aliases)"),
    # ---- checks inside the models (raised with `fail`)
    "text_empty": Text("不能为空", "must not be empty"),
    "text_too_long": Text("有 {length} 个字符，最多 {limit} 个", "is {length} characters long; at most {limit} are allowed"),
    "text_control": Text("含有控制字符", "contains a control character"),
    "text_bidi": Text("含有改变文字方向的隐形控制字符（{codes}），会让文字倒着显示，请删去",
                      "contains an invisible direction control ({codes}) that can make text read backwards; remove it"),
    "text_unsafe_link": Text("含有 javascript:、vbscript:、data: 或 file: 链接，不允许",
                             "contains a javascript:, vbscript:, data: or file: link, which is not allowed"),
    "single_line": Text("只能写一行", "must be a single line"),
    "http_url": Text("必须是 http:// 或 https:// 开头的网址", "must be an http:// or https:// address"),
    "tier_needs_ages": Text("学生学段要写年龄范围 ages: [最小, 最大]", "a tier of pupils needs ages: [youngest, oldest]"),
    "source_findable": Text("来源除发布机关外，还要有文号、日期或网址中的至少一项，读者才能查到；"
                            "如果都没有，就把这句改写成建议，并删去这条来源",
                            "a source needs a document number, a date or a URL besides its issuer, so a reader "
                            "can find it; without one, word the fact as advice and drop the source"),
    "source_needs": Text("来源要写 {fields}（或用 law: 引用 laws/ 中的法规）", "a source needs {fields} (or law: naming a file in laws/)"),
    "oral_answer": Text("口答题（没有 choices）的 answer 要写出参考答案文字",
                        "an oral question (no choices) needs the expected answer as text"),
    "answer_number": Text("answer 要写选项的序号（1 到 {count}）", "answer must be the number of a choice (1 to {count})"),
    "answer_not_choice": Text("答案 {answer} 不在 {count} 个选项之内", "answer {answer} is not one of the {count} choices"),
    "quiz_negative_undeclared": Text(
        "题目问的是“哪个是错的”（“{word}”），答案会是错误做法：请写 negative: true，揭晓时它标成红色的“✘ 错误做法”，"
        "而不是绿色的“正确”；更好的是改成“应该怎么做”，让安全的做法当答案",
        "the question asks which choice is wrong (\"{word}\"), so its answer is the unsafe act: declare negative: true "
        "so the reveal marks it as the wrong act in red with ✘, never as a green \"correct\"; better, ask what to do, "
        "with the safe act as the answer"),
    "quiz_negative_young": Text(
        "{tier}不出反向题（问“哪个是错的”、答案是错误做法）：孩子会记住投影上被揭晓的那个做法。"
        "请改成“应该怎么做”，让安全的做法当答案",
        "no negative question (\"which is wrong\", the unsafe act as the answer) for {tier}: children remember the act "
        "the projector reveals. Ask what to do instead, with the safe act as the answer"),
    "steps_order": Text("步骤要按时间顺序排列（at_seconds 不能变小）", "steps must be in time order (at_seconds never decreases)"),
    "drill_needs_block": Text("kind: drill 的课程要有 drill: 演练脚本", "a lesson of kind drill needs a drill: block"),
    "drill_block_needs_kind": Text("有 drill: 演练脚本的课程要写 kind: drill", "a drill: block needs kind: drill"),
    "review_order": Text("review_by（下次审核）不能早于 reviewed（最近审核）", "review_by must not be before reviewed"),
    "deliveries_moved": Text("deliveries 已移到 records/<学期编号>/<学校编号>.yml：请运行 huxiao migrate-records",
                             "deliveries have moved to records/<term-id>/<school-id>.yml: run `huxiao migrate-records`"),
    "patrol_points_moved": Text("internal.patrol_points 已改为 patrol_points（含 id、name、public）：请运行 huxiao migrate-records",
                                "internal.patrol_points has moved to patrol_points (with id, name, public): "
                                "run `huxiao migrate-records`"),
    "patrol_points_twice": Text("patrol_points 中有两个岗点编号相同", "patrol_points: two points have the same id"),
    "end_before_start": Text("结束日期 end 早于开始日期 start", "end is before start"),
    "term_order": Text("last_day（最后一天）必须晚于 first_day（第一天）", "last_day must be after first_day"),
    "term_too_long": Text("一个学期最多 200 天", "a term is at most 200 days long"),
    "passed_over_took_part": Text("及格人数 passed 多于参赛人数 took_part", "passed is more than took_part"),
    "excellent_over_passed": Text("优秀人数 excellent 多于及格人数 passed", "excellent is more than passed"),
    "quiz_only_contest": Text("quiz 计数只用于 form: 知识竞赛", "quiz counts are only for form 知识竞赛"),
    "quiz_over_audience": Text("quiz.took_part（参赛人数）多于听众人数 audience", "quiz.took_part is more than the audience"),
    "present_over_expected": Text("实到 present 多于应到 expected", "present (实到) is more than expected (应到)"),
    "present_excused_over": Text("实到 present 加请假 excused 多于应到 expected", "present plus excused is more than expected"),
    "signal_pair": Text("signal（信号）和 all_clear（完毕）要么都写，要么都不写", "give both signal and all_clear, or neither"),
    "all_clear_order": Text("all_clear（集合完毕时刻）要晚于 signal（信号时刻）", "all_clear is not after signal"),
    "seconds_mismatch": Text("seconds 写的是 {seconds}，但从 signal 到 all_clear 是 {measured} 秒",
                             "seconds is {seconds}, but signal to all_clear is {measured}"),
    "problem_due_before": Text("problems[{n}].due（整改期限）早于演练日期", "problems[{n}].due is before the drill"),
    "problem_fixed_before": Text("problems[{n}].fixed（整改日期）早于演练日期", "problems[{n}].fixed is before the drill"),
    "finding_due_before": Text("findings[{n}].due（整改期限）早于检查日期", "findings[{n}].due is before the inspection"),
    # ---- cross-checks (curriculum.py)
    "unknown": Text("未知{what}“{value}”{hint}", "unknown {what} '{value}'{hint}"),
    "unknown_citation": Text("{unknown}（正文引用为 [^{cited}]）", "{unknown} (cited as [^{cited}])"),
    "duplicate_id_lesson": Text("编号“{id}”重复：有一门课程的文件名相同", "duplicate id '{id}': a lesson has the same file name"),
    "review_overdue": Text("审核已过期：review_by {date} 已过", "review overdue: review_by {date} has passed"),
    "duplicate_id": Text("编号“{id}”重复", "duplicate id '{id}'"),
    "duplicate_hotline": Text("求助电话“{number}”重复", "duplicate hotline '{number}'"),
    "duplicate_synonym": Text("同义词“{word}”出现在不止一组里：每个词只能属于一组",
                              "synonym '{word}' is in more than one group: each word belongs to one group"),
    "duplicate_source": Text("来源编号“{id}”重复", "duplicate source id '{id}'"),
    "tier_without_variant": Text("学段“{tier}”列在 tiers 中，但 variants 下没有它的教案",
                                 "tier '{tier}' is listed in tiers but has no variant under variants"),
    "variant_not_listed": Text("教案“{tier}”的学段没有列在 tiers 中", "variant '{tier}' is not listed in tiers"),
    "activities_too_long": Text("各环节合计 {total} 分钟，超过本学段课时 {minutes} 分钟",
                                "activities add up to {total} minutes, more than the variant's {minutes}"),
    "letter_parents_only": Text("致家长的一封信只能写在家长对象（parents）的教案里",
                                "a letter is for parents: only a variant for a parents tier has one"),
    "target_drills_only": Text("target_seconds 只用于演练（kind: drill）", "target_seconds is only for drills (kind: drill)"),
    "related_self": Text("课程不能与自己相关", "a lesson is not related to itself"),
    "drill_seconds": Text("“{found}”不是本演练任何学段的目标用时（{targets}）：请写“与本学段目标用时对比”",
                          "'{found}' is not the target of any tier of this drill ({targets}): say 与本学段目标用时对比"),
    "hotline_not_allowed": Text("“{number}”不在求助电话白名单上（{allowed}）；如果号码属实，请连同出处加到 {taxonomy}",
                                "'{number}' is not on the hotline allow-list ({allowed}); add it with its source to "
                                "{taxonomy} if it is real"),
    # ---- term records (records.py)
    "record_no_school": Text("schools/ 中没有学校“{id}”：记录文件要以学校档案的文件名命名",
                             "no school '{id}' in schools/: a record file is named after the school's file"),
    "first_day_year": Text("first_day {day} 不在文件夹所写的 {year} 年", "first_day {day} is not in {year}, the year the folder names"),
    "autumn_start": Text("秋季学期应在 7 月到 10 月之间开学", "an autumn term starts between July and October"),
    "spring_start": Text("春季学期应在 1 月到 4 月之间开学", "a spring term starts between January and April"),
    "period_outside": Text("{name}不在本学期之内", "{name} is outside the term"),
    "day_outside": Text("{day} 不在本学期之内（{first} 至 {last}）", "{day} is outside the term ({first} to {last})"),
    "day_future": Text("{day} 还没到：这里记录已经做过的事，计划另行安排",
                       "{day} is in the future: record what happened, plan what will"),
    "fixed_future": Text("整改日期 {day} 还没到", "fixed on {day}, which is in the future"),
    "duty_past_end": Text("从 {start} 起的 {days} 天超出了学期最后一天", "{days} days from {start} run past the term's end"),
    "unknown_point": Text("未知岗点“{point}”（本校岗点：{known}）", "unknown patrol point '{point}' (the school's points: {known})"),
    "unknown_lesson": Text("未知课程“{id}”", "unknown lesson '{id}'"),
    "not_a_drill": Text("“{id}”不是演练脚本（kind: drill），请记在 lectures 下",
                        "'{id}' is not a drill script (kind: drill); record it under lectures"),
    "is_a_drill": Text("“{id}”是演练，请记在 drills 下", "'{id}' is a drill: record it under drills"),
    "tier_not_served": Text("本校没有学段“{tier}”（本校学段：{tiers}）", "tier '{tier}' is not one this school serves ({tiers})"),
    "no_variant_for_tier": Text("“{id}”没有学段“{tier}”的教案", "'{id}' has no variant for tier '{tier}'"),
    "slot_twice": Text("同一项记录了两次（{what}）", "the same slot is recorded twice ({what})"),
    # ---- print documents (printing/pdf.py)
    "print.term_report": Text("学期工作报告 {term}", "term report {term}"),
    # tqdm's bar_format (its fields in double braces: tr fills none of them).
    "print.progress": Text("{{desc}} {{percentage:3.0f}}%|{{bar}}| {{n_fmt}}/{{total_fmt}} 份，已用 {{elapsed}}，约剩 {{remaining}}",
                           "{{desc}} {{percentage:3.0f}}%|{{bar}}| {{n_fmt}}/{{total_fmt}}, {{elapsed}} elapsed, {{remaining}} left"),
    "print.school_pack": Text("学校讲义包 {school}", "school pack {school}"),
    "print.overflow": Text("{label}：一页 A4 放不下，超出 {mm:.0f} 毫米（共 {pages} 页）：请精简核心信息或讲义要点",
                           "{label}: does not fit on one A4 page; it overflows by {mm:.0f} mm ({pages} pages): "
                           "shorten the key messages or handout points"),
    "print.not_in_font": Text("{label}：有 {count} 个字符不在字体 {font} 中：{codes}",
                              "{label}: {count} character(s) not in the font {font}: {codes}"),
    "print.not_rendered": Text("{label}：有 {count} 个字符没有印出来（缺字形？）：{shown}（{codes}）",
                               "{label}: {count} character(s) did not render (missing glyph?): {shown} ({codes})"),
    "print.not_embedded": Text("{label}：字体 {font} 没有嵌入 PDF", "{label}: font {font} is not embedded"),
    "print.no_font": Text("没有安装字体 {font}：请运行 sudo apt-get install fonts-noto-cjk",
                          "the font {font} is not installed: apt-get install fonts-noto-cjk"),
    # ---- the build (engine/plugin.py)
    "build.invalid": Text("课程、学校或工作记录文件有问题：", "invalid lesson or school files:"),
    "build.stale_pdfs": Text(
        "{count} 个 PDF 是按旧的课程或工作记录生成的，与本次网站内容不一致，这次没有放进网站（页面不链接）；"
        "请运行 huxiao pdf 重新生成后再构建",
        "{count} PDFs were made from older lessons or records than this build publishes and are left out of the "
        "site (not linked); run huxiao pdf, then build again"),
    "build.clash": Text("{path} 与一个生成的页面路径相同；请改名", "{path} clashes with a generated page of the same path; rename it"),
    # ---- the command
    "cli.problems_found": Text("发现 {count} 个问题", "{count} problem{s} found"),
    "cli.ok": Text("{lessons} 门课程（{variants} 份学段教案），{schools} 所学校：通过",
                   "{lessons} lessons ({variants} tier variants), {schools} schools: OK"),
    "cli.exported": Text("已写出 {count} 个页面到 {out}；在该文件夹中运行 zensical build 即可构建网站",
                         "wrote {count} pages to {out}; run zensical build in that folder to build the site"),
    "cli.migrated": Text("已迁移 {deliveries} 条 deliveries 和 {points} 个岗点，写出 {files} 个文件。请检查后运行 huxiao validate。",
                         "moved {deliveries} deliveries and {points} patrol points; {files} files written. "
                         "Check them, then run huxiao validate."),
    "bundle.no_config": Text("huxiao bundle：{project} 中没有 mkdocs.yml", "huxiao bundle: no mkdocs.yml in {project}"),
    "bundle.not_written": Text("huxiao bundle：{count} 个问题；没有写出 {out}", "huxiao bundle: {count} problems; {out} not written"),
    "bundle.done": Text("{count} 个文件，{size:.1f} MB：{out}（解压后打开 {folder}/index.html）",
                        "{count} files, {size:.1f} MB: {out} (unzip it and open {folder}/index.html)"),
    "cli.dry_run": Text("（试运行，未写入）", "(dry run, nothing written) "),
    "migrate.exists": Text("{file} 已经存在；这所学校的 deliveries 请手工迁移",
                           "{file} exists already; move its school's deliveries by hand"),
    "export.not_empty": Text("{out} 不是空文件夹；export 只写入空文件夹或新文件夹",
                             "{out} is not empty; export writes only into an empty or new folder"),
    "export.clash": Text("{path} 在 {docs}/ 中已存在，又是生成的页面；请改名",
                         "{path} exists in {docs}/ and is also generated; rename it"),
    "export.bad_config": Text("{file} 第 {line} 行第 {column} 列：无法读取（{error}）",
                              "{file} line {line}, column {column}: cannot be read ({error})"),
    "cli.no_school": Text("huxiao pdf：schools/ 中没有学校“{id}”", "huxiao pdf: no school '{id}' in schools/"),
    "cli.pdf_placeholder": Text(
        "huxiao pdf：site_url 是占位地址（{url}，主机 {host}），讲义上的二维码会指向打不开的网址，没有生成 PDF。"
        "请把本站的真实地址告诉 huxiao：运行 HUXIAO_SITE_URL=https://本站地址/ huxiao pdf（CI 已在流水线中设置），"
        "或在 mkdocs.yml 中把 site_url 改为真实地址。只想先看排版，请用 huxiao pdf --draft（写到 pdf-draft/，讲义上印“样稿”框，不印二维码）",
        "huxiao pdf: site_url is a placeholder ({url}, host {host}); the handouts' QR codes would point nowhere, no PDF "
        "written. Tell huxiao the site's real address: HUXIAO_SITE_URL=https://your-site/ huxiao pdf (CI sets it), or "
        "set site_url in mkdocs.yml. For a layout proof use huxiao pdf --draft (into pdf-draft/, a 'draft' box instead of "
        "the QR code)"),
    "cli.pdf_done": Text("已生成 {made} 个 PDF，{skipped} 个未变，{problems} 个问题：{out}",
                         "{made} PDFs written, {skipped} unchanged, {problems} problems: {out}"),
    # ---- huxiao report (the term 工作总结 as Word and PDF)
    "report.no_term": Text("huxiao report：没有已开始的学期“{term}”（已开始的学期：{terms}）",
                           "huxiao report: no started term '{term}' (started terms: {terms})"),
    "report.exists": Text("huxiao report：{file} 已经存在，可能已经手工修改过；没有写出任何文件。"
                          "请换一个 --out 文件夹，或加 --force 覆盖",
                          "huxiao report: {file} exists and may have been edited by hand; nothing written. "
                          "Choose another --out folder, or add --force to overwrite it"),
    "report.no_station": Text("huxiao report：警告：没有 {file}，标题和落款用“{unit}”；请按 README 写这个文件",
                              "huxiao report: warning: no {file}; the title and sign-off say '{unit}'. "
                              "Write the file as the README shows"),
    "report.not_written": Text("huxiao report：PDF 有问题，没有写出任何文件", "huxiao report: the PDF has problems; nothing written"),
    "report.done": Text("已写出 {docx} 和 {pdf}（{audience}，{seconds:.1f} 秒）",
                        "wrote {docx} and {pdf} ({audience}, {seconds:.1f} s)"),
    "report.public": Text("公开版", "public"),
    "report.internal": Text("内部版：只在所内使用，不要公开", "internal: for the station only, never publish it"),
}
MESSAGES.update((key, Text(*texts)) for key, texts in LAW_MESSAGES.items())

# libyaml's, pydantic's and argparse's own words (messages_foreign.py), for Chinese readers.
PYDANTIC: dict[str, Text] = {key: Text(*texts) for key, texts in PYDANTIC_TEXTS.items()}


def argparse_text(message: str) -> str:
    """One of argparse's messages in the current language (English is argparse's own)."""
    return ARGPARSE.get(message, message) if language() == "zh" else message


def _template(table: dict[str, Text], key: str) -> str:
    return getattr(table[key], language())


def tr(key: str, /, **fields: Any) -> str:
    """The message `key` in the current language, its fields filled in."""
    return _template(MESSAGES, key).format(**fields)


def join(items: Iterable[Any]) -> str:
    return tr("list_sep").join(str(item) for item in items)


def fail(key: str, /, **fields: Any) -> PydanticCustomError:
    """An error to raise inside a validator: its type is the catalogue key, its context the fields,
    so the message is made in the reader's language when it is printed (`pydantic_message`)."""
    return PydanticCustomError(key, MESSAGES[key].en, {k: _plain(v) for k, v in fields.items()})


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float)) else str(value)


def pydantic_message(kind: str, ctx: dict[str, Any], msg: str) -> str:
    """The text of one pydantic error: ours (raised with `fail`) or pydantic's, by its type."""
    if kind in MESSAGES:
        return tr(kind, **ctx)
    if kind == "value_error" or kind == "assertion_error":
        return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    fields = dict(ctx)
    for name in ("expected", "expected_tags"):
        if name in fields and language() == "zh":
            fields[name] = _chinese_alternatives(str(fields[name]))
    if kind in PYDANTIC:
        try:
            return _template(PYDANTIC, kind).format(**fields)
        except (KeyError, IndexError):
            pass
    return _template(PYDANTIC, "other").format(type=kind, msg=msg)


def _chinese_alternatives(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as "a、b、c"."""
    parts = [p.strip().strip("'") for p in expected.replace(" or ", ", ").split(",")]
    return "、".join(p for p in parts if p)
