"""Render a share of the pages in a forked copy of the build, on the machine's other core.

MkDocs 1.x renders pages one after another on one core, and at city scale rendering the theme's
templates is most of a build. By the `env` event every page has been read and converted, so a
fork of the build process holds all that a page's template needs. The fork renders its share
with MkDocs' own `_build_page` and writes the files; it reports back what the build must still
know: the search index entries of those pages and what was logged (so `--strict` counts the
fork's warnings too). The parent gives the same pages an empty template, which MkDocs renders in
no time and does not write.

Only for `mkdocs build` (a fork of `mkdocs serve`, which runs threads, could inherit a held
lock), and only when no plugin but search and this one could keep state of its own per page.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands import build as mkdocs_build

EMPTY_TEMPLATE = "huxiao-rendered-elsewhere.html"
# Plugins known to keep no per-page state other than the search index, which is merged.
SAFE_PLUGINS = {"search", "material/search", "huxiao"}
MIN_SHARE = 20  # below this the fork is not worth its few milliseconds
# The engine's own loggers: "mkdocs.*", or "properdocs.*" when ProperDocs stands in for MkDocs.
BUILD_LOGGER = mkdocs_build.log.name
ENGINE_LOGGER = BUILD_LOGGER.split(".")[0]


@dataclass
class Fork:
    pid: int
    result: Path
    pages: set[str] = field(default_factory=set)
    # Pages by their place in the build, to put search entries back in the order MkDocs uses.
    order: dict[str, int] = field(default_factory=dict)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class _HideSkipped(logging.Filter):
    """MkDocs says "Page skipped" for each page the parent renders empty: the fork wrote them."""

    def __init__(self, pages: set[str]) -> None:
        super().__init__()
        self.pages = pages

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Page skipped: '") and message.split("'")[1] in self.pages)


def unavailable(config: Any, command: str, dirty: bool) -> str | None:
    """Why pages cannot be rendered in a fork in this build, or None."""
    if command not in ("build", "gh-deploy") or dirty:
        return "only `mkdocs build` renders in a fork"
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return "this machine has one core or no fork"
    if not callable(getattr(mkdocs_build, "_build_page", None)):
        return "this MkDocs has no _build_page"
    others = set(config.plugins) - SAFE_PLUGINS
    if others:
        return f"plugin(s) {', '.join(sorted(others))} may keep state per page"
    return None


def start(config: Any, files: Any, nav: Any, env: Any, share: list[Any]) -> Fork | None:
    """Fork; the child renders the pages in `share` and exits. None if the share is too small."""
    if len(share) < MIN_SHARE:
        return None
    if _search_index(config) is not None:
        _load_jieba_once()
    handle, name = tempfile.mkstemp(prefix="huxiao-fork-", suffix=".pickle")
    os.close(handle)
    doc_files = files.documentation_pages()
    order = {file.page.url: n for n, file in enumerate(doc_files)}
    # Frozen objects are left alone by the collector: in the child it then does not write to (and
    # so copy) the pages it shares with the parent. Only `mkdocs build` forks, and it ends soon.
    gc.freeze()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (runs in the child, which leaves through os._exit)
        _child(config, doc_files, nav, env, share, Path(name))
    fork = Fork(pid=pid, result=Path(name), pages={page.file.src_uri for page in share}, order=order)
    for page in share:
        page.meta = {**page.meta, "template": EMPTY_TEMPLATE, "search": {"exclude": True}}
    logging.getLogger(BUILD_LOGGER).addFilter(_HideSkipped(fork.pages))
    return fork


def _child(config: Any, doc_files: Any, nav: Any, env: Any, share: list[Any], result: Path) -> None:
    outcome: dict[str, Any] = {}
    capture = _Capture()
    for logger in (logging.getLogger(), logging.getLogger(ENGINE_LOGGER)):
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
    logging.getLogger(ENGINE_LOGGER).addHandler(capture)
    try:
        search = _search_index(config)
        before = len(search.entries) if search is not None else 0
        for page in share:
            mkdocs_build._build_page(page, config, doc_files, nav, env,
                                     excluded=page.file.inclusion.is_excluded())
        outcome["entries"] = search.entries[before:] if search is not None else []
    except BaseException:  # noqa: BLE001 - everything goes back to the parent
        outcome["error"] = traceback.format_exc()
    outcome["records"] = capture.records
    try:
        result.write_bytes(pickle.dumps(outcome))
    finally:
        os._exit(0)


def finish(fork: Fork, config: Any) -> str | None:
    """Wait for the fork, log what it logged and merge its search entries; its error, if any."""
    _, status = os.waitpid(fork.pid, 0)
    try:
        outcome = pickle.loads(fork.result.read_bytes())  # noqa: S301 - written by our own fork, in a private temp file
    except (OSError, pickle.UnpicklingError, EOFError):
        return f"the fork rendering {len(fork.pages)} pages ended without a result (status {status})"
    finally:
        fork.result.unlink(missing_ok=True)
        _remove_filter()
    for name, level, message in outcome["records"]:
        logging.getLogger(name).log(level, message)
    if "error" in outcome:
        return outcome["error"]
    search = _search_index(config)
    if search is not None and outcome["entries"]:
        entries = search.entries + outcome["entries"]
        # Sorted by page (stable within a page), as if one process had rendered them all.
        search.entries = sorted(entries, key=lambda e: fork.order.get(e["location"].split("#")[0], -1))
    return None


def stop(fork: Fork | None) -> None:
    """End a fork whose build failed elsewhere."""
    if fork is None:
        return
    try:
        os.kill(fork.pid, signal.SIGKILL)
        os.waitpid(fork.pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
    fork.result.unlink(missing_ok=True)
    _remove_filter()


def _remove_filter() -> None:
    logger = logging.getLogger(BUILD_LOGGER)
    for existing in list(logger.filters):
        if isinstance(existing, _HideSkipped):
            logger.removeFilter(existing)


def _search_index(config: Any) -> Any:
    for name in ("search", "material/search"):
        plugin = config.plugins.get(name)
        if plugin is not None and hasattr(plugin, "search_index"):
            return plugin.search_index
    return None


def _load_jieba_once() -> None:
    """Material's search segments Chinese with jieba, which loads its dictionary on first use:
    loaded before the fork, the child shares it instead of loading it again."""
    try:
        import jieba
    except ImportError:
        return
    jieba.initialize()
