"""Checks of the areas' validity: an area with new boundaries is a new record, its predecessor
ends (``gueltig_bis``) and names it (``nachfolger``); an indicator set names the area edition it
counted with (``gebietsstand``), and each of its areas holds in that month.

Kept apart from ``checks.py`` so that each rule is one function in ``AREA_CHECKS``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from qa_cli.city import rules_of
from qa_cli.models.gebiet import Gebiet
from qa_cli.months import Month
from qa_cli.store.dataset import Dataset
from qa_cli.store.kinds import GEBIETE, INDIKATORENSAETZE
from qa_cli.store.locate import locate
from qa_cli.store.problems import Problem


def _month(text: str | None) -> Month | None:
    return Month.parse(text) if text else None


def check_validity_order(dataset: Dataset) -> Iterator[Problem]:
    """An area begins before it ends."""
    for area_id, area in dataset.gebiete.items():
        start, end = _month(area.gueltig_ab), _month(area.gueltig_bis)
        if start is not None and end is not None and end < start:
            yield locate(
                dataset.file_of(GEBIETE, area_id),
                ("gueltig_bis",),
                "gueltigkeit-ungueltig",
                f"„{area.name}“ gilt bis {end.german()}, aber erst ab {start.german()}.",
            )


def check_successors(dataset: Dataset) -> Iterator[Problem]:
    """Every successor exists, is another area of the same kind and begins after this one
    ends; an area with successors has an end."""
    areas = dataset.gebiete
    for area_id, area in areas.items():
        record_file = dataset.file_of(GEBIETE, area_id)
        if area.nachfolger and area.gueltig_bis is None:
            yield locate(
                record_file,
                ("nachfolger",),
                "nachfolger-ungueltig",
                f"„{area.name}“ hat Nachfolger, aber kein `gueltig_bis`.",
                "Den letzten Monat mit den alten Grenzen als `gueltig_bis` eintragen.",
            )
        for index, successor_id in enumerate(area.nachfolger or []):
            message = _successor_problem(area_id, area, successor_id, areas)
            if message is not None:
                text, hint = message
                yield locate(record_file, ("nachfolger", index), "nachfolger-ungueltig", text, hint)


def _successor_problem(
    area_id: str, area: Gebiet, successor_id: str, areas: dict[str, Gebiet]
) -> tuple[str, str | None] | None:
    successor = areas.get(successor_id)
    if successor is None:
        close = difflib.get_close_matches(successor_id, list(areas), n=1, cutoff=0.6)
        return (
            f"Nachfolger „{successor_id}“ gibt es nicht (data/gebiete/).",
            f"Meinten Sie „{close[0]}“?" if close else None,
        )
    if successor_id == area_id:
        return f"„{area.name}“ ist sein eigener Nachfolger.", None
    if successor.art != area.art:
        return f"Nachfolger „{successor.name}“ ist von anderer Art ({successor.art}).", None
    end, start = _month(area.gueltig_bis), _month(successor.gueltig_ab)
    if end is not None and (start is None or start <= end):
        begins = f"ab {start.german()}" if start else "ohne `gueltig_ab`"
        return (
            f"Nachfolger „{successor.name}“ gilt {begins}, „{area.name}“ aber bis {end.german()}.",
            f"`gueltig_ab: {end.plus(1)}` im Nachfolger eintragen.",
        )
    return None


def check_successor_cycles(dataset: Dataset) -> Iterator[Problem]:
    """Following successors never leads back to the start."""
    areas = dataset.gebiete
    for area_id in areas:
        chain = _successor_cycle(area_id, areas)
        if chain:
            yield locate(
                dataset.file_of(GEBIETE, area_id),
                ("nachfolger",),
                "nachfolger-zyklus",
                f"Nachfolger bilden einen Kreis: {' → '.join(chain)}.",
            )


def _successor_cycle(start: str, areas: dict[str, Gebiet]) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    visited: set[str] = set()
    while stack:
        current, chain = stack.pop()
        known = areas.get(current)
        for successor in (known.nachfolger or []) if known else ():
            if successor == start and len(chain) > 1:
                return [*chain, start]
            if successor not in visited and successor != current:
                visited.add(successor)
                stack.append((successor, [*chain, successor]))
    return None


def _has_validity(area: Gebiet) -> bool:
    return area.gueltig_ab is not None or area.gueltig_bis is not None


def check_set_editions(dataset: Dataset) -> Iterator[Problem]:
    """A set of a division whose areas have a validity names its area edition, and each of
    its areas holds in that month."""
    rules = rules_of(dataset.stadt)
    for set_id, indicator_set in dataset.indikatorensaetze.items():
        record_file = dataset.file_of(INDIKATORENSAETZE, set_id)
        edition = indicator_set.edition
        if edition is None:
            changing = sorted(
                area.name
                for area in dataset.gebiete.values()
                if area.art == indicator_set.gliederung and _has_validity(area)
            )
            if changing:
                yield locate(
                    record_file,
                    ("gliederung",),
                    "gebietsstand-fehlt",
                    f"Gebiete der Gliederung {rules.kind_label(indicator_set.gliederung)} "
                    f"haben eine Gültigkeit ({', '.join(changing)}), der Satz nennt aber "
                    "keinen `gebietsstand`.",
                    f"`gebietsstand: {indicator_set.jahr}-01` (JJJJ-MM) mit dem Monat der "
                    "Gebietsgrenzen eintragen, mit denen gezählt wurde.",
                )
            continue
        for unit in indicator_set.werte:
            area = dataset.gebiete.get(unit)
            if area is not None and not area.valid_at(edition):
                after = ", ".join(area.nachfolger or []) or "keiner erklärt"
                yield locate(
                    record_file,
                    ("werte", unit),
                    "gebietsstand-ungueltig",
                    f"„{area.name}“ ist {area.validity_text()}, der Satz zählt aber mit dem "
                    f"Gebietsstand {edition.german()}.",
                    f"Werte mit neuen Grenzen gehören zum Nachfolger ({after}).",
                )


AREA_CHECKS = (
    check_validity_order,
    check_successors,
    check_successor_cycles,
    check_set_editions,
)
