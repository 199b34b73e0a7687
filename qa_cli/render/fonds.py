"""Views of a fund as ``Report``s: the budget state, the applications with the rules' verdicts,
the proofs of use, and the papers (Gremium's meeting, minutes' decisions, public list, yearly
report for the committee). Every format (table, csv, json, md, html, xlsx) renders them."""

from __future__ import annotations

from datetime import date
from typing import Any

from qa_cli import german
from qa_cli.domain.fonds import (
    Applications,
    FundState,
    ProofEntry,
    Proofs,
    Round,
    RoundEntry,
    Verdict,
    YearFigures,
    projects_in,
)
from qa_cli.domain.funding import Window
from qa_cli.models.fonds import Fonds
from qa_cli.models.fondsantrag import STATUS_LABELS, Fondsantrag
from qa_cli.models.gebiet import Gebiet
from qa_cli.months import Month
from qa_cli.render.chart import Bar, BarChart
from qa_cli.render.report import Column, Report, Section
from qa_cli.store.dataset import Dataset

STATE_COLUMNS = [
    Column("jahr", "Jahr"),
    Column("kostenstelle", "Kostenstelle"),
    Column("kostenstelle_id", "Kostenstelle-Kennung", people=False),
    Column("zweck", "Zweck", people=False),
    Column("budget", "Budget", euro=True),
    Column("projekte", "Projekte"),
    Column("bewilligt", "bewilligt", euro=True),
    Column("betraege_unbekannt", "Beträge unbekannt"),
    Column("bewilligt_bekannt", "davon bekannt", euro=True),
    Column("ausgezahlt", "ausgezahlt", euro=True),
    Column("zurueckgezahlt", "zurück", euro=True),
    Column("frei", "frei", euro=True),
    Column("genutzt_prozent", "genutzt %"),
    Column("vollstaendig", "vollständig", people=False),
]


def fund_title(fund: Fonds) -> str:
    return fund.kurzname or fund.name


def state_rows(state: FundState) -> list[dict[str, Any]]:
    return [
        {
            "jahr": str(line.year),
            "kostenstelle": line.name,
            "kostenstelle_id": line.kostenstelle,
            "zweck": line.purpose,
            "budget": line.budget,
            "projekte": line.projects,
            "bewilligt": line.granted_total,
            "betraege_unbekannt": line.unknown_amounts,
            "bewilligt_bekannt": line.granted,
            "ausgezahlt": line.paid,
            "zurueckgezahlt": line.returned,
            "frei": line.left,
            "genutzt_prozent": line.share,
            "vollstaendig": line.complete,
        }
        for line in state.lines
    ]


def state_notes(state: FundState) -> list[str]:
    """How to read the figures, and what they cannot include."""
    notes = [
        "genutzt % = (bewilligt − zurück) / Budget, frei = Budget − bewilligt + zurück. Ist ein "
        "bewilligter Betrag unbekannt, sind bewilligt, frei und genutzt % unbekannt (k.A.); "
        "„davon bekannt“ ist die Summe der bekannten Beträge, ausgezahlt ist k.A., wenn eine "
        "Auszahlung unbekannt ist."
    ]
    if state.without_year:
        notes.append(
            f"{len(state.without_year)} Bewilligung(en) ohne bekanntes Haushaltsjahr fehlen in "
            "dieser Tabelle: " + ", ".join(state.without_year) + "."
        )
    if state.without_kostenstelle:
        notes.append(
            f"{len(state.without_kostenstelle)} Bewilligung(en) ohne bekannte Kostenstelle "
            "fehlen in dieser Tabelle: " + ", ".join(state.without_kostenstelle) + "."
        )
    for report in state.fund.meldungen:
        notes.append(
            f"Laut {report.quelle.dokument} waren bis {german.day(report.stand)} "
            f"{report.bewilligte_projekte} Projekte bewilligt."
        )
    return notes


def state_report(state: FundState) -> Report:
    return Report(
        title=f"Stand des Fonds {fund_title(state.fund)}",
        description=[state.fund.name, *state_notes(state)],
        sections=[
            Section(
                "stand",
                "Budget je Jahr und Kostenstelle",
                STATE_COLUMNS,
                state_rows(state),
                empty_text="Für diese Auswahl ist kein Budget und keine Bewilligung erfasst.",
            )
        ],
        meta={"fonds": state.fund_id},
    )


def applicants_text(application: Fondsantrag) -> list[str]:
    return [a.name or "nicht genannt" for a in application.antragsteller] or ["nicht genannt"]


RULE_LABELS = {
    "hoechstbetrag": "Höchstbetrag",
    "ziele": "Ziele",
    "gebiet": "Gebiet",
    "frist": "Frist",
    "budget": "Budget",
}


def verdict_text(verdicts: list[Verdict]) -> list[str]:
    """Each rule's verdict in a few words; the detail only where a rule could be checked."""
    marks = {True: "erfüllt", False: "VERLETZT", None: "offen"}
    return [
        f"{RULE_LABELS[v.rule]}: {marks[v.ok]}"
        + (f" ({v.text})" if v.ok is not None and v.text else "")
        for v in verdicts
    ]


def _area_name(application: Fondsantrag, areas: dict[str, Gebiet]) -> str | None:
    area = areas.get(application.gebiet) if application.gebiet else None
    return area.name if area is not None else None


def _entry_row(entry: RoundEntry, areas: dict[str, Gebiet]) -> dict[str, Any]:
    application = entry.application
    decision = application.entscheidung
    return {
        "id": entry.application_id,
        "antragsteller": applicants_text(application),
        "kooperation": application.cooperation,
        "projekt": application.projekt.titel,
        "gebiet": _area_name(application, areas),
        "gebiet_id": application.gebiet,
        "beantragt": application.betrag_beantragt,
        "eingang": application.eingang,
        "kostenstelle": entry.kostenstelle,
        "pruefung": verdict_text(entry.verdicts),
        "status": STATUS_LABELS[decision.status],
        "bewilligt": decision.betrag_bewilligt,
        "entscheidung": None,
    }


ROUND_COLUMNS = [
    Column("id", "Kennung"),
    Column("antragsteller", "Antragsteller"),
    Column("kooperation", "Kooperation", people=False),
    Column("projekt", "Projekt"),
    Column("gebiet", "Gebiet"),
    Column("gebiet_id", "Gebiet-Kennung", people=False),
    Column("beantragt", "beantragt", euro=True),
    Column("eingang", "Eingang", people=False),
    Column("kostenstelle", "Kostenstelle", people=False),
    Column("pruefung", "Prüfung nach den Regeln"),
    Column("status", "Status"),
    Column("bewilligt", "bewilligt", euro=True),
]


def _round_title(round_: Round) -> str:
    if round_.deadline is None:
        return "ohne Frist"
    return f"Frist {german.day(round_.deadline)}"


def round_report(rounds: list[Round], areas: dict[str, Gebiet]) -> Report:
    """The applications of one or several rounds, each with what the rules say."""
    fund = rounds[0].fund if rounds else None
    return Report(
        title=f"Anträge an den Fonds {fund_title(fund)}" if fund else "Anträge",
        description=[
            "Prüfung je Regel: erfüllt, VERLETZT oder offen (eine Angabe fehlt). Budget: was "
            "in der Kostenstelle im Jahr der Frist frei ist, ohne die Anträge dieser Runde."
        ],
        sections=[
            Section(
                f"frist_{r.deadline.isoformat() if r.deadline else 'ohne'}",
                _round_title(r),
                ROUND_COLUMNS,
                [_entry_row(entry, areas) for entry in r.entries],
                empty_text="Keine Anträge für diese Frist.",
            )
            for r in rounds
        ],
        meta={"fonds": rounds[0].fund_id} if rounds else {},
    )


def meeting_paper(round_: Round, areas: dict[str, Gebiet]) -> Report:
    """The Gremium's paper: the round's applications with the rules' verdicts, the budget left
    per Kostenstelle, and an empty decision column to fill in the meeting."""
    fund = round_.fund
    gremium = fund.gremium
    members = [
        f"{m.rolle}" + (f" ({areas[m.stadtbezirk].name})" if m.stadtbezirk in areas else "")
        for m in (gremium.mitglieder if gremium else [])
        if m.stadtbezirk is None or m.stadtbezirk in areas
    ]
    conflicts = [
        f"{c.mitglied} zu {c.antrag}" + (f" ({c.grund})" if c.grund else "")
        for c in (gremium.befangenheiten if gremium else [])
        if any(e.application_id == c.antrag for e in round_.entries)
    ]
    basis = [
        f"Fonds: {fund.name}."
        + (
            f" Richtlinie „{fund.richtlinie.name}“"
            + (f", in Kraft seit {german.day(fund.in_force)}." if fund.in_force else ".")
            if fund.richtlinie
            else ""
        ),
        f"Höchstbetrag je Projekt: {_euro(fund.hoechstbetrag.projekt)}, je "
        f"Kooperationsprojekt: {_euro(fund.hoechstbetrag.kooperationsprojekt)}.",
        f"Gremium: {gremium.name if gremium else 'k.A.'}; Mitglieder: "
        + (", ".join(members) or "k.A.")
        + "; "
        + (
            f"beschlussfähig ab {gremium.quorum} Mitgliedern."
            if gremium and gremium.quorum
            else "Beschlussfähigkeit nicht erfasst."
        ),
        "Erklärte Befangenheiten in dieser Runde: " + ("; ".join(conflicts) or "keine") + ".",
    ]
    goals = Section(
        "ziele",
        "Ziele des Fonds",
        [Column("id", "Kennung"), Column("name", "Ziel")],
        [{"id": g.id, "name": g.name} for g in fund.ziele],
        in_csv=False,
        empty_text="Der Fonds nennt keine Ziele.",
    )
    budget = Section(
        "budget",
        "Budget vor dieser Runde",
        STATE_COLUMNS,
        state_rows(round_.state),
        in_csv=False,
        paragraphs=state_notes(round_.state)[:1],
    )
    columns = [c for c in ROUND_COLUMNS if c.key not in ("status", "bewilligt")]
    applications = Section(
        "antraege",
        "Anträge und Prüfung",
        [*columns, Column("entscheidung", "Entscheidung", empty="")],
        [_entry_row(entry, areas) for entry in round_.entries],
        empty_text="Keine Anträge für diese Frist.",
    )
    return Report(
        title=f"Sitzungsvorlage {fund_title(fund)}, {_round_title(round_)}",
        description=basis,
        sections=[applications, budget, goals],
        meta={"fonds": round_.fund_id, "frist": round_.deadline},
    )


def _euro(value: int | None) -> str:
    return german.UNKNOWN if value is None else german.euro(value)


def decisions_list(round_: Round, areas: dict[str, Gebiet]) -> Report:
    """The minutes' list of decisions of a round: who took part, abstentions, amounts,
    conditions."""
    rows = []
    for entry in round_.entries:
        decision = entry.application.entscheidung
        rows.append(
            {
                "id": entry.application_id,
                "antragsteller": applicants_text(entry.application),
                "projekt": entry.application.projekt.titel,
                "gebiet": _area_name(entry.application, areas),
                "beantragt": entry.application.betrag_beantragt,
                "status": STATUS_LABELS[decision.status],
                "datum": decision.datum,
                "bewilligt": decision.betrag_bewilligt,
                "kostenstelle": entry.kostenstelle,
                "auflagen": decision.auflagen,
                "teilnehmende": decision.teilnehmende,
                "enthaltungen": [
                    e.mitglied + (f" ({e.grund})" if e.grund else "") for e in decision.enthaltungen
                ],
            }
        )
    return Report(
        title=f"Beschlüsse {fund_title(round_.fund)}, {_round_title(round_)}",
        description=[round_.fund.name],
        sections=[
            Section(
                "beschluesse",
                "Beschlüsse",
                [
                    Column("id", "Kennung"),
                    Column("antragsteller", "Antragsteller"),
                    Column("projekt", "Projekt"),
                    Column("gebiet", "Gebiet"),
                    Column("beantragt", "beantragt", euro=True),
                    Column("status", "Beschluss"),
                    Column("datum", "Datum"),
                    Column("bewilligt", "bewilligt", euro=True),
                    Column("kostenstelle", "Kostenstelle"),
                    Column("auflagen", "Auflagen"),
                    Column("teilnehmende", "Teilnehmende"),
                    Column("enthaltungen", "Enthaltungen"),
                ],
                rows,
                empty_text="Keine Anträge für diese Frist.",
            )
        ],
        meta={"fonds": round_.fund_id, "frist": round_.deadline},
    )


def public_projects(
    funds: dict[str, Fonds], applications: Applications, areas: dict[str, Gebiet]
) -> Report:
    """The funded projects for the city's web page: no contact data, no internal notes."""
    rows = []
    for application_id, application in applications.items():
        fund = funds[application.fonds]
        decision = application.entscheidung
        rows.append(
            {
                "id": application_id,
                "fonds": fund_title(fund),
                "projekt": application.projekt.titel,
                "antragsteller": applicants_text(application),
                "gebiet": _area_name(application, areas),
                "bewilligt_am": decision.datum,
                "bekannt_seit": Month.parse(decision.bekannt_seit)
                if decision.bekannt_seit
                else None,
                "haushaltsjahr": application.budget_year(fund.in_force),
                "betrag": decision.betrag_bewilligt,
                "quelle": [q.url or q.dokument for q in application.quelle],
            }
        )
    rows.sort(
        key=lambda r: (r["fonds"], str(r["bewilligt_am"] or r["bekannt_seit"] or "9"), r["id"])
    )
    return Report(
        title="Geförderte Projekte (Verfügungsfonds)",
        description=[
            "Bewilligte Projekte mit Antragsteller, Gebiet und Betrag, soweit bekannt "
            "(k.A.: nicht veröffentlicht). „bekannt seit“: der Monat, in dem eine Quelle das "
            "Projekt zuerst meldet, wenn das Datum der Bewilligung unbekannt ist."
        ],
        sections=[
            Section(
                "projekte",
                "Geförderte Projekte",
                [
                    Column("id", "Kennung", people=False),
                    Column("fonds", "Fonds"),
                    Column("projekt", "Projekt"),
                    Column("antragsteller", "Antragsteller"),
                    Column("gebiet", "Gebiet"),
                    Column("bewilligt_am", "bewilligt am"),
                    Column("bekannt_seit", "bekannt seit", empty="–"),
                    Column("haushaltsjahr", "Haushaltsjahr", people=False),
                    Column("betrag", "Betrag", euro=True),
                    Column("quelle", "Quelle", people=False),
                ],
                rows,
                empty_text="Noch kein bewilligtes Projekt erfasst.",
            )
        ],
    )


PROOF_COLUMNS = [
    Column("faellig_am", "fällig am"),
    Column("id", "Kennung"),
    Column("antragsteller", "Antragsteller"),
    Column("projekt", "Projekt"),
    Column("bewilligt", "bewilligt", euro=True),
    Column("ausgezahlt", "ausgezahlt", euro=True),
    Column("eingegangen_am", "eingegangen am", empty="–"),
    Column("anerkannt", "anerkannt"),
    Column("ausgegeben", "ausgegeben", euro=True),
    Column("zurueckgezahlt", "zurück", euro=True),
]


def _proof_row(entry: ProofEntry) -> dict[str, Any]:
    application = entry.application
    proof = application.verwendungsnachweis
    return {
        "faellig_am": entry.due,
        "id": entry.application_id,
        "antragsteller": applicants_text(application),
        "projekt": application.projekt.titel,
        "bewilligt": application.entscheidung.betrag_bewilligt,
        "ausgezahlt": application.paid,
        "eingegangen_am": proof.eingegangen_am if proof else None,
        "anerkannt": proof.anerkannt if proof else None,
        "ausgegeben": proof.ausgegeben if proof else None,
        "zurueckgezahlt": proof.zurueckgezahlt if proof else None,
    }


def _window_text(window: Window) -> str:
    """The due dates asked for, in words (months end on their last day, as in qa expiring)."""
    start = f"vom {german.day(window.start)} " if window.start is not None else ""
    return f"Fällig {start}bis zum {german.day(window.end)}."


def proofs_report(proofs: Proofs, today: date) -> Report:
    def section(key: str, title: str, entries: list[ProofEntry], empty: str) -> Section:
        return Section(
            key, title, PROOF_COLUMNS, [_proof_row(e) for e in entries], empty_text=empty
        )

    return Report(
        title="Verwendungsnachweise",
        description=[
            _window_text(proofs.window),
            f"Überfällig: fällig vor dem {german.day(today)} (heute) und nicht eingegangen, "
            "unabhängig vom Zeitraum.",
        ],
        sections=[
            section("ueberfaellig", "Überfällig", proofs.overdue, "Kein Nachweis überfällig."),
            section("faellig", "Fällig im Zeitraum", proofs.due, "Kein Nachweis fällig."),
            section("eingegangen", "Eingegangen", proofs.received, "Kein Nachweis eingegangen."),
            section(
                "unbekannt",
                "Bewilligt, Fälligkeit unbekannt",
                proofs.unknown,
                "Keine Bewilligung ohne Fälligkeit.",
            ),
        ],
    )


def _counter_section(
    key: str, title: str, label: str, counts: dict[str, int], unknown: int, names: dict[str, str]
) -> Section:
    rows: list[dict[str, Any]] = [
        {"wert": names.get(value, value), "kennung": value, "projekte": n}
        for value, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    if unknown:
        rows.append({"wert": "unbekannt", "kennung": None, "projekte": unknown})
    return Section(
        key,
        title,
        [
            Column("wert", label),
            Column("kennung", "Kennung", people=False),
            Column("projekte", "Projekte"),
        ],
        rows,
        in_csv=False,
        empty_text="Keine Projekte.",
    )


def yearly_report(
    fund_id: str,
    fund: Fonds,
    figures: YearFigures,
    state: FundState,
    areas: dict[str, Gebiet],
) -> Report:
    """The committee's yearly report: projects by area, goal and applicant kind, repeat
    recipients, and the use of the budget over the years, with a chart of the use."""
    span = str(figures.year) if figures.year is not None else "alle Jahre"
    area_names = {aid: area.name for aid, area in areas.items()}
    use = Section(
        "budgetnutzung",
        "Nutzung des Budgets über die Jahre",
        STATE_COLUMNS,
        state_rows(state),
        paragraphs=state_notes(state),
        chart=_use_chart(state),
    )
    repeat = Section(
        "wiederholt",
        "Wiederholte Empfänger (alle Jahre)",
        [Column("name", "Antragsteller"), Column("projekte", "Projekte")],
        [{"name": name, "projekte": n} for name, n in figures.repeat.items()],
        in_csv=False,
        paragraphs=[
            "Antragsteller mit mehr als einem bewilligten Projekt; nicht genannte "
            "Antragsteller zählen nicht mit."
        ],
        empty_text="Kein genannter Antragsteller hat mehr als ein bewilligtes Projekt.",
    )
    return Report(
        title=f"Jahresbericht {fund_title(fund)} ({span})",
        description=[
            fund.name,
            f"Bewilligte Projekte ({span}): {figures.projects}.",
        ],
        sections=[
            use,
            _counter_section(
                "gebiete",
                "Projekte je Gebiet",
                "Gebiet",
                figures.by_area,
                figures.unknown_area,
                area_names,
            ),
            _counter_section(
                "stadtbezirke",
                "Projekte je Stadtbezirk",
                "Stadtbezirk",
                figures.by_district,
                figures.unknown_district,
                area_names,
            ),
            _counter_section(
                "ziele",
                "Projekte je Ziel",
                "Ziel",
                figures.by_goal,
                figures.unknown_goals,
                fund.goal_names(),
            ),
            _counter_section(
                "antragstellerarten",
                "Projekte je Antragstellerart",
                "Art",
                figures.by_kind,
                figures.unknown_kind,
                fund.applicant_kinds(),
            ),
            repeat,
        ],
        meta={"fonds": fund_id, "jahr": figures.year},
    )


def _plus(total: int | None, value: int | None) -> int | None:
    return None if total is None or value is None else total + value


def _use_chart(state: FundState) -> BarChart | None:
    """Budget and granted per year (all Kostenstellen together): one picture of the use."""
    years: dict[int, tuple[int | None, int | None]] = {}
    for line in state.lines:
        budget, granted = years.get(line.year, (0, 0))
        years[line.year] = (_plus(budget, line.budget), _plus(granted, line.granted_total))
    if not years:
        return None
    return BarChart(
        title="Budget und bewilligte Beträge je Jahr (k.A.: ein Betrag ist unbekannt)",
        unit="€",
        series=("Budget", "bewilligt"),
        bars=[Bar(str(year), values) for year, values in sorted(years.items())],
    )


def profile_projects(dataset: Dataset, unit: str) -> tuple[tuple[str, str], ...]:
    """The funded projects in ``unit`` (or below it), one line each, for a Quartiersprofil."""
    projects = projects_in(unit, dataset.fondsantraege, dataset.gebiete)
    return tuple(zip(projects, project_lines(dataset.fonds, projects), strict=True))


def project_lines(funds: dict[str, Fonds], projects: Applications) -> list[str]:
    """One line per funded project."""
    lines = []
    for application in projects.values():
        decision = application.entscheidung
        amount = _euro(decision.betrag_bewilligt)
        when = (
            german.day(decision.datum)
            if decision.datum
            else f"bekannt seit {Month.parse(decision.bekannt_seit).german()}"
            if decision.bekannt_seit
            else "Datum k.A."
        )
        lines.append(
            f"{application.projekt.titel} ({', '.join(applicants_text(application))}; "
            f"{fund_title(funds[application.fonds])}; Betrag {amount}; {when})"
        )
    return lines
