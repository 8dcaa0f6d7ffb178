"""Finding the YAML files of a project and validating each into its model.

Every problem is collected, none stops the others, so an author sees them all at once. How the
files of a folder are read is the caller's choice (`ReadFiles`): plainly, one by one, or through
the speed layer, which keeps what did not change between builds.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from . import yamlfile
from .laws import Law
from .messages import MESSAGES, pydantic_message, tr
from .models import ID_RE, Lesson, Taxonomy
from .plans import Plan, Rules
from .problems import Loc, Problem
from .records import TERM_ID_RE, SchoolRecord, Term
from .schools import School, Thresholds
from .station import Station
from .synonyms import Synonyms, repeated_words

M = TypeVar("M", bound=BaseModel)

# A file's model, or None and what is wrong with it.
Outcome = tuple[Any, list[Problem]]
# Validates each of `files` into `model`: {path: outcome}.
ReadFiles = Callable[[list[Path], type[BaseModel], "ProjectPaths"], dict[Path, Outcome]]

T = TypeVar("T")


class Remember(Protocol):
    """`remember(key, objects, work)`: what `work()` gives, or what it gave before for the same
    `key` while `objects` (what it is worked out from) are the very same objects. The plain one
    (`work_out`) works it out every time; the speed layer's remembers between the rebuilds of
    `serve`, where `read` gives back the very object an unchanged file gave before."""

    def __call__(self, key: tuple, objects: tuple, work: Callable[[], T]) -> T: ...


def work_out(key: tuple, objects: tuple, work: Callable[[], T]) -> T:
    return work()


@dataclass(frozen=True)
class ProjectPaths:
    root: Path
    lessons: Path
    schools: Path
    taxonomy: Path
    thresholds: Path
    records: Path
    plans: Path
    rules: Path
    synonyms: Path
    laws: Path
    station: Path

    @classmethod
    def at(cls, root: Path, lessons: str = "lessons", schools: str = "schools",
           taxonomy: str = "lessons/_taxonomy.yml", thresholds: str = "schools/_thresholds.yml",
           records: str = "records", plans: str = "plans", rules: str = "plans/_rules.yml",
           synonyms: str | None = None, laws: str = "laws", station: str = "schools/_station.yml") -> ProjectPaths:
        root = root.resolve()
        # Beside the taxonomy unless named: both describe the whole curriculum.
        synonyms_path = root / synonyms if synonyms else (root / taxonomy).parent / "_synonyms.yml"
        return cls(root, root / lessons, root / schools, root / taxonomy, root / thresholds, root / records,
                   root / plans, root / rules, synonyms_path, root / laws, root / station)

    def display(self, path: Path) -> str:
        # By string: a city library names some 15,000 files, and Path.relative_to is slow.
        text, root = path.as_posix(), self.root.as_posix() + "/"
        return text[len(root):] if text.startswith(root) else text


@dataclass(frozen=True)
class Entry(Generic[M]):
    """One validated file: its id (the file's stem), where it is, and its model."""

    id: str
    file: str
    model: M


@dataclass
class Loaded:
    taxonomy: Taxonomy | None
    thresholds: Thresholds | None
    lessons: list[Entry[Lesson]]
    schools: list[Entry[School]]
    failed_ids: set[str]
    problems: list[Problem]
    # Per term id: its _term.yml (None when missing or invalid) and its school records.
    terms: dict[str, Entry[Term] | None] = field(default_factory=dict)
    records: dict[str, list[Entry[SchoolRecord]]] = field(default_factory=dict)
    # plans/_rules.yml (None when absent or invalid) and, per term id, the schools' plans.
    rules: Entry[Rules] | None = None
    plans: dict[str, list[Entry[Plan]]] = field(default_factory=dict)
    # lessons/_synonyms.yml (None when absent or invalid).
    synonyms: Synonyms | None = None
    # laws/<id>.yml: the laws, regulations, rules and standards lessons cite.
    laws: list[Entry[Law]] = field(default_factory=list)
    failed_laws: set[str] = field(default_factory=set)
    # schools/_station.yml (None when absent or invalid).
    station: Station | None = None


def read_files(files: list[Path], model: type[BaseModel], paths: ProjectPaths) -> dict[Path, Outcome]:
    """Each file read, parsed and validated, one after the other."""
    return {path: load_file(path, model, paths) for path in files}


def load_all(paths: ProjectPaths, read: ReadFiles = read_files) -> Loaded:
    problems: list[Problem] = []
    taxonomy = None
    if paths.taxonomy.is_file():
        taxonomy = _read_one(paths.taxonomy, Taxonomy, paths, problems, read)
    else:
        problems.append(Problem(paths.display(paths.taxonomy), tr("file_not_found.taxonomy")))
    thresholds = None
    if paths.thresholds.is_file():
        thresholds = _read_one(paths.thresholds, Thresholds, paths, problems, read)
    failed: set[str] = set()
    lessons = _load_folder(paths.lessons, Lesson, paths, problems, failed, read)
    schools = _load_folder(paths.schools, School, paths, problems, failed, read)
    loaded = Loaded(taxonomy, thresholds, lessons, schools, failed, problems)
    if paths.synonyms.is_file():
        found: list[Problem] = []
        loaded.synonyms = _read_one(paths.synonyms, Synonyms, paths, found, read)
        if loaded.synonyms is not None:
            found = [yamlfile.locate_problem(p, paths.root)
                     for p in repeated_words(loaded.synonyms, paths.display(paths.synonyms))]
        problems += found
    loaded.laws = _load_folder(paths.laws, Law, paths, problems, loaded.failed_laws, read)
    if paths.station.is_file():
        loaded.station = _read_one(paths.station, Station, paths, problems, read)
    _load_records(paths, loaded, read)
    _load_plans(paths, loaded, read)
    return loaded


def _read_one(path: Path, model: type[M], paths: ProjectPaths, problems: list[Problem], read: ReadFiles) -> M | None:
    """One file through `read`, like the folders' files (a file unchanged since the last build of
    `serve` comes back as the very same object)."""
    value, found = read([path], model, paths)[path]
    problems += found
    return value


def _load_plans(paths: ProjectPaths, loaded: Loaded, read: ReadFiles) -> None:
    """plans/_rules.yml and plans/<term-id>/<school-id>.yml."""
    if paths.rules.is_file():
        rules = _read_one(paths.rules, Rules, paths, loaded.problems, read)
        if rules is not None:
            loaded.rules = Entry("_rules", paths.display(paths.rules), rules)
    if not paths.plans.is_dir():
        return
    for folder in sorted(p for p in paths.plans.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if not TERM_ID_RE.match(folder.name):
            loaded.problems.append(Problem(paths.display(folder), tr("bad_term_folder", name=folder.name)))
            continue
        loaded.plans[folder.name] = _load_folder(folder, Plan, paths, loaded.problems, set(), read)


def _load_records(paths: ProjectPaths, loaded: Loaded, read: ReadFiles) -> None:
    """records/<term-id>/_term.yml and records/<term-id>/<school-id>.yml."""
    if not paths.records.is_dir():
        return
    for folder in sorted(p for p in paths.records.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        name = paths.display(folder)
        if not TERM_ID_RE.match(folder.name):
            loaded.problems.append(Problem(name, tr("bad_term_folder", name=folder.name)))
            continue
        term_file = folder / "_term.yml"
        term = None
        if term_file.is_file():
            model, found = read([term_file], Term, paths)[term_file]
            loaded.problems.extend(found)
            term = Entry(folder.name, paths.display(term_file), model) if model is not None else None
        else:
            loaded.problems.append(Problem(paths.display(term_file), tr("term_file_missing")))
        loaded.terms[folder.name] = term
        loaded.records[folder.name] = _load_folder(folder, SchoolRecord, paths, loaded.problems, set(), read)


def discover(folder: Path) -> list[Path]:
    """Every YAML file below `folder`, except those whose name (or a folder's on the way) starts
    with '_' or '.'."""
    found: list[Path] = []
    if folder.is_dir():
        _scan(folder, found)
    return found


def _scan(folder: Path, found: list[Path]) -> None:
    """Depth first, each folder's entries in name order: the order of sorting the paths (by their
    parts), without comparing thousands of paths."""
    # os.scandir knows each entry's type without another system call (a city has thousands of files)
    with os.scandir(folder) as scanned:
        entries = sorted(scanned, key=lambda e: e.name)
    for entry in entries:
        if entry.name.startswith(("_", ".")):
            continue
        if entry.is_dir(follow_symlinks=False):
            _scan(folder / entry.name, found)
        elif entry.name.endswith((".yml", ".yaml")) and entry.is_file():
            found.append(folder / entry.name)


def _load_folder(folder: Path, model: type[M], paths: ProjectPaths, problems: list[Problem],
                 failed: set[str], read: ReadFiles) -> list[Entry[M]]:
    entries: list[Entry[M]] = []
    first_file: dict[str, str] = {}
    found = discover(folder)
    outcomes = read([p for p in found if ID_RE.match(p.stem)], model, paths)
    for path in found:
        name = paths.display(path)
        stem = path.stem
        if not ID_RE.match(stem):
            problems.append(Problem(name, tr("bad_file_name", stem=stem)))
            continue
        if stem in first_file:
            problems.append(Problem(name, tr("duplicate_file_id", id=stem, other=first_file[stem])))
            continue
        first_file[stem] = name
        value, trouble = outcomes[path]
        problems += trouble
        if value is None:
            failed.add(stem)
        else:
            entries.append(Entry(stem, name, value))
    return entries


def load_file(path: Path, model: type[M], paths: ProjectPaths) -> tuple[M | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(paths.display(path), tr("cannot_read", reason=error.strerror))]
    return validate(raw, None, model, paths.display(path))


def validate(raw: bytes, data: Any, model: type[M], name: str) -> tuple[M | None, list[Problem]]:
    """The file `name` with bytes `raw` as a `model`; `data` is its parsed YAML when known already
    (or the YamlError parsing raised), else it is parsed here."""
    try:
        if data is None:
            data = yamlfile.parse(yamlfile.decode(raw))
        elif isinstance(data, yamlfile.YamlError):
            raise data
        return model.model_validate(data), []
    except yamlfile.YamlError as error:
        return None, [Problem(name, error.message, error.loc, line=error.line, column=error.column)]
    except ValidationError as error:
        found = [validation_problem(e, data, name, model) for e in error.errors(include_url=False)]
        text = yamlfile.decode(raw)
        return None, [p.at(*yamlfile.locate(text, p.loc)) for p in found]


# --------------------------------------------------------------------------- pydantic errors


def validation_problem(error: Any, data: Any, file: str, model: type[BaseModel]) -> Problem:
    loc = _data_loc(error["loc"], data, error["type"])
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    if kind == "missing":
        ctx["field"] = loc[-1]
    elif kind == "extra_forbidden":
        ctx["field"] = loc[-1]
        ctx["hint"] = _did_you_mean(str(loc[-1]), _fields_at(model, loc[:-1]))
    elif kind == "string_pattern_mismatch" and loc and loc[-1] in ("topic", "type", "lesson", "tier"):
        kind = "id_pattern"
    message = pydantic_message(kind, ctx, error["msg"])
    value = error.get("input")
    if (isinstance(value, (str, int, float, bool)) and kind not in ("missing", "extra_forbidden")
            and not kind.startswith("value_error") and kind not in MESSAGES):
        message += tr("got", value=_short(value))
    return Problem(file, message, loc, code=kind)


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
        return tr("did_you_mean", close=close[0])
    if choices:
        return tr("allowed_fields", fields=", ".join(choices))
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
