"""Render a ``Report`` as one self-contained, printable HTML page.

The page is Jinja2 (``qa_cli/templates/``) with autoescaping on: every value from a record is text,
so a name like ``<script>`` shows as written and never runs. CSS is inline, the page has no scripts
and loads nothing (no CDN, no fonts, no images), so it opens offline, in an e-mail attachment and
in a browser that blocks the network. Cells read exactly as in the Markdown and text tables (the
same ``people_cell``): ``12/2020``, ``31.12.2020``, ``25.000``, ``12,5``, ``k.A.``.

Other pages (the map) extend ``base.html`` for the same head and CSS; ``render_page`` renders any
template of the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO

from qa_cli.render.report import Column, Report, Section, cell
from qa_cli.render.tabular import people_cell, people_columns, people_sections

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

LONG_SECTION = 20  # rows: a longer section (not the first) starts a new printed page
SHORT_SECTION = 15  # rows: a shorter section is printed on one page, not split
WIDE_SECTION = 8  # columns: a wider table prints on a landscape page


@cache
def environment() -> Environment:
    """The package's templates, autoescaped, with undefined names as errors."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("qa_cli", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(template: str, **context: Any) -> str:
    """Render a template of ``qa_cli/templates`` (for pages that extend ``base.html``)."""
    return environment().get_template(template).render(**context)


@dataclass(frozen=True, slots=True)
class HtmlColumn:
    label: str
    numeric: bool  # right-aligned


@dataclass(frozen=True, slots=True)
class HtmlSection:
    anchor: str
    title: str
    paragraphs: list[str]
    table: bool  # False: a text section (paragraphs only)
    columns: list[HtmlColumn]
    rows: list[list[str]]
    count: int
    empty_text: str
    css: str
    svg: Markup | None  # the section's chart, made by code (qa_cli/render/chart.py)


def write_html(report: Report, stream: TextIO) -> None:
    views = [_section(section, index) for index, section in enumerate(people_sections(report))]
    stream.write(
        render_page(
            "report.html",
            title=report.title,
            description=report.heading_lines(),
            sections=views,
        )
    )


def _section(section: Section, index: int) -> HtmlSection:
    columns = people_columns(section) if section.columns else []
    css = []
    if index > 0 and len(section.rows) > LONG_SECTION:
        css.append("new-page")
    elif len(section.rows) <= SHORT_SECTION:
        css.append("short")
    if len(columns) > WIDE_SECTION:
        css.append("wide")
    return HtmlSection(
        anchor=_anchor(section.key, index),
        title=section.title,
        paragraphs=section.paragraphs,
        table=bool(section.columns),
        columns=[HtmlColumn(c.label, _numeric(section, c)) for c in columns],
        rows=[[people_cell(row, column) for column in columns] for row in section.rows],
        count=len(section.rows),
        empty_text=section.empty_text,
        css=" ".join(css),
        svg=_chart(section),
    )


def _chart(section: Section) -> Markup | None:
    """The chart's SVG, marked safe: ``chart.svg`` escapes every label itself."""
    if section.chart is None:
        return None
    from markupsafe import Markup

    from qa_cli.render.chart import svg

    return Markup(svg(section.chart))


def _numeric(section: Section, column: Column) -> bool:
    """A column of numbers (right-aligned): every known value is an int or a float."""
    values = [cell(row, column.key) for row in section.rows]
    known = [value for value in values if value is not None]
    return bool(known) and all(
        isinstance(value, int | float) and not isinstance(value, bool) for value in known
    )


def _anchor(key: str, index: int) -> str:
    """A unique ``id`` for the section (a link target ``#abschnitt-2-anlaufstellen``)."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", key.lower()).strip("-")
    return f"abschnitt-{index + 1}-{slug}" if slug else f"abschnitt-{index + 1}"
