"""Selecting offices by area, operator, programme and focus."""

from __future__ import annotations

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


def matching_areas(areas: dict[str, Gebiet], wanted: list[str]) -> set[str]:
    """Ids of the areas named in ``wanted`` (id, name or other name) and of all areas below."""
    keys = {text.casefold() for text in wanted}
    chosen = {
        area_id
        for area_id, area in areas.items()
        if {area_id, area.name.casefold(), *(n.casefold() for n in area.andere_namen or [])} & keys
    }
    return {area_id for area_id in areas if _ancestors(area_id, areas) & chosen}


def _ancestors(area_id: str, areas: dict[str, Gebiet]) -> set[str]:
    """The area itself and every area above it (stops on cycles, which validate reports)."""
    found: set[str] = set()
    current: str | None = area_id
    while current is not None and current not in found:
        found.add(current)
        current = areas[current].uebergeordnet if current in areas else None
    return found


def _contains(values: list[str] | None, wanted: list[str]) -> bool:
    if not wanted:
        return True
    texts = [value.casefold() for value in values or []]
    return any(part.casefold() in text for part in wanted for text in texts)


def filter_offices(
    offices: dict[str, Anlaufstelle], areas: dict[str, Gebiet], selection: OfficeFilter
) -> dict[str, Anlaufstelle]:
    area_ids = matching_areas(areas, selection.stadtteil) if selection.stadtteil else None
    return {
        office_id: office
        for office_id, office in offices.items()
        if (area_ids is None or office.gebiet in area_ids)
        and _contains(office.traeger, selection.traeger)
        and _contains(
            [g.programm for g in office.foerderungen if g.programm], selection.foerderzugang
        )
        and _contains([office.ausrichtung] if office.ausrichtung else [], selection.ausrichtung)
    }
