"""New record items written into a school's record file without touching a byte already there.

The items of a list go in right after the list's last line (at the end of the file when the list
comes last, as it usually does), a missing list is added at the end, and a new file gets a header.
Text goes out as JSON strings, which YAML reads as double-quoted scalars, with the few characters
YAML would read as line breaks escaped too: whatever a cell held comes back the same. The result
is parsed again and must read as the old record plus the new items, and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

from ...source import yamlfile
from ...source.records import SchoolRecord
from .. import yamltext

KINDS = ("lectures", "drills", "duty", "trainings", "inspections")
HEADER = """\
# yaml-language-server: $schema=../../schema/record.schema.json
# {name}·{term}工作记录：由 huxiao ledger --import 从 Excel 台账写入，可以直接修改。
"""
_PLAIN_KEYS = {"lesson", "tier", "point", "mode", "band", "form", "audience"}


class CannotAppend(Exception):
    """The file's lists are not in a shape new items can be added to without rewriting it."""


def scalar(key: str, value: Any) -> str:
    return yamltext.scalar(key, value, _PLAIN_KEYS)


def render_item(data: dict[str, Any], indent: str) -> str:
    return yamltext.render_item(data, indent, _PLAIN_KEYS)


def new_file(name: str, term: str, items: dict[str, list[dict]]) -> str:
    text = HEADER.format(name=name.replace("\n", " "), term=term)
    for kind in KINDS:
        if items.get(kind):
            text += f"{kind}:\n" + "".join(render_item(x, "  ") for x in items[kind])
    return text


def insert(old: str, items: dict[str, list[dict]]) -> str:
    """`old` with the items added to their lists; CannotAppend when a list is not in block style."""
    text = old if old.endswith("\n") or not old else old + "\n"
    for kind in KINDS:
        if items.get(kind):
            text = _insert_kind(text, kind, items[kind])
    return text


def _insert_kind(text: str, kind: str, items: list[dict]) -> str:
    lines = text.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if re.match(rf"{kind}\s*:", line)), None)
    if start is None:
        return text + f"{kind}:\n" + "".join(render_item(x, "  ") for x in items)
    if not re.fullmatch(rf"{kind}\s*:\s*(#.*)?\n?", lines[start]):
        raise CannotAppend(kind)  # `lectures: []` or a flow list: only a rewrite could extend it
    end, indent = start + 1, None
    for n in range(start + 1, len(lines)):
        line = lines[n]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] not in " -":
            break  # the next top-level key
        if indent is None:
            match = re.match(r"( *)- ", line)
            if match is None:
                raise CannotAppend(kind)
            indent = match.group(1)
        end = n + 1
    block = "".join(render_item(x, indent if indent is not None else "  ") for x in items)
    return "".join(lines[:end]) + block + "".join(lines[end:])


def check(old: str | None, new: str, items: dict[str, list[dict]]) -> None:
    """The new text must read as the old record plus exactly the new items."""
    try:
        before = _record(old)
        after = SchoolRecord.model_validate(yamlfile.parse(new))
    except (yamlfile.YamlError, ValueError) as error:
        raise CannotAppend(str(error)) from None
    expected = before.model_dump()
    for kind in KINDS:
        expected[kind] += items.get(kind, [])
    if after != SchoolRecord.model_validate(expected):
        raise CannotAppend("mismatch")


def _record(text: str | None) -> SchoolRecord:
    """The old file's record; an empty one for no file or a file of comments only."""
    if text is None or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return SchoolRecord()
    return SchoolRecord.model_validate(yamlfile.parse(text))
