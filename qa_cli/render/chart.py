"""A bar chart as inline SVG, made by code (no plotting library): groups of bars with a value
axis, labels as text, every number written out above its bar so the picture never needs a
guess. Used where a picture says more than a table (the use of a fund's budget over the years).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from qa_cli import german

WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 70
MARGIN_BOTTOM = 40
MARGIN_TOP = 30
QUOTE = {'"': "&quot;"}  # escape() leaves quotes alone; attributes need them escaped
COLOURS = ("#9bb7d4", "#1f5f99", "#e39c37", "#5a9c50")


@dataclass(frozen=True, slots=True)
class Bar:
    """One group: a label (a year) and one value per series (``None``: unknown, no bar)."""

    label: str
    values: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    unit: str
    series: tuple[str, ...]
    bars: list[Bar]


def svg(chart: BarChart) -> str:
    """The chart as a self-contained ``<svg>`` element with a title for screen readers."""
    top = max((v for bar in chart.bars for v in bar.values if v), default=0) or 1
    plot_width = WIDTH - MARGIN_LEFT - 10
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    group = plot_width / max(len(chart.bars), 1)
    width = group * 0.8 / max(len(chart.series), 1)
    base = MARGIN_TOP + plot_height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(chart.title, QUOTE)}" '
        'font-family="sans-serif" font-size="11">',
        f"<title>{escape(chart.title)}</title>",
        f'<line x1="{MARGIN_LEFT}" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="#333"/>',
        f'<text x="{MARGIN_LEFT - 6}" y="{MARGIN_TOP + 4}" text-anchor="end">'
        f"{escape(german.integer(top))} {escape(chart.unit)}</text>",
        f'<text x="{MARGIN_LEFT - 6}" y="{base}" text-anchor="end">0</text>',
    ]
    for index, bar in enumerate(chart.bars):
        left = MARGIN_LEFT + index * group + group * 0.1
        for position, value in enumerate(bar.values):
            x = left + position * width
            label = german.UNKNOWN if value is None else german.integer(value)
            height = 0.0 if value is None else plot_height * value / top
            colour = COLOURS[position % len(COLOURS)]
            parts.append(
                f'<rect x="{x:.1f}" y="{base - height:.1f}" width="{width - 2:.1f}" '
                f'height="{height:.1f}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{x + width / 2:.1f}" y="{base - height - 3:.1f}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
        parts.append(
            f'<text x="{left + group * 0.4:.1f}" y="{base + 16}" text-anchor="middle">'
            f"{escape(bar.label)}</text>"
        )
    for position, name in enumerate(chart.series):
        x = MARGIN_LEFT + position * 140
        colour = COLOURS[position % len(COLOURS)]
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 5}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
