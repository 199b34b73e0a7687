"""A past state of the data: the commit a ``--rev REV`` or ``--stand DATUM`` names.

``--rev`` takes anything git resolves to a commit (an id, a tag, a branch, ``HEAD~2``);
``--stand`` the last commit on or before a day (or the last day of a month) on the current
branch, following first parents only, so the merges of side branches count on the day they
were merged, as the branch saw them. The day of a commit is the day of its committer date in
the committer's own offset: the same answer in every time zone qa runs in.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from qa_cli.store.gitrepo import (
    GitError,
    find_repository,
    first_parent_history,
    resolve,
)
from qa_cli.store.state import DataState, commit_of

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class RevisionError(Exception):
    """The revision or date names no state of the data; the message is German."""


@dataclass(frozen=True, slots=True)
class Revision:
    """One commit as the user named it: ``label`` is what messages and reports show."""

    commit: str
    label: str
    date: datetime

    @property
    def short(self) -> str:
        return self.commit[:7]

    def describe(self) -> str:
        """``Datenstand v2020 (Commit 5929d8b vom 02.12.2020)``, as headers show it."""
        day = self.date.strftime("%d.%m.%Y")
        if self.label == self.short:
            return f"Datenstand {self.short} vom {day}"
        return f"Datenstand {self.label} (Commit {self.short} vom {day})"


def revision_state(revision: Revision) -> DataState:
    """The stamp of a report made at ``revision``: made on the commit's date (in UTC, as
    ``SOURCE_DATE_EPOCH`` gives it), so a paper made again for the commit it was first made
    from, clean and with ``SOURCE_DATE_EPOCH`` set to the commit time, is byte-identical."""
    return DataState(
        revision.commit,
        revision.date,
        dirty=False,
        made_at=revision.date.astimezone(UTC),
        revision=revision.label,
    )


def parse_stand(text: str) -> date:
    """``JJJJ-MM-TT`` as that day, ``JJJJ-MM`` as the last day of that month."""
    try:
        if (day := _DAY.match(text)) is not None:
            return date(int(day[1]), int(day[2]), int(day[3]))
        if (month := _MONTH.match(text)) is not None:
            year, number = int(month[1]), int(month[2])
            return date(year, number, calendar.monthrange(year, number)[1])
    except ValueError:
        pass
    raise RevisionError(f"--stand „{text}“ ist kein Datum; erlaubt: JJJJ-MM-TT oder JJJJ-MM.")


def at_revision(root: Path, revision: str) -> Revision:
    """The commit ``revision`` names in the repository holding ``root``."""
    try:
        commit = resolve(root, revision)
    except GitError as error:
        raise RevisionError(str(error)) from None
    found = commit_of(root, commit)
    if found is None:
        raise RevisionError(f"Revision „{revision}“ gibt es in diesem Repository nicht.")
    return Revision(commit, revision, found[1])


def at_stand(root: Path, text: str) -> Revision:
    """The last commit of the current branch (first parents) made on or before the day."""
    day = parse_stand(text)
    try:
        history = list(first_parent_history(root))
    except GitError:
        raise RevisionError(
            "Das Repository hat noch keinen Commit; --stand braucht einen."
        ) from None
    for commit, when in history:
        if when.date() <= day:
            return Revision(commit, commit[:7], when)
    first = history[-1][1].date().strftime("%d.%m.%Y") if history else "?"
    raise RevisionError(
        f"Zum {day.strftime('%d.%m.%Y')} gibt es noch keinen Datenstand: der erste Commit ist "
        f"vom {first}."
    )


def chosen_revision(root: Path, rev: str | None, stand: str | None) -> Revision | None:
    """The state ``--rev`` or ``--stand`` names; ``None`` for the working tree."""
    if rev is not None and stand is not None:
        raise RevisionError("--rev und --stand schließen sich aus; bitte nur eines angeben.")
    if (rev is not None or stand is not None) and find_repository(root) is None:
        raise RevisionError(
            f"„{root}“ liegt in keinem Git-Repository; --rev und --stand lesen frühere Stände "
            "aus git."
        )
    if rev is not None:
        return at_revision(root, rev)
    if stand is not None:
        return at_stand(root, stand)
    return None
