"""The one way qa writes a file: whole or not at all, never through a link, never onto a device.

Every file qa produces (``-o`` of a command, ``qa schema -o``, the exports, ``qa new``) is
written to a temporary file in the target's folder, flushed to disk, and renamed over the
target in one step. So

- a failed write (full disk, quota, a signal) leaves the previous file as it was, never a
  truncated report or a corrupt XLSX;
- a symbolic link at the target is replaced by the new file, never followed: a link committed
  into a repository (``schemas/x.schema.json`` → ``~/.bashrc``) cannot make qa write elsewhere;
- a target that is no regular file (a directory, device, FIFO or socket) is refused before
  anything is written;
- every error of the operating system becomes a ``WriteError`` with a German message.

``-`` as the target means standard output.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

STDOUT = "-"


class WriteError(Exception):
    """A file could not be written; the message is German and names the file."""


def is_stdout(target: Path | None) -> bool:
    return target is None or str(target) == STDOUT


def _refuse_special(target: Path) -> os.stat_result | None:
    """The target's own status (of a link, not its destination); an error if it is there and
    neither a regular file nor a symbolic link."""
    try:
        status = target.lstat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _german(target, error) from None
    if stat.S_ISDIR(status.st_mode):
        raise WriteError(f"„{target}“ ist ein Verzeichnis; bitte einen Dateinamen angeben.")
    if not (stat.S_ISREG(status.st_mode) or stat.S_ISLNK(status.st_mode)):
        raise WriteError(
            f"„{target}“ ist keine gewöhnliche Datei (Gerät, Pipe oder Socket); qa schreibt "
            "nur gewöhnliche Dateien."
        )
    return status


def _mode_for(status: os.stat_result | None) -> int:
    """The permissions of the file being replaced; for a new file the usual ones (umask)."""
    if status is not None and stat.S_ISREG(status.st_mode):
        return stat.S_IMODE(status.st_mode)
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _german(target: Path, error: OSError) -> WriteError:
    from qa_cli.german import os_error

    return WriteError(f"„{target}“ lässt sich nicht schreiben: {os_error(error)}.")


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def temporary_beside(target: Path, *, exclusive: bool = False) -> Iterator[Path]:
    """A temporary file in the target's folder, put in the target's place when the block ends
    without an error (renamed over it; with ``exclusive`` only if nothing is there, not even a
    dangling link), removed otherwise. For writers that need a path (SQLite)."""
    status = _refuse_special(target)
    if exclusive and status is not None:
        raise WriteError(f"„{target}“ gibt es schon; qa überschreibt keine Datei.")
    folder = target.parent
    try:
        descriptor, name = tempfile.mkstemp(
            dir=folder, prefix=f".{target.name[:40]}.", suffix=".tmp"
        )
        os.close(descriptor)
    except OSError as error:
        raise _german(target, error) from None
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _mode_for(status))
        if exclusive:
            _place_exclusively(temporary, target)
        else:
            os.replace(temporary, target)
        _sync_folder(folder)
    except FileExistsError:
        raise WriteError(f"„{target}“ gibt es schon; qa überschreibt keine Datei.") from None
    except OSError as error:
        raise _german(target, error) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _place_exclusively(temporary: Path, target: Path) -> None:
    """``temporary`` as ``target`` only if nothing is there (not even a dangling link): a hard
    link fails if anything appeared meanwhile. A file system without hard links gets the
    content through ``O_EXCL`` instead, which refuses an existing name just as well."""
    try:
        os.link(temporary, target)
        return
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(target, flags, stat.S_IMODE(temporary.stat().st_mode))
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(temporary.read_bytes())
        stream.flush()
        os.fsync(stream.fileno())


@contextlib.contextmanager
def atomic_stream(target: Path, *, exclusive: bool = False) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces ``target`` as a whole when the block ends."""
    with temporary_beside(target, exclusive=exclusive) as temporary:
        try:
            with open(temporary, "wb") as stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as error:
            raise _german(target, error) from None


def write_bytes(target: Path | None, content: bytes, *, exclusive: bool = False) -> None:
    """``content`` into ``target`` (``None`` or ``-``: standard output)."""
    if is_stdout(target):
        _to_stdout(content)
        return
    assert target is not None
    with atomic_stream(target, exclusive=exclusive) as stream:
        stream.write(content)


def write_text(
    target: Path | None, text: str, *, encoding: str = "utf-8", exclusive: bool = False
) -> None:
    """``text`` into ``target`` as it is (no newline translation); ``-``: standard output."""
    if is_stdout(target):
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as error:
            raise _german(Path("Standardausgabe"), error) from None
        return
    write_bytes(target, text.encode(encoding), exclusive=exclusive)


def _to_stdout(content: bytes) -> None:
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    except OSError as error:
        raise _german(Path("Standardausgabe"), error) from None


def describe(target: Path | None) -> str:
    """How a written target is named in the confirmation on stderr."""
    return "Standardausgabe" if is_stdout(target) else str(target)
