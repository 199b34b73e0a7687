"""Areas: one registry for every division of the city (Stadtbezirke, Stadtteile, Sozialräume,
statistische Bezirke, informal Quartiere …).

The city's own table mixes these divisions in one column, so every name is kept as written and
carries its kind; an office's area must resolve to an entry here. The kinds and their levels are
declared in the city record (``data/stadt/``, ``gebietsarten``) and checked against it. An area
may lie in several parents (a Quartier straddling two districts), with its share in each where
known.

One record is one area with one set of boundaries. When the boundaries change, the record is not
edited: it gets ``gueltig_bis`` and its ``nachfolger``, and the new areas are new records with
``gueltig_ab``. So old indicator sets keep naming the area they counted, and no series compares
figures of unlike areas.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from qa_cli.models.base import (
    FORM_ONE,
    FORM_SEVERAL,
    MonthText,
    NonEmptyText,
    Record,
    RecordId,
    Strict,
)
from qa_cli.models.koordinaten import Koordinaten
from qa_cli.models.stadt import Bezeichner
from qa_cli.months import Month


class Zugehoerigkeit(Strict):
    """One parent of an area, with the share of the area that lies in it, where known."""

    gebiet: RecordId = Field(title="Übergeordnetes Gebiet", description="Kennung des Gebiets.")
    anteil_prozent: float | None = Field(
        default=None,
        gt=0,
        le=100,
        allow_inf_nan=False,
        title="Anteil in %",
        description="Welcher Anteil dieses Gebiets (Einwohner oder Fläche, laut Quelle) im "
        "übergeordneten liegt; leer = unbekannt.",
    )


def _parent_form(value: Any) -> str:
    """One id or a list of parents: decided by the form, so that an error speaks of one form."""
    return FORM_SEVERAL if isinstance(value, list) else FORM_ONE


Uebergeordnet = Annotated[
    Annotated[RecordId, Tag(FORM_ONE)] | Annotated[list[Zugehoerigkeit], Tag(FORM_SEVERAL)],
    Discriminator(_parent_form),
]


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
    art: Bezeichner = Field(
        title="Art",
        description="Gliederung, eine der `gebietsarten` des Stadt-Datensatzes (data/stadt/), "
        "z. B. stadtteil oder quartier.",
    )
    uebergeordnet: Uebergeordnet | None = Field(
        default=None,
        title="Übergeordnete Gebiete",
        description="Kennung des Gebiets, zu dem dieses laut Quelle gehört; liegt es in mehreren, "
        "eine Liste aus `gebiet` und (falls bekannt) `anteil_prozent`.",
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
    gueltig_ab: MonthText | None = Field(
        default=None,
        title="Gültig ab",
        description="Erster Monat mit diesen Grenzen (JJJJ-MM); leer = schon immer.",
    )
    gueltig_bis: MonthText | None = Field(
        default=None,
        title="Gültig bis",
        description="Letzter Monat mit diesen Grenzen (JJJJ-MM); leer = gilt noch.",
    )
    nachfolger: list[RecordId] | None = Field(
        default=None,
        title="Nachfolger",
        description="Die Gebiete, die nach `gueltig_bis` an seine Stelle treten (Kennungen).",
    )

    def valid_at(self, month: Month) -> bool:
        """Whether the area has these boundaries in ``month``."""
        start = Month.parse(self.gueltig_ab) if self.gueltig_ab else None
        end = Month.parse(self.gueltig_bis) if self.gueltig_bis else None
        return (start is None or start <= month) and (end is None or month <= end)

    def validity_text(self) -> str:
        """The validity in words, e.g. „gültig 01/2021 bis 12/2023“."""
        start = f" ab {Month.parse(self.gueltig_ab).german()}" if self.gueltig_ab else ""
        end = f" bis {Month.parse(self.gueltig_bis).german()}" if self.gueltig_bis else ""
        return f"gültig{start}{end}" if start or end else "ohne Gültigkeitsangabe"

    @property
    def parents(self) -> tuple[Zugehoerigkeit, ...]:
        """Every parent, the single-id form included."""
        if self.uebergeordnet is None:
            return ()
        if isinstance(self.uebergeordnet, str):
            return (Zugehoerigkeit(gebiet=self.uebergeordnet),)
        return tuple(self.uebergeordnet)

    @property
    def parent_ids(self) -> tuple[str, ...]:
        return tuple(parent.gebiet for parent in self.parents)
