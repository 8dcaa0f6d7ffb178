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


def _before(commands: list[str], first: str, then: str) -> bool:
    at = [n for n, c in enumerate(commands) if first in c]
    later = [n for n, c in enumerate(commands) if then in c]
    return bool(at and later) and min(at) < min(later)


def test_ci_puts_the_pdfs_into_the_published_site() -> None:
    """The print button does nothing in WeChat's browser: the site it publishes carries the PDFs."""
    github = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    runs = [step.get("run", "") for step in github["jobs"]["check"]["steps"]]
    assert _before(runs, "huxiao pdf --out pdf/", "mkdocs build --strict"), runs
    assert _before(gitlab["pages"]["script"], "huxiao pdf --out pdf/", "mkdocs build --strict --site-dir public")
    assert _before(gitlab["test"]["script"], "huxiao pdf --out pdf/", "mkdocs build --strict")
    # The plugin copies pdf/ (its pdf_dir) into the site.
    assert "pdf_dir" not in yaml.safe_load(ROOT.joinpath("mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))


def test_ci_sets_site_url_to_the_pages_address_it_deploys_to() -> None:
    """The handouts' QR codes encode site_url: CI builds with the address it publishes at."""
    config = ROOT.joinpath("mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^site_url: !ENV \[HUXIAO_SITE_URL, ", config, re.M), "site_url must come from HUXIAO_SITE_URL"
    github = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    steps = github["jobs"]["check"]["steps"]
    pages = [n for n, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/configure-pages@")]
    assert pages, "configure-pages gives the Pages address"
    setting = [n for n, s in enumerate(steps) if "HUXIAO_SITE_URL=" in s.get("run", "")
               and "steps.pages.outputs.base_url" in str(s.get("env", ""))]
    build = [n for n, s in enumerate(steps) if "mkdocs build --strict" in s.get("run", "")]
    assert setting and build and pages[0] < setting[0] < build[0], steps
    # `huxiao pdf` refuses a placeholder address: the real one is set before it runs.
    printing = [n for n, s in enumerate(steps) if "huxiao pdf" in s.get("run", "")]
    assert printing and setting[0] < printing[0], steps
    assert steps[pages[0]].get("id") == "pages"
    assert github["jobs"]["check"]["permissions"]["pages"] == "read"
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert "CI_PAGES_URL" in gitlab["variables"]["HUXIAO_SITE_URL"]


def test_ci_builds_the_export_with_zensical() -> None:
    """GitHub takes the newest Zensical, .ci/run the pinned one: both through tests/zensical.sh."""
    github = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    steps = github["jobs"]["zensical"]["steps"]
    leg = [step for step in steps if "tests/zensical.sh" in step.get("run", "")]
    assert leg and leg[0]["env"]["ZENSICAL"] == "zensical", steps
    assert "sh tests/zensical.sh" in ROOT.joinpath(".ci", "run").read_text(encoding="utf-8").splitlines()
    script = ROOT.joinpath("tests", "zensical.sh").read_text(encoding="utf-8")
    assert 'ZENSICAL="${ZENSICAL:-zensical==' in script and "tests/test_zensical.py" in script
