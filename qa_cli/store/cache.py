"""A cache outside ``data/``, so that ``qa validate`` and the read-only commands answer at once
when the data did not change.

Three levels:

- The run: a fingerprint of every entry below the data directory (path, size, modification
  time, inode) plus a fingerprint of qa's own code. If both match the last run, its result is
  reused without reading a single record. Entries modified in the last two seconds before a run
  make it uncachable, since a later change within the same clock tick would go unnoticed.
- The record: keyed by kind, id and the SHA-256 of the file's bytes, a record that was valid is
  stored as JSON; an unchanged record is then rebuilt by Pydantic from JSON instead of parsing
  YAML. Invalid records are never cached, so their problems are always found afresh.
- The dataset: after a run that found no problem, the validated dataset is kept as a pickle under
  the run's key. Read-only commands (``qa expiring``, ``qa list`` …) then answer from it without
  reading, validating or cross-checking any record (``qa_cli.store.checked``).

The cache lives in ``$QA_CACHE_DIR``, else ``$XDG_CACHE_HOME/qa``, else ``~/.cache/qa``. Files are
replaced atomically and SQLite serialises writers, so concurrent runs are safe; anything corrupt
is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa_cli.store.dataset import Dataset

FORMAT = 1
RACY_SECONDS = 2.0
SNAPSHOT = "stand.pickle"


def cache_root() -> Path:
    explicit = os.environ.get("QA_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qa"


def _code_fingerprint() -> str:
    """Changes whenever qa's code changes (an edited checkout needs no version bump)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(str(FORMAT).encode())
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _snapshot_header(key: str) -> bytes:
    """What a snapshot must match besides the run key: the Python and Pydantic that pickled the
    models, and the working directory (record paths are shown relative to it)."""
    from pydantic.version import VERSION

    python = ".".join(map(str, sys.version_info[:3]))
    where = hashlib.sha256(os.fsencode(os.getcwd())).hexdigest()[:16]
    return f"qa-stand {FORMAT} {key} {python} {VERSION} {where}\n".encode()


def _private(stat: os.stat_result) -> bool:
    """Owned by the current user and writable by nobody else."""
    getuid = getattr(os, "getuid", None)
    return getuid is not None and stat.st_uid == getuid() and not stat.st_mode & 0o022


def tree_fingerprint(root: Path) -> tuple[str, float]:
    """A digest of every entry below ``root`` and the newest modification time seen."""
    digest = hashlib.sha256()
    newest = 0.0
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                stat = entry.stat(follow_symlinks=False)
                digest.update(
                    f"{entry.path}\0{stat.st_mode}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode(
                        "utf-8", "surrogateescape"
                    )
                )
                newest = max(newest, stat.st_mtime)
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
    return digest.hexdigest(), newest


def _clean_git_tree(data_dir: Path) -> str | None:
    """The git tree id of ``data_dir`` if it is committed and unchanged, else ``None``."""
    import subprocess

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(data_dir), *args], capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    status = git("status", "--porcelain", "--untracked-files=all", "--", ".")
    if status is None or status.strip():
        return None
    tree = git("rev-parse", "HEAD:./")
    return f"git:{tree.strip()}" if tree else None


class ValidationCache:
    def __init__(self, data_dir: Path) -> None:
        key = hashlib.sha256(
            str(data_dir.resolve()).encode("utf-8", "surrogateescape")
        ).hexdigest()[:20]
        self.folder = cache_root() / key
        self.data_dir = data_dir
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str, str, str]] = []

    # -- the run -------------------------------------------------------------------------
    def run_key(self) -> str | None:
        """The fingerprint of data and code, or ``None`` when the tree is too fresh to trust.

        In a clean git checkout the data's tree id (git blob ids all the way down) is the
        fingerprint: one ``git status`` answers from git's stat cache. Otherwise every entry's
        size, modification time and inode are hashed."""
        tree = _clean_git_tree(self.data_dir)
        if tree is None:
            tree, newest = tree_fingerprint(self.data_dir)
            if time.time() - newest < RACY_SECONDS:
                return None
        return hashlib.sha256(f"{tree}:{_code_fingerprint()}".encode()).hexdigest()

    def load_run(self, key: str) -> dict[str, Any] | None:
        try:
            stored = json.loads((self.folder / "lauf.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        result = stored.get("result")
        return result if isinstance(result, dict) else None

    def save_run(self, key: str, result: dict[str, Any]) -> None:
        self._write_atomically(
            self.folder / "lauf.json", json.dumps({"key": key, "result": result})
        )

    def _write_atomically(self, target: Path, content: str | bytes) -> None:
        """Write ``target`` whole or not at all; a cache that cannot be written is no error.
        The file is readable and writable by its owner only (``mkstemp``)."""
        temporary: str | None = None
        data = content.encode("utf-8") if isinstance(content, str) else content
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
        except (OSError, MemoryError):
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    # -- the dataset of the last clean run -------------------------------------------------
    def load_snapshot(self, key: str) -> Dataset | None:
        """The validated dataset of an earlier run with the same key, if one can be trusted.

        A pickle runs code while loading, so only a file that this user owns and nobody else
        may change, in a folder of the same kind, is read: the same trust as the user's own
        installation of qa. Anything else, and anything that fails to load, counts as absent."""
        path = self.folder / SNAPSHOT
        try:
            with open(path, "rb") as stream:
                if not (_private(os.fstat(stream.fileno())) and _private(self.folder.stat())):
                    return None
                if stream.readline() != _snapshot_header(key):
                    return None
                dataset = pickle.load(stream)
        except Exception:  # a corrupt or foreign snapshot can fail in any way: load afresh
            return None
        from qa_cli.store.dataset import Dataset

        return dataset if isinstance(dataset, Dataset) else None

    def save_snapshot(self, key: str, dataset: Dataset) -> None:
        try:
            body = pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return
        self._write_atomically(self.folder / SNAPSHOT, _snapshot_header(key) + body)

    # -- the records ---------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection | None:
        if self._db is not None:
            return self._db
        path = self.folder / "datensaetze.sqlite3"
        for attempt in range(2):
            try:
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=10)
                db.execute(
                    "CREATE TABLE IF NOT EXISTS records (kind TEXT, id TEXT, digest TEXT, "
                    "code TEXT, dump TEXT, PRIMARY KEY (kind, id, digest, code))"
                )
                self._db = db
                return db
            except sqlite3.DatabaseError:
                if attempt == 0:
                    path.unlink(missing_ok=True)  # corrupt: rebuild
            except OSError:
                return None
        return None

    def record_dump(self, kind: str, record_id: str, digest: str) -> str | None:
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT dump FROM records WHERE kind=? AND id=? AND digest=? AND code=?",
                (kind, record_id, digest, self._code()),
            ).fetchone()
        except sqlite3.DatabaseError:
            return None
        return row[0] if row else None

    def remember(self, kind: str, record_id: str, digest: str, dump: str) -> None:
        self._pending.append((kind, record_id, digest, dump))

    def flush(self) -> None:
        db = self._connection()
        if db is None or not self._pending:
            return
        code = self._code()
        try:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)",
                    [(k, i, d, code, dump) for k, i, d, dump in self._pending],
                )
        except sqlite3.DatabaseError:
            pass
        self._pending.clear()

    def _code(self) -> str:
        if not hasattr(self, "_code_value"):
            self._code_value = _code_fingerprint()
        return self._code_value


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
