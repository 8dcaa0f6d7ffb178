"""Finding the YAML files of a project and validating each into its model.

Every problem is collected, none stops the others, so an author sees them all at once.
Validated files are cached in memory by path, size and modification time: `mkdocs serve`
re-reads only the files that changed. Parsing goes through `parsecache`, which keeps parsed data
between runs and parses a cold library on several cores.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from . import parsecache, yamlfile
from .models import ID_RE, Lesson, School, Taxonomy, Thresholds
from .problems import Loc, Problem

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ProjectPaths:
    root: Path
    lessons: Path
    schools: Path
    taxonomy: Path
    thresholds: Path

    @classmethod
    def at(cls, root: Path, lessons: str = "lessons", schools: str = "schools",
           taxonomy: str = "lessons/_taxonomy.yml", thresholds: str = "schools/_thresholds.yml") -> ProjectPaths:
        root = root.resolve()
        return cls(root, root / lessons, root / schools, root / taxonomy, root / thresholds)

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass(frozen=True)
class Entry(Generic[M]):
    """One validated file: its id (the file's stem), where it is, its model, and a hash of its
    bytes (what the page cache keys its pages by)."""

    id: str
    file: str
    model: M
    digest: bytes


@dataclass
class Loaded:
    taxonomy: Taxonomy | None
    thresholds: Thresholds | None
    lessons: list[Entry[Lesson]]
    schools: list[Entry[School]]
    failed_ids: set[str]
    problems: list[Problem]


_cache: dict[tuple[str, type], tuple[tuple[int, int], Any, bytes]] = {}


def forget() -> None:
    """Drop the validated files kept for the next load (a `mkdocs build` loads once)."""
    _cache.clear()


def load_all(paths: ProjectPaths) -> Loaded:
    problems: list[Problem] = []
    taxonomy = None
    if paths.taxonomy.is_file():
        taxonomy, found = load_file(paths.taxonomy, Taxonomy, paths)
        problems += found
    else:
        problems.append(Problem(paths.display(paths.taxonomy), "taxonomy file not found"))
    thresholds = None
    if paths.thresholds.is_file():
        thresholds, found = load_file(paths.thresholds, Thresholds, paths)
        problems += found
    failed: set[str] = set()
    parsed = parsecache.for_project(paths.root)
    lessons = _load_folder(paths.lessons, Lesson, paths, problems, failed, parsed)
    schools = _load_folder(paths.schools, School, paths, problems, failed, parsed)
    parsed.save()
    return Loaded(taxonomy, thresholds, lessons, schools, failed, problems)


def discover(folder: Path) -> list[Path]:
    """Every YAML file below `folder`, except those whose name starts with '_' or '.'."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()]
    return sorted(p for p in found if not any(part.startswith(("_", ".")) for part in p.relative_to(folder).parts))


def _load_folder(folder: Path, model: type[M], paths: ProjectPaths, problems: list[Problem],
                 failed: set[str], parsed: parsecache.ParseCache) -> list[Entry[M]]:
    entries: list[Entry[M]] = []
    first_file: dict[str, str] = {}
    found = discover(folder)
    ready = _parse_changed([p for p in found if ID_RE.match(p.stem)], model, parsed)
    for path in found:
        name = paths.display(path)
        stem = path.stem
        if not ID_RE.match(stem):
            problems.append(Problem(name, f"file name '{stem}' is not a valid id: use lower-case "
                                          "letters a-z, digits and single hyphens, e.g. shuadan-fanli.yml"))
            continue
        if stem in first_file:
            problems.append(Problem(name, f"duplicate id '{stem}': {first_file[stem]} has the same file name"))
            continue
        first_file[stem] = name
        (value, trouble), digest = _load_file(path, model, paths, ready.get(path))
        problems += trouble
        if value is None:
            failed.add(stem)
        else:
            entries.append(Entry(stem, name, value, digest))
    return entries


# A file read and parsed ahead of validation: its stamp, bytes, and data (or YamlError).
Ready = tuple[tuple[int, int], bytes, Any]


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _parse_changed(files: list[Path], model: type[BaseModel], parsed: parsecache.ParseCache) -> dict[Path, Ready]:
    """Read and parse the files not validated in memory already, all at once (so a cold start can
    use every core), through the parse cache."""
    raws: dict[Path, bytes] = {}
    stamps: dict[Path, tuple[int, int]] = {}
    for path in files:
        try:
            stamps[path] = _stamp(path)
            cached = _cache.get((str(path), model))
            if cached and cached[0] == stamps[path]:
                continue
            raws[path] = path.read_bytes()
        except OSError:
            continue  # load_file reports it
    return {path: (stamps[path], raws[path], data) for path, data in parsed.parse_all(raws).items()}


def load_file(path: Path, model: type[M], paths: ProjectPaths,
              ready: Ready | None = None) -> tuple[M | None, list[Problem]]:
    return _load_file(path, model, paths, ready)[0]


def _load_file(path: Path, model: type[M], paths: ProjectPaths,
               ready: Ready | None = None) -> tuple[tuple[M | None, list[Problem]], bytes]:
    name = paths.display(path)
    key = (str(path), model)
    digest = b""
    try:
        stamp = ready[0] if ready else _stamp(path)
        cached = _cache.get(key)
        if cached and cached[0] == stamp:
            return cached[1], cached[2]
        raw, data = ready[1:] if ready else (path.read_bytes(), None)
        digest = parsecache.digest(raw)
        if data is None:
            data = yamlfile.parse(yamlfile.decode(raw))
        elif isinstance(data, yamlfile.YamlError):
            raise data
        result: tuple[M | None, list[Problem]] = (model.model_validate(data), [])
    except OSError as error:
        return (None, [Problem(name, f"cannot read file: {error.strerror}")]), digest
    except yamlfile.YamlError as error:
        result = (None, [Problem(name, error.message, line=error.line, column=error.column)])
    except ValidationError as error:
        found = [validation_problem(e, data, name, model) for e in error.errors(include_url=False)]
        text = yamlfile.decode(raw)
        result = (None, [p.at(*yamlfile.locate(text, p.loc)) for p in found])
    _cache[key] = (stamp, result, digest)
    return result, digest


# --------------------------------------------------------------------------- pydantic errors


def validation_problem(error: dict, data: Any, file: str, model: type[BaseModel]) -> Problem:
    loc = _data_loc(error["loc"], data, error["type"])
    kind = error["type"]
    if kind == "missing":
        message = f"required field '{loc[-1]}' is missing"
    elif kind == "extra_forbidden":
        message = f"unknown field '{loc[-1]}'" + _did_you_mean(str(loc[-1]), _fields_at(model, loc[:-1]))
    else:
        message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if kind == "string_pattern_mismatch" and loc and loc[-1] in ("topic", "type", "lesson", "tier"):
            message = "must be an id: lower-case letters a-z, digits and hyphens"
        value = error.get("input")
        if isinstance(value, (str, int, float, bool)) and not kind.startswith("value_error"):
            message += f" (got {_short(value)})"
    return Problem(file, message, loc)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _data_loc(loc: tuple, data: Any, kind: str) -> Loc:
    """Keep the parts of a pydantic location that are keys in the data (drop union member names)."""
    clean: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            clean.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            clean.append(part)
            node = node[part]
        elif kind == "missing" and index == len(loc) - 1:
            clean.append(part)
    return tuple(clean)


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    if choices:
        return f"; allowed fields: {', '.join(choices)}"
    return ""


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at `loc`, found by following the model's annotations."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        elif typing.get_origin(annotation) in (list, tuple):
            annotation = typing.get_args(annotation)[0]
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []
