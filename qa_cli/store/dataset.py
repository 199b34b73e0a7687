"""The validated records of one data directory, by kind and id."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.antrag import Antrag
from qa_cli.models.base import Record
from qa_cli.models.fonds import Fonds
from qa_cli.models.fondsantrag import Fondsantrag
from qa_cli.models.gebiet import Gebiet
from qa_cli.models.indikator import Indikator, Indikatorensatz
from qa_cli.models.matrix import Entscheidungsmatrix
from qa_cli.models.schwerpunkt import Schwerpunkt
from qa_cli.models.stadt import Stadt
from qa_cli.store.kinds import (
    ANLAUFSTELLEN,
    ANTRAEGE,
    FONDS,
    FONDSANTRAEGE,
    GEBIETE,
    INDIKATOREN,
    INDIKATORENSAETZE,
    MATRIZEN,
    SCHWERPUNKTE,
    STADT,
    Kind,
)
from qa_cli.store.problems import Problem

if TYPE_CHECKING:
    from qa_cli.store.state import DataState

Reader = Callable[["RecordFile"], "bytes | Problem"]


@dataclass(slots=True, unsafe_hash=True)
class RecordFile:
    """Where a record came from: enough to locate a problem found after loading. Nothing
    changes one once found (so it may be hashed); it is not ``frozen`` only because every
    command builds one per file, and a frozen dataclass sets each field through
    ``object.__setattr__`` (on 100,000 files 0.16 instead of 0.06 s).

    ``relative`` is the path below the data directory ``root`` with ``/`` (what content ids are
    keyed by); ``path`` joins the two when asked, since a path string per file is 10 MB on
    100,000 files while ``root`` is one string all files of a source share. ``reader`` reads
    the bytes when they do not lie at ``path`` in the working tree (a git revision or the
    index), so a problem found later can still be located."""

    kind: Kind
    id: str
    root: str
    display: str
    relative: str
    reader: Reader | None = field(default=None, compare=False, repr=False)

    @property
    def path(self) -> str:
        return os.path.join(self.root, self.relative)


class KindNotLoaded(LookupError):
    """A command read a kind it did not declare: an error in qa, never an empty answer."""


@dataclass(slots=True)
class Dataset:
    """The valid records by kind and id. ``kinds`` names the folders that were loaded (``None``:
    all); asking for any other kind raises instead of answering as if there were none.

    While the pipeline runs the cross-record checks, a kind may instead be held as a read-only
    mapping (``stored``: records kept as their JSON, built when read, see ``store.stored``);
    ``touched`` then collects the kinds a check reads, and ``only`` limits the records the
    checks walk (``checked``) to those that changed, for an incremental run."""

    root: Path
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    files: dict[tuple[str, str], RecordFile] = field(default_factory=dict)
    kinds: frozenset[str] | None = None
    invalid: dict[tuple[str, str], RecordFile] = field(default_factory=dict)
    """Records whose file exists but did not validate, by (folder, id)."""
    state: DataState | None = None
    """The commit and changes the records were read at; set after the cache, never cached."""
    stored: dict[str, Mapping[str, Record]] = field(default_factory=dict)
    touched: set[str] | None = None
    only: dict[str, list[str]] | None = None

    def add(self, record_file: RecordFile, record: Record) -> None:
        self.records.setdefault(record_file.kind.folder, {})[record_file.id] = record
        self.files[(record_file.kind.folder, record_file.id)] = record_file

    def of_kind(self, kind: Kind) -> dict[str, Record]:
        if self.kinds is not None and kind.folder not in self.kinds:
            raise KindNotLoaded(f"{kind.folder} wurde nicht geladen")
        if self.touched is not None:
            self.touched.add(kind.folder)
        if kind.folder in self.stored:
            # read-only by contract: the checks only look up, iterate and count
            return cast(dict[str, Record], self.stored[kind.folder])
        return self.records.get(kind.folder, {})

    def checked(self, kind: Kind) -> Iterator[tuple[str, Record]]:
        """The records of ``kind`` a check walks: all of them, or in an incremental run only the
        changed ones (a check that walks through this is ``local``, see ``checks.LOCAL``)."""
        records = self.of_kind(kind)
        if self.only is None:
            yield from records.items()
            return
        for record_id in self.only.get(kind.folder, ()):
            if record_id in records:  # a changed file that does not validate is no record
                yield record_id, records[record_id]

    @property
    def anlaufstellen(self) -> dict[str, Anlaufstelle]:
        return cast(dict[str, Anlaufstelle], self.of_kind(ANLAUFSTELLEN))

    @property
    def gebiete(self) -> dict[str, Gebiet]:
        return cast(dict[str, Gebiet], self.of_kind(GEBIETE))

    @property
    def matrizen(self) -> dict[str, Entscheidungsmatrix]:
        return cast(dict[str, Entscheidungsmatrix], self.of_kind(MATRIZEN))

    @property
    def antraege(self) -> dict[str, Antrag]:
        return cast(dict[str, Antrag], self.of_kind(ANTRAEGE))

    @property
    def schwerpunkte(self) -> dict[str, Schwerpunkt]:
        return cast(dict[str, Schwerpunkt], self.of_kind(SCHWERPUNKTE))

    @property
    def indikatoren(self) -> dict[str, Indikator]:
        return cast(dict[str, Indikator], self.of_kind(INDIKATOREN))

    @property
    def indikatorensaetze(self) -> dict[str, Indikatorensatz]:
        return cast(dict[str, Indikatorensatz], self.of_kind(INDIKATORENSAETZE))

    @property
    def staedte(self) -> dict[str, Stadt]:
        return cast(dict[str, Stadt], self.of_kind(STADT))

    @property
    def fonds(self) -> dict[str, Fonds]:
        return cast(dict[str, Fonds], self.of_kind(FONDS))

    @property
    def fondsantraege(self) -> dict[str, Fondsantrag]:
        return cast(dict[str, Fondsantrag], self.of_kind(FONDSANTRAEGE))

    @property
    def stadt(self) -> Stadt | None:
        """The city the data describes (the first by id if there are several), if recorded."""
        cities = self.staedte
        return cities[min(cities)] if cities else None

    def file_of(self, kind: Kind, record_id: str) -> RecordFile:
        if self.touched is not None:
            self.touched.add(kind.folder)
        return self.files[(kind.folder, record_id)]


@dataclass(slots=True)
class LoadResult:
    """A loaded dataset with every problem found on the way (an empty list: all valid)."""

    dataset: Dataset
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems
