"""An application to a fund (Fondsantrag): who asks for what, the Gremium's decision, payment
and the proof of use (Verwendungsnachweis).

Projects known only from public reports are recorded with ``nachgetragen: Ja``: what no source
gives (amount, date, goals, even the applicant) stays empty. An application received as such
(``nachgetragen: Nein``) must name its applicants, area, goals, received date and deadline.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

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
from qa_cli.months import Month

FondsStatus = Literal["offen", "bewilligt", "abgelehnt", "zurueckgezogen"]

STATUS_LABELS: dict[str, str] = {
    "offen": "offen",
    "bewilligt": "bewilligt",
    "abgelehnt": "abgelehnt",
    "zurueckgezogen": "zurückgezogen",
}


class Antragsteller(Strict):
    name: str | None = Field(
        default=None, title="Name", description="Leer: die Quelle nennt keinen Namen."
    )
    art: RecordId | None = Field(
        default=None,
        title="Art",
        description="Kennung aus `antragsberechtigt` des Fonds (verein, gruppe …); "
        "leer: unbekannt.",
    )
    kontakt: str | None = Field(default=None, title="Kontakt (Person, E-Mail, Telefon)")


class Projekt(Strict):
    titel: NonEmptyText = Field(title="Titel des Projekts")
    beschreibung: str | None = Field(default=None, title="Beschreibung")
    zeitraum: str | None = Field(default=None, title="Zeitraum")
    nicht_kommerziell: JaNein | None = Field(default=None, title="Nicht kommerziell")


class Enthaltung(Strict):
    mitglied: RecordId = Field(title="Mitglied")
    grund: str | None = Field(default=None, title="Grund", description="z. B. Befangenheit.")


class FondsEntscheidung(Strict):
    status: FondsStatus = Field(default="offen", title="Status")
    datum: DateText | None = Field(default=None, title="Datum der Sitzung")
    bekannt_seit: MonthText | None = Field(
        default=None,
        title="Bekannt seit (JJJJ-MM)",
        description="Erster Monat, in dem eine Quelle die Entscheidung meldet, wenn ihr Datum "
        "unbekannt ist.",
    )
    betrag_bewilligt: Euro | None = Field(default=None, title="Bewilligter Betrag in Euro")
    kostenstelle: RecordId | None = Field(
        default=None,
        title="Kostenstelle",
        description="Leer bei einem Fonds mit nur einer Kostenstelle: diese.",
    )
    haushaltsjahr: int | None = Field(
        default=None,
        ge=1900,
        le=2999,
        title="Haushaltsjahr",
        description="Leer: das Jahr des Sitzungsdatums.",
    )
    auflagen: list[str] = Field(default_factory=list, title="Auflagen")
    teilnehmende: list[RecordId] | None = Field(
        default=None,
        title="Teilnehmende Mitglieder",
        description="Kennungen der Mitglieder des Gremiums in der Sitzung; leer: unbekannt.",
    )
    enthaltungen: list[Enthaltung] = Field(default_factory=list, title="Enthaltungen")
    begruendung: str | None = Field(default=None, title="Begründung")


class Auszahlung(Strict):
    datum: DateText | None = Field(default=None, title="Datum")
    betrag: Euro = Field(title="Betrag in Euro")


class Verwendungsnachweis(Strict):
    faellig_am: DateText | None = Field(default=None, title="Fällig am")
    eingegangen_am: DateText | None = Field(default=None, title="Eingegangen am")
    anerkannt: JaNein | None = Field(default=None, title="Anerkannt")
    ausgegeben: Euro | None = Field(default=None, title="Ausgegeben in Euro")
    zurueckgezahlt: Euro | None = Field(default=None, title="Zurückgezahlt in Euro")


class Fondsantrag(Record):
    """One application to a fund, from receipt to proof of use."""

    fonds: RecordId = Field(title="Fonds", description="Kennung des Fonds (data/fonds/).")
    nachgetragen: JaNein = Field(
        default=False,
        title="Nachgetragen",
        description="Ja: aus öffentlichen Quellen nachgetragen; was keine Quelle nennt, "
        "bleibt leer.",
    )
    antragsteller: list[Antragsteller] = Field(
        default_factory=list,
        title="Antragsteller",
        description="Mehrere: ein Kooperationsprojekt (höherer Höchstbetrag).",
    )
    projekt: Projekt = Field(title="Projekt")
    gebiet: RecordId | None = Field(
        default=None, title="Gebiet", description="Stadtteil oder Quartier des Projekts."
    )
    ziele: list[RecordId] | None = Field(
        default=None,
        title="Ziele",
        description="Kennungen aus `ziele` des Fonds; mindestens eines. Leer: unbekannt "
        "(nur bei nachgetragenen Projekten).",
    )
    betrag_beantragt: Euro | None = Field(default=None, title="Beantragter Betrag in Euro")
    eingang: DateText | None = Field(default=None, title="Eingegangen am")
    frist: DateText | None = Field(
        default=None,
        title="Frist",
        description="Stichtag aus `fristen` des Fonds, für den er zählt.",
    )
    unterlagen: list[str] = Field(default_factory=list, title="Unterlagen")
    entscheidung: FondsEntscheidung = Field(
        default_factory=FondsEntscheidung, title="Entscheidung des Gremiums"
    )
    auszahlungen: list[Auszahlung] | None = Field(
        default=None,
        title="Auszahlungen",
        description="Leer: unbekannt; `[]`: noch nichts ausgezahlt.",
    )
    verwendungsnachweis: Verwendungsnachweis | None = Field(
        default=None, title="Verwendungsnachweis"
    )

    @property
    def cooperation(self) -> bool:
        """Several applicants together: a Kooperationsprojekt."""
        return len(self.antragsteller) > 1

    @property
    def paid(self) -> int | None:
        """The sum paid out; ``None`` if the payments are unknown."""
        if self.auszahlungen is None:
            return None
        return sum(payment.betrag for payment in self.auszahlungen)

    @property
    def returned(self) -> int:
        """Money paid back (known only from a proof of use: without one, nothing is back)."""
        proof = self.verwendungsnachweis
        return (proof.zurueckgezahlt or 0) if proof is not None else 0

    def budget_year(self, in_force: date | None) -> int | None:
        """The budget year a decision is charged to: declared, else the meeting's year; with
        only the month a source first reports it, the year when that month and the day the
        fund came into force (``in_force``) fall in the same year (the decision lies between
        them); else unknown."""
        decision = self.entscheidung
        if decision.haushaltsjahr is not None:
            return decision.haushaltsjahr
        if decision.datum is not None:
            return decision.datum.year
        if decision.bekannt_seit is not None and in_force is not None:
            reported = Month.parse(decision.bekannt_seit)
            return reported.year if reported.year == in_force.year else None
        return None
