"""Render a ``Report`` as a terminal table, plain text, CSV, JSON or Markdown.

``table`` is a Rich table on a terminal and plain aligned text when piped (so ``grep``/``awk``
see no box characters); ``csv`` is tidy (one row per record, stable ASCII column names, a leading
``abschnitt`` column when a report has several sections); ``json`` is one object holding an array
per section; ``md`` is GitHub-flavoured Markdown.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TextIO

from qa_cli import german
from qa_cli.render.escape import markdown_cell, markdown_text, terminal_cell, visible
from qa_cli.render.json_document import write_json_document
from qa_cli.render.report import Column, Report, Section, cell
from qa_cli.render.values import for_csv, for_json, for_people

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    md = "md"


def render(report: Report, fmt: ListFormat, out: TextIO | None = None) -> None:
    stream = out or sys.stdout
    if fmt is ListFormat.json:
        write_json(report, stream)
    elif fmt is ListFormat.csv:
        write_csv(report, stream)
    elif fmt is ListFormat.md:
        write_markdown(report, stream)
    elif stream.isatty():
        write_rich(report, stream)
    else:
        write_plain(report, stream)


def write_json(report: Report, stream: TextIO) -> None:
    document: dict[str, Any] = {"titel": report.title, "beschreibung": report.description}
    if report.stand is not None:
        from qa_cli.render.stamp import stamp_json

        document["datenstand"] = stamp_json(report.stand)
    document.update(for_json(report.meta))
    for section in report.sections:
        rows = [for_json(row) for row in section.rows]
        document[section.key] = rows if section.columns else section.paragraphs
    write_json_document(document, stream)


def neutralise(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(report: Report, stream: TextIO, *, excel: bool = False) -> None:
    """Tidy CSV; ``excel`` writes what German Excel opens as intended: ``;`` between cells and
    a decimal comma (the caller adds the byte-order mark when it writes the file)."""
    sections = [section for section in report.sections if section.in_csv and section.columns]
    several = len(sections) > 1
    columns = sections[0].columns if sections else []
    writer = csv.writer(
        _RowEnds(stream, "\r\n" if excel else "\n"), delimiter=";" if excel else ","
    )
    writer.writerow((["abschnitt"] if several else []) + [column.key for column in columns])
    for section in sections:
        for row in section.rows:
            cells = [_csv_cell(cell(row, column.key), excel) for column in columns]
            writer.writerow(([section.key] if several else []) + cells)


class _RowEnds:
    """Lets ``csv`` end rows with ``\\r\\n`` (so it quotes every cell holding a CR or LF, which
    it does not for a bare CR when rows end with ``\\n``), then writes the ending asked for."""

    def __init__(self, stream: TextIO, ending: str) -> None:
        self._stream, self._ending = stream, ending

    def write(self, row: str) -> int:
        return self._stream.write(row.removesuffix("\r\n") + self._ending)


def people_sections(report: Report) -> list[Section]:
    return [section for section in report.sections if section.for_people]


def _csv_cell(value: Any, excel: bool) -> str:
    """Text is neutralised; a number is data, so ``-0,27`` stays a number for Excel."""
    text = for_csv(value, excel=excel)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text
    return neutralise(text)


def people_columns(section: Section) -> list[Column]:
    """The columns a table for people shows (Markdown, text, terminal, HTML)."""
    return [column for column in section.columns if column.people]


def _people_rows(section: Section) -> list[list[str]]:
    columns = people_columns(section)
    return [[people_cell(row, column) for column in columns] for row in section.rows]


def people_cell(row: dict[str, Any], column: Column) -> str:
    """A cell's text for people: German numbers, months and dates; ``column.empty`` for none."""
    value = cell(row, column.key)
    if value is None:
        return column.empty
    if isinstance(value, float):
        return german.decimal(value, column.places)
    return for_people(value)


def write_markdown(report: Report, stream: TextIO) -> None:
    lines = [f"# {markdown_text(report.title)}", ""]
    for text in report.heading_lines():
        lines += [markdown_text(text), ""]
    for section in people_sections(report):
        lines += [f"## {markdown_text(section.title)}", ""]
        for paragraph in section.paragraphs:
            lines += [markdown_text(paragraph), ""]
        if not section.columns:
            continue
        if not section.rows:
            lines += [markdown_text(section.empty_text), ""]
            continue
        columns = people_columns(section)
        lines.append(_md_row(column.label for column in columns))
        lines.append(_md_row("---" for _ in columns))
        lines += [_md_row(cells) for cells in _people_rows(section)]
        lines.append("")
    stream.write("\n".join(lines))


def _md_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(markdown_cell(cell) for cell in cells) + " |"


def write_plain(report: Report, stream: TextIO) -> None:
    lines = [report.title, *report.description]
    for section in people_sections(report):
        if not section.columns:
            lines += ["", section.title, *section.paragraphs]
            continue
        lines += ["", f"{section.title} ({len(section.rows)})", *section.paragraphs]
        if not section.rows:
            lines.append(f"  {section.empty_text}")
            continue
        labels = [column.label for column in people_columns(section)]
        table = [labels, *_terminal_rows(section)]
        widths = [max(len(row[i]) for row in table) for i in range(len(labels))]
        for index, row in enumerate(table):
            lines.append(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
    stream.write("\n".join(visible(line) for line in lines) + "\n")


def _terminal_rows(section: Section) -> list[list[str]]:
    return [[terminal_cell(text) for text in row] for row in _people_rows(section)]


def write_rich(report: Report, stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream)
    console.print(f"[bold]{_escape(report.title)}[/bold]")
    for text in report.description:
        console.print(_escape(text))
    for section in people_sections(report):
        console.print()
        if not section.columns:
            console.print(f"[bold]{_escape(section.title)}[/bold]")
        for paragraph in section.paragraphs:
            console.print(_escape(paragraph))
        if not section.columns:
            continue
        if not section.rows:
            console.print(f"[bold]{_escape(section.title)}[/bold]: {_escape(section.empty_text)}")
            continue
        table = Table(title=_escape(f"{section.title} ({len(section.rows)})"), title_justify="left")
        for column in people_columns(section):
            table.add_column(column.label, overflow="fold")
        for cells in _terminal_rows(section):
            table.add_row(*(_escape(cell) for cell in cells))
        console.print(table)


def _escape(text: str) -> str:
    """Rich markup escaped, and no control character reaches the terminal."""
    from rich.markup import escape

    return escape(visible(text))
