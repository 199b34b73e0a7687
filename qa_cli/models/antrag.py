"""Interim funding requests (Anträge auf Interimsfinanzierung) with the reviewers' ratings."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from qa_cli.models.base import (
    DateText,
    Euro,
    JaNein,
    MonthText,
    NonEmptyText,
    Record,
    RecordId,
    Strict,
)
from qa_cli.store.problems import shorten

NOT_APPLICABLE = "nicht_anwendbar"
MISSING = "fehlt"
_INTEGER = re.compile(r"-?[0-9]+")


def _rating(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER.fullmatch(text):
            return int(text)
        if text in (NOT_APPLICABLE, MISSING):
            return text
        raise PydanticCustomError(
            "ungueltiger-wert",
            "„{value}“ ist keine Bewertung: erlaubt sind eine Stufe der Skala, "
            "„nicht_anwendbar“ oder „fehlt“.",
            {"value": shorten(value)},
        )
    return value


Rating = Annotated[int | Literal["nicht_anwendbar", "fehlt"], BeforeValidator(_rating)]


class Zeitraum(Strict):
    beginn: MonthText = Field(title="Beginn (JJJJ-MM)")
    ende: MonthText = Field(title="Ende (JJJJ-MM)")


class Anschlussfoerderung(Strict):
    """The follow-on funding the operator has applied for or expects."""

    programm: NonEmptyText = Field(title="Förderprogramm")
    beantragt_am: DateText | None = Field(default=None, title="Beantragt am")
    entscheidung_erwartet: MonthText | None = Field(
        default=None, title="Entscheidung erwartet (JJJJ-MM)"
    )
    beginn_erwartet: MonthText | None = Field(default=None, title="Erwarteter Beginn (JJJJ-MM)")


class Konzeptpapier(Strict):
    """The operator's paper: goal, period, and the application for follow-on funding."""

    vorhanden: JaNein = Field(title="Konzeptpapier liegt vor")
    eingereicht_am: DateText | None = Field(default=None, title="Eingereicht am")
    ziel: str | None = Field(default=None, title="Ziel")
    zeitraum: str | None = Field(default=None, title="Zeitraum laut Konzeptpapier")
    anschlussfoerderung: Anschlussfoerderung | None = Field(
        default=None,
        title="Anschlussförderung",
        description="Leer: keine Anschlussförderung in Sicht.",
    )


class Bewertung(Strict):
    """One reviewer's ratings: sub-criterion id → level, ``nicht_anwendbar`` or ``fehlt``."""

    gutachter: RecordId = Field(title="Gutachter/in", description="Kennung, z. B. sozialamt.")
    datum: DateText | None = Field(default=None, title="Datum")
    werte: dict[str, Rating] = Field(title="Bewertungen je Unterkriterium")
    notiz: str | None = Field(default=None, title="Notiz")


DecisionStatus = Literal["offen", "bewilligt", "abgelehnt"]


class Entscheidung(Strict):
    """The recorded decision. ``qa score`` respects it: a granted request's amount comes off the
    budget before the ranked walk, a rejected one is never funded (docs/andere-stadt.md)."""

    status: DecisionStatus = Field(
        default="offen",
        title="Status",
        description="offen, bewilligt (mit datum und betrag_bewilligt) oder abgelehnt.",
    )
    datum: DateText | None = Field(default=None, title="Datum der Entscheidung")
    betrag_bewilligt: Euro | None = Field(default=None, title="Bewilligter Betrag in Euro")
    ausschuss_informiert_am: DateText | None = Field(
        default=None,
        title="Ausschuss informiert am",
        description="Der zuständige Ausschuss erfährt jede Bewilligung.",
    )
    begruendung: str | None = Field(default=None, title="Begründung")


class Antrag(Record):
    """A request to bridge a Förderlücke from the city's interim budget line."""

    beispiel: JaNein = Field(
        default=False,
        title="Beispiel",
        description="Ja für erfundene Beispieldaten; jede Ausgabe kennzeichnet sie so.",
    )
    runde: RecordId = Field(
        title="Förderrunde", description="Kennung der Entscheidungsmatrix, z. B. 2020."
    )
    anlaufstelle: RecordId = Field(title="Anlaufstelle")
    traeger: NonEmptyText = Field(title="Antragsteller (Träger)")
    eingang: DateText = Field(title="Eingang des Antrags")
    zeitraum: Zeitraum = Field(title="Beantragter Zeitraum")
    betrag: Euro = Field(title="Beantragter Betrag in Euro")
    eigenanteil: Euro = Field(default=0, title="Eigenanteil des Trägers in Euro")
    konzeptpapier: Konzeptpapier = Field(title="Konzeptpapier")
    doppelstruktur_bestaetigt: JaNein = Field(
        default=False,
        title="Doppelstruktur bestätigt",
        description="Ja, wenn die bewertende Arbeitsgruppe eine Doppelstruktur im Quartier "
        "festgestellt hat.",
    )
    angaben: dict[RecordId, JaNein] = Field(
        default_factory=dict,
        title="Weitere Ja/Nein-Angaben",
        description="Angaben, die Ausschlussregeln der Matrix prüfen (regel: ja_erforderlich, "
        "feld: angaben.<kennung>), z. B. gemeinnuetzig: Ja.",
    )
    bewertungen: list[Bewertung] = Field(default_factory=list, title="Bewertungen")
    entscheidung: Entscheidung = Field(default_factory=Entscheidung, title="Entscheidung")
