"""The `huxiao` command: validate, schema, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import project
from .loading import ProjectPaths
from .problems import InvalidProject


def _paths(args: argparse.Namespace) -> ProjectPaths:
    return ProjectPaths.at(Path(args.project))


def cmd_validate(args: argparse.Namespace) -> int:
    paths = _paths(args)
    try:
        curriculum = project.load(paths)
    except InvalidProject as error:
        for problem in error.problems:
            print(problem.github() if args.format == "github" else str(problem))
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    for warning in curriculum.warnings:
        print(warning.github() if args.format == "github" else str(warning))
    print(f"{len(curriculum.lessons)} lessons ({curriculum.variant_count} tier variants), "
          f"{len(curriculum.schools)} schools: OK")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import write_schemas

    for path in write_schemas(Path(args.out)):
        print(path)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import ExportError, export

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


def cmd_build(args: argparse.Namespace) -> int:
    """`mkdocs build` with the audience as a flag; the site is swapped in only on success."""
    import logging
    import os

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from .plugin import AUDIENCE_ENV

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
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
    validate.set_defaults(func=cmd_validate)

    build = sub.add_parser("build", help="build the site (mkdocs build) for an audience")
    build.add_argument("--audience", choices=["public", "internal"],
                       help="public (default, what CI publishes) or internal (to site-internal/)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--site-dir", help="output folder (default: site/, or site-internal/ for internal)")
    build.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    build.set_defaults(func=cmd_build)

    schema = sub.add_parser("schema", help="write JSON Schema files for editors, generated from the models")
    schema.add_argument("--out", default="schema", help="folder to write to (default: schema)")
    schema.set_defaults(func=cmd_schema)

    export = sub.add_parser("export", help="write the generated pages plus content/ to a folder")
    export.add_argument("out", help="folder to write into (must be empty or not exist)")
    export.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
