"""Distances on the Earth and whether a point lies within a city: plain geometry that both the
store's location check and the map's domain functions need (so neither imports the other).

Distances use the haversine formula on a sphere of the mean Earth radius; for a city the error
against the WGS84 ellipsoid is well below a percent, far less than the tolerance they are
compared with.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from qa_cli.models.stadt import Stadt

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
KM_PER_DEGREE = math.pi / 180 * EARTH_RADIUS_KM

LatLon = tuple[float, float]


def distance_km(a: LatLon, b: LatLon) -> float:
    """Great-circle distance between two ``(lat, lon)`` points in kilometres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class Distance:
    city_id: str
    city: Stadt
    km: float


def nearest_city(point: LatLon, cities: Mapping[str, Stadt]) -> Distance | None:
    """The city whose centre is nearest to ``point`` (ties by id); ``None`` without cities."""
    distances = [
        Distance(city_id, city, distance_km(point, city.mittelpunkt.position))
        for city_id, city in sorted(cities.items())
    ]
    return min(distances, key=lambda d: d.km) if distances else None


def outside_cities(point: LatLon, cities: Mapping[str, Stadt]) -> Distance | None:
    """The nearest city if ``point`` lies outside the radius of every city, else ``None``
    (also when no city is recorded: then nothing can be checked)."""
    if any(distance_km(point, c.mittelpunkt.position) <= c.radius_km for c in cities.values()):
        return None
    return nearest_city(point, cities)
