"""The state of the data a report was made from: the commit, its date, uncommitted changes.

Every report states it (issue: a committee paper must say from which data it was made). It is
computed after the cache, from git's own view of the data folder, so it is never a cached
answer. ``made_at`` follows the reproducible-builds convention ``SOURCE_DATE_EPOCH``; a report
made at a past revision takes the commit's date instead, so a paper regenerated for the commit
it was made from is byte-identical to the one made then.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from qa_cli.store.gitrepo import TRUST_NOTHING, GitError, _git, find_repository


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


def commit_of(root: Path, revision: str = "HEAD") -> tuple[str, datetime] | None:
    """The commit id and committer date of ``revision``; ``None`` if there is none."""
    try:
        out = _git(root, "log", "-1", "--no-show-signature", "--format=%H%n%cI",
                   "--end-of-options", revision, "--")  # fmt: skip
    except GitError:
        return None
    lines = out.decode("utf-8", "replace").split("\n")
    if len(lines) < 2 or not lines[0]:
        return None
    return lines[0], datetime.fromisoformat(lines[1])


def _has_changes(root: Path) -> bool:
    """Whether the data folder differs from HEAD: edited, staged, deleted or untracked files
    (ignored files are no records of the data and do not count)."""
    status = _git(root, *TRUST_NOTHING, "status", "--porcelain", "-z",
                  "--untracked-files=all", "--ignore-submodules=all", "--", ".")  # fmt: skip
    return bool(status.strip(b"\0"))


def working_tree_state(root: Path) -> DataState:
    """The state of the data folder ``root`` as it is on disk."""
    made = made_now()
    if find_repository(root) is None:
        return DataState(None, None, dirty=False, made_at=made)
    found = commit_of(root)
    try:
        dirty = found is None or _has_changes(root)
    except GitError:
        dirty = True
    commit, date = found or (None, None)
    return DataState(commit, date, dirty=dirty, made_at=made)
