"""A Quartiersprofil: one unit's figures against the city and the other units, over time, with
its indices, its offices and their funding end, coverage by focus, and staff's interpretation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from qa_cli.domain.coverage import FocusMap, coverage, double_structures, offices_in
from qa_cli.domain.funding import FundingEnd, funding_end
from qa_cli.domain.monitoring import IndexResult, Monitor, boundary_change, city_values
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.gebiet import Gebiet

HIGH_NEED = ("niedrig", "sehr niedrig")


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    indicator_id: str
    value: float | None
    city: float | None
    rank: int | None
    of: int
    trend: tuple[tuple[int, float], ...]


@dataclass(frozen=True, slots=True)
class Profile:
    unit_id: str
    area: Gebiet
    year: int | None  # None: the area's division has no indicator sets
    lines: tuple[IndicatorLine, ...]
    status: IndexResult
    dynamic: IndexResult
    offices: tuple[tuple[str, Anlaufstelle, FundingEnd], ...]
    focus: FocusMap
    doubles: FocusMap
    uncovered: tuple[str, ...]  # foci without an office, listed when the need is high
    boundary: str | None = None  # why the series starts or ends: the area's change of boundaries

    @property
    def high_need(self) -> bool:
        return self.status.classes.get(self.unit_id) in HIGH_NEED


def _rank(monitor: Monitor, unit: str, indicator: str) -> tuple[int | None, int]:
    """Rank by value, highest first, among the division's units with a value."""
    values = {u: v.get(indicator) for u, v in monitor.values(monitor.year).items()}
    present = sorted((v, u) for u, v in values.items() if v is not None)
    ordered = [u for _, u in reversed(present)]
    return (ordered.index(unit) + 1 if unit in ordered else None), len(ordered)


def _trend(monitor: Monitor, unit: str, indicator: str) -> tuple[tuple[int, float], ...]:
    years = sorted({s.jahr for s in monitor.sets if s.gliederung == monitor.division})
    points = []
    for year in years:
        value = monitor.values(year).get(unit, {}).get(indicator)
        if value is not None:
            points.append((year, value))
    return tuple(points)


def _offices_of(
    unit: str, offices: dict[str, Anlaufstelle], areas: Mapping[str, Gebiet]
) -> tuple[tuple[str, Anlaufstelle, FundingEnd], ...]:
    return tuple(
        (oid, offices[oid], funding_end(offices[oid])) for oid in offices_in(unit, offices, areas)
    )


def profile_without_figures(
    unit: str, areas: Mapping[str, Gebiet], offices: dict[str, Anlaufstelle], foci: list[str]
) -> Profile:
    """The profile of an area whose division has no indicator sets: its offices and their
    coverage, no figures and no index (said so, not hidden)."""
    note = "Für diese Gliederung gibt es keine Indikatorensätze."
    empty = IndexResult((), {}, {}, {}, {}, {}, (note,))
    focus = coverage(unit, offices, areas)
    return Profile(
        unit,
        areas[unit],
        None,
        (),
        empty,
        empty,
        _offices_of(unit, offices, areas),
        focus,
        double_structures(focus),
        (),
    )


def build_profile(
    monitor: Monitor, unit: str, offices: dict[str, Anlaufstelle], foci: list[str]
) -> Profile:
    area = monitor.areas[unit]
    row = monitor.values(monitor.year).get(unit, {})
    city = city_values(monitor.sets, monitor.year, monitor.division)
    indicator_ids = sorted(set(row) | {i for i in monitor.catalogue if _trend(monitor, unit, i)})
    lines = tuple(
        IndicatorLine(
            i, row.get(i), city.get(i), *_rank(monitor, unit, i), _trend(monitor, unit, i)
        )
        for i in indicator_ids
        if i in monitor.catalogue
    )
    focus = coverage(unit, offices, monitor.areas)
    status = monitor.status()
    need_high = status.classes.get(unit) in HIGH_NEED
    return Profile(
        unit,
        area,
        monitor.year,
        lines,
        status,
        monitor.dynamic(),
        _offices_of(unit, offices, monitor.areas),
        focus,
        double_structures(focus),
        tuple(f for f in foci if f not in focus) if need_high else (),
        _series_note(monitor, unit),
    )


def _series_note(monitor: Monitor, unit: str) -> str | None:
    """Said under the figures when the unit's boundaries changed: its series holds only its own
    years, the figures of its predecessors or successors belong to other areas."""
    change = boundary_change(monitor.areas, unit)
    if change is None:
        return None
    return (
        f"Gebietsgrenzen geändert ({change}). Der Verlauf zeigt nur Jahre mit diesen Grenzen; "
        "Werte anderer Grenzen werden nicht verglichen."
    )
