"""`huxiao migrate-sources`: lesson sources that name a law in laws/ cite it with `law:` and `article:`.

A source whose title names a law, regulation, rule or standard stored in laws/ (《…》, with or
without 中华人民共和国) gets `law: <id>` and, when its detail names an article (第三十一条) that
the law file stores, `article: "31"`. The lines are added after the source's `id:` (or `law:`);
nothing else in the file changes, and every value the source had stays. Run it again at any time:
a source that already cites its law is left alone, one with `law:` but no `article:` gets its
article once the law file stores it. Sources in flow style ({id: …, title: …}) get the keys
inside the braces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..source import loading, yamlfile
from ..source.laws import Law
from ..source.loading import ProjectPaths

_NAME = re.compile(r"《([^》]+)》")
_ITEM = re.compile(r"第?[（(]([一二三四五六七八九十]+)[）)]项?")
_ARTICLE = re.compile(r"第([一二三四五六七八九十百零]+)条(?:之([一二三四五六七八九十]+))?")
_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}
_PREFIX = "中华人民共和国"


@dataclass
class Change:
    file: Path
    source: str
    law: str
    article: str | None


@dataclass
class Plan:
    writes: dict[Path, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    # (file, source id, law id, article label) for an article the law file does not store yet.
    unstored: list[tuple[Path, str, str, str]] = field(default_factory=list)


def article_number(label: str) -> str | None:
    """第三十一条 → "31", 第二百八十七条之二 → "287之二", 第五十五条第（三）项 → "55(3)"; None when
    `label` names no article."""
    match = _ARTICLE.search(label)
    if match is None:
        return None
    number = _chinese_to_int(match.group(1))
    article = f"{number}之{match.group(2)}" if match.group(2) else str(number)
    item = _ITEM.match(label, match.end())
    return f"{article}({_chinese_to_int(item.group(1))})" if item else article


def _chinese_to_int(text: str) -> int:
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            unit = {"十": 10, "百": 100}[char]
            total += (digit or 1) * unit
            digit = 0
    return total + digit


def _key(name: str) -> str:
    return name.strip().removeprefix(_PREFIX)


def law_for(source: dict, laws: dict[str, Law]) -> str | None:
    """The id of the law a source names, or None. Where several versions share the name, the one
    whose number the source gives, else the one not superseded."""
    names = {_key(n) for n in _NAME.findall(str(source.get("title") or ""))}
    matches = [law_id for law_id, law in sorted(laws.items()) if _key(law.title) in names]
    if len(matches) > 1:
        # The source's own number first: a detail may also name the version it replaces.
        own = [m for m in matches if laws[m].number and laws[m].number == str(source.get("number") or "").strip()]
        said = " ".join(str(source.get(k) or "") for k in ("title", "number", "detail"))
        numbered = [m for m in matches if (number := laws[m].number) and number in said]
        current = [m for m in matches if laws[m].superseded_by is None]
        matches = own or [m for m in numbered if m in current] or numbered or current or matches
    return matches[0] if matches else None


def plan(paths: ProjectPaths) -> Plan:
    laws = _laws(paths)
    result = Plan()
    for path in loading.discover(paths.lessons):
        text = path.read_text(encoding="utf-8")
        new = _migrate_file(path, text, laws, result)
        if new != text:
            result.writes[path] = new
    return result


def _laws(paths: ProjectPaths) -> dict[str, Law]:
    found = {}
    for path in loading.discover(paths.laws):
        model, _ = loading.load_file(path, Law, paths)
        if model is not None:
            found[path.stem] = model
    return found


def _migrate_file(path: Path, text: str, laws: dict[str, Law], result: Plan) -> str:
    try:
        data = yamlfile.parse(text)
        root = yaml.compose(text)
    except (yamlfile.YamlError, yaml.YAMLError):
        return text  # huxiao validate reports it
    sources = data.get("sources")
    node = _value(root, "sources")
    if not isinstance(sources, list) or not isinstance(node, yaml.SequenceNode):
        return text
    inserts: list[tuple[int, int, str]] = []  # (line, column, text), applied from the end
    for source, item in zip(sources, node.value, strict=False):
        if not isinstance(source, dict) or not isinstance(item, yaml.MappingNode) or "id" not in source:
            continue
        law_id = source.get("law") or law_for(source, laws)
        if law_id is None or law_id not in laws:
            continue
        article = None
        if "article" not in source:
            number = article_number(str(source.get("detail") or ""))
            whole = number.split("(")[0] if number else None  # an item cites its article where only that is stored
            if number is not None and laws[law_id].article(number) is not None:
                article = number
            elif whole is not None and laws[law_id].article(whole) is not None:
                article = whole
            elif number is not None:
                result.unstored.append((path, str(source["id"]), law_id, str(source.get("detail"))))
        keys = ([("law", law_id)] if "law" not in source else []) + ([("article", article)] if article else [])
        if not keys:
            continue
        inserts.append(_insert(item, keys, text))
        result.changes.append(Change(path, str(source["id"]), law_id, article))
    return _apply(text, inserts)


def _value(root: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == key:
                return v
    return None


def _insert(item: yaml.MappingNode, keys: list[tuple[str, str]], text: str) -> tuple[int, int, str]:
    """Where and what to add to one source: after its `law:` if it has one, else after `id:`."""
    pairs = {k.value: (k, v) for k, v in item.value}
    key_node, value_node = pairs["law"] if "law" in pairs else pairs["id"]
    # A law id is a plain scalar; an article is quoted, since "31" would otherwise read as a number.
    rendered = [(k, v if k == "law" else f'"{v}"') for k, v in keys]
    if item.flow_style:
        end = value_node.end_mark
        return end.line, end.column, "".join(f", {k}: {v}" for k, v in rendered)
    indent = " " * key_node.start_mark.column
    line = value_node.end_mark.line + (1 if value_node.end_mark.column > 0 else 0)
    return line, 0, "".join(f"{indent}{k}: {v}\n" for k, v in rendered)


def _apply(text: str, inserts: list[tuple[int, int, str]]) -> str:
    if not inserts:
        return text
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for line, column, added in sorted(inserts, reverse=True):
        if line >= len(lines):
            lines.append(added)
        else:
            lines[line] = lines[line][:column] + added + lines[line][column:]
    return "".join(lines)


def apply(migration: Plan) -> None:
    for path, text in migration.writes.items():
        path.write_text(text, encoding="utf-8")
