"""``qa diff``: record-level changes between two states of the data, and their consequences."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import DataOption, choose, data_root, fail
from qa_cli.cli.window import BeforeOption, TodayOption, WithinOption, resolve_window

if TYPE_CHECKING:
    from pathlib import Path

    from qa_cli.diff.engine import DiffResult
    from qa_cli.diff.results import Results
    from qa_cli.domain.funding import Window
    from qa_cli.store.dataset import Dataset
    from qa_cli.store.revision import Revision


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
    rev: Annotated[
        list[str] | None,
        typer.Option(
            "--rev",
            metavar="REV",
            help="Statt A und B: einmal (gegen das Arbeitsverzeichnis) oder zweimal angeben.",
            show_default=False,
        ),
    ] = None,
    stand: Annotated[
        list[str] | None,
        typer.Option(
            "--stand",
            metavar="DATUM",
            help="Datenstand eines Tages (JJJJ-MM-TT, JJJJ-MM), einmal oder zweimal; zeigt auch "
            "die Ergebnisse (wie --ergebnisse).",
            show_default=False,
        ),
    ] = None,
    ergebnisse: Annotated[
        bool,
        typer.Option(
            "--ergebnisse",
            help="Auch die Ergebnisse beider Stände vergleichen: Auslaufliste, Rang und "
            "Entscheidung jedes Antrags, Klassen und Aufmerksamkeitsliste des Monitorings.",
        ),
    ] = False,
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
    root = data_root(data)
    named = _named_states(root, first, second, rev or [], stand or [])
    result = _compare(root, first, second, window, named)
    if ergebnisse or stand:
        result.results = _results(root, result, window)
    render(result, fmt)
    threshold = next((level for level in LEVELS if level == exit_code), None)
    if threshold is not None and any(at_least(s, threshold) for s in result.severities()):
        raise typer.Exit(1)


def _named_states(
    root: Path, first: str | None, second: str | None, revs: list[str], stands: list[str]
) -> list[Revision] | None:
    """The states ``--rev``/``--stand`` name (one: against the working tree), or ``None`` when
    the arguments A and B say which states to compare."""
    if not revs and not stands:
        return None
    if first is not None or second is not None:
        fail("Entweder A und B angeben oder --rev/--stand, nicht beides.")
    if revs and stands:
        fail("--rev und --stand nicht mischen: zweimal --rev oder zweimal --stand angeben.")
    if len(revs) + len(stands) > 2:
        fail("Höchstens zwei Stände vergleichen (zweimal --rev oder zweimal --stand).")
    from qa_cli.store.revision import RevisionError, at_revision, at_stand

    try:
        return [at_revision(root, r) for r in revs] + [at_stand(root, s) for s in stands]
    except RevisionError as error:
        fail(str(error))


def _compare(
    data_dir: Path,
    first: str | None,
    second: str | None,
    window: Window,
    named: list[Revision] | None,
) -> DiffResult:
    from qa_cli.diff.engine import compare
    from qa_cli.diff.sides import Side
    from qa_cli.store.gitrepo import BlobReader, GitError, merge_base, repository_root, resolve

    try:
        root = repository_root(data_dir.resolve())
        prefix = data_dir.resolve().relative_to(root).as_posix()
        old_name, new_name, use_base = split_revisions(first, second)
        if named is not None:
            old_name, new_name = named[0].label, named[1].label if len(named) > 1 else None
        old_commit = named[0].commit if named else resolve(root, old_name)
        new_commit = (
            (named[1].commit if named and len(named) > 1 else None)
            if named is not None
            else (resolve(root, new_name) if new_name is not None else None)
        )
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


def _results(data_dir: Path, result: DiffResult, window: Window) -> Results:
    """The answers of both states compared (``--ergebnisse``); a state with errors gets none."""
    from qa_cli.diff.results import Results, compare_results

    datasets = [_dataset(data_dir, side, label) for side, label in result.commits()]
    old, new = datasets
    if isinstance(old, str) or isinstance(new, str):
        return Results(notes=list(dict.fromkeys(n for n in datasets if isinstance(n, str))))
    return compare_results(old, new, window)


def _dataset(data_dir: Path, commit: str | None, label: str) -> Dataset | str:
    """The valid records of one side, or the note why its results are not compared."""
    from qa_cli.store.checked import load_checked
    from qa_cli.store.gitrepo import GitError

    try:
        loaded = load_checked(data_dir, revision=commit)
    except GitError as error:
        fail(str(error))
    if loaded.problems:
        return (
            f"Ergebnisse nicht verglichen: {label} enthält {len(loaded.problems)} Fehler "
            f"(`qa validate{'' if commit is None else ' --rev ' + commit[:7]}` zeigt sie); aus "
            "ungültigen Daten rechnet qa nicht."
        )
    return loaded.dataset


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
