"""Every git call of qa, run so that nothing a repository brings can execute or be written.

The data repository is not trusted (``docs/sicherheit.md``): a clone, a pull request branch or a
copied folder can carry a ``.git/config``, ``.gitattributes`` or a bare-repository skeleton that
makes an ordinary ``git`` call run a program. So every call goes through ``_git`` (or the blob
reader's long-running processes, built by the same ``_command``), which

- fixes the repository itself: ``--git-dir``/``--work-tree`` of the nearest folder that holds
  ``.git``, found by qa, never git's discovery (which would take a bare skeleton inside ``data/``
  for a repository); ``safe.bareRepository=explicit`` covers anything git might still discover;
- switches off what a repository can configure to run: fsmonitor, hooks, the untracked cache,
  clean/smudge/process filters of every driver the configuration names, the pager; diff commands
  also get ``--no-textconv --no-ext-diff --ignore-submodules=all`` (git would run ``git status``
  inside a submodule, under the submodule's own configuration);
- never writes: only plumbing commands that do not refresh the index, ``GIT_OPTIONAL_LOCKS=0``,
  so a concurrent ``git add`` never finds the index locked;
- starts from a clean environment: every ``GIT_*`` variable of the caller is dropped; qa sets
  its own (the configuration above, and ``GIT_INDEX_FILE`` made absolute, so that a pre-commit
  hook's temporary index is still the one that is read);
- reads names as bytes (``-z``, so ``core.quotepath`` does not matter): a name that is not UTF-8
  keeps its bytes as surrogate escapes, a name with a newline is read like any other.

A revision's changed paths come from ``git diff-tree`` (or ``git diff-index`` against the working
tree), so the work grows with the change, not with the repository. Blob contents are read through
one long-running ``git cat-file --batch`` process, after ``--batch-check`` told their size: a blob
above the size limit of a record is never read. Only regular files (modes 100644/100755) are
read: a symbolic link or submodule in history is reported, never followed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

REGULAR_MODES = frozenset({"100644", "100755"})
WORKTREE = None  # the "revision" of the working tree
TIMEOUT_SECONDS = 120

# What a repository's configuration could make git run or write, switched off for every call.
SAFE_CONFIG: tuple[tuple[str, str], ...] = (
    ("safe.bareRepository", "explicit"),
    ("core.fsmonitor", "false"),
    ("core.hooksPath", os.devnull),
    ("core.untrackedCache", "false"),
    ("core.pager", "cat"),
    ("core.quotePath", "true"),  # irrelevant with -z; fixed so output never depends on it
    ("diff.ignoreSubmodules", "all"),  # a submodule's own config would not get these settings
    ("submodule.recurse", "false"),
    ("protocol.allow", "never"),  # no remote is ever contacted (no lazy fetch of a partial clone)
)
FILTER_SETTINGS = ("clean", "smudge", "process")


# Settings a repository may carry that make git skip looking at a file's content or stat data.
TRUST_NOTHING = (
    "-c", "core.trustctime=true", "-c", "core.checkStat=default", "-c", "core.ignoreStat=false",
    "-c", "core.fsmonitor=false", "-c", "core.splitIndex=false",
)  # fmt: skip


class GitError(Exception):
    """A git problem, explained in German."""


@dataclass(frozen=True, slots=True)
class Repository:
    """A repository as qa found it: its git directory (or ``.git`` file) and its working tree."""

    git_dir: Path
    work_tree: Path


def find_repository(path: Path) -> Repository | None:
    """The nearest folder at or above ``path`` that holds ``.git`` (a directory, or the file of
    a linked worktree or submodule). A bare repository is never taken for one: a committed
    skeleton of ``HEAD``, ``config`` and ``objects/`` inside the data is just files."""
    start = path.absolute()
    for folder in (start, *start.parents):
        candidate = folder / ".git"
        if candidate.is_dir() or candidate.is_file():
            return Repository(candidate, folder)
    return None


@functools.lru_cache(maxsize=8)
def _repository(root: Path) -> Repository:
    found = find_repository(root)
    if found is None:
        raise GitError(f"„{root}“ liegt in keinem Git-Repository.")
    return found


def _base_environment() -> dict[str, str]:
    """The caller's environment without any ``GIT_*`` variable, plus what qa itself sets."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    environment.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", GIT_NO_REPLACE_OBJECTS="1")
    index = os.environ.get("GIT_INDEX_FILE")
    if index:
        environment["GIT_INDEX_FILE"] = os.path.abspath(index)
    return environment


def _with_config(environment: dict[str, str], settings: list[tuple[str, str]]) -> dict[str, str]:
    """``settings`` as command-line configuration (``GIT_CONFIG_COUNT``): it wins over every file,
    and keys and values need no quoting, whatever a filter driver is called."""
    configured = dict(environment, GIT_CONFIG_COUNT=str(len(settings)))
    for number, (key, value) in enumerate(settings):
        configured[f"GIT_CONFIG_KEY_{number}"] = key
        configured[f"GIT_CONFIG_VALUE_{number}"] = value
    return configured


def _argv(repository: Repository, args: tuple[str, ...]) -> list[str]:
    return [
        "git",
        "--no-pager",
        f"--git-dir={repository.git_dir}",
        f"--work-tree={repository.work_tree}",
        *args,
    ]


def _popen(
    argv: list[str], environment: dict[str, str], cwd: Path, *, batch: bool
) -> subprocess.Popen[bytes]:
    """A git process with its output piped. ``batch``: a ``cat-file --batch`` reader that is
    asked on its input, line by line, and whose errors are not read; otherwise its input is
    empty and its errors are kept for the message."""
    return subprocess.Popen(
        argv,
        cwd=cwd,
        env=environment,
        stdin=subprocess.PIPE if batch else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if batch else subprocess.PIPE,
    )


class Pending:
    """A git call that is already running: ``output`` waits for it. qa starts the calls it
    needs together (``git status`` and ``git ls-files``, or the report's data state while the
    records are read), so on 100,000 files they cost the time of the slowest, not the sum."""

    def __init__(self, argv: list[str], environment: dict[str, str], cwd: Path) -> None:
        self._name = argv[4]
        self._error: GitError | None = None
        self._process: subprocess.Popen[bytes] | None = None
        try:
            self._process = _popen(argv, environment, cwd, batch=False)
        except FileNotFoundError:
            self._error = GitError("git ist nicht installiert oder nicht im PATH.")
        except (OSError, subprocess.SubprocessError) as error:
            self._error = self._failed(error)

    def _failed(self, error: Exception) -> GitError:
        return GitError(f"git {self._name} ließ sich nicht ausführen ({error}).")

    def output(self) -> bytes:
        """The call's output, or a ``GitError`` (git missing, failed or timed out)."""
        if self._process is None:
            assert self._error is not None
            raise self._error
        try:
            stdout, stderr = self._process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as error:
            self._process.kill()
            self._process.communicate()
            raise self._failed(error) from None
        if self._process.returncode != 0:
            message = stderr.decode("utf-8", "replace").strip()
            raise GitError(
                message or f"git {self._name} schlug fehl (Exit-Code {self._process.returncode})."
            )
        return stdout


def _run(argv: list[str], environment: dict[str, str], cwd: Path) -> bytes:
    return Pending(argv, environment, cwd).output()


@functools.lru_cache(maxsize=8)
def _environment(repository: Repository) -> dict[str, str]:
    """The environment of every git call in ``repository``: ``SAFE_CONFIG`` plus an empty
    command for each filter driver its configuration (with includes) names. Found by one
    ``git config --list``, which only reads configuration files."""
    base = _with_config(_base_environment(), list(SAFE_CONFIG))
    listing = _run(_argv(repository, ("config", "--null", "--list")), base, repository.work_tree)
    drivers = set()
    for entry in listing.split(b"\0"):
        key = entry.partition(b"\n")[0].decode("utf-8", "surrogateescape")
        section, _, rest = key.partition(".")
        if section.lower() == "filter" and "." in rest:
            drivers.add(rest.rsplit(".", 1)[0])
    settings = list(SAFE_CONFIG)
    for driver in sorted(drivers):
        settings += [(f"filter.{driver}.{name}", "") for name in FILTER_SETTINGS]
        settings.append((f"filter.{driver}.required", "false"))
    return _with_config(_base_environment(), settings)


def _command(root: Path, *args: str) -> tuple[list[str], dict[str, str], Path]:
    """Argument vector, environment and working directory of a safe git call in the repository
    that holds ``root``, run from ``root`` (as ``git -C root`` would: relative paths and
    ``--show-prefix`` are relative to it)."""
    repository = _repository(root)
    cwd = root if root.is_dir() else repository.work_tree
    return _argv(repository, args), _environment(repository), cwd


def _git(root: Path, *args: str) -> bytes:
    """Run ``git args`` from ``root`` in the repository that holds it (like ``git -C root``,
    but safe: see the module); its output, or a ``GitError``. ``args`` may start with global
    options (``-c key=value``)."""
    return _run(*_command(root, *args))


def _git_started(root: Path, *args: str) -> Pending:
    """``_git``, started now and waited for when its ``output`` is asked for; a ``GitError`` of
    finding the repository is raised at once."""
    return Pending(*_command(root, *args))


def outputs(calls: list[Pending]) -> list[bytes]:
    """The outputs of several ``_git_started`` calls that run at the same time, in order; each
    is waited for (none is left running) before the first ``GitError`` is raised. Start the
    call with the largest output first: a call waits on a full pipe until its output is
    read."""
    found: list[bytes | GitError] = []
    for call in calls:
        try:
            found.append(call.output())
        except GitError as error:
            found.append(error)
    for output in found:
        if isinstance(output, GitError):
            raise output
    return [output for output in found if isinstance(output, bytes)]


def repository_root(path: Path) -> Path:
    found = find_repository(path)
    if found is None:
        raise GitError(
            f"„{path}“ liegt in keinem Git-Repository; qa diff vergleicht Stände eines "
            "Git-Repositorys (git init oder git clone)."
        )
    return found.work_tree


def resolve(root: Path, revision: str) -> str:
    """The commit id of ``revision``; a German error if there is none."""
    if revision.startswith("-"):
        raise GitError(f"Revision „{revision}“ gibt es in diesem Repository nicht.")
    try:
        return (
            _git(
                root,
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                f"{revision}^{{commit}}",
            )
            .decode()
            .strip()
        )
    except GitError:
        raise GitError(f"Revision „{revision}“ gibt es in diesem Repository nicht.") from None


def first_parent_history(root: Path, start: str = "HEAD") -> Iterator[tuple[str, datetime]]:
    """Commit id and committer date of ``start`` and its first parents, newest first: the
    history of the current branch as its merges made it."""
    output = _git(
        root, "rev-list", "--first-parent", "--no-commit-header", "--format=%H %cI",
        "--end-of-options", start, "--",
    )  # fmt: skip
    for line in output.decode().splitlines():
        commit, _, date = line.partition(" ")
        if date:
            yield commit, datetime.fromisoformat(date)


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
    """A path a diff names, with its modes and the object ids git gave for it (``None``: none,
    e.g. the working tree's side): a side read by its id needs no walk through its folder's
    tree, which on 100,000 records is most of a diff's time."""

    path: str  # relative to the repository root, with "/"; undecodable bytes as surrogates
    old_mode: str | None
    new_mode: str | None
    old_id: str | None = None
    new_id: str | None = None


def decode_name(name: bytes) -> str:
    """A name from git as ``str``: bytes that are not UTF-8 survive as surrogate escapes (and
    are made printable wherever the name is shown)."""
    return name.decode("utf-8", "surrogateescape")


def _parse_raw_diff(output: bytes) -> Iterator[tuple[ChangedPath, str, str]]:
    """``--raw -z`` output: ``:oldmode newmode oldoid newoid status\\0path\\0`` per change;
    each change with its old and new object id."""
    fields = output.split(b"\0")
    for header, path in zip(fields[0::2], fields[1::2], strict=False):
        if not header.startswith(b":"):
            continue
        old_mode, new_mode, old_id, new_id, *_ = header[1:].decode().split(" ")
        change = ChangedPath(
            decode_name(path),
            None if old_mode == "000000" else old_mode,
            None if new_mode == "000000" else new_mode,
            old_id if old_id.strip("0") else None,
            new_id if new_id.strip("0") else None,
        )
        yield change, old_id, new_id


def _unchanged_on_disk(root: Path, change: ChangedPath, old_id: str, new_id: str) -> bool:
    """Whether a file ``diff-index`` reports only because its stat data is stale (it does not
    refresh the index, which would write it) holds the very blob it had: git's id of its bytes.
    Files are read as they are, without filters (a repository's filter never runs)."""
    if new_id.strip("0") or change.old_mode != change.new_mode or change.new_mode is None:
        return False
    if change.new_mode not in REGULAR_MODES:
        return False
    from qa_cli.store.yamlsafe import MAX_FILE_BYTES

    digest = {40: hashlib.sha1, 64: hashlib.sha256}.get(len(old_id))
    path = root / change.path
    try:
        if digest is None or path.lstat().st_size > MAX_FILE_BYTES:
            return False  # too large for a record: reported as such, whatever it holds
        content = path.read_bytes()
    except OSError:
        return False
    return digest(b"blob %d\0" % len(content) + content).hexdigest() == old_id


DIFF_OPTIONS = (
    "-r",
    "-z",
    "--raw",
    "--no-renames",
    "--no-textconv",
    "--no-ext-diff",
    "--ignore-submodules=all",  # never run git status inside a submodule
)


def changed_paths(root: Path, old: str, new: str | None, prefix: str) -> list[ChangedPath]:
    """Paths below ``prefix`` that differ between commit ``old`` and commit ``new`` (or the
    working tree, staged and unstaged, plus untracked files when ``new`` is ``None``)."""
    if new is not None:
        output = _git(root, "diff-tree", *DIFF_OPTIONS, old, new, "--", prefix)
        return [change for change, _, _ in _parse_raw_diff(output)]
    output = _git(root, "diff-index", *DIFF_OPTIONS, old, "--", prefix)
    changes = [
        change
        for change, old_id, new_id in _parse_raw_diff(output)
        if not _unchanged_on_disk(root, change, old_id, new_id)
    ]
    # ignored files too: qa validate reads them, so .gitignore must not hide one from a diff
    untracked = _git(root, "ls-files", "-z", "--others", "--", prefix)
    for name in untracked.split(b"\0"):
        if name:
            path = decode_name(name)
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
            entries[decode_name(path)] = meta.split(b" ")[0].decode()
    return entries


@dataclass(frozen=True, slots=True)
class Oversized:
    """A blob larger than a record may be, left unread."""

    size: int


class BlobReader:
    """One ``git cat-file --batch-check`` and one ``--batch`` process for every blob a diff reads:
    the size is asked first, so a blob above ``limit`` bytes is never sent through the pipe."""

    def __init__(self, root: Path, limit: int | None = None) -> None:
        from qa_cli.store.yamlsafe import MAX_FILE_BYTES

        self._root = root
        self._limit = MAX_FILE_BYTES if limit is None else limit
        self._check = self._start(root, "--batch-check")
        self._content = self._start(root, "--batch")

    @staticmethod
    def _start(root: Path, mode: str) -> subprocess.Popen[bytes]:
        argv, environment, cwd = _command(root, "cat-file", mode)
        try:
            return _popen(argv, environment, cwd, batch=True)
        except OSError as error:
            raise GitError(f"git cat-file ließ sich nicht starten ({error}).") from None

    @staticmethod
    def _ask(process: subprocess.Popen[bytes], name: str) -> list[bytes]:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        process.stdin.flush()
        return process.stdout.readline().split()

    def read(self, commit: str, path: str) -> bytes | Oversized | None:
        """The file at ``path`` in ``commit`` (or ``:0`` for the index); see ``read_object``."""
        return self.read_object(f"{commit}:{path}")

    def read_object(self, name: str) -> bytes | Oversized | None:
        """The blob git names ``name`` (an id, ``REV:path`` or ``:path``); ``None`` if there is
        none; ``Oversized`` if it is larger than a record may be (then it is not read)."""
        if "\n" in name:  # the batch protocol is line-based: ask for this one on its own
            return self._read_alone(name)
        header = self._ask(self._check, name)
        if len(header) != 3 or header[1] != b"blob":
            return None
        if int(header[2]) > self._limit:
            return Oversized(int(header[2]))
        header = self._ask(self._content, name)
        if len(header) != 3 or header[1] != b"blob":
            return None
        assert self._content.stdout is not None
        content = self._content.stdout.read(int(header[2]))
        self._content.stdout.read(1)  # the newline after the content
        return content

    def _read_alone(self, name: str) -> bytes | Oversized | None:
        try:
            size = int(_git(self._root, "cat-file", "-s", name))
            if size > self._limit:
                return Oversized(size)
            return _git(self._root, "cat-file", "blob", name)
        except (GitError, ValueError):
            return None

    def close(self) -> None:
        for process in (self._check, self._content):
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout=30)

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_blobs(
    root: Path, ids: list[str], limit: int | None = None
) -> dict[str, bytes | Oversized]:
    """Every blob of ``ids`` (object ids) in two passes through git's object database, each one
    ``cat-file`` process fed all names at once: the sizes first, so a blob above ``limit`` bytes
    is never sent through the pipe, then the contents. An id git does not have is left out."""
    from qa_cli.store.yamlsafe import MAX_FILE_BYTES

    limit = MAX_FILE_BYTES if limit is None else limit
    wanted = sorted({name for name in ids if name and "\n" not in name})
    found: dict[str, bytes | Oversized] = {}
    readable = []
    for name, answer in zip(wanted, _batch(root, "--batch-check", wanted), strict=True):
        if answer is not None and answer[0] > limit:
            found[name] = Oversized(answer[0])
        elif answer is not None:
            readable.append(name)
    for name, answer in zip(readable, _batch(root, "--batch", readable), strict=True):
        if answer is not None:
            found[name] = answer[1]
    return found


def _batch(root: Path, mode: str, names: list[str]) -> list[tuple[int, bytes] | None]:
    """One ``git cat-file MODE --buffer`` for all ``names``: per name its size and, with
    ``--batch``, its content (else ``b""``); ``None`` if it is no blob. The names are written
    from a thread while the answers are read, so neither pipe can fill up and block."""
    import threading

    if not names:
        return []
    argv, environment, cwd = _command(root, "cat-file", mode, "--buffer")
    try:
        process = subprocess.Popen(
            argv, cwd=cwd, env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
    except OSError as error:
        raise GitError(f"git cat-file ließ sich nicht starten ({error}).") from None
    assert process.stdin is not None and process.stdout is not None
    stdin, stdout = process.stdin, process.stdout

    def feed() -> None:
        try:
            stdin.write("".join(f"{name}\n" for name in names).encode())
        except OSError:
            pass  # git ended early: the answers read so far say why
        finally:
            stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    answers = [_answer(stdout, mode == "--batch") for _ in names]
    writer.join()
    stdout.close()
    process.wait(timeout=TIMEOUT_SECONDS)
    return answers


def _answer(stdout: IO[bytes], with_content: bool) -> tuple[int, bytes] | None:
    """One answer of ``cat-file --batch(-check)``: ``<id> <type> <size>`` (then, with content,
    the bytes and a newline) or ``<name> missing``; nothing at all once git has ended."""
    header = stdout.readline().split()
    if len(header) != 3:
        return None
    size = int(header[2])
    content = stdout.read(size + 1)[:-1] if with_content else b""
    return (size, content) if header[1] == b"blob" else None


def install_textconv(root: Path, driver: str, command: str) -> None:
    """Write a textconv diff driver into the repository's own config (``.git/config``), with
    its cache switched on: git then converts each blob once instead of on every ``log -p``."""
    _git(root, "config", "--local", f"diff.{driver}.textconv", command)
    _git(root, "config", "--local", f"diff.{driver}.cachetextconv", "true")


@dataclass(frozen=True, slots=True)
class LoggedChange:
    """One path a commit changed: ``old_path`` differs from ``path`` for a rename (git's
    detection, ``R`` with its similarity), is ``None`` for an added file."""

    status: str  # A, M, D, R, T (git's letter, similarity dropped)
    old_path: str | None
    path: str
    old_mode: str | None
    new_mode: str | None


@dataclass(frozen=True, slots=True)
class LoggedCommit:
    commit: str
    parent: str | None  # the first parent: what the changes are relative to
    author: str
    email: str
    author_date: str  # ISO 8601 with the author's offset
    commit_date: str
    message: str
    changes: tuple[LoggedChange, ...]


LOG_FORMAT = "%x1e%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%B"
LOG_OPTIONS = (
    "-z",
    "--raw",
    "--no-abbrev",
    "--find-renames",
    "--diff-merges=off",  # a merge repeats its branch's changes: they are shown where made
    "--no-show-signature",  # log.showSignature would run gpg
    "--no-color",
    "--encoding=UTF-8",
    "--no-textconv",
    "--no-ext-diff",
    "--ignore-submodules=all",
    f"--format={LOG_FORMAT}",
)


def log(root: Path, revision: str, prefix: str) -> list[LoggedCommit]:
    """Every commit reachable from ``revision`` that changed a path below ``prefix``, newest
    first, with its changed paths and git's rename detection: one ``git log`` call."""
    output = _git(root, "log", *LOG_OPTIONS, revision, "--", prefix)
    return list(_parse_log(output.split(b"\0")))


def _parse_log(tokens: list[bytes]) -> Iterator[LoggedCommit]:
    """Read the ``-z`` log token by token: every field is NUL-terminated and none can hold a
    NUL (not even a message), so a message that looks like a change or a commit header is
    still read as the message it is."""
    position = 0
    while position + 7 <= len(tokens):
        head = tokens[position].lstrip(b"\n")
        if not head.startswith(b"\x1e"):
            position += 1
            continue
        commit, parents, author, email, authored, committed, message = [
            head[1:],
            *tokens[position + 1 : position + 7],
        ]
        position += 7
        changes = []
        while position < len(tokens) and tokens[position].lstrip(b"\n").startswith(b":"):
            header = tokens[position].lstrip(b"\n")[1:].decode().split(" ")
            status = header[4][:1]
            paths = 2 if status in ("R", "C") else 1
            names = [decode_name(t) for t in tokens[position + 1 : position + 1 + paths]]
            position += 1 + paths
            old_mode, new_mode = (None if m == "000000" else m for m in header[:2])
            old_path = names[0] if status != "A" else None
            changes.append(LoggedChange(status, old_path, names[-1], old_mode, new_mode))
        text = [field.decode("utf-8", "replace") for field in (author, email, authored)]
        yield LoggedCommit(
            commit.decode(),
            parents.decode().split(" ")[0] or None,
            text[0],
            text[1],
            text[2],
            committed.decode(),
            message.decode("utf-8", "replace").strip(),
            tuple(changes),
        )
