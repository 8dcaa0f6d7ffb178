"""The 404 page, working wherever the site is served from.

A server shows `404.html` at whatever address was asked for, so the page cannot use relative
links as the other pages do; Material gives it absolute ones made from `site_url`, which break
when a station serves the site under another path (an intranet folder, a copy on a school's
server). Here its links become relative to a `<base>`: `site_url`'s path as built (where the site
is normally served, so nothing more is asked), which a small inline script moves, when the page is
shown elsewhere, to the nearest folder above the address that holds the site (its
`huxiao/print.css`, asked of the same server with HEAD requests).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

MARKER = "huxiao/print.css"  # a file at the root of every Huxiao site

_FIND_ROOT = """<base href=%(built)s><script>(function () {
  var built = %(built)s, parts = location.pathname.split("/"), root = null;
  parts.pop();
  for (var n = parts.length; n > 0 && root === null; n--) {
    var prefix = parts.slice(0, n).join("/") + "/", ask = new XMLHttpRequest();
    if (prefix === built) { root = prefix; break; }
    try { ask.open("HEAD", prefix + %(marker)s, false); ask.send(); if (ask.status === 200) root = prefix; }
    catch (error) { break; }
  }
  window.__hxRoot = location.protocol + "//" + location.host + (root === null ? built : root);
  document.querySelector("base").href = window.__hxRoot;
})();</script>"""

_FIX_CONFIG = """<script>(function () {
  var element = document.getElementById("__config"), config = JSON.parse(element.textContent);
  config.base = window.__hxRoot;
  element.textContent = JSON.stringify(config);
})();</script>"""


def relocatable(html: str, site_url: str | None) -> str:
    """The 404 page with links relative to a `<base>` found when it is shown."""
    built = urlsplit(site_url or "/").path or "/"
    if not built.endswith("/"):
        built += "/"
    html = re.sub(r'(\s(?:href|src)=")' + re.escape(built), r"\1", html)
    html = html.replace('"search": "' + built, '"search": "')
    script = _FIND_ROOT % {"built": json.dumps(built), "marker": json.dumps(MARKER)}
    html = re.sub(r"<head>", lambda m: m.group(0) + script, html, count=1)
    return re.sub(r'(<script id="__config"[^>]*>.*?</script>)', lambda m: m.group(1) + _FIX_CONFIG, html,
                  count=1, flags=re.S)
