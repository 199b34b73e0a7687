"""Quarterly figures: which offices are funded, end, have ended or are bridged, per quarter.

A quarter counts an office as ``aktiv`` when its funding covers at least one of the quarter's
months (permanent funding always does; a start before the quarter is assumed when no grant names
one), ``endet`` when its funding ends in the quarter, ``beendet`` when it ended before, and
``ende_unbekannt`` when no end is known. ``ueberbrueckt`` counts offices with a granted interim
request whose period overlaps the quarter. Offices with several operators or areas count for each.

By funding programme (``foerderzugang``) an office counts under each programme of its granted
grants with the state of those grants alone: funded under a programme only in the quarters its
grants of that programme run, never under a programme it left years before (and under none yet
before the first grant of it starts).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from qa_cli.domain.funding import EndKind, funding_end
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.antrag import Antrag
from qa_cli.models.gebiet import Gebiet
from qa_cli.models.matrix import Entscheidungsmatrix
from qa_cli.months import Month

_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
MEASURES = ("aktiv", "endet", "beendet", "ende_unbekannt", "ueberbrueckt")
MEASURE_LABELS = {
    "aktiv": "gefördert",
    "endet": "Förderung endet im Quartal",
    "beendet": "Förderung beendet",
    "ende_unbekannt": "Ende unbekannt",
    "ueberbrueckt": "durch Interimsfinanzierung überbrückt",
}
GROUPS = ("gesamt", "stadtteil", "traeger", "foerderzugang")


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text.strip())
        if not match or not 1 <= int(match[1]) <= 9999:
            raise ValueError(f"„{text}“ ist kein Quartal; erlaubt: 2020-Q4 oder 2020Q4.")
        return cls(int(match[1]), int(match[2]))

    @property
    def first(self) -> Month:
        return Month(self.year, 3 * self.number - 2)

    @property
    def last(self) -> Month:
        return Month(self.year, 3 * self.number)

    @property
    def start(self) -> date:
        return self.first.first_day()

    @property
    def end(self) -> date:
        return self.last.last_day()

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def quarters(first: Quarter, last: Quarter) -> list[Quarter]:
    if last < first:
        raise ValueError(f"{last} liegt vor {first}.")
    found = [first]
    while found[-1] < last:
        found.append(found[-1].next())
    return found


def office_state(office: Anlaufstelle, quarter: Quarter) -> str:
    """aktiv, endet, beendet, ende_unbekannt or noch_nicht (funding starts later)."""
    end = funding_end(office)
    if end.kind is EndKind.PERMANENT:
        return "aktiv"
    if end.kind is EndKind.UNKNOWN or end.period is None:
        return "ende_unbekannt"
    starts = [
        Month.parse(g.beginn) for g in office.foerderungen if g.status == "bewilligt" and g.beginn
    ]
    if starts and min(starts) > quarter.last:
        return "noch_nicht"
    last = end.period.last
    if last < quarter.first:
        return "beendet"
    return "endet" if last <= quarter.last else "aktiv"


def bridged(office_id: str, requests: Mapping[str, Antrag], quarter: Quarter) -> bool:
    return any(
        r.anlaufstelle == office_id
        and r.entscheidung.status == "bewilligt"
        and Month.parse(r.zeitraum.beginn) <= quarter.last
        and Month.parse(r.zeitraum.ende) >= quarter.first
        for r in requests.values()
    )


def _groups(office: Anlaufstelle, areas: Mapping[str, Gebiet]) -> Iterator[tuple[str, str]]:
    """The groups an office counts in with its own (whole) funding state."""
    yield "gesamt", "alle"
    for area_id in office.gebiete:
        area = areas.get(area_id)
        yield "stadtteil", area.name if area else area_id
    for operator in office.traeger:
        yield "traeger", operator


def by_programme(office: Anlaufstelle) -> Iterator[tuple[str, Anlaufstelle]]:
    """Per programme of the granted grants (``k.A.`` for grants naming none, and for an office
    without any granted grant), the office with only the grants of that programme."""
    granted = [g for g in office.foerderungen if g.status == "bewilligt"]
    if not granted:
        yield "k.A.", office
        return
    for programme in sorted({g.programm or "k.A." for g in granted}):
        grants = [g for g in granted if (g.programm or "k.A.") == programme]
        yield programme, office.model_copy(update={"foerderungen": grants})


def _flags(
    office_id: str, office: Anlaufstelle, requests: Mapping[str, Antrag], quarter: Quarter
) -> dict[str, int]:
    state = office_state(office, quarter)
    flags = {m: int(m == state) for m in MEASURES}
    flags["aktiv"] = int(state in ("aktiv", "endet"))
    flags["ueberbrueckt"] = int(bridged(office_id, requests, quarter))
    return flags


@dataclass(frozen=True, slots=True)
class Figure:
    quarter: Quarter
    group: str
    value: str
    measure: str
    number: int


def office_figures(
    offices: Mapping[str, Anlaufstelle],
    areas: Mapping[str, Gebiet],
    requests: Mapping[str, Antrag],
    periods: list[Quarter],
) -> list[Figure]:
    """Counts per quarter × group × measure (zero counts included, so every group has every
    measure)."""
    counts: dict[tuple[Quarter, str, str, str], int] = {}
    for quarter in periods:
        for office_id, office in sorted(offices.items()):
            flags = _flags(office_id, office, requests, quarter)
            counted = [(group, value, flags) for group, value in _groups(office, areas)]
            counted += [
                ("foerderzugang", programme, _flags(office_id, part, requests, quarter))
                for programme, part in by_programme(office)
            ]
            for group, value, measures in counted:
                for measure, flag in measures.items():
                    key = (quarter, group, value, measure)
                    counts[key] = counts.get(key, 0) + flag
    return [Figure(q, g, v, m, n) for (q, g, v, m), n in sorted(counts.items(), key=_order)]


def _order(item: tuple[tuple[Quarter, str, str, str], int]) -> tuple[Quarter, int, str, int]:
    (quarter, group, value, measure), _ = item
    return quarter, GROUPS.index(group), value.casefold(), MEASURES.index(measure)


@dataclass(frozen=True, slots=True)
class BudgetLine:
    quarter: Quarter
    round_id: str
    budget: int
    committed: int

    @property
    def left(self) -> int:
        return self.budget - self.committed


def budget_lines(
    matrices: Mapping[str, Entscheidungsmatrix],
    requests: Mapping[str, Antrag],
    periods: list[Quarter],
) -> list[BudgetLine]:
    """Per quarter and round: the budget, what granted decisions dated by the quarter's end have
    committed, and what is left."""
    lines = []
    for quarter in periods:
        for round_id, matrix in sorted(matrices.items()):
            committed = sum(
                r.entscheidung.betrag_bewilligt or 0
                for r in requests.values()
                if r.runde == round_id
                and r.entscheidung.status == "bewilligt"
                and r.entscheidung.datum is not None
                and r.entscheidung.datum <= quarter.end
            )
            lines.append(BudgetLine(quarter, round_id, matrix.budget, committed))
    return lines
