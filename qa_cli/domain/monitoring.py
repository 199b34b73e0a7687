"""Quartiersmonitoring after Berlin's Monitoring Soziale Stadtentwicklung (MSS).

Status index: every status indicator is z-standardised over the units that have enough residents
and no missing value (population standard deviation), signed by its direction so that a positive
value always means more disadvantage, summed with the catalogue's weights, and the sum divided by
its own standard deviation. Classes: ``hoch`` (< −1), ``mittel`` (−1 … +1), ``niedrig``
(+1 … +1,5), ``sehr niedrig`` (> +1,5). The dynamic index does the same with the change between
two years (percentage points for shares): ``positiv`` (< −1), ``stabil``, ``negativ`` (> +1).

Which indicator holds the population, the minimum population and the pairs of years the dynamic
index compares are the city's declaration (``data/stadt/``, see ``domain/city.py``); without a
declared pair the dynamic index compares with the year two years before, as the MSS does.

Areas change their boundaries: a run counts only the areas that hold in its year's area edition
(``gebietsstand`` of the sets, see ``models/gebiet.py``), and the dynamic index computes no change
for an area that did not hold in the compared year; it says so (``boundary_change``) rather than
comparing figures of unlike areas.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from qa_cli.city import CityRules
from qa_cli.models.gebiet import Gebiet
from qa_cli.models.indikator import Indikator, Indikatorensatz
from qa_cli.models.stadt import DEFAULT_MIN_RESIDENTS
from qa_cli.months import Month

DYNAMIC_YEARS = 2


def status_class(index: float) -> str:
    if index < -1:
        return "hoch"
    if index <= 1:
        return "mittel"
    if index <= 1.5:
        return "niedrig"
    return "sehr niedrig"


def dynamic_class(index: float) -> str:
    if index < -1:
        return "positiv"
    if index <= 1:
        return "stabil"
    return "negativ"


Values = dict[str, dict[str, float | None]]  # unit → indicator → value (None: k.A.)


def values_of_year(sets: Iterable[Indikatorensatz], year: int, division: str) -> Values:
    """All values of one year and division, merged across sets (duplicates are a validation
    error, so merging order does not matter)."""
    merged: Values = {}
    for indicator_set in sets:
        if indicator_set.jahr == year and indicator_set.gliederung == division:
            for unit, values in indicator_set.werte.items():
                merged.setdefault(unit, {}).update({i: v.number for i, v in values.items()})
    return merged


def city_values(
    sets: Iterable[Indikatorensatz], year: int, division: str
) -> dict[str, float | None]:
    found: dict[str, float | None] = {}
    for indicator_set in sets:
        if indicator_set.jahr == year and indicator_set.gliederung == division:
            found.update({i: v.number for i, v in indicator_set.gesamtstadt.items()})
    return found


def edition_of(sets: Iterable[Indikatorensatz], year: int, division: str) -> Month | None:
    """The area edition the year's sets counted with; ``None`` if none (or no single one) is
    named."""
    named = {s.edition for s in sets if s.jahr == year and s.gliederung == division}
    named.discard(None)
    return named.pop() if len(named) == 1 else None


def holds(area: Gebiet, year: int, edition: Month | None) -> bool:
    """Whether ``area`` has its boundaries in the edition, or (none named) in some month of
    ``year``."""
    if edition is not None:
        return area.valid_at(edition)
    start, end = area.gueltig_ab, area.gueltig_bis  # JJJJ-MM compares as text
    return (start is None or start <= f"{year}-12") and (end is None or end >= f"{year}-01")


def predecessors(areas: Mapping[str, Gebiet], unit: str) -> list[str]:
    return sorted(a for a, area in areas.items() if unit in (area.nachfolger or []))


def boundary_change(areas: Mapping[str, Gebiet], unit: str) -> str | None:
    """The unit's change of boundaries in words (its validity, predecessors, successors), or
    ``None`` if it has always had these boundaries."""
    area = areas[unit]
    before = [f"{areas[p].name} ({areas[p].validity_text()})" for p in predecessors(areas, unit)]
    after = [areas[s].name for s in area.nachfolger or [] if s in areas]
    if not before and not after and area.gueltig_ab is None and area.gueltig_bis is None:
        return None
    parts = [f"{area.name} ist {area.validity_text()}"]
    if before:
        parts.append("Vorgänger: " + ", ".join(before))
    if after:
        parts.append("Nachfolger: " + ", ".join(after))
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class IndexResult:
    """One index (status or dynamic) over the units it could be computed for."""

    indicators: tuple[str, ...]
    inputs: dict[str, dict[str, float]]  # unit → indicator → value used (level or change)
    z: dict[str, dict[str, float]]
    index: dict[str, float]
    classes: dict[str, str]
    left_out: dict[str, str]  # unit → reason
    notes: tuple[str, ...] = ()


def standardise(
    inputs: Mapping[str, Mapping[str, float]], indicators: Mapping[str, Indikator]
) -> tuple[dict[str, dict[str, float]], dict[str, float], list[str]]:
    """z-values per unit and indicator (population standard deviation, signed by direction) and
    the index: the weighted sum of z-values divided by the standard deviation of the sums."""
    notes: list[str] = []
    units = sorted(inputs)
    if len(units) < 2:
        return {}, {}, ["Weniger als zwei Gebiete mit vollständigen Werten: kein Index."]
    z: dict[str, dict[str, float]] = {unit: {} for unit in units}
    for indicator_id, indicator in indicators.items():
        column = [inputs[unit][indicator_id] for unit in units]
        mean, spread = statistics.fmean(column), statistics.pstdev(column)
        if spread == 0:
            notes.append(f"{indicator.name}: alle Werte gleich, geht nicht in den Index ein.")
            continue
        sign = -1.0 if indicator.richtung == "hoeher_guenstiger" else 1.0
        for unit, value in zip(units, column, strict=True):
            z[unit][indicator_id] = sign * (value - mean) / spread
    sums = {unit: sum(indicators[i].gewicht * v for i, v in z[unit].items()) for unit in units}
    spread_of_sums = statistics.pstdev(sums.values())
    if spread_of_sums == 0:
        return z, {}, [*notes, "Die gewichteten Summen unterscheiden sich nicht: kein Index."]
    return z, {unit: total / spread_of_sums for unit, total in sums.items()}, notes


@dataclass(frozen=True, slots=True)
class Monitor:
    """The inputs of one monitoring run: registry, catalogue, sets, year, division, threshold."""

    areas: Mapping[str, Gebiet]
    catalogue: Mapping[str, Indikator]
    sets: tuple[Indikatorensatz, ...]
    year: int
    division: str
    min_residents: int = DEFAULT_MIN_RESIDENTS
    rules: CityRules = field(default_factory=CityRules)
    _cache: dict[int, Values] = field(default_factory=dict, compare=False, repr=False)

    def units(self, year: int | None = None) -> list[str]:
        """The division's areas that hold in ``year`` (default: the run's year)."""
        year = self.year if year is None else year
        edition = edition_of(self.sets, year, self.division)
        return sorted(
            a
            for a, area in self.areas.items()
            if area.art == self.division and holds(area, year, edition)
        )

    def values(self, year: int) -> Values:
        if year not in self._cache:
            self._cache[year] = values_of_year(self.sets, year, self.division)
        return self._cache[year]

    def residents(self, unit: str) -> tuple[float, int] | None:
        """The unit's population in the run's year or the latest year before it."""
        years = sorted({s.jahr for s in self.sets if s.jahr <= self.year}, reverse=True)
        for year in years:
            value = self.values(year).get(unit, {}).get(self.rules.population)
            if value is not None:
                return value, year
        return None

    def status_indicators(self, year: int) -> dict[str, Indikator]:
        """Status indicators with at least one value in ``year``."""
        present = {
            i for values in self.values(year).values() for i, v in values.items() if v is not None
        }
        return {
            i: ind for i, ind in sorted(self.catalogue.items()) if ind.is_status and i in present
        }

    def _gate(self, unit: str) -> str | None:
        population = self.residents(unit)
        if population is not None and population[0] < self.min_residents:
            return (
                f"{population[0]:.0f} Einwohner ({population[1]}) < Schwelle {self.min_residents}"
            )
        return None

    def _index(
        self,
        inputs_of: Mapping[str, Mapping[str, float | None]],
        indicators: Mapping[str, Indikator],
        classify: Callable[[float], str],
        what: str,
        barred: Mapping[str, str] | None = None,
    ) -> IndexResult:
        """``barred``: units left out before looking at their values, with the reason."""
        inputs: dict[str, dict[str, float]] = {}
        left_out: dict[str, str] = {}
        for unit in self.units():
            row = {i: inputs_of.get(unit, {}).get(i) for i in indicators}
            missing = [indicators[i].name for i, value in row.items() if value is None]
            reason = (
                (barred or {}).get(unit)
                or self._gate(unit)
                or (f"keine Angabe ({what}) für: " + ", ".join(missing) if missing else None)
            )
            if reason:
                left_out[unit] = reason
            else:
                inputs[unit] = {i: value for i, value in row.items() if value is not None}
        if not indicators:
            return IndexResult(
                (), {}, {}, {}, {}, {}, (f"Keine Statusindikatoren mit {what}: kein Index.",)
            )
        z, index, notes = standardise(inputs, indicators)
        if not index:  # too few units or no spread: nobody gets an index
            left_out.update(dict.fromkeys(inputs, notes[-1]))
        unknown = [u for u in index if self.residents(u) is None]
        if unknown:
            notes.append(f"Einwohnerzahl unbekannt, Schwelle nicht prüfbar: {', '.join(unknown)}.")
        classes = {unit: classify(value) for unit, value in index.items()}
        return IndexResult(tuple(indicators), inputs, z, index, classes, left_out, tuple(notes))

    def status(self) -> IndexResult:
        return self._index(
            self.values(self.year),
            self.status_indicators(self.year),
            status_class,
            f"Werten {self.year}",
        )

    def earlier_year(self) -> int | None:
        """The year the dynamic index compares with: as declared for this year (``None`` if
        no pair ends in it); with no pair declared at all, two years before."""
        if not self.rules.dynamic:
            return self.year - DYNAMIC_YEARS
        return self.rules.compared_year(self.year)

    def dynamic(self) -> IndexResult:
        """Change from the compared year of every status indicator with values in both."""
        earlier = self.earlier_year()
        if earlier is None:
            note = f"Für {self.year} ist kein Vergleichsjahr erklärt (data/stadt/, dynamik)."
            return IndexResult((), {}, {}, {}, {}, {}, (f"{note} Kein Dynamikindex.",))
        indicators = {
            i: ind
            for i, ind in self.status_indicators(self.year).items()
            if i in self.status_indicators(earlier)
        }
        now, then = self.values(self.year), self.values(earlier)
        changes = {
            unit: {i: (now.get(unit, {}).get(i), then.get(unit, {}).get(i)) for i in indicators}
            for unit in self.units()
        }
        differences = {
            unit: {
                i: (a - b if a is not None and b is not None else None) for i, (a, b) in row.items()
            }
            for unit, row in changes.items()
        }
        changed = self.changed_since(earlier)
        result = self._index(
            differences, indicators, dynamic_class, f"Werten {earlier} und {self.year}", changed
        )
        if not changed:
            return result
        note = (
            f"Gebietsgrenzen geändert zwischen {earlier} und {self.year}: kein Dynamikwert für "
            + ", ".join(self.areas[u].name for u in changed)
            + "."
        )
        return replace(result, notes=(*result.notes, note))

    def changed_since(self, earlier: int) -> dict[str, str]:
        """The run's units that did not hold in ``earlier``, each with its change in words."""
        then = set(self.units(earlier))
        return {
            unit: f"Gebietsgrenzen geändert ({boundary_change(self.areas, unit)}); kein "
            f"Dynamikwert über die Änderung hinweg"
            for unit in self.units()
            if unit not in then
        }
