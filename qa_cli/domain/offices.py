"""Selecting offices by area, operator, programme and focus."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.gebiet import Gebiet


@dataclass(frozen=True, slots=True)
class OfficeFilter:
    """Repeating one option widens (OR); different options narrow (AND). Areas match by id or
    name exactly and include the areas below them; the text options match parts of words."""

    stadtteil: list[str] = field(default_factory=list)
    traeger: list[str] = field(default_factory=list)
    foerderzugang: list[str] = field(default_factory=list)
    ausrichtung: list[str] = field(default_factory=list)


def named_areas(areas: dict[str, Gebiet], text: str) -> list[str]:
    """Ids of the areas ``text`` names: the id itself, else every area of that name or other
    name (several when two areas share a name: the caller must say it is ambiguous)."""
    if text in areas:
        return [text]
    key = text.casefold()
    return sorted(
        area_id
        for area_id, area in areas.items()
        if key in {area_id, area.name.casefold(), *(n.casefold() for n in area.andere_namen or [])}
    )


def matching_areas(areas: dict[str, Gebiet], wanted: list[str]) -> set[str]:
    """Ids of the areas named in ``wanted`` (id, name or other name) and of all areas below."""
    chosen = {area_id for text in wanted for area_id in named_areas(areas, text)}
    return {area_id for area_id in areas if ancestors(area_id, areas) & chosen}


def ancestors(area_id: str, areas: Mapping[str, Gebiet]) -> set[str]:
    """The area itself and every area above it, through every parent (stops on cycles, which
    validate reports)."""
    found: set[str] = set()
    pending = [area_id]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.add(current)
        if current in areas:
            pending.extend(areas[current].parent_ids)
    return found


def _contains(values: list[str] | None, wanted: list[str]) -> bool:
    if not wanted:
        return True
    texts = [value.casefold() for value in values or []]
    return any(part.casefold() in text for part in wanted for text in texts)


def filter_offices(
    offices: Mapping[str, Anlaufstelle], areas: dict[str, Gebiet], selection: OfficeFilter
) -> Iterator[tuple[str, Anlaufstelle]]:
    """The selected offices, one at a time: a caller walking 100,000 of them need not hold
    them all (``store.stored``)."""
    area_ids = matching_areas(areas, selection.stadtteil) if selection.stadtteil else None
    return (
        (office_id, office)
        for office_id, office in offices.items()
        if (area_ids is None or not area_ids.isdisjoint(office.gebiete))
        and _contains(office.traeger, selection.traeger)
        and _contains(
            [g.programm for g in office.foerderungen if g.programm], selection.foerderzugang
        )
        and _contains([office.ausrichtung] if office.ausrichtung else [], selection.ausrichtung)
    )
