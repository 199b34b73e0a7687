"""Repository-level cases: what a hostile clone, pull request branch or copied folder brings
around the record files (``docs/sicherheit.md``).

Each case plants one thing into a real git repository holding a copy of the shipped data and
names a git command that the plant makes run a program (its positive control: the plant really
works against plain git). The test then runs every qa command that touches git and expects
exactly one thing: the program never ran (its marker file does not exist).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import SHIPPED_DATA
from tests.test_diff import GIT_ENV

OFFICE = "data/anlaufstellen/stadtteilbuero-batenbrock.yaml"
OFFICE_ID = "stadtteilbuero-batenbrock"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Plain git, as the attacker expects the victim to run it (with the caller's config)."""
    return subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=check,
    )


def make_repository(root: Path) -> Path:
    """A repository with two commits of the shipped data (the second changes one office), so
    that ``qa diff`` has something to read on every path."""
    repo = root / "repo"
    shutil.copytree(SHIPPED_DATA, repo / "data")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Stand")
    office = repo / OFFICE
    office.write_text(office.read_text(encoding="utf-8") + "notiz: geändert\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Änderung")
    return repo


def evil_script(root: Path, marker: Path) -> Path:
    """A program that leaves ``marker`` behind and passes its input through (a filter that
    produces nothing would make git fail before the marker matters)."""
    script = root / "boese.sh"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def _config(repo: Path, *pairs: tuple[str, str]) -> None:
    for key, value in pairs:
        git(repo, "config", key, value)


def _attributes(repo: Path, line: str) -> None:
    """Commit a ``.gitattributes`` of one line (as a pull request would bring it)."""
    (repo / ".gitattributes").write_text(line + "\n", encoding="utf-8")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "Attribute")


def bare_skeleton_in_data(repo: Path, script: Path) -> None:
    """A committed bare-repository skeleton in ``data/`` whose config names an fsmonitor."""
    data = repo / "data"
    (data / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (data / "config").write_text(
        f"[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = ..\n"
        f"\tfsmonitor = {script}\n",
        encoding="utf-8",
    )
    for folder in ("objects", "refs"):
        (data / folder).mkdir()
        (data / folder / "LIESMICH").write_text("x\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Skelett")


def fsmonitor_in_config(repo: Path, script: Path) -> None:
    _config(repo, ("core.fsmonitor", str(script)))


def clean_filter(repo: Path, script: Path) -> None:
    """A clean/smudge/process filter for every YAML file; ``required`` so git would fail loudly
    if it merely skipped it."""
    _attributes(repo, "*.yaml filter=boese")
    _config(
        repo,
        ("filter.boese.clean", str(script)),
        ("filter.boese.smudge", str(script)),
        ("filter.boese.required", "true"),
    )


def process_filter(repo: Path, script: Path) -> None:
    _attributes(repo, "*.yaml filter=lange.laufend")
    _config(repo, ("filter.lange.laufend.process", str(script)))


def hooks(repo: Path, script: Path) -> None:
    """Every hook a read could trigger, in ``.git/hooks`` and in a committed ``core.hooksPath``."""
    committed = repo / "haken"
    committed.mkdir()
    for folder in (repo / ".git" / "hooks", committed):
        for name in ("post-index-change", "reference-transaction", "post-checkout", "pre-commit"):
            target = folder / name
            shutil.copy(script, target)
            target.chmod(target.stat().st_mode | stat.S_IXUSR)
    git(repo, "add", "haken")
    git(repo, "commit", "-q", "-m", "Haken")


def hooks_path_in_repository(repo: Path, script: Path) -> None:
    hooks(repo, script)
    _config(repo, ("core.hooksPath", "haken"))


def textconv_and_external_diff(repo: Path, script: Path) -> None:
    _attributes(repo, "*.yaml diff=boese")
    _config(
        repo,
        ("diff.boese.textconv", str(script)),
        ("diff.boese.command", str(script)),
        ("diff.external", str(script)),
    )


def included_config(repo: Path, script: Path) -> None:
    """The fsmonitor and a filter hidden in a file that ``.git/config`` includes."""
    included = repo / "anderswo.cfg"
    included.write_text(
        f'[core]\n\tfsmonitor = {script}\n[filter "boese"]\n\tclean = {script}\n',
        encoding="utf-8",
    )
    _attributes(repo, "*.yaml filter=boese")
    _config(repo, ("include.path", str(included)))


def submodule_with_fsmonitor(repo: Path, script: Path) -> None:
    """A repository nested under ``data/`` (committed as a submodule) whose own config names an
    fsmonitor: git checks a submodule by running ``git status`` inside it."""
    nested = repo / "data" / "extern"
    nested.mkdir()
    (nested / "LIESMICH").write_text("x\n", encoding="utf-8")
    git(nested, "init", "-q", "-b", "main")
    git(nested, "add", "-A")
    git(nested, "commit", "-q", "-m", "innen")
    git(repo, "add", "data/extern")
    git(repo, "commit", "-q", "-m", "Untermodul")
    _config(nested, ("core.fsmonitor", str(script)))


Plant = Callable[[Path, Path], None]


@dataclass(frozen=True, slots=True)
class RepositoryCase:
    """One plant; ``control`` is a plain git command that runs the planted program (run in
    ``control_cwd`` below the repository), proving the plant works."""

    name: str
    plant: Plant
    control: tuple[str, ...]
    control_cwd: str = "."
    touch_first: bool = False  # make the index's stat data stale first (so git refreshes it)


REPOSITORY_CASES: tuple[RepositoryCase, ...] = (
    RepositoryCase("bare-skelett-in-data", bare_skeleton_in_data, ("status",), "data", True),
    RepositoryCase("fsmonitor-in-git-config", fsmonitor_in_config, ("status",)),
    RepositoryCase("clean-filter-gitattributes", clean_filter, ("status",), touch_first=True),
    RepositoryCase("process-filter", process_filter, ("status",), touch_first=True),
    RepositoryCase("hooks-post-index-change", hooks, ("status",), touch_first=True),
    RepositoryCase(
        "hookspath-im-repository", hooks_path_in_repository, ("status",), touch_first=True
    ),
    RepositoryCase("textconv-externes-diff", textconv_and_external_diff, ("diff", "HEAD~1")),
    RepositoryCase("include-path", included_config, ("status",), touch_first=True),
    RepositoryCase("untermodul-fsmonitor", submodule_with_fsmonitor, ("status",)),
)

# Every qa command that reads through git (the validation cache's tree id, qa diff, --rev and
# --stand), and the
# pre-commit path: qa validate in the environment git gives a hook.
HOOK_ENVIRONMENT = {"GIT_DIR": ".git", "GIT_INDEX_FILE": ".git/index", "GIT_PREFIX": ""}
COMMANDS: tuple[tuple[str, tuple[str, ...], dict[str, str]], ...] = (
    ("validate", ("validate",), {}),
    ("list", ("list",), {}),
    ("expiring", ("expiring", "--before", "2020-12"), {}),
    ("show", ("show", OFFICE_ID), {}),
    ("export", ("export", "json"), {}),
    ("report", ("report", "anlaufstellen", "--format", "md"), {}),
    ("diff-arbeitsverzeichnis", ("diff",), {}),
    ("diff-commits", ("diff", "HEAD~1..HEAD", "--format", "json"), {}),
    ("validate-rev", ("validate", "--rev", "HEAD~1"), {}),
    ("report-rev", ("report", "entscheidung", "--rev", "HEAD~1", "--format", "md"), {}),
    ("expiring-stand", ("expiring", "--before", "2020-12", "--stand", "2099-12"), {}),
    ("pre-commit", ("validate",), HOOK_ENVIRONMENT),
    ("pre-commit-staged", ("validate", "--staged"), HOOK_ENVIRONMENT),
)


def stale_index(repo: Path) -> None:
    """Change every record's modification time, so that git's stat data no longer matches and
    a command that refreshes the index would read, filter and rewrite."""
    for path in (repo / "data").rglob("*.yaml"):
        os.utime(path, None)
