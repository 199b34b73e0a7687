"""How robust is an allocation? Diagnostics only; the decision is the ranked walk.

- ``best_selection``: the set of requests that maximises the summed score within the budget
  (exact 0/1 knapsack), to show where the ranked walk differs from it.
- ``sensitivity``: perturb the weights (Dirichlet around the published ones, seeded) and count how
  often each request is funded; 20–80 % is borderline.
- ``cutoff_swap``: for the last funded and the first waiting request, the smallest shift of weight
  between two groups that puts the waiting one ahead.
- ``leave_one_reviewer_out``: which decisions change when one reviewer's ratings are left out.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from qa_cli.domain.scoring import (
    Allocation,
    Decision,
    RequestScore,
    allocate,
    candidates,
    granted_total,
    published_weights,
    score_request,
)
from qa_cli.models.antrag import Antrag
from qa_cli.models.matrix import Entscheidungsmatrix

BORDERLINE = (0.2, 0.8)


def best_selection(items: Mapping[str, tuple[int, float]], budget: int) -> frozenset[str]:
    """Exact 0/1 knapsack over (amount, score) by dynamic programming over reachable sums.

    A state (cost → best score and the ids chosen) is kept only if no cheaper state scores at
    least as much, so the table stays small for the requests of a round and the result is exact.
    Ties prefer fewer euros, then the alphabetically first set: never the input order.
    """
    states: dict[int, tuple[float, tuple[str, ...]]] = {0: (0.0, ())}
    for item_id in sorted(items):
        amount, score = items[item_id]
        for cost, (value, chosen) in list(states.items()):
            if cost + amount > budget:
                continue
            candidate = (round(value + score, 9), (*chosen, item_id))
            current = states.get(cost + amount)
            if current is None or _better(candidate, current):
                states[cost + amount] = candidate
        states = _prune(states)
    _, (_, chosen) = min(states.items(), key=lambda kv: (-kv[1][0], kv[0], kv[1][1]))
    return frozenset(chosen)


def _better(a: tuple[float, tuple[str, ...]], b: tuple[float, tuple[str, ...]]) -> bool:
    return a[0] > b[0] or (a[0] == b[0] and a[1] < b[1])


def _prune(
    states: dict[int, tuple[float, tuple[str, ...]]],
) -> dict[int, tuple[float, tuple[str, ...]]]:
    """Drop every state that a cheaper state matches or beats."""
    kept: dict[int, tuple[float, tuple[str, ...]]] = {}
    best = float("-inf")
    for cost in sorted(states):
        if states[cost][0] > best:
            kept[cost] = states[cost]
            best = states[cost][0]
    return kept


@dataclass(frozen=True, slots=True)
class Sensitivity:
    draws: int
    seed: int
    concentration: float
    funded_share: dict[str, float]
    funded_count: dict[str, int]  # in how many of the draws each request is funded

    def borderline(self) -> list[str]:
        low, high = BORDERLINE
        return sorted(rid for rid, share in self.funded_share.items() if low <= share <= high)


def _dirichlet(
    rng: random.Random, weights: Mapping[str, float], concentration: float
) -> dict[str, float]:
    draws = {g: rng.gammavariate(concentration * w, 1.0) for g, w in weights.items()}
    total = sum(draws.values())
    return {g: value / total for g, value in draws.items()}


def sensitivity(
    requests: Mapping[str, Antrag],
    matrix: Entscheidungsmatrix,
    budget: int,
    draws: int = 2000,
    seed: int = 2020,
    concentration: float = 100.0,
) -> Sensitivity:
    """Share of weight draws in which each request is funded (same seed → same result).

    Scores and knock-outs do not depend on the weights, so they are computed once
    (``candidates``) and only the ranking and the budget walk are repeated per draw: the same
    result as ``allocate`` under each draw, without its reasons, at a fraction of the cost."""
    rng = random.Random(seed)
    base = published_weights(matrix)
    fixed = candidates(requests, matrix)
    granted = [rid for rid, r in requests.items() if r.entscheidung.status == "bewilligt"]
    available = budget - granted_total(requests)
    funded = dict.fromkeys(requests, 0)
    for rid in granted:
        funded[rid] = draws
    for _ in range(draws):
        eligible, _excluded = fixed.ranked(requests, matrix, _dirichlet(rng, base, concentration))
        remaining = available
        for request_id, _score in eligible:
            amount = requests[request_id].betrag
            if amount <= remaining:
                remaining -= amount
                funded[request_id] += 1
    shares = {rid: count / draws for rid, count in funded.items()}
    return Sensitivity(draws, seed, concentration, shares, dict(funded))


@dataclass(frozen=True, slots=True)
class CutoffSwap:
    funded_id: str
    waiting_id: str
    from_group: str
    to_group: str
    shift: float  # fraction of total weight moved (0.05 = 5 percentage points)


def cutoff_pair(allocation: Allocation) -> tuple[str, str] | None:
    """The last funded request and the first on the waiting list ranked below it, if both exist
    (a waiting request ranked above it has more points already; it did not fit the budget)."""
    funded = [s for s in allocation.steps if s.decision == "gefördert"]
    if not funded:
        return None
    last = funded[-1]
    assert last.rank is not None
    waiting = [
        s
        for s in allocation.steps
        if s.decision == "Warteliste" and s.rank is not None and s.rank > last.rank
    ]
    return (last.request_id, waiting[0].request_id) if waiting else None


def cutoff_swap(
    requests: Mapping[str, Antrag], matrix: Entscheidungsmatrix, allocation: Allocation
) -> CutoffSwap | None:
    """The smallest shift of weight from one group to another that lifts the first waiting
    request to at least the score of the last funded one (``None``: no pair or no such shift)."""
    pair = cutoff_pair(allocation)
    if pair is None:
        return None
    scores = {rid: score_request(rid, requests[rid], matrix) for rid in pair}
    funded, waiting = scores[pair[0]], scores[pair[1]]
    assert funded is not None and waiting is not None
    weights = published_weights(matrix)
    best: CutoffSwap | None = None
    for source in weights:
        for target in weights:
            if source == target:
                continue
            shift = _smallest_shift(funded, waiting, weights, source, target)
            if shift is not None and (best is None or shift < best.shift):
                best = CutoffSwap(pair[0], pair[1], source, target, shift)
    return best


def _smallest_shift(
    funded: RequestScore,
    waiting: RequestScore,
    weights: Mapping[str, float],
    source: str,
    target: str,
) -> float | None:
    """Bisection on the moved weight; ``None`` if even moving all of ``source`` is not enough."""

    def gap(moved: float) -> float:
        shifted = dict(weights)
        shifted[source] -= moved
        shifted[target] += moved
        return funded.total(shifted) - waiting.total(shifted)

    if gap(weights[source]) > 0:
        return None
    if gap(0.0) <= 0:
        return 0.0  # already tied: the tie-break order decided, no weight needs to move
    low, high = 0.0, weights[source]
    for _ in range(60):
        middle = (low + high) / 2
        if gap(middle) > 0:
            low = middle
        else:
            high = middle
    return high


@dataclass(frozen=True, slots=True)
class ReviewerEffect:
    reviewer: str
    changes: dict[str, tuple[Decision, Decision]]  # request → (with all, without this reviewer)


def leave_one_reviewer_out(
    requests: Mapping[str, Antrag], matrix: Entscheidungsmatrix, budget: int, baseline: Allocation
) -> list[ReviewerEffect]:
    reviewers = sorted({r.gutachter for request in requests.values() for r in request.bewertungen})
    before = baseline.decisions()
    effects = []
    for reviewer in reviewers:
        after = allocate(requests, matrix, budget, without_reviewer=reviewer).decisions()
        changes = {rid: (before[rid], after[rid]) for rid in before if before[rid] != after[rid]}
        effects.append(ReviewerEffect(reviewer, changes))
    return effects


def rankable(
    requests: Mapping[str, Antrag], allocation: Allocation
) -> dict[str, tuple[int, float]]:
    """Amount and total of every ranked request (not excluded, not decided yet): the knapsack's
    items; their budget is ``allocation.available``."""
    return {
        step.request_id: (requests[step.request_id].betrag, step.total or 0.0)
        for step in allocation.steps
        if step.rank is not None
    }


Robustness = tuple[Sensitivity, CutoffSwap | None, list[ReviewerEffect]]


def robustness(
    requests: Mapping[str, Antrag], matrix: Entscheidungsmatrix, allocation: Allocation
) -> Robustness:
    """The three robustness diagnostics of an allocation, as ``qa score --sensitivity`` and the
    decision paper show them."""
    budget = allocation.budget
    return (
        sensitivity(requests, matrix, budget),
        cutoff_swap(requests, matrix, allocation),
        leave_one_reviewer_out(requests, matrix, budget, allocation),
    )
