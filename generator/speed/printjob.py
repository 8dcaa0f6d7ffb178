"""The site's print documents, written by a helper process while MkDocs renders the pages.

A city library has about three print documents per lesson page (some 19,000 files for a
thousand lessons). They are standalone HTML that MkDocs has nothing to do with, so rather than
rendering them before MkDocs starts and handing MkDocs thousands of files to copy, the plugin
starts `python -m generator.speed.printjob` and MkDocs renders its pages on one core while the helper
writes the print documents on another. The plugin waits for it before the site is swapped in,
and a helper that fails fails the build.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from ..site.assemble import print_documents
from ..source.loading import ProjectPaths
from ..source.problems import InvalidProject
from . import helper_process
from .caches import BuildCaches


@dataclass
class PrintHelper:
    process: subprocess.Popen
    # A file, not a pipe, for its errors: a full pipe nobody reads would block the helper.
    errors: IO[bytes]


def start(paths: ProjectPaths, out: Path, site_url: str | None, pdfs: frozenset[str]) -> PrintHelper:
    """Start writing the print documents of the project at `paths` into the site folder `out`."""
    job = {"paths": {k: str(v) for k, v in asdict(paths).items()}, "out": str(out), "site_url": site_url,
           "pdfs": sorted(pdfs)}
    errors = tempfile.TemporaryFile()
    process = helper_process.start("speed.printjob", json.dumps(job).encode("utf-8"), stdout=subprocess.DEVNULL,
                                   stderr=errors)
    return PrintHelper(process, errors)


def finish(helper: PrintHelper) -> str | None:
    """Wait for the helper; None when it wrote everything, else what went wrong."""
    status = helper.process.wait()
    helper.errors.seek(0)
    errors = helper.errors.read().decode("utf-8", "replace")
    helper.errors.close()
    if status == 0:
        return None
    return errors.strip()[-3000:] or f"exit status {status}"


def stop(helper: PrintHelper | None) -> None:
    if helper is not None and helper.process.poll() is None:
        helper.process.kill()
        helper.process.wait()
    if helper is not None:
        helper.errors.close()


def write(paths: ProjectPaths, out: Path, site_url: str | None, pdfs: frozenset[str]) -> int:
    data = BuildCaches(paths.root).load(paths)
    count = 0
    for path, html in print_documents(data, site_url, pdfs):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        count += 1
    return count


def main() -> int:
    job = json.loads(sys.stdin.buffer.read())
    paths = ProjectPaths(**{k: Path(v) for k, v in job["paths"].items()})
    try:
        write(paths, Path(job["out"]), job["site_url"], frozenset(job["pdfs"]))
    except InvalidProject as error:  # a file changed after the plugin had checked it
        print("\n".join(map(str, error.problems)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
