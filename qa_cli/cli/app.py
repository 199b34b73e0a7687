"""The ``qa`` application: registers the command groups and runs them with German errors."""

from __future__ import annotations

import contextlib
import copy
import os
import sys
from typing import Annotated, NoReturn

import typer
from typer.models import CommandInfo

from qa_cli.cli import (
    completion,
    diff,
    dossier,
    expiring,
    export,
    fonds,
    gaps,
    german_help,
    git_driver,
    intake,
    log,
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

for group in (
    validate,
    expiring,
    gaps,
    offices,
    score,
    monitor,
    fonds,
    diff,
    schema,
    new,
    report,
    export,
    git_driver,
    completion,
    intake,
    log,
    dossier,
):
    group.register(app)


def _show_version(value: bool) -> None:
    if value:
        from qa_cli.version import qa_version

        sys.stdout.write(f"qa {qa_version()}\n")
        raise typer.Exit()


@app.callback()
def _always_a_group(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Die Version von qa zeigen und beenden.",
            is_eager=True,
            callback=_show_version,
        ),
    ] = False,
) -> None:
    """Keeps ``qa`` a group of commands even when ``only_called`` leaves a single one."""


def only_called(args: list[str]) -> typer.Typer:
    """The app as far as ``args`` need it. Typer inspects the signature of every registered
    command before it runs one (~12 ms for all of them, a sixth of ``qa --help``): a call gets
    just its command; the overview (``qa``, ``qa --help``, an unknown name) gets every command
    by name and help text, without their options, which it does not show."""
    name = args[0] if args else None
    commands = [info for info in app.registered_commands if info.name == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not commands and not groups:
        return outline(app)
    narrowed = copy.copy(app)
    narrowed.registered_commands, narrowed.registered_groups = commands, groups
    return narrowed


def outline(group: typer.Typer) -> typer.Typer:
    """A copy of ``group`` whose commands (also in subgroups) have their names and help texts
    but no options."""
    copied = copy.copy(group)
    copied.registered_commands = [_without_options(info) for info in group.registered_commands]
    copied.registered_groups = []
    for info in group.registered_groups:
        subgroup = copy.copy(info)
        if info.typer_instance is not None:
            subgroup.typer_instance = outline(info.typer_instance)
        copied.registered_groups.append(subgroup)
    return copied


def _without_options(info: CommandInfo) -> CommandInfo:
    def no_options() -> None:
        """Never called: stands in for a command in the overview."""

    if info.callback is not None:
        no_options.__doc__ = info.callback.__doc__
        no_options.__name__ = info.callback.__name__
    stand_in = copy.copy(info)
    stand_in.callback = no_options
    return stand_in


def main() -> NoReturn:
    """Entry point: run the command, translate usage errors, never show a traceback."""
    from qa_cli.cli.usage import run

    args = sys.argv[1:]
    if completion.COMPLETE_VAR in os.environ:  # the shell asks: it needs every option
        completion.complete(typer.main.get_command(app))  # type: ignore[arg-type]
    command = typer.main.get_command(only_called(args))
    exit_at_once(run(command, args, debug="QA_DEBUG" in os.environ))


def exit_at_once(code: int) -> NoReturn:
    """Flush the output and end the process without tearing the interpreter down: freeing every
    object of Typer and Pydantic one by one takes ~30 ms, a fifth of a whole ``qa expiring``
    (mypy ends the same way). Nothing is lost: qa registers no exit handlers, and every file it
    writes is closed (cache files replaced atomically, SQLite committed) before this."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # the reader went away (``| head``)
            stream.flush()
    os._exit(code)
