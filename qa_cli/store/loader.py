"""Read, parse and validate one record file into its model, with every problem found on the way.

Bad files never stop the run: each problem is recorded with its place and the file is left out.
Which files there are (``sources``), the run over all of them and the cross-record checks
(``pipeline``) build on this module; it imports neither.
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from qa_cli.german import os_error
from qa_cli.models.base import Record
from qa_cli.numbers import rejoin_decimal_commas_in
from qa_cli.store import yamlsafe
from qa_cli.store.controls import control_character_problems
from qa_cli.store.dataset import RecordFile
from qa_cli.store.problems import Problem
from qa_cli.store.source import Document, Source
from qa_cli.store.validation_errors import problems_from_validation


def read_raw(path: str | Path, display: str) -> bytes | Problem:
    """A file's bytes, without following links and never more than one byte over the limit."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                return Problem(
                    "keine-datei", "Keine gewöhnliche Datei (Pipe, Socket, Gerät).", display
                )
            return _read_at_most(descriptor, status.st_size, yamlsafe.MAX_FILE_BYTES + 1)
        finally:
            os.close(descriptor)
    except OSError as exc:
        return Problem(
            "keine-datei",
            f"Die Datei kann nicht gelesen werden: {os_error(exc)}.",
            display,
            hint="Rechte und Pfad prüfen; ist es eine gewöhnliche Datei?",
        )


def _read_at_most(descriptor: int, expected: int, limit: int) -> bytes:
    """Up to ``limit`` bytes. The first read asks for the size ``fstat`` saw (a buffered read of
    ``limit`` bytes would allocate the whole limit for every small file: 4× slower on 10,000
    records); later reads catch a file that grew meanwhile."""
    chunks: list[bytes] = []
    total = 0
    want = min(expected + 1, limit)
    while total < limit:
        chunk = os.read(descriptor, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = min(1 << 16, limit - total)
    return b"".join(chunks)


def parse_raw(
    raw: bytes, display: str, *, positions: bool = True
) -> tuple[Source | None, Document | None, list[Problem]]:
    """Decode and parse; problems instead of a document when that fails."""
    source = yamlsafe.decode(raw, display)
    if isinstance(source, Problem):
        return None, None, [source]
    document, problems = yamlsafe.parse(source, positions=positions)
    return source, document, problems


def parse_record_file(
    record_file: RecordFile,
) -> tuple[Source | None, Document | None, list[Problem]]:
    """Read (from the file's own source) and parse one record file, with positions."""
    reader = record_file.reader
    raw = read_raw(record_file.path, record_file.display) if reader is None else reader(record_file)
    if isinstance(raw, Problem):
        return None, None, [raw]
    return parse_raw(raw, record_file.display)


def record_from_raw(record_file: RecordFile, raw: bytes, problems: list[Problem]) -> Record | None:
    """The record in ``raw``, or ``None`` if anything is wrong with it (all problems reported)."""
    source, document, parse_problems = parse_raw(raw, record_file.display, positions=False)
    problems.extend(replace(problem, record_id=record_file.id) for problem in parse_problems)
    if source is None or document is None:
        return None
    found: list[Problem] = []
    record = validate_document(record_file, source, document, found)
    if found and not document.values:  # parsed without positions: parse again to locate
        located, careful = yamlsafe.parse(source)
        if located is None:  # the careful reader refuses what the fast one let through
            problems.extend(replace(problem, record_id=record_file.id) for problem in careful)
            return None
        found = []
        record = validate_document(record_file, source, located, found)
    problems.extend(found)
    return None if parse_problems else record


def validate_document(
    record_file: RecordFile, source: Source, document: Document, problems: list[Problem]
) -> Record | None:
    """Check the document's shape and validate it against the kind's model."""
    data = document.data
    if not isinstance(data, dict):
        found = "eine Liste" if isinstance(data, list) else f"der Text „{str(data)[:40]}“"
        problems.append(
            source.problem(
                "kein-mapping",
                f"Ein Datensatz ist eine Zuordnung (Schlüssel: Wert), gefunden: {found}.",
                document.values.get(()),
                record_id=record_file.id,
                hint="Felder als `schluessel: wert` je Zeile schreiben, siehe README.",
            )
        )
        return None
    controls = control_character_problems(record_file, source, document)
    if controls:
        problems.extend(controls)
        return None
    model = record_file.kind.model
    try:
        record = model.model_validate(rejoin_decimal_commas_in(data))
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, model, document, source, record_file.id))
        return None
    if record.id is not None and record.id != record_file.id:
        problems.append(
            source.problem(
                "id-passt-nicht",
                f"Feld id ist „{record.id}“, der Dateiname sagt „{record_file.id}“.",
                document.values.get(("id",)),
                record_id=record_file.id,
                field="id",
                hint="Das Feld id weglassen oder dem Dateinamen angleichen.",
            )
        )
        return None
    return record
