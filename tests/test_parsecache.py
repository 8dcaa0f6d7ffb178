"""Parsed YAML kept between runs (.cache/huxiao), and a cold library parsed on several cores."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE

from generator.source import loading, yamlfile
from generator.source.loading import ProjectPaths
from generator.source.problems import InvalidProject
from generator.speed import parsecache
from generator.speed.caches import BuildCaches


def _fresh_load(root: Path):
    """A load as a new process would do it: nothing in memory, only what is on disk."""
    caches = BuildCaches(root)
    curriculum = caches.load(ProjectPaths.at(root))
    caches.save()
    return curriculum


def test_second_run_takes_parsed_data_from_the_cache_and_sees_edits(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("site", ".cache"))
    first = _fresh_load(root)
    cache_file = root / parsecache.CACHE_FILE
    stored = parsecache._PlainDataUnpickler(cache_file.open("rb")).load()[1]
    project_files = loading.discover(root / "lessons") + loading.discover(root / "schools") + \
        sorted((root / "records").glob("*/*.yml")) + loading.discover(root / "laws") + \
        sorted((root / "plans").glob("**/*.yml")) + \
        [f for f in (root / "lessons" / "_taxonomy.yml", root / "lessons" / "_synonyms.yml",
                     root / "schools" / "_thresholds.yml", root / "schools" / "_station.yml") if f.is_file()]
    # records and their _term.yml, plans and their _rules.yml, and the settings files
    assert {parsecache.digest(p.read_bytes()) for p in project_files} <= set(stored)

    lesson = next(iter(first.curriculum.lessons.values()))
    path = root / lesson.file
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 改过的", 1), encoding="utf-8")
    second = _fresh_load(root)
    assert second.curriculum.lessons[lesson.id].model.title == "改过的" + lesson.model.title
    # The old version's entry is dropped once no file has those bytes.
    stored = parsecache._PlainDataUnpickler(cache_file.open("rb")).load()[1]
    assert len(stored) == len(project_files)


@pytest.mark.parametrize("cache", ["parsed", "models", "checks"])
def test_a_tampered_cache_runs_no_code_and_is_rebuilt(tmp_path: Path, cache: str) -> None:
    """Each cache file under .cache/huxiao/ is read with an unpickler that builds only what its
    cache holds: a planted object that would run code is refused, and the file made afresh."""
    from generator.speed import checkcache, modelcache

    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("site", ".cache"))
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (shutil.copy, (str(root / "mkdocs.yml"), str(marker)))

    file, version = {"parsed": (parsecache.CACHE_FILE, parsecache._FORMAT),
                     "models": (modelcache.CACHE_FILE, modelcache.ModelCache(root).version),
                     "checks": (checkcache.CACHE_FILE, checkcache._FORMAT)}[cache]
    cache_file = root / file
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(pickle.dumps((version, {b"x": Exploit()})))
    data = _fresh_load(root)
    assert data.curriculum.lessons and not marker.exists()
    assert b"shutil" not in cache_file.read_bytes()


def test_a_broken_file_is_still_reported_with_its_line_when_others_are_cached(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("site", ".cache"))
    _fresh_load(root)
    broken = sorted((root / "lessons").rglob("*.yml"))[-1]
    broken.write_text(broken.read_text(encoding="utf-8") + "\nsummary: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidProject) as raised:
        _fresh_load(root)
    problem = next(p for p in raised.value.problems if p.file.endswith(broken.name))
    assert problem.line is not None and problem.line > 1


@pytest.mark.skipif(parsecache._cores() < 2, reason="one core: nothing to spread the parsing over")
def test_parsing_on_several_cores_gives_what_parsing_here_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(FIXTURE.rglob("*.yml"))
    raws = {p: p.read_bytes() for p in files}
    raws[Path("broken.yml")] = b"title: ok\nsummary: [unclosed\n"
    raws[Path("tabs.yml")] = b"title: ok\n\tsummary: x\n"
    monkeypatch.setattr(parsecache, "PARALLEL_BYTES", 0)
    spread = parsecache._parse_many(raws)
    here = {p: parsecache.parse_one(raw) for p, raw in raws.items()}
    assert list(spread) == list(here)
    for path in raws:
        if isinstance(here[path], yamlfile.YamlError):
            assert isinstance(spread[path], yamlfile.YamlError), path
            assert (spread[path].message, spread[path].line) == (here[path].message, here[path].line)
        else:
            assert spread[path] == here[path], path


def test_the_helper_process_parses_what_it_is_sent() -> None:
    import subprocess
    import sys

    raws = [p.read_bytes() for p in sorted((FIXTURE / "lessons").rglob("*.yml"))] + [b"a: [\n"]
    done = subprocess.run([sys.executable, "-m", "generator.speed.parsecache"], input=pickle.dumps(raws),
                          capture_output=True, timeout=120, check=True)
    outcomes = parsecache._PlainDataUnpickler(__import__("io").BytesIO(done.stdout)).load()
    assert [o[0] for o in outcomes] == ["ok"] * (len(raws) - 1) + ["error"]
    assert outcomes[0][1] == yamlfile.parse(raws[0].decode("utf-8"))


def test_a_new_process_takes_validated_files_from_the_model_cache_and_sees_edits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.speed import modelcache

    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("site", ".cache"))
    first = _fresh_load(root)
    assert (root / modelcache.CACHE_FILE).is_file()
    lesson = next(iter(first.curriculum.lessons.values()))
    path = root / lesson.file
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 改过的", 1), encoding="utf-8")
    validated: list[str] = []
    real = loading.validate

    def counting(raw: bytes, data: object, model: type, name: str):
        validated.append(name)
        return real(raw, data, model, name)

    monkeypatch.setattr(loading, "validate", counting)
    second = _fresh_load(root)
    assert validated == [lesson.file]  # only the edited file
    assert second.curriculum.lessons[lesson.id].model.title == "改过的" + lesson.model.title
    assert second.curriculum.lessons[lesson.id].model != lesson.model


def test_discover_finds_files_in_the_order_of_their_sorted_paths(tmp_path: Path) -> None:
    """Files are read, and duplicate ids reported, in path order: a folder's name sorts by its
    parts ('a' before 'a-b', though '-' comes before '/')."""
    names = ["a/x.yml", "a-b/x.yml", "a.yml", "a/b/c.yml", "a/b.yml", "b.yaml", "Z.yml", "_skip.yml",
             "a/_hidden/y.yml", ".git/z.yml", "notes.txt", "中文/甲.yml", "a0.yml"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("id: x\n", encoding="utf-8")
    found = loading.discover(tmp_path)
    expected = sorted(tmp_path / n for n in names if n.endswith((".yml", ".yaml")) and "_" not in n and ".git" not in n)
    assert found == expected
    assert len(found) == 9
