"""What a fund's records say: the state of its budget, each application measured against the
fund's rules, the proofs of use that are due, and the figures of the yearly report.

Plain functions, no printing. Amounts no source gives stay unknown: sums count only known
amounts and every result says how many were unknown, so a "left" is then an upper bound and a
"share used" a lower bound, never a silently wrong figure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from qa_cli import german
from qa_cli.domain.funding import Window
from qa_cli.models.fonds import Fonds
from qa_cli.models.fondsantrag import Fondsantrag
from qa_cli.models.gebiet import Gebiet
from qa_cli.store.checks_fonds import area_and_parents, cap_for

Applications = dict[str, Fondsantrag]


def of_fund(applications: Applications, fund_id: str) -> Applications:
    return {aid: a for aid, a in sorted(applications.items()) if a.fonds == fund_id}


def granted(applications: Applications) -> Applications:
    return {aid: a for aid, a in applications.items() if a.entscheidung.status == "bewilligt"}


@dataclass(slots=True)
class BudgetLine:
    """One Kostenstelle in one year."""

    year: int
    kostenstelle: str
    name: str
    purpose: str | None
    budget: int | None
    budget_declared: bool  # the fund lists a budget (perhaps unknown) for this year and line
    projects: int = 0
    granted: int = 0  # the known amounts
    unknown_amounts: int = 0
    paid: int | None = 0  # None: the payments of at least one project are unknown
    returned: int = 0

    @property
    def complete(self) -> bool:
        return self.unknown_amounts == 0

    @property
    def granted_total(self) -> int | None:
        """All granted amounts; unknown while one of them is."""
        return self.granted if self.complete else None

    @property
    def left(self) -> int | None:
        """Budget minus granted plus returned; unknown while the budget or an amount is."""
        if self.budget is None or not self.complete:
            return None
        return self.budget - self.granted + self.returned

    @property
    def share(self) -> float | None:
        """Share of the budget used (granted minus returned), in percent; unknown while the
        budget or an amount is."""
        if not self.budget or not self.complete:
            return None
        return 100 * (self.granted - self.returned) / self.budget


@dataclass(slots=True)
class FundState:
    fund_id: str
    fund: Fonds
    lines: list[BudgetLine]
    without_year: list[str] = field(default_factory=list)  # granted, budget year unknown
    without_kostenstelle: list[str] = field(default_factory=list)  # granted, line unknown


def fund_state(
    fund_id: str,
    fund: Fonds,
    applications: Applications,
    years: Iterable[int] | None = None,
    kostenstelle: str | None = None,
) -> FundState:
    """Budget, granted, paid, returned and left per year and Kostenstelle. ``years``: those
    asked for; default: every year with a budget or a decision."""
    own = granted(of_fund(applications, fund_id))
    lines: dict[tuple[int, str], BudgetLine] = {}
    chosen = sorted(set(years)) if years is not None else _years(fund, own)
    kostenstellen = [k for k in fund.kostenstellen if kostenstelle in (None, k.id)]
    for year in chosen:
        for line in kostenstellen:
            budget = fund.budget(year, line.id)
            lines[(year, line.id)] = BudgetLine(
                year,
                line.id,
                line.name,
                line.zweck,
                budget.betrag if budget else None,
                budget is not None,
            )
    state = FundState(fund_id, fund, [])
    for application_id, application in own.items():
        charged_year = application.budget_year(fund.in_force)
        charged = fund.charged_to(application.entscheidung.kostenstelle, charged_year)
        if charged_year is None:
            state.without_year.append(application_id)
        elif charged is None:
            state.without_kostenstelle.append(application_id)
        elif (charged_year, charged) in lines:
            _add(lines[(charged_year, charged)], application)
    state.lines = [line for line in lines.values() if line.budget_declared or line.projects]
    return state


def _years(fund: Fonds, applications: Applications) -> list[int]:
    years = {budget.jahr for budget in fund.budgets}
    for application in applications.values():
        year = application.budget_year(fund.in_force)
        if year is not None:
            years.add(year)
    return sorted(years)


def _add(line: BudgetLine, application: Fondsantrag) -> None:
    line.projects += 1
    amount = application.entscheidung.betrag_bewilligt
    if amount is None:
        line.unknown_amounts += 1
    else:
        line.granted += amount
    paid = application.paid
    line.paid = None if line.paid is None or paid is None else line.paid + paid
    line.returned += application.returned


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one rule says about one application: ``ok`` True, False, or None (unknown)."""

    rule: str
    ok: bool | None
    text: str


def assess(
    application: Fondsantrag, fund: Fonds, areas: dict[str, Gebiet], left: int | None
) -> list[Verdict]:
    """The fund's rules, one by one, for the Gremium: cap, goals, area, deadline, and whether
    the amount asked for fits what is left of its Kostenstelle (``left``)."""
    cap, label = cap_for(fund, application)
    asked = application.betrag_beantragt
    verdicts = [
        _cap_verdict(asked, cap, label),
        _goal_verdict(application, fund),
        _area_verdict(application, areas),
        _deadline_verdict(application),
    ]
    if asked is not None and left is not None:
        fits = asked <= left
        verdicts.append(Verdict("budget", fits, f"frei {german.euro(left)}"))
    return verdicts


def _cap_verdict(asked: int | None, cap: int | None, label: str) -> Verdict:
    if asked is None or cap is None:
        return Verdict("hoechstbetrag", None, "Betrag oder Höchstbetrag unbekannt")
    return Verdict("hoechstbetrag", asked <= cap, f"{german.euro(cap)}, {label}")


def _goal_verdict(application: Fondsantrag, fund: Fonds) -> Verdict:
    if application.ziele is None:
        return Verdict("ziele", None, "Ziele unbekannt")
    names = fund.goal_names()
    known = [goal for goal in application.ziele if goal in names]
    return Verdict("ziele", bool(known), str(len(known)))


def _area_verdict(application: Fondsantrag, areas: dict[str, Gebiet]) -> Verdict:
    area = areas.get(application.gebiet) if application.gebiet else None
    if area is None:
        return Verdict("gebiet", None, "Gebiet unbekannt")
    return Verdict("gebiet", True, "")


def _deadline_verdict(application: Fondsantrag) -> Verdict:
    if application.eingang is None or application.frist is None:
        return Verdict("frist", None, "Eingang oder Frist unbekannt")
    in_time = application.eingang <= application.frist
    return Verdict("frist", in_time, f"Eingang {german.day(application.eingang)}")


@dataclass(frozen=True, slots=True)
class RoundEntry:
    application_id: str
    application: Fondsantrag
    kostenstelle: str | None
    verdicts: list[Verdict]


@dataclass(frozen=True, slots=True)
class Round:
    fund_id: str
    fund: Fonds
    deadline: date | None
    entries: list[RoundEntry]
    state: FundState


def round_of(
    fund_id: str,
    fund: Fonds,
    applications: Applications,
    areas: dict[str, Gebiet],
    deadline: date | None,
) -> Round:
    """The applications counting for ``deadline`` (``None``: those with no known deadline),
    each assessed against the budget left in the deadline's year, before this round."""
    own = of_fund(applications, fund_id)
    entries_of_round = {aid: a for aid, a in own.items() if a.frist == deadline}
    year = deadline.year if deadline is not None else None
    others = {aid: a for aid, a in own.items() if aid not in entries_of_round}
    state = fund_state(fund_id, fund, others, [year] if year is not None else [])
    left = {line.kostenstelle: line.left for line in state.lines}
    entries = []
    for application_id, application in entries_of_round.items():
        charged = fund.charged_to(application.entscheidung.kostenstelle, year)
        verdicts = assess(application, fund, areas, left.get(charged) if charged else None)
        entries.append(RoundEntry(application_id, application, charged, verdicts))
    return Round(fund_id, fund, deadline, entries, state)


@dataclass(frozen=True, slots=True)
class ProofEntry:
    application_id: str
    application: Fondsantrag
    due: date | None


@dataclass(frozen=True, slots=True)
class Proofs:
    window: Window
    overdue: list[ProofEntry]
    due: list[ProofEntry]
    received: list[ProofEntry]
    unknown: list[ProofEntry]


def proofs_of_use(applications: Applications, window: Window, today: date) -> Proofs:
    """Granted applications by the state of their proof of use: overdue (due before ``today``,
    not received), due in the window (not received), received in the window (by due date or,
    without one, by receipt), and due date unknown (not received)."""
    overdue, due, received, unknown = [], [], [], []
    for application_id, application in granted(applications).items():
        proof = application.verwendungsnachweis
        due_day = proof.faellig_am if proof is not None else None
        received_day = proof.eingegangen_am if proof is not None else None
        entry = ProofEntry(application_id, application, due_day)
        if received_day is not None:
            if _in(due_day or received_day, window):
                received.append(entry)
        elif due_day is None:
            unknown.append(entry)
        elif due_day < today:
            overdue.append(entry)
        elif _in(due_day, window):
            due.append(entry)
    return Proofs(window, _by_due(overdue), _by_due(due), _by_due(received), unknown)


def _in(day: date, window: Window) -> bool:
    return (window.start is None or day >= window.start) and day <= window.end


def _by_due(entries: list[ProofEntry]) -> list[ProofEntry]:
    return sorted(entries, key=lambda e: (e.due or date.max, e.application_id))


@dataclass(frozen=True, slots=True)
class YearFigures:
    """The yearly report's counts: granted projects by area, goal, applicant kind; repeat
    recipients; ``unknown_*``: how many projects do not say."""

    year: int | None
    projects: int
    by_area: Counter[str]
    by_district: Counter[str]  # the Stadtbezirk above the project's area, if the registry says
    by_goal: Counter[str]
    by_kind: Counter[str]
    repeat: dict[str, int]
    unknown_area: int
    unknown_district: int
    unknown_goals: int
    unknown_kind: int


def year_figures(
    fund: Fonds, applications: Applications, areas: dict[str, Gebiet], year: int | None
) -> YearFigures:
    """Figures of one budget year (``None``: all years together)."""
    chosen = [
        a for a in applications.values() if year is None or a.budget_year(fund.in_force) == year
    ]
    by_area: Counter[str] = Counter(a.gebiet for a in chosen if a.gebiet)
    districts = [district_of(a.gebiet, areas) if a.gebiet else None for a in chosen]
    by_district: Counter[str] = Counter(d for d in districts if d)
    by_goal: Counter[str] = Counter(goal for a in chosen for goal in a.ziele or [])
    by_kind: Counter[str] = Counter(
        kind for a in chosen for kind in {ap.art for ap in a.antragsteller if ap.art}
    )
    return YearFigures(
        year,
        len(chosen),
        by_area,
        by_district,
        by_goal,
        by_kind,
        repeat_recipients(applications),
        sum(1 for a in chosen if not a.gebiet),
        sum(1 for d in districts if d is None),
        sum(1 for a in chosen if a.ziele is None),
        sum(1 for a in chosen if not any(applicant.art for applicant in a.antragsteller)),
    )


def district_of(area_id: str, areas: dict[str, Gebiet]) -> str | None:
    """The Stadtbezirk an area is or lies in (by ``uebergeordnet``); ``None`` if none is
    recorded: areas of another division are not mapped by guesswork."""
    chain = area_and_parents(areas, area_id)
    return next((a for a in chain if a in areas and areas[a].art == "stadtbezirk"), None)


def repeat_recipients(applications: Applications) -> dict[str, int]:
    """Named applicants with more than one granted project (over all years), most first:
    how concentrated the fund is on the same recipients."""
    counts: dict[str, int] = defaultdict(int)
    for application in applications.values():
        for name in {applicant.name for applicant in application.antragsteller if applicant.name}:
            counts[name] += 1
    repeated = {name: n for name, n in counts.items() if n > 1}
    return dict(sorted(repeated.items(), key=lambda item: (-item[1], item[0])))


def projects_in(unit: str, applications: Applications, areas: dict[str, Gebiet]) -> Applications:
    """Granted projects whose area is ``unit`` or lies below it (by id, not by name)."""
    return {
        aid: a
        for aid, a in granted(applications).items()
        if a.gebiet is not None and unit in area_and_parents(areas, a.gebiet)
    }
