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
from dataclasses import dataclass, field
from pathlib import Path

from qa_cli.models.base import ID_MAX_LENGTH, Record, is_valid_id
from qa_cli.store.cache import Base, RecordIndex
from qa_cli.store.checks import CheckResult, rerun_checks, run_all_checks, within_limit
from qa_cli.store.dataset import Dataset, LoadResult, RecordFile
from qa_cli.store.kinds import KINDS, Kind, kind_of
from qa_cli.store.memory import give_back_freed_memory
from qa_cli.store.paths import shown_name
from qa_cli.store.problems import Problem, cap_per_file, sorted_and_capped
from qa_cli.store.reading import Outcome, read_all, read_one
from qa_cli.store.sources import RecordSource, WorkingTree
from qa_cli.store.stored import StaleRow, StoredRecords

MODELS_UP_TO = 20_000
"""Up to this many files every record stays a model while the checks run (10,000 records:
about 100 MB in all), so a check that walks a kind again does not build it again. Above it the
kinds a command does not need are held as their JSON and built on each read (``stored``):
slower, but 100,000 offices need not fit in memory as models."""
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


def load(
    where: RecordSource | Path,
    needs: Iterable[Kind] | None = None,
    streamed: Iterable[Kind] = (),
) -> LoadResult:
    """Every record with all problems, read afresh (no index): what ``--no-cache`` answers. The
    dataset holds the kinds in ``needs`` (``None``: all); the others are kept only as JSON while
    the checks run (``qa validate`` needs none: 100,000 records need not fit as models). The
    kinds in ``streamed`` (a command walks them once) stay so: built one at a time as it walks."""
    source = as_source(where)
    walked = frozenset(streamed)
    keep = None if needs is None else frozenset(k.folder for k in needs if k not in walked)
    with _cyclic_collector_paused():
        structure: list[Problem] = []
        files = source.discover(structure)
        loaded = _load_all(source, files, structure, None, None, keep)
        problems = _problems(loaded, run_all_checks(loaded.dataset))
        give_back_freed_memory()
        return LoadResult(_materialised(loaded.dataset, needs, walked), problems, loaded.files_read)


def load_indexed(
    where: RecordSource | Path,
    needs: Iterable[Kind] | None,
    index: RecordIndex,
    bounds: Bounds | None = None,
    streamed: Iterable[Kind] = (),
) -> LoadResult:
    """The same answer as ``load``, from the index where the content is known. With a known run
    that found no problem only the kinds in ``needs`` (``None``: all) are built, and of a kind
    in ``bounds`` only the records whose probe is at most its bound (``probes``). After an edit
    only the changed files are read and only the checks they can affect run again. The kinds in
    ``streamed`` are built from their rows as the command walks them (``load``)."""
    source = as_source(where)
    query = Query(None if needs is None else tuple(needs), bounds or {}, frozenset(streamed))
    with _cyclic_collector_paused():
        scan = _scan(source, index.code())
        display = source.display_base()
        answer = _from_index(source.root, scan, display, query, index)
        if answer is not None:
            return answer
        try:
            return _run_indexed(source, scan, display, query, index, reuse=True)
        except StaleRow:  # a row went missing or stopped validating: read every file
            return _run_indexed(source, scan, display, query, index, reuse=False)


@dataclass(frozen=True, slots=True)
class Query:
    """What a command asks of the index: the kinds it ``needs`` (``None``: all), ``bounds``
    on their probes, and the kinds it walks once (``streamed``)."""

    needs: tuple[Kind, ...] | None
    bounds: Bounds
    streamed: frozenset[Kind]


def _run_indexed(
    source: RecordSource,
    scan: Scan,
    display: str,
    query: Query,
    index: RecordIndex,
    *,
    reuse: bool,
) -> LoadResult:
    """Load and check with the index's help, store the run, answer. The checks and the
    command read the rows the load left in the index from a snapshot taken once they are all
    written (``RecordIndex.hold``)."""
    index.release()  # a snapshot of a run that failed (``StaleRow``) would miss rows
    reuse = index.begin() and reuse
    base = index.base(display) if reuse else None
    loaded, results = None, None
    if base is not None and base.checks is not None:
        loaded = _load_changed(source, scan, base, index)
    if loaded is not None and loaded.changes is not None:
        assert base is not None and base.checks is not None
        changed, added_or_removed = loaded.changes
        results = rerun_checks(loaded.dataset, base.checks, changed, added_or_removed)
    if loaded is None:
        loaded = _load_all(
            source, scan.files, scan.structure, scan.ids, index, frozenset(), reuse=reuse
        )
    index.flush()
    index.hold()
    steady = index.steady()
    if reuse and not steady:
        raise StaleRow("")  # rows this run found may be gone
    every_check = results is None  # every file read, or every check run again: much was freed
    if results is None:
        results = run_all_checks(loaded.dataset)
    problems = _problems(loaded, results)
    if loaded.consistent:
        kept = results if loaded.simple and within_limit(results) else None
        index.save_run(
            scan.key, display, problems, loaded.files_read, loaded.members, kept,
            lambda: _current(scan),
        )  # fmt: skip
        if every_check:
            give_back_freed_memory()  # before the command builds its answer (``memory``)
        if not problems and steady:
            answer = _answer_from_index(source.root, scan, ([], loaded.files_read), query, index)
            if answer is not None:
                return answer
    dataset = _materialised(loaded.dataset, query.needs, query.streamed)
    return LoadResult(dataset, problems, loaded.files_read)


def _problems(loaded: Loaded, results: list[CheckResult]) -> list[Problem]:
    """The run's problems: the structure's, each record's, then the checks' (capped per file
    in the checks' order, as ``run_checks`` does), by file and place."""
    checked = cap_per_file([problem for result in results for problem in result.problems])
    return sorted_and_capped([*loaded.problems, *checked])


def _materialised(
    dataset: Dataset, needs: Iterable[Kind] | None, streamed: Iterable[Kind] = ()
) -> Dataset:
    """The dataset a command gets: the kinds in ``needs`` (``None``: all) as models, those in
    ``streamed`` as they were held while the checks ran."""
    kinds = KINDS if needs is None else tuple(needs)
    built = Dataset(
        dataset.root,
        files=dataset.files,
        kinds=None if needs is None else frozenset(kind.folder for kind in kinds),
        invalid=dataset.invalid,
    )
    for kind in kinds:
        records = dataset.stored.get(kind.folder)
        if records and kind in streamed:
            built.stored[kind.folder] = records
        elif records:
            built.records[kind.folder] = dict(records.items())
    return built


@contextmanager
def _cyclic_collector_paused() -> Iterator[None]:
    """Loading allocates millions of small objects that all stay alive; the cyclic garbage
    collector would walk them again and again without finding garbage (a fifth of a cold
    ``qa validate`` on 10,000 records). Reference counting still frees everything else.

    Afterwards what was loaded is frozen (``gc.freeze``): the records live until the command
    ends, and a collection the report's own objects trigger would otherwise walk all of them
    (a quarter of ``qa list --format csv`` on 100,000 records)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _scan(source: RecordSource, code: str) -> Scan:
    """Discover the files and add their kinds, paths and content ids, the structure's problems
    and qa's ``code`` up to the run key."""
    structure: list[Problem] = []
    files = source.discover(structure, keyed=True)
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
    root: Path, scan: Scan, display: str, query: Query, index: RecordIndex
) -> LoadResult | None:
    """The answer of a known run, or ``None``. The index is held (``RecordIndex.hold``) while
    the command walks the kinds it streams, so each row counted here is there when read."""
    index.hold()
    stored = index.stored_run(scan.key, display)
    answer = None if stored is None else _answer_from_index(root, scan, stored, query, index)
    if answer is not None and (not query.streamed or answer.problems):
        index.release()
    return answer


def _answer_from_index(
    root: Path, scan: Scan, stored: tuple[list[Problem], int], query: Query, index: RecordIndex
) -> LoadResult | None:
    problems, files_read = stored
    if problems:
        return LoadResult(Dataset(root, kinds=frozenset()), problems, files_read)
    kinds = KINDS if query.needs is None else query.needs
    folders = None if query.needs is None else frozenset(kind.folder for kind in kinds)
    dataset = Dataset(root, kinds=folders)
    for kind in kinds:
        indexed = _indexed_kind(kind, scan, index, query.bounds.get(kind))
        if indexed is None:
            return None  # a row went missing: read the files
        files, records = indexed
        for record_file in files:
            dataset.files[(kind.folder, record_file.id)] = record_file
        if kind in query.streamed:
            dataset.stored[kind.folder] = records
            continue
        try:
            dataset.records[kind.folder] = dict(records.items())
        except StaleRow:
            return None
    return LoadResult(dataset, [], files_read)


def _indexed_kind(
    kind: Kind, scan: Scan, index: RecordIndex, up_to: str | None
) -> tuple[list[RecordFile], StoredRecords] | None:
    """The files of ``kind`` (with ``up_to``: those whose probe is at most that) and their
    records, built from their rows when read; ``None`` if any row is missing."""
    files = [f for f in scan.files if f.kind is kind]
    wanted = {f.id: scan.ids[f.relative] for f in files}
    found = index.known(kind.folder, wanted, up_to)
    if found is None or (up_to is None and len(found) != len(files)):
        return None  # the index is unreadable, or a row is missing (impossible: an id twice)
    chosen = set(found)
    taken = [f for f in files if f.id in chosen]
    digests = {f.id: wanted[f.id] for f in taken}
    return taken, _stored(kind, [f.id for f in taken], index, digests)


def _stored(
    kind: Kind,
    ids: list[str],
    index: RecordIndex | None,
    digests: Mapping[str, str],
    fresh: Mapping[str, Record] | None = None,
    held: Mapping[str, str] | None = None,
) -> StoredRecords:
    """The records of ``kind`` with ``ids``: those in ``fresh`` as built, those in ``held`` from
    that JSON, every other from its row in ``index`` (the one with its content id in
    ``digests``), a chunk of rows per query when walked."""
    kept = held or {}

    def dump(record_id: str) -> str | None:
        text = kept.get(record_id)
        if text is None and index is not None and record_id in digests:
            return index.dump(kind.folder, record_id, digests[record_id])
        return text

    def dumps(chunk: list[str]) -> Mapping[str, str]:
        if index is None:
            return kept
        return index.dumps(kind.folder, {i: digests[i] for i in chunk if i in digests})

    return StoredRecords(kind.model, ids, dump, fresh, dumps)


def _known_rows(
    index: RecordIndex, files: list[RecordFile], ids: dict[str, str]
) -> set[tuple[str, str, str]]:
    """``(folder, id, content id)`` of each of ``files`` whose row the index has."""
    known: set[tuple[str, str, str]] = set()
    for kind in KINDS:
        wanted = {f.id: ids[f.relative] for f in files if f.kind is kind and is_valid_id(f.id)}
        known.update((kind.folder, i, wanted[i]) for i in index.known(kind.folder, wanted) or ())
    return known


@dataclass(slots=True)
class Loaded:
    """The records of one run before the cross-record checks: valid ones in ``dataset`` (as
    ``StoredRecords``), the problems of the structure and of each file, and ``members``, each
    file's content id and validity (what the next run compares with, ``cache.Base``)."""

    dataset: Dataset
    problems: list[Problem]
    files_read: int = 0
    consistent: bool = True
    simple: bool = True
    """Every id valid and unique: the precondition of an incremental run."""
    members: dict[str, tuple[str, bool]] = field(default_factory=dict)
    changes: tuple[dict[str, list[str]], bool] | None = None
    """For an incremental run: the changed ids by folder, and whether any was added or
    removed; ``None`` when the checks must all run (e.g. a record became invalid)."""


@dataclass(slots=True)
class _Taken:
    """One file as ``_load_all`` keeps it: the model, else its JSON, else (``indexed``) only
    its row in the index; and the content id of what was read."""

    record: Record | None
    dump: str | None
    digest: str
    indexed: bool

    @property
    def valid(self) -> bool:
        return self.record is not None or self.dump is not None or self.indexed


def _load_all(
    source: RecordSource,
    files: list[RecordFile],
    structure: list[Problem],
    ids: dict[str, str] | None,
    index: RecordIndex | None,
    keep: frozenset[str] | None,
    *,
    reuse: bool = True,
) -> Loaded:
    """Every record. Records of the folders in ``keep`` (``None``: all) stay models. With an
    index to ``reuse``, a record whose row it has is not read, and one written to it this run
    is not held either: the checks build both from their rows (``RecordIndex.hold``), so 100,000
    offices are not in memory as JSON (60 MB). Without, the others are held as their JSON."""
    loaded = Loaded(Dataset(source.root), list(structure))
    if len(files) <= MODELS_UP_TO:
        keep = None
    rows = index if reuse and ids is not None else None
    known = set() if rows is None or ids is None else _known_rows(rows, files, ids)
    unknown = [
        f
        for f in files
        if (f.kind.folder, f.id, "" if ids is None else ids[f.relative]) not in known
    ]
    source.prefetch(unknown)
    outcomes = iter(read_all(source, unknown, index is not None, keep))
    models: dict[str, dict[str, Record]] = {}
    held: dict[str, dict[str, str]] = {}
    digests: dict[str, dict[str, str]] = {}
    order: dict[str, list[str]] = {}
    seen: dict[tuple[str, str], RecordFile] = {}
    for record_file in files:
        loaded.files_read += 1
        folder = record_file.kind.folder
        expected = None if ids is None else ids[record_file.relative]
        if (folder, record_file.id, expected or "") in known:
            taken = _Taken(None, None, expected or "", indexed=True)
        else:
            model = keep is None or folder in keep
            taken = _taken(next(outcomes), record_file, expected, loaded, index, model=model)
            taken.indexed = taken.indexed and rows is not None
        loaded.members[record_file.relative] = (taken.digest, taken.valid)
        key = (folder, record_file.id)
        if not is_valid_id(record_file.id):
            loaded.problems.append(_invalid_id(record_file))
            loaded.simple = False
        elif key in seen:
            loaded.problems.append(_duplicate(record_file, seen[key]))
            loaded.simple = False
        elif not taken.valid:
            seen[key] = record_file
            loaded.dataset.invalid[key] = record_file  # references to it say so
        else:
            seen[key] = record_file
            loaded.dataset.files[key] = record_file
            order.setdefault(folder, []).append(record_file.id)
            if taken.record is not None and (keep is None or folder in keep):
                models.setdefault(folder, {})[record_file.id] = taken.record
            elif taken.indexed:
                digests.setdefault(folder, {})[record_file.id] = taken.digest
            else:
                assert taken.dump is not None  # a valid record read has its JSON
                held.setdefault(folder, {})[record_file.id] = taken.dump
    for kind in KINDS:
        if kind.folder in order:
            loaded.dataset.stored[kind.folder] = _stored(
                kind,
                order[kind.folder],
                rows,
                digests.get(kind.folder, {}),
                models.get(kind.folder),
                held.get(kind.folder),
            )
    return loaded


def _load_changed(
    source: RecordSource, scan: Scan, base: Base, index: RecordIndex
) -> Loaded | None:
    """The records after an edit: only files whose content id differs from the last stored
    run's (or that were invalid then) are read; the others are rows of the index, built when a
    check reads them. ``None`` if this run cannot build on that one (an id invalid or twice).
    The loop takes an unchanged valid file in a few steps (on 100,000 files it is most of the
    run's own work): its id was valid and unique in the last run (only such a run keeps the
    checks' results this needs); an id twice shows in the count at the end."""
    loaded = Loaded(Dataset(source.root), list(scan.structure))
    files, invalid = loaded.dataset.files, loaded.dataset.invalid
    changed: dict[str, list[str]] = {}
    added_or_removed = False
    fresh: dict[str, dict[str, Record]] = {}
    digests: dict[str, dict[str, str]] = {kind.folder: {} for kind in KINDS}
    order: dict[str, list[str]] = {kind.folder: [] for kind in KINDS}
    loaded.files_read = len(scan.files)
    members, now, ids = base.members, loaded.members, scan.ids
    found = 0  # files the last run saw too: fewer than it saw means some were removed
    for record_file in scan.files:
        folder, record_id, relative = record_file.kind.folder, record_file.id, record_file.relative
        key = (folder, record_id)
        digest = ids[relative]
        before = members.get(relative)
        found += before is not None
        if before is not None and before[0] == digest and before[1]:
            now[relative] = before
        else:
            if before is None and not is_valid_id(record_id):
                return None
            if before is None or before[0] != digest:
                changed.setdefault(folder, []).append(record_id)
                added_or_removed = added_or_removed or before is None
            outcome = read_one(source, record_file, hashing=True)
            taken = _taken(outcome, record_file, digest, loaded, index, model=True)
            if taken.record is None:
                now[relative] = (taken.digest, False)
                invalid[key] = record_file
                continue
            fresh.setdefault(folder, {})[record_id] = taken.record
            digest = taken.digest
            now[relative] = (digest, True)
        files[key] = record_file
        order[folder].append(record_id)
        digests[folder][record_id] = digest
    if len(files) + len(invalid) != len(scan.files) or any(key in files for key in invalid):
        return None  # an id twice (a file the last run saw had a valid id of its own)
    if found != len(members):
        for relative in members.keys() - now.keys():
            kind = kind_of(relative)
            added_or_removed = True
            changed.setdefault(kind.folder if kind else "", []).append(relative)
    for kind in KINDS:
        if order[kind.folder]:
            loaded.dataset.stored[kind.folder] = _stored(
                kind, order[kind.folder], index, digests[kind.folder], fresh.get(kind.folder)
            )
    invalid_before = {relative for relative, (_, valid) in members.items() if not valid}
    invalid_now = {record_file.relative for record_file in invalid.values()}
    if invalid_before == invalid_now:
        loaded.changes = (changed, added_or_removed)
    return loaded


def _taken(
    outcome: Outcome,
    record_file: RecordFile,
    expected: str | None,
    loaded: Loaded,
    index: RecordIndex | None,
    *,
    model: bool,
) -> _Taken:
    """Take what reading one file gave: its problems, the index row if it is valid, and whether
    the run stays consistent (a content id other than ``expected``: nothing is stored). Returns
    the record (``None`` if invalid; with ``model`` built from its JSON if the child read it),
    its JSON, the content id of what was read and whether its row was written."""
    loaded.problems.extend(outcome.problems)
    if expected is not None and expected != outcome.digest:
        loaded.consistent = False
    elif expected is not None:
        outcome.digest = expected  # one string for both (on 100,000 files: 9 MB)
    indexed = False
    if index is not None and outcome.storable and outcome.dump is not None:
        folder = record_file.kind.folder
        index.remember(folder, record_file.id, outcome.digest, outcome.dump, outcome.probe)
        indexed = True
    record = outcome.model(record_file) if model else outcome.record
    return _Taken(record, outcome.dump, outcome.digest, indexed)


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
