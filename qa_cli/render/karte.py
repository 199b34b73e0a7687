"""``qa report karte``: the offices as points on an SVG sketch of the city, with the list beside.

One self-contained HTML page (template ``karte.html.j2``, extending ``base.html``): inline CSS and
inline SVG, no scripts, nothing loaded from the network, so it works offline and in an e-mail.
The sketch is honest about what it is: no map tiles and no city boundary (the data have none),
only the circle of the city's check radius around its centre, the points of the areas whose
``lage`` is known and, if there are at least three, their convex hull. Offices sit at their own
``standort`` or, approximately, at their area's ``lage``; several at one spot are spread on a small
ring with a line to the true point. Offices with neither are listed and named, not drawn.

Colour is by first Schwerpunkt or by the end of funding (ended / ends within 6 months / later /
permanent / unknown); the category is also written in the table, so nothing depends on colour
alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum

from qa_cli.domain.funding import EndKind, FundingEnd, funding_end, in_window, window_within
from qa_cli.domain.geo import (
    XY,
    PlacedOffice,
    Projection,
    convex_hull,
    fan_out,
    frame_for,
    place_offices,
    projection_for,
    scale_bar_km,
)
from qa_cli.german import UNKNOWN
from qa_cli.months import Month
from qa_cli.render.offices import area_names, end_text
from qa_cli.store.dataset import Dataset
from qa_cli.store.state import DataState

SIZE = 640.0  # the SVG is a square of this many units
MARGIN = 34.0
MARKER_RADIUS = 8.0
MONTHS_AHEAD = 6
PAD_KM = 1.5  # room around the outermost points
MIN_FRAME_KM = 6.0  # the frame is at least this wide
NO_FOCUS = "ohne"

# Paul Tol's "muted" scheme plus three of his others: distinguishable, also for most colour
# vision deficiencies. A Schwerpunkt keeps its colour however many are drawn.
FOCUS_COLOURS = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#EE7733",
    "#0077BB",
    "#555555",
)
NO_FOCUS_COLOUR = "#BBBBBB"


class Farbe(StrEnum):
    schwerpunkt = "schwerpunkt"
    ende = "ende"


class Ende(Enum):
    BEENDET = "beendet"
    BALD = "bald"
    MOEGLICH = "moeglicherweise_bald"
    SPAETER = "spaeter"
    DAUERHAFT = "dauerhaft"
    UNBEKANNT = "unbekannt"


END_COLOURS: dict[Ende, str] = {
    Ende.BEENDET: "#882255",
    Ende.BALD: "#EE7733",
    Ende.MOEGLICH: "#DDCC77",
    Ende.SPAETER: "#0077BB",
    Ende.DAUERHAFT: "#009988",
    Ende.UNBEKANNT: "#BBBBBB",
}


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label: str
    colour: str
    order: int

    @property
    def text_colour(self) -> str:
        """Black or white, whichever reads better on ``colour``."""
        red, green, blue = (int(self.colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
        return "#000000" if luminance > 0.45 else "#ffffff"


def end_category(end: FundingEnd, today: date) -> Category:
    window = window_within(today, MONTHS_AHEAD)
    this_month = Month.of(today)
    horizon = this_month.plus(MONTHS_AHEAD).german()
    if end.kind is EndKind.PERMANENT:
        kind, label = Ende.DAUERHAFT, "dauerhaft gefördert"
    elif end.period is None:
        kind, label = Ende.UNBEKANNT, "Ende unbekannt (k.A.)"
    elif end.period.last < this_month:
        kind, label = Ende.BEENDET, f"beendet (vor {this_month.german()})"
    elif in_window(end.period, window, surely=True):
        kind, label = Ende.BALD, f"endet bis {horizon}"
    elif in_window(end.period, window):  # known only to the half-year, as qa expiring says
        kind, label = Ende.MOEGLICH, f"endet möglicherweise bis {horizon}"
    else:
        kind, label = Ende.SPAETER, f"endet nach {horizon}"
    return Category(kind.value, label, END_COLOURS[kind], list(Ende).index(kind))


def focus_category(dataset: Dataset, placed: PlacedOffice) -> Category:
    focus = placed.office.schwerpunkte or []
    known = sorted(dataset.schwerpunkte)
    if not focus:
        return Category(NO_FOCUS, "ohne Schwerpunkt", NO_FOCUS_COLOUR, len(known) + 1)
    first = focus[0]
    index = known.index(first) if first in known else len(known)
    record = dataset.schwerpunkte.get(first)
    return Category(
        first,
        record.name if record is not None else first,
        FOCUS_COLOURS[index % len(FOCUS_COLOURS)],
        index,
    )


@dataclass(frozen=True, slots=True)
class Marker:
    nr: int
    x: float
    y: float
    anchor_x: float
    anchor_y: float
    moved: bool
    category: Category
    tooltip: str


@dataclass(frozen=True, slots=True)
class AreaPoint:
    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class LegendEntry:
    category: Category
    drawn: int
    total: int


@dataclass(frozen=True, slots=True)
class TableRow:
    nr: int | None
    name: str
    traeger: str
    gebiet: str
    schwerpunkte: str
    foerderung_bis: str
    category: Category
    lage: str


@dataclass(slots=True)
class MapView:
    title: str
    city: str | None
    radius_km: float | None
    farbe: str
    farbe_label: str
    today: str
    size: float
    centre: XY | None
    circle_radius: float | None
    scale_bar: tuple[float, float, float, str]  # x, y, length, label
    hull: str | None
    areas: list[AreaPoint] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    not_drawn: list[str] = field(default_factory=list)
    total: int = 0
    by_address: int = 0
    by_area: int = 0
    areas_with_position: int = 0
    sources: list[str] = field(default_factory=list)


def _projection(dataset: Dataset, placed: list[PlacedOffice]) -> Projection:
    """The frame: the city centre and every known point with room around them; without any
    point, the circle of the city's radius (or an empty frame)."""
    city = dataset.stadt
    points = [city.mittelpunkt.position] if city is not None else []
    points += [p.position.latlon for p in placed if p.position is not None]
    points += [a.lage.position for a in dataset.gebiete.values() if a.lage and a.lage.position]
    if points:
        return frame_for(points, SIZE, MARGIN, PAD_KM, MIN_FRAME_KM)
    if city is not None:
        return projection_for(city.mittelpunkt.position, city.radius_km, SIZE, MARGIN)
    return projection_for((0.0, 0.0), MIN_FRAME_KM, SIZE, MARGIN)


def _tooltip(nr: int, placed: PlacedOffice, area: str, end: str, category: Category) -> str:
    assert placed.position is not None
    where = placed.position.approximation()
    return f"{nr}: {placed.office.name} – {area} ({where}) – Förderung bis {end} – {category.label}"


def build_map(dataset: Dataset, farbe: Farbe, today: date) -> MapView:
    placed = place_offices(dataset.anlaufstellen, dataset.gebiete)
    projection = _projection(dataset, placed)
    city = dataset.stadt
    width_km = (SIZE - 2 * MARGIN) / projection.scale
    bar_km = scale_bar_km(width_km)
    view = MapView(
        title="Anlaufstellen auf einer Skizze der Stadt"
        + (f" {city.name}" if city is not None else ""),
        city=city.name if city is not None else None,
        radius_km=city.radius_km if city is not None else None,
        farbe=farbe.value,
        farbe_label="erster Schwerpunkt" if farbe is Farbe.schwerpunkt else "Ende der Förderung",
        today=today.strftime("%d.%m.%Y"),
        size=SIZE,
        centre=projection.project(city.mittelpunkt.position) if city is not None else None,
        circle_radius=None,
        scale_bar=(MARGIN, SIZE - MARGIN / 2, bar_km * projection.scale, _km(bar_km)),
        hull=None,
        total=len(placed),
    )
    if city is not None and view.centre is not None:
        radius = city.radius_km * projection.scale
        x, y = view.centre
        if radius <= min(x, y, SIZE - x, SIZE - y):
            view.circle_radius = radius
    _areas(dataset, projection, view)
    _offices(dataset, placed, projection, farbe, today, view)
    if city is not None:
        view.sources += [source.dokument for source in city.quelle]
    return view


def _km(value: float) -> str:
    text = f"{value:g}".replace(".", ",")
    return f"{text} km"


def _areas(dataset: Dataset, projection: Projection, view: MapView) -> None:
    spots: dict[XY, list[str]] = {}
    for area in sorted(dataset.gebiete.values(), key=lambda a: a.name.casefold()):
        point = area.lage.position if area.lage is not None else None
        if point is None:
            continue
        view.areas_with_position += 1
        x, y = projection.project(point)
        spots.setdefault((round(x, 1), round(y, 1)), []).append(area.name)
    view.areas = [AreaPoint(x, y, ", ".join(names)) for (x, y), names in spots.items()]
    hull = convex_hull(spots)
    if len(hull) >= 3:
        view.hull = " ".join(f"{x:.1f},{y:.1f}" for x, y in hull)


def _offices(
    dataset: Dataset,
    placed: list[PlacedOffice],
    projection: Projection,
    farbe: Farbe,
    today: date,
    view: MapView,
) -> None:
    drawn = [p for p in placed if p.position is not None]
    anchors = [projection.project(p.position.latlon) for p in drawn if p.position is not None]
    spread = fan_out(anchors, MARKER_RADIUS * 2 + 2)
    numbers = {p.id: nr for nr, p in enumerate(drawn, 1)}
    counts: dict[str, list[int]] = {}
    categories: dict[str, Category] = {}
    for entry in placed:
        end = funding_end(entry.office)
        category = (
            focus_category(dataset, entry)
            if farbe is Farbe.schwerpunkt
            else end_category(end, today)
        )
        categories[category.key] = category
        tally = counts.setdefault(category.key, [0, 0])
        tally[1] += 1
        area_name = ", ".join(area_names(entry.office, dataset.gebiete))
        end_label = _end_label(end)
        nr = numbers.get(entry.id)
        if entry.position is None or nr is None:
            view.not_drawn.append(entry.office.name)
            lage = "nicht eingezeichnet"
        else:
            tally[0] += 1
            if entry.position.genauigkeit == "adresse":
                view.by_address += 1
            else:
                view.by_area += 1
            lage = entry.position.approximation()
            (x, y), (ax, ay) = spread[nr - 1], anchors[nr - 1]
            view.markers.append(
                Marker(
                    nr,
                    x,
                    y,
                    ax,
                    ay,
                    (round(x, 1), round(y, 1)) != (round(ax, 1), round(ay, 1)),
                    category,
                    _tooltip(nr, entry, area_name, end_label, category),
                )
            )
        focus_names = [
            dataset.schwerpunkte[f].name if f in dataset.schwerpunkte else f
            for f in entry.office.schwerpunkte or []
        ]
        view.rows.append(
            TableRow(
                nr,
                entry.office.name,
                ", ".join(entry.office.traeger),
                area_name,
                ", ".join(focus_names) or "–",
                end_label,
                category,
                lage,
            )
        )
    view.legend = [
        LegendEntry(categories[key], counts[key][0], counts[key][1])
        for key in sorted(categories, key=lambda k: (categories[k].order, k))
    ]


def _end_label(end: FundingEnd) -> str:
    value = end_text(end)
    if value is None:
        return UNKNOWN
    text = value if isinstance(value, str) else value.german()
    return f"{text} (vorerst)" if end.provisional else text


def render_map(view: MapView, state: DataState | None) -> str:
    """The page; ``state`` (when and from which data it was made) stands under the title and,
    printed, at the foot of every page."""
    from qa_cli.render.html import page_boxes, render_page
    from qa_cli.render.stamp import stamp_text

    stand = stamp_text(state) if state is not None else None
    return render_page(
        "karte.html.j2",
        title=view.title,
        karte=view,
        stand=stand,
        page_css=page_boxes(view.title, stand),
    )
