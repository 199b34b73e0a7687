"""View of a monitoring run (``qa monitor``): units, values, z-values, indices, classes."""

from __future__ import annotations

from typing import Any

from qa_cli.domain.monitoring import DYNAMIC_YEARS, IndexResult, Monitor
from qa_cli.models.gebiet import ART_LABELS
from qa_cli.models.indikator import EINHEIT_LABELS, Indikator
from qa_cli.render.report import Column, Report, Section

COUNTS = ("personen", "anzahl")
METHOD = (
    "Statusindex wie im Berliner MSS: z-Werte je Statusindikator (Standardabweichung der "
    "Grundgesamtheit, Vorzeichen nach Richtung: positiv = mehr Benachteiligung), gewichtete Summe, "
    "geteilt durch deren Standardabweichung. Klassen: hoch (< −1), mittel (−1 bis +1), niedrig "
    "(bis +1,5), sehr niedrig (> +1,5). Dynamikindex ebenso aus der Veränderung über "
    f"{DYNAMIC_YEARS} Jahre: positiv (< −1), stabil, negativ (> +1)."
)


def _columns(monitor: Monitor, indicators: list[str], status: IndexResult) -> list[Column]:
    columns = [Column("name", "Gebiet"), Column("id", "Kennung", people=False)]
    for indicator_id in indicators:
        indicator = monitor.catalogue[indicator_id]
        columns.append(
            Column(
                f"werte.{indicator_id}", f"{indicator.name} ({EINHEIT_LABELS[indicator.einheit]})"
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


def _plain(value: float | None, indicator: Indikator) -> float | int | None:
    """Counts such as residents read better without a decimal place."""
    if value is not None and indicator.einheit in COUNTS and value.is_integer():
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
                    i: _plain(values.get(unit, {}).get(i), monitor.catalogue[i]) for i in indicators
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
    division = ART_LABELS[monitor.division]
    return Report(
        title=f"Quartiersmonitoring {monitor.year}: Gliederung {division}",
        description=[
            METHOD,
            f"Statusindikatoren: {', '.join(status.indicators) or 'keine'}; Dynamik: "
            f"{', '.join(dynamic.indicators) or 'keine'}. "
            f"Mindesteinwohnerzahl: {monitor.min_residents}.",
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
            "statusindikatoren": list(status.indicators),
            "dynamikindikatoren": list(dynamic.indicators),
            "hinweise": [*status.notes, *dynamic.notes],
        },
    )
