"""The offices as a GeoJSON FeatureCollection (RFC 7946) for QGIS, uMap or a web map.

Coordinates are ``[lon, lat]`` in WGS84, rounded to 6 decimal places (about 0.1 m; RFC 7946
§11.2). Properties are flat text, numbers or null, so that every GIS tool shows them without
converting lists: several Träger or Schwerpunkte are joined with ", ". ``lage_genauigkeit`` says
where the point comes from: ``adresse`` (the office's own ``standort``) or ``gebiet`` (the area's
``lage``: approximate, shared by all offices of the area). Offices without either have no point;
they are named in the foreign member ``nicht_verortet`` (RFC 7946 §6.1) instead of being dropped
silently.
"""

from __future__ import annotations

from typing import Any

from qa_cli.domain.funding import EndKind, FundingEnd, funding_end, programmes_of, shown_grants
from qa_cli.domain.geo import PlacedOffice, place_offices
from qa_cli.months import PERMANENT
from qa_cli.store.dataset import Dataset

PRECISION = 6


def end_code(office_end: FundingEnd) -> str | None:
    """The end of an office's funding as the records write it: ``2020-12``, ``2021-H1``,
    ``dauerhaft``, or ``None`` when unknown."""
    if office_end.kind is EndKind.PERMANENT:
        return PERMANENT
    if office_end.period is None:
        return None
    return office_end.period.iso()


def _joined(values: list[str] | None) -> str | None:
    return ", ".join(values) if values else None


def office_properties(dataset: Dataset, placed: PlacedOffice) -> dict[str, Any]:
    office = placed.office
    area = dataset.gebiete.get(office.gebiet)
    focus = office.schwerpunkte or []
    focus_names = [dataset.schwerpunkte[f].name if f in dataset.schwerpunkte else f for f in focus]
    end = funding_end(office)
    return {
        "id": placed.id,
        "name": office.name,
        "traeger": _joined(list(office.traeger)),
        "gebiet": office.gebiet,
        "gebiet_name": area.name if area is not None else None,
        "schwerpunkte": _joined(list(focus)),
        "schwerpunkte_namen": _joined(focus_names),
        "schwerpunkt": focus[0] if focus else None,
        "ausrichtung": office.ausrichtung,
        "kooperationspartner": _joined(office.kooperationspartner),
        "foerderzugang": _joined(programmes_of(shown_grants(office, end))),
        "foerderung_bis": end_code(end),
        "foerderung_vorlaeufig": end.provisional,
        "laufzeit_wortlaut": office.laufzeit_wortlaut,
        "adresse": office.standort.adresse if office.standort is not None else None,
        "lage_genauigkeit": placed.position.genauigkeit if placed.position else None,
        # whose point an approximate position is: the office's area or one above it
        "lage_gebiet": placed.position.area_id if placed.position else None,
    }


def feature_collection(dataset: Dataset) -> dict[str, Any]:
    """Every office with a position as a Point feature, in name order."""
    placed = place_offices(dataset.anlaufstellen, dataset.gebiete)
    features = []
    for entry in placed:
        if entry.position is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": entry.id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(entry.position.lon, PRECISION),
                        round(entry.position.lat, PRECISION),
                    ],
                },
                "properties": office_properties(dataset, entry),
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "nicht_verortet": [entry.id for entry in placed if entry.position is None],
    }


def summary(collection: dict[str, Any]) -> str:
    """One German line about what the collection holds, for stderr."""
    features = collection["features"]
    approximate = sum(1 for f in features if f["properties"]["lage_genauigkeit"] == "gebiet")
    missing = len(collection["nicht_verortet"])
    total = len(features) + missing
    return (
        f"{len(features)} von {total} Anlaufstellen verortet ({len(features) - approximate} mit "
        f"eigenem Standort, {approximate} ungefähr über die Lage ihres Gebiets); {missing} ohne "
        "Lage, unter „nicht_verortet“ genannt."
    )
