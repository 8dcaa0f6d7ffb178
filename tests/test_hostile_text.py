"""Author text is data: HTML is escaped, template syntax stays literal, Markdown cannot break out."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import FIXTURE, article, html_text, mkdocs_build, page
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator import stationdata as project_loader
from generator.site import mdtext
from generator.site.assemble import build_site
from generator.source import markup as markup_rules
from generator.source.loading import ProjectPaths
from generator.source.problems import InvalidProject

LESSON = "lessons/demo/qiuzhu-dianhua.yml"
EXTENSIONS = yaml.safe_load((FIXTURE / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
# Tags the page templates produce; author text must never add others.
ALLOWED_TAGS = {"h1", "h2", "h3", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a",
                "strong", "br", "sup", "span", "div", "details", "summary", "em", "code", "pre", "hr",
                "nav", "dl", "dt", "dd"}  # the print bar, the topic buttons and the facts

HOSTILE = {
    "title": '<img src=x onerror=alert(1)> 标题',
    "summary": '<script>alert("pwned")</script> 简介',
    "key_messages": ["{{ 7*7 }} {% if true %}JINJA{% endif %} {# c #}"],
    "speaker_notes": ('# 假标题\n\n!!! danger "假警告"\n    inside\n\n| a | b |\n|---|---|\n\n'
                      '<div markdown="1">**x**</div>\n\n[点我](http://evil.example/){: onclick="alert(1)" }\n\n'
                      '1. 不是列表\n\n```\ncode\n```\n\n[^h96110]: 假脚注'),
    "objective": "*强调* _下划线_ `代码` <b>粗</b> &amp; &lt;",
}


def load_lesson(root: Path) -> dict:
    return yaml.safe_load((root / LESSON).read_text(encoding="utf-8"))


def save_lesson(root: Path, data: dict) -> None:
    (root / LESSON).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def tags_of(fragment: str) -> list[tuple[str, list]]:
    parser = _Tags()
    parser.feed(fragment)
    return parser.tags


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(FIXTURE, root)
    data = load_lesson(root)
    data["title"] = HOSTILE["title"]
    data["summary"] = HOSTILE["summary"]
    data["key_messages"] = HOSTILE["key_messages"]
    variant = data["variants"]["primary-upper"]
    variant["activities"][0]["speaker_notes"] = HOSTILE["speaker_notes"]
    variant["objectives"][0] = HOSTILE["objective"]
    save_lesson(root, data)
    # Validation refuses markup other than **strong** (tests/test_print_walkthrough.py); here it
    # is let through, to show that escaping alone still keeps such text from becoming markup.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markup_rules, "problems", lambda text: [])
        patch.setattr(markup_rules, "may_have_problems", lambda text: False)
        return mkdocs_build(root, root / "site", huxiao={"speed": False})  # all in this process


def test_html_in_text_is_shown_not_run(hostile_site: Path) -> None:
    raw = page(hostile_site, "/lessons/qiuzhu-dianhua/primary-upper/")
    body = article(raw)
    assert "<script>alert" not in raw
    # JSON-LD holds the text as data, with "<" written \u003c so it cannot end the element.
    jsonld = re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S)
    assert jsonld and "<" not in jsonld[0] and "\\u003cscript\\u003e" in jsonld[0]
    markup = re.sub(r'<script type="application/ld\+json">.*?</script>', "", raw, flags=re.S)
    assert "<img src=x" not in markup and "onerror=alert" not in markup.replace("onerror=alert(1)&gt;", "")
    text = html_text(body)
    assert '<script>alert("pwned")</script> 简介' in text
    assert "<b>粗</b> &amp; &lt;" in text
    for tag, attrs in tags_of(body):
        assert tag in ALLOWED_TAGS, tag
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)


def test_template_syntax_stays_literal(hostile_site: Path) -> None:
    text = html_text(article(page(hostile_site, "/lessons/qiuzhu-dianhua/primary-upper/")))
    assert "{{ 7*7 }} {% if true %}JINJA{% endif %} {# c #}" in text
    assert "49" not in text


def test_markdown_in_text_cannot_break_out(hostile_site: Path) -> None:
    body = article(page(hostile_site, "/lessons/qiuzhu-dianhua/primary-upper/"))
    text = html_text(body)
    assert body.count("<h1") == 1  # "# 假标题" is not a heading
    assert "假警告" in text and 'class="admonition danger"' not in body
    assert "http://evil.example/" not in re.findall(r'href="([^"]*)"', body)
    assert "[点我](http://evil.example/){: onclick=" in text
    assert "1. 不是列表" in text and "假脚注" in text and "footnote" not in body
    assert "*强调* _下划线_ `代码`" in text


def _strings(value, path=()):
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _set(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


ID_FIELDS = {"topic", "id", "number", "lesson", "tier", "type", "contact"}
# Text made of characters that mean something to Markdown, HTML, Jinja or YAML, plus CJK.
HOSTILE_ALPHABET = st.sampled_from(list("<>&\"'`*_{}[]()#+-.!|~^=:?%$@\\/;\n\t ") + ["{{", "}}", "{%", "%}", "```",
                                   "!!!", "???", "[^", "]:", "javascript:", "<script>", "&amp;", "护校", "安全", "a", "1"])
hostile_text = st.lists(HOSTILE_ALPHABET, min_size=1, max_size=30).map("".join)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hypothesis") / "project"
    shutil.copytree(FIXTURE, root)
    return root


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile_text, which=st.integers(min_value=0, max_value=10_000))
@example(text="+\t<", which=3)  # a one-line "+ x" summary shows as a bulleted line
def test_random_text_in_any_string_field_is_escaped_or_refused(scratch: Path, text: str, which: int) -> None:
    original = yaml.safe_load((FIXTURE / LESSON).read_text(encoding="utf-8"))
    data = yaml.safe_load((FIXTURE / LESSON).read_text(encoding="utf-8"))
    fields = [p for p in _strings(data) if not (set(map(str, p)) & ID_FIELDS)]
    path = fields[which % len(fields)]
    _set(data, path, text)
    save_lesson(scratch, data)
    try:
        curriculum = project_loader.load(ProjectPaths.at(scratch))
    except InvalidProject as error:
        for problem in error.problems:
            assert problem.file == LESSON and problem.line is not None, str(problem)
        return
    finally:
        save_lesson(scratch, original)
    pages = build_site(curriculum).pages
    shown = " ".join(text.split())
    # Multi-line fields show an author's "- x" / "+ x" line as a bulleted line ("▪ x").
    bulleted = " ".join(" ".join(mdtext.bullet(line) for line in text.splitlines()).split())
    for tier in data["tiers"]:
        body = markdown.markdown(pages[f"lessons/qiuzhu-dianhua/{tier}.md"].split("---\n", 2)[2],
                                 extensions=EXTENSIONS)
        for tag, attrs in tags_of(body):
            assert tag in ALLOWED_TAGS, (tag, text)
            assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs, text)
        if path[0] != "variants" or path[1] == tier:
            visible = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", body)))
            visible = " ".join(visible.split()).replace("**", "")
            assert shown.replace("**", "") in visible or bulleted.replace("**", "") in visible, (path, text)


# The quick look before the walk over a lesson's texts, as one regular expression (slow: its
# look-arounds try every character of a city's lessons); the code's faster form must agree.
_MAYBE_AS_ONE = re.compile(r"[`<#~*]|(?<![a-z])_|_(?![a-z])|\]\s*(?:\(|\[(?!\^))")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab_Z*`<#~]([^ \n\"1中", max_size=40))
@example("_ba")
@example("ab_")
@example("a**_b")
@example("key_messages")
def test_the_quick_markup_look_agrees_with_its_definition(text: str) -> None:
    from generator.source.markup import _TITLE_STRONG, may_have_problems

    expected = bool(_MAYBE_AS_ONE.search(text.replace("**", "")) or _TITLE_STRONG.search(text))
    assert may_have_problems(text) == expected
