"""The interim round as the commands that show it choose and build it (``qa score``,
``qa report entscheidung`` and ``mitteilung``, ``qa dossier``): one place, so these commands
do not import each other for it, and every view ranks, funds and numbers a round alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa_cli import german
from qa_cli.cli.common import fail

if TYPE_CHECKING:
    from qa_cli.city import CityRules
    from qa_cli.domain.rounds import Round
    from qa_cli.render.report import Report
    from qa_cli.store.dataset import Dataset


def choose_round(dataset: Dataset, runde: str | None) -> str:
    """The round ``--runde`` names, the newest without it; a usage error with the rounds
    there are for one that does not exist."""
    rounds = sorted(dataset.matrizen)
    if not rounds:
        fail("Es gibt keine Entscheidungsmatrix (data/entscheidungsmatrizen/).")
    if runde is None:
        return rounds[-1]
    if runde not in dataset.matrizen:
        fail(f"Runde „{runde}“ gibt es nicht.", hint="Runden: " + ", ".join(rounds))
    return runde


def build_round(dataset: Dataset, round_id: str, budget: int | None) -> Round:
    """The round scored and funded (``budget``: a what-if budget instead of the matrix's);
    a budget below what the round has granted is a usage error."""
    from qa_cli.domain.rounds import BudgetBelowGranted, round_of

    try:
        return round_of(
            round_id, dataset.matrizen[round_id], dataset.antraege, dataset.anlaufstellen, budget
        )
    except BudgetBelowGranted as error:
        fail(
            f"--budget: {german.euro(error.budget)} ist weniger als die in Runde {round_id} "
            f"bereits bewilligten {german.euro(error.granted)}.",
            hint=f"Ein Budget von mindestens {error.granted} angeben.",
        )


def given_number(given: str | None) -> str | None:
    """The Vorlagen-Nr. of ``--nummer``; an empty one is a usage error."""
    if given is not None and not given.strip():
        fail("--nummer ist leer.")
    return given.strip() if given else None


def paper_number(rules: CityRules, given: str | None, runde: str, dataset: Dataset) -> str | None:
    """The Vorlagen-Nr.: as given, else from the city's pattern with the year the paper is
    made (the stamp's date, so ``SOURCE_DATE_EPOCH`` fixes it too)."""
    if given is not None:
        return given_number(given)
    from qa_cli.store.state import made_now

    made = dataset.state.made_at if dataset.state else made_now()
    return rules.paper_number(runde, made.year)


def decision_paper_of(dataset: Dataset, round_id: str, nummer: str | None = None) -> Report:
    """The decision paper of a round (``qa report entscheidung``, the audit dossier);
    ``nummer`` overrides the Vorlagen-Nr. the city's pattern gives."""
    from qa_cli.city import rules_of
    from qa_cli.domain.robustness import best_selection, rankable, robustness
    from qa_cli.render.decision_paper import decision_paper

    round_ = build_round(dataset, round_id, None)
    allocation = round_.allocation
    best = best_selection(rankable(round_.requests, allocation), allocation.available)
    rules = rules_of(dataset.stadt)
    return decision_paper(
        round_,
        best,
        robustness(round_.requests, round_.matrix, allocation),
        rules,
        paper_number(rules, nummer, round_.round_id, dataset),
    )
