"""``qa score``: rate, rank and fund the interim requests of one round."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import (
    DataOption,
    FormatOption,
    RevOption,
    StandOption,
    choose,
    fail,
    load_valid,
)

if TYPE_CHECKING:
    from qa_cli.domain.rounds import Round
    from qa_cli.render.report import Report
    from qa_cli.render.tabular import ListFormat


def register(app: typer.Typer) -> None:
    app.command("score")(score)


def parse_euro(text: str) -> int:
    """The amount in whole euros, by the same rule as every amount in the data: ``80000``;
    ``80.000`` or ``80.000 €`` is refused with the hint ``80000``, never reinterpreted."""
    from qa_cli.numbers import NumberProblem, whole_euros

    try:
        amount = whole_euros(text)
    except NumberProblem as problem:
        hint = f"Schreibweise für qa: --budget {problem.hint}" if problem.hint else None
        fail(f"--budget: {problem.message} [{problem.code}]", hint=hint)
    if amount < 0:
        fail(f"--budget: „{text}“ ist negativ; ein Budget ist 0 oder mehr.")
    return amount


def score(
    runde: Annotated[
        str | None,
        typer.Option(
            "--runde",
            help="Förderrunde (Kennung der Entscheidungsmatrix); Standard: die neueste.",
            show_default=False,
        ),
    ] = None,
    budget: Annotated[
        str | None,
        typer.Option(
            "--budget",
            help="Budget in Euro statt des Budgets der Matrix (Was-wäre-wenn).",
            show_default=False,
        ),
    ] = None,
    sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity",
            help="Robustheit: Gewichte variieren, Förderschwelle, ohne je eine Bewertung.",
        ),
    ] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="ID",
            help="Die ganze Rechnung für einen Antrag zeigen.",
            show_default=False,
        ),
    ] = None,
    breit: Annotated[
        bool,
        typer.Option(
            "--breit",
            help="Im Terminal alle Spalten zeigen (Antrag, Gruppenwerte, Spanne, Begründung); "
            "sonst eine kompakte Rangfolge. Umgeleitete Ausgabe zeigt immer alle.",
        ),
    ] = False,
    format: FormatOption = "table",
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Anträge auf Interimsfinanzierung bewerten, reihen und das Budget verteilen."""
    from qa_cli.cli.rounds import build_round, choose_round
    from qa_cli.render.tabular import ListFormat, render

    fmt = choose(format, ListFormat, "--format")
    amount = parse_euro(budget) if budget is not None else None
    from qa_cli.store.kinds import ANLAUFSTELLEN, ANTRAEGE, MATRIZEN

    dataset = load_valid(data, needs=(ANLAUFSTELLEN, ANTRAEGE, MATRIZEN), rev=rev, stand=stand)
    round_ = build_round(dataset, choose_round(dataset, runde), amount)
    if explain is not None:
        _explain(round_, explain, fmt)
        return
    render(_report(round_, sensitivity), fmt, wide=breit)


def _report(round_: Round, with_robustness: bool) -> Report:
    from qa_cli.domain.robustness import best_selection, rankable, robustness
    from qa_cli.render.score import add_robustness, score_report

    allocation = round_.allocation
    best = best_selection(rankable(round_.requests, allocation), allocation.available)
    report = score_report(round_, best)
    if with_robustness:
        add_robustness(report, round_, *robustness(round_.requests, round_.matrix, allocation))
    return report


def _explain(round_: Round, request_id: str, fmt: ListFormat) -> None:
    import difflib
    import sys

    from qa_cli.render.score_explain import explain_json, explain_lines
    from qa_cli.render.tabular import ListFormat as Formats
    from qa_cli.render.tabular import write_lines

    if request_id not in round_.requests:
        close = difflib.get_close_matches(request_id, list(round_.requests), n=1, cutoff=0.5)
        fail(
            f"Antrag „{request_id}“ gibt es in Runde {round_.round_id} nicht.",
            hint=f"Meinten Sie „{close[0]}“?"
            if close
            else "Anträge: " + ", ".join(sorted(round_.requests)),
        )
    if fmt is Formats.json:
        from qa_cli.render.json_document import write_json_document

        write_json_document(explain_json(round_, request_id), sys.stdout)
    else:
        write_lines(explain_lines(round_, request_id), sys.stdout)
