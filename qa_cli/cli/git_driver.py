"""``qa install-git-driver``: let ``git diff`` and ``git log -p`` show record changes field by
field, through ``qa diff --textconv``, without relying on ``qa`` being on PATH."""

from __future__ import annotations

from pathlib import Path

import typer

from qa_cli.cli.common import DataOption

DRIVER = "qa"


def register(app: typer.Typer) -> None:
    app.command("install-git-driver")(install_git_driver)


def install_git_driver(data: DataOption = None) -> None:
    """Git-Diff-Treiber einrichten, damit git diff und git log -p Datensätze Feld für Feld zeigen.

    Schreibt diff.qa.textconv (mit dem absoluten Pfad dieses qa) und diff.qa.cachetextconv in
    .git/config des Repositorys und die Zeile „data/**/*.yaml diff=qa“ in .gitattributes.
    Mehrfach aufrufen schadet nicht."""
    import sys

    from qa_cli.cli.common import data_root, fail
    from qa_cli.store.gitrepo import GitError, install_textconv, repository_root

    try:
        root = repository_root(Path.cwd())
    except GitError:
        fail(
            f"„{Path.cwd()}“ liegt in keinem Git-Repository; den Treiber im Repository der "
            "Daten einrichten (dort aufrufen)."
        )
    folder = data_root(data).resolve()
    try:
        pattern = folder.relative_to(root.resolve()).as_posix() + "/**/*.yaml"
    except ValueError:
        fail(f"Das Datenverzeichnis „{folder}“ liegt nicht im Git-Repository „{root}“.")
    command = f"{running_qa()} diff --textconv"
    try:
        install_textconv(root, DRIVER, command)
    except GitError as error:
        fail(f"git config schlug fehl: {error}", code=1)
    added = _ensure_attribute(root / ".gitattributes", f"{pattern} diff={DRIVER}")
    sys.stdout.write(
        f"In .git/config: diff.{DRIVER}.textconv = {command}\n"
        f"In .git/config: diff.{DRIVER}.cachetextconv = true\n"
        + (
            f"In .gitattributes ergänzt: {pattern} diff={DRIVER} (mit committen)\n"
            if added
            else f"In .gitattributes schon vorhanden: {pattern} diff={DRIVER}\n"
        )
    )


def running_qa() -> str:
    """The command that runs this qa again, absolute and quoted for a shell, so that git finds
    it whatever PATH holds (``python -m qa_cli`` runs as the same interpreter)."""
    import os
    import shlex
    import sys

    program = sys.argv[0]
    if os.path.basename(program) == "__main__.py":
        return f"{shlex.quote(sys.executable)} -m qa_cli"
    return shlex.quote(os.path.abspath(program))


def _ensure_attribute(path: Path, line: str) -> bool:
    """Append ``line`` to the attributes file unless it is there; ``True`` if it was added."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if line in (each.strip() for each in text.splitlines()):
        return False
    separator = "" if not text or text.endswith("\n") else "\n"
    path.write_text(f"{text}{separator}{line}\n", encoding="utf-8")
    return True
