"""``qa expiring`` end to end on the shipped data: the report's sentence about seven offices."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.conftest import run_qa

SEVEN = {
    "awo-familien-im-mittelpunkt-batenbrock",
    "awo-familien-im-mittelpunkt-prosper-iii",
    "familienort-die-bruecke-flow-batenbrock",
    "familienort-hansastrasse-innenstadt",
    "quartierszentrum-startklar-innenstadt",
    "stadtteilbuero-batenbrock",
    "wortschatz-albert-schweitzer-grundschule",
}


def expiring_json(*args: str) -> dict[str, Any]:
    result = run_qa("expiring", *args, "--format", "json")
    assert result.code == 0, result.text
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_seven_offices_end_by_december_2020() -> None:
    report = expiring_json("--before", "2020-12")
    assert {row["id"] for row in report["endend"]} == SEVEN
    assert all(row["ende"] == "2020-12" for row in report["endend"])
    assert report["moeglicherweise_endend"] == []
    assert [row["id"] for row in report["ende_unbekannt"]] == ["citypastoral-st-cyriakus"]


def test_permanent_offices_never_appear() -> None:
    report = expiring_json("--before", "2099-12")
    listed = {
        row["id"]
        for section in ("endend", "moeglicherweise_endend", "ende_unbekannt")
        for row in report[section]
    }
    assert "ebel-27" not in listed and "welheim-64" not in listed
    assert len(listed) == 19


def test_provisional_and_extension_flags() -> None:
    rows = {row["id"]: row for row in expiring_json("--before", "2021-01")["endend"]}
    assert rows["familienort-hansastrasse-innenstadt"]["vorlaeufig"] is True
    assert rows["stadtteilbuero-batenbrock"]["vorlaeufig"] is False
    assert (
        # no source names the extension's programme: it is unknown, and said so
        "Verlängerung um 24 Monate (Programm k.A.) in Vorbereitung"
        in rows["quartiersbuero-rottmannsmuehle"]["hinweise"]
    )


@pytest.mark.parametrize("cutoff", ["12/2020", "2020-12-31", "31.12.2020"])
def test_cutoff_spellings_agree(cutoff: str) -> None:
    assert expiring_json("--before", cutoff) == expiring_json("--before", "2020-12")


def test_a_mid_month_cutoff_excludes_grants_running_to_the_month_end() -> None:
    assert expiring_json("--before", "2020-12-30")["endend"] == []


def test_header_states_the_range_in_words() -> None:
    result = run_qa("expiring", "--before", "2020-12")
    assert "im Monat 12/2020 oder früher" in result.out and "31.12.2020" in result.out
    within = run_qa("expiring", "--within", "6", "--today", "2020-07-15")
    assert "zwischen dem 01.07.2020 und dem 31.01.2021" in within.out


def test_within_months_from_a_fixed_today() -> None:
    report = expiring_json("--within", "6", "--today", "2020-07-15")
    assert {row["id"] for row in report["endend"]} == SEVEN | {"quartiersbuero-rottmannsmuehle"}
    assert [row["id"] for row in report["moeglicherweise_endend"]] == [
        "awo-quartiersmanagement-fuhlenbrock"
    ]
    assert report["zeitraum"] == {
        "von": "2020-07-01",
        "bis": "2021-01-31",
        "heute": "2020-07-15",
        "monate": 6,
    }


def test_plain_text_when_piped_lists_the_seven() -> None:
    result = run_qa("expiring", "--before", "2020-12")
    assert result.code == 0
    assert "Förderung endet im Zeitraum (7)" in result.out
    assert "│" not in result.out and "┃" not in result.out
    assert "Stadtteilbüro Batenbrock" in result.out


def test_csv_is_tidy_with_stable_columns() -> None:
    result = run_qa("expiring", "--before", "2020-12", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows[0].keys() == {
        "abschnitt", "ende", "ende_datum", "name", "id", "traeger", "gebiet", "foerderzugang",
        "vorlaeufig", "hinweise",
    }  # fmt: skip
    assert {row["id"] for row in rows if row["abschnitt"] == "endend"} == SEVEN
    assert {row["ende_datum"] for row in rows if row["abschnitt"] == "endend"} == {"2020-12-31"}


def test_markdown_has_a_table_per_section() -> None:
    result = run_qa("expiring", "--before", "2020-12", "--format", "md")
    assert result.out.startswith("# Auslaufende Förderungen")
    assert result.out.count("| Ende | Name |") == 2  # the empty section prints a sentence
    assert "| 12/2020 | Stadtteilbüro Batenbrock |" in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--before", "Dezember"], "weder Monat noch Datum"),
        (["--before", "2020-02-30"], "kein gültiges Datum"),
        (["--before", "2020-12", "--within", "3"], "schließen sich aus"),
        (["--within", "drei"], "keine ganze Zahl"),
        (["--today", "morgen"], "kein Datum"),
        (["--format", "xml"], "erlaubt: table, csv, json, md"),
        (["--bevore", "2020-12"], "Unbekannte Option „--bevore“"),
    ],
)
def test_usage_errors_are_german_with_exit_code_2(args: list[str], message: str) -> None:
    result = run_qa("expiring", *args)
    assert result.code == 2, result.text
    assert message in result.err
    assert "Traceback" not in result.text
