"""The configuration `huxiao export` writes next to the exported pages: an `mkdocs.yml` without
the huxiao plugin, which Zensical (0.0.x reads mkdocs.yml as it is) builds, and so would plain
MkDocs with Material.

It is the project's own mkdocs.yml cut down to what another engine understands: site name,
address, theme, Markdown extensions, CSS; the project's nav with the generated nav appended;
`search` as the only plugin. Tags for other plugins (`!!python/name:…`) are passed on as written,
`!ENV` is resolved as MkDocs resolves it, so the pages and the config carry the same address.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..source.messages import tr

DOCS_DIR = "docs"
OVERRIDES_DIR = "overrides"
# What a page of the plugin build gets from generator/theme/main.html, given here as plain scripts.
THEME_SCRIPTS = ["huxiao/sidebar.js", "huxiao/tables.js"]
# Settings of the project's mkdocs.yml that mean the same to another engine.
KEPT = ("site_name", "site_description", "site_author", "site_url", "copyright", "use_directory_urls", "theme",
        "extra", "extra_css", "extra_javascript", "markdown_extensions")


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Tagged:
    """A value under a YAML tag Huxiao has no use for (another plugin's `!!python/name:`)."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """`!ENV NAME` or `!ENV [NAME, …, fallback]`, as MkDocs reads it."""
    if isinstance(node, yaml.ScalarNode):
        names, fallback = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, fallback = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])
    return fallback


def _keep(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.MappingNode):
        return Tagged(node.tag, loader.construct_mapping(node, deep=True))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return Tagged(node.tag, loader.construct_scalar(node))  # type: ignore[arg-type]


def _represent(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _keep)
_Loader.add_multi_constructor("!", _keep)
_Dumper.add_representer(Tagged, _represent)


def read_project_config(root: Path) -> dict:
    """The project's mkdocs.yml as data ({} without one)."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise ConfigError(tr("export.bad_config", file=path, line=line, column=column,
                             error=error.problem or error)) from None
    return data if isinstance(data, dict) else {}


def engine_config(project: dict, nav: list) -> str:
    """mkdocs.yml for the exported folder: the project's settings, the whole nav, plain search."""
    config: dict[str, Any] = {key: project[key] for key in KEPT if key in project}
    config.setdefault("site_name", "护校")
    config["docs_dir"] = DOCS_DIR
    config["site_dir"] = "site"
    theme = project.get("theme") or {"name": "material"}
    theme = {"name": theme} if isinstance(theme, str) else {k: v for k, v in theme.items() if k != "custom_dir"}
    theme.setdefault("language", "zh")
    # The Chinese 404 page (see generator/theme/zensical/).
    theme["custom_dir"] = OVERRIDES_DIR
    config["theme"] = theme
    scripts = list(config.get("extra_javascript") or [])
    config["extra_javascript"] = scripts + [s for s in THEME_SCRIPTS if s not in scripts]
    config["plugins"] = ["search"]
    config["nav"] = list(project.get("nav") or []) + nav
    header = ("# Written by `huxiao export` for an engine without the huxiao plugin (Zensical: `zensical build`).\n"
              "# Every generated page is a file below docs/; edit the lessons and export again, not these files.\n")
    return header + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
