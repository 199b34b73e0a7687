"""``qa validate``: check every record and report all problems."""

from __future__ import annotations

from typing import Annotated

import typer

from qa_cli.cli.common import DataOption, choose


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)


def validate(
    data: DataOption = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="Ausgabeformat: text (mit Auszug und Hinweis), json (für Editoren und CI), "
            "github (Annotationen für GitHub Actions).",
        ),
    ] = "text",
) -> None:
    """Alle Datensätze prüfen. Exit-Code 0: alles gültig, 1: Fehler gefunden, 2: falscher Aufruf."""
    from qa_cli.cli.common import data_root
    from qa_cli.loader import load
    from qa_cli.render.problems import ProblemFormat, render

    fmt = choose(format, ProblemFormat, "--format")
    result = load(data_root(data))
    render(result.problems, result.files_read, fmt)
    raise typer.Exit(1 if result.problems else 0)
