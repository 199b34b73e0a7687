"""``qa report …``: documents and tables for the committee, the web page and Excel."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import DataOption, RevOption, StandOption, choose, fail, load_valid

if TYPE_CHECKING:
    from qa_cli.render.report import Report
    from qa_cli.store.dataset import Dataset

report_app = typer.Typer(
    help="Berichte als md, html, csv, json, xlsx oder pdf; -o DATEI leitet das Format aus der "
    "Endung ab.",
    no_args_is_help=True,
)

FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="md, html, csv, json, xlsx oder pdf (Standard: aus -o, sonst md).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="In diese Datei schreiben; die Endung bestimmt das Format.",
        show_default=False,
    ),
]
ExcelOption = Annotated[
    bool,
    typer.Option("--excel", help="CSV für deutsches Excel: Semikolon, BOM, Dezimalkomma."),
]


def register(app: typer.Typer) -> None:
    from qa_cli.cli import karte, report_fonds

    karte.register(report_app)
    report_fonds.register(report_app)
    app.add_typer(report_app, name="report")


def emit(
    report: Report,
    dataset: Dataset,
    fmt: str | None,
    output: Path | None,
    excel: bool,
    allowed: tuple[str, ...] | None = None,
) -> None:
    """Write ``report``, stamped with the state of the ``dataset`` it was made from; a German
    usage error when the format does not fit this report."""
    from qa_cli.atomic import WriteError, is_stdout
    from qa_cli.render.output import OutputError, ReportFormat, infer_format, write_report

    asked = choose(fmt, ReportFormat, "--format") if fmt is not None else None
    try:
        chosen = infer_format(output, asked, ReportFormat.md)
        if allowed is not None and chosen.value not in allowed:
            fail(f"Dieser Bericht gibt es als {', '.join(allowed)}, nicht als {chosen.value}.")
        report.stand = dataset.state
        write_report(report, chosen, output, excel=excel)
    except OutputError as error:
        fail(str(error))
    except WriteError as error:
        fail(str(error), code=1)
    if not is_stdout(output):
        import sys

        sys.stderr.write(f"Geschrieben: {output}\n")


@report_app.command("anlaufstellen")
def anlaufstellen(
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Die öffentliche Liste der Anlaufstellen (was die Seite der Stadt zeigt)."""
    from qa_cli.render.public import public_list

    dataset = load_valid(data, rev=rev, stand=stand)
    emit(public_list(dataset), dataset, format, output, excel)


@report_app.command("quartal")
def quartal(
    quartal: Annotated[
        str | None,
        typer.Argument(metavar="[QUARTAL]", help="z. B. 2020-Q4 oder 2020Q4.", show_default=False),
    ] = None,
    von: Annotated[
        str | None, typer.Option("--von", help="Erstes Quartal einer Reihe.", show_default=False)
    ] = None,
    bis: Annotated[
        str | None, typer.Option("--bis", help="Letztes Quartal einer Reihe.", show_default=False)
    ] = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Quartalstabelle: geförderte, auslaufende, beendete und überbrückte Anlaufstellen je
    Stadtteil, Träger und Förderzugang, dazu das Interimsbudget (CSV: eine Zeile je Quartal,
    Gruppe und Kennzahl)."""
    from qa_cli.domain.quarterly import Quarter, budget_lines, office_figures, quarters
    from qa_cli.render.reports import quarterly_report

    if quartal is None and (von is None or bis is None):
        fail("Ein Quartal angeben (z. B. 2020-Q4) oder --von und --bis.")
    try:
        first = Quarter.parse(von or quartal or "")
        periods = quarters(first, Quarter.parse(bis or quartal or ""))
    except ValueError as error:
        fail(str(error))
    dataset = load_valid(data, rev=rev, stand=stand)
    figures = office_figures(dataset.anlaufstellen, dataset.gebiete, dataset.antraege, periods)
    budget = budget_lines(dataset.matrizen, dataset.antraege, periods)
    example = any(r.beispiel for r in dataset.antraege.values())
    emit(quarterly_report(periods, figures, budget, example), dataset, format, output, excel)


NumberOption = Annotated[
    str | None,
    typer.Option(
        "--nummer",
        help="Vorlagen-Nr.; Standard: nach dem Muster im Stadt-Datensatz (vorlage.nummer).",
        show_default=False,
    ),
]


@report_app.command("entscheidung")
def entscheidung(
    runde: Annotated[
        str | None,
        typer.Option("--runde", help="Förderrunde; Standard: die neueste.", show_default=False),
    ] = None,
    nummer: NumberOption = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Entscheidungsvorlage einer Interimsrunde für den Ausschuss (Beschluss- oder
    Mitteilungsvorlage, wie der Stadt-Datensatz sagt): Beschlussvorschlag, Sachdarstellung,
    Rangfolge, jede Entscheidung mit Grund, Robustheit in Sätzen, Verfahren in der Anlage."""
    from qa_cli.cli.rounds import choose_round, decision_paper_of

    dataset = load_valid(data, rev=rev, stand=stand)
    paper = decision_paper_of(dataset, choose_round(dataset, runde), nummer)
    emit(paper, dataset, format, output, excel)


@report_app.command("mitteilung")
def mitteilung(
    antrag: Annotated[
        str, typer.Argument(metavar="ANTRAG", help="Kennung des bewilligten Antrags.")
    ],
    nummer: NumberOption = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Mitteilung an den Ausschuss über eine bewilligte Interimsfinanzierung (eine Seite),
    aus der eingetragenen Entscheidung des Antrags."""
    from qa_cli.city import rules_of
    from qa_cli.cli.rounds import build_round, given_number
    from qa_cli.render.decision_paper import grant_notice

    dataset = load_valid(data, rev=rev, stand=stand)
    request = dataset.antraege.get(antrag)
    if request is None:
        close = difflib.get_close_matches(antrag, sorted(dataset.antraege), n=1)
        fail(
            f"Einen Antrag „{antrag}“ gibt es nicht."
            + (f" Meinten Sie „{close[0]}“?" if close else "")
        )
    if request.entscheidung.status != "bewilligt":
        granted = sorted(
            rid for rid, r in dataset.antraege.items() if r.entscheidung.status == "bewilligt"
        )
        fail(
            f"Für den Antrag „{antrag}“ ist keine Bewilligung eingetragen (Status: "
            f"{request.entscheidung.status}); eine Mitteilung gibt es nur zu einer bewilligten "
            "Interimsfinanzierung. "
            + (f"Bewilligt: {', '.join(granted)}." if granted else "Bewilligt ist noch keiner.")
        )
    rules = rules_of(dataset.stadt)
    round_ = build_round(dataset, request.runde, None)
    # the declared pattern numbers the round's paper; a notice is numbered only when asked
    notice = grant_notice(round_, antrag, rules, given_number(nummer))
    emit(notice, dataset, format, output, excel)


@report_app.command("profil")
def profil(
    gebiet: Annotated[str, typer.Argument(metavar="GEBIET", help="Kennung oder Name des Gebiets.")],
    jahr: Annotated[
        int | None,
        typer.Option("--jahr", help="Jahr der Werte; Standard: das neueste.", show_default=False),
    ] = None,
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Das Quartiersprofil eines Gebiets als Dokument."""
    from qa_cli.cli.monitor import profile_view
    from qa_cli.render.reports import profile_document

    dataset = load_valid(data, rev=rev, stand=stand)
    view = profile_view(dataset, gebiet, jahr, None)
    emit(profile_document(view), dataset, format, output, excel)
