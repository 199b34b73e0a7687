"""The state of the data a report was made from: the commit, its date, uncommitted changes.

Every report states it (issue: a committee paper must say from which data it was made). It is
computed after the cache, from git's own view of the data folder, so it is never a cached
answer. ``made_at`` follows the reproducible-builds convention ``SOURCE_DATE_EPOCH``; a report
made at a past revision takes the commit's date instead, so a paper regenerated for the commit
it was made from is byte-identical to the one made then.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from qa_cli.store.gitrepo import TRUST_NOTHING, GitError, _git, _git_started, find_repository


@dataclass(frozen=True, slots=True)
class DataState:
    """``commit`` is ``None`` outside git or before the first commit; ``revision`` is what the
    user asked for (``--rev``/``--stand``), ``None`` for the working tree."""

    commit: str | None
    commit_date: datetime | None
    dirty: bool
    made_at: datetime
    revision: str | None = None


def made_now() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (a German error on a value that is no number)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now().astimezone()
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise ValueError(
            f"SOURCE_DATE_EPOCH „{epoch}“ ist keine Zahl von Sekunden seit 1970."
        ) from None


LOG_FORMAT = ("log", "-1", "--no-show-signature", "--format=%H%n%cI", "--end-of-options")
CHANGES = ("status", "--porcelain", "-z", "--untracked-files=all", "--ignore-submodules=all",
           "--", ".")  # fmt: skip
"""Whether the data folder differs from HEAD: edited, staged, deleted or untracked files
(ignored files are no records of the data and do not count)."""


def commit_of(root: Path, revision: str = "HEAD") -> tuple[str, datetime] | None:
    """The commit id and committer date of ``revision``; ``None`` if there is none."""
    try:
        return _commit_in(_git(root, *LOG_FORMAT, revision, "--"))
    except GitError:
        return None


def _commit_in(out: bytes) -> tuple[str, datetime] | None:
    lines = out.decode("utf-8", "replace").split("\n")
    if len(lines) < 2 or not lines[0]:
        return None
    return lines[0], datetime.fromisoformat(lines[1])


def working_tree_state(root: Path) -> Callable[[], DataState]:
    """The state of the data folder ``root`` as it is on disk. Its git calls start now and the
    function returned waits for them: they run while the records are read (on 100,000 files
    ``git status`` alone takes a tenth of a second)."""
    made = made_now()
    if find_repository(root) is None:
        return lambda: DataState(None, None, dirty=False, made_at=made)
    try:
        log = _git_started(root, *LOG_FORMAT, "HEAD", "--")
        status = _git_started(root, *TRUST_NOTHING, *CHANGES)
    except GitError:  # git itself is missing or broken: no commit to name
        return lambda: DataState(None, None, dirty=True, made_at=made)

    def finished() -> DataState:
        try:
            found = _commit_in(log.output())
        except GitError:
            found = None
        try:
            dirty = bool(status.output().strip(b"\0")) or found is None
        except GitError:
            dirty = True
        commit, date = found or (None, None)
        return DataState(commit, date, dirty=dirty, made_at=made)

    return finished
