"""The CI files are valid for their services and install only what the README installs."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT

GITHUB = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"


def readme_commands() -> list[str]:
    """The two set-up commands of the README (the ```sh blocks of its "Set up" section)."""
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


@pytest.mark.parametrize(("path", "schema"), [(GITHUB, "vendor.github-workflows"), (GITLAB, "vendor.gitlab-ci")])
def test_ci_file_is_valid(path, schema) -> None:
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_installs_only_what_the_readme_installs() -> None:
    build, test = readme_commands()
    install_for_tests = test.rsplit(" && ", 1)[0]
    install_for_site = build.rsplit(" && ", 1)[0]
    github = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    runs = [step.get("run", "") for step in github["jobs"]["check"]["steps"]]
    scripts = gitlab["test"]["script"] + gitlab["pages"]["script"]
    for commands in (runs, scripts):
        installs = [c for c in commands if "install" in c]
        assert installs and all(c.startswith((install_for_tests, install_for_site)) for c in installs), installs
        assert any("mkdocs build --strict" in c for c in commands)
        assert any("pytest" in c for c in commands)
    assert "huxiao validate --format github" in runs
    assert github["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert "public" in gitlab["pages"]["artifacts"]["paths"]


def test_ci_keeps_the_browser_screenshots() -> None:
    """Both services keep test-artifacts/ (the browser and walkthrough screenshots), pass or fail."""
    github = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    uploads = [step for step in github["jobs"]["check"]["steps"]
               if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    assert any(step["with"]["path"].rstrip("/") == "test-artifacts" and step.get("if") == "always()"
               for step in uploads), uploads
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["test"]["artifacts"]
    assert gitlab["when"] == "always" and "test-artifacts/" in gitlab["paths"]
    walkthrough = ROOT.joinpath("tests", "test_walkthrough.py").read_text(encoding="utf-8")
    assert '"test-artifacts" / "walkthrough"' in walkthrough
