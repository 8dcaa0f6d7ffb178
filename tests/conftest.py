"""Shared helpers: real MkDocs builds into temporary folders, HTML text extraction, and a built
site served on 127.0.0.1 to Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
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
    """The `huxiao` command as a user runs it, in a separate process."""
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


@pytest.fixture(scope="session")
def prebuilt_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with its public site already built into site/."""
    target = tmp_path_factory.mktemp("prebuilt") / "project"
    shutil.copytree(FIXTURE, target)
    mkdocs_build(target, target / "site")
    return target


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
    out = tmp_path_factory.mktemp("pdf")
    result = run_cli("-C", str(FIXTURE), "pdf", "--out", str(out), "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mkdocs_build(FIXTURE, tmp_path_factory.mktemp("fixture-site"))


@pytest.fixture(scope="session")
def starter_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mkdocs_build(ROOT, tmp_path_factory.mktemp("starter-site"))


# --------------------------------------------------------------------------- the browser

CHROMIUM = Path("/usr/bin/chromium")


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


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (no browser is downloaded)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()
