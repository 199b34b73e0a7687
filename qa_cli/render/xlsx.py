"""Render a ``Report`` as an Excel workbook (openpyxl) for the staff who work in Excel.

A first sheet "Bericht" holds the title, the description and the text of every section, naming
the sheet of each table; then one sheet per table: a bold header row, frozen below the header, an
autofilter, and typed cells, so Excel sorts, filters and sums without conversion:

- ``int``/``float``: numbers (an amount, ``Column.euro``, with the format ``#,##0 "€"``; a
  percentage stays the number people read, ``12,5``, formatted with ``column.places`` decimals);
- ``date``: an Excel date shown ``31.12.2020``; a ``Month`` (and a ``MonthRange`` of one month):
  the month's first day shown ``12/2020``; a half-year (``1. Halbjahr 2021``) stays text;
- ``bool``: "Ja"/"Nein"; lists: joined with ", "; unknown (``None``): an empty cell.

Every text is written as text, never as a formula, even when it begins with ``=``, ``+``, ``-``,
``@``, a tab or CR (the cell also carries Excel's quote prefix, so editing it keeps it text).
Tables hold every column of a section, also those only CSV has (``people=False``), under their
German labels.

A sheet is named by ``Section.sheet``, else by the title's first clause (``Kennzahlen (eine Zeile
je …)`` → ``Kennzahlen``), whole words only, at most 31 characters. A report with example data
(a description line beginning ``BEISPIEL``) says so on every sheet: the notice above the header,
in the printed page header and as an orange sheet tab.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from qa_cli.months import Month, MonthRange
from qa_cli.render.report import Column, Report, Section, cell
from qa_cli.render.tabular import FORMULA_STARTS
from qa_cli.render.values import for_people

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

EURO_FORMAT = '#,##0 "€"'
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "DD.MM.YYYY"
MONTH_FORMAT = "MM\\/YYYY"  # "\/": a literal slash; a bare "/" is the locale's date separator
TEXT_FORMAT = "@"
OVERVIEW = "Bericht"
EXAMPLE_PREFIX = "BEISPIEL"
EXAMPLE_COLOUR = "9C5700"
SHEET_NAME_MAX = 31
CELL_TEXT_MAX = 32767  # Excel's limit for one cell
MIN_WIDTH, MAX_WIDTH = 6, 60
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CLAUSE_END = re.compile(r":\s|\s\(|\s[–—-]\s")
# words a shortened name must not end with (it would read as cut off)
_DANGLING_WORDS = (
    "und oder der die das des dem den ein eine einer mit von vom im in je für zu zur zum bei "
    "auf an am aus nach ohne über unter"
)
_DANGLING = frozenset(_DANGLING_WORDS.split())


def write_xlsx(report: Report, path: Path | IO[bytes]) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    overview = workbook.active
    assert overview is not None  # a new workbook has one sheet
    overview.title = OVERVIEW
    tables = [section for section in report.sections if section.columns]
    names = _sheet_names([section.sheet or short_title(section.title) for section in tables])
    notice = example_notice(report)
    _write_overview(overview, report, dict(zip(map(id, tables), names, strict=True)))
    if notice:
        _mark_example(overview)
    for section, name in zip(tables, names, strict=True):
        _write_table(workbook.create_sheet(name), section, notice)
    _set_properties(workbook, report)
    workbook.save(path)


def _set_properties(workbook: Workbook, report: Report) -> None:
    workbook.properties.title = report.title
    workbook.properties.creator = "qa"
    workbook.properties.language = "de-DE"


def example_notice(report: Report) -> str | None:
    """The report's example notice (its description line beginning ``BEISPIEL``), if any."""
    return next((line for line in report.description if line.startswith(EXAMPLE_PREFIX)), None)


def short_title(title: str) -> str:
    """The title up to its first clause break (``:``, `` (``, a dash), when that
    leaves a name; the details stay in the overview and the sheet."""
    head = _CLAUSE_END.split(title, maxsplit=1)[0].strip()
    return head or title


def sheet_name(title: str) -> str:
    """A valid sheet name: no ``[]:*?/\\``, no apostrophe at either end, at most 31 chars."""
    name = _BAD_SHEET_CHARS.sub(" ", _CONTROL_CHARS.sub("", title))
    name = re.sub(r"\s+", " ", name).strip().strip("'").strip()
    return _shorten(name, SHEET_NAME_MAX) or "Tabelle"


def _shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters of whole words, never ending on "und", "der", "von" …;
    a first word longer than ``limit`` is cut (nothing else fits)."""
    if len(text) <= limit:
        return text
    words = text[: limit + 1].split(" ")[:-1] or [text[:limit]]
    while len(words) > 1 and words[-1].casefold() in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(" ,;:(-–'")


def _sheet_names(titles: list[str]) -> list[str]:
    """Unique names (Excel compares them without case), never the overview's."""
    taken = {OVERVIEW.casefold()}
    names = []
    for title in titles:
        base = sheet_name(title)
        name, number = base, 1
        while name.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            name = _shorten(base, SHEET_NAME_MAX - len(suffix)) + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _write_overview(sheet: Worksheet, report: Report, names: dict[int, str]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.column_dimensions["A"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")
    _text(_cell(sheet, row=1, column=1), report.title).font = Font(bold=True, size=14)
    row = 2
    for line in report.heading_lines():
        target = _text(_cell(sheet, row=row, column=1), line)
        target.alignment = wrap
        if line.startswith(EXAMPLE_PREFIX):
            target.font = Font(bold=True, color=EXAMPLE_COLOUR)
        row += 1
    for section in report.sections:
        row += 1
        heading = section.title
        if section.columns:
            heading += f" ({len(section.rows)}) – Tabellenblatt „{names[id(section)]}“"
        _text(_cell(sheet, row=row, column=1), heading).font = Font(bold=True)
        row += 1
        for paragraph in section.paragraphs:
            _text(_cell(sheet, row=row, column=1), paragraph).alignment = wrap
            row += 1
        if section.columns and not section.rows:
            _text(_cell(sheet, row=row, column=1), section.empty_text)
            row += 1


def _mark_example(sheet: Worksheet) -> None:
    """Example data, seen on screen (an orange tab) and on paper (the page header)."""
    sheet.sheet_properties.tabColor = EXAMPLE_COLOUR
    for header in (sheet.oddHeader, sheet.evenHeader):
        assert header is not None  # openpyxl makes both
        header.center.text = "BEISPIELDATEN"


def _write_table(sheet: Worksheet, section: Section, notice: str | None) -> None:
    """The table from row 1, or from row 2 below the example notice."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8ECF0")
    top = 1
    if notice:
        _mark_example(sheet)
        _text(_cell(sheet, row=1, column=1), notice).font = Font(bold=True, color=EXAMPLE_COLOUR)
        top = 2
    widths = []
    for index, column in enumerate(section.columns, start=1):
        header = _text(_cell(sheet, row=top, column=index), column.label)
        header.font, header.fill = bold, fill
        header.alignment = Alignment(wrap_text=True, vertical="top")
        widths.append(len(column.label))
    for row_index, row in enumerate(section.rows, start=top + 1):
        for index, column in enumerate(section.columns, start=1):
            shown = _write_value(
                _cell(sheet, row=row_index, column=index), cell(row, column.key), column
            )
            widths[index - 1] = max(widths[index - 1], len(shown))
    for index, width in enumerate(widths, start=1):
        clamped = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = clamped
    last = get_column_letter(len(section.columns))
    sheet.freeze_panes = f"A{top + 1}"
    sheet.auto_filter.ref = f"A{top}:{last}{len(section.rows) + top}"
    _print_setup(sheet, wide=len(section.columns) > 6, header=top)


def _print_setup(sheet: Worksheet, *, wide: bool, header: int) -> None:
    """A4, the header row on every page, as wide as one page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if wide else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header}:{header}"


def _cell(sheet: Worksheet, row: int, column: int) -> Cell:
    from openpyxl.cell.cell import Cell

    target = sheet.cell(row=row, column=column)
    assert isinstance(target, Cell)  # qa merges no cells
    return target


def _write_value(target: Cell, value: Any, column: Column) -> str:
    """Write ``value`` typed; return roughly what Excel shows (for the column width)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "Ja" if value else "Nein"
    if isinstance(value, int | float):
        target.value = value
        target.number_format = _number_format(value, column)
        return for_people(value) + (" €" if column.euro else "")
    if isinstance(value, MonthRange) and value.exact:
        value = value.first
    if isinstance(value, Month):
        target.value = value.first_day()
        target.number_format = MONTH_FORMAT
        return "12/2020"
    if isinstance(value, date):
        target.value = value
        target.number_format = DATE_FORMAT
        return "31.12.2020"
    shown = for_people(value)
    _text(target, shown)
    return shown


def _number_format(value: int | float, column: Column) -> str:
    if column.euro:
        return EURO_FORMAT
    if isinstance(value, int) or column.places <= 0:
        return INTEGER_FORMAT
    return f"{INTEGER_FORMAT}.{'0' * column.places}"


def _text(target: Cell, text: str) -> Cell:
    """Write ``text`` as text: never a formula, control characters dropped, within Excel's limit."""
    clean = _CONTROL_CHARS.sub("", text)[:CELL_TEXT_MAX]
    target.value = clean
    target.data_type = "s"  # openpyxl would take a leading "=" as a formula
    if clean.startswith(FORMULA_STARTS):
        target.quotePrefix = True
    return target
