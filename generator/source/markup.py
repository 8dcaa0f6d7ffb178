"""What inline markup author text may carry: `**strong**` and nothing else.

Every output (lesson page, print page, PDF, Markdown export) renders `**strong**` as <strong> and
shows every other character as written. Anything else that reads as Markdown or HTML (`*em*`,
`_em_`, backticks, links, images, tags, headings, strikethrough) would show raw on paper and
differently in each output, so validation refuses it here, with a message in Chinese.
"""

from __future__ import annotations

import re

# A `**strong**` pair: non-empty, no asterisk inside, not starting or ending with a space.
STRONG = re.compile(r"\*\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*\*")
_CITATION = re.compile(r"\[\^[a-z0-9]+(?:-[a-z0-9]+)*\]")
_BLANK = re.compile(r"_{3,}")  # "____止吸烟": a fill-in blank, not markup

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"`"), "反引号（`代码`）"),
    (re.compile(r"!\[[^\]]*\]\("), "Markdown 图片（![…](…)）"),
    (re.compile(r"\[[^\]]*\]\s*[(\[]"), "Markdown 链接（[…](…)）"),
    (re.compile(r"<\s*/?\s*[A-Za-z][^>]*>|<https?:"), "HTML 标签或尖括号链接（<…>）"),
    (re.compile(r"(?m)^\s{0,3}#{1,6}\s"), "Markdown 标题（行首的 #）"),
    (re.compile(r"~~"), "删除线（~~…~~）"),
    (re.compile(r"(?<![A-Za-z0-9_])_{1,2}(?=[^\s_])[^_\n]+?(?<=[^\s_])_{1,2}(?![A-Za-z0-9_])"), "下划线强调（_…_ 或 __…__）"),
    (re.compile(r"\*"), "单个星号或不成对的 **（斜体 *…* 不支持）"),
]

# Characters without which none of the rules can match: a quick look at a whole lesson at once.
# ("][^" is two citations side by side; an "_" is looked at apart, see _bare_underscore.)
MAYBE = re.compile(r"[`<#~*]|\]\s*(?:\(|\[(?!\^))")

_TITLE_STRONG = re.compile(r'"title":"(?:[^"\\]|\\.)*\*\*')


def may_have_problems(lesson_json: str) -> bool:
    """Whether a lesson's JSON (its sources left out) could hold markup that `problems` refuses."""
    bare = lesson_json.replace("**", "")
    return bool(MAYBE.search(bare) or _bare_underscore(bare) or _TITLE_STRONG.search(lesson_json))


def _bare_underscore(text: str) -> bool:
    """An "_" without a small letter on both sides (in a lesson's JSON, field names such as
    "key_messages" hold "_" between letters). A loop over the few "_" of a lesson: a regular
    expression with look-arounds tries every character of it."""
    at = text.find("_")
    while at != -1:
        if not (at > 0 and "a" <= text[at - 1] <= "z" and at + 1 < len(text) and "a" <= text[at + 1] <= "z"):
            return True
        at = text.find("_", at + 1)
    return False


ALLOWED = "作者文字只能用 **加粗** 这一种格式"


def problems(text: str) -> list[str]:
    """What in `text` is markup other than `**strong**` (empty when it is fine)."""
    rest = _BLANK.sub(" ", _CITATION.sub(" ", STRONG.sub(" ", text)))
    return [f"不支持的格式：{name}；{ALLOWED}，其余符号请删去或改写" for rule, name in _RULES if rule.search(rest)]


def strong_not_allowed(field: str) -> str:
    return f"{field} 是标题，不能用 **加粗**（标题本身已加粗），请删去星号"
