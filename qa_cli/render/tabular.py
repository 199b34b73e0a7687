"""Render a ``Report`` as a terminal table, plain text, CSV, JSON or Markdown.

``table`` is a Rich table on a terminal and plain aligned text when piped (so ``grep``/``awk``
see no box characters); ``csv`` is tidy (one row per record, stable ASCII column names, a leading
``abschnitt`` column when a report has several sections); ``json`` is one object holding an array
per section; ``md`` is GitHub-flavoured Markdown.
"""

from __future__ import annotations

import csv
import functools
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

from qa_cli import german
from qa_cli.render.escape import markdown_cell, markdown_text, terminal_cell, visible
from qa_cli.render.json_document import write_json_document
from qa_cli.render.report import Column, Report, Section, cell
from qa_cli.render.values import for_csv, for_json, for_people

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    md = "md"


def render(
    report: Report, fmt: ListFormat, out: TextIO | None = None, *, wide: bool = False
) -> None:
    """``wide``: a terminal table shows every column (piped text always does)."""
    stream = out or sys.stdout
    if fmt is ListFormat.json:
        write_json(report, stream)
    elif fmt is ListFormat.csv:
        write_csv(report, stream)
    elif fmt is ListFormat.md:
        write_markdown(report, stream)
    elif stream.isatty():
        write_rich(report, stream, wide=wide)
    else:
        write_plain(report, stream)


def write_json(report: Report, stream: TextIO) -> None:
    document: dict[str, Any] = {"titel": report.title, "beschreibung": report.description}
    if report.stand is not None:
        from qa_cli.render.stamp import stamp_json

        document["datenstand"] = stamp_json(report.stand)
    document.update(for_json(report.meta))
    for section in report.sections:
        rows = (for_json(row) for row in section.rows)  # converted as they are written
        document[section.key] = rows if section.columns else section.paragraphs
    write_json_document(document, stream)


def neutralise(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(report: Report, stream: TextIO) -> None:
    """Tidy CSV for scripts: one row per record, ASCII column names, ``abschnitt`` in front when
    several sections share the columns."""
    sections = [section for section in report.sections if section.in_csv and section.columns]
    several = len(sections) > 1
    columns = sections[0].columns if sections else []
    writer = csv.writer(_RowEnds(stream, "\n"))
    writer.writerow((["abschnitt"] if several else []) + [column.key for column in columns])
    for section in sections:
        for row in section.rows:
            cells = [_csv_cell(cell(row, column.key)) for column in columns]
            writer.writerow(([section.key] if several else []) + cells)


def write_excel_csv(report: Report, stream: TextIO) -> None:
    """CSV for German Excel (``;``, rows ending ``\\r\\n``; the caller adds the byte-order mark)
    holding what Markdown and HTML show: the title and description, then per section its title,
    its text and its table for people (German labels and numbers, names, ``k.A.``)."""
    writer = csv.writer(_RowEnds(stream, "\r\n"), delimiter=";")
    writer.writerows([[neutralise(line)] for line in [report.title, *report.heading_lines()]])
    for section in people_sections(report):
        writer.writerow([])
        heading = f"{section.title} ({len(section.rows)})" if section.columns else section.title
        writer.writerow([neutralise(heading)])
        writer.writerows([neutralise(paragraph)] for paragraph in section.paragraphs)
        if not section.columns:
            continue
        if not section.rows:
            writer.writerow([neutralise(section.empty_text)])
            continue
        columns = people_columns(section)
        writer.writerow([neutralise(column.label) for column in columns])
        writer.writerows([_excel_cell(row, column) for column in columns] for row in section.rows)


class _RowEnds:
    """Lets ``csv`` end rows with ``\\r\\n`` (so it quotes every cell holding a CR or LF, which
    it does not for a bare CR when rows end with ``\\n``), then writes the ending asked for."""

    def __init__(self, stream: TextIO, ending: str) -> None:
        self._stream, self._ending = stream, ending

    def write(self, row: str) -> int:
        return self._stream.write(row.removesuffix("\r\n") + self._ending)


def people_sections(report: Report) -> list[Section]:
    return [section for section in report.sections if section.for_people]


def _csv_cell(value: Any) -> str:
    """Text is neutralised; a number is data, so ``-0.27`` stays a number."""
    if type(value) is str:  # most cells of a long listing
        return neutralise(value)
    return for_csv(value) if _is_number(value) else neutralise(for_csv(value))


def _excel_cell(row: dict[str, Any], column: Column) -> str:
    """As people read it (``24.000``, ``-0,27``, ``12/2020``), which German Excel takes as the
    number or date it is; text is neutralised, a number is not."""
    text = people_cell(row, column)
    return text if _is_number(cell(row, column.key)) else neutralise(text)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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
    for line in _plain_lines(report):  # written as made: 100,000 rows need no text of all
        stream.write(visible(line) + "\n")


def _plain_lines(report: Report) -> Iterator[str]:
    yield report.title
    yield from report.description
    for section in people_sections(report):
        if not section.columns:
            yield from ["", section.title, *section.paragraphs]
            continue
        yield from ["", f"{section.title} ({len(section.rows)})", *section.paragraphs]
        if not section.rows:
            yield f"  {section.empty_text}"
            continue
        labels = [column.label for column in people_columns(section)]
        table = [labels, *_terminal_rows(section)]
        widths = [max(len(row[i]) for row in table) for i in range(len(labels))]
        for index, row in enumerate(table):
            yield "  ".join(
                cell.ljust(width) for cell, width in zip(row, widths, strict=True)
            ).rstrip()
            if index == 0:
                yield "  ".join("-" * width for width in widths)


def _terminal_rows(section: Section) -> list[list[str]]:
    shown = functools.cache(terminal_cell)  # 100,000 rows repeat the same few texts
    return [[shown(text) for text in row] for row in _people_rows(section)]


def write_rich(report: Report, stream: TextIO, *, wide: bool = False) -> None:
    """Tables that fit the terminal: words wrap at spaces, a word too long for any width is
    shortened with "…" (never broken mid-word); ``wide`` shows also the columns a compact table
    leaves out (``Column.compact``), and a table that cannot fit becomes one block per row."""
    from rich.console import Console

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
        _print_table(console, section, wide)


def _print_table(console: Console, section: Section, wide: bool) -> None:
    columns = people_columns(section)
    keep = [index for index, column in enumerate(columns) if wide or column.compact]
    labels = [columns[index].label for index in keep]
    rows = [[row[index] for index in keep] for row in _terminal_rows(section)]
    hidden = [column.label for index, column in enumerate(columns) if index not in keep]
    title = f"{section.title} ({len(section.rows)})"
    caption = f"Ausgeblendet: {', '.join(hidden)}; alle Spalten mit --breit." if hidden else None
    for light in (False, True):
        spacing = 2 * (len(labels) - 1) if light else 3 * len(labels) + 1
        widths = fit_widths([labels, *rows], console.width - spacing)
        if widths is not None:
            console.print(
                _table(title, caption, light, dict(zip(labels, widths, strict=True)), rows)
            )
            return
    _print_records(console, title, labels, rows, caption)


def _table(
    title: str, caption: str | None, light: bool, widths: dict[str, int], rows: list[list[str]]
) -> Table:
    """A bordered table, or ``light``: columns two spaces apart, a rule under the header."""
    from rich import box
    from rich.table import Table

    table = Table(
        title=_escape(title),
        title_justify="left",
        caption=caption and _escape(caption),
        caption_justify="left",
        box=box.SIMPLE_HEAD if light else box.HEAVY_HEAD,
        show_edge=not light,
        pad_edge=not light,
        collapse_padding=light,
    )
    for label, width in widths.items():
        table.add_column(_escape(label), width=width, overflow="ellipsis")
    for cells in rows:
        table.add_row(*(_escape(text) for text in cells))
    return table


def _print_records(
    console: Console, title: str, labels: list[str], rows: list[list[str]], caption: str | None
) -> None:
    """One block of "Spalte: Wert" lines per row, for a terminal too narrow for any table."""
    console.print(f"[bold]{_escape(title)}[/bold]")
    for cells in rows:
        console.print()
        for label, text in zip(labels, cells, strict=True):
            console.print(f"[bold]{_escape(label)}:[/bold] {_escape(text)}", overflow="ellipsis")
    if caption:
        console.print(_escape(caption))


SHORTEST_WORD = 20  # a long word (an id) is shortened to no fewer cells, "…" included


def fit_widths(table: list[list[str]], room: int) -> list[int] | None:
    """Column widths for the cells of ``table`` (header first) within ``room`` terminal cells:
    each column as wide as its longest line when all fit, else as wide as its longest word (so
    lines break only at spaces) plus a share of the room left; the longest words are shortened
    (with "…") to ``SHORTEST_WORD`` when even the words do not fit. ``None``: no fit."""
    count = len(table[0])
    longest = [max(_cells(row[i]) for row in table) for i in range(count)]
    if sum(longest) <= room:
        return longest
    widths = [max(1, *(_longest_word(row[i]) for row in table)) for i in range(count)]
    while sum(widths) > room:
        widest = widths.index(max(widths))
        if widths[widest] <= SHORTEST_WORD:
            return None
        widths[widest] -= 1
    for _ in range(room - sum(widths)):
        missing = [whole - now for whole, now in zip(longest, widths, strict=True)]
        widths[missing.index(max(missing))] += 1
    return widths


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.splitlines()), default=0)


def _longest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(word) for word in text.split()), default=0)


def write_lines(lines: list[str], stream: TextIO) -> None:
    """Lines of text; on a terminal each wraps at spaces to its width, continued under its own
    indent (a line the terminal wrapped itself would break mid-word); piped, as they are."""
    if not stream.isatty():
        stream.write("\n".join(lines) + "\n")
        return
    import shutil
    import textwrap

    width = shutil.get_terminal_size().columns
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip(" ")) + 2)
        wrapped = textwrap.wrap(
            line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
        )
        stream.write("\n".join(wrapped or [""]) + "\n")


def _escape(text: str) -> str:
    """Rich markup escaped, and no control character reaches the terminal."""
    from rich.markup import escape

    return escape(visible(text))
