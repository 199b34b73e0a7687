"""Interim funding end to end: the example round, scoring rules, allocation, gaps, validation."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from qa_cli.domain.scoring import allocate, published_weights, score_request
from qa_cli.models.antrag import Antrag
from qa_cli.models.matrix import Entscheidungsmatrix
from qa_cli.store.pipeline import load
from tests.conftest import SHIPPED_DATA, run_qa

MATRIX = {
    "name": "Test",
    "budget": 100,
    "skala": {"stufen": [{"wert": i, "beschreibung": f"Stufe {i}"} for i in range(5)]},
    "gruppen": [
        {
            "id": "a",
            "name": "A",
            "gewicht": 60,
            "kriterien": [{"id": "a1", "name": "A1"}, {"id": "a2", "name": "A2"}],
        },
        {"id": "b", "name": "B", "gewicht": 40, "kriterien": [{"id": "b1", "name": "B1"}]},
    ],
    "ausschluss": [
        {"regel": "ja_erforderlich", "feld": "konzeptpapier.vorhanden"},
        {"regel": "doppelstruktur_bestaetigt"},
    ],
    "mindestpunktzahl": 20,
    "quelle": [{"dokument": "Test"}],
}


def matrix(**changes: Any) -> Entscheidungsmatrix:
    return Entscheidungsmatrix.model_validate({**MATRIX, **changes})


def request(reviews: dict[str, dict[str, Any]], **changes: Any) -> Antrag:
    data: dict[str, Any] = {
        "runde": "t",
        "anlaufstelle": "x",
        "traeger": "AWO",
        "eingang": "2020-09-01",
        "zeitraum": {"beginn": "2021-01", "ende": "2021-06"},
        "betrag": 50,
        "konzeptpapier": {"vorhanden": "Ja", "anschlussfoerderung": {"programm": "P"}},
        "bewertungen": [{"gutachter": who, "werte": values} for who, values in reviews.items()],
        "quelle": [{"dokument": "Test"}],
    }
    data.update(changes)
    return Antrag.model_validate(data)


def test_median_mean_of_two_not_applicable_and_missing() -> None:
    score = score_request(
        "r",
        request(
            {
                "x": {"a1": 4, "a2": "nicht_anwendbar", "b1": "fehlt"},
                "y": {"a1": 1, "a2": "nicht_anwendbar", "b1": 2},
            }
        ),
        matrix(),
    )
    assert score is not None
    a1, a2 = score.groups["a"].criteria
    assert (a1.value, a1.spread, a1.needs_calibration) == (2.5, 3.0, True)  # mean of two
    assert a2.value is None  # dropped from the group's average
    b1 = score.groups["b"].criteria[0]
    assert (b1.value, b1.missing) == (1.0, 1)  # "fehlt" counts as the lowest level, 0
    assert score.groups["a"].score == 2.5 / 4
    assert score.total(published_weights(matrix())) == pytest.approx(
        100 * (0.6 * 2.5 / 4 + 0.4 * 1 / 4)
    )


def test_three_reviewers_use_the_median() -> None:
    score = score_request(
        "r",
        request(
            {
                "x": {"a1": 0, "a2": 4, "b1": 4},
                "y": {"a1": 4, "a2": 4, "b1": 4},
                "z": {"a1": 3, "a2": 4, "b1": 4},
            }
        ),
        matrix(),
    )
    assert score is not None and score.groups["a"].criteria[0].value == 3


def test_a_group_without_applicable_criteria_drops_out_and_weights_rescale() -> None:
    score = score_request(
        "r", request({"x": {"a1": 4, "a2": 4, "b1": "nicht_anwendbar"}}), matrix()
    )
    assert score is not None and score.groups["b"].score is None
    assert score.total(published_weights(matrix())) == pytest.approx(100.0)


def test_knock_outs_and_minimum_score_gate_before_ranking() -> None:
    good = {"x": {"a1": 4, "a2": 4, "b1": 4}}
    requests = {
        "ok": request(good),
        "ohne-papier": request(good, konzeptpapier={"vorhanden": "Nein"}),
        "doppelt": request(good, doppelstruktur_bestaetigt="Ja"),
        "schwach": request({"x": {"a1": 0, "a2": 0, "b1": 1}}),
        "unbewertet": request({}),
    }
    steps = {s.request_id: s for s in allocate(requests, matrix(), 1000).steps}
    assert steps["ok"].decision == "gefördert" and steps["ok"].rank == 1
    assert "„Konzeptpapier liegt vor“ nicht Ja" in steps["ohne-papier"].reason
    assert "Doppelstruktur" in steps["doppelt"].reason
    assert "Mindestpunktzahl" in steps["schwach"].reason
    assert "noch nicht bewertet" in steps["unbewertet"].reason
    assert {s.decision for rid, s in steps.items() if rid != "ok"} == {"ausgeschlossen"}


def test_a_request_that_does_not_fit_waits_and_the_next_is_tried() -> None:
    requests = {
        "erst": request({"x": {"a1": 4, "a2": 4, "b1": 4}}, betrag=60),
        "zweit": request({"x": {"a1": 3, "a2": 3, "b1": 3}}, betrag=60),
        "dritt": request({"x": {"a1": 2, "a2": 2, "b1": 2}}, betrag=40),
    }
    steps = allocate(requests, matrix(), 100).steps
    assert [(s.request_id, s.decision, s.remaining_after) for s in steps] == [
        ("erst", "gefördert", 40),
        ("zweit", "Warteliste", 40),
        ("dritt", "gefördert", 0),
    ]


def test_ties_follow_the_published_rule_not_the_file_order() -> None:
    same = {"x": {"a1": 3, "a2": 3, "b1": 3}}
    requests = {
        "a-gross": request(same, betrag=40),
        "b-klein": request(same, betrag=30),
        "c-klein-spaet": request(same, betrag=30, eingang="2020-10-01"),
    }
    order = [s.request_id for s in allocate(requests, matrix(), 1000).steps]
    assert order == ["b-klein", "c-klein-spaet", "a-gross"]
    assert "Punktgleich" in allocate(requests, matrix(), 1000).steps[0].reason
    by_date_first = matrix(gleichstand=["frueherer_eingang", "kleinerer_betrag"])
    assert [s.request_id for s in allocate(requests, by_date_first, 1000).steps] == [
        "b-klein",
        "a-gross",
        "c-klein-spaet",
    ]


def test_heaviest_group_breaks_a_tie_in_the_total() -> None:
    requests = {
        "stark-in-a": request({"x": {"a1": 4, "a2": 4, "b1": 1}}),  # 60·1 + 40·0.25 = 70
        "stark-in-b": request({"x": {"a1": 3, "a2": 2, "b1": 4}}),  # 60·0.625 + 40·1 = 77.5
    }
    totals = {s.request_id: s.total for s in allocate(requests, matrix(), 1000).steps}
    assert totals == {"stark-in-b": pytest.approx(77.5), "stark-in-a": pytest.approx(70.0)}


def test_shipped_example_round_is_valid_and_over_budget() -> None:
    dataset = load(SHIPPED_DATA).dataset
    assert len(dataset.antraege) == 7
    assert all(r.beispiel for r in dataset.antraege.values())
    assert sum(r.betrag for r in dataset.antraege.values()) > dataset.matrizen["2020"].budget
    offices_ending = {r.anlaufstelle for r in dataset.antraege.values()}
    assert offices_ending <= set(dataset.anlaufstellen)


def score_json(*args: str) -> dict[str, Any]:
    result = run_qa("score", *args, "--format", "json")
    assert result.code == 0, result.text
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_score_json_carries_everything_the_committee_needs() -> None:
    report = score_json("--runde", "2020")
    assert report["beispiel"] is True
    assert report["matrix"]["gewichte"] == {
        "finanzierung": 30,
        "angebote-quartiersbezug": 30,
        "wirkung": 20,
        "akteure-netzwerke": 20,
    }
    assert report["matrix"]["budget"] == 60000
    rows = report["antraege"]
    assert len(rows) == 7
    for row in rows:
        assert {
            "id",
            "anlaufstelle",
            "betrag",
            "gruppen",
            "gesamt",
            "spanne",
            "ausschlussgruende",
            "rang",
            "entscheidung",
            "restbudget",
            "beispiel",
        } <= row.keys()
        assert row["beispiel"] is True
    funded = [r for r in rows if r["entscheidung"] == "gefördert"]
    assert sum(r["betrag"] for r in funded) <= 60000
    assert report["restbudget"] == 60000 - sum(r["betrag"] for r in funded)
    ranks = [r["rang"] for r in rows if r["rang"] is not None]
    assert ranks == list(range(1, len(ranks) + 1))


def test_budget_override_changes_the_walk() -> None:
    everyone = score_json("--budget", "1000000")
    assert {r["entscheidung"] for r in everyone["antraege"]} == {"gefördert", "ausgeschlossen"}
    nobody = score_json("--budget", "0")
    assert "gefördert" not in {r["entscheidung"] for r in nobody["antraege"]}


def test_every_output_marks_the_example() -> None:
    for fmt in ("table", "md"):
        assert "BEISPIEL" in run_qa("score", "--format", fmt).out
    rows = list(csv.DictReader(io.StringIO(run_qa("score", "--format", "csv").out)))
    assert {row["beispiel"] for row in rows} == {"Ja"}
    assert "BEISPIEL" in run_qa("score", "--explain", "2020-stadtteilbuero-batenbrock").out
    assert "Beispiel" in run_qa("gaps", "--before", "2020-12").out


def test_explain_shows_every_rating_and_the_sum() -> None:
    result = run_qa("score", "--explain", "2020-awo-familien-im-mittelpunkt-prosper-iii")
    assert result.code == 0
    assert (
        "sozialamt 4, kommunales-integrationszentrum 1, jugend-und-schule 2 → Median 2,00 (Spanne 3)"
        in result.out
    )
    assert "Kalibrierungsgespräch" in result.out
    assert "Gesamt: " in result.out and "Rang 3: gefördert" in result.out
    unknown = run_qa("score", "--explain", "2020-stadtteilbuero-batenbrok")
    assert unknown.code == 2 and "Meinten Sie „2020-stadtteilbuero-batenbrock“?" in unknown.err


def test_sensitivity_is_reproducible_and_reports_the_cut_off() -> None:
    first = score_json("--sensitivity")
    second = score_json("--sensitivity")
    assert first == second
    schwelle = first["robustheit"]["schwelle"]
    assert schwelle["gefoerdert"] == "2020-awo-familien-im-mittelpunkt-prosper-iii"
    assert schwelle["warteliste"] == "2020-familienort-die-bruecke-flow-batenbrock"
    assert 0 < schwelle["prozentpunkte"] < 30
    changes = {row["gutachter"]: row["aenderungen"] for row in first["ohne_gutachter"]}
    assert changes["jugend-und-schule"] == ["keine"]
    shares = {row["id"]: row["anteil_gefoerdert"] for row in first["sensitivitaet"]}
    assert shares["2020-stadtteilbuero-batenbrock"] == 100.0


def test_cut_off_shift_really_swaps_the_pair() -> None:
    from qa_cli.domain.robustness import cutoff_swap

    dataset = load(SHIPPED_DATA).dataset
    the_matrix, requests = dataset.matrizen["2020"], dataset.antraege
    allocation = allocate(requests, the_matrix, the_matrix.budget)
    swap = cutoff_swap(requests, the_matrix, allocation)
    assert swap is not None
    weights = published_weights(the_matrix)
    weights[swap.from_group] -= swap.shift + 1e-6
    weights[swap.to_group] += swap.shift + 1e-6
    funded = score_request(swap.funded_id, requests[swap.funded_id], the_matrix)
    waiting = score_request(swap.waiting_id, requests[swap.waiting_id], the_matrix)
    assert funded is not None and waiting is not None
    assert waiting.total(weights) >= funded.total(weights)


def test_unknown_round() -> None:
    result = run_qa("score", "--runde", "2019")
    assert result.code == 2 and "Runden: 2020" in result.err


def test_gaps_of_the_example_round() -> None:
    result = run_qa("gaps", "--before", "2021-01", "--format", "json")
    rows = {row["id"]: row for row in json.loads(result.out)["luecken"]}
    assert len(rows) == 8
    assert rows["stadtteilbuero-batenbrock"]["luecke_monate"] == 6
    assert rows["stadtteilbuero-batenbrock"]["anschluss_beginn"] == "2021-07"
    assert rows["quartierszentrum-startklar-innenstadt"]["luecke_monate"] is None
    assert (
        rows["quartierszentrum-startklar-innenstadt"]["anschluss"]
        == "keine Anschlussförderung bekannt"
    )
    assert rows["quartiersbuero-rottmannsmuehle"]["interimsantraege"] == ["kein Antrag"]


@pytest.fixture
def round_copy(shipped_copy: Path) -> Path:
    return shipped_copy


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "antraege" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def codes(root: Path) -> list[str]:
    return sorted(p.code for p in load(root).problems)


def test_validate_ratings_against_the_matrix(round_copy: Path) -> None:
    name = "2020-stadtteilbuero-batenbrock.yaml"
    text = (round_copy / "antraege" / name).read_text(encoding="utf-8")
    assert "verstetigung: " in text
    edit(round_copy, name, "verstetigung: ", "verstetigng: ")
    edit(round_copy, name, "passgenauigkeit: ", "passgenauigkeit: 7\n      x-alt: ")
    assert codes(round_copy) == [
        "bewertung-ausserhalb-skala",
        "bewertung-unvollstaendig",
        "unbekanntes-kriterium",
        "unbekanntes-kriterium",
    ]


def test_validate_matrix_weights_and_references(round_copy: Path) -> None:
    path = round_copy / "entscheidungsmatrizen" / "2020.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("gewicht: 30", "gewicht: 35", 1), encoding="utf-8")
    edit(
        round_copy,
        "2020-stadtteilbuero-batenbrock.yaml",
        "anlaufstelle: stadtteilbuero-batenbrock",
        "anlaufstelle: stadtteilbuero",
    )
    found = codes(round_copy)
    assert "unbekannte-referenz" in found
    assert "ungueltiger-wert" in found  # weights add up to 105 %


def test_validate_decision_and_period(round_copy: Path) -> None:
    name = "2020-stadtteilbuero-batenbrock.yaml"
    edit(round_copy, name, "status: offen", "status: bewilligt")
    edit(round_copy, name, 'ende: "2021-06"', 'ende: "2020-06"')
    assert codes(round_copy) == ["entscheidung-unvollstaendig", "zeitraum-ungueltig"]


def test_results_do_not_depend_on_file_names(round_copy: Path, tmp_path: Path) -> None:
    """Renaming the request files (so they are read in another order) changes no decision."""
    before = json.loads(run_qa("score", "--format", "json", "--data", str(round_copy)).out)
    renamed = tmp_path / "umbenannt"
    shutil.copytree(round_copy, renamed)
    for index, path in enumerate(sorted((renamed / "antraege").glob("*.yaml"), reverse=True)):
        path.rename(path.with_name(f"{index:02d}-{path.name}"))
    after = json.loads(run_qa("score", "--format", "json", "--data", str(renamed)).out)
    assert _decisions(after["antraege"]) == _decisions(before["antraege"])


def _decisions(rows: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    """Rank, decision and total by request id, without the numeric prefix added by renaming."""
    prefixed = re.compile(r"^\d\d-")
    return {prefixed.sub("", r["id"]): (r["rang"], r["entscheidung"], r["gesamt"]) for r in rows}
