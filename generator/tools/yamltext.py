"""List items written as YAML text for files people edit, appended without touching what is there.

Text goes out as JSON strings, which YAML reads as double-quoted scalars, with the few characters
YAML would read as line breaks (or refuse) escaped too: whatever a person typed comes back the same.
Ids and other plain words named by the caller stay unquoted, as a person would write them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection
from typing import Any

# Characters JSON leaves as they are but YAML reads as line breaks or refuses.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def scalar(key: str, value: Any, plain: Collection[str] = ()) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value)
    text = str(value)
    if key in plain and re.fullmatch(r"[a-z0-9-]+", text):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def flow(key: str, value: Any, plain: Collection[str] = ()) -> str:
    """A value on one line: a list or mapping in flow style, its text quoted."""
    if isinstance(value, list):
        return "[" + ", ".join(flow(key, v, plain) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(k, v, plain)}" for k, v in value.items()) + "}"
    return scalar(key, value, plain)


def render_item(data: dict[str, Any], indent: str, plain: Collection[str] = ()) -> str:
    """One item of a block list: a key a line, nested lists and mappings in flow style."""
    lines: list[str] = []
    for key, value in data.items():
        lines.append((f"{indent}- " if not lines else f"{indent}  ") + f"{key}: {flow(key, value, plain)}")
    return "\n".join(lines) + "\n"
