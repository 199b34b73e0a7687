"""Every ``qa report`` in every format: md, html, csv (also for German Excel), json and xlsx.

The HTML pages are also loaded in a real headless Chromium (``tests/browser.py``): no console
errors, no requests, the tables are there, and a screenshot is taken.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from qa_cli.months import Month, MonthRange
from qa_cli.render.output import ReportFormat, write_report
from qa_cli.render.report import Column, Report, Section
from tests import browser
from tests.conftest import REPO, Run, run_qa

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# Every ``qa report`` command with the arguments it needs; a new report belongs here
# (test_every_report_is_covered fails until it is).
REPORTS: dict[str, list[str]] = {
    "anlaufstellen": [],
    "quartal": ["2020-Q4"],
    "entscheidung": ["--runde", "2020"],
    # the shipped round records no grant; the second city's does
    "mitteilung": [
        "2021-jugendbuero-ziegelei",
        "--data",
        str(REPO / "tests" / "fixtures" / "zweite-stadt" / "data"),
    ],
    "profil": ["altstadt"],
    "karte": ["--farbe", "ende", "--today", "2020-12-01"],
    "fonds-sitzung": ["stadtteilfonds", "--frist", "ohne"],
    "fonds-beschluesse": ["stadtteilfonds", "--frist", "ohne"],
    "fonds-projekte": [],
    "fonds-jahresbericht": ["stadtteilfonds"],
}
ONLY = {"karte": ("html",)}  # a report whose content fits only some formats (an SVG map)
DECISION_PAPER = "entscheidung"
FORMATS = [fmt.value for fmt in ReportFormat if fmt is not ReportFormat.pdf]  # pdf: test_pdf.py
OFFICES = 21
PUBLIC_CSV_COLUMNS = [
    "name",
    "traeger",
    "gebiet",
    "ausrichtung",
    "schwerpunkte",
    "kooperationspartner",
    "laufzeit",
    "hinweise",
    "id",
]
BOM = b"\xef\xbb\xbf"
INJECTION = ["=SUMME(A1:A9)", "+49 2041 123", "-1+2", "@heute", "\tTab", "\rZeilenanfang"]


# --- a small report with every kind of value ---------------------------------------------------


def sample_report() -> Report:
    columns = [
        Column("id", "Kennung"),
        Column("betrag", "Betrag €", euro=True),
        Column("stichtag", "Stichtag"),
        Column("ende", "Ende"),
        Column("ungefaehr", "Ende ungefähr"),
        Column("anteil", "Anteil (%)"),
        Column("z", "z-Wert", places=2),
        Column("aktiv", "aktiv"),
        Column("traeger", "Träger"),
        Column("notiz", "Notiz"),
    ]
    rows: list[dict[str, Any]] = [
        {
            "id": "stadtteilbuero",
            "betrag": 25000,
            "stichtag": date(2020, 12, 31),
            "ende": Month(2020, 12),
            "ungefaehr": MonthRange(Month(2021, 1), Month(2021, 6)),
            "anteil": 12.5,
            "z": -0.27,
            "aktiv": True,
            "traeger": ["AWO", "DRK"],
            "notiz": "=SUMME(A1:A9)",
        },
        {
            "id": "familienort",
            "betrag": None,
            "stichtag": None,
            "ende": MonthRange(Month(2021, 3), Month(2021, 3)),
            "ungefaehr": None,
            "anteil": None,
            "z": 1.5,
            "aktiv": False,
            "traeger": [],
            "notiz": "@heute",
        },
    ]
    return Report(
        title="Beispielbericht",
        description=["BEISPIEL: erfundene Zahlen.", "Zweite Zeile der Beschreibung."],
        sections=[
            Section("foerderungen", "Förderungen: [alle]", columns, rows, paragraphs=["Vorweg."]),
            Section("leer", "Leere Liste", [Column("id", "Kennung")], [], empty_text="Nichts."),
            Section("text", "Erläuterung", [], [], paragraphs=["Nur Text, keine Tabelle."]),
        ],
    )


# --- parsing helpers ---------------------------------------------------------------------------

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "source", "wbr"}


class Page(HTMLParser):
    """Start tags with attributes, text, and a check that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> schließt {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse_html(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    assert not page.errors and not page.stack, (page.errors, page.stack)
    return page


def check_html(text: str) -> Page:
    """What every page must be: German, self-contained, accessible tables, no scripts."""
    page = parse_html(text)
    assert page.doctype.lower() == "doctype html"
    (html,) = page.all("html")
    assert html["lang"] == "de"
    assert any((attrs.get("charset") or "").lower() == "utf-8" for attrs in page.all("meta"))
    assert page.all("title") and page.all("h1") and len(page.all("style")) == 1
    assert "<script" not in text.lower() and not page.all("link")
    for name, attrs in page.tags:  # nothing is loaded: no src=, no external href=
        assert "src" not in attrs, (name, attrs)
        assert not (attrs.get("href") or "#").lower().startswith(("http:", "https:", "//")), attrs
    assert "@import" not in text and "url(" not in text
    assert len(page.all("table")) == len(page.all("caption")) == len(page.all("thead"))
    assert all(attrs.get("scope") == "col" for attrs in page.all("th"))
    return page


def header_row(sheet: Worksheet) -> int:
    """1, or 2 below the example notice of a report with example data."""
    return 2 if str(sheet["A1"].value).startswith("BEISPIEL") else 1


def by_header(sheet: Worksheet, row: int) -> dict[str, Cell]:
    """The cells of ``row`` under the labels of the header row."""
    from openpyxl.cell.cell import Cell

    labels = [str(cell.value) for cell in sheet[header_row(sheet)]]
    cells = [cell for cell in sheet[row] if isinstance(cell, Cell)]
    return dict(zip(labels, cells, strict=True))


def xlsx_is_valid(path: Path) -> None:
    from openpyxl import load_workbook

    assert path.read_bytes()[:2] == b"PK"
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "Bericht"
    for sheet in workbook.worksheets[1:]:
        top = header_row(sheet)
        assert sheet.freeze_panes == f"A{top + 1}" and sheet.auto_filter.ref
        assert all(cell.font.b for cell in sheet[top])
        assert len(sheet.title) <= 31


# --- qa report anlaufstellen in every format ---------------------------------------------------


def check_public_list(fmt: str, path: Path) -> None:
    """The content of ``qa report anlaufstellen`` in ``fmt``, written to ``path``."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(path.read_bytes()))  # any ending
        assert workbook.sheetnames == ["Bericht", "Anlaufstellen"]
        sheet = workbook["Anlaufstellen"]
        labels = [cell.value for cell in sheet[1]]
        assert labels[:2] == ["Anlaufstelle", "Träger"] and labels[-1] == "Kennung"
        assert sheet.max_row == OFFICES + 1
        assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
        ends = [cell.value for cell in sheet["G"][1:]]
        assert datetime(2020, 12, 1) in ends  # "Gefördert bis" 12/2020 is a month, as a date
        return
    text = path.read_text(encoding="utf-8")
    if fmt == "md":
        assert text.startswith("# Anlaufstellen der Quartiersarbeit")
        assert "| Anlaufstelle | Träger | Stadtteil/Quartier |" in text
        assert text.count("| Stadtteilbüro Batenbrock | AGSB |") == 1
    elif fmt == "json":
        records = json.loads(text)["anlaufstellen"]
        assert len(records) == OFFICES and all(r["id"] and r["name"] for r in records)
    elif fmt == "csv":
        reader = csv.reader(io.StringIO(text))
        header, *rows = list(reader)
        assert header == PUBLIC_CSV_COLUMNS and len(rows) == OFFICES
        assert not text.startswith("\ufeff")
    else:
        page = check_html(text)
        assert len(page.all("table")) == 1 and len(page.all("tr")) == OFFICES + 1
        assert "Stadtteilbüro Batenbrock" in page.text  # a text node of its own


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_file_ending_picks_the_format(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"bericht.{fmt}"
    result = run_qa("report", "anlaufstellen", "-o", str(target))
    assert result.code == 0, result.text
    assert result.out == "" and f"Geschrieben: {target}" in result.err
    check_public_list(fmt, target)


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_option(fmt: str, tmp_path: Path) -> None:
    if fmt == "xlsx":  # binary: only into a file; --format wins over the ending
        target = tmp_path / "bericht.daten"
        result = run_qa("report", "anlaufstellen", "--format", "XLSX", "-o", str(target))
        assert result.code == 0, result.text
    else:
        target = tmp_path / f"stdout.{fmt}"
        result = run_qa("report", "anlaufstellen", "--format", fmt)
        assert result.code == 0, result.text
        target.write_text(result.out, encoding="utf-8")
    check_public_list(fmt, target)


def test_unknown_ending_is_a_usage_error(tmp_path: Path) -> None:
    result = run_qa("report", "anlaufstellen", "-o", str(tmp_path / "bericht.txt"))
    assert result.code == 2 and "Traceback" not in result.text
    assert "Aus der Endung von „bericht.txt“ folgt kein Format" in result.err
    assert "--format angeben" in result.err
    assert not (tmp_path / "bericht.txt").exists()


def test_xlsx_needs_a_file() -> None:
    result = run_qa("report", "anlaufstellen", "-f", "xlsx")
    assert result.code == 2 and result.out == ""
    assert "XLSX ist binär: bitte mit -o DATEI.xlsx in eine Datei schreiben" in result.err


def test_unknown_format_is_a_usage_error() -> None:
    result = run_qa("report", "anlaufstellen", "-f", "odt")
    assert result.code == 2 and "„odt“ ist für --format nicht erlaubt" in result.err


# --- CSV for German Excel -----------------------------------------------------------------------


def excel_table(text: str, heading: str, paragraphs: int = 0) -> list[list[str]]:
    """The rows of the table under ``heading`` (after its ``paragraphs``) in a CSV for Excel,
    header first."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    start = next(i for i, row in enumerate(rows) if row and row[0].startswith(heading + " ("))
    end = next((i for i in range(start, len(rows)) if not rows[i]), len(rows))
    return rows[start + 1 + paragraphs : end]


def test_csv_for_german_excel_from_the_command(tmp_path: Path) -> None:
    target = tmp_path / "anlaufstellen.csv"
    assert run_qa("report", "anlaufstellen", "-o", str(target), "--excel").code == 0
    raw = target.read_bytes()
    assert raw.startswith(BOM) and raw.count(BOM) == 1
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and text.startswith("Anlaufstellen der Quartiersarbeit\r\n")
    header, *rows = excel_table(text, "Anlaufstellen")
    assert header[:3] == ["Anlaufstelle", "Träger", "Stadtteil/Quartier"]  # the labels people read
    assert len(rows) == OFFICES and all(len(row) == len(header) for row in rows)
    assert ["Stadtteilbüro Batenbrock", "AGSB"] in [row[:2] for row in rows]
    assert "12/2020" in {row[header.index("Gefördert bis")] for row in rows}


def test_excel_csv_of_the_quarterly_report_is_the_wide_table(tmp_path: Path) -> None:
    """The table of the Markdown, not the long form with codes; example figures marked."""
    target = tmp_path / "quartal.csv"
    assert run_qa("report", "quartal", "2020-Q4", "-o", str(target), "--excel").code == 0
    text = target.read_bytes().decode("utf-8-sig")
    assert "ueberbrueckt" not in text and "ende_unbekannt" not in text
    header, *rows = excel_table(text, "Alle Anlaufstellen")
    assert header[:3] == ["Gruppe", "gefördert", "Förderung endet im Quartal"]
    assert header[-1] == "durch Interimsfinanzierung überbrückt (Beispieldaten)"
    assert rows == [["alle", "20", "7", "0", "1", "0"]]
    assert text.splitlines()[1].startswith("BEISPIEL")
    header, *rows = excel_table(text, "Interimsbudget (Beispieldaten)")
    assert header == ["Quartal", "Runde", "Budget", "bewilligt", "frei"]
    assert rows == [["2020-Q4", "2020", "60.000", "0", "60.000"]]  # German numbers


def test_csv_excel_german_numbers_and_formula_neutralisation(tmp_path: Path) -> None:
    report = sample_report()
    report.sections[0].rows += [{"id": text, "anteil": 3.5} for text in INJECTION]
    target = tmp_path / "bericht.csv"
    write_report(report, ReportFormat.csv, target, excel=True)
    raw = target.read_bytes()
    assert raw.startswith(BOM)
    header, *rows = excel_table(raw.decode("utf-8-sig"), "Förderungen: [alle]", paragraphs=1)
    table = [dict(zip(header, row, strict=True)) for row in rows]
    first = table[0]
    assert first["Anteil (%)"] == "12,5" and first["z-Wert"] == "-0,27"  # not neutralised
    assert first["Betrag €"] == "25.000" and first["Stichtag"] == "31.12.2020"
    assert first["Ende"] == "12/2020" and first["aktiv"] == "Ja"
    assert first["Träger"] == "AWO, DRK" and first["Notiz"] == "'=SUMME(A1:A9)"
    assert table[1]["Notiz"] == "'@heute" and table[1]["Betrag €"] == "k.A."
    neutralised = [row["Kennung"] for row in table[2:]]
    assert neutralised == ["'" + text for text in INJECTION]
    assert all(row["Anteil (%)"] == "3,5" for row in table[2:])
    assert excel_table(raw.decode("utf-8-sig"), "Leere Liste") == [["Nichts."]]


@pytest.mark.parametrize("command", [["anlaufstellen"], ["quartal", "2020-Q4"], ["entscheidung"]])
def test_plain_csv_reads_back_whole_with_pythons_csv(command: list[str], tmp_path: Path) -> None:
    """Every cell that needs it is quoted: a record with a bare CR or a quote stays one row."""
    result = run_qa("report", *command, "-f", "csv")
    assert result.code == 0, result.text
    rows = list(csv.reader(io.StringIO(result.out, newline="")))
    assert len({len(row) for row in rows}) == 1 and len(rows) > 1


def test_plain_csv_keeps_the_decimal_point(tmp_path: Path) -> None:
    target = tmp_path / "bericht.csv"
    write_report(sample_report(), ReportFormat.csv, target)
    raw = target.read_bytes()
    assert not raw.startswith(BOM)
    first = next(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert first["anteil"] == "12.5" and first["notiz"] == "'=SUMME(A1:A9)"


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_typed_cells_header_and_frozen_panes(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.styles.numbers import is_date_format

    target = tmp_path / "bericht.xlsx"
    report = sample_report()
    report.sections[0].rows.append({"id": "x", "notiz": "\tTab", "traeger": ["+1"]})
    write_report(report, ReportFormat.xlsx, target)
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["Bericht", "Förderungen", "Leere Liste"]
    overview = workbook["Bericht"]
    lines = [row[0] for row in overview.iter_rows(values_only=True)]
    assert lines[:3] == [
        "Beispielbericht",
        "BEISPIEL: erfundene Zahlen.",
        "Zweite Zeile der Beschreibung.",
    ]
    assert "Nur Text, keine Tabelle." in lines and "Vorweg." in lines and "Nichts." in lines
    assert workbook.properties.title == "Beispielbericht"

    sheet = workbook["Förderungen"]
    assert sheet["A1"].value == "BEISPIEL: erfundene Zahlen."  # example data, on every sheet
    page_header = sheet.oddHeader
    assert sheet.sheet_properties.tabColor is not None
    assert page_header is not None and page_header.center.text == "BEISPIELDATEN"
    assert [cell.value for cell in sheet[2]][:3] == ["Kennung", "Betrag €", "Stichtag"]
    assert all(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:J5"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.column_dimensions["A"].width >= len("stadtteilbuero")
    row = by_header(sheet, 3)

    amount = row["Betrag €"]
    assert amount.data_type == "n" and amount.value == 25000
    assert "€" in amount.number_format and "#,##0" in amount.number_format
    day = row["Stichtag"]
    assert day.is_date and day.value == datetime(2020, 12, 31)
    assert day.number_format == "DD.MM.YYYY"
    month = row["Ende"]
    assert month.is_date and month.value == datetime(2020, 12, 1)
    assert is_date_format(month.number_format) and "DD" not in month.number_format
    assert month.number_format.replace("\\", "") == "MM/YYYY"
    assert (
        row["Ende ungefähr"].value == "1. Halbjahr 2021" and row["Ende ungefähr"].data_type == "s"
    )
    assert row["Anteil (%)"].value == 12.5 and row["Anteil (%)"].number_format == "#,##0.0"
    assert row["z-Wert"].value == -0.27 and row["z-Wert"].number_format == "#,##0.00"
    assert row["aktiv"].value == "Ja" and row["Träger"].value == "AWO, DRK"

    second = by_header(sheet, 4)
    assert second["Betrag €"].value is None and second["Stichtag"].value is None
    assert second["Ende"].is_date and second["Ende"].value == datetime(2021, 3, 1)
    assert second["aktiv"].value == "Nein"

    # text that looks like a formula stays text (and keeps Excel's quote prefix)
    for cell, text in ((row["Notiz"], "=SUMME(A1:A9)"), (second["Notiz"], "@heute")):
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    third = by_header(sheet, 5)
    assert third["Notiz"].value == "\tTab" and third["Träger"].value == "+1"
    with zipfile.ZipFile(target) as archive:
        assert not any(
            "<f>" in archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )

    empty = workbook["Leere Liste"]
    assert [cell.value for cell in empty[2]] == ["Kennung"] and empty.max_row == 2
    assert empty.freeze_panes == "A3"
    assert "Förderungen: [alle] (3) – Tabellenblatt „Förderungen“" in lines


def test_xlsx_sheet_names_are_valid_and_unique() -> None:
    from qa_cli.render.xlsx import _sheet_names, sheet_name

    assert sheet_name("Robustheit: a/b [c] *?\\") == "Robustheit a b c"
    assert sheet_name("'zitiert'") == "zitiert" and sheet_name("[]") == "Tabelle"
    names = _sheet_names(["Bericht", "bericht", "A" * 40, "A" * 40])
    assert names[:2] == ["Bericht (2)", "bericht (3)"]
    assert all(len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)


@pytest.mark.parametrize(
    ("title", "sheet"),
    [
        ("Kennzahlen (eine Zeile je Quartal, Gruppe und Kennzahl)", "Kennzahlen"),
        ("Robustheit: Anteil von 2.000 Gewichtsvarianten", "Robustheit"),
        (
            "Beschlossene Entscheidungen und Information des Ausschusses",
            "Beschlossene Entscheidungen",
        ),
        ("Akteure, Netzwerke, Zusammenarbeit", "Akteure, Netzwerke"),  # 34 characters
        ("nach Stadtteil/Quartier", "nach Stadtteil Quartier"),
    ],
)
def test_xlsx_sheet_names_keep_whole_phrases(title: str, sheet: str) -> None:
    from qa_cli.render.xlsx import _sheet_names, short_title

    assert _sheet_names([short_title(title)]) == [sheet]


# --- HTML ---------------------------------------------------------------------------------------


def test_html_page_structure_and_german_cells(tmp_path: Path) -> None:
    target = tmp_path / "bericht.html"
    write_report(sample_report(), ReportFormat.html, target)
    text = target.read_text(encoding="utf-8")
    page = check_html(text)
    assert "@page" in text and "size: A4" in text and "@media print" in text
    assert "thead { display: table-header-group; }" in text and "break-inside: avoid" in text
    (notice,) = [attrs for attrs in page.all("p") if attrs.get("class") == "notice"]
    assert notice.get("role") == "note"
    assert '<p class="notice" role="note">BEISPIEL: erfundene Zahlen.</p>' in text
    assert len(page.all("h2")) == 3  # every section has a heading
    assert len(page.all("table")) == 1  # the empty list shows its empty text, the text section none
    assert '<p class="empty">Nichts.</p>' in text and "<p>Nur Text, keine Tabelle.</p>" in text
    cells = re.findall(r"<td( class=\"num\")?>([^<]*)</td>", text)
    first = [value for _, value in cells[:10]]
    assert first == [
        "stadtteilbuero",
        "25.000 €",  # an amount with its sign (xlsx keeps the number)
        "31.12.2020",
        "12/2020",
        "1. Halbjahr 2021",
        "12,5",
        "-0,27",
        "Ja",
        "AWO, DRK",
        "=SUMME(A1:A9)",
    ]
    numeric = [bool(css) for css, _ in cells[:10]]
    assert numeric == [False, True, False, False, False, True, True, False, False, False]
    second = [value for _, value in cells[10:20]]
    assert second[1:4] == ["k.A.", "k.A.", "03/2021"] and second[8] == "–"
    assert '<th scope="col" class="num">Betrag €</th>' in text


def test_html_is_escaped(tmp_path: Path) -> None:
    report = sample_report()
    report.title = "Bericht <b>fett</b>"
    report.sections[0].rows[0]["id"] = '<script>alert(1)</script> & "x"'
    target = tmp_path / "bericht.html"
    write_report(report, ReportFormat.html, target)
    text = target.read_text(encoding="utf-8")
    assert "<script" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;" in text
    assert "<title>Bericht &lt;b&gt;fett&lt;/b&gt;</title>" in text


def test_other_pages_extend_the_base_template() -> None:
    from qa_cli.render.html import environment

    template = environment().from_string(
        '{% extends "base.html" %}{% block style %}.karte { height: 30rem; }{% endblock %}'
        '{% block content %}<h1>{{ title }}</h1><div class="karte">{{ inhalt }}</div>{% endblock %}'
    )
    text = template.render(title="Karte", inhalt="<svg onload=x>")
    page = check_html(text)
    assert ".karte { height: 30rem; }" in text and "@media print" in text
    assert "&lt;svg onload=x&gt;" in text and "Karte" in "".join(page.text)


# --- every report in every format ---------------------------------------------------------------


def test_every_report_is_covered() -> None:
    import qa_cli.cli.app  # noqa: F401  (registers every report)
    from qa_cli.cli.report import report_app

    names = {
        command.name or (command.callback.__name__ if command.callback else "")
        for command in report_app.registered_commands
    }
    assert names == set(REPORTS), "REPORTS in tests/test_formats.py um neue Berichte ergänzen"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[Run, Path]]:
    """Every report in every format, written with ``-o`` (two at a time: they are processes)."""
    folder = tmp_path_factory.mktemp("berichte")
    jobs = [(name, fmt) for name in REPORTS for fmt in FORMATS]

    def render(job: tuple[str, str]) -> tuple[Run, Path]:
        name, fmt = job
        target = folder / f"{name}.{fmt}"
        return run_qa("report", name, *REPORTS[name], "-o", str(target)), target

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(jobs, pool.map(render, jobs), strict=True))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(REPORTS))
def test_every_report_renders(
    name: str, fmt: str, rendered: dict[tuple[str, str], tuple[Run, Path]]
) -> None:
    result, path = rendered[name, fmt]
    if fmt not in ONLY.get(name, FORMATS):  # refused in German, nothing written
        assert result.code == 2 and "qa: Fehler:" in result.err, result.text
        assert "Traceback" not in result.text and not path.exists()
        return
    assert result.code == 0, result.text
    assert path.stat().st_size > 0
    if fmt == "xlsx":
        xlsx_is_valid(path)
        return
    text = path.read_text(encoding="utf-8")
    if fmt == "html":
        check_html(text)
    elif fmt == "json":
        assert json.loads(text)["titel"]
    elif fmt == "csv":
        header, *rows = list(csv.reader(io.StringIO(text)))
        assert header and rows and all(len(row) == len(header) for row in rows)
    else:
        assert text.startswith("# ") and "\n## " in text


# --- in a real browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[browser.Chromium]:
    with browser.launch() as session:
        yield session


A4 = {(595, 842), (842, 595)}  # points, portrait and landscape


def pdf_page_sizes(pdf: Path) -> set[tuple[int, int]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    return {(round(float(w)), round(float(h))) for w, h in boxes}


@pytest.mark.parametrize("name", list(REPORTS))
def test_html_report_in_chromium(
    name: str,
    rendered: dict[tuple[str, str], tuple[Run, Path]],
    chromium: browser.Chromium,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    result, html = rendered[name, "html"]
    assert result.code == 0, result.text
    page = chromium.open(html, tmp_path / f"{name}.png", pdf=tmp_path / f"{name}.pdf")
    assert page.problems == []
    assert page.lang == "de" and page.scripts == 0 and page.h1 and page.title == page.h1[0]
    assert page.tables, "keine Tabelle"
    for table in page.tables:
        assert table.caption and table.headers and set(table.scopes) == {"col"}
        assert table.rows and all(len(row) == len(table.headers) for row in table.rows)
    assert not page.horizontal_overflow  # wide tables scroll inside the page
    png = page.screenshot.read_bytes()
    assert png.startswith(browser.PNG_SIGNATURE) and len(png) > 10_000
    assert page.pdf is not None and pdf_page_sizes(page.pdf) <= A4
    if name == "anlaufstellen":
        (table,) = page.tables
        assert len(table.rows) == OFFICES and table.headers[0] == "Anlaufstelle"
    if name == DECISION_PAPER:
        with capsys.disabled():
            print(f"\nBildschirmfoto der Entscheidungsvorlage: {page.screenshot}")


def render_with_script_in_a_name(data: Path, target: Path) -> str:
    """``qa report anlaufstellen`` as HTML after an office was renamed ``<script>…``."""
    office = data / "anlaufstellen" / "stadtteilbuero-batenbrock.yaml"
    source = office.read_text(encoding="utf-8")
    assert source.startswith("name: Stadtteilbüro Batenbrock\n")
    office.write_text(
        source.replace("name: Stadtteilbüro Batenbrock", "name: <script>alert(1)</script>", 1),
        encoding="utf-8",
    )
    result = run_qa("report", "anlaufstellen", "--data", str(data), "-o", str(target))
    assert result.code == 0, result.text
    return target.read_text(encoding="utf-8")


def test_html_escapes_a_record(shipped_copy: Path, tmp_path: Path) -> None:
    text = render_with_script_in_a_name(shipped_copy, tmp_path / "anlaufstellen.html")
    assert "<script>alert(1)</script>" not in text and "<script" not in text
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in text


def test_html_escapes_a_record_in_chromium(
    shipped_copy: Path, chromium: browser.Chromium, tmp_path: Path
) -> None:
    target = tmp_path / "anlaufstellen.html"
    render_with_script_in_a_name(shipped_copy, target)
    page = chromium.open(target, tmp_path / "escaped.png")
    assert page.problems == [] and page.scripts == 0
    (table,) = page.tables
    assert [row[0] for row in table.rows if "alert" in row[0]] == ["<script>alert(1)</script>"]


def test_rows_share_equal_values_and_keep_every_one() -> None:
    """``SharedValues``: equal texts, months and lists of texts become one object each; a
    ``True`` stays ``True`` beside a ``1``, and the rows write as before."""
    from qa_cli.render.report import SharedValues
    from qa_cli.render.values import for_csv, for_json

    shared = SharedValues()
    made = [
        {
            "a": "".join(["AW", "O"]),
            "b": ["x", "".join("y")],
            "c": True,
            "d": MonthRange(Month(2020, 12), Month(2020, 12)),
        }
        for _ in range(2)
    ] + [{"a": 1, "b": [], "c": 1, "d": None}]
    rows = [shared.row(row) for row in made]
    assert rows[0]["a"] is rows[1]["a"] and rows[0]["b"] is rows[1]["b"] == ("x", "y")
    assert rows[0]["d"] is rows[1]["d"]
    assert rows[2] == {"a": 1, "b": (), "c": 1, "d": None} and rows[0]["c"] is True
    for before, after in zip(made, rows, strict=True):
        assert for_json(after) == for_json(before)
        assert [for_csv(v) for v in after.values()] == [for_csv(v) for v in before.values()]
