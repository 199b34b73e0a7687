"""``qa report …``: documents and tables for the committee, the web page and Excel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import DataOption, choose, fail, load_valid

if TYPE_CHECKING:
    from qa_cli.render.report import Report

report_app = typer.Typer(
    help="Berichte als md, html, csv, json oder xlsx; -o DATEI leitet das Format aus der "
    "Endung ab.",
    no_args_is_help=True,
)

FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="md, html, csv, json oder xlsx (Standard: aus -o, sonst md).",
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
    app.add_typer(report_app, name="report")


def emit(
    report: Report,
    fmt: str | None,
    output: Path | None,
    excel: bool,
    allowed: tuple[str, ...] | None = None,
) -> None:
    """Write ``report``; a German usage error when the format does not fit this report."""
    from qa_cli.render.output import OutputError, ReportFormat, infer_format, write_report

    asked = choose(fmt, ReportFormat, "--format") if fmt is not None else None
    try:
        chosen = infer_format(output, asked, ReportFormat.md)
        if allowed is not None and chosen.value not in allowed:
            fail(f"Dieser Bericht gibt es als {', '.join(allowed)}, nicht als {chosen.value}.")
        write_report(report, chosen, output, excel=excel)
    except OutputError as error:
        fail(str(error))
    if output is not None:
        import sys

        sys.stderr.write(f"Geschrieben: {output}\n")


@report_app.command("anlaufstellen")
def anlaufstellen(
    format: FormatOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    data: DataOption = None,
) -> None:
    """Die öffentliche Liste der Anlaufstellen (was die Seite der Stadt zeigt)."""
    from qa_cli.render.public import public_list

    dataset = load_valid(data)
    emit(public_list(dataset), format, output, excel)
