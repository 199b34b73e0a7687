"""``qa validate``: check every record and report all problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import DataOption, RevOption, StandOption, choose

if TYPE_CHECKING:
    from pathlib import Path

    from qa_cli.store.revision import Revision
    from qa_cli.store.sources import GitSource, RecordSource


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
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Ohne Zwischenspeicher prüfen (jede Datei wird neu gelesen und geprüft).",
        ),
    ] = False,
    staged: Annotated[
        bool,
        typer.Option(
            "--staged",
            help="Den Stand im Git-Index prüfen, also das, was der nächste Commit enthält "
            "(für pre-commit); ungestagte Änderungen und neue, nicht hinzugefügte Dateien "
            "zählen nicht.",
        ),
    ] = False,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Alle Datensätze prüfen. Exit-Code 0: alles gültig, 1: Fehler gefunden, 2: falscher Aufruf.

    Unveränderte Daten prüft qa aus einem Zwischenspeicher außerhalb von data/
    (QA_CACHE_DIR, sonst ~/.cache/qa); --no-cache schaltet ihn ab. Mit --rev oder --stand
    prüft qa einen früheren Datenstand aus git, mit den Regeln dieser qa-Version."""
    from qa_cli.cli.common import chosen_revision, data_root, fail
    from qa_cli.render.problems import ProblemFormat, render
    from qa_cli.store.checked import load_checked
    from qa_cli.store.gitrepo import GitError

    fmt = choose(format, ProblemFormat, "--format")
    root = data_root(data)
    revision = chosen_revision(data, rev, stand)
    if staged and revision is not None:
        fail("--staged prüft den Git-Index; mit --rev oder --stand zusammen geht das nicht.")
    source: RecordSource | Path = _staged_source(root) if staged else root
    try:
        result = load_checked(source, needs=(), cache=not no_cache, revision=revision)
    except GitError as error:
        fail(str(error))
    render(result.problems, result.files_read, fmt, checked=_checked(revision))
    raise typer.Exit(1 if result.problems else 0)


def _checked(revision: Revision | None) -> str | None:
    """The header of a check of a past state: which commit, and that today's rules apply."""
    if revision is None:
        return None
    return (
        f"{revision.describe()}, geprüft mit den Regeln dieser qa-Version (nicht denen von damals)."
    )


def _staged_source(root: Path) -> GitSource:
    """The records as the git index holds them, cross-record checks included (a staged
    deletion of a record that others refer to fails)."""
    from qa_cli.cli.common import fail
    from qa_cli.store.gitrepo import GitError
    from qa_cli.store.sources import index_source

    try:
        return index_source(root)
    except GitError:
        fail(
            f"--staged prüft den Git-Index, aber „{root}“ liegt in keinem Git-Repository.",
            hint="Ohne --staged prüfen oder im Repository der Daten aufrufen.",
        )
