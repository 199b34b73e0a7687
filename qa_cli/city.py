"""What the city record declares, with the documented defaults where it declares nothing.

Every part of qa that needs a city's vocabulary (area kinds and levels, units, the population
indicator, the minimum population, the years of the dynamic index, the names used in papers)
asks a ``CityRules`` instead of knowing a city: without a city record, the defaults of
``qa_cli.models.stadt`` apply, the ones ``qa new stadt`` writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_cli.models.stadt import (
    DEFAULT_AREA_KINDS,
    DEFAULT_MIN_RESIDENTS,
    DEFAULT_POPULATION,
    DEFAULT_UNITS,
    Dokument,
    Einheit,
    Gebietsart,
    Jahrespaar,
    Stadt,
    Vorlage,
)
from qa_cli.months import Month


@dataclass(frozen=True, slots=True)
class CityRules:
    area_kinds: dict[str, Gebietsart] = field(default_factory=lambda: dict(DEFAULT_AREA_KINDS))
    units: dict[str, Einheit] = field(default_factory=lambda: dict(DEFAULT_UNITS))
    population: str = DEFAULT_POPULATION
    min_residents: int = DEFAULT_MIN_RESIDENTS
    dynamic: tuple[Jahrespaar, ...] = ()
    name: str | None = None
    committee: str | None = None
    issuer: str | None = None
    working_group: str | None = None
    basis: Dokument | None = None
    reviewers: dict[str, str] = field(default_factory=dict)
    paper: Vorlage = field(default_factory=Vorlage)

    def kind_label(self, kind: str) -> str:
        """How reports name an area kind; an undeclared one (a validation error) by its id."""
        declared = self.area_kinds.get(kind)
        return declared.name if declared else kind

    def level(self, kind: str) -> int | None:
        declared = self.area_kinds.get(kind)
        return declared.ebene if declared else None

    def unit_label(self, unit: str) -> str:
        declared = self.units.get(unit)
        return declared.zeichen if declared else unit

    def decimals(self, unit: str) -> int:
        declared = self.units.get(unit)
        return declared.nachkommastellen if declared else 1

    def compared_year(self, year: int) -> int | None:
        """The year the dynamic index of ``year`` compares with, if declared."""
        return next((pair.von for pair in self.dynamic if pair.bis == year), None)

    def committee_sentence_start(self) -> str:
        """The committee opening a sentence: „Der Ausschuss für …“ or „Der zuständige
        Ausschuss“ when the city record names none."""
        return f"Der {self.committee}" if self.committee else "Der zuständige Ausschuss"

    def committee_name(self) -> str:
        """The committee inside a sentence: „Ausschuss für …“ or „zuständige Ausschuss“."""
        return self.committee or "zuständige Ausschuss"

    def reviewer_name(self, reviewer: str) -> str:
        """A reviewing office by the name the city declares; an undeclared one (only possible
        when the city declares none) as its id written as words: „jugend-und-schule“ →
        „Jugend und Schule“."""
        declared = self.reviewers.get(reviewer)
        if declared:
            return declared
        words = reviewer.replace("-", " ")
        return words[:1].upper() + words[1:]

    def paper_number(self, runde: str, year: int) -> str | None:
        """The Vorlagen-Nr. from the declared pattern, if there is one."""
        pattern = self.paper.nummer
        return pattern.format(jahr=year, runde=runde) if pattern else None

    def basis_phrase(self) -> str | None:
        """The basis document as a paper cites it: „Titel, November 2022“."""
        if self.basis is None:
            return None
        if self.basis.stand is None:
            return self.basis.titel
        try:
            stand = Month.parse(self.basis.stand)
        except ValueError:
            return f"{self.basis.titel}, {self.basis.stand}"
        return f"{self.basis.titel}, {_MONTH_NAMES[stand.month - 1]} {stand.year}"


_MONTH_NAMES = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


def rules_of(stadt: Stadt | None) -> CityRules:
    if stadt is None:
        return CityRules()
    return CityRules(
        area_kinds=dict(stadt.gebietsarten),
        units=stadt.units(),
        population=stadt.einwohner_indikator,
        min_residents=stadt.mindesteinwohner,
        dynamic=tuple(stadt.dynamik),
        name=stadt.name,
        committee=stadt.ausschuss,
        issuer=stadt.herausgeber,
        working_group=stadt.arbeitsgruppe,
        basis=stadt.grundlage,
        reviewers=dict(stadt.gutachter),
        paper=stadt.vorlage,
    )
