"""Reading, parsing and validating record files: one file at a time, or in two processes when
there are many.

Parsing and validating is most of a cold run (``qa validate --no-cache``, the first run of a new
index): on 10,000 files about 1.2 s of 1.45 s. At this stage files do not depend on each other,
so from ``PARALLEL_FROM`` files on, on a machine with a second core that can fork (Linux), a
forked child reads the second half while this process reads the first. Only files of the working
tree are read this way (a git source reads through a ``cat-file`` process that a child must not
share).

The child writes its outcomes to an anonymous temporary file and ends with ``os._exit``: it never
touches the index, a git process or the output streams. A record crosses as the JSON of its
model, which this process validates again when it needs the model. If the child fails in any way,
this process reads the child's half itself: the answer is the same either way.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import IO

from qa_cli.models.base import Record, is_valid_id
from qa_cli.store.dataset import RecordFile
from qa_cli.store.loader import record_from_raw
from qa_cli.store.probes import probe_of
from qa_cli.store.problems import Problem
from qa_cli.store.sources import RecordSource, WorkingTree, unreadable_id

PARALLEL_FROM = 2000
FIELDS = 5
CHUNK = 1 << 20


@dataclass(slots=True)
class Outcome:
    """What reading one file gave: the record (``None`` if invalid, or not yet rebuilt from
    ``dump``), its JSON, the content id of the bytes read (``""`` when not ``hashing``), the
    file's problems, and whether the index may keep it (valid, no problem, a valid id)."""

    record: Record | None
    dump: str | None
    digest: str
    problems: list[Problem] = field(default_factory=list)
    probe: str | None = None
    storable: bool = False

    def model(self, record_file: RecordFile) -> Record | None:
        """The record, built from its JSON if it came from the child."""
        if self.record is None and self.dump is not None:
            self.record = record_file.kind.model.model_validate_json(self.dump)
        return self.record


def read_one(source: RecordSource, record_file: RecordFile, hashing: bool) -> Outcome:
    """Read, parse and validate one file (``hashing``: also compute its content id)."""
    raw = source.read(record_file)
    if isinstance(raw, Problem):
        return Outcome(None, None, unreadable_id(raw), [raw])
    problems: list[Problem] = []
    record = record_from_raw(record_file, raw, problems)
    digest = source.content_id(raw) if hashing else ""
    if record is None:
        return Outcome(None, None, digest, problems)
    storable = not problems and is_valid_id(record_file.id)
    return Outcome(record, stored_json(record), digest, problems, probe_of(record), storable)


def stored_json(record: Record) -> str:
    """The JSON a record is kept as (index row, the child's outcome, a kind held while the
    checks run): without the fields that hold their default. Building the model again gives
    those defaults back, so nothing is lost; an office's JSON is a third shorter (850 → 550
    bytes) and builds a third faster (26 → 18 µs), which every command pays per record."""
    return record.model_dump_json(exclude_defaults=True)


def read_all(
    source: RecordSource, files: list[RecordFile], hashing: bool, models: frozenset[str] | None
) -> Iterator[Outcome]:
    """``read_one`` of every file, in order; the second half in a child process where that
    pays (see the module). Only records of the folders in ``models`` (``None``: all) are kept
    as models; of the others only the JSON (100,000 offices need not fit as models). The
    child's outcomes are decoded one at a time, as they are taken."""
    if not _parallel(source, len(files)):
        yield from (_kept(read_one(source, f, hashing), f, models) for f in files)
        return
    half = len(files) // 2
    with tempfile.TemporaryFile() as spool:
        child = os.fork()
        if child == 0:
            _child(source, files[half:], hashing, spool)
        mine = [_kept(read_one(source, f, hashing), f, models) for f in files[:half]]
        done = _child_done(child, spool, len(files) - half)
        yield from mine
        if done:
            yield from _decoded(spool)  # records as JSON only: built when taken, if wanted
        else:
            yield from (_kept(read_one(source, f, hashing), f, models) for f in files[half:])


def _kept(outcome: Outcome, record_file: RecordFile, models: frozenset[str] | None) -> Outcome:
    if models is not None and record_file.kind.folder not in models:
        outcome.record = None  # its JSON stays
    return outcome


def _parallel(source: RecordSource, count: int) -> bool:
    return (
        count >= PARALLEL_FROM
        and isinstance(source, WorkingTree)
        and sys.platform == "linux"
        and len(os.sched_getaffinity(0)) > 1
    )


def _child(source: RecordSource, files: list[RecordFile], hashing: bool, spool: IO[bytes]) -> None:
    """The forked child: write the outcomes of ``files``, one by one, and end without any
    clean-up of the parent's (no ``atexit``, no flushing of inherited buffers, no closing of
    the index)."""
    code = 1
    try:
        for record_file in files:
            spool.write(_encoded(read_one(source, record_file, hashing)))
        spool.flush()
        code = 0
    finally:
        os._exit(code)


def _child_done(child: int, spool: IO[bytes], expected: int) -> bool:
    """Whether the child ended well and wrote the outcomes of all ``expected`` files."""
    _, status = os.waitpid(child, 0)
    if status != 0:
        return False
    spool.seek(0)
    ends = sum(chunk.count(b"\0") for chunk in iter(lambda: spool.read(CHUNK), b""))
    spool.seek(0)
    return ends == expected * FIELDS


def _encoded(outcome: Outcome) -> bytes:
    """Five fields, each ended by NUL (no field holds one: JSON escapes it, paths and messages
    cannot hold one): content id, JSON or empty, probe or empty, ``1`` if storable, the
    problems as JSON."""
    problems = json.dumps([asdict(problem) for problem in outcome.problems])
    fields = (
        outcome.digest,
        outcome.dump or "",
        outcome.probe or "",
        "1" if outcome.storable else "",
        problems,
    )
    return "".join(f"{text}\0" for text in fields).encode("utf-8", "surrogateescape")


def _decoded(spool: IO[bytes]) -> Iterator[Outcome]:
    """The outcomes ``_encoded`` wrote, read in chunks."""
    fields: list[str] = []
    rest = b""
    while chunk := spool.read(CHUNK):
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        for part in parts:
            fields.append(part.decode("utf-8", "surrogateescape"))
            if len(fields) == FIELDS:
                digest, dump, probe, storable, problems = fields
                yield Outcome(
                    None,
                    dump or None,
                    digest,
                    [Problem(**problem) for problem in json.loads(problems)],
                    probe or None,
                    storable == "1",
                )
                fields = []
