"""Records of one kind held as their JSON and built into models only when read.

A dataset of 100,000 offices as Pydantic models takes most of a gigabyte; as the JSON the index
stores it is a tenth of that. The cross-record checks walk a kind once or twice and look up a
few records of others, so the pipeline hands them these mappings: each read builds (and
validates) the model afresh, only the last few are kept.

A command that walks a kind once (``streamed``) gets one too. While it walks, the cyclic garbage
collector pauses: each model is freed by reference counting as soon as the command lets go of
it, and the collector would otherwise run every few models over the rows the command keeps
(0.4 of 5.9 s to make the rows of ``qa list`` from 100,000 offices).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from typing import TypeVar

from pydantic import ValidationError

from qa_cli.models.base import Record

R = TypeVar("R", bound=Record)
KEEP = 256
CHUNK = 500


class StaleRow(Exception):
    """A stored row is missing or no longer validates: the run must read the files afresh."""


class StoredRecords(Mapping[str, Record]):
    """``ids`` (in the order the files were found) → record; ``fresh`` holds records already
    built (those read this run), ``dump`` gives the JSON of any other one (or ``None``) and
    ``dumps`` (if given) that of many at once, which walking all of them (``items``,
    ``values``) uses a chunk at a time."""

    def __init__(
        self,
        model: type[Record],
        ids: list[str],
        dump: Callable[[str], str | None],
        fresh: Mapping[str, Record] | None = None,
        dumps: Callable[[list[str]], Mapping[str, str]] | None = None,
    ) -> None:
        self._model = model
        self._ids = ids
        self._known = frozenset(ids)
        self._dump = dump
        self._dumps = dumps
        self._fresh = fresh or {}
        self._recent: dict[str, Record] = {}

    def __getitem__(self, record_id: str) -> Record:
        if record_id not in self._known:
            raise KeyError(record_id)
        record = self._fresh.get(record_id) or self._recent.get(record_id)
        if record is not None:
            return record
        record = self._built(record_id, self._dump(record_id))
        if len(self._recent) >= KEEP:
            self._recent.pop(next(iter(self._recent)))
        self._recent[record_id] = record
        return record

    def _built(self, record_id: str, text: str | None) -> Record:
        if text is None:
            raise StaleRow(record_id)
        try:
            return self._model.model_validate_json(text)
        except ValidationError as error:
            raise StaleRow(record_id) from error

    def walk(self) -> Iterator[tuple[str, Record]]:
        """Every record in file order, built one at a time and kept by nobody but the caller,
        their JSON read ``CHUNK`` at a time."""
        collecting = gc.isenabled()
        gc.disable()  # see the module's docstring
        try:
            for start in range(0, len(self._ids), CHUNK):
                chunk = self._ids[start : start + CHUNK]
                texts = self._dumps(chunk) if self._dumps is not None else {}
                for record_id in chunk:
                    record = self._fresh.get(record_id)
                    if record is None:
                        text = texts.get(record_id) or self._dump(record_id)
                        record = self._built(record_id, text)
                    yield record_id, record
        finally:
            if collecting:
                gc.enable()

    def items(self) -> ItemsView[str, Record]:
        return _Walked(self)

    def values(self) -> ValuesView[Record]:
        return _WalkedValues(self)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class _Walked(ItemsView[str, Record]):
    def __init__(self, records: StoredRecords) -> None:
        super().__init__(records)
        self._records = records

    def __iter__(self) -> Iterator[tuple[str, Record]]:
        return self._records.walk()


class _WalkedValues(ValuesView[Record]):
    def __init__(self, records: StoredRecords) -> None:
        super().__init__(records)
        self._records = records

    def __iter__(self) -> Iterator[Record]:
        return (record for _, record in self._records.walk())
