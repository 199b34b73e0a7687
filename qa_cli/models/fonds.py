"""A Verfügungsfonds (e.g. a Stadtteilfonds): its rules, budget, goals, deadlines and Gremium.

Everything a rule check needs lives here, not in code: the caps (one applicant, several), the
goals an application may serve, the kinds of applicant that may apply, the deadlines of each
year, the budget per year and Kostenstelle (with the kinds of applicant a Kostenstelle is meant
for), and the Gremium with its quorum and the conflicts of interest its members declared. A
figure no source gives stays empty (unknown), never 0.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from qa_cli.models.base import DateText, Euro, NonEmptyText, Quelle, Record, RecordId, Strict

FristArt = Literal["regulaer", "sonder"]

FRIST_LABELS: dict[str, str] = {"regulaer": "regulär", "sonder": "Sonderrunde"}


class Richtlinie(Strict):
    """The legal basis of the fund."""

    name: NonEmptyText = Field(title="Name der Richtlinie")
    beschlossen_von: str | None = Field(default=None, title="Beschlossen von (z. B. Rat)")
    beschlossen_am: DateText | None = Field(default=None, title="Beschlossen am")
    in_kraft_ab: DateText | None = Field(default=None, title="In Kraft ab")


class Kostenstelle(Strict):
    """A budget line of the fund and what it is meant for."""

    id: RecordId = Field(title="Kennung der Kostenstelle")
    name: NonEmptyText = Field(title="Name")
    zweck: str | None = Field(default=None, title="Zweck", description="Wofür die Mittel sind.")
    nur_fuer: list[RecordId] | None = Field(
        default=None,
        title="Nur für Antragstellerarten",
        description="Kennungen aus `antragsberechtigt`; leer: für alle Antragsberechtigten. "
        "Ein Antrag aus dieser Kostenstelle braucht mindestens eine antragstellende Stelle "
        "dieser Art.",
    )


class Budget(Strict):
    """The money of one Kostenstelle in one budget year."""

    jahr: int = Field(ge=1900, le=2999, title="Haushaltsjahr")
    kostenstelle: RecordId = Field(title="Kostenstelle")
    betrag: Euro | None = Field(
        default=None, title="Budget in Euro", description="Leer: unbekannt."
    )
    quelle: list[Quelle] | None = Field(default=None, title="Quellen dieser Zahl")


class Hoechstbetrag(Strict):
    """The caps per project: one applicant, or several together (Kooperationsprojekt)."""

    projekt: Euro | None = Field(default=None, title="Höchstbetrag je Projekt in Euro")
    kooperationsprojekt: Euro | None = Field(
        default=None,
        title="Höchstbetrag je Kooperationsprojekt in Euro",
        description="Gilt, wenn mehrere Antragsteller gemeinsam beantragen.",
    )


class Ziel(Strict):
    id: RecordId = Field(title="Kennung des Ziels")
    name: NonEmptyText = Field(title="Ziel, wie die Richtlinie es nennt")


class Antragstellerart(Strict):
    id: RecordId = Field(title="Kennung der Art")
    name: NonEmptyText = Field(title="Bezeichnung", description="z. B. Verein, Gruppe.")


class Frist(Strict):
    """A deadline: applications received by this day are decided in its round."""

    datum: DateText = Field(title="Stichtag")
    art: FristArt = Field(default="regulaer", title="Art", description="regulaer oder sonder.")
    quelle: list[Quelle] | None = Field(default=None, title="Quellen dieser Frist")


class Mitglied(Strict):
    """A member of the Gremium, by role (names are not needed for the rules)."""

    id: RecordId = Field(title="Kennung des Mitglieds")
    rolle: NonEmptyText = Field(title="Rolle", description="z. B. Bezirksbürgermeister/in.")
    dienststelle: str | None = Field(default=None, title="Dienststelle")
    stadtbezirk: RecordId | None = Field(
        default=None, title="Stadtbezirk", description="Kennung eines Gebiets der Art stadtbezirk."
    )
    name: str | None = Field(default=None, title="Name")


class Befangenheit(Strict):
    """A conflict of interest a member declared for one application."""

    mitglied: RecordId = Field(title="Mitglied")
    antrag: RecordId = Field(title="Fondsantrag")
    grund: str | None = Field(default=None, title="Grund")


class Gremium(Strict):
    name: NonEmptyText = Field(title="Name des Gremiums")
    mitglieder: list[Mitglied] = Field(default_factory=list, title="Mitglieder")
    quorum: int | None = Field(
        default=None,
        ge=1,
        title="Beschlussfähig ab (Mitglieder)",
        description="Mindestzahl stimmberechtigter Mitglieder; leer: unbekannt, nicht geprüft.",
    )
    befangenheiten: list[Befangenheit] = Field(
        default_factory=list, title="Erklärte Befangenheiten"
    )


class Meldung(Strict):
    """A count a source reports at a date (e.g. projects approved so far)."""

    stand: DateText = Field(title="Stand")
    bewilligte_projekte: int = Field(ge=0, title="Bewilligte Projekte bis dahin")
    quelle: Quelle = Field(title="Quelle")


class Fonds(Record):
    """A fund for small citizens' projects with its rules."""

    name: NonEmptyText = Field(title="Name")
    kurzname: str | None = Field(default=None, title="Kurzname")
    traeger: str | None = Field(default=None, title="Verwaltet von")
    geschaeftsfuehrung: str | None = Field(default=None, title="Geschäftsführung")
    gebiet: RecordId | None = Field(
        default=None,
        title="Gebiet des Fonds",
        description="Jedes Projektgebiet muss darin liegen. Leer: keine Einschränkung geprüft "
        "(die ganze Stadt, oder das Gebiet ist nicht als Gebiet erfasst).",
    )
    richtlinie: Richtlinie | None = Field(default=None, title="Richtlinie")
    kostenstellen: list[Kostenstelle] = Field(min_length=1, title="Kostenstellen")
    budgets: list[Budget] = Field(default_factory=list, title="Budget je Jahr und Kostenstelle")
    hoechstbetrag: Hoechstbetrag = Field(default_factory=Hoechstbetrag, title="Höchstbeträge")
    ziele: list[Ziel] = Field(default_factory=list, title="Ziele")
    antragsberechtigt: list[Antragstellerart] = Field(
        default_factory=list, title="Wer beantragen darf"
    )
    voraussetzungen: list[str] = Field(default_factory=list, title="Weitere Voraussetzungen")
    fristen: list[Frist] = Field(default_factory=list, title="Antragsfristen")
    gremium: Gremium | None = Field(default=None, title="Entscheidungsgremium")
    meldungen: list[Meldung] = Field(default_factory=list, title="Gemeldete Zahlen")

    def kostenstelle(self, kostenstelle_id: str) -> Kostenstelle | None:
        return next((k for k in self.kostenstellen if k.id == kostenstelle_id), None)

    def budget(self, year: int, kostenstelle_id: str) -> Budget | None:
        return next(
            (b for b in self.budgets if b.jahr == year and b.kostenstelle == kostenstelle_id), None
        )

    def charged_to(self, kostenstelle_id: str | None, year: int | None = None) -> str | None:
        """The Kostenstelle a decision is charged to: the named one, else the only one of the
        fund, else the only one with a budget in ``year``; else unknown."""
        if kostenstelle_id is not None:
            return kostenstelle_id
        if len(self.kostenstellen) == 1:
            return self.kostenstellen[0].id
        of_year = {budget.kostenstelle for budget in self.budgets if budget.jahr == year}
        return of_year.pop() if year is not None and len(of_year) == 1 else None

    @property
    def in_force(self) -> date | None:
        return self.richtlinie.in_kraft_ab if self.richtlinie is not None else None

    def goal_names(self) -> dict[str, str]:
        return {goal.id: goal.name for goal in self.ziele}

    def applicant_kinds(self) -> dict[str, str]:
        return {kind.id: kind.name for kind in self.antragsberechtigt}

    def members(self) -> dict[str, Mitglied]:
        return {member.id: member for member in self.gremium.mitglieder} if self.gremium else {}
