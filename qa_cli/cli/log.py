"""``qa log``: the history of one record, or of every record of a kind, from git."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import DataOption, choose, data_root, fail, history_of_data

if TYPE_CHECKING:
    from pathlib import Path

    from qa_cli.domain.history import History


def register(app: typer.Typer) -> None:
    app.command("log")(log)


def log(
    kennung: Annotated[
        str | None,
        typer.Argument(
            metavar="[KENNUNG]",
            help="Kennung des Datensatzes (Dateiname ohne .yaml).",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="ART",
            help="Datensatzart (antraege, anlaufstellen …): ohne KENNUNG jede Änderung an "
            "einem Datensatz dieser Art, mit KENNUNG nur in dieser Art suchen.",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="MONAT",
            help="Nur Commits ab diesem Monat oder Tag (2020-09, 09/2020, 2020-09-15); "
            "maßgeblich ist das Datum des Autors.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="Ausgabeformat: text, md, json."),
    ] = "text",
    data: DataOption = None,
) -> None:
    """Die Geschichte eines Datensatzes aus Git: jeder Commit, der ihn geändert hat, der neueste
    zuerst. Je Commit Autor, Datum, Nachricht und die Feldänderungen, wie qa diff sie zeigt;
    Umbenennungen (git mv) werden verfolgt."""
    from qa_cli.render.log import LogFormat, render

    fmt = choose(format, LogFormat, "--format")
    if kennung is None and kind is None:
        fail("Eine KENNUNG oder --kind ART angeben (z. B. qa log --kind antraege).")
    render(history_of(data_root(data), kennung, kind, since), fmt)


def history_of(data_dir: Path, kennung: str | None, kind: str | None, since: str | None) -> History:
    from qa_cli.cli.schema import kind_argument
    from qa_cli.domain.history import (
        HistoryError,
        VersionReader,
        find_record,
        kind_history,
        record_history,
    )
    from qa_cli.months import parse_start
    from qa_cli.store.gitrepo import BlobReader, GitError

    chosen = kind_argument(kind) if kind is not None else None
    try:
        start = parse_start(since) if since is not None else None
    except ValueError as error:
        fail(f"--since: {error}")
    repository = history_of_data(data_dir, "qa log")
    root, prefix, commits = repository.root, repository.prefix, repository.commits
    try:
        with BlobReader(root) as blobs:
            reader = VersionReader(root, prefix, blobs)
            if kennung is None:
                assert chosen is not None
                return kind_history(reader, commits, prefix, chosen, start)
            path = find_record(root, prefix, kennung, chosen, commits)
            title = _record_title(prefix, path)
            return record_history(reader, commits, [path], title, start)
    except HistoryError as error:
        names = [f"„{name}“" for name in error.close]
        close = " oder ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        fail(str(error), hint=f"Meinten Sie {close}?" if close else None)
    except GitError as error:
        fail(str(error))


def _record_title(prefix: str, path: str) -> str:
    from qa_cli.domain.history import record_of

    found = record_of(prefix, path)
    assert found is not None
    return f"{found[0].label} {found[1]}"
