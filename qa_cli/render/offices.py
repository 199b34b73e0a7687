"""Views of offices: the expiring list and the office list as ``Report``s."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from qa_cli import german
from qa_cli.domain.funding import (
    EndKind,
    Expiring,
    ExpiringReport,
    FundingEnd,
    Window,
    funding_end,
    programmes_of,
    shown_grants,
)
from qa_cli.models.anlaufstelle import STATUS_LABELS, Anlaufstelle
from qa_cli.models.gebiet import Gebiet
from qa_cli.months import Month
from qa_cli.render.report import Column, Report, Section, SharedValues

OFFICE_COLUMNS = [
    Column("id", "Kennung"),
    Column("name", "Name"),
    Column("traeger", "Träger"),
    Column("gebiet", "Gebiet"),
    Column("gebiet_id", "Gebiet-Kennung", people=False),
    Column("weitere_gebiete", "Weitere Gebiete", people=False),
    Column("foerderzugang", "Förderzugang"),
    Column("ausrichtung", "Ausrichtung", people=False),
    Column("kooperationspartner", "Kooperationspartner", people=False),
    Column("finanzielle_beteiligung", "Fin. Beteiligung", people=False),
    Column("laufzeit", "Laufzeit bis"),
    Column("laufzeit_wortlaut", "Laufzeit laut Quelle", people=False),
]

EXPIRING_COLUMNS = [
    Column("ende", "Ende"),
    Column("ende_datum", "Letzter Tag", people=False),
    Column("name", "Name"),
    Column("id", "Kennung", people=False),
    Column("traeger", "Träger"),
    Column("gebiet", "Gebiet"),
    Column("foerderzugang", "Förderzugang"),
    Column("vorlaeufig", "vorerst", people=False),
    Column("hinweise", "Hinweise"),
]


def end_text(end: FundingEnd) -> Any:
    """The end as a cell value: a month range, ``dauerhaft`` or ``None`` (unknown)."""
    if end.kind is EndKind.PERMANENT:
        return "dauerhaft"
    return end.period


def flags(end: FundingEnd) -> list[str]:
    """Provisional ends and follow-on grants in preparation, in words."""
    notes = []
    if end.provisional:
        notes.append("vorerst")
    if end.period is not None and not end.period.exact:
        notes.append(f"Ende nur ungefähr bekannt ({end.period.german()})")
    for follow_up in end.follow_ups:
        # a follow-up naming no programme is still the extension the source speaks of
        what = (
            "Verlängerung"
            if follow_up.programm in (None, getattr(end.grant, "programm", None))
            else "Anschlussförderung"
        )
        detail = f" um {follow_up.dauer_monate} Monate" if follow_up.dauer_monate else ""
        if follow_up.programm is None:
            detail += " (Programm k.A.)"
        notes.append(f"{what}{detail} {STATUS_LABELS[follow_up.status]}")
    return notes


def area_names(office: Anlaufstelle, areas: dict[str, Gebiet]) -> list[str]:
    """The names of every area the office serves (an unknown id as itself)."""
    return [areas[a].name if a in areas else a for a in office.gebiete]


def office_row(
    office_id: str, office: Anlaufstelle, areas: dict[str, Gebiet], end: FundingEnd | None = None
) -> dict[str, Any]:
    """One office as the overviews show it: the programme is that of the grant(s) running at
    the end shown, not every programme the office ever had. ``end``: its ``funding_end``, when
    the caller has it already (``qa expiring`` asks it of every office to sort them)."""
    end = end if end is not None else funding_end(office)
    return {
        "id": office_id,
        "name": office.name,
        "traeger": list(office.traeger),
        "gebiet": ", ".join(area_names(office, areas)),
        "gebiet_id": office.gebiet,
        "weitere_gebiete": office.weitere_gebiete or [],
        "foerderzugang": programmes_of(shown_grants(office, end)),
        "ausrichtung": office.ausrichtung,
        "kooperationspartner": office.kooperationspartner,
        "finanzielle_beteiligung": office.finanzielle_beteiligung,
        "laufzeit": end_text(end),
        "laufzeit_wortlaut": office.laufzeit_wortlaut,
        "vorlaeufig": end.provisional,
        "hinweise": flags(end),
    }


def expiring_rows(areas: dict[str, Gebiet]) -> Callable[[Expiring], dict[str, Any]]:
    """Makes the row of each entry of ``sorted_expiring``; the rows share equal values."""
    shared = SharedValues()

    def row_of(entry: Expiring) -> dict[str, Any]:
        row = office_row(entry.office_id, entry.office, areas, entry.end)
        row["ende"] = entry.end.period
        row["ende_datum"] = entry.end.period.last.last_day() if entry.end.period else None
        return shared.row(row)

    return row_of


def describe_window(window: Window) -> str:
    if window.start is not None and window.today is not None:
        return (
            f"Förderungen, die zwischen dem {german.day(window.start)} und dem "
            f"{german.day(window.end)} enden (heute: {german.day(window.today)}, "
            f"{window.months} Monate voraus)."
        )
    last = german.day(window.end)
    month = Month.of(window.end)
    if window.end == month.last_day():
        return (
            f"Förderungen, die im Monat {month.german()} oder früher enden, "
            f"also spätestens am {last}."
        )
    return (
        f"Förderungen, die spätestens am {last} enden; eine Förderung bis {month.german()} läuft "
        f"bis {german.day(month.last_day())} und zählt nicht dazu."
    )


def expiring_report(result: ExpiringReport[dict[str, Any]]) -> Report:
    """The listing of ``sorted_expiring`` with its entries kept as ``expiring_rows`` makes
    them."""
    window = result.window
    return Report(
        title="Auslaufende Förderungen",
        description=[
            describe_window(window),
            "Dauerhaft geförderte Anlaufstellen erscheinen nicht; Anlaufstellen ohne bekanntes "
            "Ende stehen in einem eigenen Abschnitt.",
        ],
        sections=[
            Section(
                "endend",
                "Förderung endet im Zeitraum",
                EXPIRING_COLUMNS,
                result.ending,
            ),
            Section(
                "moeglicherweise_endend",
                "Ende nur ungefähr bekannt, fällt möglicherweise in den Zeitraum",
                EXPIRING_COLUMNS,
                result.possibly_ending,
            ),
            Section(
                "ende_unbekannt",
                "Ende unbekannt (k.A.)",
                EXPIRING_COLUMNS,
                result.unknown,
            ),
        ],
        meta={
            "zeitraum": {
                "von": window.start,
                "bis": window.end,
                "heute": window.today,
                "monate": window.months,
            }
        },
    )


def office_list_report(
    offices: Iterable[tuple[str, Anlaufstelle]], areas: dict[str, Gebiet], filters: list[str]
) -> Report:
    shared = SharedValues()
    rows = [shared.row(office_row(office_id, office, areas)) for office_id, office in offices]
    rows.sort(key=lambda row: (str(row["name"]).casefold(), row["id"]))
    description = ["Filter: " + "; ".join(filters)] if filters else []
    return Report(
        title="Anlaufstellen",
        description=description,
        sections=[Section("anlaufstellen", "Anlaufstellen", OFFICE_COLUMNS, rows)],
        meta={"filter": filters},
    )
