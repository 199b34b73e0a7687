"""The data folder's repository and the commits that changed it: what ``qa log`` and
``qa dossier`` read a history from. Problems are a ``GitError`` in German; the command turns
it into a usage error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa_cli.store.gitrepo import GitError, find_repository, log, resolve

if TYPE_CHECKING:
    from pathlib import Path

    from qa_cli.store.gitrepo import LoggedCommit


@dataclass(frozen=True, slots=True)
class DataHistory:
    """The data folder's work tree, its prefix there and the commits of one revision that
    changed it, newest first."""

    root: Path
    prefix: str
    commits: list[LoggedCommit]


def data_history(data_dir: Path, command: str, revision: str = "HEAD") -> DataHistory:
    """The repository that holds ``data_dir``, with the log of ``revision`` (one ``git log``);
    outside git, or in a repository without a commit, a ``GitError`` that says what to do."""
    found = find_repository(data_dir.resolve())
    if found is None:
        raise GitError(
            f"„{data_dir}“ liegt in keinem Git-Repository; {command} liest die Geschichte der "
            "Datensätze aus Git (git init oder git clone)."
        )
    root = found.work_tree
    prefix = data_dir.resolve().relative_to(root.resolve()).as_posix()
    try:
        start = resolve(root, revision)
    except GitError:
        raise GitError(
            "Das Repository hat noch keinen Commit; erst die Datensätze einchecken."
        ) from None
    return DataHistory(root, prefix, log(root, start, prefix))
