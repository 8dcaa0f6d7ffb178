"""Problems found in the input, and how they are printed for people and for CI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .messages import MESSAGES, tr

Loc = tuple[str | int, ...]


def field_path(loc: Loc) -> str:
    """('variants', 'junior-high', 'quiz', 2, 'answer') -> 'variants.junior-high.quiz[2].answer'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    loc: Loc = ()
    line: int | None = None
    column: int | None = None
    severity: str = "error"
    # The message's key in the catalogue (`messages.py`) or pydantic's error type, for code to test.
    code: str = field(default="", compare=False)
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def at(self, line: int | None, column: int | None) -> Problem:
        return replace(self, line=line, column=column)

    @property
    def position(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = field_path(self.loc)
        prefix = f"{self.position}: "
        if self.severity != "error":
            prefix += f"{tr(self.severity) if self.severity in MESSAGES else self.severity}: "
        return prefix + (f"{where}: " if where else "") + self.message

    def github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the pull request."""
        props = [f"file={_escape_property(self.file)}"]
        if self.line is not None:
            props.append(f"line={self.line}")
        if self.column is not None:
            props.append(f"col={self.column}")
        where = field_path(self.loc)
        if where:
            props.append(f"title={_escape_property(where)}")
        level = "error" if self.severity == "error" else "warning"
        return f"::{level} {','.join(props)}::{_escape_data(self.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class InvalidProject(Exception):
    """Raised with every problem found, so authors fix them all in one go."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))
