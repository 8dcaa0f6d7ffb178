"""The field reference page (字段参考), written from the models' JSON Schema."""

from __future__ import annotations

from ..source.schema import schema_for
from .mdtext import escape_inline


def field_reference() -> str:
    """A Markdown page documenting every field, generated from the models' JSON Schema."""
    lines = ["# 字段参考", "", "本页由数据模型自动生成，与 `huxiao validate` 和编辑器使用的 JSON Schema 同源。", ""]
    for kind, heading in (("lesson", "课程文件"), ("school", "学校文件"), ("record", "学期工作记录"), ("term", "学期"),
                          ("taxonomy", "学段与专题")):
        schema = schema_for(kind)
        definitions = schema.get("$defs", {})
        lines += [f"## {heading}（{kind}）", "", escape_inline(schema.get("description", "")), ""]
        lines += _object_table(schema, definitions)
        for name, definition in definitions.items():
            if definition.get("type") == "object":
                lines += [f"### {name}", "", escape_inline(definition.get("description", "")), ""]
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
        return prop["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in prop:
        return " 或 ".join(_type_name(p) for p in prop["anyOf"] if p.get("type") != "null")
    if "enum" in prop:
        return " / ".join(map(str, prop["enum"]))
    if "const" in prop:
        return str(prop["const"])
    kind = prop.get("type", "")
    if kind == "array":
        return f"list[{_type_name(prop.get('items', {}))}]" if "items" in prop else "list"
    if kind == "object" and "additionalProperties" in prop:
        return f"dict[学段编号, {_type_name(prop['additionalProperties'])}]"
    if prop.get("format") == "date":
        return "日期 YYYY-MM-DD"
    return {"string": "文本", "integer": "整数", "boolean": "true/false", "number": "数字"}.get(kind, kind or "任意")
