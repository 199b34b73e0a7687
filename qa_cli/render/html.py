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
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO

from qa_cli import german
from qa_cli.render.paging import Fit, layout
from qa_cli.render.report import Column, Report, Section, cell
from qa_cli.render.stamp import stamp_text
from qa_cli.render.tabular import people_cell, people_columns, people_sections

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

SHORT_SECTION = 15  # rows: a shorter section may print across beside a landscape one
SHORT_TEXT = 4  # paragraphs: a section with no more is short
UNBROKEN_ROWS = 8  # rows: a table this short is never split over two pages


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
class HtmlTable:
    caption: str
    columns: list[HtmlColumn]
    rows: list[list[str]]


@dataclass(frozen=True, slots=True)
class HtmlSection:
    anchor: str
    title: str
    paragraphs: list[str]
    table: bool  # False: a text section (paragraphs only)
    parts: list[HtmlTable]  # one table, or the parts of one too wide for a page
    empty_text: str
    short: bool  # may print across beside a landscape section
    unbroken: bool  # printed on one page, not split
    across: bool  # printed on a landscape page
    svg: Markup | None  # the section's chart, made by code (qa_cli/render/chart.py)

    @property
    def css(self) -> str:
        return " ".join(
            name for name, on in (("short", self.unbroken), ("wide", self.across)) if on
        )


def page_boxes(title: str, stamp: str | None) -> Markup:
    """CSS for the margins of every printed page: the title at the top, the stamp at the foot
    beside "Seite X von Y" (as escaped CSS strings); report.html adds the example mark."""
    from markupsafe import Markup

    from qa_cli.render.escape import css_string

    boxes = {"top-left": title, "bottom-left": stamp}
    rules = " ".join(
        f"@{box} {{ content: {css_string(text)}; }}" for box, text in boxes.items() if text
    )
    return Markup(f"@page {{ {rules} }}")


def write_html(report: Report, stream: TextIO) -> None:
    """The report as a page that reads on a screen and prints on A4 (``qa_cli.render.pdf``)."""
    views = _turn(
        [_section(section, index) for index, section in enumerate(people_sections(report))]
    )
    stand = stamp_text(report.stand) if report.stand is not None else None
    stream.write(
        render_page(
            "report.html",
            title=report.title,
            description=report.heading_lines(),
            sections=views,
            header_across=bool(views) and views[0].across,
            page_css=page_boxes(report.title, stand),
        )
    )


def _section(section: Section, index: int) -> HtmlSection:
    columns = people_columns(section) if section.columns else []
    numeric = [_numeric(section, c) for c in columns]
    labels = [c.label for c in columns]
    rows = [[_html_cell(row, column) for column in columns] for row in section.rows]
    fit = layout([c.key for c in columns], labels, rows, numeric) if columns else None
    parts = fit.parts if fit is not None else []
    return HtmlSection(
        anchor=_anchor(section.key, index),
        title=section.title,
        paragraphs=section.paragraphs,
        table=bool(section.columns),
        parts=[
            HtmlTable(
                _caption(section, columns, part, number, len(parts)),
                [HtmlColumn(labels[i], numeric[i]) for i in part],
                [[row[i] for i in part] for row in rows],
            )
            for number, part in enumerate(parts, start=1)
        ],
        empty_text=section.empty_text,
        short=len(section.rows) <= SHORT_SECTION and len(section.paragraphs) <= SHORT_TEXT,
        unbroken=len(section.rows) <= UNBROKEN_ROWS,
        across=fit is not None and fit.fit is not Fit.UPRIGHT,
        svg=_chart(section),
    )


def _html_cell(row: dict[str, Any], column: Column) -> str:
    """The cell as people read it; an amount with its € sign (a spreadsheet keeps the number)."""
    value = cell(row, column.key)
    if column.euro and isinstance(value, int) and not isinstance(value, bool):
        return german.euro(value)
    return people_cell(row, column)


def _turn(views: list[HtmlSection]) -> list[HtmlSection]:
    """Short sections next to a landscape one print across too: a change of orientation starts
    a new sheet, so a short upright run between landscape pages would be a near-empty page. A
    run of upright sections stays upright when one of them is long."""
    turned = list(views)
    start = 0
    while start < len(turned):
        end = start
        while end < len(turned) and turned[end].across == turned[start].across:
            end += 1
        run = turned[start:end]
        beside = (start > 0) or (end < len(turned))  # an upright run borders a landscape one
        if not run[0].across and beside and all(view.short for view in run):
            turned[start:end] = [replace(view, across=True) for view in run]
        start = end
    return turned


def _caption(
    section: Section, columns: list[Column], part: list[int], number: int, count: int
) -> str:
    """What the table holds: its rows, and for a part of a cut table, which columns."""
    rows = f"{len(section.rows)} {'Zeile' if len(section.rows) == 1 else 'Zeilen'}"
    if count == 1:
        return rows
    families = [columns[i].key.rpartition(".")[0].rpartition(".")[2] for i in part[1:]]
    named = [name for index, name in enumerate(families) if name and name not in families[:index]]
    span = f": {named[0]} bis {named[-1]}" if len(named) > 1 else f": {named[0]}" if named else ""
    return f"Teil {number} von {count}{span}, {rows}"


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
