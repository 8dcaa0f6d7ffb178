"""Where every generated page and print document lives, and the links between them.

The site map in one place: docs-relative `.md` paths for pages, `index.html` paths for the
standalone print documents, and MkDocs' rule for turning either into a URL, computed by string.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

from markupsafe import Markup

from ..source.models import Lesson


def anchor(identifier: str) -> Markup:
    """An id (a-z, 0-9, hyphens, checked by the models) as a URL fragment, which must stay as is."""
    if not re.fullmatch(r"[a-z0-9-]+", identifier):
        raise ValueError(f"not an id: {identifier!r}")
    return Markup(identifier)


def rel(here: str, target: str) -> Markup:
    """A relative link from page `here` to page `target` (both docs-relative .md paths)."""
    return Markup(_relative(here.split("/")[:-1], target.split("/")))


def _relative(folders: list[str], parts: list[str]) -> str:
    """The way from the folder `folders` to the file `parts`, by string alone: index pages hold
    tens of thousands of links, and posixpath.relpath asks the OS for the working folder."""
    common = 0
    while common < len(folders) and common < len(parts) - 1 and folders[common] == parts[common]:
        common += 1
    return "../" * (len(folders) - common) + "/".join(parts[common:])




def tier_path(tier: str) -> str:
    return f"tiers/{tier}/index.md"


def topic_path(topic: str) -> str:
    return f"topics/{topic}.md"


def lesson_path(lesson: str, tier: str | None = None) -> str:
    return f"lessons/{lesson}/{tier}.md" if tier else f"lessons/{lesson}/index.md"


def school_path(school: str) -> str:
    return f"schools/{school}.md"


def dossier_path(school: str) -> str:
    return f"internal/schools/{school}.md"


# The student sheet and its answer key are separate documents: printing 45 sheets prints no key.
PRINT_DOCS = {"handout": "学生讲义", "runsheet": "讲师讲稿", "quiz": "知识竞赛题（学生版）",
              "quiz-key": "知识竞赛题答案（教师版）", "drill": "演练脚本与检查表", "letter": "致家长的一封信（含回执）"}
# Parents and staff are not pupils: their tiers' sheets are named for their reader.
DOC_NAMES_FOR = {
    "parents": {"handout": "家长须知", "quiz": "家长自测题", "quiz-key": "家长自测题答案（讲解人用）"},
    "staff": {"handout": "培训讲义", "quiz": "培训考核题", "quiz-key": "培训考核题答案（考核人用）"},
}


def doc_name(doc: str, audience: str) -> str:
    """A print document's name for its reader (a tier's `audience`: pupils, parents or staff)."""
    return DOC_NAMES_FOR.get(audience, {}).get(doc, PRINT_DOCS[doc])


def print_path(lesson: str, tier: str, doc: str) -> str:
    """Print documents are standalone HTML files, not Markdown pages: /lessons/<id>/<tier>/<doc>/."""
    return f"lessons/{lesson}/{tier}/{doc}/index.html"


def pdf_name(lesson: str, tier: str, doc: str) -> str:
    """Where `huxiao pdf` writes a document, relative to its output folder (and to the site)."""
    return f"{lesson}/{tier}/{doc}.pdf"


def print_docs(lesson: Lesson, tier: str) -> list[str]:
    """The print documents of one tier's variant: a drill script only for drills, a letter only
    where the variant has one."""
    variant = lesson.variants[tier]
    has = {"drill": lesson.kind == "drill", "letter": variant.letter is not None,
           "quiz": bool(variant.quiz), "quiz-key": bool(variant.quiz)}
    return [d for d in PRINT_DOCS if has.get(d, True)]


def compliance_path(term: str) -> str:
    return f"internal/compliance/{term}.md"


def officer_path(officer: str) -> str:
    return f"internal/officers/{officer}.md"


def assessment_pdf_name(officer: str) -> str:
    """An officer's 考核 sheet, relative to the internal PDF folder (never the public site)."""
    return f"assessment/{officer}.pdf"


def school_calendar(school: str) -> str:
    return f"calendars/schools/{school}.ics"


def officer_calendar(officer: str) -> str:
    return f"calendars/officers/{officer}.ics"


def present_path(lesson: str, tier: str) -> str:
    """The 知识竞赛 presenter (projector) page of one lesson variant: /lessons/<id>/<tier>/present/."""
    return f"lessons/{lesson}/{tier}/present/index.html"


def topic_present_path(topic: str, tier: str) -> str:
    """A mixed 知识竞赛 round of one topic's lessons for one tier: /topics/<topic>/<tier>/present/."""
    return f"topics/{topic}/{tier}/present/index.html"


def report_path(term: str) -> str:
    return f"reports/{term}.md"


def report_pdf_name(term: str) -> str:
    """The term report's PDF, relative to the PDF folder (and to the site's pdf/)."""
    return f"reports/{term}.pdf"


def term_short(term: str) -> str:
    """2026-autumn -> 2026秋."""
    year, season = term.split("-")
    return f"{year}{'秋' if season == 'autumn' else '春'}"


STATS_PATH = "stats.md"
COVERAGE_PATH = "coverage.md"
LAWS_PATH = "laws/index.md"


def law_path(law: str) -> str:
    return f"laws/{law}.md"


def article_anchor(article: str) -> str:
    """An article id as a URL fragment: "31" → art-31, "55(3)" → art-55-3, "287之二" → art-287-2."""
    digits = {c: str(n) for n, c in enumerate("零一二三四五六七八九十", start=0)}
    text = re.sub(r"之(.)", lambda m: "-" + digits.get(m.group(1), "x"), article)
    return "art-" + re.sub(r"[^0-9]+", "-", text).strip("-")


@lru_cache(maxsize=65536)
def url_of(path: str, directory_urls: bool = True) -> str:
    """The URL of a docs-relative file, as MkDocs gives it (`a/b.md` -> `a/b/`)."""
    if path.endswith(".md"):
        path = path[:-3] + ".html"
        if directory_urls and not path.endswith("index.html"):
            path = path[:-5] + "/index.html"
    if directory_urls and posixpath.basename(path) == "index.html":
        return posixpath.dirname(path) + "/" if "/" in path else ""
    return path


def relative_url(here: str, target: str, directory_urls: bool = True) -> str:
    """The relative URL from page `here` to `target`, both docs-relative paths."""
    return _relative(url_of(here, directory_urls).split("/")[:-1], url_of(target, directory_urls).split("/")) or "./"


PATHS = {"tier": tier_path, "topic": topic_path, "lesson": lesson_path, "school": school_path, "dossier": dossier_path,
         "stats": STATS_PATH, "coverage": COVERAGE_PATH, "report": report_path, "present": present_path,
         "topic_present": topic_present_path, "law": law_path, "laws": LAWS_PATH, "article_anchor": article_anchor}


def root_of(path: str) -> str:
    """The relative way from a file at `path` back to the site root."""
    return "../" * path.count("/")

