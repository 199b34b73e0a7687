"""``qa diff``: record-level changes between two states of the data, and their consequences."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import DataOption, choose, data_root, fail
from qa_cli.cli.expiring import BeforeOption, TodayOption, WithinOption, resolve_window

if TYPE_CHECKING:
    from pathlib import Path

    from qa_cli.diff.engine import DiffResult
    from qa_cli.domain.funding import Window


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)


def split_revisions(first: str | None, second: str | None) -> tuple[str, str | None, bool]:
    """``A..B``, ``A...B`` (merge base), ``A B``, ``A`` (against the working tree) or nothing
    (HEAD against the working tree). Returns old, new (``None``: working tree), merge-base flag."""
    if first is None:
        return "HEAD", None, False
    if second is not None:
        return first, second, False
    if "..." in first:
        left, right = first.split("...", 1)
        return left or "HEAD", right or "HEAD", True
    if ".." in first:
        left, right = first.split("..", 1)
        return left or "HEAD", right or "HEAD", False
    return first, None, False


def diff(
    first: Annotated[
        str | None,
        typer.Argument(
            metavar="[A]",
            help="Revision, A..B oder A...B (Basis: gemeinsamer Vorfahr, wie in einem Pull "
            "Request). Standard: HEAD.",
            show_default=False,
        ),
    ] = None,
    second: Annotated[
        str | None,
        typer.Argument(
            metavar="[B]",
            help="Revision; Standard: das Arbeitsverzeichnis (gestaged und nicht gestaged).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="Ausgabeformat: text, md (für Pull Requests), json."),
    ] = "text",
    exit_code: Annotated[
        str | None,
        typer.Option(
            "--exit-code",
            metavar="STUFE",
            help="Exit-Code 1, wenn etwas ab dieser Stufe geändert ist: info, pruefen, kritisch.",
            show_default=False,
        ),
    ] = None,
    before: BeforeOption = None,
    within: WithinOption = None,
    today: TodayOption = None,
    textconv: Annotated[
        str | None,
        typer.Option(
            "--textconv",
            metavar="DATEI",
            help="Einen Datensatz kanonisch ausgeben (git-Diff-Treiber, siehe README).",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Datensatzweise zeigen, was sich geändert hat und was daraus folgt (Auslaufliste, Rangfolge,
    Indexklassen). Die Folgen für die Auslaufliste gelten für den Zeitraum von --before/--within
    (Standard: die nächsten 6 Monate)."""
    if textconv is not None:
        _textconv(textconv)
        return
    from qa_cli.diff.severity import LEVELS, at_least
    from qa_cli.render.diff import DiffFormat, render

    fmt = choose(format, DiffFormat, "--format")
    if exit_code is not None and exit_code not in LEVELS:
        fail(f"„{exit_code}“ ist keine Stufe; erlaubt: {', '.join(LEVELS)}.")
    window = resolve_window(before, within, today)
    result = _compare(data_root(data), first, second, window)
    render(result, fmt)
    threshold = next((level for level in LEVELS if level == exit_code), None)
    if threshold is not None and any(at_least(s, threshold) for s in result.severities()):
        raise typer.Exit(1)


def _compare(data_dir: Path, first: str | None, second: str | None, window: Window) -> DiffResult:
    from qa_cli.diff.engine import compare
    from qa_cli.diff.sides import Side
    from qa_cli.store.gitrepo import BlobReader, GitError, merge_base, repository_root, resolve

    try:
        root = repository_root(data_dir.resolve())
        prefix = data_dir.resolve().relative_to(root).as_posix()
        old_name, new_name, use_base = split_revisions(first, second)
        old_commit = resolve(root, old_name)
        new_commit = resolve(root, new_name) if new_name is not None else None
        if use_base:
            assert new_commit is not None
            old_commit = merge_base(root, old_commit, new_commit)
            old_name = f"{old_name} (Basis {old_commit[:8]})"
        with BlobReader(root) as blobs:
            old = Side(root, prefix, old_name, old_commit, blobs)
            new = Side(root, prefix, new_name or "Arbeitsverzeichnis", new_commit, blobs)
            return compare(root, prefix, old, new, window)
    except GitError as error:
        fail(str(error))


def _textconv(path: str) -> None:
    """Print one record as sorted ``pfad: wert`` lines, so ``git diff`` shows field changes."""
    import sys
    from pathlib import Path

    from qa_cli.render.canonical import canonical_lines
    from qa_cli.render.escape import visible
    from qa_cli.store.loader import parse_raw, read_raw
    from qa_cli.store.problems import Problem

    raw = read_raw(Path(path), path)
    if isinstance(raw, Problem):
        fail(raw.message, code=1)
    _, document, problems = parse_raw(raw, path)
    if document is None:  # shown as it is, but no control character reaches the terminal
        lines = raw.decode("utf-8", "replace").split("\n")
        sys.stdout.write("\n".join(visible(line) for line in lines))
        sys.stdout.write("".join(f"# qa: {visible(p.message)}\n" for p in problems))
        return
    sys.stdout.write("\n".join(canonical_lines(document.data)) + "\n")
