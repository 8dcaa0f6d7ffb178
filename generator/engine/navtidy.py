"""Insignificant whitespace taken out of the sidebar's HTML, so it comes out the same however drawn.

Material's recursive nav macro indents its output; `generator/speed/sitenav.py` draws the same
tags without the indentation. The theme passes the macro's output through `tidy`, which keeps
what a browser shows (the nav's links are flex boxes, where whitespace next to a tag draws
nothing), so a build with the fast sidebar and one without write the same bytes.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_RUNS = re.compile(r"\s+")
_NEXT_TO_TAG = re.compile(r" ?(<[^>]+>) ?")
_BEFORE_CLOSE = re.compile(r" (/?>)")
_VALUE_EDGES = re.compile(r'="([^"]*)"')


def tidy(html: str) -> Markup:
    text = _NEXT_TO_TAG.sub(r"\1", _RUNS.sub(" ", str(html)))
    text = _BEFORE_CLOSE.sub(r"\1", text)
    text = _VALUE_EDGES.sub(lambda m: f'="{m.group(1).strip()}"', text)
    return Markup(text)  # noqa: S704 - the theme's own HTML, with only whitespace taken out
