"""Coordinates (WGS84, decimal degrees) for offices, areas and the city itself.

Latitude and longitude are checked for their WGS84 ranges here; whether a point lies near the city
is a cross-record check (``checks.check_locations``), because the city centre and radius are data
(``data/stadt/``), not code. A pair of coordinates is given together or not at all: a template
from ``qa new`` leaves both empty, which means "position unknown".
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from qa_cli.models.base import Strict

Breite = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Laenge = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]

LAT_TITLE = "Breite (lat)"
LAT_TEXT = "WGS84, Grad mit Dezimalpunkt, Norden positiv (-90 bis 90), z. B. 51.8."
LON_TITLE = "Länge (lon)"
LON_TEXT = "WGS84, Grad mit Dezimalpunkt, Osten positiv (-180 bis 180), z. B. 10.2."
LAT_TEXT_OPTIONAL = LAT_TEXT + " Leer = unbekannt (dann auch lon leer)."
LON_TEXT_OPTIONAL = LON_TEXT + " Leer = unbekannt (dann auch lat leer)."


class Punkt(Strict):
    """A point whose coordinates are both required."""

    lat: Breite = Field(title=LAT_TITLE, description=LAT_TEXT)
    lon: Laenge = Field(title=LON_TITLE, description=LON_TEXT)

    @property
    def position(self) -> tuple[float, float]:
        return (self.lat, self.lon)


def check_pair(lat: float | None, lon: float | None) -> None:
    """Latitude and longitude come together or not at all."""
    if (lat is None) != (lon is None):
        raise PydanticCustomError(
            "ungueltiger-wert",
            "Breite (lat) und Länge (lon) gehören zusammen: beide angeben oder beide leer lassen.",
        )


class Koordinaten(Strict):
    """Optional coordinates: both or neither."""

    lat: Breite | None = Field(default=None, title=LAT_TITLE, description=LAT_TEXT_OPTIONAL)
    lon: Laenge | None = Field(default=None, title=LON_TITLE, description=LON_TEXT_OPTIONAL)

    @model_validator(mode="after")
    def _both_or_neither(self) -> Koordinaten:
        check_pair(self.lat, self.lon)
        return self

    @property
    def position(self) -> tuple[float, float] | None:
        """``(lat, lon)``, or ``None`` when the coordinates are unknown."""
        if self.lat is None or self.lon is None:
            return None
        return (self.lat, self.lon)
