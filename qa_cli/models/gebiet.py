"""Areas: one registry for Stadtteile, statistische Bezirke, Stadtbezirke and informal Quartiere.

The city's own table mixes these divisions in one column, so every name is kept as written and
carries its kind; an office's area must resolve to an entry here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from qa_cli.models.base import NonEmptyText, Record, RecordId
from qa_cli.models.koordinaten import Koordinaten

GebietArt = Literal["stadtteil", "statistischer_bezirk", "stadtbezirk", "quartier"]

ART_LABELS: dict[str, str] = {
    "stadtteil": "Stadtteil",
    "statistischer_bezirk": "statistischer Bezirk",
    "stadtbezirk": "Stadtbezirk",
    "quartier": "Quartier",
}


class Lage(Koordinaten):
    """A representative point of an area (e.g. the coordinate a reference work gives for a
    Stadtteil), not its boundary."""

    genauigkeit: str | None = Field(
        default=None,
        title="Genauigkeit",
        description="Wie genau der Punkt ist und woher er stammt, z. B. „auf Bogenminuten "
        "gerundet (51°32′N, 6°59′O)“.",
    )


class Gebiet(Record):
    """One area of one division of the city."""

    name: NonEmptyText = Field(title="Name", description="Name, wie ihn die Quelle schreibt.")
    art: GebietArt = Field(
        title="Art",
        description="Gliederung: stadtteil, statistischer_bezirk, stadtbezirk oder quartier "
        "(informell, ohne amtliche Grenze).",
    )
    uebergeordnet: RecordId | None = Field(
        default=None,
        title="Übergeordnetes Gebiet",
        description="Kennung des Gebiets, zu dem dieses laut Quelle gehört.",
    )
    nummer: str | None = Field(default=None, title="Amtliche Nummer")
    andere_namen: list[str] | None = Field(
        default=None, title="Andere Schreibweisen", description="Weitere Namen desselben Gebiets."
    )
    lage: Lage | None = Field(
        default=None,
        title="Lage",
        description="Ein Punkt im Gebiet (WGS84), z. B. die Koordinate eines Nachschlagewerks; "
        "Anlaufstellen ohne eigenen Standort erscheinen auf Karten ungefähr hier. "
        "Leer = unbekannt.",
    )
    interpretation: str | None = Field(
        default=None,
        title="Qualitative Interpretation",
        description="Einordnung der Zahlen durch die Verwaltung für das Quartiersprofil.",
    )
