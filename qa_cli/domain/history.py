"""The history of records: every commit that changed them, with the field changes ``qa diff``
would show between the commit and its first parent.

The commits come from one ``git log`` over the data folder (with git's rename detection), the
record versions from one blob reader; the field changes from the diff engine. A record is
followed backwards through its renames: a commit that renamed ``b`` from ``a`` makes older
changes of ``a`` part of ``b``'s history, and the commit that added a path ends it there.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from qa_cli.diff.engine import RecordDiff, pair_records
from qa_cli.diff.sides import RecordState, Side
from qa_cli.store.gitrepo import REGULAR_MODES, BlobReader, LoggedChange, LoggedCommit
from qa_cli.store.kinds import Kind, kind_of
from qa_cli.store.paths import RECORD_SUFFIX

Key = tuple[str, str]  # (kind folder, record id)


@dataclass(frozen=True, slots=True)
class Entry:
    """One commit and what it did to the records asked about."""

    commit: LoggedCommit
    records: list[RecordDiff]

    @property
    def date(self) -> datetime:
        return datetime.fromisoformat(self.commit.author_date)


@dataclass(frozen=True, slots=True)
class History:
    title: str  # "Antrag 2020-x", "Anträge"
    since: date | None
    entries: list[Entry]


class HistoryError(Exception):
    """The records asked about cannot be told apart or found; German, with close ids."""

    def __init__(self, message: str, close: list[str] | None = None) -> None:
        super().__init__(message)
        self.close = close or []


def record_of(prefix: str, path: str) -> tuple[Kind, str] | None:
    """Kind and id of the record file at ``path`` (repository-relative), or ``None``."""
    if not path.startswith(prefix + "/") or not path.endswith(RECORD_SUFFIX):
        return None
    kind = kind_of(path[len(prefix) + 1 :])
    return None if kind is None else (kind, path.rsplit("/", 1)[-1][: -len(RECORD_SUFFIX)])


def _working_tree_paths(root: Path, prefix: str) -> list[str]:
    """Repository-relative paths of the record files now in the data folder (links skipped)."""
    found = []
    for directory, _, names in os.walk(root / prefix):
        for name in names:
            full = Path(directory) / name
            relative = full.relative_to(root).as_posix()
            if not full.is_symlink() and record_of(prefix, relative) is not None:
                found.append(relative)
    return sorted(found)


def _logged_paths(commits: list[LoggedCommit]) -> list[str]:
    """Every path the log names, newest first (a deleted record is found by its last path)."""
    seen: dict[str, None] = {}
    for commit in commits:
        for change in commit.changes:
            seen.update({path: None for path in (change.path, change.old_path) if path})
    return list(seen)


def find_record(
    root: Path, prefix: str, record_id: str, kind: Kind | None, commits: list[LoggedCommit]
) -> str:
    """The path a record has now (or had when it was deleted): the start of its history."""
    candidates: dict[str, str] = {}  # kind folder → path
    known: set[str] = set()
    for path in [*_working_tree_paths(root, prefix), *_logged_paths(commits)]:
        found = record_of(prefix, path)
        if found is None or (kind is not None and found[0] != kind):
            continue
        known.add(found[1])
        if found[1] == record_id:
            candidates.setdefault(found[0].folder, path)
    if len(candidates) > 1:
        raise HistoryError(
            f"„{record_id}“ gibt es als {', '.join(sorted(candidates))}; mit --kind die Art "
            "angeben."
        )
    if not candidates:
        where = f" unter {kind.label_plural}" if kind is not None else ""
        raise HistoryError(
            f"Einen Datensatz „{record_id}“ gibt es{where} weder jetzt noch in der Geschichte.",
            difflib.get_close_matches(record_id, sorted(known), n=3, cutoff=0.5),
        )
    return next(iter(candidates.values()))


def _follow(commit: LoggedCommit, tracked: set[str]) -> list[LoggedChange]:
    """The changes of ``commit`` to the tracked paths; older commits then track the names the
    records had before (a rename) and stop at the commit that added them."""
    relevant = [change for change in commit.changes if change.path in tracked]
    for change in relevant:
        if change.status == "R" and change.old_path is not None:
            tracked.discard(change.path)
            tracked.add(change.old_path)
        elif change.status == "A":
            tracked.discard(change.path)
    return relevant


class VersionReader:
    """The two sides of each commit, one ``Side`` per commit shared by its child and itself
    (so a version is parsed once), all reading through one blob reader."""

    def __init__(self, root: Path, prefix: str, blobs: BlobReader) -> None:
        self._root, self._prefix, self._blobs = root, prefix, blobs
        self._sides: dict[str, Side] = {}

    def side(self, commit: str) -> Side:
        if commit not in self._sides:
            self._sides[commit] = Side(self._root, self._prefix, commit[:8], commit, self._blobs)
        return self._sides[commit]

    def entry(self, commit: LoggedCommit, changes: list[LoggedChange]) -> Entry | None:
        before: dict[Key, RecordState] = {}
        after: dict[Key, RecordState] = {}
        renamed: dict[Key, Key] = {}
        for change in changes:
            old = self._state(commit.parent, change.old_path, change.old_mode)
            new = self._state(commit.commit, change.path, change.new_mode)
            for state, side in ((old, before), (new, after)):
                if state is not None:
                    side[(state.kind.folder, state.id)] = state
            if change.status == "R" and old is not None and new is not None:
                renamed[(new.kind.folder, new.id)] = (old.kind.folder, old.id)
        records = pair_records(before, after, renamed)
        shown = {(diff.kind.folder, diff.id) for diff in records}
        for key in sorted(set(before) & set(after) - shown):  # only layout or comments
            state = after[key]
            records.append(RecordDiff(state.kind, state.id, "geändert", before[key], state))
        return Entry(commit, records) if records else None

    def _state(self, commit: str | None, path: str | None, mode: str | None) -> RecordState | None:
        if commit is None or path is None or mode not in REGULAR_MODES:
            return None
        return self.side(commit).state(path)


def _in_range(commit: LoggedCommit, since: date | None) -> bool:
    return since is None or datetime.fromisoformat(commit.author_date).date() >= since


def record_history(
    reader: VersionReader,
    commits: list[LoggedCommit],
    paths: Iterable[str],
    title: str,
    since: date | None = None,
) -> History:
    """The history of the records now at ``paths`` (each followed through its renames)."""
    tracked = set(paths)
    entries = []
    for commit in commits:
        changes = _follow(commit, tracked)
        if changes and _in_range(commit, since):
            entry = reader.entry(commit, changes)
            if entry is not None:
                entries.append(entry)
    return History(title, since, entries)


def _of_kind(prefix: str, kind: Kind, change: LoggedChange) -> bool:
    """Whether the change touches a record of ``kind`` (before or after a rename)."""
    for path in (change.path, change.old_path):
        found = record_of(prefix, path) if path else None
        if found is not None and found[0] == kind:
            return True
    return False


def kind_history(
    reader: VersionReader, commits: list[LoggedCommit], prefix: str, kind: Kind, since: date | None
) -> History:
    """Every change to a record of ``kind``, commit by commit."""
    entries = []
    for commit in commits:
        if not _in_range(commit, since):
            continue
        changes = [change for change in commit.changes if _of_kind(prefix, kind, change)]
        entry = reader.entry(commit, changes) if changes else None
        if entry is not None:
            entries.append(entry)
    return History(kind.label_plural, since, entries)
