"""``qa validate``: check every record and report all problems."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer

from qa_cli.cli.common import DataOption, choose

if TYPE_CHECKING:
    from pathlib import Path

    from qa_cli.store.cache import ValidationCache
    from qa_cli.store.problems import Problem


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
) -> None:
    """Alle Datensätze prüfen. Exit-Code 0: alles gültig, 1: Fehler gefunden, 2: falscher Aufruf.

    Unveränderte Daten prüft qa aus einem Zwischenspeicher außerhalb von data/
    (QA_CACHE_DIR, sonst ~/.cache/qa); --no-cache schaltet ihn ab."""
    from qa_cli.cli.common import data_root
    from qa_cli.render.problems import ProblemFormat, render
    from qa_cli.store.cache import ValidationCache

    fmt = choose(format, ProblemFormat, "--format")
    root = data_root(data)
    if staged:
        problems, files_read = _check_staged(root)
        render(problems, files_read, fmt)
        raise typer.Exit(1 if problems else 0)
    cache = None if no_cache else ValidationCache(root)
    key = cache.run_key() if cache is not None else None
    stored = cache.load_run(key) if cache is not None and key is not None else None
    if stored is not None:
        problems, files_read = _from_cache(stored)
    else:
        problems, files_read = _check(root, cache)
        if cache is not None and key is not None:
            cache.save_run(
                key, {"files_read": files_read, "problems": [asdict(p) for p in problems]}
            )
    render(problems, files_read, fmt)
    raise typer.Exit(1 if problems else 0)


def _check(root: Path, cache: ValidationCache | None) -> tuple[list[Problem], int]:
    from qa_cli.store.loader import load

    result = load(root, cache)
    return result.problems, result.files_read


def _check_staged(root: Path) -> tuple[list[Problem], int]:
    """Check the records as the git index holds them, cross-record checks included (a staged
    deletion of a record that others refer to fails)."""
    from qa_cli.cli.common import fail
    from qa_cli.store.gitrepo import GitError, repository_root, staged_files
    from qa_cli.store.loader import load_contents

    try:
        repository = repository_root(root)
        prefix = root.resolve().relative_to(repository.resolve()).as_posix()
        files = staged_files(repository, prefix)
    except GitError:
        fail(
            f"--staged prüft den Git-Index, aber „{root}“ liegt in keinem Git-Repository.",
            hint="Ohne --staged prüfen oder im Repository der Daten aufrufen.",
        )
    result = load_contents(root, files)
    return result.problems, result.files_read


def _from_cache(stored: dict[str, Any]) -> tuple[list[Problem], int]:
    from qa_cli.store.problems import Problem

    return [Problem(**p) for p in stored["problems"]], int(stored["files_read"])
