"""``qa report fonds-…``: the papers of a fund: the Gremium's meeting paper, the minutes'
decisions, the public list of funded projects and the yearly report for the committee."""

from __future__ import annotations

from typing import Annotated

import typer

from qa_cli.cli.common import DataOption, fail, load_valid
from qa_cli.cli.fonds import DeadlineOption, FundArgument, YearOption, choose_fund, rounds
from qa_cli.cli.report import ExcelOption, FormatOption, OutputOption, emit


def register(report_app: typer.Typer) -> None:
    report_app.command("fonds-sitzung")(sitzung)
    report_app.command("fonds-beschluesse")(beschluesse)
    report_app.command("fonds-projekte")(projekte)
    report_app.command("fonds-jahresbericht")(jahresbericht)


def _one_round(frist: str | None) -> str:
    if frist is None:
        fail("Die Runde angeben: --frist DATUM (z. B. 2021-04-01) oder --frist ohne.")
    return frist


def sitzung(
    fonds: FundArgument = None,
    frist: DeadlineOption = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
) -> None:
    """Sitzungsvorlage für das Gremium: die Anträge einer Runde mit der Prüfung nach den Regeln,
    das freie Budget je Kostenstelle und eine leere Spalte für die Entscheidung."""
    from qa_cli.render.fonds import meeting_paper

    deadline = _one_round(frist)
    dataset = load_valid(data)
    fund_id, fund = choose_fund(dataset, fonds)
    (round_,) = rounds(dataset, fund_id, fund, deadline)
    emit(meeting_paper(round_, dataset.gebiete), format, output, excel)


def beschluesse(
    fonds: FundArgument = None,
    frist: DeadlineOption = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
) -> None:
    """Beschlussliste für das Protokoll: je Antrag der Runde Beschluss, Betrag, Auflagen,
    Teilnehmende und Enthaltungen."""
    from qa_cli.render.fonds import decisions_list

    deadline = _one_round(frist)
    dataset = load_valid(data)
    fund_id, fund = choose_fund(dataset, fonds)
    (round_,) = rounds(dataset, fund_id, fund, deadline)
    emit(decisions_list(round_, dataset.gebiete), format, output, excel)


def projekte(
    fonds: Annotated[
        str | None,
        typer.Option("--fonds", help="Nur dieser Fonds; Standard: alle.", show_default=False),
    ] = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
) -> None:
    """Die öffentliche Liste der geförderten Projekte (für die Seite der Stadt)."""
    from qa_cli.domain.fonds import granted, of_fund
    from qa_cli.render.fonds import public_projects

    dataset = load_valid(data)
    applications = granted(dataset.fondsantraege)
    if fonds is not None:
        fund_id, _fund = choose_fund(dataset, fonds)
        applications = of_fund(applications, fund_id)
    emit(public_projects(dataset.fonds, applications, dataset.gebiete), format, output, excel)


def jahresbericht(
    fonds: FundArgument = None,
    jahr: YearOption = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
) -> None:
    """Jahresbericht für den Ausschuss: Projekte je Gebiet, Ziel und Antragstellerart,
    wiederholte Empfänger, Nutzung des Budgets über die Jahre (HTML mit Grafik)."""
    from qa_cli.domain.fonds import fund_state, granted, of_fund, year_figures
    from qa_cli.render.fonds import yearly_report

    dataset = load_valid(data)
    fund_id, fund = choose_fund(dataset, fonds)
    own = granted(of_fund(dataset.fondsantraege, fund_id))
    figures = year_figures(fund, own, jahr)
    state = fund_state(fund_id, fund, dataset.fondsantraege)
    emit(yearly_report(fund_id, fund, figures, state, dataset.gebiete), format, output, excel)
