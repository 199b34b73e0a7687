"""Options and helpers shared by the commands."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from qa_cli.store.dataset import Dataset
    from qa_cli.store.kinds import Kind
    from qa_cli.store.state import DataState

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        envvar="QA_DATA",
        help="Datenverzeichnis. Standard: data/ im Wurzelverzeichnis des Git-Repositorys "
        "(oder die Umgebungsvariable QA_DATA).",
        show_default=False,
    ),
]

LIST_FORMATS = "table, csv, json, md"
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help=f"Ausgabeformat: {LIST_FORMATS}. table ist auf dem Terminal eine Tabelle, "
        "in einer Pipe Text.",
    ),
]

E = TypeVar("E", bound=Enum)


def fail(message: str, code: int = 2, hint: str | None = None) -> NoReturn:
    """Report a German error on stderr and exit (2: the call was wrong)."""
    sys.stderr.write(f"qa: Fehler: {message}\n")
    if hint:
        sys.stderr.write(f"Hinweis: {hint}\n")
    raise typer.Exit(code)


def choose(value: str, options: type[E], option: str) -> E:
    """Parse a choice ourselves, so the message is German and names the allowed values."""
    try:
        return options(value.strip().lower())
    except ValueError:
        allowed = ", ".join(item.value for item in options)
        fail(f"„{value}“ ist für {option} nicht erlaubt; erlaubt: {allowed}.")


def write_output(text: str | bytes, output: Path | None) -> None:
    """Write a command's result to ``output`` (announced on stderr) or to stdout (no ``-o``,
    or ``-o -``), whole or not at all (``qa_cli.atomic``); an error exits with 1."""
    from qa_cli.atomic import WriteError, is_stdout, write_bytes, write_text

    try:
        if isinstance(text, bytes):
            write_bytes(output, text)
        else:
            write_text(output, text)
    except WriteError as error:
        fail(str(error), code=1)
    if not is_stdout(output):
        sys.stderr.write(f"Geschrieben: {output}\n")


def data_root(data: Path | None) -> Path:
    from qa_cli.store.datadir import DataDirError, resolve_data_dir

    try:
        return resolve_data_dir(data, Path.cwd())
    except DataDirError as exc:
        fail(str(exc))


def load_valid(
    data: Path | None,
    needs: Iterable[Kind] | None = None,
    bounds: Mapping[Kind, str] | None = None,
) -> Dataset:
    """The records of the kinds a command ``needs`` (``None``: all); refuse to answer from data
    with errors anywhere (as hledger does), whichever kinds the command reads. ``bounds``: see
    ``load_checked`` (records the command would drop anyway may be left out)."""
    from qa_cli.store.checked import load_checked

    result = load_checked(data_root(data), needs=needs, bounds=bounds)
    if result.problems:
        from qa_cli.render.problems import format_problem, summary

        lines: list[str] = []
        for problem in result.problems:
            lines += [*format_problem(problem), ""]
        lines.append(summary(result.problems, result.files_read))
        lines.append(
            "Die Daten enthalten Fehler; erst beheben, dann erneut aufrufen (`qa validate`)."
        )
        sys.stderr.write("\n".join(lines) + "\n")
        raise typer.Exit(1)
    result.dataset.state = data_state(result.dataset.root)
    return result.dataset


def data_state(root: Path) -> DataState:
    """When and from which commit a report is made (after the cache: never a cached answer)."""
    from qa_cli.store.state import working_tree_state

    try:
        return working_tree_state(root)
    except ValueError as error:
        fail(str(error))
