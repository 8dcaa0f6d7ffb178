"""The MkDocs plugin: a thin adapter from the generated pages to an MkDocs build.

On every build it loads and validates the project (problems abort the build with the same
messages as `huxiao validate`), adds the pages as in-memory files, appends their nav and, in
`mkdocs serve`, watches the lesson and school folders.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from . import project
from .loading import ProjectPaths
from .pages import SiteContent, build_site
from .problems import InvalidProject

log = logging.getLogger("mkdocs.plugins.huxiao")


class HuxiaoConfig(Config):
    lessons = opt.Type(str, default="lessons")
    schools = opt.Type(str, default="schools")
    taxonomy = opt.Type(str, default="lessons/_taxonomy.yml")


class HuxiaoPlugin(BasePlugin[HuxiaoConfig]):
    def __init__(self) -> None:
        self.content: SiteContent | None = None
        self.paths: ProjectPaths | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.paths = ProjectPaths.at(root, self.config.lessons, self.config.schools, self.config.taxonomy)
        try:
            curriculum = project.load(self.paths)
        except InvalidProject as error:
            raise PluginError("invalid lesson or school files:\n" + "\n".join(map(str, error.problems))) from None
        for warning in curriculum.warnings:
            log.info(str(warning))
        self.content = build_site(curriculum)
        config.nav = list(config.nav or []) + self.content.nav
        for folder in (self.paths.lessons, self.paths.schools, self.paths.taxonomy):
            if folder.exists() and str(folder) not in config.watch:
                config.watch.append(str(folder))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.content is not None
        for path, markdown in self.content.pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"content/{path} clashes with a generated page of the same path; rename it")
            inclusion = InclusionLevel.NOT_IN_NAV if path in self.content.not_in_nav else InclusionLevel.UNDEFINED
            files.append(File.generated(config, path, content=markdown, inclusion=inclusion))
        return files
