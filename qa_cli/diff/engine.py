"""Compare two states of a data repository record by record, then compute the consequences."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from qa_cli.city import CityRules, rules_of
from qa_cli.diff import consequences, consequences_fonds
from qa_cli.diff.fields import FieldChange, diff_values
from qa_cli.diff.results import Results
from qa_cli.diff.severity import LEVELS, Severity, field_severity, highest, record_severity
from qa_cli.diff.sides import RecordState, Side
from qa_cli.domain.funding import Window
from qa_cli.domain.monitoring import DYNAMIC_YEARS
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.antrag import Antrag
from qa_cli.models.base import Record
from qa_cli.models.fonds import Fonds
from qa_cli.models.fondsantrag import Fondsantrag
from qa_cli.models.gebiet import Gebiet
from qa_cli.models.indikator import Indikator, Indikatorensatz
from qa_cli.models.matrix import Entscheidungsmatrix
from qa_cli.models.stadt import Stadt
from qa_cli.store.gitrepo import REGULAR_MODES, ChangedPath, changed_paths
from qa_cli.store.kinds import (
    ANLAUFSTELLEN,
    ANTRAEGE,
    FONDS,
    FONDSANTRAEGE,
    GEBIETE,
    INDIKATOREN,
    INDIKATORENSAETZE,
    MATRIZEN,
    STADT,
    Kind,
)
from qa_cli.store.problems import Problem

Status = Literal["hinzugefügt", "entfernt", "geändert", "umbenannt", "verschoben"]


@dataclass(slots=True)
class RecordDiff:
    kind: Kind
    id: str
    status: Status
    old: RecordState | None
    new: RecordState | None
    changes: list[FieldChange] = field(default_factory=list)
    previous_id: str | None = None  # for renames

    @property
    def invalid(self) -> bool:
        return any(s is not None and s.problems for s in (self.old, self.new))

    def change_severity(self, change: FieldChange) -> Severity:
        return field_severity(self.kind.folder, change.dotted)

    @property
    def severity(self) -> Severity:
        fields = [self.change_severity(c) for c in self.changes]
        if self.status in ("hinzugefügt", "entfernt", "umbenannt"):
            own = record_severity(self.kind.folder, self.status)
            return highest([own, *fields]) or own  # a rename can change fields too (qa log)
        return highest(fields) or "info"


@dataclass(slots=True)
class DiffResult:
    old_label: str
    new_label: str
    window: Window
    records: list[RecordDiff]
    consequences: list[consequences.Consequence]
    ignored: list[Problem]
    results: Results | None = None
    """What the reports answered differently (``--ergebnisse``); not part of ``severities``."""
    old_commit: str | None = None
    new_commit: str | None = None  # None: the working tree

    def commits(self) -> list[tuple[str | None, str]]:
        """Commit (``None``: working tree) and label of the old and the new state."""
        return [(self.old_commit, self.old_label), (self.new_commit, self.new_label)]

    def severities(self) -> list[Severity]:
        return [r.severity for r in self.records] + [c.severity for c in self.consequences]


def _regular(mode: str | None) -> bool:
    return mode is not None and mode in REGULAR_MODES


def _ignored(change: ChangedPath) -> Problem | None:
    for mode in (change.old_mode, change.new_mode):
        if mode is not None and mode not in REGULAR_MODES:
            what = "Symbolischer Link" if mode == "120000" else "Untermodul oder Sonderdatei"
            return Problem("symlink", f"{what} wird nicht gelesen (Modus {mode}).", change.path)
    return None


def _states(
    old: Side, new: Side, changes: list[ChangedPath]
) -> tuple[dict[tuple[str, str], RecordState], dict[tuple[str, str], RecordState], list[Problem]]:
    before: dict[tuple[str, str], RecordState] = {}
    after: dict[tuple[str, str], RecordState] = {}
    ignored = []
    for change in changes:
        problem = _ignored(change)
        if problem is not None:
            ignored.append(problem)
            continue
        for side, mode, blob, target in (
            (old, change.old_mode, change.old_id, before),
            (new, change.new_mode, change.new_id, after),
        ):
            state = side.state(change.path, blob) if _regular(mode) else None
            if state is not None:
                target[(state.kind.folder, state.id)] = state
    return before, after, ignored


def _dump(state: RecordState | None) -> Any:
    return None if state is None or state.record is None else state.record.model_dump(mode="json")


def _ordered(kind: Kind, changes: list[FieldChange]) -> list[FieldChange]:
    """Most severe first; within a level, in the model's field order."""
    return sorted(changes, key=lambda c: -LEVELS.index(field_severity(kind.folder, c.dotted)))


def _field_changes(old: RecordState, new: RecordState) -> list[FieldChange]:
    if old.record is None or new.record is None:
        return []
    return _ordered(old.kind, diff_values(old.kind.model, _dump(old), _dump(new)))


def pair_records(
    before: dict[tuple[str, str], RecordState],
    after: dict[tuple[str, str], RecordState],
    renamed: dict[tuple[str, str], tuple[str, str]] | None = None,
) -> list[RecordDiff]:
    """The record diffs between two sides; ``renamed`` (new key → old key) are renames git
    detected, shown with their field changes; other renames only when the content is equal."""
    diffs = []
    removed = {k: v for k, v in before.items() if k not in after}
    added = {k: v for k, v in after.items() if k not in before}
    for new_key, old_key in sorted((renamed or {}).items()):
        if new_key in added and old_key in removed:
            old, new = removed.pop(old_key), added.pop(new_key)
            diffs.append(
                RecordDiff(
                    new.kind, new.id, "umbenannt", old, new, _field_changes(old, new), old.id
                )
            )
    for key in sorted(set(before) & set(after)):
        old, new = before[key], after[key]
        moved = old.path != new.path
        changes = _field_changes(old, new)
        if changes or moved or old.problems or new.problems:
            status: Status = "verschoben" if moved else "geändert"
            diffs.append(RecordDiff(old.kind, old.id, status, old, new, changes))
    for key, new in sorted(added.items()):
        match = next(
            (
                k
                for k, old in removed.items()
                if k[0] == key[0] and old.record and _dump(old) == _dump(new)
            ),
            None,
        )
        if match is not None:
            old = removed.pop(match)
            diffs.append(RecordDiff(new.kind, new.id, "umbenannt", old, new, previous_id=old.id))
        else:
            diffs.append(RecordDiff(new.kind, new.id, "hinzugefügt", None, new))
    for _key, old in sorted(removed.items()):
        diffs.append(RecordDiff(old.kind, old.id, "entfernt", old, None))
    return diffs


def _touched(diffs: list[RecordDiff], kind: Kind) -> list[RecordState]:
    return [
        s for d in diffs if d.kind == kind for s in (d.old, d.new) if s is not None and s.record
    ]


T = TypeVar("T", bound=Record)


def _typed(records: dict[str, Record], model: type[T]) -> dict[str, T]:
    return {rid: r for rid, r in records.items() if isinstance(r, model)}


def _changed_offices(diffs: list[RecordDiff], side: str) -> dict[str, Anlaufstelle]:
    found = {}
    for diff in diffs:
        state = getattr(diff, side)
        if (
            diff.kind == ANLAUFSTELLEN
            and state is not None
            and isinstance(state.record, Anlaufstelle)
        ):
            found[state.id] = state.record
    return found


def _monitor_pairs(
    diffs: list[RecordDiff], all_sets: list[Indikatorensatz], rules: CityRules
) -> set[tuple[str, int]]:
    """(division, year) whose status (that year) or dynamic index (the years compared with it)
    may change; a change of the catalogue touches them all."""
    if _touched(diffs, INDIKATOREN):
        touched = all_sets
    else:
        touched = [
            s.record
            for s in _touched(diffs, INDIKATORENSAETZE)
            if isinstance(s.record, Indikatorensatz)
        ]
    return {(s.gliederung, year) for s in touched for year in _years_touched(s.jahr, rules)}


def _years_touched(year: int, rules: CityRules) -> set[int]:
    """The year itself and every year whose dynamic index compares with it."""
    if not rules.dynamic:
        return {year, year + DYNAMIC_YEARS}
    return {year} | {pair.bis for pair in rules.dynamic if pair.von == year}


def _consequences(
    old: Side, new: Side, diffs: list[RecordDiff], window: Window
) -> list[consequences.Consequence]:
    found = consequences.expiring(
        _changed_offices(diffs, "old"), _changed_offices(diffs, "new"), window
    )
    rounds = {s.record.runde for s in _touched(diffs, ANTRAEGE) if isinstance(s.record, Antrag)}
    rounds |= {s.id for s in _touched(diffs, MATRIZEN)}
    if rounds:
        found += consequences.scoring(
            *[
                (
                    _typed(side.records(ANTRAEGE), Antrag),
                    _typed(side.records(MATRIZEN), Entscheidungsmatrix),
                )
                for side in (old, new)
            ],
            rounds=rounds,
        )
    if _touched(diffs, INDIKATORENSAETZE) or _touched(diffs, INDIKATOREN):
        states = [
            (
                _typed(side.records(GEBIETE), Gebiet),
                _typed(side.records(INDIKATOREN), Indikator),
                _typed(side.records(INDIKATORENSAETZE), Indikatorensatz),
                _rules(side),
            )
            for side in (old, new)
        ]
        every_set = [s for state in states for s in state[2].values()]
        pairs = _monitor_pairs(diffs, every_set, states[0][3]) | _monitor_pairs(
            diffs, every_set, states[1][3]
        )
        found += consequences.monitoring(states[0], states[1], pairs)
    return found + _fund_consequences(old, new, diffs)


def _fund_consequences(
    old: Side, new: Side, diffs: list[RecordDiff]
) -> list[consequences.Consequence]:
    """Budget lines of every fund touched directly or through one of its applications."""
    funds = {s.id for s in _touched(diffs, FONDS)}
    funds |= {
        s.record.fonds for s in _touched(diffs, FONDSANTRAEGE) if isinstance(s.record, Fondsantrag)
    }
    if not funds:
        return []
    sides = [
        (_typed(side.records(FONDS), Fonds), _typed(side.records(FONDSANTRAEGE), Fondsantrag))
        for side in (old, new)
    ]
    return consequences_fonds.fund_budgets(sides[0], sides[1], funds)


def _rules(side: Side) -> CityRules:
    """The city's declaration on one side (the first city record by id, as everywhere)."""
    cities = _typed(side.records(STADT), Stadt)
    return rules_of(cities[min(cities)] if cities else None)


def compare(root: Path, prefix: str, old: Side, new: Side, window: Window) -> DiffResult:
    assert old.commit is not None
    changes = changed_paths(root, old.commit, new.commit, prefix)
    before, after, ignored = _states(old, new, changes)
    diffs = pair_records(before, after)
    found = _consequences(old, new, diffs, window)
    return DiffResult(
        old.label, new.label, window, diffs, found, ignored, None, old.commit, new.commit
    )
