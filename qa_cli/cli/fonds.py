"""``qa fonds …``: the state of a fund's budget, the applications of a round with the rules'
verdicts, and the proofs of use that are due, overdue or received."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import (
    DataOption,
    FormatOption,
    RevOption,
    StandOption,
    choose,
    chosen_revision,
    fail,
    load_valid,
    today_at,
)
from qa_cli.cli.window import BeforeOption, TodayOption, WithinOption

if TYPE_CHECKING:
    from qa_cli.domain.fonds import Round
    from qa_cli.models.fonds import Fonds
    from qa_cli.store.dataset import Dataset
    from qa_cli.store.kinds import Kind

fonds_app = typer.Typer(
    help="Verfügungsfonds (Stadtteilfonds): Budget, Anträge einer Runde, Verwendungsnachweise.",
    no_args_is_help=True,
)

FundArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[FONDS]",
        help="Kennung des Fonds (data/fonds/); entfällt, wenn es nur einen gibt.",
        show_default=False,
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option("--jahr", help="Haushaltsjahr; Standard: alle Jahre.", show_default=False),
]
DeadlineOption = Annotated[
    str | None,
    typer.Option(
        "--frist",
        help="Stichtag der Runde (2021-04-01 oder 01.04.2021); „ohne“: Anträge ohne Frist.",
        show_default=False,
    ),
]
NO_DEADLINE = "ohne"


def fund_kinds() -> tuple[Kind, ...]:
    """What the fund commands read (imported when called: the models are not needed for
    ``qa --help``)."""
    from qa_cli.store.kinds import FONDS, FONDSANTRAEGE, GEBIETE, STADT

    return (FONDS, FONDSANTRAEGE, GEBIETE, STADT)


def register(app: typer.Typer) -> None:
    app.add_typer(fonds_app, name="fonds")


def choose_fund(dataset: Dataset, fund_id: str | None) -> tuple[str, Fonds]:
    """The fund named, or the only one; a German usage error otherwise."""
    import difflib

    funds = dataset.fonds
    if fund_id is None:
        if len(funds) == 1:
            return next(iter(funds.items()))
        fail(
            "Bitte den Fonds angeben." if funds else "Es gibt keinen Fonds (data/fonds/).",
            hint="Fonds: " + ", ".join(sorted(funds)) if funds else None,
        )
    if fund_id not in funds:
        close = difflib.get_close_matches(fund_id, list(funds), n=1)
        fail(
            f"Fonds „{fund_id}“ gibt es nicht.",
            hint=f"Meinten Sie „{close[0]}“?" if close else "Fonds: " + ", ".join(sorted(funds)),
        )
    return fund_id, funds[fund_id]


def parse_deadline(text: str | None) -> tuple[bool, date | None]:
    """(asked for one round?, its deadline); ``ohne`` is the round of unknown deadlines."""
    from qa_cli.months import parse_day

    if text is None:
        return False, None
    if text.strip().lower() == NO_DEADLINE:
        return True, None
    try:
        return True, parse_day(text)
    except ValueError as error:
        fail(f"--frist: {error}")


@fonds_app.command("stand")
def stand(
    fonds: FundArgument = None,
    jahr: YearOption = None,
    kostenstelle: Annotated[
        str | None,
        typer.Option("--kostenstelle", help="Nur diese Kostenstelle.", show_default=False),
    ] = None,
    format: FormatOption = "table",
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Budget, bewilligt, ausgezahlt, zurückgezahlt, frei und genutzter Anteil je Jahr und
    Kostenstelle."""
    from qa_cli.domain.fonds import fund_state
    from qa_cli.render.fonds import state_report
    from qa_cli.render.tabular import ListFormat, render

    fmt = choose(format, ListFormat, "--format")
    dataset = load_valid(data, needs=fund_kinds(), rev=rev, stand=stand)
    fund_id, fund = choose_fund(dataset, fonds)
    if kostenstelle is not None and fund.kostenstelle(kostenstelle) is None:
        fail(
            f"Kostenstelle „{kostenstelle}“ gibt es im Fonds „{fund_id}“ nicht.",
            hint="Kostenstellen: " + ", ".join(k.id for k in fund.kostenstellen),
        )
    years = [jahr] if jahr is not None else None
    state = fund_state(fund_id, fund, dataset.fondsantraege, years, kostenstelle)
    render(state_report(state), fmt)


@fonds_app.command("antraege")
def antraege(
    fonds: FundArgument = None,
    frist: DeadlineOption = None,
    format: FormatOption = "table",
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Die Anträge je Runde (Frist) mit dem, was die Regeln des Fonds zu jedem sagen."""
    from qa_cli.render.fonds import round_report
    from qa_cli.render.tabular import ListFormat, render

    fmt = choose(format, ListFormat, "--format")
    dataset = load_valid(data, needs=fund_kinds(), rev=rev, stand=stand)
    fund_id, fund = choose_fund(dataset, fonds)
    render(round_report(rounds(dataset, fund_id, fund, frist), dataset.gebiete), fmt)


def rounds(dataset: Dataset, fund_id: str, fund: Fonds, frist: str | None) -> list[Round]:
    """The round asked for, or every round with applications (by deadline, unknown last)."""
    from qa_cli.domain.fonds import of_fund, round_of

    one, deadline = parse_deadline(frist)
    if one:
        deadlines = [deadline]
    else:
        known = {a.frist for a in of_fund(dataset.fondsantraege, fund_id).values()}
        deadlines = [*sorted(d for d in known if d is not None), *([None] if None in known else [])]
    return [
        round_of(fund_id, fund, dataset.fondsantraege, dataset.gebiete, day) for day in deadlines
    ]


@fonds_app.command("nachweise")
def nachweise(
    fonds: FundArgument = None,
    before: BeforeOption = None,
    within: WithinOption = None,
    today: TodayOption = None,
    format: FormatOption = "table",
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Verwendungsnachweise: überfällig, fällig im Zeitraum, eingegangen, Fälligkeit unbekannt.

    Zeitraum wie bei qa expiring: --before MONAT (bis zu dessen letztem Tag) oder --within N
    Monate ab heute; ohne beides die nächsten 6 Monate.
    """
    from qa_cli.cli.window import resolve_window
    from qa_cli.domain.fonds import of_fund, proofs_of_use
    from qa_cli.months import parse_day
    from qa_cli.render.fonds import proofs_report
    from qa_cli.render.tabular import ListFormat, render

    fmt = choose(format, ListFormat, "--format")
    revision = chosen_revision(data, rev, stand)
    today = today_at(today, revision)
    window = resolve_window(before, within, today)
    now = parse_day(today) if today is not None else date.today()  # checked by resolve_window
    dataset = load_valid(data, needs=fund_kinds(), revision=revision)
    fund_id, _fund = choose_fund(dataset, fonds)
    proofs = proofs_of_use(of_fund(dataset.fondsantraege, fund_id), window, now)
    render(proofs_report(proofs, now), fmt)


@fonds_app.command("formular")
def formular(
    fonds: FundArgument = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="In diese Datei schreiben, z. B. .github/ISSUE_TEMPLATE/fondsantrag.yml.",
            show_default=False,
        ),
    ] = None,
    html: Annotated[
        bool,
        typer.Option(
            "--html",
            help="Statt des Issue-Formulars eine HTML-Seite für Bürgerinnen und Bürger: ohne "
            "Netz im Browser ausfüllen, der erzeugte Text geht an qa import fondsantrag.",
        ),
    ] = False,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Das Antragsformular des Fonds als GitHub-Issue-Formular (oder mit --html als eigenständige
    HTML-Seite), erzeugt aus dem Fonds (Ziele, Antragstellerarten, Fristen) und den Gebieten;
    qa import fondsantrag liest, was beide ergeben."""
    from qa_cli.city import rules_of
    from qa_cli.cli.common import write_output
    from qa_cli.domain.fonds_form import form_fields
    from qa_cli.render.fonds_form import html_form, issue_form

    dataset = load_valid(data, needs=fund_kinds(), rev=rev, stand=stand)
    fund_id, fund = choose_fund(dataset, fonds)
    fields = form_fields(fund, dataset.gebiete, rules_of(dataset.stadt).kind_label)
    write_output((html_form if html else issue_form)(fund_id, fund, fields), output)
