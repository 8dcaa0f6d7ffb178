"""Charts as SVG made at build time (pygal), so they show offline, in the bundle, in print and PDF.

No script is attached (pygal's tooltips would load one from another host), the chart's random
id is replaced by a stable one and pygal's generator comment dropped, so the same data always
gives the same bytes (a build with the page cache and one without write the same site).
"""

from __future__ import annotations

import re
import unicodedata

import pygal
from markupsafe import Markup
from pygal.style import Style

_STYLE = Style(
    background="transparent", plot_background="transparent", foreground="#333", foreground_strong="#111",
    foreground_subtle="#999", colors=("#1565c0", "#c62828", "#2e7d32", "#ef6c00"),
    font_family="'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif",
    # Large for a 640-unit chart: a phone shows it at about 360 px, where 18 becomes 10 px.
    guide_stroke_color="#e0e0e0", major_guide_stroke_color="#bdbdbd", label_font_size=18, major_label_font_size=18,
    legend_font_size=18, title_font_size=20, value_font_size=18,
)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# pygal writes its config for the tooltip script into the SVG even with no script to read it.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _finish(chart: pygal.graph.graph.Graph, chart_id: str, title: str) -> Markup:
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))
    svg = svg.replace(f"chart-{chart.uuid}", chart_id)
    assert chart.uuid not in svg, "pygal wrote its random chart id somewhere else: the output would change every build"
    # The title is the SVG's accessible name; screen readers and the print copy use it.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(title)}" ', 1)
    return Markup(svg)  # noqa: S704 - pygal escapes the labels and values it writes


def _config(title: str, width: int, height: int) -> dict:
    return {"title": title, "width": width, "height": height, "style": _STYLE, "js": [], "explicit_size": False,
            "disable_xml_declaration": True, "show_legend": True, "legend_at_bottom": True,
            "print_values": False, "margin": 12, "margin_right": 48, "truncate_label": -1}


def _cjk_extra(label: str) -> float:
    """How much wider a label is than pygal thinks: it sizes every character at 0.6 em, while a
    Chinese character takes a whole em (so long Chinese labels ran off the chart's left edge)."""
    wide = sum(1 for ch in label if unicodedata.east_asian_width(ch) in "WF")
    return wide * 0.4 * _STYLE.label_font_size


def _label_width(label: str) -> float:
    return len(label) * 0.6 * _STYLE.label_font_size + _cjk_extra(label)


def drill_times(chart_id: str, title: str, labels: list[str], seconds: list[int | None],
                targets: list[int | None]) -> Markup:
    """A school's drill times across terms, with its target as a second line."""
    # The first and last labels are centred on the plot's edges: half of each must fit outside it.
    config = {**_config(title, 640, 320), "margin_left": 12 + (_cjk_extra(labels[0]) / 2 if labels else 0),
              "margin_right": 12 + (_label_width(labels[-1]) / 2 if labels else 0)}
    chart = pygal.Line(**config, show_dots=True, dots_size=4, x_label_rotation=0,
                       y_title="秒", include_x_axis=True, y_labels_major_count=5, show_minor_y_labels=False)
    chart.x_labels = labels
    chart.add("实测用时", seconds)
    chart.add("目标用时", targets, stroke_style={"dasharray": "6, 4", "width": 2}, show_dots=False)
    return _finish(chart, chart_id, title)


def bars(chart_id: str, title: str, rows: list[tuple[str, int]], unit: str) -> Markup:
    """Horizontal bars, one per row (name, value), largest first as given."""
    # pygal cuts long labels at the chart's edge; a shorter one keeps its start readable.
    labels = [name if len(name) <= 8 else name[:7] + "…" for name, _ in rows]
    config = {**_config(title, 640, max(180, 40 * len(rows) + 110)), "show_legend": False, "print_values": True,
              "margin_left": 12 + max(map(_cjk_extra, labels), default=0)}
    chart = pygal.HorizontalBar(**config, x_title=unit)
    chart.x_labels = labels
    chart.add(unit, [value for _, value in rows])
    return _finish(chart, chart_id, title)
