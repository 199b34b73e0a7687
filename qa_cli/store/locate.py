"""Where a problem found after loading lies: cross-record checks (``checks.py``,
``checks_fonds.py``) report through ``locate``, which parses a file again for positions, each
file at most once per ``run_checks`` (``forget`` clears what one run remembered)."""

from __future__ import annotations

from qa_cli.store.dataset import RecordFile
from qa_cli.store.loader import parse_record_file
from qa_cli.store.problems import MAX_PER_FILE, Problem
from qa_cli.store.source import Document, Source, YamlPath, format_path

# The files parsed (with positions) during one ``run_checks``: each at most once, however many
# problems it has (200 overlapping grants of one office are 19,900 problems in one file).
_PARSED: dict[RecordFile, tuple[Source | None, Document | None]] = {}


_LOCATED: dict[RecordFile, int] = {}


def exhausted(record_file: RecordFile) -> bool:
    """The file already has as many problems as are shown: further ones are only counted, so
    they are worth no position, excerpt or suggestion."""
    return _LOCATED.get(record_file, 0) >= MAX_PER_FILE


def _parsed(record_file: RecordFile) -> tuple[Source | None, Document | None]:
    if record_file not in _PARSED:
        source, document, _ = parse_record_file(record_file)
        _PARSED[record_file] = (source, document)
    return _PARSED[record_file]


def locate(
    record_file: RecordFile, path: YamlPath, code: str, message: str, hint: str | None = None
) -> Problem:
    """A problem at ``path`` in a record that loaded fine; the file is parsed again for the
    positions (once per run), which keeps positions out of memory for the (usual) case of no
    problem."""
    field = format_path(path) or None
    if exhausted(record_file):
        return Problem(code, message, record_file.display, record_id=record_file.id, field=field)
    _LOCATED[record_file] = _LOCATED.get(record_file, 0) + 1
    source, document = _parsed(record_file)
    if source is None or document is None:
        return Problem(code, message, record_file.display, record_id=record_file.id, field=field)
    return source.problem(
        code, message, document.span_for(path), record_id=record_file.id, field=field, hint=hint
    )


def forget() -> None:
    """Drop the files parsed and the problems counted by one run of the checks."""
    _PARSED.clear()
    _LOCATED.clear()
