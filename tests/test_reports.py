"""``qa report``: the quarterly table, the decision paper, the profile document, the public list."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from qa_cli.domain.quarterly import Quarter, quarters
from tests.conftest import run_qa


def test_quarter_parsing_and_ranges() -> None:
    assert Quarter.parse("2020-Q4") == Quarter.parse("2020q4") == Quarter(2020, 4)
    assert [str(q) for q in quarters(Quarter(2020, 3), Quarter(2021, 2))] == [
        "2020-Q3",
        "2020-Q4",
        "2021-Q1",
        "2021-Q2",
    ]
    assert (
        Quarter(2020, 4).start.isoformat() == "2020-10-01"
        and Quarter(2020, 4).end.isoformat() == "2020-12-31"
    )
    with pytest.raises(ValueError, match="kein Quartal"):
        Quarter.parse("2020-Q5")


def tidy(*args: str) -> list[dict[str, str]]:
    result = run_qa("report", "quartal", *args, "--format", "csv")
    assert result.code == 0, result.text
    return list(csv.DictReader(io.StringIO(result.out)))


def total(rows: list[dict[str, str]], quarter: str, measure: str) -> int:
    (row,) = [
        r
        for r in rows
        if r["quartal"] == quarter and r["gruppe"] == "gesamt" and r["kennzahl"] == measure
    ]
    return int(row["anzahl"])


def test_quarterly_counts_on_the_shipped_data() -> None:
    rows = tidy("--von", "2020-Q4", "--bis", "2021-Q1")
    assert total(rows, "2020-Q4", "endet") == 7  # the report's seven offices
    assert total(rows, "2020-Q4", "aktiv") == 20 and total(rows, "2020-Q4", "ende_unbekannt") == 1
    assert total(rows, "2021-Q1", "beendet") == 7
    assert total(rows, "2021-Q1", "endet") == 1  # Rottmannsmühle, 01/2021
    assert total(rows, "2020-Q4", "ueberbrueckt") == 0  # no interim request is granted yet


def test_tidy_layout_one_row_per_quarter_group_and_measure() -> None:
    rows = tidy("2020-Q4")
    assert list(rows[0]) == [
        "quartal",
        "beginn",
        "ende",
        "gruppe",
        "wert",
        "kennzahl",
        "anzahl",
        "beispiel",
    ]
    keys = Counter((r["quartal"], r["gruppe"], r["wert"], r["kennzahl"]) for r in rows)
    assert max(keys.values()) == 1
    assert {r["beginn"] for r in rows} == {"2020-10-01"} and {r["ende"] for r in rows} == {
        "2020-12-31"
    }
    budget = {r["kennzahl"]: int(r["anzahl"]) for r in rows if r["gruppe"] == "interimsbudget"}
    assert budget == {"budget_eur": 60000, "gebunden_eur": 0, "frei_eur": 60000}
    # the interim budget and the bridged counts come from example data, and say so
    marked = {(r["gruppe"], r["kennzahl"]) for r in rows if r["beispiel"] == "Ja"}
    assert {g for g, _ in marked} == {
        "gesamt",
        "stadtteil",
        "traeger",
        "foerderzugang",
        "interimsbudget",
    }
    assert {k for g, k in marked if g != "interimsbudget"} == {"ueberbrueckt"}
    operators = {r["wert"] for r in rows if r["gruppe"] == "traeger"}
    assert {"AWO", "ASB", "DRK"} <= operators  # several operators count for each


def test_quarterly_wide_table_for_people() -> None:
    out = run_qa("report", "quartal", "2020Q4").out
    assert "| Gruppe | gefördert | Förderung endet im Quartal |" in out
    assert "| alle | 20 | 7 | 0 | 1 | 0 |" in out
    assert "BEISPIEL" in out


@pytest.mark.parametrize("args", [["2020-Q5"], ["--von", "2021-Q2", "--bis", "2020-Q1"], []])
def test_quarterly_usage_errors(args: list[str]) -> None:
    result = run_qa("report", "quartal", *args)
    assert result.code == 2 and "Traceback" not in result.text


def test_decision_paper() -> None:
    out = run_qa("report", "entscheidung", "--runde", "2020").out
    assert out.startswith(
        "# Mitteilungsvorlage: Interimsfinanzierung der Quartiersarbeit, Förderrunde 2020"
    )
    assert "BEISPIEL" in out
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Beschlussvorschlag",
        "## Sachdarstellung",
        "## Rangfolge und Budget",
        "## Entscheidungen mit Begründung",
        "## Wie sicher ist das Ergebnis?",
        "## Weit auseinanderliegende Bewertungen",
        "## Anlage: Kriterien der Entscheidungsmatrix",
        "## Anlage: Bewertungsskala",
        "## Anlage: Verfahren im Einzelnen",
    ]
    assert (
        "An der Förderschwelle" in out and "Ausschuss für Soziales, Gesundheit und Familie" in out
    )
    document = json.loads(run_qa("report", "entscheidung", "-f", "json").out)
    assert document["beispiel"] is True and len(document["rangfolge"]) == 7


def test_profile_document() -> None:
    out = run_qa("report", "profil", "altstadt").out
    assert out.startswith("# Quartiersprofil Altstadt (statistischer Bezirk), 2022")
    assert (
        "| Anteil der Einwohnerinnen und Einwohner mit Migrationshintergrund | 45,1 % | 23,6 % | 1 von 12 |"
        in out
    )
    assert "## Mögliche Doppelstrukturen" in out and "## Interpretation" in out


def test_output_file_infers_the_format(tmp_path: Path) -> None:
    target = tmp_path / "quartal.json"
    result = run_qa("report", "quartal", "2020-Q4", "-o", str(target))
    assert result.code == 0 and "Geschrieben" in result.err
    assert json.loads(target.read_text(encoding="utf-8"))["quartale"] == ["2020-Q4"]
