"""Every report says when it was made and from which state of the data: the commit and its date,
and whether files in the data folder differ from it (``qa_cli/store/state.py``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_DATA, run_qa

# 2020-12-01 12:00 UTC, a fixed clock for the commit and (through SOURCE_DATE_EPOCH) the report
EPOCH = "1606824000"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_AUTHOR_DATE": f"@{EPOCH} +0000",
    "GIT_COMMITTER_DATE": f"@{EPOCH} +0000",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
MADE = {"SOURCE_DATE_EPOCH": str(int(EPOCH) + 86400 * 3)}  # made three days later


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The shipped data, committed in a repository of its own."""
    shutil.copytree(SHIPPED_DATA, tmp_path / "data")
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("*.bak\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "Stand")
    return tmp_path


def paper(repo: Path, *args: str) -> str:
    result = run_qa("report", "anlaufstellen", *args, cwd=repo, env=MADE)
    assert result.code == 0, result.err
    return result.out


def test_a_report_from_a_clean_tree_names_its_commit_and_date(repo: Path) -> None:
    commit = git(repo, "rev-parse", "HEAD")
    assert f"Erstellt am 04.12.2020 aus dem Datenstand {commit[:10]} vom 01.12.2020." in paper(repo)


def test_an_edited_or_new_file_is_named_as_uncommitted(repo: Path) -> None:
    office = repo / "data/anlaufstellen/stadtteilagentur-batenbrock.yaml"
    office.write_text(office.read_text() + "# Notiz\n")
    assert "mit nicht eingecheckten Änderungen." in paper(repo)
    git(repo, "checkout", "--", ".")
    assert "nicht eingecheckt" not in paper(repo)
    (repo / "data/anlaufstellen/neu.yaml.bak").write_text("ignoriert\n")
    assert "nicht eingecheckt" not in paper(repo), "an ignored file is no change of the data"
    (repo / "data/gebiete/notiz.txt").write_text("neu\n")
    assert "mit nicht eingecheckten Änderungen." in paper(repo)


def test_every_format_for_people_and_for_scripts_carries_it(repo: Path) -> None:
    commit = git(repo, "rev-parse", "HEAD")
    assert f"Datenstand {commit[:10]} vom 01.12.2020" in paper(repo, "--format", "html")
    document = json.loads(paper(repo, "--format", "json"))
    assert document["datenstand"] == {
        "erstellt_am": "2020-12-04T12:00:00+00:00",
        "commit": commit,
        "commit_datum": "2020-12-01T12:00:00+00:00",
        "revision": None,
        "nicht_eingecheckte_aenderungen": False,
    }
    from openpyxl import load_workbook

    run_qa("report", "anlaufstellen", "-o", str(repo / "liste.xlsx"), cwd=repo, env=MADE)
    first = load_workbook(repo / "liste.xlsx").worksheets[0]
    texts = [str(c.value) for row in first.iter_rows() for c in row if c.value]
    assert any(f"Datenstand {commit[:10]}" in text for text in texts)


def test_the_map_carries_it(repo: Path) -> None:
    result = run_qa("report", "karte", cwd=repo, env=MADE)
    assert result.code == 0, result.err
    assert "Erstellt am 04.12.2020 aus dem Datenstand" in result.out


def test_data_outside_git_says_there_is_no_checkable_state(tmp_path: Path) -> None:
    shutil.copytree(SHIPPED_DATA, tmp_path / "data")
    result = run_qa("report", "anlaufstellen", "--data", str(tmp_path / "data"), cwd=tmp_path)
    assert "aus einem Datenverzeichnis ohne Git, also ohne nachprüfbaren Datenstand." in result.out


def test_a_clock_that_is_no_number_is_refused(repo: Path) -> None:
    result = run_qa("report", "anlaufstellen", cwd=repo, env={"SOURCE_DATE_EPOCH": "gestern"})
    assert result.code == 2
    assert "SOURCE_DATE_EPOCH „gestern“ ist keine Zahl" in result.err
    assert "Traceback" not in result.err
