"""The field reference page (字段参考), written from the models' JSON Schema."""

from __future__ import annotations

from ..source.schema import schema_for
from .mdtext import escape_inline

# What each part of a file is called on the page (the models' class names are for code).
PART_NAMES = {
    "Activity": "教学环节", "Drill": "演练脚本", "DrillStep": "演练步骤", "Handout": "讲义", "Hotline": "求助电话",
    "Letter": "致家长的一封信", "Misconception": "常见误区", "QuizItem": "知识竞赛题", "Role": "演练角色",
    "Source": "来源", "Variant": "学段教案", "Alarm": "一键报警", "Guards": "保安", "Internal": "内部信息",
    "Liaison": "法治副校长", "PatrolPoint": "护学岗点", "Video": "视频监控", "DrillRecord": "演练记录",
    "Duty": "护学岗记录", "Fix": "问题与整改", "Headcount": "清点人数", "Inspection": "隐患排查", "Lecture": "讲座记录",
    "Quiz": "知识竞赛人数", "Training": "培训记录", "Period": "时段", "KnownHotline": "白名单号码",
    "SchoolType": "学校类型", "Tier": "学段", "Topic": "专题", "Article": "条款", "Revision": "修订记录",
}


def _part(name: str) -> str:
    return PART_NAMES.get(name, name)


def field_reference() -> str:
    """A Markdown page documenting every field, generated from the models' JSON Schema."""
    lines = ["# 字段参考", "", "本页由数据模型自动生成，与 `huxiao validate` 和编辑器使用的 JSON Schema 同源。", ""]
    for kind, heading in (("lesson", "课程文件"), ("school", "学校文件"), ("record", "学期工作记录"), ("term", "学期"),
                          ("taxonomy", "学段与专题"), ("law", "法规文件")):
        schema = schema_for(kind)
        definitions = schema.get("$defs", {})
        lines += [f"## {heading}（{kind}）", "", escape_inline(schema.get("description", "")), ""]
        lines += _object_table(schema, definitions)
        for name, definition in definitions.items():
            if definition.get("type") == "object":
                lines += [f"### {_part(name)}", "", escape_inline(definition.get("description", "")), ""]
                lines += _object_table(definition, definitions)
    return "\n".join(lines) + "\n"


def _object_table(schema: dict, definitions: dict) -> list[str]:
    required = set(schema.get("required", []))
    rows = ["| 字段 | 类型 | 必填 | 说明 |", "| --- | --- | --- | --- |"]
    for name, prop in schema.get("properties", {}).items():
        rows.append(f"| {escape_inline(name)} | {escape_inline(_type_name(prop))} | "
                    f"{'是' if name in required else ''} | {escape_inline(prop.get('description', ''))} |")
    return rows + [""]


def _type_name(prop: dict) -> str:
    if "$ref" in prop:
        return _part(prop["$ref"].rsplit("/", 1)[-1])
    if "anyOf" in prop:
        return " 或 ".join(_type_name(p) for p in prop["anyOf"] if p.get("type") != "null")
    if "enum" in prop:
        return " / ".join(map(str, prop["enum"]))
    if "const" in prop:
        return str(prop["const"])
    kind = prop.get("type", "")
    if kind == "array":
        return f"{_type_name(prop.get('items', {}))}的列表" if "items" in prop else "列表"
    if kind == "object" and "additionalProperties" in prop:
        return f"按学段编号的{_type_name(prop['additionalProperties'])}"
    if prop.get("format") == "date":
        return "日期 YYYY-MM-DD"
    return {"string": "文本", "integer": "整数", "boolean": "true/false", "number": "数字", "object": "映射"}.get(kind, kind or "任意")
