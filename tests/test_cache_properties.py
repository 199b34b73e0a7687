"""Property: whatever happens to a data folder between runs, the cached answer of ``qa validate``
and ``qa expiring`` is the answer of a fresh read (``--no-cache``, or an empty cache).

Random sequences of edits, restores, renames, git-ignores, chmods, FIFOs, empty folders named
like records, same-size edits with the modification time put back, commits and
``assume-unchanged``, with and without git; qa runs as a subprocess after every step.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL_AREA, MINIMAL_OFFICE, run_qa
from tests.test_cache import git

FILES = ("anlaufstellen/a.yaml", "anlaufstellen/b.yaml", "gebiete/testgebiet.yaml")
ORIGINAL = {
    FILES[0]: MINIMAL_OFFICE,
    FILES[1]: MINIMAL_OFFICE.replace("Testbüro", "Zweitbüro"),
    FILES[2]: MINIMAL_AREA,
}
VARIANTS = (
    lambda text: text.replace("testgebiet", "nirgendwo"),  # a dangling reference
    lambda text: text.replace("Test", "Tost", 1),  # same size, still valid
    lambda text: text.replace("name:", "name: [", 1),  # a syntax error
    lambda text: text.replace("2020-12", "2030-06"),  # another answer for expiring
)

operations = st.one_of(
    st.tuples(st.just("edit"), st.sampled_from(FILES), st.integers(0, len(VARIANTS) - 1)),
    st.tuples(st.just("edit_keep_mtime"), st.sampled_from(FILES), st.integers(0, 3)),
    st.tuples(st.just("restore"), st.sampled_from(FILES), st.just(0)),
    st.tuples(st.just("rename"), st.sampled_from(FILES), st.just(0)),
    st.tuples(st.just("ignore"), st.sampled_from(FILES), st.just(0)),
    st.tuples(st.just("chmod"), st.sampled_from(FILES), st.sampled_from([0o000, 0o644])),
    st.tuples(st.just("fifo"), st.just("anlaufstellen/pipe.yaml"), st.just(0)),
    st.tuples(st.just("folder"), st.just("gebiete/ordner.yaml"), st.just(0)),
    st.tuples(st.just("commit"), st.just(""), st.just(0)),
    st.tuples(st.just("assume_unchanged"), st.sampled_from(FILES), st.just(0)),
)


def apply(repo: Path, with_git: bool, operation: tuple[str, str, int]) -> None:
    name, relative, argument = operation
    path = repo / "data" / relative
    if name in ("edit", "edit_keep_mtime") and path.is_file():
        before = path.stat()
        path.chmod(0o644)
        path.write_text(VARIANTS[argument](ORIGINAL[relative]), encoding="utf-8")
        if name == "edit_keep_mtime":
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    elif name == "restore":
        path.unlink(missing_ok=True)
        path.write_text(ORIGINAL[relative], encoding="utf-8")
    elif name == "rename" and path.is_file():
        path.rename(path.with_name("umbenannt-" + path.name))
    elif name == "ignore":
        with (repo / ".gitignore").open("a", encoding="utf-8") as ignore:
            ignore.write(f"data/{relative}\n")
    elif name == "chmod" and path.is_file():
        path.chmod(argument)
    elif name == "fifo" and not path.exists():
        os.mkfifo(path)
    elif name == "folder" and not path.exists():
        path.mkdir()
    elif name == "commit" and with_git:
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "Schritt", "--allow-empty")
    elif name == "assume_unchanged" and with_git and path.is_file():
        tracked = git(repo, "ls-files", "--", f"data/{relative}")
        if tracked:
            git(repo, "update-index", "--assume-unchanged", f"data/{relative}")


def validate(repo: Path, cache: Path, *extra: str) -> tuple[int, str]:
    done = run_qa("validate", "--data", "data", "--format", "json", *extra, cwd=repo,
                  env={"QA_CACHE_DIR": str(cache)})  # fmt: skip
    return done.code, done.out


def expiring(repo: Path, cache: Path) -> tuple[int, str]:
    done = run_qa("expiring", "--data", "data", "--before", "2021-01", "--format", "json",
                  cwd=repo, env={"QA_CACHE_DIR": str(cache)})  # fmt: skip
    return done.code, done.out + done.err


def cached_and_fresh(
    repo: Path, cache: Path, empty: Path
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Both commands with the cache of all earlier runs, and read afresh."""
    cached = [validate(repo, cache), expiring(repo, cache)]
    fresh = [validate(repo, cache, "--no-cache"), expiring(repo, empty)]
    shutil.rmtree(empty, ignore_errors=True)
    return cached, fresh


@settings(max_examples=5, deadline=None, derandomize=True)
@given(st.booleans(), st.lists(operations, min_size=1, max_size=4))
def test_cached_answers_equal_fresh_ones(with_git: bool, steps: list[tuple[str, str, int]]) -> None:
    work = Path(tempfile.mkdtemp(prefix="qa-eigenschaft-"))
    try:
        repo = work / "repo"
        for relative, text in ORIGINAL.items():
            (repo / "data" / relative).parent.mkdir(parents=True, exist_ok=True)
            (repo / "data" / relative).write_text(text, encoding="utf-8")
        if with_git:
            git(repo, "init", "-q")
            apply(repo, with_git, ("commit", "", 0))
        cache = work / "cache"
        cached_and_fresh(repo, cache, work / "leer")
        for step in steps:
            apply(repo, with_git, step)
            cached, fresh = cached_and_fresh(repo, cache, work / "leer")
            assert cached == fresh, (step, cached, fresh)
    finally:
        for path in work.rglob("*"):
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(work, ignore_errors=True)
