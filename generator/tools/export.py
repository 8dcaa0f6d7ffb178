"""`huxiao export DIR`: the site as a project another engine builds, without the huxiao plugin.

For building with another engine (Material for MkDocs reaches end of life in May 2027; its
successor, Zensical, runs no project's own plugin). DIR gets `mkdocs.yml` (see exportconfig),
`docs/` with the hand-written pages, every generated page as Markdown, the standalone print and
presenter pages, the calendars, the PDFs made by `huxiao pdf` and the theme files these load, and
`overrides/` with the Chinese 404 page. `cd DIR && zensical build` then writes the same pages at
the same addresses as the plugin's build. Writes only into an empty or new folder, so nothing a
person wrote is ever overwritten.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from ..site.assemble import build_site
from ..source.loading import ProjectPaths
from ..source.messages import tr
from ..stationdata import load
from .exportconfig import DOCS_DIR, OVERRIDES_DIR, ConfigError, engine_config, read_project_config

THEME_DIR = Path(__file__).parents[1] / "theme"
# The print and presenter pages load these from `huxiao/` at the site's root.
THEME_ASSETS = THEME_DIR / "huxiao"
ZENSICAL_OVERRIDES = THEME_DIR / "zensical"
# Where `huxiao pdf` writes, as the plugin's `pdf_dir` default.
PDF_DIR = "pdf"


class ExportError(Exception):
    pass


def export(paths: ProjectPaths, out: Path, docs_dir: str | None = None) -> int:
    """Write the project for another engine to `out`; returns the number of generated pages written."""
    if out.exists() and any(out.iterdir()):
        raise ExportError(tr("export.not_empty", out=out))
    try:
        project = read_project_config(paths.root)
    except ConfigError as error:
        raise ExportError(str(error)) from None
    pdfs = lesson_pdfs(paths.root / PDF_DIR)
    content = build_site(load(paths), site_url=project.get("site_url"), pdfs=frozenset(pdfs))
    docs = paths.root / (docs_dir or str(project.get("docs_dir") or "docs"))
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the target and move into place, so a failure leaves no half-written folder.
    staging = Path(tempfile.mkdtemp(prefix=".huxiao-export-", dir=out.parent))
    try:
        target_docs = staging / DOCS_DIR
        if docs.is_dir():
            shutil.copytree(docs, target_docs)
        generated = {**content.pages, **content.files, **content.assets}
        for path, text in generated.items():
            _write_new(target_docs / path, text, path, docs.name)
        # Notes for maintainers (pictures/README.md) are no page: MkDocs copies no theme Markdown either.
        for asset in sorted(p for p in THEME_ASSETS.rglob("*") if p.is_file() and p.suffix != ".md"):
            path = f"huxiao/{asset.relative_to(THEME_ASSETS).as_posix()}"
            _copy_new(asset, target_docs / path, path, docs.name)
        for name in pdfs:
            _copy_new(paths.root / PDF_DIR / name, target_docs / "pdf" / name, f"pdf/{name}", docs.name)
        shutil.copytree(ZENSICAL_OVERRIDES, staging / OVERRIDES_DIR)
        (staging / "mkdocs.yml").write_text(engine_config(project, content.nav), encoding="utf-8")
        (staging / "nav.json").write_text(json.dumps(content.nav, ensure_ascii=False, indent=1), encoding="utf-8")
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(content.pages)


def lesson_pdfs(pdf_dir: Path) -> list[str]:
    """PDFs made by `huxiao pdf` that the site links to, as the plugin finds them (school packs stay out)."""
    if not pdf_dir.is_dir():
        return []
    found = [*pdf_dir.glob("*/*/*.pdf"), *pdf_dir.glob("reports/*.pdf")]
    return sorted(p.relative_to(pdf_dir).as_posix() for p in found)


def _write_new(target: Path, text: str, path: str, docs: str) -> None:
    if target.exists():
        raise ExportError(tr("export.clash", path=path, docs=docs))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _copy_new(source: Path, target: Path, path: str, docs: str) -> None:
    if target.exists():
        raise ExportError(tr("export.clash", path=path, docs=docs))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
