"""City-scale benchmark: `huxiao bench --lessons N --schools M` (or `python -m generator.tools.bench`).

Synthesizes a corpus in a temporary folder by varying the project's real lesson and school
files (distinct ids, titles and texts; every lesson in all six tiers), then measures, each
several times and reporting the median: load + validate, page generation, the whole
`mkdocs build` (cold, then warm) and the generator's share of the warm one, the generator again
after one record file changes (in the process that built before, as `mkdocs serve` does, and in
a new one) and after one lesson changes, an incremental rebuild after one lesson file changes
(what `mkdocs serve` pays), peak memory of the build, and the size of the search index and of the
site. It prints a table and one JSON line. It is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import yaml

from ..site.assemble import build_site
from ..site.body import HtmlBodies
from ..source import loading
from ..source.loading import ProjectPaths
from ..speed import gcpause
from ..speed.caches import BuildCaches
from ..stationdata import load

TIERS = ["kindergarten", "primary-lower", "primary-upper", "junior-high", "senior-high", "university"]
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# --------------------------------------------------------------------------- corpus


def _read(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")


DUTY_LINES = 10


def _copied_variant(variant: dict) -> dict:
    """A variant copied into a tier it was not written for: a declared "which is wrong" question
    is for older pupils only (validate refuses it below junior high), so the copy leaves it out."""
    copy = json.loads(json.dumps(variant))
    copy["quiz"] = [q for q in copy.get("quiz", []) if not q.get("negative")]
    return copy


def synthesize(source: Path, target: Path, lessons: int, schools: int) -> None:
    """A project in `target` with `lessons` lessons (six tiers each) and `schools` schools."""
    shutil.copytree(source / "content", target / "content")
    if (source / "laws").is_dir():  # the lessons' sources cite them
        shutil.copytree(source / "laws", target / "laws")
    shutil.copy(source / "mkdocs.yml", target / "mkdocs.yml")
    (target / "lessons").mkdir(parents=True)
    shutil.copy(source / "lessons" / "_taxonomy.yml", target / "lessons" / "_taxonomy.yml")
    thresholds = source / "schools" / "_thresholds.yml"
    (target / "schools").mkdir(parents=True)
    if thresholds.is_file():
        shutil.copy(thresholds, target / "schools" / "_thresholds.yml")
    bases = [(p.stem, _read(p)) for p in loading.discover(source / "lessons")]
    if not bases:
        raise SystemExit("no lessons to vary in " + str(source / "lessons"))
    made: dict[str, list[str]] = {}
    for n in range(lessons):
        stem, base = bases[n % len(bases)]
        lesson = json.loads(json.dumps(base, default=str))
        lesson["title"] = f"{base['title']}（第{n + 1}版）"
        lesson["summary"] = f"{base['summary']} 本版编号 {n + 1}，适用于第 {n % 97 + 1} 学区。"
        lesson["key_messages"] = [f"{m}（{n + 1}）" for m in base["key_messages"]]
        # Every copy is taught to all six tiers of pupils (a parents' letter or a staff training
        # becomes a plain lesson: letters are for parents only).
        pupils = {t: v for t, v in lesson["variants"].items() if t in TIERS}
        first = next(iter(pupils.values()), None) or next(iter(lesson["variants"].values()))
        first = {key: value for key, value in first.items() if key != "letter"}
        lesson["variants"] = {t: pupils.get(t) or _copied_variant(first) for t in TIERS}
        lesson["tiers"] = TIERS
        lesson.pop("related", None)  # ids of the real library; the copies have other ids
        lesson_id = f"{stem}-{n + 1}"
        made.setdefault(stem, []).append(lesson_id)
        _write(target / "lessons" / lesson["topic"] / f"{lesson_id}.yml", lesson)
    school_bases = [(p.stem, _read(p)) for p in loading.discover(source / "schools")]
    terms = sorted(p for p in (source / "records").glob("*") if p.is_dir()) if (source / "records").is_dir() else []
    for term in terms:
        (target / "records" / term.name).mkdir(parents=True)
        shutil.copy(term / "_term.yml", target / "records" / term.name / "_term.yml")
    if (source / "plans" / "_rules.yml").is_file():
        (target / "plans").mkdir()
        rules = _read(source / "plans" / "_rules.yml")
        # The rules name drill scripts: here, this library's first copy of each.
        for block in (rules["drills"], rules["boarding"]):
            key = "scenarios" if "scenarios" in block else "lessons"
            block[key] = [made[x][0] for x in block[key] if made.get(x)]
        for day in rules.get("themed_days", []):
            day["drill_lessons"] = [made[x][0] for x in day.get("drill_lessons", []) if made.get(x)]
        _write(target / "plans" / "_rules.yml", rules)
    for n in range(schools):
        stem, base = school_bases[n % len(school_bases)]
        school = json.loads(json.dumps(base, default=str))
        school["name"] = f"{base['name']}{n + 1}号"
        # Two schools an officer, as the rules ask (the starter's officers would serve hundreds).
        school["liaison"] = {**school["liaison"], "name": f"{base['liaison']['name']}{n // 2 + 1}"}
        school["district"] = f"{base['district']}{n % 20 + 1}片区"
        _write(target / "schools" / f"{stem}-{n + 1}.yml", school)
        # The school's records of every term, naming this library's copies of the lessons.
        for term in terms:
            record_file = term / f"{stem}.yml"
            if not record_file.is_file():
                continue
            record = json.loads(json.dumps(_read(record_file), default=str))
            for kind in ("lectures", "drills"):
                record[kind] = [{**r, "lesson": made[r["lesson"]][n % len(made[r["lesson"]])]}
                                for r in record.get(kind, []) if made.get(r["lesson"])]
            # About twenty records a school a term, as a station keeps them: duty by the week.
            record["duty"] = record.get("duty", [])[:DUTY_LINES]
            _write(target / "records" / term.name / f"{stem}-{n + 1}.yml", record)


# --------------------------------------------------------------------------- measurements


def _median_time(fn, repeat: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _generate(root: Path, parsed_cache: bool, caches: BuildCaches | None = None, save: bool = True) -> tuple[float, float, int]:
    """Load + validate time, page generation time, page count, as a new `mkdocs build` process pays
    them (parsed YAML from .cache/huxiao if `parsed_cache`). Given the `caches` of an earlier run and
    not `save`, as a rebuild of `mkdocs serve` does (it saves its caches when it stops)."""
    paths = ProjectPaths.at(root)
    if not parsed_cache:
        shutil.rmtree(root / ".cache", ignore_errors=True)
    new_process = caches is None  # which, as `mkdocs build` does, freezes its library; `serve` does not
    caches = caches or BuildCaches(root)
    gc.unfreeze()  # the bench's earlier runs are garbage now, and not this run's to collect
    gc.collect()
    with gcpause.paused(freeze=new_process):
        start = time.perf_counter()
        data = caches.load(paths)
        loaded = time.perf_counter()
        # What the plugin does before MkDocs renders; the print documents are written meanwhile.
        site = build_site(data, site_url="https://example.org/", html_bodies=HtmlBodies(permalink="&para;"),
                          with_print_documents=False, make_builder=caches.page_builder)
    if save:
        caches.save()
    done = time.perf_counter()
    return loaded - start, done - loaded, len(site.pages)


_BUILD_SCRIPT = r"""
import json, os, resource, sys, threading, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
root, touch = Path(sys.argv[1]), sys.argv[2]
peak_pss = [0]
def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    except (OSError, StopIteration, ValueError):
        return 0
def children(pid):
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            found += [int(c) for c in open(f"/proc/{pid}/task/{task}/children").read().split()]
        except OSError:
            pass
    return found
def sample():
    # Memory of the build and every process it started (print helper, fork), shared pages
    # counted once: the proportional set size, summed.
    while True:
        pids = [os.getpid()]
        for pid in pids:
            pids += [c for c in children(pid) if c not in pids]
        peak_pss[0] = max(peak_pss[0], sum(pss_kb(pid) for pid in pids))
        time.sleep(0.2)
if os.path.exists("/proc/self/smaps_rollup"):
    threading.Thread(target=sample, daemon=True).start()
def once():
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    start = time.perf_counter()
    build(config)
    config.plugins.on_shutdown()
    return time.perf_counter() - start
first = once()
again = None
if touch:
    path = Path(touch)
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 又改", 1), encoding="utf-8")
    again = once()
print(json.dumps({"build": first, "rebuild": again,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "helper_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "total_pss_mb": peak_pss[0] / 1024 or None}))
"""


def _build(root: Path, touch: Path | None = None) -> dict:
    """A real MkDocs build in a fresh process (and optionally a rebuild after one file changes)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-c", _BUILD_SCRIPT, str(root), str(touch or "")],
                            capture_output=True, text=True, env=env, timeout=3600)
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _peak(values: Iterable[float | None]) -> int | None:
    known = [v for v in values if v]
    return round(max(known)) if known else None


def _edit(path: Path) -> None:
    """Change a lesson's title, as an officer's edit would (school pages list titles too)."""
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 改", 1), encoding="utf-8")


def _edit_record(root: Path) -> Path | None:
    """Change the head count of one lecture in the latest term's records, as a station's
    correction would (the school's page, the statistics and the term reports show it)."""
    terms = sorted((p for p in (root / "records").glob("*") if p.is_dir()), key=lambda p: (p.name[:4], p.name.endswith("autumn")))
    for term in reversed(terms):
        for path in sorted(term.glob("*.yml")):
            text = path.read_text(encoding="utf-8")
            if not path.name.startswith("_") and _AUDIENCE.search(text):
                _count_one_more(path)
                return path
    return None


_AUDIENCE = re.compile(r"audience: (\d+)")


def _count_one_more(path: Path) -> None:
    """One more pupil at the file's first lecture."""
    text = path.read_text(encoding="utf-8")
    path.write_text(_AUDIENCE.sub(lambda m: f"audience: {int(m.group(1)) + 1}", text, count=1), encoding="utf-8")


def _one_record_change(root: Path) -> tuple[float, float]:
    """Seconds to regenerate after one record file changed: in the process of the build before,
    as `mkdocs serve` does (its caches kept in memory), and in a new process, as the next `mkdocs
    build` or `huxiao validate` does (the caches on disk)."""
    caches = BuildCaches(root)
    _generate(root, parsed_cache=True, caches=caches)  # serve's first build, which saves
    edited = _edit_record(root)
    if edited is None:
        return 0.0, 0.0
    in_serve = _generate(root, parsed_cache=True, caches=caches, save=False)
    _count_one_more(edited)
    fresh = _generate(root, parsed_cache=True)
    return sum(in_serve[:2]), sum(fresh[:2])


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _records_cost(root: Path, with_records_s: float, repeat: int) -> float:
    """What the term records and plans add to the warm generator: the same library without them
    (plans name the terms whose calendars are in records/, so both go aside)."""
    folders = [f for f in (root / "records", root / "plans") if f.is_dir()]
    if not folders:
        return 0.0
    for folder in folders:
        folder.rename(folder.with_name(folder.name + "-aside"))
    try:
        _generate(root, parsed_cache=True)  # the listings and school pages change once
        runs = [_generate(root, parsed_cache=True) for _ in range(repeat)]
    finally:
        for folder in folders:
            folder.with_name(folder.name + "-aside").rename(folder)
    _generate(root, parsed_cache=True)
    return with_records_s - statistics.median(r[0] + r[1] for r in runs)


def _plan(root: Path) -> tuple[float, int]:
    """`huxiao plan` for the first term still to come, every school at once: seconds (proposing
    and writing; the library is loaded first) and the sessions it wrote."""
    import datetime as dt

    from . import plan

    today = dt.date.today()
    upcoming = sorted(p.name for p in (root / "records").glob("*") if p.is_dir()
                      and dt.date.fromisoformat(str(_read(p / "_term.yml")["first_day"])) > today)
    if not upcoming or not (root / "plans" / "_rules.yml").is_file():
        return 0.0, 0
    paths = ProjectPaths.at(root)
    data = load(paths)  # timed apart: load_validate_* below
    start = time.perf_counter()
    _, writes = plan.run(paths, upcoming[0], data=data)
    return time.perf_counter() - start, sum(w.new for w in writes)


def _ledger(root: Path) -> tuple[float, int]:
    """`huxiao ledger --audience internal` for the term with the most records: seconds to write the
    workbook (the library is loaded first) and its rows."""
    from .ledger import write

    data = load(ProjectPaths.at(root))  # timed apart: load_validate_* below
    books = [b for b in data.terms.values() if b.schools]
    if not books:
        return 0.0, 0
    book = max(books, key=lambda b: len(b.schools))
    start = time.perf_counter()
    counts = write.write(data, book.id, root.parent / "ledger.xlsx", internal=True)
    return time.perf_counter() - start, sum(counts.values())


def _count_records(root: Path) -> int:
    """Lectures, drills, duty lines, trainings and inspections in every record file."""
    count = 0
    for path in (root / "records").glob("*/*.yml"):
        if not path.name.startswith("_"):
            data = _read(path)
            count += sum(len(data.get(k) or []) for k in ("lectures", "drills", "duty", "trainings", "inspections"))
    return count


def measure(source: Path, lessons: int, schools: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="huxiao-bench-") as scratch:
        root = Path(scratch) / "project"
        synthesize(source, root, lessons, schools)
        plan_s, planned = _plan(root)
        ledger_s, ledger_rows = _ledger(root)
        cold = _generate(root, parsed_cache=False)
        runs = [_generate(root, parsed_cache=True) for _ in range(repeat)]
        load_s = statistics.median(r[0] for r in runs)
        gen_s = statistics.median(r[1] for r in runs)
        pages = runs[0][2]
        records_s = _records_cost(root, load_s + gen_s, repeat)
        one_record, one_record_fresh = _one_record_change(root)
        edited = loading.discover(root / "lessons")[0]  # a lesson file, not the taxonomy
        _edit(edited)
        one_lesson = _generate(root, parsed_cache=True)
        shutil.rmtree(root / ".cache", ignore_errors=True)
        # The first with nothing cached, the others with parsed YAML and pages cached.
        builds = [_build(root) for _ in range(repeat + 1)]
        build_s = statistics.median(b["build"] for b in builds[1:])
        rebuild = _build(root, touch=edited)
        search = root / "site" / "search" / "search_index.json"
        return {
            "lessons": lessons, "schools": schools, "pages": pages,
            "load_validate_cold_s": round(cold[0], 3), "load_validate_s": round(load_s, 3),
            "generate_s": round(gen_s, 3), "generate_cold_s": round(cold[1], 3),
            "records": _count_records(root), "records_s": round(records_s, 3),
            "planned_sessions": planned, "plan_s": round(plan_s, 3),
            "ledger_rows": ledger_rows, "ledger_s": round(ledger_s, 3),
            "generator_one_change_s": round(one_record, 3), "generator_one_change_fresh_s": round(one_record_fresh, 3),
            "generator_one_lesson_fresh_s": round(sum(one_lesson[:2]), 3), "cold_build_s": round(builds[0]["build"], 2),
            "build_s": round(build_s, 2), "generator_share": round((load_s + gen_s) / build_s, 4),
            "ms_per_page": round(1000 * build_s / pages, 2),
            "rebuild_s": round(rebuild["rebuild"], 2),
            # Memory of a `mkdocs build` as a user runs it: a fresh process each. The rebuild's
            # process holds what the first of its two builds left behind, as `serve` does.
            "peak_rss_mb": round(max(b["rss_mb"] for b in builds)),
            "helper_rss_mb": round(max(b["helper_rss_mb"] for b in builds)),
            "total_pss_mb": _peak(b.get("total_pss_mb") for b in builds),
            "rebuild_pss_mb": _peak([rebuild.get("total_pss_mb")]),
            "search_index_mb": round(search.stat().st_size / 1048576, 3) if search.is_file() else None,
            "site_mb": round(_folder_size(root / "site") / 1048576, 1),
        }


def measure_starter(source: Path) -> dict:
    """The project's own library, built once: its search index is what a visitor downloads."""
    with tempfile.TemporaryDirectory(prefix="huxiao-bench-") as scratch:
        root = Path(scratch) / "project"
        for name in ("content", "lessons", "schools", "laws"):
            if (source / name).is_dir():
                shutil.copytree(source / name, root / name)
        shutil.copy(source / "mkdocs.yml", root / "mkdocs.yml")
        build = _build(root)
        search = root / "site" / "search" / "search_index.json"
        return {"build_s": round(build["build"], 2),
                "pages": sum(1 for _ in (root / "site").rglob("index.html")),
                "search_index_mb": round(search.stat().st_size / 1048576, 3),
                "site_mb": round(_folder_size(root / "site") / 1048576, 1)}


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="huxiao bench", description=__doc__.splitlines()[0])
    parser.add_argument("-C", "--project", default=".", help="project whose lessons and schools are varied")
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--small", type=float, default=0.1,
                        help="also run at this fraction of the size, to compare time per page (0 to skip)")
    args = parser.parse_args(argv)
    source = Path(args.project)
    scales = [(args.lessons, args.schools)]
    if args.small:
        scales.insert(0, (max(1, round(args.lessons * args.small)), max(1, round(args.schools * args.small))))
    starter = measure_starter(source)
    results = [measure(source, lessons, schools, args.repeat) for lessons, schools in scales]
    print(f"machine: {machine()}")
    print(f"starter library: {starter['pages']} pages built in {starter['build_s']} s, "
          f"search index {starter['search_index_mb']} MB, site {starter['site_mb']} MB")
    header = ["lessons", "schools", "pages", "records", "load_validate_cold_s", "load_validate_s", "generate_cold_s",
              "generate_s", "records_s", "plan_s", "planned_sessions", "ledger_s", "ledger_rows", "generator_one_change_s",
              "generator_one_change_fresh_s", "generator_one_lesson_fresh_s",
              "cold_build_s", "build_s",
              "generator_share", "ms_per_page",
              "rebuild_s", "peak_rss_mb", "helper_rss_mb", "total_pss_mb", "rebuild_pss_mb", "search_index_mb",
              "site_mb"]
    print(" | ".join(header))
    for row in results:
        print(" | ".join(str(row[h]) for h in header))
    if len(results) == 2:
        growth = results[1]["ms_per_page"] / results[0]["ms_per_page"]
        print(f"time per page, large / small: {growth:.2f}x")
    print(json.dumps({"machine": machine(), "starter": starter, "results": results}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
