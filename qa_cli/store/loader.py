"""Read a data directory into validated models plus every problem found on the way.

Bad files never stop the run: each problem is recorded with its place, the file is left out, and
all other records still load. Cross-record checks (``checks.py``) run on the result.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from qa_cli.german import os_error
from qa_cli.models.base import ID_MAX_LENGTH, Record, is_valid_id
from qa_cli.store import yamlsafe
from qa_cli.store.cache import ValidationCache, digest_of
from qa_cli.store.dataset import Dataset, LoadResult, RecordFile
from qa_cli.store.kinds import KINDS, KINDS_BY_FOLDER, Kind, kind_of
from qa_cli.store.problems import Problem, printable
from qa_cli.store.source import Document, Source
from qa_cli.store.validation_errors import problems_from_validation

RECORD_SUFFIX = ".yaml"
WRONG_SUFFIXES = (".yml", ".json")


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it;
    bytes that are not UTF-8 and control characters are replaced, never printed raw."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        relative = str(path)
    shown = str(path) if relative.startswith("..") else relative
    return shown_name(shown)


def shown_name(name: str) -> str:
    """A file name as text that can always be printed: undecodable bytes and control characters
    become U+FFFD."""
    return printable(os.fsencode(name).decode("utf-8", "replace"))


def load(root: Path, cache: ValidationCache | None = None) -> LoadResult:
    """Load every record below ``root``; then run the cross-record checks. With a ``cache``,
    unchanged valid records are rebuilt from it instead of being parsed again."""
    from qa_cli.store.checks import run_checks

    result = LoadResult(Dataset(root))
    with _cyclic_collector_paused():
        candidates = _discover(root, result.problems)
        _load_candidates(candidates, result, cache)
        if cache is not None:
            cache.flush()
        result.problems.extend(run_checks(result.dataset))
    result.problems.sort(key=Problem.sort_key)
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


def _entries(folder: Path, problems: list[Problem]) -> Iterator[tuple[os.DirEntry[str], Path]]:
    """Visible entries of ``folder`` in name order; symbolic links are reported, not followed."""
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            problems.append(_file_problem(path, "symlink", "Symbolischer Link wird nicht gelesen."))
        else:
            yield entry, path


def _discover(
    folder: Path,
    problems: list[Problem],
    prefix: str = "",
    candidates: list[RecordFile] | None = None,
) -> list[RecordFile]:
    """Find record files; report symlinks, unknown folders and misnamed files. A kind's folder
    may be nested (``indikatoren/katalog``): the folders above it hold no records themselves."""
    candidates = [] if candidates is None else candidates
    for entry, path in _entries(folder, problems):
        relative = prefix + entry.name
        if entry.is_dir() and relative in KINDS_BY_FOLDER:
            _walk_kind(KINDS_BY_FOLDER[relative], path, candidates, problems)
        elif entry.is_dir() and any(kind.startswith(relative + "/") for kind in KINDS_BY_FOLDER):
            _discover(path, problems, relative + "/", candidates)
        elif _holds_records(path):
            problems.append(_unknown_folder(display_path(path), relative))
    return candidates


def _unknown_folder(shown: str, folder: str) -> Problem:
    return Problem(
        "unbekannter-ordner",
        f"„{shown_name(folder)}“ ist kein Ordner einer bekannten Datensatzart.",
        shown,
        hint="Bekannte Ordner: " + ", ".join(kind.folder for kind in KINDS) + ".",
    )


def _outside_kinds(relative: str) -> str:
    """The first folder of ``relative`` that neither is a kind's folder nor holds one (what
    ``_discover`` reports for a folder on disk)."""
    parts = relative.split("/")
    for end in range(1, len(parts)):
        folder = "/".join(parts[:end])
        if not any(kind == folder or kind.startswith(folder + "/") for kind in KINDS_BY_FOLDER):
            return folder
    return relative


def _wrong_suffix(shown: str, name: str) -> Problem:
    return Problem(
        "falsche-endung",
        f"„{shown_name(name)}“ wird nicht gelesen: Datensätze enden auf „.yaml“.",
        shown,
        hint="Die Datei umbenennen.",
    )


def _holds_records(path: Path) -> bool:
    if path.is_file():
        return path.name.endswith((RECORD_SUFFIX, *WRONG_SUFFIXES))
    return path.is_dir() and any(
        name.endswith(RECORD_SUFFIX) for _, _, names in os.walk(path) for name in names
    )


def _walk_kind(
    kind: Kind, folder: Path, candidates: list[RecordFile], problems: list[Problem]
) -> None:
    shown_folder = display_path(folder)
    for entry, path in _entries(folder, problems):
        if entry.is_dir():
            if entry.name.endswith(RECORD_SUFFIX):
                problems.append(
                    _file_problem(
                        path, "keine-datei", "Verzeichnis mit dem Namen eines Datensatzes."
                    )
                )
            else:
                _walk_kind(kind, path, candidates, problems)
        elif not entry.is_file(follow_symlinks=False):
            problems.append(
                _file_problem(path, "keine-datei", "Keine gewöhnliche Datei (Pipe, Socket, Gerät).")
            )
        elif entry.name.endswith(RECORD_SUFFIX):
            record_id = entry.name[: -len(RECORD_SUFFIX)]
            candidates.append(RecordFile(kind, record_id, path, _shown_in(shown_folder, entry)))
        elif entry.name.lower().endswith((*WRONG_SUFFIXES, RECORD_SUFFIX)):
            problems.append(_wrong_suffix(display_path(path), entry.name))


def _shown_in(shown_folder: str, entry: os.DirEntry[str]) -> str:
    """``display_path`` of an entry in a folder shown as ``shown_folder``: one ``relpath`` per
    folder instead of one per file (a tenth of the discovery time on 10,000 records)."""
    name = shown_name(entry.name)
    return name if shown_folder == "." else os.path.join(shown_folder, name)


def _file_problem(path: Path, code: str, message: str, hint: str | None = None) -> Problem:
    return Problem(code, message, display_path(path), hint=hint)


def _load_candidates(
    candidates: list[RecordFile], result: LoadResult, cache: ValidationCache | None
) -> None:
    seen: dict[tuple[str, str], RecordFile] = {}
    for record_file in candidates:
        result.files_read += 1
        record = _load_one(record_file, result.problems, cache)
        _add_unique(record_file, record, result, seen)


def _add_unique(
    record_file: RecordFile,
    record: Record | None,
    result: LoadResult,
    seen: dict[tuple[str, str], RecordFile],
) -> None:
    """Add a loaded record unless its id is invalid or an earlier file of its kind (valid or
    not, recorded in ``seen``) has it."""
    key = (record_file.kind.folder, record_file.id)
    if not is_valid_id(record_file.id):
        result.problems.append(_invalid_id(record_file))
    elif key in seen:
        result.problems.append(_duplicate(record_file, seen[key]))
    else:
        seen[key] = record_file
        if record is not None:
            result.dataset.add(record_file, record)


def _invalid_id(record_file: RecordFile) -> Problem:
    return Problem(
        "ungueltige-id",
        f"Der Dateiname „{shown_name(record_file.path.name)}“ ergibt keine gültige Kennung.",
        record_file.display,
        hint="Kennungen bestehen aus Kleinbuchstaben a–z, Ziffern und „-“ "
        f"(höchstens {ID_MAX_LENGTH} Zeichen), z. B. „quartiersbuero-boy.yaml“.",
    )


def _duplicate(record_file: RecordFile, first: RecordFile) -> Problem:
    return Problem(
        "doppelte-id",
        f"Kennung „{record_file.id}“ gibt es schon in {first.display}.",
        record_file.display,
        record_id=record_file.id,
        hint="Eine der beiden Dateien umbenennen oder löschen.",
    )


def read_raw(path: Path, display: str) -> bytes | Problem:
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
    raw: bytes | Problem | None = record_file.content
    if raw is None:
        raw = read_raw(record_file.path, record_file.display)
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


def _load_one(
    record_file: RecordFile, problems: list[Problem], cache: ValidationCache | None
) -> Record | None:
    raw = read_raw(record_file.path, record_file.display)
    if isinstance(raw, Problem):
        problems.append(raw)
        return None
    if cache is None or not is_valid_id(record_file.id):
        return record_from_raw(record_file, raw, problems)
    kind, digest = record_file.kind, digest_of(raw)
    dump = cache.record_dump(kind.folder, record_file.id, digest)
    if dump is not None:
        try:
            return kind.model.model_validate_json(dump)
        except ValidationError:
            pass  # written by another model version: parse afresh
    found: list[Problem] = []
    record = record_from_raw(record_file, raw, found)
    problems.extend(found)
    if record is not None and not found:
        cache.remember(kind.folder, record_file.id, digest, record.model_dump_json())
    return record


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
    model = record_file.kind.model
    try:
        record = model.model_validate(data)
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


def load_contents(root: Path, files: Iterable[tuple[str, bytes | None]]) -> LoadResult:
    """Load records given as paths below ``root`` (with ``/``) and their bytes, e.g. what the
    git index holds; ``None`` bytes mean the entry is not a regular file (a symbolic link or a
    submodule). Then run the cross-record checks on exactly these records."""
    from qa_cli.store.checks import run_checks

    result = LoadResult(Dataset(root))
    shown_root = display_path(root)
    seen: dict[tuple[str, str], RecordFile] = {}
    with _cyclic_collector_paused():
        for relative, content in sorted(files):
            shown = shown_name(relative if shown_root == "." else f"{shown_root}/{relative}")
            record_file = _record_file_at(root, relative, shown, content, result.problems)
            if record_file is None:
                continue
            result.files_read += 1
            record = record_from_raw(record_file, content or b"", result.problems)
            _add_unique(record_file, record, result, seen)
        result.problems.extend(run_checks(result.dataset))
    result.problems.sort(key=Problem.sort_key)
    return result


def _record_file_at(
    root: Path, relative: str, shown: str, content: bytes | None, problems: list[Problem]
) -> RecordFile | None:
    """The record file at ``relative``, or ``None`` with the reason reported (as ``_discover``
    reports it for a folder on disk)."""
    name = relative.rsplit("/", 1)[-1]
    kind = kind_of(relative)
    if content is None:
        problems.append(
            Problem("symlink", "Symbolischer Link oder Untermodul: nicht gelesen.", shown)
        )
    elif kind is None:
        if name.endswith((RECORD_SUFFIX, *WRONG_SUFFIXES)):
            folder = _outside_kinds(relative)
            unknown = _unknown_folder(shown[: len(shown) - len(relative) + len(folder)], folder)
            if unknown not in problems:  # reported once per folder, as on disk
                problems.append(unknown)
    elif name.endswith(RECORD_SUFFIX):
        record_id = name[: -len(RECORD_SUFFIX)]
        return RecordFile(kind, record_id, root / relative, shown, content)
    elif name.lower().endswith((*WRONG_SUFFIXES, RECORD_SUFFIX)):
        problems.append(_wrong_suffix(shown, name))
    return None
