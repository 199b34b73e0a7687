"""The index: validated records and the results of earlier runs, as data in one SQLite file
outside ``data/``.

- ``records``: every record that was valid on its own, as the JSON of its model, keyed by kind,
  id and the content id of its file (``sources.blob_id``), with its probe (``probes``: a bound
  a query can select by in SQL). A record is content-addressed: its row
  is right whenever a file has that content, so rows are stored as soon as they are validated.
  Invalid records are never stored; their problems are found afresh.
- ``runs``: the problems of a whole run (discovery, each record, the cross-record checks) under
  the run key, a hash of every file's kind, path and content id, the structure's problems and
  qa's code; and under the display base the paths were shown relative to.
- ``bases``: per display base, the state the last stored run saw (every file's content id and
  whether it was valid) and each cross-record check's problems with the kinds it read, so the
  next run after an edit reads only the changed files and re-runs only the checks the change
  can affect (``checks.rerun_checks``).

Nothing in the file can run code: rows are text, and a model is rebuilt from its JSON by Pydantic,
which validates it like any input. A file that is not such an index (corrupt, foreign, another
format) is deleted and rebuilt. The file is never written through a symbolic link: the folder
must be a real directory owned by the user and writable by nobody else, and a link or other
non-regular file in place of the database or its journal is removed before SQLite opens it.
SQLite's transactions make every write atomic and serialise concurrent runs.

The index lives in ``$QA_CACHE_DIR``, else ``$XDG_CACHE_HOME/qa``, else ``~/.cache/qa``, one folder
per data directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from qa_cli.store.checks import CheckResult
from qa_cli.store.problems import Problem

FORMAT = 4
DATABASE = "index.sqlite3"
SIDE_FILES = ("-journal", "-wal", "-shm")
LEGACY = ("stand.pickle", "lauf.json", "datensaetze.sqlite3")
BATCH = 5000
SLACK = 100
"""Rows beyond twice the files a run saw before ``save_run`` drops the stale ones."""
ASKED_AT_ONCE = 500  # ids in one query (SQLite allows 32,766 parameters)
WAL_LIMIT = 4 << 20
"""Bytes of write-ahead log kept after a checkpoint (rebuilding the index writes it all)."""
SCHEMA = (
    "CREATE TABLE records (kind TEXT, id TEXT, digest TEXT, dump TEXT, probe TEXT, "
    "PRIMARY KEY (kind, id, digest)) WITHOUT ROWID",
    "CREATE TABLE runs (key TEXT, display TEXT, files_read INTEGER, problems TEXT, "
    "PRIMARY KEY (key, display))",
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE bases (display TEXT PRIMARY KEY, members BLOB, checks TEXT)",
)


def cache_root() -> Path:
    explicit = os.environ.get("QA_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qa"


def code_fingerprint() -> str:
    """A hash of qa's own code and of Pydantic's version: any change to either makes every run
    key new (an edited checkout needs no version bump)."""
    from pydantic.version import VERSION

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{FORMAT} {VERSION}".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _private_folder(folder: Path) -> bool:
    """Create ``folder`` if needed; true if it is a real directory (not a link) of this user that
    nobody else may write to."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.lstat(folder)
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)
    return (
        stat.S_ISDIR(status.st_mode)
        and (getuid is None or status.st_uid == getuid())
        and not status.st_mode & 0o022
    )


def _remove_planted(path: Path) -> None:
    """Delete ``path`` if it is anything but a regular file (a symbolic link above all)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            os.unlink(path)
    except FileNotFoundError:
        pass


class RecordIndex:
    """The index of one data directory. Every failure to use it counts as a miss: qa then reads
    the files, and the answer is the same."""

    def __init__(self, data_dir: Path) -> None:
        key = hashlib.sha256(
            str(data_dir.resolve()).encode("utf-8", "surrogateescape")
        ).hexdigest()[:20]
        self.folder = cache_root() / key
        self._db: sqlite3.Connection | None = None
        self._snapshot: sqlite3.Connection | None = None
        self._broken = False
        self._code: str | None = None
        self._pending: list[tuple[str, str, str, str, str | None]] = []
        self._generation: str | None = None
        self._rows_lost = False

    # -- opening ---------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection | None:
        if self._db is not None or self._broken:
            return self._db
        path = self.folder / DATABASE
        for attempt in range(2):
            try:
                if not _private_folder(self.folder):
                    break
                for suffix in ("", *SIDE_FILES):
                    _remove_planted(Path(f"{path}{suffix}"))
                db = sqlite3.connect(path, timeout=10, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")  # a reader (``hold``) never blocks a writer
                db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT}")
                self._prepare(db)
                self._db = db
                return db
            except sqlite3.DatabaseError:
                if attempt == 0:  # not an index of this format: rebuild
                    for suffix in ("", *SIDE_FILES):
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
            except OSError:
                break
        self._broken = True
        return None

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Check the format; an empty file gets the schema, another format is rebuilt. Rows
        written by other code are dropped: a model's JSON is only trusted by the code that
        validated it."""
        code = self.code()
        if db.execute("PRAGMA user_version").fetchone()[0] == FORMAT:
            db.execute("SELECT kind, id, digest, dump, probe FROM records LIMIT 0")
            db.execute("SELECT key, display, files_read, problems FROM runs LIMIT 0")
            db.execute("SELECT display, members, checks FROM bases LIMIT 0")
            row = db.execute("SELECT value FROM meta WHERE name='code'").fetchone()
            if row is not None and row[0] == code:
                return
            with _transaction(db):
                db.execute("DELETE FROM records")
                db.execute("DELETE FROM runs")
                db.execute("DELETE FROM bases")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code,))
                self._next_generation(db)
            return
        with _transaction(db):
            tables = db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
            for (table,) in tables:
                db.execute(f'DROP TABLE IF EXISTS "{table}"')
            for statement in SCHEMA:
                db.execute(statement)
            db.execute("INSERT INTO meta VALUES ('code', ?)", (code,))
            db.execute(f"PRAGMA user_version = {FORMAT}")

    def begin(self) -> bool:
        """Note the index's generation (``_forget_others``) as a run starts: the rows the run
        finds stay there for it unless that changes (``steady``, ``save_run``). ``False`` if
        the index cannot be used at all (the run then holds what it reads itself)."""
        self._generation, self._rows_lost = _generation(self._connection()), False
        return self._generation is not None

    def steady(self) -> bool:
        """Whether the held snapshot is of the generation the run began in: then every row the
        run found or wrote before ``hold`` is in it."""
        return self._snapshot is not None and _generation(self._snapshot) == self._generation

    def code(self) -> str:
        """``code_fingerprint()``, computed once per run."""
        if self._code is None:
            self._code = code_fingerprint()
        return self._code

    # -- runs ------------------------------------------------------------------------------
    def stored_run(self, key: str, display: str) -> tuple[list[Problem], int] | None:
        """The problems and the number of files read of an earlier run with ``key``, as the
        held snapshot has it (the rows it then reads are those of that state)."""
        db = self._reading()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT files_read, problems FROM runs WHERE key=? AND display=?", (key, display)
            ).fetchone()
            if row is None:
                return None
            return [Problem(**p) for p in json.loads(row[1])], int(row[0])
        except (sqlite3.DatabaseError, ValueError, TypeError):
            return None

    def save_run(
        self,
        key: str,
        display: str,
        problems: list[Problem],
        files_read: int,
        members: dict[str, tuple[str, bool]],
        checks: list[CheckResult] | None,
        current: Callable[[], dict[str, dict[str, str]]],
    ) -> None:
        """Store a run's result under ``key`` and its state (``members``, the ``checks``' results)
        as the base of ``display``; older runs of ``display`` are dropped, and, in the same
        transaction, stale rows (``_forget_others``; ``current()``: kind → id → content id).

        Stored only if every row the run wrote was written and no row was deleted since it
        began (``begin``): so each stored run and base has the row of every valid file it names,
        and a known run can choose its records in SQL without counting them all."""
        self.flush()
        db = self._connection()
        if db is None or self._rows_lost:
            return
        body = json.dumps([asdict(p) for p in problems], ensure_ascii=False)
        state = None if checks is None else _checks_json(checks)
        try:
            with _transaction(db):
                if _generation(db) != self._generation:
                    return
                db.execute("DELETE FROM runs WHERE display=?", (display,))
                db.execute("INSERT INTO runs VALUES (?, ?, ?, ?)", (key, display, files_read, body))
                db.execute(
                    "INSERT OR REPLACE INTO bases VALUES (?, ?, ?)",
                    (display, _members_blob(members), state),
                )
                self._forget_others(db, key, display, len(members), current)
        except sqlite3.DatabaseError:
            return
        for name in LEGACY:
            (self.folder / name).unlink(missing_ok=True)

    # -- the state of the last stored run ---------------------------------------------------
    def base(self, display: str) -> Base | None:
        """What the last stored run for ``display`` saw, if it is readable."""
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT members, checks FROM bases WHERE display=?", (display,)
            ).fetchone()
            if row is None:
                return None
            members = _members_from(row[0])
            checks = None if row[1] is None else _check_results(json.loads(row[1]))
            return Base(members, checks)
        except (sqlite3.DatabaseError, ValueError, TypeError, AttributeError):
            return None

    # -- records ---------------------------------------------------------------------------
    def dump(self, kind: str, record_id: str, digest: str) -> str | None:
        """The JSON of one stored record, if there is a row."""
        db = self._reading()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT dump FROM records WHERE kind=? AND id=? AND digest=?",
                (kind, record_id, digest),
            ).fetchone()
        except sqlite3.DatabaseError:
            return None
        return None if row is None else str(row[0])

    def known(
        self, kind: str, wanted: Mapping[str, str], up_to: str | None = None
    ) -> list[str] | None:
        """The ids of the stored records of ``kind`` whose id and content id are an entry of
        ``wanted``, without their JSON; with ``up_to`` only those whose probe is at most that
        (or that have none), chosen in SQL. ``None`` if the index cannot be read. What ``dumps``
        then reads is certain to be there while the index is held; of a stored run's files
        every row is there (``save_run``), so a choice by probe need not count the others."""
        db = self._reading()
        if db is None:
            return None
        chosen = "" if up_to is None else " AND (probe IS NULL OR probe <= ?)"
        parameters = (kind,) if up_to is None else (kind, up_to)
        try:
            rows = db.execute(f"SELECT id, digest FROM records WHERE kind=?{chosen}", parameters)
            return [record_id for record_id, digest in rows if wanted.get(record_id) == digest]
        except sqlite3.DatabaseError:
            return None

    def dumps(self, kind: str, wanted: Mapping[str, str]) -> dict[str, str]:
        """The JSON of the stored records of ``kind`` whose id and content id are an entry of
        ``wanted``, asked ``ASKED_AT_ONCE`` ids per query, by the primary key."""
        db = self._reading()
        ids = list(wanted)
        found: dict[str, str] = {}
        if db is None:
            return found
        try:
            for start in range(0, len(ids), ASKED_AT_ONCE):
                chunk = ids[start : start + ASKED_AT_ONCE]
                marks = ", ".join("?" * len(chunk))
                for record_id, digest, dump in db.execute(
                    f"SELECT id, digest, dump FROM records WHERE kind=? AND id IN ({marks})",
                    (kind, *chunk),
                ):
                    if wanted.get(record_id) == digest:
                        found[record_id] = str(dump)
        except sqlite3.DatabaseError:
            return {}
        return found

    def hold(self) -> None:
        """Begin a read transaction on a connection of its own that lasts until ``release``: the
        rows read from then on (``dump``, ``known``, ``dumps``; ``stored.StoredRecords`` builds
        its records from them) stay those the index held when it began, whatever another run
        deletes meanwhile, while this run still writes through the other connection. In WAL mode
        it never blocks a writer."""
        if self._snapshot is not None or self._connection() is None:
            return
        try:
            snapshot = sqlite3.connect(self.folder / DATABASE, timeout=10, isolation_level=None)
            snapshot.execute("BEGIN")
            snapshot.execute("SELECT 1 FROM records LIMIT 1").fetchall()  # it starts here
        except sqlite3.DatabaseError:
            self._broken = True
            return
        self._snapshot = snapshot

    def release(self) -> None:
        """End what ``hold`` began."""
        snapshot, self._snapshot = self._snapshot, None
        if snapshot is not None:
            snapshot.close()

    def _reading(self) -> sqlite3.Connection | None:
        """The held snapshot if there is one, else the connection."""
        if self._broken:
            return None
        return self._snapshot or self._connection()

    def remember(
        self, kind: str, record_id: str, digest: str, dump: str, probe: str | None
    ) -> None:
        self._pending.append((kind, record_id, digest, dump, probe))
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        db = self._connection()
        if db is None or not self._pending:
            self._pending.clear()
            return
        try:
            with _transaction(db):
                db.executemany(
                    "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)", self._pending
                )
        except sqlite3.DatabaseError:
            self._rows_lost = True
        self._pending.clear()

    def _forget_others(
        self,
        db: sqlite3.Connection,
        key: str,
        display: str,
        files: int,
        current: Callable[[], dict[str, dict[str, str]]],
    ) -> None:
        """Drop every record row that is not the current content of a file, so the index stays
        the size of the data; only when there are more than twice as many rows as ``files``
        (and ``SLACK``). The runs and bases of other states go with them (the rows they name
        may be gone), and the generation changes, so a run that began before stores nothing."""
        total = db.execute("SELECT count(*) FROM records").fetchone()[0]
        if total <= 2 * files + SLACK:
            return
        kept = current()
        stale = [
            (kind, record_id, digest)
            for kind, record_id, digest in db.execute("SELECT kind, id, digest FROM records")
            if kept.get(kind, {}).get(record_id) != digest
        ]
        db.executemany("DELETE FROM records WHERE kind=? AND id=? AND digest=?", stale)
        db.execute("DELETE FROM runs WHERE NOT (key=? AND display=?)", (key, display))
        db.execute("DELETE FROM bases WHERE display<>?", (display,))
        self._next_generation(db)

    def _next_generation(self, db: sqlite3.Connection) -> None:
        """A new generation, written in the caller's transaction; this index continues in it."""
        self._generation = os.urandom(8).hex()
        db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (self._generation,))


@dataclass(frozen=True, slots=True)
class Base:
    """The last stored run's view: ``relative`` → (content id, valid) of every file, and the
    results of the cross-record checks (``None``: not kept, e.g. a file had too many problems)."""

    members: dict[str, tuple[str, bool]]
    checks: dict[str, CheckResult] | None


def _members_blob(members: dict[str, tuple[str, bool]]) -> bytearray:
    """``relative``, content id and ``1``/empty (valid or not) of every file, separated by NUL
    (which no path and no content id holds): on 100,000 files a tenth of the time of JSON.
    Bytes, since a name that is not UTF-8 holds surrogate escapes; written into one buffer, not
    joined from a list of every field (on 100,000 files a peak 15 MB lower)."""
    blob = bytearray()
    for relative, (digest, valid) in members.items():
        if blob:
            blob += b"\0"
        blob += f"{relative}\0{digest}\0{'1' if valid else ''}".encode("utf-8", "surrogateescape")
    return blob


def _members_from(blob: bytes | bytearray) -> dict[str, tuple[str, bool]]:
    """What ``_members_blob`` wrote; a ``ValueError`` for anything else."""
    if not blob:
        return {}
    fields = blob.decode("utf-8", "surrogateescape").split("\0")
    if len(fields) % 3:
        raise ValueError("kein Stand der Dateien")
    valid = [flag == "1" for flag in fields[2::3]]
    return dict(zip(fields[0::3], zip(fields[1::3], valid, strict=True), strict=True))


def _generation(db: sqlite3.Connection | None) -> str | None:
    """The generation of the index as ``db`` sees it (``""``: none yet; ``None``: unreadable)."""
    if db is None:
        return None
    try:
        row = db.execute("SELECT value FROM meta WHERE name='generation'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return "" if row is None else str(row[0])


def _checks_json(checks: list[CheckResult]) -> str:
    return json.dumps(
        [
            {
                "name": result.name,
                "kinds": sorted(result.kinds),
                "problems": [asdict(problem) for problem in result.problems],
            }
            for result in checks
        ],
        ensure_ascii=False,
    )


def _check_results(rows: list[dict[str, Any]]) -> dict[str, CheckResult]:
    return {
        str(row["name"]): CheckResult(
            str(row["name"]),
            frozenset(str(kind) for kind in row["kinds"]),
            [Problem(**problem) for problem in row["problems"]],
        )
        for row in rows
    }


class _transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on failure) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if kind is not None else "COMMIT")
