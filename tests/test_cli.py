"""The other commands end to end: validate, list, show, data discovery, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINIMAL_OFFICE, REPO, run_qa


def test_validate_shipped_data() -> None:
    result = run_qa("validate")
    assert result.code == 0
    assert "keine Fehler" in result.out


def test_validate_reports_all_problems_with_location_excerpt_and_hint(shipped_copy: Path) -> None:
    (shipped_copy / "anlaufstellen" / "a.yaml").write_text(
        MINIMAL_OFFICE.replace("testgebiet", "batenbrok")
    )
    (shipped_copy / "anlaufstellen" / "b.yaml").write_text("name: x\nname: y\n")
    result = run_qa("validate", "--data", str(shipped_copy))
    assert result.code == 1
    assert "a.yaml:3:9: Fehler [unbekannte-referenz] a › gebiet" in result.out
    assert "  3 | gebiet: batenbrok\n    |         ^^^^^^^^^" in result.out
    assert "Hinweis: Meinten Sie „batenbrock“?" in result.out
    assert "b.yaml:2:1: Fehler [doppelter-schluessel]" in result.out


def test_validate_json_for_editors(shipped_copy: Path) -> None:
    (shipped_copy / "anlaufstellen" / "leer.yaml").write_text("")
    result = run_qa("validate", "--data", str(shipped_copy), "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["gueltig"] is False and report["anzahl_fehler"] == 1
    (problem,) = report["fehler"]
    assert problem["code"] == "leere-datei" and problem["datei"].endswith("leer.yaml")


def test_validate_github_annotations(shipped_copy: Path) -> None:
    (shipped_copy / "anlaufstellen" / "x.yaml").write_text("name: a\nname: b\n")
    result = run_qa("validate", "--data", str(shipped_copy), "--format", "github")
    assert result.code == 1
    line = next(line for line in result.out.splitlines() if "doppelter-schluessel" in line)
    assert "line=2,col=1" in line and "title=qa validate [doppelter-schluessel]" in line


def test_validate_usage_error_exits_2() -> None:
    result = run_qa("validate", "--format", "yaml")
    assert result.code == 2 and "erlaubt: text, json, github" in result.err


def test_list_json_carries_id_and_name() -> None:
    rows = json.loads(run_qa("list", "--format", "json").out)["anlaufstellen"]
    assert len(rows) == 21
    assert all(row["id"] and row["name"] for row in rows)


def test_list_csv_one_row_per_office() -> None:
    rows = list(csv.DictReader(io.StringIO(run_qa("list", "--format", "csv").out)))
    assert len(rows) == 21 and len({row["id"] for row in rows}) == 21
    startklar = next(row for row in rows if row["id"] == "quartierszentrum-startklar-innenstadt")
    assert startklar["traeger"] == "AWO; ASB; DRK"
    assert startklar["foerderzugang"] == ""  # unknown stays empty, never guessed


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--stadtteil", "Batenbrock"],
            {
                "awo-familien-im-mittelpunkt-batenbrock",
                "stadtteilagentur-batenbrock",
                "stadtteilbuero-batenbrock",
                "wortschatz-albert-schweitzer-grundschule",
            },
        ),
        (["--stadtteil", "welheimer mark"], {"quartiersbuero-welheimer-mark"}),
        (
            ["--traeger", "drk"],
            {"quartiersbuero-rottmannsmuehle", "quartierszentrum-startklar-innenstadt"},
        ),
        (
            ["--foerderzugang", "Präventionsketten"],
            {"familienort-die-bruecke-flow-batenbrock", "familienort-hansastrasse-innenstadt"},
        ),
        (
            ["--ausrichtung", "Senioren", "--stadtteil", "fuhlenbrock"],
            {"awo-quartiersmanagement-fuhlenbrock"},
        ),
        (
            ["--traeger", "Caritas", "--traeger", "Flow"],
            {"familienort-die-bruecke-flow-batenbrock", "familienort-hansastrasse-innenstadt"},
        ),
    ],
)
def test_list_filters(args: list[str], expected: set[str]) -> None:
    result = run_qa("list", *args, "--format", "json")
    assert result.code == 0, result.text
    assert {row["id"] for row in json.loads(result.out)["anlaufstellen"]} == expected


def test_parent_area_includes_the_areas_below() -> None:
    rows = json.loads(run_qa("list", "--stadtteil", "bottrop-mitte", "--format", "json").out)[
        "anlaufstellen"
    ]
    assert {row["gebiet_id"] for row in rows} == {"eigen", "fuhlenbrock"}


def test_unknown_area_is_a_usage_error_with_suggestion() -> None:
    result = run_qa("list", "--stadtteil", "Batenbrok")
    assert result.code == 2 and "Meinten Sie „Batenbrock“?" in result.err


def test_show_office_text_and_json() -> None:
    text = run_qa("show", "stadtteilagentur-batenbrock")
    assert text.code == 0
    assert (
        "10/2019 bis 05/2023" in text.out and "EU (EFRE), Bund, Land NRW, Stadt Bottrop" in text.out
    )
    document = json.loads(run_qa("show", "stadtteilagentur-batenbrock", "--format", "json").out)
    assert (
        document["id"] == "stadtteilagentur-batenbrock" and document["foerderung_bis"] == "2023-05"
    )


def test_show_unknown_id() -> None:
    result = run_qa("show", "stadtteilagentur-batenbrok")
    assert result.code == 2 and "stadtteilagentur-batenbrock" in result.err


def test_missing_argument_is_german() -> None:
    result = run_qa("show")
    assert result.code == 2 and "Argument „ID“ fehlt" in result.err


def test_listing_refuses_invalid_data(shipped_copy: Path) -> None:
    (shipped_copy / "anlaufstellen" / "x.yaml").write_text("name: a\nname: b\n")
    result = run_qa("expiring", "--before", "2020-12", "--data", str(shipped_copy))
    assert result.code == 1 and result.out == ""
    assert "doppelter-schluessel" in result.err and "qa validate" in result.err


def test_data_found_at_repository_root_from_a_subfolder() -> None:
    result = run_qa("list", "--format", "json", cwd=REPO / "qa_cli" / "cli")
    assert result.code == 0 and len(json.loads(result.out)["anlaufstellen"]) == 21


def test_data_from_environment_variable(data_dir: Path, tmp_path: Path) -> None:
    result = run_qa("list", "--format", "json", cwd=tmp_path, env={"QA_DATA": str(data_dir)})
    assert [row["id"] for row in json.loads(result.out)["anlaufstellen"]] == ["testbuero"]


def test_repository_without_data_folder(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = run_qa("validate", cwd=tmp_path)
    assert result.code == 2 and "kein Verzeichnis data/" in result.err


def test_nonexistent_data_option(tmp_path: Path) -> None:
    result = run_qa("validate", "--data", str(tmp_path / "fehlt"))
    assert result.code == 2 and "gibt es nicht" in result.err


def test_help_lists_the_commands() -> None:
    result = run_qa("--help")
    assert result.code == 0
    for command in ("validate", "expiring", "list", "show"):
        assert command in result.out


def help_of(app: Any, *path: str) -> str:
    """The help text Typer builds for ``qa PATH… --help`` from ``app``."""
    import typer

    command = typer.main.get_command(app)
    context = command.make_context("qa", [], resilient_parsing=True)
    for name in path:
        command = command.get_command(context, name)  # type: ignore[attr-defined]
        context = command.make_context(name, [], parent=context, resilient_parsing=True)
    return command.get_help(context)


@pytest.mark.parametrize("path", [(), ("report",), ("export",)])
def test_the_overview_without_options_reads_as_the_whole_app(path: tuple[str, ...]) -> None:
    from qa_cli.cli.app import app, only_called

    overview = only_called([])
    assert overview is not app  # the outline, whose commands carry no options
    assert help_of(overview, *path) == help_of(app, *path)
    assert help_of(only_called(["list"]), "list") == help_of(app, "list")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lisst"], "Unbekannter Befehl „lisst“. Meinten Sie „list“?"),
        (["xyz"], "Unbekannter Befehl „xyz“."),
        (["report", "quartl"], "Unbekannter Befehl „quartl“. Meinten Sie „quartal“?"),
    ],
)
def test_unknown_command_is_german_with_suggestion(args: list[str], message: str) -> None:
    result = run_qa(*args)
    assert result.code == 2
    assert result.err.splitlines()[0] == f"qa: Fehler: {message}"


def test_table_on_a_terminal_is_a_rich_table() -> None:
    """Run qa with its output on a pseudo-terminal, as a person at a terminal would."""
    import os
    import pty
    import sys

    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "qa_cli", "list", "--traeger", "drk"],
        cwd=REPO,
        stdout=secondary,
        stderr=secondary,
        env={**os.environ, "COLUMNS": "200", "TERM": "xterm"},
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=60) == 0
    screen = b"".join(chunks).decode()
    assert "┃" in screen and "quartiersbuero-rottmannsmuehle" in screen
