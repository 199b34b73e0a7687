"""Scores do not depend on the scale a city chose: the same judgements written on 0–4, 1–5 and
0–10 give the same percentages, the same calibration list and the same ranking and budget walk.

A judgement is drawn as a position on the scale (lowest, middle, highest, or any level where the
two scales have the same number of levels), plus „fehlt“ and „nicht_anwendbar“; it is then written
as the level of each scale at that position."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_cli.domain.scoring import allocate, published_weights, score_request
from qa_cli.models.antrag import MISSING, NOT_APPLICABLE, Antrag
from qa_cli.models.matrix import Entscheidungsmatrix

QUELLE = [{"dokument": "Test"}]
REVIEWERS = ["sozialamt", "jugendamt", "quartiersrat"]
REQUEST_IDS = ["anker", "bruecke", "hafen", "mitte", "nord", "oase", "turm"]
Scale = tuple[int, int]


def weights_summing_to_100(draw: st.DrawFn, count: int) -> list[str]:
    """Decimal group weights (one place) that add up to exactly 100."""
    cuts = sorted(
        draw(st.lists(st.integers(1, 999), min_size=count - 1, max_size=count - 1, unique=True))
    )
    bounds = [0, *cuts, 1000]
    return [f"{(b - a) / 10:.1f}" for a, b in itertools.pairwise(bounds)]


@st.composite
def declarations(draw: st.DrawFn) -> dict[str, Any]:
    """Everything of a matrix except its scale."""
    group_count = draw(st.integers(1, 3))
    groups = [
        {
            "id": f"g{i}",
            "name": f"Gruppe {i}",
            "gewicht": weight,
            "kriterien": [
                {
                    "id": f"g{i}-k{j}",
                    "name": f"K {i}.{j}",
                    "gewicht": draw(st.sampled_from(["1", "2", "0.5", "1.5"])),
                }
                for j in range(draw(st.integers(1, 3)))
            ],
        }
        for i, weight in enumerate(weights_summing_to_100(draw, group_count))
    ]
    ties = draw(
        st.permutations(
            [
                "gewichtigste_gruppe",
                "kleinerer_betrag",
                "frueherer_eingang",
                "hoeherer_eigenanteil",
                "los",
            ]
        )
    )
    return {
        "name": "Skalenprobe",
        "budget": draw(st.integers(0, 80_000)),
        "gruppen": groups,
        "mindestpunktzahl": draw(st.sampled_from(["0", "25", "50.5"])),
        "kalibrierung_ab": draw(st.sampled_from(["25", "50", "75", "100"])),
        "gleichstand": ties[: draw(st.integers(1, len(ties)))],
        "los_startwert": "Probe",
        "quelle": QUELLE,
    }


def with_scale(declared: dict[str, Any], scale: Scale) -> Entscheidungsmatrix:
    low, high = scale
    levels = [{"wert": v, "beschreibung": f"Stufe {v}"} for v in range(low, high + 1)]
    data = {**declared, "skala": {"stufen": levels}}
    if "los" not in data["gleichstand"]:
        data.pop("los_startwert", None)
    return Entscheidungsmatrix.model_validate(data)


def written_on(position: Any, scale: Scale, steps: int) -> Any:
    """A position 0…steps (or a word) as the level of ``scale``."""
    if position in (MISSING, NOT_APPLICABLE):
        return position
    low, high = scale
    level = low + position * (high - low) / steps
    assert level == int(level)
    return int(level)


@st.composite
def judgements(draw: st.DrawFn, criteria: list[str], steps: int) -> dict[str, Any]:
    """Per request: amount, own share, date and each reviewer's positions."""
    position = st.one_of(st.integers(0, steps), st.sampled_from([MISSING, NOT_APPLICABLE]))
    reviewers = draw(st.lists(st.sampled_from(REVIEWERS), unique=True, min_size=1, max_size=3))
    return {
        "betrag": draw(st.sampled_from([5_000, 10_000, 20_000, 30_000])),
        "eigenanteil": draw(st.sampled_from([0, 1_000, 2_500])),
        "eingang": draw(st.sampled_from(["2020-09-15", "2020-10-01"])),
        "positionen": {r: {c: draw(position) for c in criteria} for r in reviewers},
    }


def requests_on(case: dict[str, dict[str, Any]], scale: Scale, steps: int) -> dict[str, Antrag]:
    return {
        rid: Antrag.model_validate(
            {
                "runde": "probe",
                "anlaufstelle": "testbuero",
                "traeger": "AWO",
                "eingang": j["eingang"],
                "zeitraum": {"beginn": "2021-01", "ende": "2021-06"},
                "betrag": j["betrag"],
                "eigenanteil": j["eigenanteil"],
                "konzeptpapier": {"vorhanden": "Ja"},
                "bewertungen": [
                    {
                        "gutachter": who,
                        "werte": {c: written_on(p, scale, steps) for c, p in positions.items()},
                    }
                    for who, positions in j["positionen"].items()
                ],
                "quelle": QUELLE,
            }
        )
        for rid, j in case.items()
    }


@st.composite
def rounds(draw: st.DrawFn, steps: int) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    declared = draw(declarations())
    criteria = [c["id"] for g in declared["gruppen"] for c in g["kriterien"]]
    ids = draw(st.lists(st.sampled_from(REQUEST_IDS), unique=True, min_size=1, max_size=6))
    return declared, {rid: draw(judgements(criteria, steps)) for rid in ids}


def outcome(
    declared: dict[str, Any], case: dict[str, dict[str, Any]], scale: Scale, steps: int
) -> Any:
    """What must not depend on the scale: percentages, calibration, ranking and budget walk."""
    matrix = with_scale(declared, scale)
    requests = requests_on(case, scale, steps)
    weights = published_weights(matrix)
    scores = {rid: score_request(rid, r, matrix) for rid, r in requests.items()}
    percentages = {
        rid: (
            {g: r.score for g, r in s.groups.items()},
            s.total(weights),
            s.calibration(),
        )
        for rid, s in scores.items()
        if s is not None
    }
    walk = [
        (s.request_id, s.rank, s.decision, s.remaining_after)
        for s in allocate(requests, matrix, matrix.budget).steps
    ]
    return percentages, walk


def assert_same(first: Any, second: Any) -> None:
    (percent_a, walk_a), (percent_b, walk_b) = first, second
    assert walk_a == walk_b
    assert percent_a.keys() == percent_b.keys()
    for rid in percent_a:
        groups_a, total_a, calibration_a = percent_a[rid]
        groups_b, total_b, calibration_b = percent_b[rid]
        assert groups_a == pytest.approx(groups_b, abs=1e-12)
        assert total_a == pytest.approx(total_b, abs=1e-9)
        assert calibration_a == calibration_b


@settings(max_examples=120, deadline=None)
@given(case=rounds(steps=2))
def test_lowest_middle_highest_mean_the_same_on_0_4_1_5_and_0_10(
    case: tuple[dict[str, Any], dict[str, dict[str, Any]]],
) -> None:
    declared, judged = case
    on_0_4 = outcome(declared, judged, (0, 4), 2)
    assert_same(on_0_4, outcome(declared, judged, (1, 5), 2))
    assert_same(on_0_4, outcome(declared, judged, (0, 10), 2))


@settings(max_examples=120, deadline=None)
@given(case=rounds(steps=4))
def test_every_level_means_the_same_on_0_4_and_1_5(
    case: tuple[dict[str, Any], dict[str, dict[str, Any]]],
) -> None:
    declared, judged = case
    assert_same(outcome(declared, judged, (0, 4), 4), outcome(declared, judged, (1, 5), 4))


def test_the_extremes_are_0_and_100_percent_on_every_scale() -> None:
    declared = {
        "name": "Extreme",
        "budget": 0,
        "gruppen": [
            {"id": "g", "name": "G", "gewicht": "100", "kriterien": [{"id": "k", "name": "K"}]}
        ],
        "gleichstand": ["kleinerer_betrag"],
        "quelle": QUELLE,
    }
    for scale in [(0, 4), (1, 5), (0, 10)]:
        low_high = {
            "tief": {
                "betrag": 1,
                "eigenanteil": 0,
                "eingang": "2020-09-15",
                "positionen": {"sozialamt": {"k": 0}},
            },
            "fehlt": {
                "betrag": 1,
                "eigenanteil": 0,
                "eingang": "2020-09-15",
                "positionen": {"sozialamt": {"k": MISSING}},
            },
            "hoch": {
                "betrag": 1,
                "eigenanteil": 0,
                "eingang": "2020-09-15",
                "positionen": {"sozialamt": {"k": 1}},
            },
        }
        percentages, _ = outcome(declared, low_high, scale, 1)
        assert {rid: total for rid, (_, total, _) in percentages.items()} == {
            "tief": 0.0,
            "fehlt": 0.0,
            "hoch": 100.0,
        }, scale
