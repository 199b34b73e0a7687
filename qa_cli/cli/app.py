"""The ``qa`` application: registers the command groups and runs them with German errors."""

from __future__ import annotations

import os
import sys

import typer

from qa_cli.cli import (
    diff,
    expiring,
    export,
    gaps,
    german_help,
    monitor,
    new,
    offices,
    report,
    schema,
    score,
    validate,
)

german_help.install()
app = typer.Typer(
    name="qa",
    help="Werkzeuge für die Quartiersarbeit: Datensätze prüfen, auslaufende Förderungen und "
    "Förderlücken finden, Anlaufstellen auflisten, Interimsanträge bewerten und das Budget "
    "verteilen. Die Daten liegen als YAML-Dateien in data/.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

for group in (validate, expiring, gaps, offices, score, monitor, diff, schema, new, report, export):
    group.register(app)


def main() -> None:
    """Entry point: run the command, translate usage errors, never show a traceback."""
    from qa_cli.cli.usage import run

    sys.exit(run(typer.main.get_command(app), sys.argv[1:], debug="QA_DEBUG" in os.environ))
