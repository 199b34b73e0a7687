"""View of a monitoring run (``qa monitor``): units, values, z-values, indices, classes."""

from __future__ import annotations

from typing import Any

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


def monitor_report(monitor: Monitor, status: IndexResult, dynamic: IndexResult) -> Report:
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
        },
    )
