"""Generated artefacts stay in step with the models: JSON Schema files, field reference, export."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, run_cli, run_cli_fresh


def test_committed_schemas_match_the_models(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for kind in ("lesson", "school", "taxonomy"):
        fresh = json.loads((tmp_path / f"{kind}.schema.json").read_text(encoding="utf-8"))
        committed = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert fresh == committed, f"schema/{kind}.schema.json is stale: run `huxiao schema`"
    lesson = json.loads((tmp_path / "lesson.schema.json").read_text(encoding="utf-8"))
    assert lesson["additionalProperties"] is False
    assert {"title", "topic", "tiers", "variants", "sources"} <= set(lesson["required"])


def test_sample_files_point_editors_at_the_schema() -> None:
    for folder, kind in (("lessons", "lesson"), ("schools", "school")):
        for path in (ROOT / folder).rglob("*.yml"):
            if path.name.startswith("_"):
                continue
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema="), path
            target = (path.parent / first.split("=", 1)[1]).resolve()
            assert target == ROOT / "schema" / f"{kind}.schema.json", path


def test_export_writes_generated_pages_and_content(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = run_cli("-C", str(project), "export", str(out))
    assert result.returncode == 0, result.stderr
    docs = out / "docs"
    assert (docs / "index.md").read_text(encoding="utf-8").startswith("# 测试首页")
    lesson = (docs / "lessons/qiuzhu-dianhua/university.md").read_text(encoding="utf-8")
    assert lesson.startswith("---\ntitle: \"记住求助电话（高校）\"")
    # Markdown for any engine: headings with fixed ids, the rest HTML with links as URLs.
    assert "\n## 教学目标 { #objectives }\n" in lesson
    assert 'href="../../../tiers/university/"' in lesson
    assert (docs / "tiers/kindergarten/index.md").is_file()
    assert json.loads((out / "nav.json").read_text(encoding="utf-8"))[0]
    # A project another engine builds as it is: its config, the standalone pages and their theme files.
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "docs_dir: docs\n" in config and "- huxiao\n" not in config and "- search\n" in config
    assert (docs / "lessons/qiuzhu-dianhua/university/handout/index.html").is_file()
    assert (docs / "huxiao/print.css").is_file()


def test_export_never_overwrites_a_folder_with_files(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    out.mkdir()
    (out / "mine.md").write_text("hand-written", encoding="utf-8")
    result = run_cli("-C", str(project), "export", str(out))
    assert result.returncode == 1
    assert "不是空文件夹" in result.stderr
    assert (out / "mine.md").read_text(encoding="utf-8") == "hand-written"
    assert sorted(p.name for p in out.iterdir()) == ["mine.md"]


def test_export_names_the_line_of_an_unreadable_mkdocs_yml_and_writes_nothing(project: Path, tmp_path: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "extra: [unclosed\n", encoding="utf-8")
    out = tmp_path / "export"
    result = run_cli("-C", str(project), "export", str(out))
    assert result.returncode == 1
    assert "mkdocs.yml 第" in result.stderr and "无法读取" in result.stderr
    assert not out.exists() and not list(tmp_path.glob(".huxiao-export-*"))


def test_export_passes_other_plugins_tags_on_and_resolves_env(project: Path, tmp_path: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("site_url: https://huxiao-ceshi.github.io/test/",
                                                      "site_url: !ENV [HUXIAO_TEST_EXPORT_URL, 'https://a.example/']")
    emoji = "{pymdownx.emoji: {emoji_index: !!python/name:material.extensions.emoji.twemoji ''}}"
    config.write_text(text.replace("markdown_extensions: [", f"markdown_extensions: [{emoji}, "), encoding="utf-8")
    out = tmp_path / "export"
    result = run_cli("-C", str(project), "export", str(out))
    assert result.returncode == 0, result.stderr
    written = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- pymdownx.emoji:\n    emoji_index: !!python/name:material.extensions.emoji.twemoji ''\n" in written
    assert "site_url: https://a.example/\n" in written
    assert "占位地址" in result.stderr  # the exported handouts' QR codes lead to a reserved host


def test_help_and_usage_errors_are_chinese() -> None:
    for args in (["--help"], ["pdf", "--help"], ["bundle", "--help"]):
        shown = run_cli(*args)
        assert shown.returncode == 0 and "用法：" in shown.stdout and "显示本帮助并退出" in shown.stdout, args
        assert not any(word in shown.stdout for word in ("usage:", "options:", "show this help")), shown.stdout
    wrong = run_cli("pdf", "--bogus")
    assert wrong.returncode == 2 and "错误：不认识的参数：--bogus" in wrong.stderr and "error" not in wrong.stderr
    assert "缺少参数" in run_cli().stderr
    english = run_cli("--lang", "en", "--help")
    assert "usage: huxiao" in english.stdout and "show this help message and exit" in english.stdout


def test_progress_bar_and_build_say_nothing_in_english(tmp_path: Path) -> None:
    import shutil

    from conftest import FIXTURE

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("site", "pdf"))
    printed = run_cli("-C", str(project), "pdf", "--school", "ceshi-primary", "--out", str(tmp_path / "pdf"))
    assert printed.returncode == 0, printed.stderr
    assert "1/1 份" in printed.stderr and "pdf/s" not in printed.stderr and "it/s" not in printed.stderr, printed.stderr
    built = run_cli_fresh("-C", str(project), "build")  # a fresh interpreter: what starting up prints too
    assert built.returncode == 0, built.stderr[-2000:]
    assert "Building prefix dict" not in built.stderr and "Loading model" not in built.stderr, built.stderr[-2000:]
