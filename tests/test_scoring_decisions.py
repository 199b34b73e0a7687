"""Recorded decisions in the budget walk: a grant comes off the budget first, a rejection is never
funded, and both are shown as decided."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_cli.domain.scoring import allocate, granted_total
from qa_cli.models.antrag import Antrag
from qa_cli.store.pipeline import load
from tests.conftest import run_qa
from tests.test_interim import edit, matrix, request
from tests.test_scoring_properties import rounds

STRONG = {"x": {"a1": 4, "a2": 4, "b1": 4}}
MIDDLE = {"x": {"a1": 3, "a2": 3, "b1": 3}}


def decided(status: str, datum: str = "2020-12-01", amount: int | None = None, **kw: Any) -> Any:
    decision: dict[str, Any] = {"status": status, "datum": datum, **kw}
    if amount is not None:
        decision["betrag_bewilligt"] = amount
    return {"entscheidung": decision}


def test_a_rejected_request_is_never_funded_however_good_and_however_large_the_budget() -> None:
    requests = {
        "abgelehnt": request(STRONG, **decided("abgelehnt", begruendung="anderweitig finanziert")),
        "offen": request(MIDDLE),
    }
    steps = {s.request_id: s for s in allocate(requests, matrix(), 1_000_000).steps}
    assert steps["abgelehnt"].decision == "abgelehnt" and steps["abgelehnt"].rank is None
    assert steps["abgelehnt"].reason == "am 01.12.2020 abgelehnt: anderweitig finanziert"
    assert steps["abgelehnt"].total == 100.0  # still shown with its score
    assert (steps["offen"].decision, steps["offen"].rank) == ("gefördert", 1)


def test_grants_come_off_the_budget_first_with_the_granted_amount() -> None:
    requests = {
        "spaet-bewilligt": request(MIDDLE, betrag=40, **decided("bewilligt", "2020-12-15", 30)),
        "frueh-bewilligt": request(MIDDLE, betrag=20, **decided("bewilligt", "2020-11-01", 20)),
        "stark": request(STRONG, betrag=60),
        "mittel": request(MIDDLE, betrag=50),
    }
    allocation = allocate(requests, matrix(), 100)
    # budget 100 − 20 (granted 01.11.) − 30 (granted 15.12., less than the 40 asked) = 50 left
    assert (allocation.granted, allocation.available) == (50, 50)
    walk = [(s.request_id, s.rank, s.decision, s.remaining_after) for s in allocation.steps]
    assert walk == [
        ("frueh-bewilligt", None, "bewilligt", 80),
        ("spaet-bewilligt", None, "bewilligt", 50),
        ("stark", 1, "Warteliste", 50),  # 60 > 50, although it ranks first
        ("mittel", 2, "gefördert", 0),
    ]
    assert allocation.steps[1].reason == "am 15.12.2020 bewilligt: 30 € vorab vom Budget abgezogen"
    assert allocation.funded == ["mittel"]
    assert allocation.receiving == ["frueh-bewilligt", "spaet-bewilligt", "mittel"]


def test_a_grant_the_matrix_would_exclude_stays_granted_and_says_so() -> None:
    requests = {
        "ohne-papier": request(
            STRONG, konzeptpapier={"vorhanden": "Nein"}, **decided("bewilligt", amount=10)
        )
    }
    [step] = allocate(requests, matrix(), 100).steps
    assert step.decision == "bewilligt"
    assert "nach der Matrix ausgeschlossen: „Konzeptpapier liegt vor“ nicht Ja" in step.reason


# --- random rounds with random decisions -----------------------------------------------------


@st.composite
def rounds_with_decisions(draw: st.DrawFn) -> tuple[Any, dict[str, Antrag]]:
    round_ = draw(rounds())
    requests: dict[str, Antrag] = {}
    for rid, req in round_.requests.items():
        status = draw(st.sampled_from(["offen", "offen", "bewilligt", "abgelehnt"]))
        decision: dict[str, Any] = {"status": status}
        if status == "bewilligt":
            decision["datum"] = "2020-12-01"
            decision["betrag_bewilligt"] = draw(st.integers(0, req.betrag))
        requests[rid] = Antrag.model_validate({**req.model_dump(), "entscheidung": decision})
    return round_.matrix, requests


@settings(max_examples=150, deadline=None)
@given(case=rounds_with_decisions())
def test_decisions_are_respected_in_any_round(case: tuple[Any, dict[str, Antrag]]) -> None:
    the_matrix, requests = case
    budget = granted_total(requests) + the_matrix.budget
    allocation = allocate(requests, the_matrix, budget)
    by_id = {s.request_id: s for s in allocation.steps}
    assert sorted(by_id) == sorted(requests)
    for rid, req in requests.items():
        status = req.entscheidung.status
        if status == "offen":
            assert by_id[rid].decision in ("gefördert", "Warteliste", "ausgeschlossen")
        else:
            assert (by_id[rid].decision, by_id[rid].rank) == (status, None)
    spent = sum(requests[rid].betrag for rid in allocation.funded)
    assert allocation.granted == sum(
        r.entscheidung.betrag_bewilligt or 0
        for r in requests.values()
        if r.entscheidung.status == "bewilligt"
    )
    assert spent <= allocation.available == budget - allocation.granted
    assert allocation.remaining == allocation.available - spent


# --- validation and the command line ---------------------------------------------------------


def test_validation_of_recorded_decisions(shipped_copy: Path) -> None:
    name = "2020-stadtteilbuero-batenbrock.yaml"
    edit(
        shipped_copy,
        name,
        "  status: offen",
        '  status: bewilligt\n  datum: "2020-12-01"\n  betrag_bewilligt: 24000',
    )
    edit(
        shipped_copy,
        "2020-familienort-hansastrasse-innenstadt.yaml",
        "  status: offen",
        "  status: abgelehnt\n  betrag_bewilligt: 100",
    )
    matrix_file = shipped_copy / "entscheidungsmatrizen" / "2020.yaml"
    matrix_file.write_text(
        matrix_file.read_text(encoding="utf-8").replace("budget: 60000", "budget: 20000"),
        encoding="utf-8",
    )
    found = sorted((p.code, p.field) for p in load(shipped_copy).problems)
    assert found == [
        ("bewilligungen-ueber-budget", "budget"),
        ("ungueltiger-wert", "entscheidung.betrag_bewilligt"),
    ]


def test_score_shows_grants_and_refuses_a_budget_below_them(shipped_copy: Path) -> None:
    name = "2020-stadtteilbuero-batenbrock.yaml"
    edit(
        shipped_copy,
        name,
        "  status: offen",
        '  status: bewilligt\n  datum: "2020-12-01"\n  betrag_bewilligt: 20000',
    )
    edit(
        shipped_copy,
        "2020-awo-familien-im-mittelpunkt-batenbrock.yaml",
        "  status: offen",
        '  status: abgelehnt\n  datum: "2020-12-01"',
    )
    result = run_qa("score", "--data", str(shipped_copy), "--format", "json")
    assert result.code == 0, result.text
    import json

    report = json.loads(result.out)
    rows = {row["id"]: row for row in report["antraege"]}
    assert rows["2020-stadtteilbuero-batenbrock"]["entscheidung"] == "bewilligt"
    assert rows["2020-stadtteilbuero-batenbrock"]["rang"] is None
    assert rows["2020-awo-familien-im-mittelpunkt-batenbrock"]["entscheidung"] == "abgelehnt"
    assert report["vorab_bewilligt"] == 20000
    # 60.000 − 20.000 granted = 40.000 for the walk: Prosper III 16.800 (rank 1, 60,4 points) and
    # Brücke Flow 14.400 (rank 2, 60,0) fit, 8.800 left; Hansastraße 21.600 waits.
    walk = [(r["id"], r["rang"], r["entscheidung"]) for r in report["antraege"] if r["rang"]]
    assert walk == [
        ("2020-awo-familien-im-mittelpunkt-prosper-iii", 1, "gefördert"),
        ("2020-familienort-die-bruecke-flow-batenbrock", 2, "gefördert"),
        ("2020-familienort-hansastrasse-innenstadt", 3, "Warteliste"),
    ]
    assert report["restbudget"] == 8800
    below = run_qa("score", "--data", str(shipped_copy), "--budget", "19999")
    assert below.code == 2 and "bereits bewilligten 20.000 €" in below.err
