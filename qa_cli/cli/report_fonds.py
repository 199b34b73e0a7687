"""``qa report fonds-…``: the papers of a fund: the Gremium's meeting paper, the minutes'
decisions, the public list of funded projects and the yearly report for the committee."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import DataOption, RevOption, StandOption, fail, load_valid
from qa_cli.cli.fonds import (
    DeadlineOption,
    FundArgument,
    YearOption,
    choose_fund,
    fund_kinds,
    rounds,
)
from qa_cli.cli.report import ExcelOption, FormatOption, OutputOption, emit

if TYPE_CHECKING:
    from qa_cli.domain.fonds import Round
    from qa_cli.models.gebiet import Gebiet
    from qa_cli.render.report import Report


def register(report_app: typer.Typer) -> None:
    report_app.command("fonds-sitzung")(sitzung)
    report_app.command("fonds-beschluesse")(beschluesse)
    report_app.command("fonds-projekte")(projekte)
    report_app.command("fonds-jahresbericht")(jahresbericht)


def _round_paper(
    build: Callable[[Round, dict[str, Gebiet]], Report],
    fonds: str | None,
    frist: str | None,
    paper: tuple[str | None, Path | None, bool, Path | None],
    state: tuple[str | None, str | None],
) -> None:
    """Build and write a paper of one round (``paper``: format, output, excel, data; ``state``:
    --rev, --stand)."""
    fmt, output, excel, data = paper
    rev, stand = state
    if frist is None:
        fail("Die Runde angeben: --frist DATUM (z. B. 2021-04-01) oder --frist ohne.")
    dataset = load_valid(data, needs=fund_kinds(), rev=rev, stand=stand)
    fund_id, fund = choose_fund(dataset, fonds)
    (round_,) = rounds(dataset, fund_id, fund, frist)
    emit(build(round_, dataset.gebiete), dataset, fmt, output, excel)


def sitzung(
    fonds: FundArgument = None,
    frist: DeadlineOption = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Sitzungsvorlage für das Gremium: die Anträge einer Runde mit der Prüfung nach den Regeln,
    das freie Budget je Kostenstelle und eine leere Spalte für die Entscheidung."""
    from qa_cli.render.fonds import meeting_paper

    _round_paper(meeting_paper, fonds, frist, (format, output, excel, data), (rev, stand))


def beschluesse(
    fonds: FundArgument = None,
    frist: DeadlineOption = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Beschlussliste für das Protokoll: je Antrag der Runde Beschluss, Betrag, Auflagen,
    Teilnehmende und Enthaltungen."""
    from qa_cli.render.fonds import decisions_list

    _round_paper(decisions_list, fonds, frist, (format, output, excel, data), (rev, stand))


def projekte(
    fonds: Annotated[
        str | None,
        typer.Option("--fonds", help="Nur dieser Fonds; Standard: alle.", show_default=False),
    ] = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Die öffentliche Liste der geförderten Projekte (für die Seite der Stadt)."""
    from qa_cli.domain.fonds import granted, of_fund
    from qa_cli.render.fonds import public_projects

    dataset = load_valid(data, needs=fund_kinds(), rev=rev, stand=stand)
    applications = granted(dataset.fondsantraege)
    if fonds is not None:
        fund_id, _fund = choose_fund(dataset, fonds)
        applications = of_fund(applications, fund_id)
    emit(
        public_projects(dataset.fonds, applications, dataset.gebiete),
        dataset,
        format,
        output,
        excel,
    )


def jahresbericht(
    fonds: FundArgument = None,
    jahr: YearOption = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Jahresbericht für den Ausschuss: Projekte je Gebiet, Ziel und Antragstellerart,
    wiederholte Empfänger, Nutzung des Budgets über die Jahre (HTML mit Grafik)."""
    from qa_cli.domain.fonds import fund_state, granted, of_fund, year_figures
    from qa_cli.render.fonds import yearly_report

    dataset = load_valid(data, needs=fund_kinds(), rev=rev, stand=stand)
    fund_id, fund = choose_fund(dataset, fonds)
    own = granted(of_fund(dataset.fondsantraege, fund_id))
    figures = year_figures(fund, own, dataset.gebiete, jahr)
    state = fund_state(fund_id, fund, dataset.fondsantraege)
    emit(
        yearly_report(fund_id, fund, figures, state, dataset.gebiete),
        dataset,
        format,
        output,
        excel,
    )
