"""The `huxiao` command: validate, pdf, report, build, plan, ledger, schema, export, bench, bundle."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .source import messages
from .source.loading import ProjectPaths
from .source.messages import tr
from .source.problems import InvalidProject
from .speed import gcpause
from .speed.caches import BuildCaches
from .stationdata import StationData


def _paths(args: argparse.Namespace) -> ProjectPaths:
    return ProjectPaths.at(Path(args.project))


def _load(paths: ProjectPaths) -> StationData:
    """The checked data, read through the parse cache kept in `.cache/huxiao/`."""
    caches = BuildCaches(paths.root)
    with gcpause.paused(freeze=True):
        data = caches.load(paths)
    caches.save()
    return data


def cmd_validate(args: argparse.Namespace) -> int:
    paths = _paths(args)
    try:
        data = _load(paths)
    except InvalidProject as error:
        for problem in error.problems:
            print(problem.github() if args.format == "github" else str(problem))
        count = len(error.problems)
        print(tr("cli.problems_found", count=count, s="s" if count != 1 else ""), file=sys.stderr)
        return 1
    from .tools.shrinkcheck import shrunk_records

    for warning in [*data.warnings, *shrunk_records(paths)]:
        print(warning.github() if args.format == "github" else str(warning))
    if args.print_check and not _print_check(data, args):
        return 1
    print(tr("cli.ok", lessons=len(data.curriculum.lessons), variants=data.curriculum.variant_count,
               schools=len(data.schools)))
    return 0


def _print_check(data: StationData, args: argparse.Namespace) -> bool:
    """Render every handout and report those that overflow one page or lose a glyph."""
    import tempfile

    from .printing import pdf

    jobs = [job for job in pdf.lesson_jobs(data, _site_url(args)) if job.one_page]
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
        data = _load(_paths(args))
    except InvalidProject as error:
        for problem in error.problems:
            print(problem)
        return 1
    site_url = _site_url(args)
    from .site.siteurl import placeholder_host

    # A printed QR code cannot be corrected: no handout is printed with a placeholder address.
    host = placeholder_host(site_url)
    if host and not args.internal and not args.draft:
        print(tr("cli.pdf_placeholder", url=site_url, host=host), file=sys.stderr)
        return 1
    if args.internal:
        jobs = pdf.assessment_jobs(data)
        if not jobs:
            print("huxiao pdf --internal：没有考核表可打印（需要 plans/_rules.yml 和已开始的学期）", file=sys.stderr)
            return 1
    elif args.school:
        if args.school not in data.schools:
            print(tr("cli.no_school", id=args.school), file=sys.stderr)
            return 1
        jobs = [pdf.school_pack_job(data, args.school, site_url, draft=args.draft)]
    else:
        jobs = pdf.lesson_jobs(data, site_url, draft=args.draft) + pdf.report_jobs(data, site_url)
    try:
        # Internal documents go to their own folder, which no build copies into the public site;
        # so do drafts, which are not to be published.
        default = "pdf-internal" if args.internal else "pdf-draft" if args.draft else "pdf"
        out = Path(args.project) / (args.out or default)  # an absolute --out stays
        results = pdf.render_all(jobs, out, workers=args.jobs, progress=not args.quiet, force=args.force)
    except pdf.PdfUnavailable as error:
        print(f"huxiao pdf: {error}", file=sys.stderr)
        return 1
    failures = [p for r in results for p in r.problems]
    for failure in failures:
        print(failure)
    made = sum(1 for r in results if not r.skipped and not r.problems)
    skipped = sum(1 for r in results if r.skipped)
    print(tr("cli.pdf_done", made=made, skipped=skipped, problems=len(failures), out=out))
    return 1 if failures else 0


def cmd_report(args: argparse.Namespace) -> int:
    """The term's 工作总结 as DIR/<term>.docx and DIR/<term>.pdf: both or neither, and no file a
    person may have edited is overwritten without --force."""
    import tempfile
    import time

    from .office.word import term_docx
    from .printing import pdf
    from .reports.term import term_report
    from .reports.writeup import unit_names, writeup

    started = time.perf_counter()
    paths = _paths(args)
    try:
        data = _load(paths)
    except InvalidProject as error:
        for problem in error.problems:
            print(problem)
        print(tr("cli.problems_found", count=len(error.problems), s="s" if len(error.problems) != 1 else ""), file=sys.stderr)
        return 1
    if args.term not in data.started_terms():
        print(tr("report.no_term", term=args.term, terms=", ".join(data.started_terms()) or "—"), file=sys.stderr)
        return 1
    out = Path(args.project) / args.out  # an absolute --out stays
    targets = [out / f"{args.term}.docx", out / f"{args.term}.pdf"]
    for target in targets:
        if target.exists() and not args.force:
            print(tr("report.exists", file=target), file=sys.stderr)
            return 1
    station = data.station
    if station is None:
        print(tr("report.no_station", file=paths.display(paths.station), unit=unit_names(data)[1]), file=sys.stderr)
    internal = args.audience == "internal"
    written = writeup(data, term_report(data, args.term, internal), internal)
    word = term_docx(written, contact=station.contact if station else None,
                     signer=station.chief if station and internal else None)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            result = pdf.render_job(pdf.report_job(data, args.term, _site_url(args), internal, targets[1].name), Path(scratch))
            for failure in result.problems:
                print(failure, file=sys.stderr)
            if result.problems:
                print(tr("report.not_written"), file=sys.stderr)
                return 1
            out.mkdir(parents=True, exist_ok=True)
            targets[0].write_bytes(word)
            targets[1].write_bytes((Path(scratch) / targets[1].name).read_bytes())
    except pdf.PdfUnavailable as error:
        print(f"huxiao report: {error}", file=sys.stderr)
        return 1
    print(tr("report.done", docx=targets[0], pdf=targets[1], audience=tr(f"report.{args.audience}"),
             seconds=time.perf_counter() - started))
    return 0


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
    from .site.siteurl import placeholder_warning

    # The exported print pages carry the QR codes, as the plugin's build does.
    if warning := placeholder_warning(_site_url(args)):
        print(f"huxiao export: 警告：{warning}", file=sys.stderr)
    print(tr("cli.exported", count=count, out=args.out))
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
    print(tr("cli.migrated", deliveries=migration.moved_deliveries, points=migration.moved_points,
             files=len(migration.writes)))
    return 0


def cmd_migrate_sources(args: argparse.Namespace) -> int:
    """Lesson sources naming a law in laws/ cite it with law: and article:."""
    from .tools.migrate_sources import apply, plan

    paths = _paths(args)
    migration = plan(paths)
    for change in migration.changes:
        print(tr("cli.source_migrated", file=paths.display(change.file), source=change.source, law=change.law,
                 article=change.article or "—"))
    for file, source, law, detail in migration.unstored:
        print(tr("cli.article_unstored", file=paths.display(file), source=source, law=law, detail=detail))
    if not args.dry_run:
        apply(migration)
    print(tr("cli.sources_migrated", sources=len(migration.changes), files=len(migration.writes),
             dry=tr("cli.dry_run") if args.dry_run else ""))
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


def cmd_plan(args: argparse.Namespace) -> int:
    """Propose the term's plans; keep every plan already written, append only what is missing."""
    from .source.records import TERM_ID_RE
    from .tools import plan

    if not TERM_ID_RE.match(args.term):
        print(tr("plan.bad_term_id", term=args.term), file=sys.stderr)
        return 2
    paths = _paths(args)
    try:
        proposal, writes = plan.run(paths, args.term, read=BuildCaches(paths.root).read, dry_run=args.dry_run)
    except InvalidProject as error:
        for problem in error.problems:
            print(problem)
        print(tr("plan.nothing_written", count=len(error.problems)), file=sys.stderr)
        return 1
    for line in plan.report(args.term, proposal, writes, args.dry_run):
        print(line)
    for write in writes:
        print(f"  {paths.display(write.path)}：+{write.new}")
    return 0


def cmd_ledger(args: argparse.Namespace) -> int:
    """The term's 台账 as an Excel workbook, or a filled one read back into records/ (adding only)."""
    from .source.records import TERM_ID_RE
    from .tools import ledger

    paths = _paths(args)
    if args.term and not TERM_ID_RE.match(args.term):
        print(tr("ledger.bad_term", term=args.term), file=sys.stderr)
        return 2
    try:
        data = _load(paths)
    except InvalidProject as error:
        for problem in error.problems:
            print(problem)
        print(tr("plan.nothing_written", count=len(error.problems)), file=sys.stderr)
        return 1
    if args.import_file:
        lines, code = ledger.import_workbook(data, paths, Path(args.import_file), args.term, args.dry_run)
    elif not args.term:
        lines, code = ["huxiao ledger: --term 2026-autumn（导出）或 --import 台账.xlsx（导入）"], 2
    else:
        lines, code = ledger.export_workbook(data, args.term, Path(args.out or f"台账-{args.term}.xlsx"),
                                             args.audience == "internal", args.template)
    for line in lines:
        print(line, file=sys.stderr if code else sys.stdout)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="huxiao", description="护校：校园安全教育课程的校验、生成网站、打印。")
    parser.add_argument("-C", "--project", default=".", help="项目文件夹（含 mkdocs.yml），默认当前文件夹")
    parser.add_argument("--lang", choices=messages.LANGUAGES, default=None,
                        help="提示语言：zh 中文（默认）或 en 英文；也可设环境变量 HUXIAO_LANG")
    sub = parser.add_subparsers(dest="command", required=True, metavar="<命令>")

    validate = sub.add_parser("validate", help="校验全部课程、学校档案和工作记录，列出所有问题")
    validate.add_argument("--format", choices=["text", "github"], default="text",
                          help="github：输出 GitHub Actions 注释格式")
    validate.add_argument("--print", dest="print_check", action="store_true",
                          help="同时排版每份讲义：须在一页 A4 内，且没有缺字")
    validate.add_argument("--jobs", type=int, help="--print 使用的进程数（默认：全部 CPU 核）")
    validate.add_argument("--lang", choices=messages.LANGUAGES, default=argparse.SUPPRESS,
                          help="提示语言：zh 中文（默认）或 en 英文")
    validate.set_defaults(func=cmd_validate)

    pdf = sub.add_parser("pdf", help="生成讲义、讲稿、竞赛题、演练脚本和学期报告的 PDF")
    pdf.add_argument("--out", help="输出文件夹（默认：项目中的 pdf/；加 --internal 时为 pdf-internal/）")
    pdf.add_argument("--internal", action="store_true",
                     help="民警考核表（内部资料：写到 pdf-internal/，不会发布）")
    pdf.add_argument("--school", help="一所学校的讲义包：封面加推荐课程的讲义")
    pdf.add_argument("--jobs", type=int, help="进程数（默认：全部 CPU 核）")
    pdf.add_argument("--force", action="store_true", help="来源没有变化的文档也重新生成")
    pdf.add_argument("--draft", action="store_true",
                     help="样稿：网址未定时先看排版，讲义上印“样稿”框而不印二维码（写到 pdf-draft/，不会发布）")
    pdf.add_argument("-q", "--quiet", action="store_true", help="不显示进度条")
    pdf.set_defaults(func=cmd_pdf)

    report = sub.add_parser("report", help="学期工作总结：Word 文件（可在 WPS、Word 中修改）和 PDF")
    report.add_argument("--term", required=True, help="学期编号，如 2026-autumn")
    report.add_argument("--out", required=True, help="输出文件夹（相对于项目文件夹），写出 <学期>.docx 和 <学期>.pdf")
    report.add_argument("--audience", choices=["public", "internal"], default="public",
                        help="public 公开版（默认）；internal 内部版：加上各校护学岗警力、隐患和责任人等内部情况")
    report.add_argument("--force", action="store_true", help="覆盖已经存在的同名文件（会丢掉手工修改）")
    report.set_defaults(func=cmd_report)

    sub.add_parser("bench", help="城市规模性能测试（huxiao bench --help）", add_help=False)
    sub.add_parser("bundle", help="离线版网站压缩包，解压后直接打开（huxiao bundle --help）",
                   add_help=False)

    build = sub.add_parser("build", help="生成公开版或内部版网站（mkdocs build）")
    build.add_argument("--audience", choices=["public", "internal"],
                       help="public 公开版（默认，持续集成发布的版本）或 internal 内部版（写入 site-internal/）")
    build.add_argument("--strict", action="store_true", help="警告也视为错误")
    build.add_argument("--site-dir", help="输出文件夹（默认 site/，内部版为 site-internal/）")
    build.add_argument("-q", "--quiet", action="store_true", help="只显示警告和错误")
    build.set_defaults(func=cmd_build)

    migrate = sub.add_parser("migrate-records",
                             help="把学校档案中旧的 deliveries 迁入 records/<学期>/，岗点迁入 patrol_points")
    migrate.add_argument("--dry-run", action="store_true", help="只列出将要写的文件，不写入")
    migrate.set_defaults(func=cmd_migrate_records)

    sources = sub.add_parser("migrate-sources",
                             help="课程来源中写到 laws/ 里法规的，改为 law: 和 article: 引用（可重复运行，只添加两行）")
    sources.add_argument("--dry-run", action="store_true", help="只列出将要改的来源，不写入")
    sources.set_defaults(func=cmd_migrate_sources)

    plan = sub.add_parser("plan", help="按排课规则为每所学校提出学期计划，写到 plans/<学期>/（不改动已有内容）")
    plan.add_argument("--term", required=True, help="学期编号，如 2027-spring（需要 records/<学期>/_term.yml）")
    plan.add_argument("--dry-run", action="store_true", help="只报告会新增什么，不写文件")
    plan.set_defaults(func=cmd_plan)

    ledger = sub.add_parser("ledger", help="学期台账：导出 Excel 工作簿（--term），或把填好的台账导入 records/（--import）")
    ledger.add_argument("--term", help="学期编号，如 2026-autumn；没有记录时导出空白台账；导入时可不填（读取台账中的学期）")
    ledger.add_argument("--out", help="导出的文件（默认 台账-<学期>.xlsx）")
    ledger.add_argument("--audience", choices=["public", "internal"], default="public",
                        help="public 公开版（默认，不含内部字段和护学岗）或 internal 内部版（含全部字段，不要外传）")
    ledger.add_argument("--template", action="store_true", help="只导出空白台账（表头、下拉选项），不带已有记录")
    ledger.add_argument("--import", dest="import_file", metavar="XLSX",
                        help="把填好的台账导入 records/<学期>/：只添加新的行，不改动已有内容")
    ledger.add_argument("--dry-run", action="store_true", help="导入时只报告会添加什么，不写文件")
    ledger.set_defaults(func=cmd_ledger)

    schema = sub.add_parser("schema", help="生成编辑器用的 JSON Schema 文件")
    schema.add_argument("--out", default="schema", help="输出文件夹（默认 schema）")
    schema.set_defaults(func=cmd_schema)

    export = sub.add_parser("export", help="把生成的页面和 content/ 导出为 Markdown")
    export.add_argument("out", help="导出到的文件夹（须为空或不存在）")
    export.set_defaults(func=cmd_export)
    return parser


def _argparse_in_the_readers_language() -> None:
    # argparse looks its words up through the module-level gettext alias `_` when it prints them
    # (and has no other hook): pointed at the catalogue, usage, help and errors are Chinese too.
    argparse._ = messages.argparse_text  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--lang" in argv[:-1] and argv[argv.index("--lang") + 1] in messages.LANGUAGES:
        messages.set_language(argv[argv.index("--lang") + 1])  # before parsing: its errors in that language
    _argparse_in_the_readers_language()
    if argv[:1] == ["bench"]:
        from .tools.bench import main as bench_main

        return bench_main(argv[1:])
    if argv[:1] == ["bundle"]:
        from .tools.bundle import main as bundle_main

        return bundle_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.lang:
        messages.set_language(args.lang)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
