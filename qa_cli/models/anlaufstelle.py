"""Anlaufstellen (neighbourhood offices) and their funding.

Funding is modelled as what it is: a list of grants (Förderungen), consecutive or planned, each with
programme, payers, start, end, status and a provisional flag. An office whose table row says
``dauerhaft`` has a grant with ``ende: dauerhaft``; one whose row says ``k.A.`` has no grant with a
known end. The row's text is kept verbatim in ``laufzeit_wortlaut``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from qa_cli.models.base import (
    JaNein,
    MonthText,
    NonEmptyText,
    Record,
    RecordId,
    Strict,
    WholeNumber,
)
from qa_cli.models.koordinaten import Koordinaten
from qa_cli.months import END_PATTERN, PERMANENT, parse_end
from qa_cli.store.problems import shorten

FoerderStatus = Literal["bewilligt", "beantragt", "in_vorbereitung", "abgelehnt"]

STATUS_LABELS: dict[str, str] = {
    "bewilligt": "bewilligt",
    "beantragt": "beantragt",
    "in_vorbereitung": "in Vorbereitung",
    "abgelehnt": "abgelehnt",
}


def _end(value: Any) -> Any:
    if isinstance(value, str):
        try:
            parse_end(value)
        except ValueError:
            raise PydanticCustomError(
                "ungueltiger-monat",
                "„{value}“ ist kein Ende der Form JJJJ-MM, JJJJ-H1/H2 oder „dauerhaft“.",
                {"value": shorten(value)},
            ) from None
    return value


EndText = Annotated[
    str,
    Field(pattern=END_PATTERN, examples=["2020-12", "2021-H1", PERMANENT]),
    BeforeValidator(_end),
]


class Foerderung(Strict):
    """One grant (or a planned or applied-for one) that funds an office for a period."""

    programm: str | None = Field(
        default=None,
        title="Förderprogramm",
        description="Förderzugang laut Quelle, z. B. „Zusammen im Quartier“; leer = unbekannt.",
    )
    mittelgeber: list[NonEmptyText] | None = Field(
        default=None,
        title="Mittelgeber",
        description="Wer zahlt (EU, Bund, Land, Stadt, Stiftung …); leer = unbekannt.",
    )
    beginn: MonthText | None = Field(
        default=None, title="Beginn", description="Erster geförderter Monat (JJJJ-MM)."
    )
    ende: EndText | None = Field(
        default=None,
        title="Ende",
        description="Letzter geförderter Monat (JJJJ-MM), ein Halbjahr (JJJJ-H1/H2) "
        "oder „dauerhaft“; leer = unbekannt (k.A.).",
    )
    dauer_monate: WholeNumber | None = Field(
        default=None,
        ge=1,
        le=600,
        title="Dauer in Monaten",
        description="Falls nur sie bekannt ist.",
    )
    status: FoerderStatus = Field(
        default="bewilligt",
        title="Status",
        description="bewilligt, beantragt, in_vorbereitung oder abgelehnt.",
    )
    vorlaeufig: JaNein = Field(
        default=False, title="Vorläufiges Ende", description="Ende gilt „vorerst“ (Ja/Nein)."
    )
    ueberlappung_erlaubt: JaNein = Field(
        default=False,
        title="Überlappung erlaubt",
        description="Ja, wenn diese Förderung bewusst parallel zu einer anderen läuft.",
    )
    notiz: str | None = Field(default=None, title="Notiz")


class Standort(Koordinaten):
    """Where an office is: its address and, if known, its coordinates."""

    adresse: str | None = Field(
        default=None,
        title="Adresse",
        description="Straße, Hausnummer, PLZ und Ort, z. B. „Musterstraße 1, 12345 Musterstadt“. "
        "Leer = unbekannt.",
    )


class Anlaufstelle(Record):
    """A local contact point / neighbourhood office, as in the city's table."""

    name: NonEmptyText = Field(title="Name")
    traeger: list[NonEmptyText] = Field(
        min_length=1, title="Träger", description="Ein oder mehrere Träger."
    )
    kooperationspartner: list[NonEmptyText] | None = Field(
        default=None, title="Zentrale Kooperationspartner", description="Leer = unbekannt."
    )
    finanzielle_beteiligung: JaNein | None = Field(
        default=None,
        title="Finanzielle Beteiligung der Stadt",
        description="Ja oder Nein; leer = unbekannt.",
    )
    ausrichtung: str | None = Field(
        default=None, title="Ausrichtung", description="Schwerpunkt/Zielgruppe laut Quelle."
    )
    gebiet: RecordId = Field(
        title="Gebiet",
        description="Kennung des Gebiets in data/gebiete/, in dem die Anlaufstelle liegt "
        "(z. B. die Spalte „Stadtteil“ einer Tabelle der Anlaufstellen).",
    )
    weitere_gebiete: list[RecordId] | None = Field(
        default=None,
        title="Weitere Gebiete",
        description="Kennungen weiterer Gebiete, für die die Anlaufstelle zuständig ist.",
    )
    schwerpunkte: list[RecordId] | None = Field(
        default=None,
        title="Schwerpunkte",
        description="Kennungen aus data/schwerpunkte/, die die Ausrichtung einordnen.",
    )
    standort: Standort | None = Field(
        default=None,
        title="Standort",
        description="Adresse und Koordinaten (WGS84) der Anlaufstelle; die Koordinaten müssen "
        "nahe der Stadt liegen (data/stadt/). Leer = unbekannt.",
    )
    laufzeit_wortlaut: str | None = Field(
        default=None,
        title="Laufzeit laut Quelle",
        description="Die Laufzeit wörtlich, wie die Quelle sie angibt (z. B. „vorerst bis 12/20“).",
    )
    foerderungen: list[Foerderung] = Field(
        default_factory=list,
        title="Förderungen",
        description="Bewilligte, beantragte und geplante Förderungen; leer = unbekannt.",
    )

    @property
    def gebiete(self) -> tuple[str, ...]:
        """Every area the office serves, its own first."""
        return (self.gebiet, *(a for a in self.weitere_gebiete or [] if a != self.gebiet))
