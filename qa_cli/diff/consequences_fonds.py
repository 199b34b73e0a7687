"""What follows from a change of funds or fund applications: budget lines (fund, year,
Kostenstelle) whose granted or left amount differs between the two states. A line left below
zero by the new state is overspent (``fonds-ueberzogen``, kritisch)."""

from __future__ import annotations

from collections.abc import Mapping

from qa_cli import german
from qa_cli.diff.consequences import Consequence
from qa_cli.domain.fonds import BudgetLine, fund_state
from qa_cli.models.fonds import Fonds
from qa_cli.models.fondsantrag import Fondsantrag

FundSide = tuple[Mapping[str, Fonds], Mapping[str, Fondsantrag]]


def _lines(side: FundSide, fund_id: str) -> dict[tuple[int, str], BudgetLine]:
    funds, applications = side
    fund = funds.get(fund_id)
    if fund is None:
        return {}
    state = fund_state(fund_id, fund, dict(applications))
    return {(line.year, line.kostenstelle): line for line in state.lines}


def _amount(value: int | None) -> str:
    return german.UNKNOWN if value is None else german.euro(value)


def fund_budgets(old: FundSide, new: FundSide, fund_ids: set[str]) -> list[Consequence]:
    """Per touched fund: each budget line whose granted total or left amount changes."""
    found = []
    for fund_id in sorted(fund_ids):
        before, after = _lines(old, fund_id), _lines(new, fund_id)
        for key in sorted(set(before) | set(after)):
            was, now = before.get(key), after.get(key)
            figures = [
                (line.granted_total, line.left) if line else (None, None) for line in (was, now)
            ]
            if figures[0] == figures[1]:
                continue
            (granted_was, left_was), (granted_now, left_now) = figures
            overspent = left_now is not None and left_now < 0
            year, kostenstelle = key
            found.append(
                Consequence(
                    "fonds-ueberzogen" if overspent else "fondsbudget",
                    f"{fund_id}/{year}/{kostenstelle}",
                    f"Fonds {fund_id}, {year}, Kostenstelle {kostenstelle}: bewilligt "
                    f"{_amount(granted_was)} → {_amount(granted_now)}, frei {_amount(left_was)} "
                    f"→ {_amount(left_now)}" + (" (Budget überschritten)" if overspent else ""),
                    {"bewilligt": granted_was, "frei": left_was},
                    {"bewilligt": granted_now, "frei": left_now},
                )
            )
    return found
