"""Reading records from git without parsing what did not change.

A revision's changed paths come from ``git diff-tree`` (or ``git diff`` against the working tree,
which uses git's own stat cache), so the work grows with the change, not with the repository.
Blob contents are read through one long-running ``git cat-file --batch`` process. Only regular
files (modes 100644/100755) are read: a symbolic link or submodule in history is reported, never
followed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REGULAR_MODES = frozenset({"100644", "100755"})
WORKTREE = None  # the "revision" of the working tree


class GitError(Exception):
    """A git problem, explained in German."""


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git ist nicht installiert oder nicht im PATH.") from None
    if done.returncode != 0:
        raise GitError(
            done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} schlug fehl"
        )
    return done.stdout


def repository_root(path: Path) -> Path:
    try:
        return Path(_git(path, "rev-parse", "--show-toplevel").decode().strip())
    except GitError:
        raise GitError(
            f"„{path}“ liegt in keinem Git-Repository; qa diff vergleicht Stände eines "
            "Git-Repositorys (git init oder git clone)."
        ) from None


def resolve(root: Path, revision: str) -> str:
    """The commit id of ``revision``; a German error if there is none."""
    try:
        return (
            _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
            .decode()
            .strip()
        )
    except GitError:
        raise GitError(f"Revision „{revision}“ gibt es in diesem Repository nicht.") from None


def merge_base(root: Path, first: str, second: str) -> str:
    try:
        return _git(root, "merge-base", first, second).decode().strip()
    except GitError:
        shallow = _git(root, "rev-parse", "--is-shallow-repository").decode().strip() == "true"
        hint = (
            " Der Klon ist flach; `git fetch --unshallow` holt die Geschichte." if shallow else ""
        )
        raise GitError(
            f"„{first}“ und „{second}“ haben keinen gemeinsamen Vorfahren.{hint}"
        ) from None


@dataclass(frozen=True, slots=True)
class ChangedPath:
    path: str  # relative to the repository root, with "/"
    old_mode: str | None
    new_mode: str | None


def _parse_raw_diff(output: bytes) -> Iterator[ChangedPath]:
    """``--raw -z`` output: ``:oldmode newmode oldoid newoid status\\0path\\0`` per change."""
    fields = output.split(b"\0")
    for header, path in zip(fields[0::2], fields[1::2], strict=False):
        if not header.startswith(b":"):
            continue
        old_mode, new_mode, *_ = header[1:].decode().split(" ")
        yield ChangedPath(
            path.decode("utf-8", "surrogateescape"),
            None if old_mode == "000000" else old_mode,
            None if new_mode == "000000" else new_mode,
        )


def changed_paths(root: Path, old: str, new: str | None, prefix: str) -> list[ChangedPath]:
    """Paths below ``prefix`` that differ between commit ``old`` and commit ``new`` (or the
    working tree, staged and unstaged, plus untracked files when ``new`` is ``None``)."""
    if new is not None:
        output = _git(
            root, "diff-tree", "-r", "-z", "--raw", "--no-renames", old, new, "--", prefix
        )
        return list(_parse_raw_diff(output))
    output = _git(root, "diff", "-z", "--raw", "--no-renames", old, "--", prefix)
    changes = list(_parse_raw_diff(output))
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", prefix)
    for name in untracked.split(b"\0"):
        if name:
            path = name.decode("utf-8", "surrogateescape")
            mode = "120000" if os.path.islink(root / path) else "100644"
            changes.append(ChangedPath(path, None, mode))
    return changes


def list_folder(root: Path, commit: str, folder: str) -> dict[str, str]:
    """Path → mode of every entry below ``folder`` in ``commit`` (one ``ls-tree`` call)."""
    output = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", folder)
    entries = {}
    for line in output.split(b"\0"):
        if line:
            meta, _, path = line.partition(b"\t")
            entries[path.decode("utf-8", "surrogateescape")] = meta.split(b" ")[0].decode()
    return entries


class BlobReader:
    """One ``git cat-file --batch`` process for every blob a diff reads."""

    def __init__(self, root: Path) -> None:
        self._process = subprocess.Popen(
            ["git", "-C", str(root), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def read(self, commit: str, path: str) -> bytes | None:
        """The file at ``path`` in ``commit``; ``None`` if it is not there."""
        return self.read_object(f"{commit}:{path}")

    def read_object(self, name: str) -> bytes | None:
        """The blob git names ``name`` (an id, ``REV:path`` or ``:path``); ``None`` if none."""
        assert self._process.stdin is not None and self._process.stdout is not None
        if "\n" in name:
            return None
        self._process.stdin.write(f"{name}\n".encode("utf-8", "surrogateescape"))
        self._process.stdin.flush()
        header = self._process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            return None
        content = self._process.stdout.read(int(header[2]))
        self._process.stdout.read(1)  # the newline after the content
        return content

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def install_textconv(root: Path, driver: str, command: str) -> None:
    """Write a textconv diff driver into the repository's own config (``.git/config``), with
    its cache switched on: git then converts each blob once instead of on every ``log -p``."""
    _git(root, "config", "--local", f"diff.{driver}.textconv", command)
    _git(root, "config", "--local", f"diff.{driver}.cachetextconv", "true")
