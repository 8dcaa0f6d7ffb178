"""`huxiao bundle`: the site as a zip that works unzipped, from file://, with no server and no network.

It is the project's own build with two more Material plugins, added by a config override (the
project's mkdocs.yml is not changed):

- `offline`: no directory URLs (every link names its `.html` file) and the search index as a
  script, so search works from file://. Over file:// a browser refuses Web Workers, so Material
  loads the `iframe-worker` shim, by default from https://unpkg.com/iframe-worker/shim; here it
  is the vendored copy in theme/huxiao/vendor/, loaded from the site itself.
- `privacy`: any external asset (style sheet, script, image) is downloaded at build time and
  served from the site. Material's JavaScript names a mermaid CDN URL; it is excluded (the site
  draws no diagrams, and the build must stay warning-free without internet).

Afterwards links that end in `/` (the print pages' back links) are pointed at the file they
mean, the result is checked for references to other hosts, and it is zipped into one folder.
The zip is replaced only when everything succeeded.
"""

from __future__ import annotations

import argparse
import logging
import os
import posixpath
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from ..engine.plugin import AUDIENCE_ENV, ENGINE_LOGGER
from ..source.messages import tr

IFRAME_WORKER = "huxiao/vendor/iframe-worker-1.0.4.js"
# Material's bundle.*.min.js names https://unpkg.com/mermaid@<version>/dist/mermaid.min.js.
PRIVACY_EXCLUDE = ["unpkg.com/mermaid@*"]
_OWN_PLUGINS = {"offline", "privacy", "material/offline", "material/privacy"}

# A relative link to a folder: href="../" or href="../../tiers/#x" (no scheme, not absolute).
_FOLDER_LINK = re.compile(r'(?P<attr>\bhref=")(?P<path>(?![a-zA-Z][\w+.-]*:|/)[^"#?]*/)(?P<rest>[#?][^"]*)?"')
# Anything the browser would fetch from another host: scripts, style sheets, images, frames...
_EXTERNAL = re.compile(
    r'<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc=["\']?(?:https?:)?//'
    r'|<link\b(?=[^>]*\brel=["\']?(?:stylesheet|icon|preload|modulepreload|prefetch|manifest)\b)[^>]*\bhref=["\']?(?:https?:)?//'
    r'|url\(\s*["\']?(?:https?:)?//|@import\s+["\'](?:https?:)?//',
    re.I,
)


def plugin_override(project: Path, cache_dir: Path) -> list:
    """The project's plugins (as its mkdocs.yml lists them), plus offline and privacy."""
    from mkdocs.utils import yaml_load

    with open(project / "mkdocs.yml", encoding="utf-8") as fd:
        raw = yaml_load(fd) or {}  # follows INHERIT and !ENV like mkdocs does
    plugins = raw.get("plugins", ["search"])
    if isinstance(plugins, dict):  # the `plugins: {search: {...}}` form
        plugins = [{name: options} if options else name for name, options in plugins.items()]
    kept = [p for p in plugins if (p if isinstance(p, str) else next(iter(p), "")) not in _OWN_PLUGINS]
    return kept + [
        "material/offline",
        {"material/privacy": {"cache_dir": str(cache_dir), "assets_exclude": PRIVACY_EXCLUDE}},
    ]


def build(project: Path, site_dir: Path, audience: str, strict: bool = True) -> None:
    """The offline variant of the site, built into `site_dir` (which must not exist yet)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    previous = os.environ.get(AUDIENCE_ENV)
    os.environ[AUDIENCE_ENV] = audience  # the bundle's audience is the flag's, never an inherited one
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict,
                             plugins=plugin_override(project, site_dir.parent / "privacy-cache"))
        polyfills = config.extra.setdefault("polyfills", [])
        # Named before the offline plugin runs, so it adds no CDN copy of its own.
        polyfills[:] = [p for p in polyfills if "iframe-worker" not in str(p)] + [IFRAME_WORKER]
        # The offline plugin turns directory URLs off in its on_config, after the huxiao plugin has
        # made its HTML pages' links (print documents, presenter): they must name files already.
        config["use_directory_urls"] = False
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        if previous is None:
            os.environ.pop(AUDIENCE_ENV, None)
        else:
            os.environ[AUDIENCE_ENV] = previous


def fix_folder_links(site: Path) -> int:
    """Point links to folders (`../`) at the page itself: file:// shows no index.html for a folder."""
    changed = 0
    for path in site.rglob("*.html"):
        here = path.parent.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8")

        def replace(match: re.Match, here: str = here) -> str:
            target = posixpath.normpath(posixpath.join(here, match["path"]))
            target = "" if target == "." else target
            for candidate in (posixpath.join(target, "index.html"), f"{target}.html"):
                if target.startswith("..") or not (site / candidate).is_file():
                    continue
                link = posixpath.relpath(candidate, here)
                return f'{match["attr"]}{link}{match["rest"] or ""}"'
            return match.group(0)

        new = _FOLDER_LINK.sub(replace, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def check(site: Path) -> list[str]:
    """Problems that would make the bundle fail offline: missing pieces, references to other hosts."""
    problems = [f"missing {name}" for name in ("index.html", "search/search_index.js", IFRAME_WORKER)
                if not (site / name).is_file()]
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        for match in _EXTERNAL.finditer(path.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{path.relative_to(site).as_posix()}: loads from another host: {match.group(0)[:120]}")
    return problems


def write_zip(site: Path, out: Path, folder: str) -> int:
    """Every file of `site` under `folder/` in a zip at `out`, replacing it only when complete."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{out.name}-", suffix=".partial", dir=out.parent)
    os.close(fd)
    count = 0
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for path in sorted(site.rglob("*")):
                if path.is_file():
                    # A fixed time stamp: the same site gives the same zip.
                    info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", (2020, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, path.read_bytes())
                    count += 1
        os.replace(partial, out)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return count


def bundle(project: Path, out: Path, audience: str = "public", strict: bool = True) -> tuple[int, list[str]]:
    """Build, fix, check and zip; returns (files in the zip, problems). Problems leave `out` as it was."""
    with tempfile.TemporaryDirectory(prefix="huxiao-bundle-") as scratch:
        site = Path(scratch) / "site"
        build(project, site, audience, strict)
        fix_folder_links(site)
        problems = check(site)
        if problems:
            return 0, problems
        return write_zip(site, out, out.name.removesuffix(".zip") or "huxiao-site"), []


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="huxiao bundle",
        description="生成离线版网站压缩包：不需要服务器和网络，解压后打开 index.html。")
    parser.add_argument("-C", "--project", default=".", help="项目文件夹（含 mkdocs.yml），默认当前文件夹")
    parser.add_argument("--out", help="压缩包路径，相对于项目文件夹（默认 huxiao-site.zip，"
                                      "内部版为 huxiao-site-internal.zip）")
    parser.add_argument("--audience", choices=["public", "internal"], default="public",
                        help="public 公开版（默认）或 internal 内部版（含学校安全信息，只在派出所内部使用）")
    parser.add_argument("--no-strict", dest="strict", action="store_false", help="警告不视为错误")
    parser.add_argument("-q", "--quiet", action="store_true", help="只显示警告和错误")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    from mkdocs.exceptions import Abort, ConfigurationError

    project = Path(args.project).resolve()
    if not (project / "mkdocs.yml").is_file():
        print(tr("bundle.no_config", project=project), file=sys.stderr)
        return 1
    default = "huxiao-site.zip" if args.audience == "public" else "huxiao-site-internal.zip"
    out = project / (args.out or default)  # an absolute --out stays as it is
    if out.suffix != ".zip":
        out = out.with_name(out.name + ".zip")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger(ENGINE_LOGGER)
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.WARNING if args.quiet else logging.INFO)
    try:
        count, problems = bundle(project, out, args.audience, args.strict)
    except (Abort, ConfigurationError) as error:
        print(f"huxiao bundle: {error}", file=sys.stderr)
        return 1
    finally:
        mkdocs_log.removeHandler(handler)
    for problem in problems:
        print(f"huxiao bundle: {problem}", file=sys.stderr)
    if problems:
        print(tr("bundle.not_written", count=len(problems), out=out), file=sys.stderr)
        return 1
    size = out.stat().st_size / 1e6
    print(tr("bundle.done", count=count, size=size, out=out, folder=out.stem))
    return 0


if __name__ == "__main__":
    sys.exit(main())
