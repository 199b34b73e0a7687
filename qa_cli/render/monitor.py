"""View of a monitoring run (``qa monitor``): units, values, z-values, indices, classes, and
need against offer (status class beside the offices and fund projects of each unit)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qa_cli.domain.coverage import Offer
from qa_cli.domain.monitoring import IndexResult, Monitor
from qa_cli.models.indikator import Indikator
from qa_cli.render.report import Column, Report, Section

METHOD = (
    "Statusindex wie im Berliner MSS: z-Werte je Statusindikator (Standardabweichung der "
    "Grundgesamtheit, Vorzeichen nach Richtung: positiv = mehr Benachteiligung), gewichtete Summe, "
    "geteilt durch deren Standardabweichung. Klassen: hoch (< −1), mittel (−1 bis +1), niedrig "
    "(bis +1,5), sehr niedrig (> +1,5). Dynamikindex ebenso aus der Veränderung seit dem "
    "Vergleichsjahr: positiv (< −1), stabil, negativ (> +1)."
)


def _columns(monitor: Monitor, indicators: list[str], status: IndexResult) -> list[Column]:
    columns = [Column("name", "Gebiet"), Column("id", "Kennung", people=False)]
    for indicator_id in indicators:
        indicator = monitor.catalogue[indicator_id]
        columns.append(
            Column(
                f"werte.{indicator_id}",
                f"{indicator.name} ({monitor.rules.unit_label(indicator.einheit)})",
                places=monitor.rules.decimals(indicator.einheit),
            )
        )
        if indicator_id in status.indicators:
            columns.append(Column(f"z.{indicator_id}", f"z {indicator_id}", empty="–", places=2))
    return [
        *columns,
        Column("statusindex", "Statusindex", empty="–", places=2),
        Column("statusklasse", "Status", empty="–"),
        Column("dynamikindex", "Dynamikindex", empty="–", places=2),
        Column("dynamikklasse", "Dynamik", empty="–"),
    ]


def _plain(value: float | None, indicator: Indikator, monitor: Monitor) -> float | int | None:
    """Whole numbers of a unit shown without decimals (residents) stay whole in every format."""
    whole = monitor.rules.decimals(indicator.einheit) == 0
    if value is not None and whole and value.is_integer():
        return int(value)
    return value


def _elsewhere_note(division: str, elsewhere: list[str]) -> list[str]:
    if not elsewhere:
        return []
    return [
        f"Bedarf und Angebot: {len(elsewhere)} bewilligte Fondsprojekte liegen in keinem Gebiet "
        f"der Gliederung {division} (Gebiet einer anderen Gliederung oder ohne Gebiet) und "
        "zählen hier nicht: " + ", ".join(elsewhere) + "."
    ]


def need_and_offer(monitor: Monitor, status: IndexResult, offers: Mapping[str, Offer]) -> Section:
    """Units by need (highest status index first, units without index last, by name), each
    with its offices and the fund projects granted in it."""

    def need_first(unit: str) -> tuple[bool, float, str]:
        index = status.index.get(unit)
        return index is None, -(index or 0.0), monitor.areas[unit].name

    rows = [
        {
            "id": unit,
            "name": monitor.areas[unit].name,
            "statusklasse": status.classes.get(unit),
            "anlaufstellen": len(offers[unit].offices),
            "fondsprojekte": len(offers[unit].projects),
            "projekte": "; ".join(title for _, title in offers[unit].projects) or None,
            "projekt_ids": [aid for aid, _ in offers[unit].projects],
        }
        for unit in sorted(offers, key=need_first)
    ]
    return Section(
        "bedarf_angebot",
        "Bedarf und Angebot",
        [
            Column("name", "Gebiet"),
            Column("id", "Kennung", people=False),
            Column("statusklasse", "Status", empty="–"),
            Column("anlaufstellen", "Anlaufstellen"),
            Column("fondsprojekte", "Fondsprojekte"),
            Column("projekte", "Projekte der Verfügungsfonds", empty="–"),
        ],
        rows,
        in_csv=False,
    )


def monitor_report(
    monitor: Monitor,
    status: IndexResult,
    dynamic: IndexResult,
    offers: Mapping[str, Offer],
    elsewhere: list[str],
) -> Report:
    values = monitor.values(monitor.year)
    indicators = sorted({i for row in values.values() for i in row if i in monitor.catalogue})
    rows: list[dict[str, Any]] = []
    for unit in monitor.units():
        rows.append(
            {
                "id": unit,
                "name": monitor.areas[unit].name,
                "werte": {
                    i: _plain(values.get(unit, {}).get(i), monitor.catalogue[i], monitor)
                    for i in indicators
                },
                "z": status.z.get(unit, {}),
                "statusindex": status.index.get(unit),
                "statusklasse": status.classes.get(unit),
                "dynamikindex": dynamic.index.get(unit),
                "dynamikklasse": dynamic.classes.get(unit),
            }
        )
    left_out = [
        {"id": unit, "name": monitor.areas[unit].name, "index": label, "grund": reason}
        for label, result in (("Status", status), ("Dynamik", dynamic))
        for unit, reason in sorted(result.left_out.items())
    ]
    division = monitor.rules.kind_label(monitor.division)
    earlier = monitor.earlier_year()
    return Report(
        title=f"Quartiersmonitoring {monitor.year}: Gliederung {division}",
        description=[
            METHOD,
            f"Statusindikatoren: {', '.join(status.indicators) or 'keine'}; Dynamik: "
            f"{', '.join(dynamic.indicators) or 'keine'}. "
            f"Mindesteinwohnerzahl: {monitor.min_residents} "
            f"(Indikator {monitor.rules.population}). Vergleichsjahr der Dynamik: "
            f"{earlier if earlier is not None else 'keines'}.",
            *status.notes,
            *(f"Dynamik: {note}" for note in dynamic.notes),
            *_elsewhere_note(division, elsewhere),
        ],
        sections=[
            Section("gebiete", "Gebiete", _columns(monitor, indicators, status), rows),
            Section(
                "ausgelassen",
                "Nicht im Index",
                [
                    Column("name", "Gebiet"),
                    Column("id", "Kennung", people=False),
                    Column("index", "Index"),
                    Column("grund", "Grund"),
                ],
                left_out,
                empty_text="Alle Gebiete sind in beiden Indizes enthalten.",
                in_csv=False,
            ),
            need_and_offer(monitor, status, offers),
        ],
        meta={
            "jahr": monitor.year,
            "gliederung": monitor.division,
            "mindesteinwohner": monitor.min_residents,
            "einwohner_indikator": monitor.rules.population,
            "vergleichsjahr": earlier,
            "statusindikatoren": list(status.indicators),
            "dynamikindikatoren": list(dynamic.indicators),
            "hinweise": [*status.notes, *dynamic.notes],
            "fondsprojekte_ausserhalb": elsewhere,
        },
    )
