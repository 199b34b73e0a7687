"""Spreadsheets for people, from real ``qa report`` runs on the shipped data and the second city:
XLSX sheets with short whole-phrase names that the first sheet refers to, amounts as numbers in €
format, dates as dates, example data marked on every sheet; ``--excel`` CSV as the wide table
people read, the tidy CSV for scripts read back whole by Python's ``csv``."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from qa_cli.render.xlsx import SHEET_NAME_MAX
from tests.conftest import REPO, run_qa

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SECOND_CITY = REPO / "tests" / "fixtures" / "zweite-stadt" / "data"
PAPERS = {
    "quartal": ["quartal", "2020-Q4"],
    "entscheidung": ["entscheidung", "--runde", "2020"],
    "zweite-quartal": ["quartal", "2030-Q4", "--data", str(SECOND_CITY)],
    "zweite-entscheidung": ["entscheidung", "--data", str(SECOND_CITY)],
}
DANGLING = {"und", "oder", "der", "die", "das", "des", "von", "mit", "je", "im", "in", "für"}
REFERENCE = re.compile(r"Tabellenblatt „([^“]+)“")


def workbook(args: list[str], tmp_path: Path) -> Workbook:
    from openpyxl import load_workbook

    target = tmp_path / "bericht.xlsx"
    result = run_qa("report", *args, "-o", str(target))
    assert result.code == 0, result.text
    return load_workbook(target)


def header(sheet: Worksheet) -> tuple[int, list[str]]:
    """The header row's number (below an example notice) and its labels."""
    top = 2 if str(sheet["A1"].value).startswith("BEISPIEL") else 1
    return top, [str(cell.value) for cell in sheet[top]]


@pytest.mark.parametrize("paper", PAPERS)
def test_sheet_names_are_short_whole_phrases_the_overview_uses(paper: str, tmp_path: Path) -> None:
    book = workbook(PAPERS[paper], tmp_path)
    names = book.sheetnames[1:]
    assert names and all(len(name) <= SHEET_NAME_MAX for name in names)
    for name in names:
        assert name.split()[-1].casefold() not in DANGLING, name
        assert name.count("(") == name.count(")"), name  # never cut inside a parenthesis
    overview = "\n".join(str(row[0]) for row in book["Bericht"].iter_rows(values_only=True))
    assert REFERENCE.findall(overview) == names


def test_decision_paper_sheets_are_named_for_people(tmp_path: Path) -> None:
    book = workbook(PAPERS["entscheidung"], tmp_path)
    for name in (
        "Rangfolge",
        "Entscheidungen",
        "Kalibrierung",
        "Kriterien und Gewichte",
        "Bewertungsskala",
    ):
        assert name in book.sheetnames
    assert "Robustheit Anteil von 2.000" not in book.sheetnames


@pytest.mark.parametrize("paper", ["quartal", "entscheidung"])
def test_example_data_is_marked_on_every_sheet(paper: str, tmp_path: Path) -> None:
    book = workbook(PAPERS[paper], tmp_path)
    notice = next(
        str(row[0])
        for row in book["Bericht"].iter_rows(values_only=True)
        if str(row[0]).startswith("BEISPIEL")
    )
    for sheet in book.worksheets:
        page_header = sheet.oddHeader
        assert page_header is not None and page_header.center.text == "BEISPIELDATEN"
        assert sheet.sheet_properties.tabColor is not None
    for sheet in book.worksheets[1:]:
        assert sheet["A1"].value == notice, sheet.title
        top, _ = header(sheet)
        assert top == 2 and sheet.freeze_panes == "A3"


@pytest.mark.parametrize("paper", ["zweite-quartal", "zweite-entscheidung"])
def test_real_data_carries_no_example_mark(paper: str, tmp_path: Path) -> None:
    """The second city's requests are not examples: tables start in row 1, no mark."""
    book = workbook(PAPERS[paper], tmp_path)
    for sheet in book.worksheets[1:]:
        assert header(sheet)[0] == 1 and sheet.freeze_panes == "A2"
        assert sheet.sheet_properties.tabColor is None
        assert not any("(Beispieldaten)" in label for label in header(sheet)[1])


def test_amounts_are_numbers_in_euro_format(tmp_path: Path) -> None:
    book = workbook(PAPERS["entscheidung"], tmp_path)
    sheet = book["Rangfolge"]
    top, labels = header(sheet)
    for label in ("Betrag", "Rest"):
        cells = [row[labels.index(label)] for row in sheet.iter_rows(min_row=top + 1)]
        assert cells and all(cell.data_type == "n" for cell in cells)
        assert all("€" in cell.number_format for cell in cells)
    assert sheet.cell(top + 1, labels.index("Betrag") + 1).value == 24000
    budget = workbook(PAPERS["quartal"], tmp_path)["Interimsbudget"]
    top, labels = header(budget)
    amount = budget.cell(top + 1, labels.index("Budget") + 1)
    assert amount.value == 60000 and "€" in amount.number_format


def test_dates_are_dates(tmp_path: Path) -> None:
    sheet = workbook(PAPERS["quartal"], tmp_path)["Kennzahlen (lange Form)"]
    top, labels = header(sheet)
    begin = sheet.cell(top + 1, labels.index("Beginn") + 1).value
    assert begin == datetime(2020, 10, 1)  # a date cell (openpyxl reads it back as datetime)


@pytest.mark.parametrize(("paper", "example"), [("quartal", True), ("zweite-quartal", False)])
def test_excel_csv_is_the_wide_table_with_german_labels(paper: str, example: bool) -> None:
    result = run_qa("report", *PAPERS[paper], "-f", "csv", "--excel")
    assert result.code == 0, result.text
    rows = list(csv.reader(io.StringIO(result.out.lstrip("\ufeff"), newline=""), delimiter=";"))
    text = result.out
    for code in ("ueberbrueckt", "ende_unbekannt", "interimsbudget", "budget_eur"):
        assert code not in text
    assert rows[0][0].startswith("Quartalsbericht")
    assert rows[1][0].startswith("BEISPIEL") is example
    headers = [row for row in rows if row[:2] == ["Gruppe", "gefördert"]]
    assert len(headers) == 4  # all offices, by area, by operator, by funding programme
    assert all(row[-1].endswith("(Beispieldaten)") is example for row in headers)


@pytest.mark.parametrize("paper", PAPERS)
def test_tidy_csv_reads_back_whole(paper: str) -> None:
    result = run_qa("report", *PAPERS[paper], "-f", "csv")
    assert result.code == 0, result.text
    rows = list(csv.reader(io.StringIO(result.out, newline="")))
    assert len(rows) > 1 and {len(row) for row in rows} == {len(rows[0])}


def test_tidy_quarterly_csv_marks_example_rows() -> None:
    result = run_qa("report", *PAPERS["quartal"], "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    budget = [row for row in rows if row["gruppe"] == "interimsbudget"]
    assert budget and all(row["beispiel"] == "Ja" for row in budget)
    counted = [row for row in rows if row["kennzahl"] == "aktiv"]
    assert counted and all(row["beispiel"] == "Nein" for row in counted)
