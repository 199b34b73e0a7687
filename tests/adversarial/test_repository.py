"""Hostile repositories: nothing a repository brings runs, and qa never writes the index.

For each case of ``repository.py`` the plant is first shown to work against plain git (its
program leaves the marker), then every git-touching qa command runs in the same repository and
must leave no marker and end without an internal error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.adversarial.repository import (
    COMMANDS,
    REPOSITORY_CASES,
    RepositoryCase,
    evil_script,
    git,
    make_repository,
    stale_index,
)
from tests.conftest import run_qa


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "LIEF"


def _planted(tmp_path: Path, marker: Path, case: RepositoryCase) -> Path:
    repo = make_repository(tmp_path)
    case.plant(repo, evil_script(tmp_path, marker))
    marker.unlink(missing_ok=True)
    return repo


@pytest.mark.parametrize("case", REPOSITORY_CASES, ids=lambda c: c.name)
def test_the_plant_runs_its_program_under_plain_git(
    tmp_path: Path, marker: Path, case: RepositoryCase
) -> None:
    """The positive control: without qa's precautions git runs the planted program."""
    repo = _planted(tmp_path, marker, case)
    if case.touch_first:
        stale_index(repo)
    git(repo / case.control_cwd, *case.control, check=False)
    assert marker.exists(), f"{case.name}: plain git did not run the plant"


@pytest.mark.parametrize("case", REPOSITORY_CASES, ids=lambda c: c.name)
def test_no_qa_command_runs_what_the_repository_brings(
    tmp_path: Path, marker: Path, case: RepositoryCase
) -> None:
    repo = _planted(tmp_path, marker, case)
    (repo / "data" / "anlaufstellen" / "neu-im-arbeitsverzeichnis.yaml").write_text(
        (repo / "data" / "anlaufstellen" / "stadtteilbuero-batenbrock.yaml").read_text(
            encoding="utf-8"
        ),
        encoding="utf-8",
    )
    for name, args, environment in COMMANDS:
        stale_index(repo)
        result = run_qa(
            *args, cwd=repo, env={"QA_CACHE_DIR": str(tmp_path / "cache"), **environment}
        )
        assert result.code in (0, 1), f"{case.name}, qa {name}: {result.text[-800:]}"
        assert not marker.exists(), f"{case.name}: qa {name} ran the repository's program"


def test_qa_never_writes_the_index(tmp_path: Path) -> None:
    """The index's stat data is stale (``git status`` would refresh and rewrite it): after every
    qa command it is still the same, byte for byte."""
    repo = make_repository(tmp_path)
    index = repo / ".git" / "index"
    before = index.read_bytes()
    for name, args, environment in COMMANDS:
        stale_index(repo)
        result = run_qa(*args, cwd=repo, env={"QA_CACHE_DIR": str(tmp_path / "c"), **environment})
        assert result.code in (0, 1), f"qa {name}: {result.text[-800:]}"
        assert index.read_bytes() == before, f"qa {name} rewrote .git/index"


def test_qa_works_while_a_git_add_holds_the_index_lock(tmp_path: Path) -> None:
    """A concurrent ``git add`` holds ``index.lock``: qa still answers and leaves it alone."""
    repo = make_repository(tmp_path)
    lock = repo / ".git" / "index.lock"
    lock.write_bytes(b"held by a concurrent git add")
    for name, args, environment in COMMANDS:
        stale_index(repo)
        result = run_qa(*args, cwd=repo, env={"QA_CACHE_DIR": str(tmp_path / "c"), **environment})
        assert result.code in (0, 1), f"qa {name}: {result.text[-800:]}"
        assert lock.read_bytes() == b"held by a concurrent git add", name


def test_git_variables_of_the_caller_are_dropped(tmp_path: Path, marker: Path) -> None:
    """``GIT_EXTERNAL_DIFF``, ``GIT_CONFIG_PARAMETERS`` or a ``GIT_DIR`` of another repository in
    the caller's environment change nothing: qa finds its repository and sets its own."""
    repo = make_repository(tmp_path)
    script = evil_script(tmp_path, marker)
    other = make_repository(tmp_path / "anderes")
    environment = {
        "GIT_EXTERNAL_DIFF": str(script),
        "GIT_CONFIG_PARAMETERS": f"'core.fsmonitor={script}'",
        "GIT_DIR": str(other / ".git"),
        "GIT_WORK_TREE": str(other),
        "QA_CACHE_DIR": str(tmp_path / "cache"),
    }
    stale_index(repo)
    result = run_qa("diff", "HEAD~1..HEAD", "--format", "json", cwd=repo, env=environment)
    assert result.code == 0, result.text
    assert not marker.exists()
    (record,) = json.loads(result.out)["datensaetze"]
    assert record["id"] == "stadtteilbuero-batenbrock"


def test_a_name_that_is_not_utf8_gives_valid_json(tmp_path: Path) -> None:
    repo = make_repository(tmp_path)
    folder = os.fsencode(repo / "data" / "anlaufstellen")
    with open(os.path.join(folder, b"b\xfcro.yaml"), "wb") as handle:
        handle.write(
            (repo / "data" / "anlaufstellen" / "stadtteilbuero-batenbrock.yaml").read_bytes()
        )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Latin-1")
    result = run_qa(
        "diff",
        "HEAD~1..HEAD",
        "--format",
        "json",
        cwd=repo,
        env={"PYTHONIOENCODING": "utf-8:strict"},
    )
    assert result.code in (0, 1), result.text
    ids = [record["id"] for record in json.loads(result.out)["datensaetze"]]
    assert "b\ufffdro" in ids


def test_a_name_with_a_newline_is_not_dropped_from_the_diff(tmp_path: Path) -> None:
    repo = make_repository(tmp_path)
    source = repo / "data" / "anlaufstellen" / "stadtteilbuero-batenbrock.yaml"
    (repo / "data" / "anlaufstellen" / "zwei\nzeilen.yaml").write_bytes(source.read_bytes())
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Zeilenumbruch")
    result = run_qa("diff", "HEAD~1..HEAD", "--format", "json", cwd=repo)
    assert result.code in (0, 1), result.text
    ids = [record["id"] for record in json.loads(result.out)["datensaetze"]]
    assert ids == ["zwei\nzeilen"]


def test_quotepath_off_and_an_untracked_latin1_name_keep_read_commands_working(
    tmp_path: Path,
) -> None:
    repo = make_repository(tmp_path)
    git(repo, "config", "core.quotepath", "false")
    with open(os.path.join(os.fsencode(repo / "data"), b"notiz-\xe4.txt"), "wb") as handle:
        handle.write(b"x\n")
    for args in (("list",), ("expiring", "--before", "2020-12"), ("validate",)):
        result = run_qa(*args, cwd=repo, env={"QA_CACHE_DIR": str(tmp_path / "cache")})
        assert result.code == 0, f"qa {' '.join(args)}: {result.text[-800:]}"


def _peak_memory_mib(args: list[str], cwd: Path) -> tuple[int, str, float]:
    """Exit code, stdout and peak resident memory (MiB) of one qa process and the git processes
    it waited for. Measured by GNU time where it exists: Linux carries a process's peak over
    fork and exec, so a child of pytest itself would report pytest's own peak (hundreds of MiB
    after the whole suite is collected); a child of the small ``time`` process does not."""
    environment = {k: v for k, v in os.environ.items() if k != "QA_DATA"}
    gnu_time = shutil.which("time")
    report = cwd.parent / "peak-kib.txt"
    prefix = [gnu_time, "-f", "%M", "-o", str(report)] if gnu_time else []
    with subprocess.Popen(
        [*prefix, sys.executable, "-m", "qa_cli", *args],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
    ) as process:
        out = process.stdout.read().decode() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    if gnu_time:
        return process.returncode, out, int(report.read_text().split()[-1]) / 1024
    return process.returncode, out, usage.ru_maxrss / 1024


def test_an_oversized_blob_is_reported_without_being_read(tmp_path: Path) -> None:
    """A blob of 256 MiB zeros (a few hundred KiB in the repository) is refused by its size
    alone: neither qa nor git holds it in memory."""
    repo = make_repository(tmp_path)
    big = repo / "data" / "anlaufstellen" / "riesig.yaml"
    with big.open("wb") as handle:
        handle.truncate(256 * 1024 * 1024)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "groß")
    big.unlink()
    code, out, peak = _peak_memory_mib(["diff", "HEAD~1..HEAD", "--format", "json"], repo)
    assert code == 0, out
    (record,) = json.loads(out)["datensaetze"]
    assert record["id"] == "riesig" and "datei-zu-gross" in record["probleme"][0]
    assert peak < 200, f"{peak:.0f} MiB"


def test_gitignore_does_not_hide_a_new_record_from_the_diff(tmp_path: Path) -> None:
    """qa validate reads an ignored record file, so qa diff shows it too."""
    repo = make_repository(tmp_path)
    (repo / ".gitignore").write_text("versteckt.yaml\n", encoding="utf-8")
    source = repo / "data" / "anlaufstellen" / "stadtteilbuero-batenbrock.yaml"
    (repo / "data" / "anlaufstellen" / "versteckt.yaml").write_bytes(source.read_bytes())
    result = run_qa("diff", "--format", "json", cwd=repo)
    assert result.code == 0, result.text
    assert [r["id"] for r in json.loads(result.out)["datensaetze"]] == ["versteckt"]


def test_an_oversized_staged_blob_is_reported_without_being_read(tmp_path: Path) -> None:
    """The pre-commit path (``qa validate --staged``) asks the size first, as qa diff does."""
    repo = make_repository(tmp_path)
    big = repo / "data" / "anlaufstellen" / "riesig.yaml"
    with big.open("wb") as handle:
        handle.truncate(256 * 1024 * 1024)
    git(repo, "add", "-A")
    big.unlink()  # only the index holds it
    code, out, peak = _peak_memory_mib(["validate", "--staged", "--format", "json"], repo)
    assert code == 1, out
    problems = json.loads(out)["fehler"]
    assert [p["code"] for p in problems] == ["datei-zu-gross"]
    assert peak < 200, f"{peak:.0f} MiB"
