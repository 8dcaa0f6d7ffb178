"""`huxiao export DIR`: the hand-written pages plus the generated ones, as plain Markdown files.

For building with another engine (Material for MkDocs reaches end of life in May 2027; its
successor runs no third-party plugin). Writes only into an empty or new folder, so nothing a
person wrote is ever overwritten.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import yaml

from ..curriculum import load
from ..site.assemble import build_site
from ..source.loading import ProjectPaths
from ..source.messages import tr


class ExportError(Exception):
    pass


def export(paths: ProjectPaths, out: Path, docs_dir: str | None = None) -> int:
    """Write every page to `out`; returns the number of generated pages written."""
    if out.exists() and any(out.iterdir()):
        raise ExportError(tr("export.not_empty", out=out))
    content = build_site(load(paths))
    docs = paths.root / (docs_dir or _docs_dir(paths.root))
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the target and move into place, so a failure leaves no half-written folder.
    staging = Path(tempfile.mkdtemp(prefix=".huxiao-export-", dir=out.parent))
    try:
        if docs.is_dir():
            shutil.copytree(docs, staging, dirs_exist_ok=True)
        for path, markdown in {**content.pages, **content.files, **content.assets}.items():
            target = staging / path
            if target.exists():
                raise ExportError(tr("export.clash", path=path, docs=docs.name))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
        (staging / "nav.json").write_text(json.dumps(content.nav, ensure_ascii=False, indent=1), encoding="utf-8")
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(content.pages)


def _docs_dir(root: Path) -> str:
    config = root / "mkdocs.yml"
    if config.is_file():
        # mkdocs.yml may hold !!python tags for other plugins; only docs_dir is needed here.
        for line in config.read_text(encoding="utf-8").splitlines():
            if line.startswith("docs_dir:"):
                return str(yaml.safe_load(line.split(":", 1)[1]) or "docs")
    return "docs"
