"""Scoring interim requests against the decision matrix, and allocating the round's budget.

A request's score depends only on the request and the matrix, never on the other requests:
ratings are aggregated per sub-criterion (median; with two reviewers that is their mean), a group
scores the mean of its applicable sub-criteria divided by the scale maximum, and the total is
``100 · Σ weight × group score``. A group whose sub-criteria are all "nicht anwendbar" drops out
and the remaining weights are scaled up so that the total still runs to 100. "fehlt" (information
missing) counts as 0 and is shown.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from qa_cli.german import euro, points
from qa_cli.models.antrag import MISSING, NOT_APPLICABLE, Antrag
from qa_cli.models.matrix import KNOCK_OUT_LABELS, TIE_BREAK_LABELS, Entscheidungsmatrix

Weights = Mapping[str, float]
Decision = Literal["gefördert", "Warteliste", "ausgeschlossen"]
CALIBRATION_SPREAD = 2


def published_weights(matrix: Entscheidungsmatrix) -> dict[str, float]:
    return {group.id: group.gewicht / 100 for group in matrix.gruppen}


@dataclass(frozen=True, slots=True)
class CriterionResult:
    criterion_id: str
    ratings: tuple[tuple[str, int | str], ...]
    value: float | None  # None: not applicable
    spread: float
    missing: int

    @property
    def needs_calibration(self) -> bool:
        return self.spread >= CALIBRATION_SPREAD


@dataclass(frozen=True, slots=True)
class GroupResult:
    group_id: str
    score: float | None  # 0..1; None: no applicable sub-criterion
    criteria: tuple[CriterionResult, ...]


@dataclass(frozen=True, slots=True)
class RequestScore:
    request_id: str
    reviewers: tuple[str, ...]
    groups: dict[str, GroupResult]

    def total(self, weights: Weights) -> float:
        applicable = {g: r.score for g, r in self.groups.items() if r.score is not None}
        weight_sum = sum(weights[g] for g in applicable)
        if weight_sum == 0:
            return 0.0
        return 100 * sum(weights[g] * score for g, score in applicable.items()) / weight_sum

    @property
    def max_spread(self) -> float:
        return max((c.spread for g in self.groups.values() for c in g.criteria), default=0.0)

    def calibration(self) -> list[str]:
        return [
            c.criterion_id for g in self.groups.values() for c in g.criteria if c.needs_calibration
        ]


def _aggregate(criterion_id: str, ratings: list[tuple[str, int | str]]) -> CriterionResult:
    counted = [0 if value == MISSING else value for _, value in ratings if value != NOT_APPLICABLE]
    numbers = [float(v) for v in counted if isinstance(v, int)]
    value = statistics.median(numbers) if numbers else None
    spread = max(numbers) - min(numbers) if numbers else 0.0
    missing = sum(1 for _, v in ratings if v == MISSING)
    return CriterionResult(criterion_id, tuple(ratings), value, spread, missing)


def score_request(
    request_id: str,
    request: Antrag,
    matrix: Entscheidungsmatrix,
    without_reviewer: str | None = None,
) -> RequestScore | None:
    """The request's group scores; ``None`` if nobody has rated it (yet)."""
    reviews = [r for r in request.bewertungen if r.gutachter != without_reviewer]
    if not reviews:
        return None
    maximum = matrix.skala.maximum
    groups = {}
    for group in matrix.gruppen:
        criteria = tuple(
            _aggregate(c.id, [(r.gutachter, r.werte[c.id]) for r in reviews if c.id in r.werte])
            for c in group.kriterien
        )
        values = [c.value for c in criteria if c.value is not None]
        score = statistics.fmean(values) / maximum if values else None
        groups[group.id] = GroupResult(group.id, score, criteria)
    return RequestScore(request_id, tuple(r.gutachter for r in reviews), groups)


def knock_outs(request: Antrag, matrix: Entscheidungsmatrix) -> list[str]:
    """The matrix's knock-out rules that this request meets, in words."""
    applies = {
        "kein_konzeptpapier": not request.konzeptpapier.vorhanden,
        "keine_anschlussperspektive": request.konzeptpapier.anschlussfoerderung is None,
        "doppelstruktur_bestaetigt": request.doppelstruktur_bestaetigt,
    }
    return [KNOCK_OUT_LABELS[rule.regel] for rule in matrix.ausschluss if applies[rule.regel]]


@dataclass(frozen=True, slots=True)
class Step:
    """One line of the budget walk."""

    request_id: str
    rank: int | None
    total: float | None
    decision: Decision
    reason: str
    remaining_after: int


@dataclass(slots=True)
class Allocation:
    budget: int
    weights: dict[str, float]
    steps: list[Step] = field(default_factory=list)

    @property
    def funded(self) -> list[str]:
        return [s.request_id for s in self.steps if s.decision == "gefördert"]

    @property
    def remaining(self) -> int:
        return self.steps[-1].remaining_after if self.steps else self.budget

    def decisions(self) -> dict[str, Decision]:
        return {s.request_id: s.decision for s in self.steps}


def _tie_key(
    request_id: str,
    request: Antrag,
    score: RequestScore,
    matrix: Entscheidungsmatrix,
    weights: Weights,
) -> tuple[float | int | date | str, ...]:
    heaviest = max(matrix.gruppen, key=lambda g: weights[g.id]).id
    parts: dict[str, float | int | date] = {
        "gewichtigste_gruppe": -(score.groups[heaviest].score or 0.0),
        "kleinerer_betrag": request.betrag,
        "frueherer_eingang": request.eingang,
    }
    return (
        -round(score.total(weights), 9),
        *(parts[rule] for rule in matrix.gleichstand),
        request_id,
    )


def allocate(
    requests: Mapping[str, Antrag],
    matrix: Entscheidungsmatrix,
    budget: int,
    weights: Weights | None = None,
    without_reviewer: str | None = None,
) -> Allocation:
    """Gate, rank and fund: walk the ranking and fund each request that fits the remaining budget;
    one that does not fit goes to the waiting list and the next is tried."""
    weights = dict(weights or published_weights(matrix))
    allocation = Allocation(budget, weights)
    eligible: list[tuple[str, RequestScore]] = []
    excluded: list[tuple[str, float | None, str]] = []
    for request_id in sorted(requests):
        request = requests[request_id]
        score = score_request(request_id, request, matrix, without_reviewer)
        reasons = knock_outs(request, matrix)
        total = score.total(weights) if score else None
        if score is None:
            reasons.append("noch nicht bewertet")
        elif total is not None and total < matrix.mindestpunktzahl:
            reasons.append(f"Mindestpunktzahl {points(matrix.mindestpunktzahl)} nicht erreicht")
        if reasons:
            excluded.append((request_id, total, "; ".join(reasons)))
        else:
            assert score is not None
            eligible.append((request_id, score))
    eligible.sort(key=lambda item: _tie_key(item[0], requests[item[0]], item[1], matrix, weights))
    remaining = budget
    for rank, (request_id, score) in enumerate(eligible, start=1):
        amount = requests[request_id].betrag
        total = score.total(weights)
        if amount <= remaining:
            reason = f"{euro(amount)} passen ins Restbudget von {euro(remaining)}"
            remaining -= amount
            decision: Decision = "gefördert"
        else:
            reason = f"{euro(amount)} übersteigen das Restbudget von {euro(remaining)}"
            decision = "Warteliste"
        tie = _tie_note(rank, eligible, weights, matrix)
        allocation.steps.append(
            Step(request_id, rank, total, decision, reason + (f"; {tie}" if tie else ""), remaining)
        )
    for request_id, total, reason in excluded:
        allocation.steps.append(Step(request_id, None, total, "ausgeschlossen", reason, remaining))
    return allocation


def _tie_note(
    rank: int,
    eligible: list[tuple[str, RequestScore]],
    weights: Weights,
    matrix: Entscheidungsmatrix,
) -> str | None:
    """Say so when the rank was decided by the tie-break order rather than by points."""
    total = round(eligible[rank - 1][1].total(weights), 9)
    tied = [rid for rid, s in eligible if round(s.total(weights), 9) == total]
    if len(tied) < 2:
        return None
    rules = ", dann ".join(TIE_BREAK_LABELS[rule] for rule in matrix.gleichstand)
    others = ", ".join(rid for rid in tied if rid != eligible[rank - 1][0])
    return f"Punktgleich mit {others}; Reihenfolge nach: {rules}, dann Kennung"
