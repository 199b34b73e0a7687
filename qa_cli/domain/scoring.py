"""Scoring interim requests against the decision matrix, and allocating the round's budget.

A request's score depends only on the request and the matrix, never on the other requests:
ratings are aggregated per sub-criterion (median; with two reviewers that is their mean), a group
scores the weighted mean of its applicable sub-criteria placed on the scale (lowest level 0, highest
1), and the total is ``100 · Σ weight × group score``. A group whose sub-criteria are all "nicht
anwendbar" drops out and the remaining weights are scaled up so that the total still runs to 100.
"fehlt" (information missing) counts as the lowest level of the scale and is shown.

Recorded decisions come first: a granted request's amount (``betrag_bewilligt``) is taken off the
budget before the ranked walk, a rejected one is never funded; neither is ranked.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from qa_cli.german import day, euro, points
from qa_cli.models.antrag import MISSING, NOT_APPLICABLE, Antrag
from qa_cli.models.matrix import TIE_BREAK_LABELS, Entscheidungsmatrix, Skala, own_share

Weights = Mapping[str, float]
Decision = Literal["gefördert", "Warteliste", "ausgeschlossen", "bewilligt", "abgelehnt"]
RECORDED: frozenset[str] = frozenset({"bewilligt", "abgelehnt"})


def published_weights(matrix: Entscheidungsmatrix) -> dict[str, float]:
    return {group.id: group.gewicht / 100 for group in matrix.gruppen}


@dataclass(frozen=True, slots=True)
class CriterionResult:
    criterion_id: str
    ratings: tuple[tuple[str, int | str], ...]
    value: float | None  # in scale points; None: not applicable
    spread: float  # in scale points
    missing: int
    weight: float
    needs_calibration: bool


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


def _aggregate(
    criterion_id: str,
    weight: float,
    ratings: list[tuple[str, int | str]],
    matrix: Entscheidungsmatrix,
) -> CriterionResult:
    """Median of the ratings; "fehlt" counts as the scale's lowest level, "nicht anwendbar" not."""
    lowest = matrix.skala.minimum
    counted = [lowest if v == MISSING else v for _, v in ratings if v != NOT_APPLICABLE]
    numbers = [float(v) for v in counted if isinstance(v, int)]
    value = statistics.median(numbers) if numbers else None
    spread = max(numbers) - min(numbers) if numbers else 0.0
    missing = sum(1 for _, v in ratings if v == MISSING)
    calibrate = spread > 0 and spread >= matrix.calibration_points - 1e-9
    return CriterionResult(criterion_id, tuple(ratings), value, spread, missing, weight, calibrate)


def weighted_mean(criteria: tuple[CriterionResult, ...]) -> float | None:
    """The applicable sub-criteria's weighted mean in scale points; ``None`` if none applies."""
    applicable = [c for c in criteria if c.value is not None]
    weight_sum = sum(c.weight for c in applicable)
    if not applicable:
        return None
    return sum(c.weight * (c.value or 0.0) for c in applicable) / weight_sum


def _group_score(criteria: tuple[CriterionResult, ...], scale: Skala) -> float | None:
    mean = weighted_mean(criteria)
    return None if mean is None else scale.share(mean)


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
    groups = {}
    for group in matrix.gruppen:
        criteria = tuple(
            _aggregate(
                c.id,
                c.gewicht,
                [(r.gutachter, r.werte[c.id]) for r in reviews if c.id in r.werte],
                matrix,
            )
            for c in group.kriterien
        )
        groups[group.id] = GroupResult(group.id, _group_score(criteria, matrix.skala), criteria)
    return RequestScore(request_id, tuple(r.gutachter for r in reviews), groups)


def knock_outs(request: Antrag, matrix: Entscheidungsmatrix) -> list[str]:
    """The matrix's knock-out rules that this request meets, in words."""
    return [rule.reason() for rule in matrix.ausschluss if rule.applies(request)]


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
    granted: int = 0  # recorded grants, taken off the budget before the walk
    steps: list[Step] = field(default_factory=list)

    @property
    def available(self) -> int:
        """What the ranked walk may spend: the budget less the recorded grants."""
        return self.budget - self.granted

    @property
    def funded(self) -> list[str]:
        """Funded by the ranked walk (recorded grants not included)."""
        return [s.request_id for s in self.steps if s.decision == "gefördert"]

    @property
    def receiving(self) -> list[str]:
        """Every request that gets money: recorded grants and those funded by the walk."""
        return [s.request_id for s in self.steps if s.decision in ("gefördert", "bewilligt")]

    @property
    def remaining(self) -> int:
        return self.steps[-1].remaining_after if self.steps else self.available

    def decisions(self) -> dict[str, Decision]:
        return {s.request_id: s.decision for s in self.steps}


def granted_total(requests: Mapping[str, Antrag]) -> int:
    """The sum of the recorded grants (``betrag_bewilligt`` of every ``bewilligt`` request)."""
    return sum(
        r.entscheidung.betrag_bewilligt or 0
        for r in requests.values()
        if r.entscheidung.status == "bewilligt"
    )


def _tie_key(
    request_id: str,
    request: Antrag,
    score: RequestScore,
    matrix: Entscheidungsmatrix,
    weights: Weights,
    heaviest: str,
    total: float | None = None,
) -> tuple[float | int | date | str, ...]:
    """Sort key of the ranking: points, then the matrix's tie-break rules, then the id. Floats
    are rounded (points to 9, group values to 12 places) so that equal values in exact
    arithmetic tie instead of being ordered by a float error. ``total``: the points under
    ``weights`` when the caller has them already."""
    parts: dict[str, float | int | date | str] = {
        "gewichtigste_gruppe": -round(score.groups[heaviest].score or 0.0, 12),
        "kleinerer_betrag": request.betrag,
        "frueherer_eingang": request.eingang,
        "hoeherer_eigenanteil": -round(own_share(request), 12),
    }
    if matrix.los_startwert is not None:
        parts["los"] = matrix.lottery_number(request_id)
    return (
        -round(score.total(weights) if total is None else total, 9),
        *(parts[rule] for rule in matrix.gleichstand),
        request_id,
    )


def _recorded_steps(
    requests: Mapping[str, Antrag],
    matrix: Entscheidungsmatrix,
    allocation: Allocation,
    without_reviewer: str | None,
) -> list[Step]:
    """Grants (by decision date, then id), each taken off the budget, then rejections."""
    decided = sorted(
        (rid for rid, r in requests.items() if r.entscheidung.status in RECORDED),
        key=lambda rid: (
            requests[rid].entscheidung.status != "bewilligt",
            requests[rid].entscheidung.datum or date.min,
            rid,
        ),
    )
    steps = []
    remaining = allocation.budget
    for request_id in decided:
        request = requests[request_id]
        score = score_request(request_id, request, matrix, without_reviewer)
        decision = request.entscheidung
        when = f"am {day(decision.datum)} " if decision.datum else ""
        outcome: Decision
        if decision.status == "bewilligt":
            outcome = "bewilligt"
            amount = decision.betrag_bewilligt or 0
            remaining -= amount
            reason = f"{when}bewilligt: {euro(amount)} vorab vom Budget abgezogen"
        else:
            outcome = "abgelehnt"
            reason = f"{when}abgelehnt" + (
                f": {decision.begruendung}" if decision.begruendung else ""
            )
        gates = knock_outs(request, matrix)
        if gates:
            reason += "; nach der Matrix ausgeschlossen: " + "; ".join(gates)
        total = score.total(allocation.weights) if score else None
        steps.append(Step(request_id, None, total, outcome, reason, remaining))
    return steps


@dataclass(frozen=True, slots=True)
class Candidates:
    """The part of an allocation that no weight changes: the open requests' scores and
    knock-outs, computed once and walked again under every weighting (``qa score
    --sensitivity`` walks 2.000 of them)."""

    open: tuple[tuple[str, RequestScore | None, tuple[str, ...]], ...]  # by id

    def ranked(
        self,
        requests: Mapping[str, Antrag],
        matrix: Entscheidungsmatrix,
        weights: Weights,
    ) -> tuple[list[tuple[str, RequestScore]], list[tuple[str, float | None, str]]]:
        """The eligible requests in rank order, and the excluded ones with their reasons."""
        eligible: list[tuple[str, RequestScore, float]] = []
        excluded: list[tuple[str, float | None, str]] = []
        for request_id, score, gates in self.open:
            reasons = list(gates)
            total = score.total(weights) if score else None
            if score is None:
                reasons.append("noch nicht bewertet")
            elif total is not None and below_minimum(total, matrix):
                reasons.append(f"Mindestpunktzahl {points(matrix.mindestpunktzahl)} nicht erreicht")
            if reasons:
                excluded.append((request_id, total, "; ".join(reasons)))
            else:
                assert score is not None and total is not None
                eligible.append((request_id, score, total))
        heaviest = max(matrix.gruppen, key=lambda g: weights[g.id]).id
        eligible.sort(
            key=lambda item: _tie_key(
                item[0], requests[item[0]], item[1], matrix, weights, heaviest, item[2]
            )
        )
        return [(rid, score) for rid, score, _ in eligible], excluded


def below_minimum(total: float, matrix: Entscheidungsmatrix) -> bool:
    """Below the matrix's minimum score, compared at 9 places: a total that equals the minimum
    in exact arithmetic (sixths of a scale, say) must not fall below it by a float error."""
    return round(total, 9) < matrix.mindestpunktzahl


def candidates(
    requests: Mapping[str, Antrag],
    matrix: Entscheidungsmatrix,
    without_reviewer: str | None = None,
) -> Candidates:
    """Score and gate every request without a recorded decision, in id order."""
    return Candidates(
        tuple(
            (
                request_id,
                score_request(request_id, requests[request_id], matrix, without_reviewer),
                tuple(knock_outs(requests[request_id], matrix)),
            )
            for request_id in sorted(requests)
            if requests[request_id].entscheidung.status not in RECORDED
        )
    )


def allocate(
    requests: Mapping[str, Antrag],
    matrix: Entscheidungsmatrix,
    budget: int,
    weights: Weights | None = None,
    without_reviewer: str | None = None,
) -> Allocation:
    """Take recorded grants off the budget, then gate, rank and fund the open requests: walk the
    ranking and fund each request that fits the remaining budget; one that does not fit goes to
    the waiting list and the next is tried. The caller makes sure the grants fit the budget."""
    weights = dict(weights or published_weights(matrix))
    allocation = Allocation(budget, weights, granted_total(requests))
    assert allocation.available >= 0, "recorded grants exceed the budget"
    recorded = _recorded_steps(requests, matrix, allocation, without_reviewer)
    allocation.steps.extend(s for s in recorded if s.decision == "bewilligt")
    eligible, excluded = candidates(requests, matrix, without_reviewer).ranked(
        requests, matrix, weights
    )
    remaining = allocation.available
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
        tie = _tie_note(rank, eligible, requests, weights, matrix)
        allocation.steps.append(
            Step(request_id, rank, total, decision, reason + (f"; {tie}" if tie else ""), remaining)
        )
    for request_id, excluded_total, reason in excluded:
        allocation.steps.append(
            Step(request_id, None, excluded_total, "ausgeschlossen", reason, remaining)
        )
    allocation.steps.extend(
        Step(s.request_id, None, s.total, s.decision, s.reason, remaining)
        for s in recorded
        if s.decision == "abgelehnt"
    )
    return allocation


def _tie_note(
    rank: int,
    eligible: list[tuple[str, RequestScore]],
    requests: Mapping[str, Antrag],
    weights: Weights,
    matrix: Entscheidungsmatrix,
) -> str | None:
    """Say so when the rank was decided by the tie-break order rather than by points, and which
    rule of the order separated the request from its tied neighbour."""
    request_id = eligible[rank - 1][0]
    total = round(eligible[rank - 1][1].total(weights), 9)
    tied = [(rid, s) for rid, s in eligible if round(s.total(weights), 9) == total]
    if len(tied) < 2:
        return None
    position = [rid for rid, _ in tied].index(request_id)
    neighbour = tied[position + 1] if position + 1 < len(tied) else tied[position - 1]
    heaviest = max(matrix.gruppen, key=lambda g: weights[g.id]).id
    mine, theirs = (
        _tie_key(rid, requests[rid], score, matrix, weights, heaviest)
        for rid, score in (tied[position], neighbour)
    )
    rules = [*matrix.gleichstand, "kennung"]
    decisive = next(rule for rule, a, b in zip(rules, mine[1:], theirs[1:], strict=True) if a != b)
    others = ", ".join(rid for rid, _ in tied if rid != request_id)
    return f"Punktgleich mit {others}; entschieden durch: {_rule_words(decisive, matrix)}"


def _rule_words(rule: str, matrix: Entscheidungsmatrix) -> str:
    if rule == "kennung":
        return "Kennung"
    if rule == "los":
        return f"Los (Startwert „{matrix.los_startwert}“)"
    return TIE_BREAK_LABELS[rule]
