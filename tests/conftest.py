"""Shared helpers: real MkDocs builds into temporary folders, HTML text extraction, and a built
site served on 127.0.0.1 to Debian's Chromium."""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "project"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# The starter's site_url is a placeholder, which a build warns about (and --strict refuses): the
# tests build it published where a station would publish it, as CI does.
os.environ.setdefault("HUXIAO_SITE_URL", "https://huxiao-ceshi.github.io/huxiao/")


def mkdocs_build(project: Path, out: Path, strict: bool = True, huxiao: dict | None = None,
                 **overrides: object) -> Path:
    """A real `mkdocs build` of `project` into `out`, in this process (`overrides` of mkdocs.yml,
    `huxiao` of the plugin's options)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(out), strict=strict, **overrides)
    for option, value in (huxiao or {}).items():
        config.plugins["huxiao"].config[option] = value
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return out


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The `huxiao` command as a user runs it, in a separate process (forked from one that has
    imported the package already: see cli_process.py)."""
    import multiprocessing
    import tempfile

    import cli_process

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["generator.cli", "cli_process"])
    with tempfile.TemporaryDirectory(prefix="huxiao-cli-") as scratch:
        out, err = os.path.join(scratch, "out"), os.path.join(scratch, "err")
        process = context.Process(target=cli_process.run, args=(list(args), str(cwd or ROOT), dict(os.environ), out, err))
        process.start()
        process.join(300)
        if process.is_alive():
            process.kill()
            raise subprocess.TimeoutExpired(["huxiao", *args], 300)
        stdout, stderr = (Path(path).read_text(encoding="utf-8") if os.path.exists(path) else "" for path in (out, err))
    return subprocess.CompletedProcess(["huxiao", *args], process.exitcode, stdout, stderr)


def run_cli_fresh(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The `huxiao` command in a fresh interpreter: what it prints while it starts and imports."""
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=300)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts))


def article(html: str) -> str:
    """The page's main content (inside <article>), without nav and header."""
    match = re.search(r"<article[^>]*>(.*)</article>", html, re.S)
    assert match, "page has no <article>"
    return match.group(1)


def page(site: Path, url: str) -> str:
    path = site / url.strip("/") / "index.html" if not url.endswith(".html") else site / url
    assert path.is_file(), f"missing page {url} ({path})"
    return path.read_text(encoding="utf-8")


def shared(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """`make(folder)` run once for the whole test run, not once per xdist worker: the workers share
    the parent of their base temp folders, and the first to come builds while the others wait on a
    lock. What is made here is read only; a test that changes it works on its own copy."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = root / f"shared-{name}", root / f"shared-{name}.done"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed here left behind
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def prebuilt_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with its public site already built into site/."""
    def build(folder: Path) -> None:
        # Not the fixture's own .cache: a worker building the fixture in place may be writing it.
        shutil.copytree(FIXTURE, folder / "project", ignore=shutil.ignore_patterns(".cache", "site", "pdf"))
        mkdocs_build(folder / "project", folder / "project" / "site")

    return shared(tmp_path_factory, "prebuilt", build) / "project"


@pytest.fixture
def project(tmp_path: Path, prebuilt_fixture: Path) -> Path:
    """A writable copy of the fixture project, with a previous build in site/."""
    target = tmp_path / "project"
    shutil.copytree(prebuilt_fixture, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes, to prove a failed build changed nothing."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every print document of the fixture project as PDF (`huxiao pdf`), rendered once; read only."""
    def render(out: Path) -> None:
        result = run_cli("-C", str(FIXTURE), "pdf", "--out", str(out), "-q")
        assert result.returncode == 0, result.stdout + result.stderr

    return shared(tmp_path_factory, "pdf", render)


def with_fixture_rules(project: Path) -> None:
    """The starter's rules (plans/_rules.yml), made to fit the fixture project: its one drill, and
    only the themed days' topics it has lessons for."""
    import yaml

    rules = yaml.safe_load((ROOT / "plans" / "_rules.yml").read_text(encoding="utf-8"))
    rules["drills"]["scenarios"] = rules["boarding"]["lessons"] = ["chonwu-anquan"]
    taxonomy = yaml.safe_load((project / "lessons" / "_taxonomy.yml").read_text(encoding="utf-8"))
    topics = {t["id"] for t in taxonomy["topics"]}
    for day in rules["themed_days"]:
        day["drill_lessons"] = []
        day["topics"] = [t for t in day.get("topics", []) if t in topics]
    (project / "plans").mkdir(exist_ok=True)
    (project / "plans" / "_rules.yml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")


def with_fixture_pdfs(root: Path, rendered: Path) -> None:
    """What `huxiao pdf` writes into a copy of the fixture project (its PDFs and their manifest,
    which names no folder): those `rendered` once for the run, copied in."""
    shutil.rmtree(root / "pdf", ignore_errors=True)
    shutil.copytree(rendered, root / "pdf")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared(tmp_path_factory, "fixture-site", lambda out: mkdocs_build(FIXTURE, out))


@pytest.fixture(scope="session")
def starter_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared(tmp_path_factory, "starter-site", lambda out: mkdocs_build(ROOT, out))


@pytest.fixture(scope="session")
def bundle_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline bundle of the starter library, built by `huxiao bundle` and unzipped (read only)."""
    def make(scratch: Path) -> None:
        from generator.tools.bundle import bundle

        count, problems = bundle(ROOT, scratch / "huxiao-site.zip")
        assert not problems and count
        with zipfile.ZipFile(scratch / "huxiao-site.zip") as archive:
            archive.extractall(scratch)

    return shared(tmp_path_factory, "bundle", make) / "huxiao-site"


# --------------------------------------------------------------------------- the browser

# Debian's Chromium as its headless shell (package chromium-headless-shell, same source and Blink as
# the browser): without the browser's windowing layers it runs the suite's pages in about 60% of the time.
CHROMIUM = Path("/usr/bin/chromium-headless-shell")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """A built site served on 127.0.0.1, as a static host would: yields its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def server(starter_site: Path) -> Iterator[str]:
    with serve(starter_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser is downloaded), one per worker: each test
    opens its own context (its own cookies, storage and viewport) and closes it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


# --------------------------------------------------------------------------- spreading the tests over the cores


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`--dist loadgroup` hands each test to the next free worker, so one long file no longer keeps
    one core busy while the other waits. The tests of a file with a module-scoped fixture of its own
    (a project built or planned once for the file) stay together on one worker."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        module = getattr(item, "module", None)
        info = getattr(item, "_fixtureinfo", None)
        if module is None or info is None:
            continue
        if any(definition.scope == "module" and getattr(definition.func, "__module__", None) == module.__name__
               for definitions in info.name2fixturedefs.values() for definition in definitions):
            item.add_marker(pytest.mark.xdist_group(module.__name__))
