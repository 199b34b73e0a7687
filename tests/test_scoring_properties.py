"""Scoring and allocation against independent implementations and as properties of random rounds.

- the weighted sums agree with pymcdm's ``WSM`` (identity normalisation) on the shipped round and,
  with group scores aggregated independently here, on random rounds;
- removing a request leaves every other score unchanged;
- the budget walk never overspends, and a waiting-list request ranked above a funded one did not fit
  the remaining budget when its turn came;
- results do not depend on the order in which the requests were read, and ties follow the
  published rule, never the input order;
- the exact knapsack ``best_selection`` matches a brute-force search over all subsets.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm.methods import WSM  # type: ignore[import-untyped]

from qa_cli.domain.robustness import best_selection
from qa_cli.domain.scoring import (
    Allocation,
    RequestScore,
    allocate,
    knock_outs,
    published_weights,
    score_request,
)
from qa_cli.models.antrag import MISSING, NOT_APPLICABLE, Antrag
from qa_cli.models.matrix import Entscheidungsmatrix
from qa_cli.store.pipeline import load
from tests.conftest import SHIPPED_DATA

SCALE_MAX = 4
QUELLE = [{"dokument": "Test"}]
REVIEWERS = ["sozialamt", "jugendamt", "integrationszentrum"]
REQUEST_IDS = ["zentrum", "anker", "mitte", "bruecke", "nord", "oase", "hafen", "ecke", "turm"]
KNOCK_OUT_RULES = [
    {"regel": "ja_erforderlich", "feld": "konzeptpapier.vorhanden"},
    {"regel": "angabe_erforderlich", "feld": "konzeptpapier.anschlussfoerderung"},
    {"regel": "doppelstruktur_bestaetigt"},
    {"regel": "eingang_bis", "datum": "2020-09-30"},
    {"regel": "mindest_eigenanteil", "prozent": "5"},
]
TIE_RULES = ["gewichtigste_gruppe", "kleinerer_betrag", "frueherer_eingang"]
ALL_TIE_RULES = [*TIE_RULES, "hoeherer_eigenanteil", "los"]
LOTTERY_SEED = "Sitzung 2020-11-17"
# pymcdm warns about dominant/dominated alternatives; irrelevant to a weighted sum.
IGNORE_DOMINANCE = pytest.mark.filterwarnings("ignore:Alternatives with indices:UserWarning")


def identity(x: numpy.ndarray, cost: bool = False) -> numpy.ndarray:
    return x


def wsm(rows: list[list[float]], weights: list[float]) -> list[float]:
    """Σ w·s per row, by pymcdm."""
    method = WSM(normalization_function=identity)
    return [
        float(v) for v in method(numpy.array(rows), numpy.array(weights), numpy.ones(len(weights)))
    ]


# --- the shipped round -------------------------------------------------------------------------


SHIPPED_REQUEST_IDS = sorted(path.stem for path in (SHIPPED_DATA / "antraege").glob("*.yaml"))


@pytest.fixture(scope="module")
def shipped() -> tuple[Entscheidungsmatrix, dict[str, Antrag]]:
    result = load(SHIPPED_DATA)
    assert result.ok, result.problems
    return result.dataset.matrizen["2020"], result.dataset.antraege


@IGNORE_DOMINANCE
def test_shipped_weighted_sums_match_pymcdm_wsm(
    shipped: tuple[Entscheidungsmatrix, dict[str, Antrag]],
) -> None:
    matrix, requests = shipped
    weights = published_weights(matrix)
    group_ids = [g.id for g in matrix.gruppen]
    scores: list[RequestScore] = []
    for request_id in sorted(requests):
        score = score_request(request_id, requests[request_id], matrix)
        if score is not None:
            scores.append(score)
    assert len(scores) == len(requests) >= 5  # every shipped request is rated
    rows: list[list[float]] = []
    for score in scores:
        row = [score.groups[g].score for g in group_ids]
        assert all(value is not None for value in row), score.request_id  # all groups applicable
        rows.append([float(value) for value in row if value is not None])
    expected = wsm(rows, [weights[g] for g in group_ids])
    assert [s.total(weights) for s in scores] == pytest.approx([100 * e for e in expected])
    # allocate reports the same totals
    totals = {s.request_id: s.total for s in allocate(requests, matrix, matrix.budget).steps}
    assert [totals[s.request_id] for s in scores] == pytest.approx([100 * e for e in expected])
    # a real spread of scores, not one constant value
    assert max(expected) - min(expected) > 0.2


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(SHIPPED_REQUEST_IDS))
def test_shipped_allocation_does_not_depend_on_reading_order(
    shipped: tuple[Entscheidungsmatrix, dict[str, Antrag]], order: list[str]
) -> None:
    matrix, requests = shipped
    assert sorted(requests) == SHIPPED_REQUEST_IDS
    baseline = allocate(dict(sorted(requests.items())), matrix, matrix.budget)
    shuffled = {rid: requests[rid] for rid in order}
    assert list(shuffled) == order
    assert allocate(shuffled, matrix, matrix.budget).steps == baseline.steps
    check_budget_walk(shuffled, matrix.budget, baseline)


# --- random rounds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    matrix: Entscheidungsmatrix
    requests: dict[str, Antrag]

    @property
    def budget(self) -> int:
        return self.matrix.budget


@st.composite
def group_weights(draw: st.DrawFn, count: int) -> list[int]:
    cuts = sorted(
        draw(st.lists(st.integers(1, 99), min_size=count - 1, max_size=count - 1, unique=True))
    )
    bounds = [0, *cuts, 100]
    return [b - a for a, b in itertools.pairwise(bounds)]


@st.composite
def tie_breaks(draw: st.DrawFn) -> dict[str, Any]:
    """A declared tie-break order (a prefix of a permutation of all rules) with its seed."""
    order = draw(st.permutations(ALL_TIE_RULES))
    declared = order[: draw(st.integers(1, len(order)))]
    seed = {"los_startwert": LOTTERY_SEED} if "los" in declared else {}
    return {"gleichstand": declared, **seed}


@st.composite
def matrices(draw: st.DrawFn, tie_heavy: bool = False) -> Entscheidungsmatrix:
    """A random matrix; ``tie_heavy``: few criteria, no knock-outs and no minimum score."""
    if tie_heavy:  # weights under which different group scores can add up to the same total
        weights = draw(st.sampled_from([[100], [50, 50], [60, 40], [40, 60]]))
    else:
        weights = draw(group_weights(draw(st.integers(1, 4))))
    groups = [
        {
            "id": f"g{i}",
            "name": f"Gruppe {i}",
            "gewicht": str(weight),
            "kriterien": [
                {"id": f"g{i}-k{j}", "name": f"Kriterium {i}.{j}"}
                for j in range(draw(st.integers(1, 1 if tie_heavy else 3)))
            ],
        }
        for i, weight in enumerate(weights)
    ]
    return Entscheidungsmatrix.model_validate(
        {
            "name": "Zufallsrunde",
            "budget": draw(st.integers(0, 100_000)),
            "skala": {
                "stufen": [{"wert": v, "beschreibung": f"Stufe {v}"} for v in range(SCALE_MAX + 1)]
            },
            "gruppen": groups,
            "ausschluss": []
            if tie_heavy
            else draw(
                st.lists(st.sampled_from(KNOCK_OUT_RULES), unique_by=lambda rule: rule["regel"])
            ),
            "mindestpunktzahl": 0 if tie_heavy else draw(st.sampled_from([0, 0, 20, 40, 55.5])),
            **draw(tie_breaks()),
            "quelle": QUELLE,
        }
    )


RATING = st.one_of(st.integers(0, SCALE_MAX), st.sampled_from([NOT_APPLICABLE, MISSING]))
TIE_HEAVY_RATING = st.integers(1, SCALE_MAX)
AMOUNT = st.one_of(st.sampled_from([0, 10_000, 18_500, 25_000]), st.integers(0, 50_000))
EINGANG = st.sampled_from(["2020-09-15", "2020-09-22", "2020-10-01"])


@st.composite
def antraege(draw: st.DrawFn, matrix: Entscheidungsmatrix, tie_heavy: bool = False) -> Antrag:
    reviewers = draw(
        st.lists(
            st.sampled_from(REVIEWERS), unique=True, min_size=1 if tie_heavy else 0, max_size=3
        )
    )
    rating = TIE_HEAVY_RATING if tie_heavy else RATING
    follow_on = draw(st.sampled_from([{"programm": "Zusammen im Quartier"}, None]))
    return Antrag.model_validate(
        {
            "runde": "2020",
            "anlaufstelle": "testbuero",
            "traeger": "AWO",
            "eingang": draw(EINGANG),
            "zeitraum": {"beginn": "2021-01", "ende": "2021-06"},
            "betrag": draw(AMOUNT),
            "eigenanteil": draw(st.sampled_from([0, 0, 1_000, 2_500])),
            "konzeptpapier": {
                "vorhanden": draw(st.sampled_from(["Ja", "Ja", "Nein"])),
                "anschlussfoerderung": follow_on,
            },
            "doppelstruktur_bestaetigt": draw(st.sampled_from(["Nein", "Nein", "Ja"])),
            "bewertungen": [
                {"gutachter": r, "werte": {c: draw(rating) for c in matrix.criterion_ids()}}
                for r in reviewers
            ],
            "quelle": QUELLE,
        }
    )


@st.composite
def rounds(draw: st.DrawFn, tie_heavy: bool = False) -> Round:
    matrix = draw(matrices(tie_heavy))
    ids = draw(st.lists(st.sampled_from(REQUEST_IDS), unique=True, max_size=8))
    return Round(matrix, {rid: draw(antraege(matrix, tie_heavy)) for rid in ids})


def independent_group_scores(
    request: Antrag, matrix: Entscheidungsmatrix
) -> dict[str, float | None]:
    """Median per sub-criterion ("fehlt" = 0, "nicht anwendbar" left out), mean per group / max."""
    scores: dict[str, float | None] = {}
    for group in matrix.gruppen:
        medians = []
        for criterion in group.kriterien:
            values = [
                0 if r.werte[criterion.id] == MISSING else r.werte[criterion.id]
                for r in request.bewertungen
                if r.werte[criterion.id] != NOT_APPLICABLE
            ]
            if values:
                medians.append(float(numpy.median(numpy.array(values, dtype=float))))
        scores[group.id] = float(numpy.mean(medians)) / matrix.skala.maximum if medians else None
    return scores


def check_budget_walk(requests: Mapping[str, Antrag], budget: int, allocation: Allocation) -> None:
    ranked = [s for s in allocation.steps if s.rank is not None]
    assert [s.rank for s in ranked] == list(range(1, len(ranked) + 1))
    assert allocation.steps[: len(ranked)] == ranked  # excluded ones come last
    remaining = budget
    remaining_before: dict[str, int] = {}
    for step in ranked:
        amount = requests[step.request_id].betrag
        remaining_before[step.request_id] = remaining
        if step.decision == "gefördert":
            assert amount <= remaining
            remaining -= amount
        else:
            assert step.decision == "Warteliste"
            assert amount > remaining
        assert step.remaining_after == remaining
    funded = sum(requests[rid].betrag for rid in allocation.funded)
    assert funded <= budget
    assert allocation.remaining == budget - funded == remaining
    # a waiting-list request ranked above a funded one did not fit when its turn came
    for waiting, later in itertools.combinations(ranked, 2):
        if waiting.decision == "Warteliste" and later.decision == "gefördert":
            assert requests[waiting.request_id].betrag > remaining_before[waiting.request_id]
    for step in allocation.steps[len(ranked) :]:
        assert step.decision == "ausgeschlossen"
        assert step.remaining_after == remaining
    assert sorted(s.request_id for s in allocation.steps) == sorted(requests)


@IGNORE_DOMINANCE
@settings(max_examples=150, deadline=None)
@given(round_=rounds())
def test_random_totals_match_independent_aggregation_and_pymcdm(round_: Round) -> None:
    matrix = round_.matrix
    weights = published_weights(matrix)
    for request_id, request in round_.requests.items():
        score = score_request(request_id, request, matrix)
        if not request.bewertungen:
            assert score is None
            continue
        assert score is not None
        mine = independent_group_scores(request, matrix)
        assert {g: r.score for g, r in score.groups.items()} == pytest.approx(mine)
        applicable = [g.id for g in matrix.gruppen if mine[g.id] is not None]
        if not applicable:
            assert score.total(weights) == 0.0
            continue
        weight_sum = sum(weights[g] for g in applicable)
        [expected] = wsm(
            [[float(mine[g] or 0.0) for g in applicable]],
            [weights[g] / weight_sum for g in applicable],  # dropped groups' weight spread out
        )
        assert score.total(weights) == pytest.approx(100 * expected)
        assert 0.0 <= score.total(weights) <= 100.0 + 1e-9


@settings(max_examples=150, deadline=None)
@given(round_=rounds())
def test_removing_a_request_leaves_every_other_score_unchanged(round_: Round) -> None:
    matrix, requests = round_.matrix, round_.requests
    full = allocate(requests, matrix, round_.budget)
    totals = {s.request_id: s.total for s in full.steps}
    for removed in requests:
        rest = {rid: r for rid, r in requests.items() if rid != removed}
        without = allocate(rest, matrix, round_.budget)
        assert {s.request_id: s.total for s in without.steps} == {
            rid: t for rid, t in totals.items() if rid != removed
        }
        for rid, request in rest.items():
            assert score_request(rid, request, matrix) == score_request(rid, requests[rid], matrix)


@settings(max_examples=200, deadline=None)
@given(round_=st.one_of(rounds(), rounds(tie_heavy=True)))
def test_budget_walk_never_overspends_and_waiting_list_did_not_fit(round_: Round) -> None:
    matrix, requests = round_.matrix, round_.requests
    allocation = allocate(requests, matrix, round_.budget)
    check_budget_walk(requests, round_.budget, allocation)
    # gate: ranked requests are rated, pass every knock-out rule and reach the minimum score
    for step in allocation.steps:
        request = requests[step.request_id]
        eligible = (
            bool(request.bewertungen)
            and not knock_outs(request, matrix)
            and step.total is not None
            and step.total >= matrix.mindestpunktzahl
        )
        assert (step.rank is not None) == eligible, step


def published_order_holds(
    first: str, second: str, requests: Mapping[str, Antrag], matrix: Entscheidungsmatrix
) -> bool:
    """Does ``first`` rightly come before ``second``: more points, then the published tie-break
    order (heaviest group: first in matrix order among equal weights; not applicable = 0), then id."""
    weights = published_weights(matrix)
    a = score_request(first, requests[first], matrix)
    b = score_request(second, requests[second], matrix)
    assert a is not None and b is not None
    ta, tb = round(a.total(weights), 9), round(b.total(weights), 9)
    if ta != tb:
        return ta > tb
    heaviest = next(g.id for g in matrix.gruppen if weights[g.id] == max(weights.values()))
    for rule in matrix.gleichstand:
        if rule == "gewichtigste_gruppe":
            ha, hb = a.groups[heaviest].score or 0.0, b.groups[heaviest].score or 0.0
            if ha != hb:
                return ha > hb
        elif rule == "kleinerer_betrag":
            if requests[first].betrag != requests[second].betrag:
                return requests[first].betrag < requests[second].betrag
        elif rule == "frueherer_eingang":
            if requests[first].eingang != requests[second].eingang:
                return requests[first].eingang < requests[second].eingang
        elif rule == "hoeherer_eigenanteil":
            sa, sb = own_share_of(requests[first]), own_share_of(requests[second])
            if sa != sb:
                return sa > sb
        else:
            la, lb = lottery_number(first), lottery_number(second)
            if la != lb:
                return la < lb
    return first < second


def own_share_of(request: Antrag) -> Fraction:
    total = request.betrag + request.eigenanteil
    return Fraction(request.eigenanteil, total) if total else Fraction(0)


def lottery_number(request_id: str) -> str:
    return hashlib.sha256(f"{LOTTERY_SEED}:{request_id}".encode()).hexdigest()


@settings(max_examples=200, deadline=None)
@given(round_=st.one_of(rounds(), rounds(tie_heavy=True)), data=st.data())
def test_random_round_does_not_depend_on_reading_order(round_: Round, data: st.DataObject) -> None:
    matrix, requests = round_.matrix, round_.requests
    baseline = allocate(requests, matrix, round_.budget)
    order = data.draw(st.permutations(list(requests)), label="order")
    shuffled = {rid: requests[rid] for rid in order}
    assert allocate(shuffled, matrix, round_.budget).steps == baseline.steps
    ranked = [s.request_id for s in baseline.steps if s.rank is not None]
    for first, second in itertools.pairwise(ranked):
        assert published_order_holds(first, second, requests, matrix), (first, second)
    totals = {s.request_id: s.total for s in baseline.steps}
    items = {rid: (requests[rid].betrag, t) for rid, t in totals.items() if t is not None}
    shuffled_items = {rid: items[rid] for rid in order if rid in items}
    assert best_selection(shuffled_items, round_.budget) == best_selection(items, round_.budget)


# --- ties, worked by hand ----------------------------------------------------------------------


def tie_matrix(gleichstand: list[str]) -> Entscheidungsmatrix:
    return Entscheidungsmatrix.model_validate(
        {
            "name": "Gleichstand",
            "budget": "100000",
            "skala": {"stufen": [{"wert": v, "beschreibung": f"Stufe {v}"} for v in range(5)]},
            "gruppen": [
                {
                    "id": "leicht",
                    "name": "Leicht",
                    "gewicht": 40,
                    "kriterien": [{"id": "l", "name": "L"}],
                },
                {
                    "id": "schwer",
                    "name": "Schwer",
                    "gewicht": 60,
                    "kriterien": [{"id": "s", "name": "S"}],
                },
            ],
            "gleichstand": gleichstand,
            "quelle": QUELLE,
        }
    )


def tie_request(schwer: int, leicht: int, betrag: int, eingang: str) -> Antrag:
    return Antrag.model_validate(
        {
            "runde": "2020",
            "anlaufstelle": "testbuero",
            "traeger": "AWO",
            "eingang": eingang,
            "zeitraum": {"beginn": "2021-01", "ende": "2021-06"},
            "betrag": betrag,
            "konzeptpapier": {"vorhanden": "Ja", "anschlussfoerderung": {"programm": "ZiQ"}},
            "bewertungen": [{"gutachter": "sozialamt", "werte": {"s": schwer, "l": leicht}}],
            "quelle": QUELLE,
        }
    )


def ranking(requests: dict[str, Antrag], matrix: Entscheidungsmatrix) -> list[str]:
    return [
        s.request_id for s in allocate(requests, matrix, matrix.budget).steps if s.rank is not None
    ]


TIE_CASES: list[tuple[list[str], dict[str, Antrag], list[str]]] = [
    # identical ratings: the smaller amount first, although later and alphabetically last
    (
        TIE_RULES,
        {
            "a": tie_request(3, 3, 20_000, "2020-09-01"),
            "z": tie_request(3, 3, 10_000, "2020-10-01"),
        },
        ["z", "a"],
    ),
    # identical ratings and amount: the earlier request first
    (
        TIE_RULES,
        {
            "a": tie_request(3, 3, 10_000, "2020-10-01"),
            "z": tie_request(3, 3, 10_000, "2020-09-01"),
        },
        ["z", "a"],
    ),
    # identical in everything: the id decides
    (
        TIE_RULES,
        {
            "z": tie_request(3, 3, 10_000, "2020-09-01"),
            "a": tie_request(3, 3, 10_000, "2020-09-01"),
        },
        ["a", "z"],
    ),
    # equal points (60 each) but more in the heaviest group wins over amount, date and id
    (
        TIE_RULES,
        {"a": tie_request(2, 3, 5_000, "2020-09-01"), "z": tie_request(4, 0, 30_000, "2020-10-01")},
        ["z", "a"],
    ),
    # the matrix's own order counts: date before amount here
    (
        ["frueherer_eingang", "kleinerer_betrag"],
        {"a": tie_request(3, 3, 5_000, "2020-10-01"), "z": tie_request(3, 3, 30_000, "2020-09-01")},
        ["z", "a"],
    ),
    # more points beat every tie-break
    (
        TIE_RULES,
        {"a": tie_request(3, 3, 1_000, "2020-09-01"), "z": tie_request(4, 3, 40_000, "2020-10-01")},
        ["z", "a"],
    ),
]


@pytest.mark.parametrize(("gleichstand", "requests", "expected"), TIE_CASES)
def test_ties_follow_the_published_rule_in_any_insertion_order(
    gleichstand: list[str], requests: dict[str, Antrag], expected: list[str]
) -> None:
    matrix = tie_matrix(gleichstand)
    for order in itertools.permutations(requests):
        assert ranking({rid: requests[rid] for rid in order}, matrix) == expected


# --- exact knapsack against brute force --------------------------------------------------------

# Scores in quarters add up exactly in floating point, so ties between subsets are real ties.
ITEMS = st.dictionaries(
    st.sampled_from(REQUEST_IDS),
    st.tuples(st.integers(0, 30), st.integers(0, 400).map(lambda k: k / 4)),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(items=ITEMS, budget=st.integers(0, 100), data=st.data())
def test_best_selection_equals_brute_force(
    items: dict[str, tuple[int, float]], budget: int, data: st.DataObject
) -> None:
    chosen = best_selection(items, budget)
    assert chosen <= set(items)
    assert sum(items[rid][0] for rid in chosen) <= budget
    subsets = [
        frozenset(combo)
        for size in range(len(items) + 1)
        for combo in itertools.combinations(sorted(items), size)
        if sum(items[rid][0] for rid in combo) <= budget
    ]
    best = max(sum(items[rid][1] for rid in s) for s in subsets)
    assert sum(items[rid][1] for rid in chosen) == best
    # ties prefer fewer euros
    cheapest = min(
        sum(items[rid][0] for rid in s) for s in subsets if sum(items[rid][1] for rid in s) == best
    )
    assert sum(items[rid][0] for rid in chosen) == cheapest
    # then the alphabetically first set (only well defined without free, worthless items: with
    # one, {x} and {free, x} tie on score and euros)
    if (0, 0.0) not in items.values():
        tied = [
            tuple(sorted(s))
            for s in subsets
            if sum(items[rid][1] for rid in s) == best
            and sum(items[rid][0] for rid in s) == cheapest
        ]
        assert tuple(sorted(chosen)) == min(tied)
    # never the input order
    order = data.draw(st.permutations(list(items)), label="order")
    assert best_selection({rid: items[rid] for rid in order}, budget) == chosen


def test_best_selection_worked_example() -> None:
    # Walking down by score would take the 60-point request and afford nothing else; the two
    # smaller ones together score more within the same budget.
    items = {"gross": (60, 60.0), "klein-a": (50, 50.0), "klein-b": (50, 45.0)}
    assert best_selection(items, 100) == {"klein-a", "klein-b"}
    assert best_selection(items, 49) == frozenset()
    assert best_selection({}, 10) == frozenset()
