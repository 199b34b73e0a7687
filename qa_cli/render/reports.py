"""Documents for the committee and the staff: the quarterly table and a Quartiersprofil, each
as a ``Report`` that every format can render (an interim round's papers: decision_paper.py)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from qa_cli import german
from qa_cli.domain.profile import Profile
from qa_cli.domain.quarterly import GROUPS, MEASURE_LABELS, MEASURES, BudgetLine, Figure, Quarter
from qa_cli.models.indikator import Indikator
from qa_cli.render.offices import end_text
from qa_cli.render.profile import ProfileView, figure, sections, title
from qa_cli.render.report import Column, Report, Section

GROUP_TITLES = {
    "gesamt": "Alle Anlaufstellen",
    "stadtteil": "nach Stadtteil/Quartier",
    "traeger": "nach Träger",
    "foerderzugang": "nach Förderzugang",
}
GROUP_SHEETS = {"stadtteil": "nach Stadtteil"}  # a sheet name holds no "/"
EXAMPLE_MEASURES = frozenset({"ueberbrueckt"})  # counts that follow from interim requests
EXAMPLE_MARK = " (Beispieldaten)"


def _tidy_rows(
    figures: list[Figure], budget: list[BudgetLine], example: bool
) -> list[dict[str, Any]]:
    """The long form; ``beispiel`` marks the rows whose figure follows from example data."""
    rows = [
        {
            "quartal": str(f.quarter),
            "beginn": f.quarter.start,
            "ende": f.quarter.end,
            "gruppe": f.group,
            "wert": f.value,
            "kennzahl": f.measure,
            "anzahl": f.number,
            "beispiel": example and f.measure in EXAMPLE_MEASURES,
        }
        for f in figures
    ]
    for line in budget:
        for measure, amount in (
            ("budget_eur", line.budget),
            ("gebunden_eur", line.committed),
            ("frei_eur", line.left),
        ):
            rows.append(
                {
                    "quartal": str(line.quarter),
                    "beginn": line.quarter.start,
                    "ende": line.quarter.end,
                    "gruppe": "interimsbudget",
                    "wert": line.round_id,
                    "kennzahl": measure,
                    "anzahl": amount,
                    "beispiel": example,
                }
            )
    return rows


TIDY_COLUMNS = [
    Column("quartal", "Quartal"),
    Column("beginn", "Beginn"),
    Column("ende", "Ende"),
    Column("gruppe", "Gruppe"),
    Column("wert", "Wert"),
    Column("kennzahl", "Kennzahl"),
    Column("anzahl", "Anzahl bzw. Euro"),
    Column("beispiel", "Beispieldaten"),
]


def _measure_label(measure: str, example: bool) -> str:
    label = MEASURE_LABELS[measure]
    return label + EXAMPLE_MARK if example and measure in EXAMPLE_MEASURES else label


def _wide_section(
    group: str, figures: list[Figure], periods: list[Quarter], example: bool
) -> Section:
    """hledger-style: one row per group value, one column per quarter and measure."""
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for f in figures:
        if f.group == group:
            table[f.value][f"{f.quarter}.{f.measure}"] = f.number
    several = len(periods) > 1
    columns = [Column("wert", "Gruppe")] + [
        Column(
            f"zahlen.{q}.{m}",
            f"{q} {_measure_label(m, example)}" if several else _measure_label(m, example),
        )
        for q in periods
        for m in MEASURES
    ]
    rows = [
        {
            "wert": value,
            "zahlen": {str(q): {m: numbers.get(f"{q}.{m}", 0) for m in MEASURES} for q in periods},
        }
        for value, numbers in table.items()
    ]
    return Section(
        f"tabelle_{group}",
        GROUP_TITLES[group],
        columns,
        rows,
        in_csv=False,
        sheet=GROUP_SHEETS.get(group),
    )


def quarterly_report(
    periods: list[Quarter], figures: list[Figure], budget: list[BudgetLine], example: bool
) -> Report:
    span = str(periods[0]) if len(periods) == 1 else f"{periods[0]} bis {periods[-1]}"
    budget_rows = [
        {
            "quartal": str(b.quarter),
            "runde": b.round_id,
            "budget": b.budget,
            "gebunden": b.committed,
            "frei": b.left,
        }
        for b in budget
    ]
    description = [
        f"Zeitraum: {german.day(periods[0].start)} bis {german.day(periods[-1].end)}.",
        "Gefördert: die Förderung deckt mindestens einen Monat des Quartals; endet: das Ende "
        "liegt im Quartal; beendet: davor; überbrückt: eine bewilligte Interimsfinanzierung "
        "deckt das Quartal mit. Anlaufstellen mit mehreren Trägern zählen bei jedem.",
    ]
    if example:
        description.insert(0, "BEISPIEL: Die Interimsanträge sind erfundene Beispieldaten.")
    return Report(
        title=f"Quartalsbericht Quartiersarbeit {span}",
        description=description,
        sections=[
            *(_wide_section(group, figures, periods, example) for group in GROUPS),
            Section(
                "interimsbudget",
                "Interimsbudget" + (EXAMPLE_MARK if example else ""),
                [
                    Column("quartal", "Quartal"),
                    Column("runde", "Runde"),
                    Column("budget", "Budget", euro=True),
                    Column("gebunden", "bewilligt", euro=True),
                    Column("frei", "frei", euro=True),
                ],
                budget_rows,
                in_csv=False,
                empty_text="Keine Entscheidungsmatrix, also kein Interimsbudget.",
                sheet="Interimsbudget",
            ),
            Section(
                "zahlen",
                "Kennzahlen (eine Zeile je Quartal, Gruppe und Kennzahl)",
                TIDY_COLUMNS,
                _tidy_rows(figures, budget, example),
                for_people=False,
                sheet="Kennzahlen (lange Form)",
            ),
        ],
        meta={"quartale": [str(q) for q in periods]},
    )


def profile_document(view: ProfileView) -> Report:
    """The Quartiersprofil as a document: the figures as a table, the rest as text."""
    profile: Profile = view.profile
    rows = []
    for line in profile.lines:
        indicator = view.catalogue[line.indicator_id]

        def number(value: float | None, indicator: Indikator = indicator) -> str:
            return figure(value, indicator, view.rules)

        rows.append(
            {
                "indikator": indicator.name,
                "wert": number(line.value),
                "gesamtstadt": number(line.city),
                "rang": f"{line.rank} von {line.of}" if line.rank else None,
                "verlauf": [f"{year}: {number(value)}" for year, value in line.trend],
            }
        )
    figures = Section(
        "kennzahlen",
        "Kennzahlen",
        [
            Column("indikator", "Indikator"),
            Column("wert", "Wert"),
            Column("gesamtstadt", "Gesamtstadt"),
            Column("rang", "Rang", empty="–"),
            Column("verlauf", "Verlauf"),
        ],
        rows,
    )
    offices = Section(
        "anlaufstellen",
        "Anlaufstellen im Gebiet",
        [
            Column("name", "Anlaufstelle"),
            Column("id", "Kennung", people=False),
            Column("bis", "gefördert bis"),
            Column("schwerpunkte", "Schwerpunkte"),
        ],
        [
            {
                "name": office.name,
                "id": oid,
                "bis": end_text(end),
                "schwerpunkte": view.focus(office.schwerpunkte or []),
            }
            for oid, office, end in profile.offices
        ],
        in_csv=False,
        empty_text="Keine Anlaufstelle in diesem Gebiet.",
    )
    text = [
        Section(f"text_{index}", heading, [], [], paragraphs=items, in_csv=False)
        for index, (heading, items) in enumerate(sections(view))
        if heading not in ("Kennzahlen", "Anlaufstellen im Gebiet")
    ]
    return Report(
        title=title(view),
        sections=[figures, *text[:1], offices, *text[1:]],
        meta={"gebiet": profile.unit_id, "jahr": profile.year},
    )
