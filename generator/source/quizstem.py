"""Negative quiz stems: a question asking which choice is wrong, whose answer is the unsafe act.

On the projector the revealed answer of such a question must read as the wrong act, never as a
green "正确"; so a negative stem has to be declared (`negative: true`), and children's tiers get
none at all. The wording was tuned on the starter library: a "which" (哪…, 什么 but not 为什么,
下列/下面/以下) together with a word judging the act wrong. Questions that merely contain such a
word are not negative: 为什么不能乘电梯 asks a reason, 能不能吃 and 可不可以 ask yes or no,
觉得不对劲 describes a feeling.
"""

from __future__ import annotations

import re

_WHICH = re.compile(r"哪|(?<!为)什么|下列|下面|以下")
_WRONG = re.compile(
    r"错误|做错|错的|不正确|不对(?!劲)|不应该|不应当|不该|不安全|(?<!能)不能|(?<!可)不可以|不可取|不恰当|不妥|"
    r"不适合|不合适|不属于|不需要|不宜|不符合|违法|违反")


def negative_wording(question: str) -> str | None:
    """The word that makes `question` ask for the wrong choice, or None for an ordinary question."""
    if not _WHICH.search(question):
        return None
    found = _WRONG.search(question)
    return found.group(0) if found else None
