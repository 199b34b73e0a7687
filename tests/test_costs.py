"""The caps that keep checks linear (the timings are in bench/costs.py, not here): problems per
file capped with a count of the rest, each file parsed at most once more by the checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.costs import overlapping_grants, unknown_references
from qa_cli.store import loader, locate
from qa_cli.store.pipeline import load
from qa_cli.store.problems import MAX_PER_FILE
from tests.conftest import run_qa


def _problems_of(shipped_copy: Path, name: str) -> list[dict[str, Any]]:
    result = run_qa("validate", "--format", "json", "--data", str(shipped_copy))
    assert result.code == 1, result.text
    return [p for p in json.loads(result.out)["fehler"] if p["datei"].endswith(name)]


def test_200_overlapping_grants_show_100_problems_and_count_the_rest(shipped_copy: Path) -> None:
    overlapping_grants(shipped_copy.parent)
    problems = _problems_of(shipped_copy, "ueberlappend.yaml")
    assert len(problems) == MAX_PER_FILE + 1
    *shown, rest = problems
    assert {p["code"] for p in shown} == {"foerderungen-ueberlappen"}
    assert rest["code"] == "weitere-fehler"
    assert rest["meldung"].startswith(f"{200 * 199 // 2 - MAX_PER_FILE} weitere Fehler")
    # the shown ones are located where their grant starts (four lines per grant, from line 5)
    assert all((p["zeile"] - 5) % 4 == 0 for p in shown)


def test_2000_unknown_references_show_100_and_count_the_rest(shipped_copy: Path) -> None:
    unknown_references(shipped_copy.parent)
    problems = _problems_of(shipped_copy, "2099-unbekannt.yaml")
    *shown, rest = problems
    assert len(shown) == MAX_PER_FILE and {p["code"] for p in shown} == {"unbekannte-referenz"}
    assert rest["meldung"].startswith(f"{2000 - MAX_PER_FILE} weitere Fehler")


def test_the_checks_parse_a_file_with_many_problems_once(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overlapping_grants(shipped_copy.parent)
    parsed: list[str] = []
    real = loader.parse_record_file

    def counting(record_file: Any) -> Any:
        parsed.append(record_file.id)
        return real(record_file)

    monkeypatch.setattr(locate, "parse_record_file", counting)
    load(shipped_copy)
    assert parsed.count("ueberlappend") == 1
