"""Which units have an office for which focus, where two offices share a focus, and what each
unit is offered against its need (offices and the fund projects granted in it).

An office (or a fund project) counts for a unit when one of its areas (``gebiet``,
``weitere_gebiete``) is the unit or lies below it in the registry, through any of its parents
(``uebergeordnet``). Offices in areas of another division are not mapped by guesswork.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from qa_cli.domain.fonds import granted, projects_in
from qa_cli.domain.offices import matching_areas
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.fondsantrag import Fondsantrag
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


@dataclass(frozen=True, slots=True)
class Offer:
    """What a unit is offered: its offices and the granted fund projects in it (the same
    projects ``qa profile`` lists for the unit)."""

    offices: tuple[str, ...]
    projects: tuple[tuple[str, str], ...]  # (fund application id, project title)


def offers(
    units: Iterable[str],
    offices: Mapping[str, Anlaufstelle],
    applications: Mapping[str, Fondsantrag],
    areas: Mapping[str, Gebiet],
) -> dict[str, Offer]:
    return {
        unit: Offer(
            tuple(offices_in(unit, offices, areas)),
            tuple(
                (aid, application.projekt.titel)
                for aid, application in sorted(
                    projects_in(unit, dict(applications), dict(areas)).items()
                )
            ),
        )
        for unit in units
    }


def projects_elsewhere(
    offered: Mapping[str, Offer], applications: Mapping[str, Fondsantrag]
) -> list[str]:
    """Granted fund projects in none of the units (an area of another division, or none):
    said, not silently left out of a need-versus-offer view."""
    placed = {aid for offer in offered.values() for aid, _ in offer.projects}
    return sorted(set(granted(dict(applications))) - placed)
