"""What the next commit holds (``qa validate --staged``), the pre-commit hook that uses it (run by
the real pre-commit tool) and the git diff driver that ``qa install-git-driver`` sets up, all on
real git repositories in temporary folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, run_qa
from tests.test_diff import GIT_ENV, OFFICE, commit, edit, git
from tests.test_diff import repo as repo  # the fixture: the shipped data, committed

AREA = "data/gebiete/batenbrock.yaml"
BIN = Path(sys.executable).parent
BROKEN_DRAFT = "name: Entwurf\ntraeger: AWO\n"


def staged(repo: Path) -> tuple[int, list[dict[str, object]]]:
    result = run_qa("validate", "--staged", "--format", "json", cwd=repo)
    assert result.code in (0, 1), result.text
    return result.code, json.loads(result.out)["fehler"]


def test_staged_checks_the_index_not_the_working_tree(repo: Path) -> None:
    draft = repo / "data" / "anlaufstellen" / "entwurf.yaml"
    draft.write_text(BROKEN_DRAFT, encoding="utf-8")
    edit(repo, OFFICE, "name: ", "name: [kaputt\n")  # unstaged, broken in the working tree
    assert run_qa("validate", cwd=repo).code == 1
    assert staged(repo) == (0, [])


def test_a_staged_broken_file_is_located_in_its_staged_text(repo: Path) -> None:
    path = repo / "data" / OFFICE
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("ende: ", "ende: 13/", 1), encoding="utf-8")
    git(repo, "add", "data/" + OFFICE)
    path.write_text("\n\n\n" + original, encoding="utf-8")  # unstaged: shifts every line
    code, problems = staged(repo)
    line = next(n for n, text in enumerate(original.splitlines(), 1) if "ende: " in text)
    assert code == 1
    in_office = [(p["code"], p["zeile"]) for p in problems if p["datei"] == "data/" + OFFICE]
    assert in_office == [("ungueltiger-monat", line)]


def test_a_staged_deletion_that_others_refer_to_fails(repo: Path) -> None:
    git(repo, "rm", "-q", AREA)
    code, problems = staged(repo)
    assert code == 1
    assert {p["code"] for p in problems} == {"unbekannte-referenz"}
    assert all("batenbrock" in str(p["meldung"]) for p in problems)
    assert (repo / "data").exists() and not (repo / AREA).exists()


def test_staged_outside_a_repository_is_a_wrong_call(shipped_copy: Path) -> None:
    result = run_qa("validate", "--staged", cwd=shipped_copy.parent)
    assert result.code == 2
    assert "keinem Git-Repository" in result.err


# pre-commit, the real tool: the hook as .pre-commit-hooks.yaml defines it, as a local hook
# (a remote one would install qa from the network into pre-commit's own environment).


def hook_config() -> str:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = {key: value for key, value in hook.items() if key != "language"}
    local["language"] = "system"
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}, allow_unicode=True)


@pytest.fixture
def hooked(repo: Path, tmp_path: Path) -> Path:
    (repo / ".pre-commit-config.yaml").write_text(hook_config(), encoding="utf-8")
    (repo / "LIESMICH.md").write_text("Daten\n", encoding="utf-8")
    commit(repo, "pre-commit")
    subprocess.run(
        [str(BIN / "pre-commit"), "install"],
        cwd=repo,
        env=hook_env(tmp_path),
        check=True,
        capture_output=True,
    )
    return repo


def hook_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        **GIT_ENV,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "QA_CACHE_DIR": str(tmp_path / "cache"),
    }


def try_commit(repo: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-q", "-m", "Änderung"],
        cwd=repo,
        env=hook_env(tmp_path),
        capture_output=True,
        text=True,
    )


def test_the_manifest_runs_on_every_commit_and_checks_the_index() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "qa validate --staged"
    assert hook["pass_filenames"] is False
    assert hook["always_run"] is True  # pre-commit's file list leaves out deletions


def test_pre_commit_refuses_a_deletion_that_others_refer_to(hooked: Path, tmp_path: Path) -> None:
    git(hooked, "rm", "-q", AREA)
    done = try_commit(hooked, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "unbekannte-referenz" in done.stdout + done.stderr
    assert git(hooked, "status", "--porcelain").startswith("D ")


def test_pre_commit_refuses_a_rename_that_breaks_references(hooked: Path, tmp_path: Path) -> None:
    git(hooked, "mv", AREA, "data/gebiete/batenbrock-alt.yaml")
    done = try_commit(hooked, tmp_path)
    assert done.returncode == 1
    assert "unbekannte-referenz" in done.stdout + done.stderr


def test_an_untracked_draft_does_not_block_an_unrelated_commit(
    hooked: Path, tmp_path: Path
) -> None:
    (hooked / "data" / "anlaufstellen" / "entwurf.yaml").write_text(BROKEN_DRAFT, "utf-8")
    (hooked / "LIESMICH.md").write_text("Daten der Stadt\n", encoding="utf-8")
    git(hooked, "add", "LIESMICH.md")
    done = try_commit(hooked, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    git(hooked, "add", "data/anlaufstellen/entwurf.yaml")  # once staged, the draft counts
    refused = try_commit(hooked, tmp_path)
    assert refused.returncode == 1
    assert "entwurf.yaml" in refused.stdout + refused.stderr


# qa install-git-driver


def bare_path_env() -> dict[str, str]:
    """git's environment without qa anywhere on PATH."""
    path = os.pathsep.join(p for p in ("/usr/bin", "/bin") if not (Path(p) / "qa").exists())
    return {**GIT_ENV, "PATH": path, "HOME": os.environ.get("HOME", "/root")}


def run_git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=bare_path_env(), capture_output=True, text=True, check=True
    )
    return done.stdout


def install_driver(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "qa"), "install-git-driver"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "QA_CACHE_DIR": str(repo.parent / "cache")},
    )


def test_git_driver_shows_field_changes_without_qa_on_path(repo: Path) -> None:
    first = install_driver(repo)
    assert first.returncode == 0, first.stderr
    assert "In .gitattributes ergänzt" in first.stdout
    second = install_driver(repo)  # a second time changes nothing
    assert "In .gitattributes schon vorhanden" in second.stdout
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == "data/**/*.yaml diff=qa\n"
    config = run_git(repo, "config", "--local", "--get-regexp", r"^diff\.qa\.")
    assert f"diff.qa.textconv {BIN / 'qa'} diff --textconv" in config
    assert "diff.qa.cachetextconv true" in config
    edit(repo, OFFICE, 'ende: "2020-12"', 'ende: "2021-06"')
    output = run_git(repo, "diff", "--", "data/" + OFFICE)
    assert '-foerderungen[0].ende: "2020-12"' in output
    assert '+foerderungen[0].ende: "2021-06"' in output
    commit(repo)
    log = run_git(repo, "log", "-p", "-1", "--", "data/" + OFFICE)
    assert '+foerderungen[0].ende: "2021-06"' in log
    assert "notes/textconv/qa" in run_git(repo, "for-each-ref", "--format=%(refname)")


def test_git_driver_refuses_outside_a_repository(shipped_copy: Path) -> None:
    done = install_driver(shipped_copy.parent)
    assert done.returncode == 2
    assert "keinem Git-Repository" in done.stderr
    assert not (shipped_copy.parent / ".gitattributes").exists()


def test_git_driver_keeps_other_attributes(repo: Path) -> None:
    (repo / ".gitattributes").write_text("*.png binary", encoding="utf-8")
    assert install_driver(repo).returncode == 0
    text = (repo / ".gitattributes").read_text(encoding="utf-8")
    assert text == "*.png binary\ndata/**/*.yaml diff=qa\n"


def test_staged_files_in_the_wrong_place_are_reported_as_on_disk(repo: Path) -> None:
    (repo / "data" / "unsinn").mkdir()
    (repo / "data" / "unsinn" / "x.yaml").write_text("name: x\n", encoding="utf-8")
    (repo / "data" / "gebiete" / "neu.yml").write_text("name: x\n", encoding="utf-8")
    on_disk = json.loads(run_qa("validate", "--format", "json", cwd=repo).out)["fehler"]
    git(repo, "add", "data")
    code, problems = staged(repo)
    assert code == 1
    expected = [
        ("unbekannter-ordner", "data/unsinn"),
        ("falsche-endung", "data/gebiete/neu.yml"),
    ]
    assert sorted((p["code"], p["datei"]) for p in problems) == sorted(expected)
    assert sorted((p["code"], p["datei"]) for p in on_disk) == sorted(expected)
