"""Options and helpers shared by the commands."""

from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from qa_cli.store.dataset import Dataset
    from qa_cli.store.history import DataHistory
    from qa_cli.store.kinds import Kind
    from qa_cli.store.revision import Revision
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

RevOption = Annotated[
    str | None,
    typer.Option(
        "--rev",
        metavar="REV",
        help="Den Datenstand eines Commits lesen (Commit, Tag oder Branch), direkt aus git, "
        "ohne Checkout; Antwort wie damals.",
        show_default=False,
    ),
]
StandOption = Annotated[
    str | None,
    typer.Option(
        "--stand",
        metavar="DATUM",
        help="Den Datenstand dieses Tages lesen (JJJJ-MM-TT, JJJJ-MM: Monatsende): den letzten "
        "Commit des aktuellen Branches an oder vor dem Tag.",
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


def chosen_revision(data: Path | None, rev: str | None, stand: str | None) -> Revision | None:
    """The commit ``--rev`` or ``--stand`` names (``None``: the working tree); a German usage
    error (exit 2) for both at once, an unknown revision or a day before the first commit."""
    if rev is None and stand is None:
        return None
    from qa_cli.store.revision import RevisionError
    from qa_cli.store.revision import chosen_revision as resolve

    try:
        return resolve(data_root(data), rev, stand)
    except RevisionError as error:
        fail(str(error))


def today_at(today: str | None, revision: Revision | None) -> str | None:
    """``--today`` as given; at a revision without it the commit's day, so that "the next six
    months" mean what they meant then."""
    if today is None and revision is not None:
        return revision.date.date().isoformat()
    return today


def history_of_data(data_dir: Path, command: str, revision: str = "HEAD") -> DataHistory:
    """The data folder's repository and the log of ``revision``; a German usage error (exit 2)
    outside git, before the first commit or for a git problem."""
    from qa_cli.store.gitrepo import GitError
    from qa_cli.store.history import data_history

    try:
        return data_history(data_dir, command, revision)
    except GitError as error:
        fail(str(error))


def load_valid(
    data: Path | None,
    needs: Iterable[Kind] | None = None,
    rev: str | None = None,
    stand: str | None = None,
    *,
    revision: Revision | None = None,
    bounds: Mapping[Kind, str] | None = None,
    streamed: Iterable[Kind] = (),
) -> Dataset:
    """The records of the kinds a command ``needs`` (``None``: all), of the working tree or of
    the commit ``--rev``/``--stand`` (or an already chosen ``revision``) names; refuse to answer
    from data with errors anywhere (as hledger does), whichever kinds the command reads.
    ``bounds``, ``streamed``: see ``load_checked`` (records the command would drop anyway may
    be left out; kinds walked once are built as they are walked)."""
    from qa_cli.store.checked import load_checked
    from qa_cli.store.gitrepo import GitError

    if revision is None:
        revision = chosen_revision(data, rev, stand)
    root = data_root(data)
    state = data_state(root, revision)
    try:
        result = load_checked(
            root, needs=needs, revision=revision, bounds=bounds, streamed=streamed
        )
    except GitError as error:
        fail(str(error))
    result.dataset.state = state()
    if result.problems:
        from qa_cli.render.problems import format_problem, summary

        lines: list[str] = []
        for problem in result.problems:
            lines += [*format_problem(problem), ""]
        lines.append(summary(result.problems, result.files_read))
        if revision is not None:
            lines.append(
                f"{revision.describe()} enthält Fehler; qa antwortet nur aus gültigen Daten "
                f"(`qa validate --rev {revision.short}`)."
            )
        else:
            lines.append(
                "Die Daten enthalten Fehler; erst beheben, dann erneut aufrufen (`qa validate`)."
            )
        sys.stderr.write("\n".join(lines) + "\n")
        raise typer.Exit(1)
    return result.dataset


def data_state(root: Path, revision: Revision | None = None) -> Callable[[], DataState]:
    """When and from which commit a report is made: started before the records are read and
    taken after them (never a cached answer); at a revision made on the commit's date, so a
    paper made again for it is the same."""
    from qa_cli.store.revision import revision_state
    from qa_cli.store.state import working_tree_state

    if revision is not None:
        return functools.partial(revision_state, revision)
    try:
        return working_tree_state(root)
    except ValueError as error:
        fail(str(error))
