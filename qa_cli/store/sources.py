"""Where record files come from: the working tree, a git revision or git's index.

Every source answers the same three questions, so loading, validating and the index work on all
of them alike (``qa validate``, ``--staged``, ``--rev``):

- ``discover``: the record files, plus the problems of the folder structure itself (symbolic
  links, unknown folders, misnamed files, FIFOs);
- ``content_ids``: a content id for every file, in git's blob-id format, so that a git blob id
  and a hash qa computed itself are the same key;
- ``read``: the bytes of one file.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Protocol

from qa_cli.store.dataset import RecordFile
from qa_cli.store.gitrepo import (
    REGULAR_MODES,
    TRUST_NOTHING,
    BlobReader,
    GitError,
    Oversized,
    Pending,
    _git,
    _git_started,
    outputs,
    read_blobs,
    repository_root,
)
from qa_cli.store.kinds import KINDS, KINDS_BY_FOLDER, Kind, kind_of
from qa_cli.store.loader import read_raw
from qa_cli.store.paths import RECORD_SUFFIX, WRONG_SUFFIXES, display_path, shown_name
from qa_cli.store.problems import Problem
from qa_cli.store.yamlsafe import too_large


class RecordSource(Protocol):
    """One state of a data directory that records can be read from."""

    @property
    def root(self) -> Path:
        """The data directory this state is of (also for a state only git holds)."""
        ...

    def discover(self, problems: list[Problem], *, keyed: bool = False) -> list[RecordFile]:
        """The record files in name order; structural problems are appended to ``problems``.
        ``keyed``: ``content_ids`` follows, so a source may begin to find them now."""
        ...

    def content_ids(self, files: list[RecordFile]) -> dict[str, str]:
        """``relative`` → content id of every file (see ``blob_id``)."""
        ...

    def read(self, record_file: RecordFile) -> bytes | Problem:
        """The file's bytes, or the problem that kept them from being read."""
        ...

    def display_base(self) -> str:
        """What the shown paths of this source depend on besides the files themselves."""
        ...

    def content_id(self, raw: bytes) -> str:
        """The content id of bytes read from this source (as ``content_ids`` gives them)."""
        ...

    def prefetch(self, files: list[RecordFile]) -> None:
        """Ready the bytes of ``files`` for ``read`` (git: one batch instead of one round trip
        per file)."""
        ...


def blob_id(raw: bytes, algorithm: str = "sha1") -> str:
    """The id git gives a blob of ``raw`` (``git hash-object``): a hash qa computes for a file
    git does not vouch for is directly comparable with the ids in git's index."""
    digest = hashlib.new(algorithm, b"blob %d\0" % len(raw))
    digest.update(raw)
    return digest.hexdigest()


def unreadable_id(problem: Problem) -> str:
    """A content id for a file that cannot be read: changes with the reason."""
    return f"!{problem.code}:{problem.message}"


# -- the working tree --------------------------------------------------------------------------
@dataclass(slots=True)
class WorkingTree:
    """The files below ``root`` as they are now."""

    root: Path
    algorithm: str = "sha1"
    _asked: Callable[[], GitView | None] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def discover(self, problems: list[Problem], *, keyed: bool = False) -> list[RecordFile]:
        """``keyed``: git is asked what it vouches for (``ask_git_view``) before the folders are
        walked and answers meanwhile (at 100,000 files ``git status`` alone takes about 0.2 s;
        a warm run became about 0.1 s faster). Without ``keyed`` (``--no-cache``) git is not
        asked at all."""
        if keyed:
            self._asked = ask_git_view(self.root)
        return _discover(self.root, problems, "", [], str(self.root))

    def content_id(self, raw: bytes) -> str:
        return blob_id(raw, self.algorithm)

    def read(self, record_file: RecordFile) -> bytes | Problem:
        return read_raw(record_file.path, record_file.display)

    def prefetch(self, files: list[RecordFile]) -> None:
        """Nothing to ready: each file is read from disk when its turn comes."""

    def display_base(self) -> str:
        return display_path(self.root)

    def content_ids(self, files: list[RecordFile]) -> dict[str, str]:
        """Git's blob id for files git tracks and knows to be unchanged; a hash of the bytes for
        every other file (untracked, ignored, modified, ``assume-unchanged``, ``skip-worktree``,
        conflicted, or no git at all)."""
        asked, self._asked = self._asked, None
        view = asked() if asked is not None else git_view(self.root)
        self.algorithm = view.algorithm if view is not None else "sha1"
        clean = view.clean if view is not None else {}
        ids = {f.relative: clean.get(f.relative, "") for f in files}  # "": not vouched for
        for record_file in [f for f in files if not ids[f.relative]]:
            raw = self.read(record_file)
            hashed = unreadable_id(raw) if isinstance(raw, Problem) else self.content_id(raw)
            ids[record_file.relative] = hashed
        return ids


@dataclass(slots=True)
class GitView:
    """What git vouches for below a folder: ``relative`` → blob id of every tracked file whose
    working-tree content git has checked to equal its index entry."""

    algorithm: str
    clean: dict[str, str] = field(default_factory=dict)


def _git_output(root: Path, *args: str) -> bytes | None:
    """``git args`` from ``root`` through the one safe git call (``gitrepo._git``: nothing the
    repository configures runs, the index is never written); ``None`` if git fails."""
    try:
        return _git(root, *TRUST_NOTHING, *args)
    except GitError:
        return None


def git_view(root: Path) -> GitView | None:
    """Git's view of ``root``, or ``None`` outside a git work tree (then everything is hashed).

    ``git status`` refreshes the index from the working tree with git's stat and racy-file
    rules (ctime included, so a same-size edit with a restored mtime is seen) and names every
    tracked file that differs; ``git ls-files -v`` names the files git was told not to look at.
    What git vouches for holds from when it looked: a file edited after that is caught when it
    is read (its bytes have another content id, and the run stores nothing)."""
    return ask_git_view(root)()


GIT_VIEW_CALLS = (
    (*TRUST_NOTHING, "ls-files", "-s", "-v", "-z", "--", "."),
    (*TRUST_NOTHING, "rev-parse", "--is-inside-work-tree", "--show-prefix",
     "--show-object-format"),
    (*TRUST_NOTHING, "status", "--porcelain", "-z", "--untracked-files=no",
     "--ignore-submodules=all", "--", "."),
)  # fmt: skip
"""The calls of ``git_view``, the largest output first (``gitrepo.outputs``)."""


def ask_git_view(root: Path) -> Callable[[], GitView | None]:
    """``git_view``, begun now: the git calls run while the caller works on; the function
    returned waits for them and answers."""
    try:
        calls = [_git_started(root, *args) for args in GIT_VIEW_CALLS]
    except GitError:
        return lambda: None
    return lambda: _view_from(calls)


def _view_from(calls: list[Pending]) -> GitView | None:
    try:
        listing, header, status = outputs(calls)
    except GitError:
        return None
    inside, prefix, algorithm = [*header.decode("utf-8", "surrogateescape").split("\n"), "", ""][:3]
    if inside != "true":
        return None
    dirty = set(_status_paths(status, prefix))
    view = GitView(algorithm if algorithm in ("sha1", "sha256") else "sha1")
    entries = _TRACKED_CLEAN.findall(listing.decode("utf-8", "surrogateescape"))
    view.clean = {path: blob for blob, path in entries if path not in dirty}
    return view


_TRACKED_CLEAN = re.compile(
    r"(?:^|\x00)H (?:" + "|".join(sorted(REGULAR_MODES)) + r") ([0-9a-f]+) 0\t([^\x00]*)"
)
"""An entry of ``git ls-files -s -v -z`` that git looks at (tag ``H``: not ``assume-unchanged``,
lower case, nor ``skip-worktree``, ``S``), of a regular file, not in conflict (stage 0): its
blob id and path. Paths hold no NUL, so every match begins an entry. One pass in C instead of
a loop over 100,000 entries."""


def _status_paths(status: bytes, prefix: str) -> Iterator[str]:
    """Paths (relative to the data folder) named by ``git status --porcelain -z``; the entries
    are relative to the repository's top, a rename names both paths."""
    entries = iter(status.split(b"\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        paths = [entry[3:]]
        if entry[:1] in (b"R", b"C"):
            paths.append(next(entries, b""))
        for path in paths:
            text = path.decode("utf-8", "surrogateescape")
            yield text[len(prefix) :] if text.startswith(prefix) else text


def _entries(folder: Path, problems: list[Problem]) -> Iterator[os.DirEntry[str]]:
    """Visible entries of ``folder`` in name order; symbolic links are reported, not followed.
    A folder that vanishes or cannot be listed while it is read is reported, never a crash."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=attrgetter("name"))
    except OSError as exc:
        from qa_cli.german import os_error

        problems.append(
            _file_problem(folder, "keine-datei", f"Ordner nicht lesbar: {os_error(exc)}.")
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(
                _file_problem(Path(entry.path), "symlink", "Symbolischer Link wird nicht gelesen.")
            )
        else:
            yield entry


def _discover(
    folder: Path, problems: list[Problem], prefix: str, candidates: list[RecordFile], root: str
) -> list[RecordFile]:
    """Find record files; report symlinks, unknown folders and misnamed files. A kind's folder
    may be nested (``indikatoren/katalog``): the folders above it hold no records themselves."""
    for entry in _entries(folder, problems):
        relative = prefix + entry.name
        path = Path(entry.path)
        if entry.is_dir() and relative in KINDS_BY_FOLDER:
            kind = KINDS_BY_FOLDER[relative]
            _walk_kind(kind, path, relative + "/", candidates, problems, root)
        elif entry.is_dir() and any(kind.startswith(relative + "/") for kind in KINDS_BY_FOLDER):
            _discover(path, problems, relative + "/", candidates, root)
        elif _holds_records(path):
            problems.append(_unknown_folder(display_path(path), relative))
    return candidates


def _unknown_folder(shown: str, relative: str) -> Problem:
    return Problem(
        "unbekannter-ordner",
        f"„{shown_name(relative)}“ ist kein Ordner einer bekannten Datensatzart.",
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


def _holds_records(path: Path) -> bool:
    if path.is_file():
        return path.name.endswith((RECORD_SUFFIX, *WRONG_SUFFIXES))
    return path.is_dir() and any(
        name.endswith(RECORD_SUFFIX) for _, _, names in os.walk(path) for name in names
    )


def _walk_kind(
    kind: Kind,
    folder: Path,
    prefix: str,
    candidates: list[RecordFile],
    problems: list[Problem],
    root: str,
) -> None:
    """The records of ``kind`` below ``folder``. A regular file named ``*.yaml`` (nearly every
    entry) is taken with one test and its shown path made from its folder's: at 100,000 files
    each extra step per file adds about a hundredth of a second to every command."""
    shown_prefix = _shown_prefix(display_path(folder))
    for entry in _entries(folder, problems):
        name = entry.name
        if name.endswith(RECORD_SUFFIX) and entry.is_file(follow_symlinks=False):
            shown = shown_prefix + shown_name(name)
            candidates.append(
                RecordFile(kind, name[: -len(RECORD_SUFFIX)], root, shown, prefix + name)
            )
        elif entry.is_dir():
            if name.endswith(RECORD_SUFFIX):
                problems.append(
                    _file_problem(
                        Path(entry.path),
                        "keine-datei",
                        "Verzeichnis mit dem Namen eines Datensatzes.",
                    )
                )
            else:
                subfolder = Path(entry.path)
                _walk_kind(kind, subfolder, prefix + name + "/", candidates, problems, root)
        elif not entry.is_file(follow_symlinks=False):
            problems.append(
                _file_problem(
                    Path(entry.path),
                    "keine-datei",
                    "Keine gewöhnliche Datei (Pipe, Socket, Gerät).",
                )
            )
        elif name.lower().endswith((*WRONG_SUFFIXES, RECORD_SUFFIX)):
            problems.append(_wrong_suffix(display_path(Path(entry.path)), name))


def _wrong_suffix(shown: str, name: str) -> Problem:
    return Problem(
        "falsche-endung",
        f"„{shown_name(name)}“ wird nicht gelesen: Datensätze enden auf „.yaml“.",
        shown,
        hint="Die Datei umbenennen.",
    )


def _shown_prefix(shown_folder: str) -> str:
    """What goes before a file's name in its shown path, given its folder's ``display_path``:
    one ``relpath`` per folder instead of one per file (a tenth of the discovery time on 10,000
    records)."""
    if shown_folder == ".":
        return ""
    return shown_folder if shown_folder.endswith("/") else shown_folder + "/"


def _file_problem(path: Path, code: str, message: str) -> Problem:
    return Problem(code, message, display_path(path))


# -- git: a revision or the index --------------------------------------------------------------
@dataclass(slots=True)
class GitSource:
    """The data folder as stored in git: at ``revision`` (a commit id), or in the index when
    ``revision`` is ``None``. ``prefix`` is the data folder relative to the repository's top;
    ``label`` names the revision in shown paths (``v2020:data/x.yaml``; default: the id)."""

    repository: Path
    prefix: str
    revision: str | None
    label: str | None = None
    _ids: dict[str, str] = field(default_factory=dict)
    _ready: dict[str, bytes | Oversized] = field(default_factory=dict)
    _blobs: BlobReader | None = None
    _algorithm: str | None = None

    @property
    def root(self) -> Path:
        return self.repository / self.prefix

    def shown(self, relative: str) -> str:
        """``REV:data/x.yaml`` for a revision; for the index the path as in the working tree
        (``data/x.yaml`` from the repository's top), since that is the file being committed."""
        if self.revision is not None:
            return f"{self.label or self.revision}:{self.prefix}/{relative}"
        base = display_path(self.root)
        return shown_name(relative if base == "." else f"{base}/{relative}")

    def display_base(self) -> str:
        return self.shown("")

    def _in_repository(self, relative: str) -> str:
        return f"{self.prefix}/{relative}" if self.prefix else relative

    def _listing(self) -> Iterator[tuple[str, str, str]]:
        """``(relative, mode, blob id)`` of every entry below the data folder."""
        folder = self._in_repository("")
        if self.revision is None:
            output = _git_output(self.repository, "ls-files", "-s", "-z", "--", folder or ".")
        else:
            output = _git_output(self.repository, "ls-tree", "-r", "-z", "--full-tree",
                                 self.revision, "--", folder or ".")  # fmt: skip
        for line in (output or b"").split(b"\0"):
            meta, _, path = line.partition(b"\t")
            fields = meta.decode().split(" ")
            if len(fields) < 3:
                continue
            mode, object_id = (
                (fields[0], fields[1]) if self.revision is None else (fields[0], fields[2])
            )
            text = path.decode("utf-8", "surrogateescape")
            if text.startswith(folder):
                yield text[len(folder) :], mode, object_id

    def discover(self, problems: list[Problem], *, keyed: bool = False) -> list[RecordFile]:
        """The record files git holds, with the problems discovery on disk would report: a
        symbolic link or submodule, a folder of no kind (once per folder), a wrong suffix.
        Their content ids come with the listing, so ``keyed`` changes nothing."""
        candidates: list[RecordFile] = []
        entries: dict[str, tuple[str, str]] = {}
        root = str(self.root)
        for relative, mode, object_id in self._listing():
            entries.setdefault(relative, (mode, object_id))  # a conflict: its first stage
        for relative, (mode, object_id) in sorted(entries.items()):
            if relative.startswith(".") or "/." in relative:
                continue  # hidden, as on disk
            name = relative.rsplit("/", 1)[-1]
            kind = kind_of(relative)
            if mode not in REGULAR_MODES:
                problems.append(
                    Problem(
                        "symlink",
                        "Symbolischer Link oder Untermodul: nicht gelesen.",
                        self.shown(relative),
                    )
                )
            elif kind is None:
                if name.endswith((RECORD_SUFFIX, *WRONG_SUFFIXES)):
                    folder = _outside_kinds(relative)
                    unknown = _unknown_folder(self.shown(folder), folder)
                    if unknown not in problems:
                        problems.append(unknown)
            elif name.endswith(RECORD_SUFFIX):
                self._ids[relative] = object_id
                record_id = name[: -len(RECORD_SUFFIX)]
                shown = self.shown(relative)
                candidates.append(RecordFile(kind, record_id, root, shown, relative, self.read))
            elif name.lower().endswith((*WRONG_SUFFIXES, RECORD_SUFFIX)):
                problems.append(_wrong_suffix(self.shown(relative), name))
        return candidates

    def content_ids(self, files: list[RecordFile]) -> dict[str, str]:
        return {f.relative: self._ids[f.relative] for f in files}

    def content_id(self, raw: bytes) -> str:
        if self._algorithm is None:
            answer = _git_output(self.repository, "rev-parse", "--show-object-format")
            self._algorithm = "sha256" if answer and answer.strip() == b"sha256" else "sha1"
        return blob_id(raw, self._algorithm)

    def prefetch(self, files: list[RecordFile]) -> None:
        wanted = [self._ids[f.relative] for f in files if f.relative in self._ids]
        self._ready.update(read_blobs(self.repository, wanted))

    def read(self, record_file: RecordFile) -> bytes | Problem:
        object_id = self._ids.get(record_file.relative, "-")
        raw = self._ready.pop(object_id, None)  # held once: a later read asks git again
        if raw is None:
            if self._blobs is None:
                self._blobs = BlobReader(self.repository)
            raw = self._blobs.read_object(object_id)
        if raw is None:
            return Problem("keine-datei", "Die Datei fehlt in git.", record_file.display)
        return too_large(record_file.display) if isinstance(raw, Oversized) else raw


def index_source(root: Path) -> GitSource:
    """The data directory ``root`` as git's index holds it (``qa validate --staged``); raises
    ``GitError`` outside a repository."""
    return _git_source(root, None, None)


def revision_source(root: Path, commit: str, label: str | None = None) -> GitSource:
    """The data directory ``root`` as ``commit`` holds it (``--rev``, ``--stand``): read from
    git's object database, the working tree and the index untouched; raises ``GitError``
    outside a repository."""
    return _git_source(root, commit, label)


def _git_source(root: Path, commit: str | None, label: str | None) -> GitSource:
    repository = repository_root(root)
    prefix = root.resolve().relative_to(repository.resolve()).as_posix()
    return GitSource(repository, prefix, commit, label)
