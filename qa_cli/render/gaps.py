"""View of Förderlücken (``qa gaps``)."""

from __future__ import annotations

from typing import Any

from qa_cli.domain.funding import Window
from qa_cli.domain.gaps import Gap
from qa_cli.models.anlaufstelle import STATUS_LABELS
from qa_cli.render.offices import describe_window, flags
from qa_cli.render.report import Column, Report, Section

GAP_EXAMPLE_NOTICE = (
    "BEISPIEL: Angaben aus Interimsanträgen (Anschlussförderung, Zeitraum) sind erfundene "
    "Beispieldaten."
)
COVERAGE = {"voll": "deckt die Lücke", "teilweise": "deckt einen Teil", "nicht": "deckt sie nicht"}


def _follow_text(gap: Gap) -> str | None:
    follow = gap.follow_up
    if follow is None:
        return None
    start = f"ab {follow.start.german()}" if follow.start else "Beginn unbekannt"
    where = (
        f"laut Antrag {follow.request_id}"
        if follow.source == "antrag"
        else STATUS_LABELS[follow.status]
    )
    return f"{follow.programme or 'Programm k.A.'}, {start} ({where})"


def _bridges(gap: Gap) -> list[str]:
    lines = []
    for bridge in gap.bridges:
        first, last = bridge.period
        coverage = COVERAGE[bridge.coverage] if gap.months is not None else "Lückenende unbekannt"
        example = " (Beispiel)" if bridge.example else ""
        lines.append(
            f"{bridge.request_id}{example}: {first.german()}–{last.german()}, {coverage}, "
            f"Entscheidung {bridge.decision}"
        )
    return lines


def _row(gap: Gap) -> dict[str, Any]:
    return {
        "id": gap.office_id,
        "name": gap.office.name,
        "ende": gap.end.period,
        "hinweise": flags(gap.end),
        "anschluss": _follow_text(gap) or "keine Anschlussförderung bekannt",
        "anschluss_beginn": gap.follow_up.start if gap.follow_up and gap.follow_up.start else None,
        "luecke_ab": gap.first_gap_month,
        "luecke_monate": gap.months,
        "interimsantraege": _bridges(gap) or ["kein Antrag"],
        "beispiel": any(b.example for b in gap.bridges),
    }


def gaps_report(gaps: list[Gap], window: Window) -> Report:
    rows = [_row(gap) for gap in gaps]
    example = any(row["beispiel"] for row in rows)
    return Report(
        title="Förderlücken",
        description=[
            *([GAP_EXAMPLE_NOTICE] if example else []),
            describe_window(window),
            "Lücke = Monate zwischen dem Ende der Förderung und dem Beginn der Anschlussförderung "
            "(bewilligt, beantragt oder erwartet); ohne bekannten Beginn bleibt sie "
            "unbekannt (k.A.).",
        ],
        sections=[
            Section(
                "luecken",
                "Anlaufstellen mit auslaufender Förderung",
                [
                    Column("ende", "Ende"),
                    Column("name", "Anlaufstelle"),
                    Column("id", "Kennung", people=False),
                    Column("anschluss", "Anschlussförderung"),
                    Column("anschluss_beginn", "Anschluss ab", people=False),
                    Column("luecke_ab", "Lücke ab", people=False),
                    Column("luecke_monate", "Lücke (Monate)"),
                    Column("interimsantraege", "Interimsantrag"),
                    Column("beispiel", "Beispiel", people=False),
                ],
                rows,
            )
        ],
        meta={"beispiel": example},
    )
