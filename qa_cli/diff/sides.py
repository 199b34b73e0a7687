"""The two states a diff compares: a commit, or the working tree."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from qa_cli.models.base import Record
from qa_cli.store.dataset import RecordFile
from qa_cli.store.gitrepo import REGULAR_MODES, BlobReader, Oversized, list_folder
from qa_cli.store.kinds import Kind, kind_of
from qa_cli.store.loader import read_raw, record_from_raw
from qa_cli.store.paths import RECORD_SUFFIX
from qa_cli.store.problems import Problem
from qa_cli.store.yamlsafe import too_large


@dataclass(frozen=True, slots=True)
class RecordState:
    """One record file on one side: its content and, if valid, its model."""

    kind: Kind
    id: str
    path: str  # repository-relative
    raw: bytes
    record: Record | None
    problems: tuple[Problem, ...]

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


@dataclass(slots=True)
class Side:
    """A commit (``commit`` set) or the working tree (``commit`` is ``None``)."""

    root: Path
    prefix: str  # the data directory relative to the repository root ("data")
    label: str
    commit: str | None
    blobs: BlobReader
    _parsed: dict[tuple[str, str, str], RecordState] = field(default_factory=dict)

    def display(self, path: str) -> str:
        return f"{self.label}:{path}" if self.commit else path

    def read(self, path: str, blob_id: str | None = None) -> bytes | Problem | None:
        """The file's bytes; a problem if it is too large to read; ``None`` if it is absent.
        ``blob_id``: the id the diff gave for it at this side's commit (read without a walk
        through the trees)."""
        if self.commit is not None:
            blob = (
                self.blobs.read_object(blob_id) if blob_id else self.blobs.read(self.commit, path)
            )
            return too_large(self.display(path)) if isinstance(blob, Oversized) else blob
        raw = read_raw(self.root / path, path)
        return None if isinstance(raw, Problem) else raw

    def state(self, path: str, blob_id: str | None = None) -> RecordState | None:
        """The record at ``path`` (``blob_id``: see ``read``), parsed once per side; ``None`` if
        no record file is there."""
        relative = path[len(self.prefix) + 1 :]
        kind = kind_of(relative)
        if kind is None or not path.endswith(RECORD_SUFFIX):
            return None
        raw = self.read(path, blob_id)
        if raw is None:
            return None
        record_id = path.rsplit("/", 1)[-1][: -len(RECORD_SUFFIX)]
        if isinstance(raw, Problem):
            return RecordState(kind, record_id, path, b"", None, (raw,))
        key = (kind.folder, record_id, hashlib.sha256(raw).hexdigest())
        if key not in self._parsed:
            problems: list[Problem] = []
            record_file = RecordFile(
                kind, record_id, str(self.root / self.prefix), self.display(path), relative
            )
            record = record_from_raw(record_file, raw, problems)
            self._parsed[key] = RecordState(kind, record_id, path, raw, record, tuple(problems))
        return self._parsed[key]

    def folder(self, kind: Kind) -> list[str]:
        """Repository-relative paths of the regular record files of ``kind``."""
        folder = f"{self.prefix}/{kind.folder}"
        if self.commit is not None:
            entries = list_folder(self.root, self.commit, folder)
            paths = [p for p, mode in entries.items() if mode in REGULAR_MODES]
        else:
            paths = []
            for directory, _, names in os.walk(self.root / folder):
                for name in names:
                    full = Path(directory) / name
                    if not full.is_symlink():
                        paths.append(full.relative_to(self.root).as_posix())
        return sorted(
            p
            for p in paths
            if p.endswith(RECORD_SUFFIX) and kind_of(p[len(self.prefix) + 1 :]) == kind
        )

    def records(self, kind: Kind) -> dict[str, Record]:
        """Every valid record of ``kind`` on this side (for consequences that need them all)."""
        found: dict[str, Record] = {}
        for path in self.folder(kind):
            state = self.state(path)
            if state is not None and state.record is not None:
                found[state.id] = state.record
        return found
