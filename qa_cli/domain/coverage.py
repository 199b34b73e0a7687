"""Which units have an office for which focus, and where two offices share a focus.

An office counts for a unit when one of its areas (``gebiet``, ``weitere_gebiete``) is the unit or
lies below it in the registry, through any of its parents (``uebergeordnet``). Offices in areas of
another division are not mapped by guesswork.
"""

from __future__ import annotations

from collections.abc import Mapping

from qa_cli.domain.offices import matching_areas
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.gebiet import Gebiet

FocusMap = dict[str, list[str]]  # focus → office ids


def offices_in(
    unit: str, offices: Mapping[str, Anlaufstelle], areas: Mapping[str, Gebiet]
) -> list[str]:
    inside = matching_areas(dict(areas), [unit])
    return sorted(
        office_id for office_id, office in offices.items() if not inside.isdisjoint(office.gebiete)
    )


def coverage(
    unit: str, offices: Mapping[str, Anlaufstelle], areas: Mapping[str, Gebiet]
) -> FocusMap:
    found: FocusMap = {}
    for office_id in offices_in(unit, offices, areas):
        for focus in offices[office_id].schwerpunkte or []:
            found.setdefault(focus, []).append(office_id)
    return dict(sorted(found.items()))


def double_structures(focus_map: FocusMap) -> FocusMap:
    """Foci served by two or more offices in the same unit: possible Doppelstrukturen."""
    return {focus: ids for focus, ids in focus_map.items() if len(ids) > 1}
