"""One interim round as every view of it needs it: its matrix, requests, offices, scores and
the allocation of its budget. Built here once, so ``qa score``, the decision paper, the grant
notice and the audit dossier rank and fund by the same rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from qa_cli.domain.scoring import Allocation, RequestScore, allocate, granted_total, score_request
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.antrag import Antrag
from qa_cli.models.matrix import Entscheidungsmatrix


@dataclass(frozen=True, slots=True)
class Round:
    """Everything one view of a round needs."""

    round_id: str
    matrix: Entscheidungsmatrix
    requests: Mapping[str, Antrag]
    offices: Mapping[str, Anlaufstelle]
    scores: Mapping[str, RequestScore | None]
    allocation: Allocation

    @property
    def is_example(self) -> bool:
        return self.matrix.beispiel or any(r.beispiel for r in self.requests.values())


class BudgetBelowGranted(ValueError):
    """A what-if budget smaller than what the round has granted already: no allocation could
    honour both, so there is none rather than one that silently takes grants back."""

    def __init__(self, budget: int, granted: int) -> None:
        super().__init__(budget, granted)
        self.budget, self.granted = budget, granted


def round_of(
    round_id: str,
    matrix: Entscheidungsmatrix,
    requests: Mapping[str, Antrag],
    offices: Mapping[str, Anlaufstelle],
    budget: int | None = None,
) -> Round:
    """The round ``round_id`` of ``requests`` (all rounds' requests may be given), scored and
    funded with the matrix's budget or a what-if ``budget``."""
    own = {rid: r for rid, r in requests.items() if r.runde == round_id}
    scores = {rid: score_request(rid, r, matrix) for rid, r in own.items()}
    granted = granted_total(own)
    if budget is not None and budget < granted:
        raise BudgetBelowGranted(budget, granted)
    allocation = allocate(own, matrix, matrix.budget if budget is None else budget)
    return Round(round_id, matrix, own, offices, scores, allocation)
