"""One run over a source: discover the files, take each record from the index or parse and
validate it, run the cross-record checks, and remember what can be reused.

    discover ─► content ids ─► run key ─┬─ known run, no problem ─► needed kinds from the index
                                        ├─ known run with problems ─► its problems
                                        └─ otherwise ─► each file: index row or parse + validate
                                                       ─► cross-record checks ─► store

A run's result is stored only if every file read had the content id the key was computed from:
a file edited while qa runs (and perhaps restored) never leaves a result under the wrong key.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from qa_cli.models.base import ID_MAX_LENGTH, Record, is_valid_id
from qa_cli.store.cache import RecordIndex
from qa_cli.store.checks import run_checks
from qa_cli.store.dataset import Dataset, LoadResult, RecordFile
from qa_cli.store.kinds import KINDS, Kind
from qa_cli.store.loader import record_from_raw
from qa_cli.store.paths import shown_name
from qa_cli.store.probes import probe_of
from qa_cli.store.problems import Problem, sorted_and_capped
from qa_cli.store.sources import RecordSource, WorkingTree, unreadable_id

ReusableRows = dict[tuple[str, str, str], str | None]
Bounds = Mapping[Kind, str]


@dataclass(slots=True)
class Scan:
    """The files of a source with their content ids and the run key they add up to."""

    files: list[RecordFile]
    structure: list[Problem]
    ids: dict[str, str]
    key: str


def as_source(where: RecordSource | Path) -> RecordSource:
    return WorkingTree(where) if isinstance(where, Path) else where


def load(where: RecordSource | Path) -> LoadResult:
    """Every record with all problems, read afresh (no index): what ``--no-cache`` answers."""
    source = as_source(where)
    with _cyclic_collector_paused():
        structure: list[Problem] = []
        files = source.discover(structure)
        result, _ = _load_all(source, files, structure, None, None)
    return result


def load_indexed(
    where: RecordSource | Path,
    needs: Iterable[Kind] | None,
    index: RecordIndex,
    bounds: Bounds | None = None,
) -> LoadResult:
    """The same answer as ``load``, from the index where the content is known. With a known run
    that found no problem only the kinds in ``needs`` (``None``: all) are built, and of a kind
    in ``bounds`` only the records whose probe is at most its bound (``probes``)."""
    source = as_source(where)
    with _cyclic_collector_paused():
        scan = _scan(source, index.code())
        display = source.display_base()
        answer = _from_index(source.root, scan, display, needs, index, bounds or {})
        if answer is not None:
            return answer
        result, consistent = _load_all(source, scan.files, scan.structure, scan.ids, index)
        index.flush()
        if consistent:
            index.save_run(scan.key, display, result.problems, result.files_read)
            index.forget_others(_current(scan))
    return result


@contextmanager
def _cyclic_collector_paused() -> Iterator[None]:
    """Loading allocates millions of small objects that all stay alive; the cyclic garbage
    collector would walk them again and again without finding garbage (a fifth of a cold
    ``qa validate`` on 10,000 records). Reference counting still frees everything else."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _scan(source: RecordSource, code: str) -> Scan:
    """Discover the files and add their kinds, paths and content ids, the structure's problems
    and qa's ``code`` up to the run key."""
    structure: list[Problem] = []
    files = source.discover(structure)
    ids = source.content_ids(files)
    lines = [code]
    lines += [f"{f.kind.folder}\0{f.relative}\0{ids[f.relative]}" for f in files]
    lines += [f"!{p.code}\0{p.path}\0{p.message}" for p in structure]
    key = hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()
    return Scan(files, structure, ids, key)


def _current(scan: Scan) -> dict[str, dict[str, str]]:
    kept: dict[str, dict[str, str]] = {}
    for record_file in scan.files:
        kept.setdefault(record_file.kind.folder, {})[record_file.id] = scan.ids[
            record_file.relative
        ]
    return kept


def _from_index(
    root: Path,
    scan: Scan,
    display: str,
    needs: Iterable[Kind] | None,
    index: RecordIndex,
    bounds: Bounds,
) -> LoadResult | None:
    stored = index.stored_run(scan.key, display)
    if stored is None:
        return None
    problems, files_read = stored
    if problems:
        return LoadResult(Dataset(root, kinds=frozenset()), problems, files_read)
    kinds = KINDS if needs is None else tuple(needs)
    dataset = Dataset(root, kinds=None if needs is None else frozenset(k.folder for k in kinds))
    for kind in kinds:
        if not _add_kind_from_index(dataset, kind, scan, index, bounds.get(kind)):
            return None  # a row went missing: read the files
    return LoadResult(dataset, [], files_read)


def _add_kind_from_index(
    dataset: Dataset, kind: Kind, scan: Scan, index: RecordIndex, up_to: str | None
) -> bool:
    """Build every record of ``kind`` (with ``up_to``: whose probe is at most that) from its
    row; false if any row is missing or unusable."""
    files = [f for f in scan.files if f.kind is kind]
    rows = _rows(index, kind, files, scan.ids, up_to)
    try:
        for record_file in files:
            row = (kind.folder, record_file.id, scan.ids[record_file.relative])
            if row not in rows:
                return False
            dump = rows[row]
            if dump is not None:
                dataset.add(record_file, kind.model.model_validate_json(dump))
    except ValidationError:
        return False
    return True


def _rows(
    index: RecordIndex,
    kind: Kind,
    files: list[RecordFile],
    ids: dict[str, str],
    up_to: str | None = None,
) -> ReusableRows:
    wanted = {(f.id, ids[f.relative]) for f in files if is_valid_id(f.id)}
    return {
        (kind.folder, record_id, digest): dump
        for record_id, digest, dump in index.records(kind.folder, wanted, up_to)
    }


def _load_all(
    source: RecordSource,
    files: list[RecordFile],
    structure: list[Problem],
    ids: dict[str, str] | None,
    index: RecordIndex | None,
) -> tuple[LoadResult, bool]:
    """Every record, from the index where its content is known, then the cross-record checks.
    The flag says whether every file read still had the content id of ``ids``."""
    result = LoadResult(Dataset(source.root), list(structure))
    reusable: ReusableRows = {}
    if index is not None and ids is not None:
        for kind in KINDS:
            reusable.update(_rows(index, kind, [f for f in files if f.kind is kind], ids))
    consistent = True
    seen: dict[tuple[str, str], RecordFile] = {}
    for record_file in files:
        result.files_read += 1
        expected = None if ids is None else ids[record_file.relative]
        record = _reused(
            record_file, reusable.get((record_file.kind.folder, record_file.id, expected or ""))
        )
        if record is None:
            record, unchanged = _read_one(source, record_file, expected, result.problems, index)
            consistent = consistent and unchanged
        key = (record_file.kind.folder, record_file.id)
        if not is_valid_id(record_file.id):
            result.problems.append(_invalid_id(record_file))
        elif key in seen:
            result.problems.append(_duplicate(record_file, seen[key]))
        else:
            seen[key] = record_file
            if record is not None:
                result.dataset.add(record_file, record)
            else:
                result.dataset.invalid[key] = record_file  # references to it say so
    result.problems.extend(run_checks(result.dataset))
    result.problems = sorted_and_capped(result.problems)
    return result, consistent


def _reused(record_file: RecordFile, dump: str | None) -> Record | None:
    """The record from its index row (rows exist only for valid ids), if there is one."""
    if dump is None:
        return None
    try:
        return record_file.kind.model.model_validate_json(dump)
    except ValidationError:
        return None  # written by another model version: parse afresh


def _read_one(
    source: RecordSource,
    record_file: RecordFile,
    expected: str | None,
    problems: list[Problem],
    index: RecordIndex | None,
) -> tuple[Record | None, bool]:
    """Read, parse and validate one file; remember it in the index if it is valid. The flag says
    whether its content is still the one ``expected``."""
    raw = source.read(record_file)
    if isinstance(raw, Problem):
        problems.append(raw)
        return None, expected is None or expected == unreadable_id(raw)
    found: list[Problem] = []
    record = record_from_raw(record_file, raw, found)
    problems.extend(found)
    if index is None:
        return record, True
    digest = source.content_id(raw)
    if record is not None and not found and is_valid_id(record_file.id):
        dump = record.model_dump_json()
        index.remember(record_file.kind.folder, record_file.id, digest, dump, probe_of(record))
    return record, expected == digest


def _invalid_id(record_file: RecordFile) -> Problem:
    return Problem(
        "ungueltige-id",
        f"Der Dateiname „{shown_name(os.path.basename(record_file.path))}“ ergibt keine "
        "gültige Kennung.",
        record_file.display,
        hint="Kennungen bestehen aus Kleinbuchstaben a–z, Ziffern und „-“ "
        f"(höchstens {ID_MAX_LENGTH} Zeichen), z. B. „quartiersbuero-nord.yaml“.",
    )


def _duplicate(record_file: RecordFile, first: RecordFile) -> Problem:
    return Problem(
        "doppelte-id",
        f"Kennung „{record_file.id}“ gibt es schon in {first.display}.",
        record_file.display,
        record_id=record_file.id,
        hint="Eine der beiden Dateien umbenennen oder löschen.",
    )
