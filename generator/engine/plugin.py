"""The MkDocs plugin: a thin adapter from the generated pages to an MkDocs build.

On every build it loads and validates the project (problems abort the build with the same
messages as `huxiao validate`), adds the pages as in-memory files, appends their nav and, in
`mkdocs serve`, watches the lesson and school folders. A `mkdocs build` writes into a fresh
folder next to the site and swaps it in only when the build succeeded, so a failed build never
leaves a half-written site behind. It runs the same under ProperDocs, MkDocs' drop-in successor,
whose modules answer to `mkdocs.*` imports but whose loggers are named `properdocs.*`.

The speed layer (`generator/speed/`) is switched on here and only here: with `speed: false`
nothing is cached, forked or drawn by a shortcut, and the site is the same byte for byte.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from ..printing.pdf import read_manifest
from ..printing.sources import fresh_and_stale
from ..site.assemble import AUDIENCES, SiteContent, build_site
from ..site.body import HtmlBodies, restore_late_blocks
from ..site.pages import PageBuilder
from ..site.siteurl import from_config, placeholder_warning
from ..source.loading import ProjectPaths
from ..source.messages import tr
from ..source.problems import InvalidProject
from ..speed import gcpause, pagefork, printjob, sitenav
from ..speed.caches import BuildCaches
from ..stationdata import StationData, load
from . import errorpage, navtidy, searchindex

ENGINE_LOGGER = pagefork.ENGINE_LOGGER
log = logging.getLogger(f"{ENGINE_LOGGER}.plugins.huxiao")
THEME_DIR = Path(__file__).parents[1] / "theme"

AUDIENCE_ENV = "HUXIAO_AUDIENCE"
INTERNAL_NOTICE = "本页面来自内部版本（audience: internal），含学校安全防范信息，仅供派出所内部使用，不得转发或发布。"
INTERNAL_BANNER = f'!!! danger "内部资料 · 不得公开"\n    {INTERNAL_NOTICE}\n\n'
INTERNAL_BANNER_HTML = ('<div class="admonition danger"><p class="admonition-title">内部资料 · 不得公开</p>'
                        f"<p>{INTERNAL_NOTICE}</p></div>\n")


class HuxiaoConfig(Config):
    lessons = opt.Type(str, default="lessons")
    schools = opt.Type(str, default="schools")
    taxonomy = opt.Type(str, default="lessons/_taxonomy.yml")
    thresholds = opt.Type(str, default="schools/_thresholds.yml")
    audience = opt.Choice(AUDIENCES, default="public")
    internal_site_dir = opt.Type(str, default="site-internal")
    pdf_dir = opt.Type(str, default="pdf")
    # Draw the sidebar with generator/speed/sitenav.py rather than Material's slower macro.
    fast_nav = opt.Type(bool, default=True)
    # Render part of the generated pages in a fork of `mkdocs build`, on a second core.
    parallel = opt.Type(bool, default=True)
    # The whole speed layer: caches, the fork, the fast sidebar, the print helper, the paused
    # collector. Off, the build is slower and writes the very same site.
    speed = opt.Type(bool, default=True)


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class PrintDocument(File):
    """A print document: a page links to it, so MkDocs must know of it, but `printjob` writes it."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


class GeneratedPage(File):
    """A generated page. With `mkdocs serve --dirty`, MkDocs renders again only pages whose file
    is modified; a generated page counts as modified when its text differs from the last build's."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged or not os.path.isfile(self.abs_dest_path)


class HuxiaoPlugin(BasePlugin[HuxiaoConfig]):
    def __init__(self) -> None:
        self.content: SiteContent | None = None
        self.audience = "public"
        self.command = "build"
        self.dirty = False
        self.nav = None
        self.fork: pagefork.Fork | None = None
        self.final_site_dir: str | None = None
        self.warnings = _WarningCounter()
        self.pdf_dir = Path("pdf")
        self.pdfs: list[str] = []
        self.paths: ProjectPaths | None = None
        self.site_url: str | None = None
        self.synonyms: list[list[str]] = []
        self.print_helper: printjob.PrintHelper | None = None
        # Kept between the rebuilds of `serve`; a `build` makes its own.
        self.caches: BuildCaches | None = None
        self.served = False  # `serve` has built once with these caches
        # The HTML bodies of pages the generator wrote as HTML, between on_page_markdown and
        # on_page_content of the same page.
        self.html_body: dict[str, str] = {}
        # The generated pages of the last build in this process, for `serve --dirty`.
        self.last_pages: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        paths = ProjectPaths.at(root, self.config.lessons, self.config.schools, self.config.taxonomy,
                                self.config.thresholds)
        self.audience = os.environ.get(AUDIENCE_ENV) or self.config.audience
        if self.audience not in AUDIENCES:
            raise PluginError(f"{AUDIENCE_ENV}={self.audience!r}: use one of {', '.join(AUDIENCES)}")
        fast = self.config.speed
        with gcpause.paused(freeze=self.command == "build") if fast else contextlib.nullcontext():
            data = self._load(paths, fast)
            counted = (self.caches.pages.hits, self.caches.pages.misses) if self.caches is not None else (0, 0)
            for warning in data.warnings:
                log.info(str(warning))
            config.theme.dirs.insert(0, str(THEME_DIR))
            searchindex.use_search_words(data, config, log)
            self.synonyms = data.curriculum.synonyms.as_lists() if data.curriculum.synonyms is not None else []
            self.pdf_dir = root / self.config.pdf_dir
            self.pdfs = self._fresh_pdfs(data, config)  # once per build: pages link to them, MkDocs copies them
            self.paths, self.site_url = paths, config.site_url
            if self.command == "build" and (placeholder := placeholder_warning(config.site_url)):
                log.warning(placeholder)  # `serve` puts its own address here
            make_builder = self.caches.page_builder if self.caches is not None else PageBuilder
            self.content = build_site(data, self.audience, site_url=config.site_url,
                                      pdfs=frozenset(self.pdfs), html_bodies=self._html_bodies(config),
                                      with_print_documents=not fast, make_builder=make_builder)
        if self.caches is not None:
            if self.command != "serve" or not self.served:
                # `serve` saves at its first build and when it stops, not on every rebuild
                self.caches.save()
            self.served = self.command == "serve"
            log.debug(f"huxiao: {self.caches.pages.hits - counted[0]} pages from the page cache, "
                      f"{self.caches.pages.misses - counted[1]} rendered")
            if self.command == "build":
                self._keep_only_the_pages()
        config.nav = list(config.nav or []) + self.content.nav
        for watched in (paths.lessons, paths.schools, paths.taxonomy, paths.records, paths.synonyms):
            if watched.exists() and str(watched) not in config.watch:
                config.watch.append(str(watched))
        if self.audience == "internal":
            config.site_name = f"{config.site_name}（内部版）"
            if Path(config.site_dir).resolve() == (root / "site").resolve():
                # The internal build never lands where the public site is published from.
                config.site_dir = str(root / self.config.internal_site_dir)
        # MkDocs keeps one plugin instance for every config it loads in a process: each build
        # decides afresh where it writes.
        self.final_site_dir = None
        if self.command == "build":
            self._build_aside(config)
        return config

    def _load(self, paths: ProjectPaths, fast: bool) -> StationData:
        if not fast:
            self.caches = None
        elif self.caches is None or self.caches.root != paths.root or self.command == "build":
            self.caches, self.served = BuildCaches(paths.root), False
        try:
            if self.caches is not None:
                return self.caches.load(paths)
            return load(paths)
        except InvalidProject as error:
            raise PluginError(tr("build.invalid") + "\n" + "\n".join(map(str, error.problems))) from None

    def _keep_only_the_pages(self) -> None:
        """A `mkdocs build` builds once: the library, its parsed YAML and the caches `serve` keeps
        for the next rebuild are dropped (a third of a city build's memory). What is left lives
        until the build ends, so the collector need not walk it again at every full pass while
        MkDocs renders (5 s of a city build): frozen when the generator's pause ended (gcpause),
        and here what was made since; `_discard_attempt` undoes that."""
        self.caches = None
        gc.freeze()

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.content is not None
        for path, markdown in self.content.pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(tr("build.clash", path=f"{config.docs_dir}/{path}"))
            inclusion = InclusionLevel.NOT_IN_NAV if path in self.content.not_in_nav else InclusionLevel.UNDEFINED
            page = GeneratedPage.generated(config, path, content=markdown, inclusion=inclusion)
            assert isinstance(page, GeneratedPage)
            # Pages come from the page cache as the same objects when nothing they show changed.
            page.unchanged = self.dirty and self.last_pages.get(path) == markdown
            files.append(page)
        self.last_pages = dict(self.content.pages) if self.dirty else {}
        for path, html in {**self.content.files, **self.content.assets}.items():
            files.append(File.generated(config, path, content=html))
        for path in self.content.print_documents:
            if path not in self.content.files:
                files.append(PrintDocument.generated(config, path, content=""))
        pdfs = self.pdfs
        for name in pdfs:
            files.append(File.generated(config, f"pdf/{name}", abs_src_path=str(self.pdf_dir / name)))
        printjob.stop(self.print_helper)
        self.print_helper = None
        if not self.content.files and self.content.print_documents:
            # The site folder was just emptied; the helper fills in the print documents meanwhile.
            assert self.paths is not None
            self.print_helper = printjob.start(self.paths, Path(config.site_dir), self.site_url, frozenset(pdfs))
        return files

    @staticmethod
    def _html_bodies(config: MkDocsConfig) -> HtmlBodies:
        """Headings written as HTML get the permalinks the `toc` extension would give them."""
        toc = config.mdx_configs.get("toc") or {}
        permalink = toc.get("permalink")
        if permalink is True:
            permalink = "&para;"
        return HtmlBodies(permalink=str(permalink) if permalink else None, directory_urls=config.use_directory_urls,
                          permalink_title=str(toc.get("permalink_title") or "Permanent link"))

    def _fresh_pdfs(self, data: StationData, config: MkDocsConfig) -> list[str]:
        """The PDFs made from what this build publishes; any other is left out, with a warning."""
        names = self._pdf_files()
        if not names:
            return []
        # The QR codes in the PDFs encode the published address, which `serve` replaces with its own.
        site_url = config.site_url if self.command == "build" else from_config(Path(config.config_file_path or "mkdocs.yml"))
        fresh, stale = fresh_and_stale(data, site_url, names, read_manifest(self.pdf_dir)[1])
        if stale:
            log.warning(tr("build.stale_pdfs", count=len(stale)))
        return fresh

    def _pdf_files(self) -> list[str]:
        """PDFs made by `huxiao pdf` for lessons (school packs stay out of the site)."""
        if not self.pdf_dir.is_dir():
            return []
        found = [*self.pdf_dir.glob("*/*/*.pdf"), *self.pdf_dir.glob("reports/*.pdf")]
        return sorted(p.relative_to(self.pdf_dir).as_posix() for p in found)

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):  # noqa: ANN001, ANN201
        self.nav = nav
        return nav

    def on_env(self, env, *, config: MkDocsConfig, files: Files):  # noqa: ANN001, ANN201
        env.filters["huxiao_tidy"] = navtidy.tidy
        if self.config.speed and self.config.fast_nav:
            if sitenav.material_macro_hash() == sitenav.MIRRORED_MACRO:
                env.globals["huxiao_nav"] = sitenav.NavDrawer()
            else:
                log.info("Material's nav macro is not the one generator/speed/sitenav.py mirrors; Material draws the nav")
        if self.config.speed and self.config.parallel:
            self._render_share_in_fork(env, config, files)
        return env

    def _render_share_in_fork(self, env, config: MkDocsConfig, files: Files) -> None:  # noqa: ANN001
        """Every other generated HTML page goes to a fork (see pagefork): all pages are read and
        converted by now, what remains is rendering templates."""
        assert self.content is not None
        pagefork.stop(self.fork)
        self.fork = None
        reason = pagefork.unavailable(config, self.command, self.dirty)
        if reason:
            log.debug(f"huxiao: rendering on one core: {reason}")
            return
        generated = [f.page for f in files.documentation_pages() if f.src_uri in self.content.html_pages]
        self.fork = pagefork.start(config, files, self.nav, env, generated[1::2])
        if self.fork is not None:
            log.debug(f"huxiao: {len(self.fork.pages)} pages rendered by a fork (pid {self.fork.pid})")

    def on_page_markdown(self, markdown: str, *, page, **kwargs) -> str:  # noqa: ANN001, ANN003
        assert self.content is not None
        if page.file.src_uri in self.content.html_pages:
            # Already HTML: Python-Markdown gets nothing to do, on_page_content puts it back.
            self.html_body[page.file.src_uri] = markdown
            return ""
        return INTERNAL_BANNER + markdown if self.audience == "internal" else markdown

    def on_page_content(self, html: str, *, page, **kwargs) -> str:  # noqa: ANN001, ANN003
        assert self.content is not None
        html_page = self.content.html_pages.get(page.file.src_uri)
        if html_page is None:
            return html
        page.toc = get_toc(html_page.toc_tokens())  # type: ignore[arg-type]  # the same keys as _TocToken
        page.present_anchor_ids = html_page.anchors
        body = self.html_body.pop(page.file.src_uri)
        return INTERNAL_BANNER_HTML + body if self.audience == "internal" else body

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name == "404.html":
            return errorpage.relocatable(output_content, config.site_url)
        return output_content

    def on_post_page(self, output: str, *, page, **kwargs) -> str:  # noqa: ANN001, ANN003
        assert self.content is not None
        html_page = self.content.html_pages.get(page.file.src_uri)
        return restore_late_blocks(output, html_page) if html_page else output

    # ---------------------------------------------------------------- build aside, swap on success

    def _build_aside(self, config: MkDocsConfig) -> None:
        final = Path(config.site_dir).resolve()
        final.parent.mkdir(parents=True, exist_ok=True)
        self.final_site_dir = str(final)
        config.site_dir = tempfile.mkdtemp(prefix=f".{final.name}-building-", dir=final.parent)
        logging.getLogger(ENGINE_LOGGER).addHandler(self.warnings)

    @event_priority(100)  # before search writes its index, which needs the fork's entries
    def _finish_fork(self, config: MkDocsConfig) -> None:
        if self.fork is None:
            return
        failure = pagefork.finish(self.fork, config)
        self.fork = None
        if failure:
            raise PluginError(f"rendering pages in a second process failed:\n{failure}")

    def _finish_build(self, config: MkDocsConfig) -> None:
        if self.print_helper is not None:
            failure = printjob.finish(self.print_helper)
            self.print_helper = None
            if failure:
                raise PluginError(f"writing the print documents failed:\n{failure}")
        if self.final_site_dir is None:
            return
        logging.getLogger(ENGINE_LOGGER).removeHandler(self.warnings)
        if config.strict and self.warnings.count:
            return  # MkDocs aborts right after this; on_shutdown removes the attempt.
        building, final = Path(config.site_dir), Path(self.final_site_dir)
        old = None
        if final.exists():
            old = final.with_name(f".{final.name}-old-{os.getpid()}")
            final.rename(old)
        building.rename(final)
        config.site_dir = str(final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    # Priority 0, as search's own (which mkdocs.yml lists first) and before the swap: the index
    # is rewritten after search wrote it, inside the folder swapped in, before `offline` copies it.
    def _compact_search_index(self, config: MkDocsConfig) -> None:
        sizes = searchindex.compact_index(Path(config.site_dir), self.synonyms)
        if sizes:
            log.debug(f"huxiao: search index {sizes[0]:,} bytes as Material writes it, {sizes[1]:,} as UTF-8")

    on_post_build = CombinedEvent(_finish_fork, _compact_search_index, _finish_build)

    def on_build_error(self, *, error: Exception) -> None:
        self._discard_attempt()

    def on_shutdown(self) -> None:
        if self.caches is not None and self.command == "serve":
            self.caches.save()
        self._discard_attempt()

    def _discard_attempt(self) -> None:
        if self.command == "build":
            gc.unfreeze()  # see on_config; the fork froze the pages too
        printjob.stop(self.print_helper)
        self.print_helper = None
        pagefork.stop(self.fork)
        self.fork = None
        logging.getLogger(ENGINE_LOGGER).removeHandler(self.warnings)
        if self.final_site_dir is None:
            return
        for leftover in Path(self.final_site_dir).parent.glob(f".{Path(self.final_site_dir).name}-building-*"):
            shutil.rmtree(leftover, ignore_errors=True)
