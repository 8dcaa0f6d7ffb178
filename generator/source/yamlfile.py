"""Reading one YAML file safely, and finding where a field sits in it.

Only plain data is accepted: no Python tags, no duplicate keys (PyYAML would silently keep the
last one), no alias bombs, no file too large or not UTF-8. Positions are looked up only when a
problem needs one, so the fast path stays libyaml's C loader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .messages import language, tr
from .messages_foreign import YAML_PHRASES
from .problems import Loc, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_VALUES = 200_000

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    def __init__(self, message: str, line: int | None = None, column: int | None = None, loc: Loc = ()) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.loc = loc


class _StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    raise yaml.constructor.ConstructorError(
                        None, None, tr("yaml.duplicate_key", key=key, first=first), key_node.start_mark
                    )
                seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def decode(raw: bytes) -> str:
    """Bytes to text; a byte-order mark is accepted, anything but UTF-8 is explained."""
    if len(raw) > MAX_BYTES:
        raise YamlError(tr("yaml.too_big", size=len(raw) / 1048576, limit=MAX_BYTES // 1048576))
    if b"\x00" in raw:
        raise YamlError(tr("yaml.binary"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlError(tr("yaml.not_utf8", guess=_guess_encoding(raw)), line) from None


def _guess_encoding(raw: bytes) -> str:
    for encoding, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            decoded = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any("\u4e00" <= ch <= "\u9fff" for ch in decoded):
            return tr("yaml.looks_like", label=label)
    return ""


def parse(text: str) -> Any:
    """Text to plain data, with errors carrying line and column (1-based)."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlError(_explain(error), *(_position(mark) if mark else (None, None))) from None
    except yaml.YAMLError as error:
        raise YamlError(tr("yaml.error", error=error)) from None
    except (ValueError, OverflowError) as error:
        # The loader builds dates itself: "2026-02-30" raises here rather than as a YAML error,
        # with no mark; find the scalar that fails to say where it is.
        where = _failing_scalar(text)
        message = tr("yaml.invalid_value", error=_yaml_phrase(str(error)))
        if where is None:
            raise YamlError(message) from None
        (line, column), loc, value = where
        raise YamlError(tr("yaml.invalid_value_at", value=value, error=_yaml_phrase(str(error))), line, column, loc) from None
    except RecursionError:
        raise YamlError(tr("yaml.too_deep")) from None
    if data is None:
        raise YamlError(tr("yaml.empty"))
    if not isinstance(data, dict):
        raise YamlError(tr("yaml.top_level", kind=_kind(data)), 1, 1)
    if "&" in text:
        _check_expansion(data)
    return data


def _failing_scalar(text: str) -> tuple[tuple[int, int], Loc, str] | None:
    """Position, field and text of the first scalar the safe loader cannot build (an impossible date)."""
    try:
        root = yaml.compose(text, Loader=_Base)
    except yaml.YAMLError:
        return None
    loader = yaml.SafeLoader("")
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())] if root is not None else []
    while stack:
        node, loc = stack.pop(0)
        if isinstance(node, yaml.MappingNode):
            stack[:0] = [(v, (*loc, str(k.value))) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack[:0] = [(v, (*loc, i)) for i, v in enumerate(node.value)]
        elif isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node, deep=True)
            except (ValueError, OverflowError, yaml.YAMLError):
                return _position(node.start_mark), loc, str(node.value)
    return None


class _PlainDumper(yaml.SafeDumper):
    """Writes every value where it belongs: no &id001 anchors or *id001 aliases for a person to puzzle over."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_plain(data: Any, **options: Any) -> str:
    """YAML for people to edit: plain, Chinese as written, keys in their given order."""
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, **options)


def read(path: Path) -> Any:
    return parse(decode(path.read_bytes()))


def _kind(value: Any) -> str:
    kind = {list: "list", str: "text", int: "number", float: "number"}.get(type(value))
    return tr(f"yaml.kind.{kind}") if kind else tr("yaml.kind.other", name=type(value).__name__)


def _position(mark) -> tuple[int, int]:  # noqa: ANN001
    return mark.line + 1, mark.column + 1


def _explain(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "YAML error"
    if "'\\t'" in problem or "\\t" in problem or "tab character" in problem:
        return tr("yaml.tab")
    if "could not determine a constructor for the tag" in problem:
        tag = problem.rsplit("tag", 1)[-1].strip(" '")
        return tr("yaml.tag", tag=tag)
    if isinstance(error, yaml.constructor.ConstructorError) and error.context is None:
        return problem  # our duplicate-key message, already in the reader's language
    if error.context:
        context, problem = _yaml_phrase(error.context), _yaml_phrase(problem)
        if error.context_mark:
            return tr("yaml.syntax_context", context=context, line=error.context_mark.line + 1, problem=problem)
        return tr("yaml.syntax_context_only", context=context, problem=problem)
    return tr("yaml.syntax", problem=_yaml_phrase(problem))


def _yaml_phrase(phrase: str) -> str:
    """libyaml's English phrases in the reader's language, where the catalogue has them."""
    if language() == "en":
        return phrase
    for english, chinese in YAML_PHRASES.items():
        if phrase.startswith(english):
            return chinese + phrase[len(english):]
    return phrase


def _check_expansion(data: Any) -> None:
    """Refuse documents whose aliases expand to a huge tree (the "billion laughs" attack)."""
    count = 0
    stack = [data]
    while stack:
        value = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise YamlError(tr("yaml.too_many_values", limit=MAX_VALUES))
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


# --------------------------------------------------------------------------- positions


def locate(text: str, loc: Loc) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the field at `loc`, or of its nearest existing parent."""
    try:
        node = yaml.compose(text, Loader=_Base)
    except yaml.YAMLError:
        return None, None
    mark = node.start_mark if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            mark, node = match[0].start_mark, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return _position(mark) if mark is not None else (None, None)


def locate_problem(problem: Problem, root: Path) -> Problem:
    if problem.line is not None:
        return problem
    try:
        text = decode((root / problem.file).read_bytes())
    except (OSError, YamlError):
        return problem
    return problem.at(*locate(text, problem.loc))
