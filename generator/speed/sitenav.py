"""Material's primary navigation (the left sidebar), rendered by a plain function.

Material draws the sidebar with a recursive Jinja macro (`partials/nav-item.html`). At city
scale that macro alone costs about 10 ms on every page, a third of the build. This module writes
the same markup for the features Huxiao's `mkdocs.yml` can turn on (tabs, sections, prune,
indexes, expand) in a fraction of that time.

It mirrors one version of the macro, named by its hash below. When the installed Material ships
a different macro, or a page uses something not mirrored here (an icon, a subtitle or a status
in its front matter), the drawer returns None and the theme falls back to Material's own
macro, so the site is never wrong, only slower. `tests/test_site.py` builds the starter site
both ways and compares every page's sidebar.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.utils import normalize_url

from ..engine.navtidy import tidy

# SHA-256 of material/templates/partials/nav-item.html that this module mirrors (Material 9.8).
MIRRORED_MACRO = "89895208f22d68ce405a4bcb6649b9150eba5bbb04663a6cb3f93f02daf1d2f7"
_UNSUPPORTED_META = ("icon", "subtitle", "status")


class _Unsupported(Exception):
    """Something only Material's own macro knows how to draw."""


def material_macro_hash() -> str | None:
    try:
        import material
    except ImportError:
        return None
    path = Path(material.__file__).parent / "templates" / "partials" / "nav-item.html"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


class NavDrawer:
    """One per build (the plugin makes it in `on_env`); called from the theme as `huxiao_nav`."""

    def __init__(self) -> None:
        # A section's index page, by id(section): looked up on every page that shows the section.
        self.index_pages: dict[int, Any] = {}

    def __call__(self, nav: Any, page: Any, features: list[str], toc: Callable[[], str],
                 base_url: str = "") -> Markup | None:
        """The `<li>` items of the primary nav for `page`, or None where Material must draw them.

        `toc` draws the current page's table of contents (Material's partials/toc.html).
        """
        renderer = _Renderer(page, set(features or ()), toc, base_url, self.index_pages)
        try:
            for number, item in enumerate(nav.items, start=1):
                renderer.item(item, f"__nav_{number}", 1, None)
        except _Unsupported:
            return None
        return Markup("".join(renderer.out))  # noqa: S704 - built from escaped titles and URLs (see _Renderer)


class _Renderer:
    def __init__(self, page: Any, features: set[str], toc: Callable[[], str], base_url: str,
                 index_pages: dict[int, Any]) -> None:
        self.page = page
        self.tabs = "navigation.tabs" in features
        self.sections = "navigation.sections" in features
        self.prune = "navigation.prune" in features
        self.indexes = "navigation.indexes" in features
        self.expand = "navigation.expand" in features
        self.toc = toc
        self.base_url = base_url
        self.index_pages = index_pages
        self.out: list[str] = []

    def url(self, item: Any) -> str:
        return normalize_url(str(getattr(item, "url", "") or ""), page=self.page, base=self.base_url)

    def content(self, item: Any, ref: Any = None) -> str:
        meta = getattr(item, "meta", None)
        if (meta and any(meta.get(key) for key in _UNSUPPORTED_META)) or getattr(item, "encrypted", None):
            raise _Unsupported
        return f'<span class="md-ellipsis">{self.title(ref or item)}</span>'

    @staticmethod
    def title(item: Any) -> str:
        if getattr(item, "typeset", None):
            raise _Unsupported
        return str(item.title)

    def item(self, item: Any, path: str, level: int, parent: Any) -> None:
        if getattr(item, "pages", None):
            raise _Unsupported  # blog-style views, which swap in the current page
        out = self.out
        active = bool(item.active)
        css = "md-nav__item md-nav__item--active" if active else "md-nav__item"
        children = getattr(item, "children", None)
        if children:
            self.section(item, children, css, active, path, level, parent)
        elif item is self.page:
            self.current(item, css)
        else:
            out.append(f'<li class="{css}"><a href="{self.url(item)}" class="md-nav__link">{self.content(item)}</a></li>')

    def section(self, item: Any, children: list, css: str, active: bool, path: str, level: int, parent: Any) -> None:
        out = self.out
        index = self.index_page(item, children) if self.indexes else None
        is_section = False
        if self.tabs:
            if (level == 1 and active) or (self.sections and level == 2 and parent is not None and parent.active):
                css += " md-nav__item--section"
                is_section = True
        elif self.sections and level == 1:
            css += " md-nav__item--section"
            is_section = True
        if self.prune and not is_section and not active:
            out.append(f'<li class="{css} md-nav__item--pruned md-nav__item--nested">')
            self.pruned(item, item)
            out.append("</li>")
            return
        checked = " checked" if active else ""
        indeterminate = " md-toggle--indeterminate" if self.expand and not checked else ""
        tabindex = "" if is_section else "0"
        out.append(f'<li class="{css} md-nav__item--nested">'
                   f'<input class="md-nav__toggle md-toggle{indeterminate}" type="checkbox" id="{path}"{checked}>')
        if index is None:
            out.append(f'<label class="md-nav__link" for="{path}" id="{path}_label" tabindex="{tabindex}">'
                       f'{self.content(item)}<span class="md-nav__icon md-icon"></span></label>')
        else:
            current = " md-nav__link--active" if index is self.page else ""
            out.append(f'<div class="md-nav__link md-nav__container">'
                       f'<a href="{self.url(index)}" class="md-nav__link{current}">{self.content(index, item)}</a>')
            if len(children) > 1:
                out.append(f'<label class="md-nav__link{current}" for="{path}" id="{path}_label" tabindex="{tabindex}">'
                           f'<span class="md-nav__icon md-icon"></span></label>')
            out.append("</div>")
        out.append(f'<nav class="md-nav" data-md-level="{level}" aria-labelledby="{path}_label" '
                   f'aria-expanded="{"true" if active else "false"}">'
                   f'<label class="md-nav__title" for="{path}"><span class="md-nav__icon md-icon"></span>'
                   f'{self.title(item)}</label><ul class="md-nav__list" data-md-scrollfix>')
        for number, child in enumerate(children, start=1):
            if index is None or child is not index:
                self.item(child, f"{path}_{number}", level + 1, item)
        out.append("</ul></nav></li>")

    def index_page(self, section: Any, children: list) -> Any:
        key = id(section)
        if key not in self.index_pages:
            self.index_pages[key] = next((c for c in children if getattr(c, "is_index", False)), None)
        return self.index_pages[key]

    def pruned(self, item: Any, ref: Any) -> None:
        """A collapsed section: one link to its first page, under the section's title."""
        first = item.children[0]
        if getattr(first, "children", None):
            self.pruned(first, ref)
            return
        self.out.append(f'<a href="{self.url(first)}" class="md-nav__link">{self.content(ref)}'
                        f'<span class="md-nav__icon md-icon"></span></a>')

    def current(self, page: Any, css: str) -> None:
        toc = page.toc
        first = next(iter(toc), None)
        if first is not None and first.level == 1:
            toc = first.children
        content = self.content(page)
        out = self.out
        out.append(f'<li class="{css}"><input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">')
        if toc:
            out.append(f'<label class="md-nav__link md-nav__link--active" for="__toc">{content}'
                       f'<span class="md-nav__icon md-icon"></span></label>')
        out.append(f'<a href="{self.url(page)}" class="md-nav__link md-nav__link--active">{content}</a>')
        if toc:
            out.append(str(tidy(self.toc())))
        out.append("</li>")
