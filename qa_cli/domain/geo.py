"""Where offices are: positions with their accuracy, distances, and the projection of the map
sketch.

An office is placed at its own ``standort`` when that has coordinates (accuracy ``adresse``),
otherwise at its area's ``lage`` if the area has one, else at the point of the nearest area above
it that has one (accuracy ``gebiet``: approximate, several offices share the point, and the
position names the area whose point it is), otherwise nowhere: it is listed, not drawn. Nothing
else is guessed.

Distances come from ``qa_cli.distance`` (shared with the store's location check). The sketch
projects equirectangularly around the city centre (x scaled by the cosine of the centre's
latitude), which is faithful to a few metres over a city.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from qa_cli.distance import KM_PER_DEGREE, LatLon
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.gebiet import Gebiet

XY = tuple[float, float]
Genauigkeit = Literal["adresse", "gebiet"]

GENAUIGKEIT_LABELS: dict[str, str] = {
    "adresse": "Standort der Anlaufstelle",
    "gebiet": "ungefähr: Lage des Gebiets",
}


@dataclass(frozen=True, slots=True)
class Position:
    lat: float
    lon: float
    genauigkeit: Genauigkeit
    area_id: str | None = None  # whose point an approximate position is
    area_name: str | None = None
    above: bool = False  # the point of an area above the office's own

    @property
    def latlon(self) -> LatLon:
        return (self.lat, self.lon)

    def approximation(self) -> str:
        """In words, where an approximate position comes from."""
        if self.genauigkeit == "adresse":
            return GENAUIGKEIT_LABELS["adresse"]
        whose = "des übergeordneten Gebiets" if self.above else "des Gebiets"
        return f"ungefähr: Lage {whose} {self.area_name}"


def office_position(office: Anlaufstelle, areas: Mapping[str, Gebiet]) -> Position | None:
    """The office's own coordinates, else its area's point, else the point of the nearest area
    above it (breadth first over every parent), else ``None``."""
    own = office.standort.position if office.standort is not None else None
    if own is not None:
        return Position(own[0], own[1], "adresse")
    level, seen = [office.gebiet], set()
    while level:
        for area_id in level:
            area = areas.get(area_id)
            point = area.lage.position if area is not None and area.lage is not None else None
            if area is not None and point is not None:
                above = area_id != office.gebiet
                return Position(point[0], point[1], "gebiet", area_id, area.name, above)
        seen.update(level)
        level = [
            parent
            for area_id in level
            if area_id in areas
            for parent in areas[area_id].parent_ids
            if parent not in seen
        ]
    return None


@dataclass(frozen=True, slots=True)
class PlacedOffice:
    id: str
    office: Anlaufstelle
    position: Position | None


def place_offices(
    offices: Mapping[str, Anlaufstelle], areas: Mapping[str, Gebiet]
) -> list[PlacedOffice]:
    """Every office with its position (or ``None``), by name and id."""
    placed = [
        PlacedOffice(office_id, office, office_position(office, areas))
        for office_id, office in offices.items()
    ]
    return sorted(placed, key=lambda p: (p.office.name.casefold(), p.id))


@dataclass(frozen=True, slots=True)
class Projection:
    """Equirectangular projection around ``centre``: ``scale`` SVG units per km, the centre at
    ``origin``; y grows southwards as in SVG."""

    centre: LatLon
    scale: float
    origin: XY

    def project(self, point: LatLon) -> XY:
        lat0, lon0 = self.centre
        east_km = (point[1] - lon0) * math.cos(math.radians(lat0)) * KM_PER_DEGREE
        north_km = (point[0] - lat0) * KM_PER_DEGREE
        return (self.origin[0] + east_km * self.scale, self.origin[1] - north_km * self.scale)


def projection_for(centre: LatLon, radius_km: float, size: float, margin: float) -> Projection:
    """A square of ``size`` units showing the circle of ``radius_km`` around ``centre`` with
    ``margin`` units to spare on every side."""
    scale = (size / 2 - margin) / radius_km
    return Projection(centre, scale, (size / 2, size / 2))


def frame_for(
    points: Sequence[LatLon], size: float, margin: float, pad_km: float, min_km: float
) -> Projection:
    """A square of ``size`` units around the bounding box of ``points`` (at least one), padded by
    ``pad_km`` and at least ``min_km`` across, so that close points stay apart."""
    lat0, lon0 = points[0]
    east_per_degree = math.cos(math.radians(lat0)) * KM_PER_DEGREE
    east = [(lon - lon0) * east_per_degree for _, lon in points]
    north = [(lat - lat0) * KM_PER_DEGREE for lat, _ in points]
    half = max(max(east) - min(east), max(north) - min(north), min_km - 2 * pad_km) / 2 + pad_km
    centre = (
        lat0 + (max(north) + min(north)) / 2 / KM_PER_DEGREE,
        lon0 + (max(east) + min(east)) / 2 / east_per_degree,
    )
    return projection_for(centre, half, size, margin)


def scale_bar_km(width_km: float) -> float:
    """A round length for a scale bar at most a quarter of ``width_km``."""
    steps = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
    fitting = [step for step in steps if step <= width_km / 4]
    return float(fitting[-1] if fitting else steps[0])


def convex_hull(points: Iterable[XY]) -> list[XY]:
    """The convex hull, counter-clockwise in a y-up frame (Andrew's monotone chain); fewer than
    three distinct points give what there is."""
    unique = sorted(set(points))
    if len(unique) < 3:
        return unique

    def cross(o: XY, a: XY, b: XY) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[XY] = []
    for p in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[XY] = []
    for p in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def fan_out(points: Sequence[XY], spacing: float) -> list[XY]:
    """Markers that would sit on the same spot, spread on a small ring around it (in input
    order), so each stays visible; the others stay where they are."""
    groups: dict[XY, list[int]] = {}
    for index, (x, y) in enumerate(points):
        groups.setdefault((round(x, 1), round(y, 1)), []).append(index)
    result = list(points)
    for (x, y), members in groups.items():
        if len(members) < 2:
            continue
        ring = max(spacing, spacing * len(members) / (2 * math.pi))
        for rank, index in enumerate(members):
            angle = -math.pi / 2 + 2 * math.pi * rank / len(members)
            result[index] = (x + ring * math.cos(angle), y + ring * math.sin(angle))
    return result
