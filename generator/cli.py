"""The `huxiao` command: validate, pdf, build, schema, export, bench, bundle."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .curriculum import Curriculum, load
from .source.loading import ProjectPaths
from .source.problems import InvalidProject
from .speed import gcpause
from .speed.caches import BuildCaches


def _paths(args: argparse.Namespace) -> ProjectPaths:
    return ProjectPaths.at(Path(args.project))


def _load(paths: ProjectPaths) -> Curriculum:
    """The checked curriculum, read through the parse cache kept in `.cache/huxiao/`."""
    caches = BuildCaches(paths.root)
    with gcpause.paused():
        curriculum = load(paths, read=caches.read)
    caches.save()
    return curriculum


def cmd_validate(args: argparse.Namespace) -> int:
    paths = _paths(args)
    try:
        curriculum = _load(paths)
    except InvalidProject as error:
        for problem in error.problems:
            print(problem.github() if args.format == "github" else str(problem))
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    for warning in curriculum.warnings:
        print(warning.github() if args.format == "github" else str(warning))
    if args.print_check and not _print_check(curriculum, args):
        return 1
    print(f"{len(curriculum.lessons)} lessons ({curriculum.variant_count} tier variants), "
          f"{len(curriculum.schools)} schools: OK")
    return 0


def _print_check(curriculum: Curriculum, args: argparse.Namespace) -> bool:
    """Render every handout and report those that overflow one page or lose a glyph."""
    import tempfile

    from .printing import pdf

    jobs = [job for job in pdf.lesson_jobs(curriculum, _site_url(args)) if job.one_page]
    with tempfile.TemporaryDirectory() as scratch:
        results = pdf.render_all(jobs, Path(scratch), workers=args.jobs, progress=False, force=True)
    problems = [p for r in results for p in r.problems]
    for problem in problems:
        print(f"::error::{problem}" if args.format == "github" else problem)
    return not problems


def _site_url(args: argparse.Namespace) -> str | None:
    from .site.siteurl import from_config

    return from_config(Path(args.project) / "mkdocs.yml")


def cmd_pdf(args: argparse.Namespace) -> int:
    from .printing import pdf

    try:
        curriculum = _load(_paths(args))
    except InvalidProject as error:
        for problem in error.problems:
            print(problem)
        return 1
    site_url = _site_url(args)
    from .site.siteurl import placeholder_warning

    warning = placeholder_warning(site_url)
    if warning:
        print(f"huxiao pdf: 警告：{warning}", file=sys.stderr)
    if args.school:
        if args.school not in curriculum.schools:
            print(f"huxiao pdf: no school '{args.school}' in schools/", file=sys.stderr)
            return 1
        jobs = [pdf.school_pack_job(curriculum, args.school, site_url)]
    else:
        jobs = pdf.lesson_jobs(curriculum, site_url) + pdf.report_jobs(curriculum, site_url)
    try:
        out = Path(args.project) / args.out  # an absolute --out stays as it is
        results = pdf.render_all(jobs, out, workers=args.jobs, progress=not args.quiet, force=args.force)
    except pdf.PdfUnavailable as error:
        print(f"huxiao pdf: {error}", file=sys.stderr)
        return 1
    failures = [p for r in results for p in r.problems]
    for failure in failures:
        print(failure)
    made = sum(1 for r in results if not r.skipped and not r.problems)
    skipped = sum(1 for r in results if r.skipped)
    print(f"{made} PDFs written, {skipped} unchanged, {len(failures)} problems: {out}")
    return 1 if failures else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .source.schema import write_schemas

    for path in write_schemas(Path(args.out)):
        print(path)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .tools.export import ExportError, export

    try:
        count = export(_paths(args), Path(args.out))
    except InvalidProject as error:
        for problem in error.problems:
            print(problem)
        return 1
    except ExportError as error:
        print(f"huxiao export: {error}", file=sys.stderr)
        return 1
    print(f"wrote {count} pages to {args.out}")
    return 0


def cmd_migrate_records(args: argparse.Namespace) -> int:
    """Move profiles' deliveries and internal patrol points into records/ and patrol_points."""
    import yaml

    from .source import loading
    from .tools.migrate import MigrationError, apply, plan

    paths = _paths(args)
    kinds = {}
    for path in loading.discover(paths.lessons):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds[path.stem] = data.get("kind", "lecture") if isinstance(data, dict) else "lecture"
    try:
        migration = plan(paths, kinds)
    except MigrationError as error:
        print(f"huxiao migrate-records: {error}", file=sys.stderr)
        return 1
    if args.dry_run:
        for path in migration.writes:
            print(paths.display(path))
        return 0
    apply(migration)
    print(f"moved {migration.moved_deliveries} deliveries and {migration.moved_points} patrol points; "
          f"{len(migration.writes)} files written. Check them, then run huxiao validate.")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """`mkdocs build` with the audience as a flag; the site is swapped in only on success."""
    import logging
    import os

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from .engine.plugin import AUDIENCE_ENV, ENGINE_LOGGER

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger(ENGINE_LOGGER)
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.WARNING if args.quiet else logging.INFO)
    if args.audience:
        os.environ[AUDIENCE_ENV] = args.audience
    config_file = Path(args.project) / "mkdocs.yml"
    try:
        config = load_config(config_file=str(config_file), strict=args.strict or None,
                             site_dir=args.site_dir)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError) as error:
        print(f"huxiao build: {error}", file=sys.stderr)
        return 1
    finally:
        mkdocs_log.removeHandler(handler)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="huxiao", description="Campus-safety curriculum: validate, export, print.")
    parser.add_argument("-C", "--project", default=".", help="project folder (holding mkdocs.yml); default: here")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check every lesson and school file, report every problem")
    validate.add_argument("--format", choices=["text", "github"], default="text",
                          help="github: print GitHub Actions annotations")
    validate.add_argument("--print", dest="print_check", action="store_true",
                          help="also render every handout: each must fit one A4 page with no glyph lost")
    validate.add_argument("--jobs", type=int, help="processes for --print (default: all cores)")
    validate.set_defaults(func=cmd_validate)

    pdf = sub.add_parser("pdf", help="render handouts, run-sheets, quiz sheets and drill scripts to PDF")
    pdf.add_argument("--out", default="pdf", help="output folder (default: pdf/ in the project)")
    pdf.add_argument("--school", help="one school pack: a cover and the handouts of its recommended lessons")
    pdf.add_argument("--jobs", type=int, help="processes (default: all cores)")
    pdf.add_argument("--force", action="store_true", help="render even documents whose source has not changed")
    pdf.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    pdf.set_defaults(func=cmd_pdf)

    sub.add_parser("bench", help="city-scale benchmark (huxiao bench --help)", add_help=False)
    sub.add_parser("bundle", help="offline site as a zip that works from file:// (huxiao bundle --help)",
                   add_help=False)

    build = sub.add_parser("build", help="build the site (mkdocs build) for an audience")
    build.add_argument("--audience", choices=["public", "internal"],
                       help="public (default, what CI publishes) or internal (to site-internal/)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--site-dir", help="output folder (default: site/, or site-internal/ for internal)")
    build.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    build.set_defaults(func=cmd_build)

    migrate = sub.add_parser("migrate-records",
                             help="move school profiles' deliveries into records/<term>/ and patrol points into patrol_points")
    migrate.add_argument("--dry-run", action="store_true", help="list the files it would write, write nothing")
    migrate.set_defaults(func=cmd_migrate_records)

    schema = sub.add_parser("schema", help="write JSON Schema files for editors, generated from the models")
    schema.add_argument("--out", default="schema", help="folder to write to (default: schema)")
    schema.set_defaults(func=cmd_schema)

    export = sub.add_parser("export", help="write the generated pages plus content/ to a folder")
    export.add_argument("out", help="folder to write into (must be empty or not exist)")
    export.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        from .tools.bench import main as bench_main

        return bench_main(argv[1:])
    if argv[:1] == ["bundle"]:
        from .tools.bundle import main as bundle_main

        return bundle_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
