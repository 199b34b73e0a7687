"""``qa log`` on real git repositories built in temporary folders, with fixed authors and dates."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SHIPPED_DATA, run_qa

REQUEST = "antraege/2020-stadtteilbuero-batenbrock.yaml"
RENAMED = "antraege/2020-stadtteilbuero.yaml"
OFFICE = "anlaufstellen/stadtteilbuero-batenbrock.yaml"
SECOND_CITY = REPO / "tests" / "fixtures" / "zweite-stadt" / "data"


def git(repo: Path, *args: str, author: str = "Erika Muster", when: str = "") -> str:
    stamp = when or "2020-09-01T10:00:00+02:00"
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "erika@example.invalid",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "erika@example.invalid",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout


def edit(repo: Path, relative: str, old: str, new: str) -> None:
    path = repo / "data" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(repo: Path, message: str, when: str, author: str = "Erika Muster") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, author=author, when=when)


def repository_of(data: Path, root: Path) -> Path:
    shutil.copytree(data, root / "data")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Stand aus dem Bericht", "2020-09-01T10:00:00+02:00", "Quartierskoordination")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The shipped data, then: the amount raised, the office edited, the request renamed with
    ``git mv`` and its own share changed in the same commit."""
    root = repository_of(SHIPPED_DATA, tmp_path / "daten")
    edit(root, REQUEST, "betrag: 24000", "betrag: 25000")
    commit(root, "Betrag erhöht\n\nNach Rückfrage beim Träger.", "2020-10-05T09:30:00+02:00")
    edit(root, OFFICE, "name:", "# Kommentar\nname:")
    commit(root, "Kommentar im Büro", "2020-10-20T12:00:00+02:00")
    git(root, "mv", f"data/{REQUEST}", f"data/{RENAMED}")
    edit(root, RENAMED, "eigenanteil: 2400", "eigenanteil: 2500")
    commit(root, "Kürzere Kennung", "2020-11-02T08:15:00+01:00", "Max Prüfer")
    return root


def log_json(repo: Path, *args: str) -> dict[str, Any]:
    result = run_qa("log", *args, "--format", "json", cwd=repo)
    assert result.code == 0, result.text
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_a_record_history_is_newest_first_and_follows_the_rename(repo: Path) -> None:
    report = log_json(repo, "2020-stadtteilbuero")
    assert report["titel"] == "Antrag 2020-stadtteilbuero"
    assert [c["nachricht"] for c in report["commits"]] == [
        "Kürzere Kennung",
        "Betrag erhöht\n\nNach Rückfrage beim Träger.",
        "Stand aus dem Bericht",
    ]
    assert [c["autor"] for c in report["commits"]] == [
        "Max Prüfer",
        "Erika Muster",
        "Quartierskoordination",
    ]
    assert report["commits"][0]["datum"] == "2020-11-02T08:15:00+01:00"
    (renamed,) = report["commits"][0]["datensaetze"]
    assert renamed["status"] == "umbenannt"
    assert (renamed["vorher_id"], renamed["id"]) == (
        "2020-stadtteilbuero-batenbrock",
        "2020-stadtteilbuero",
    )
    assert [(c["pfad"], c["alt"], c["neu"]) for c in renamed["aenderungen"]] == [
        ("eigenanteil", 2400, 2500)
    ]
    (raised,) = report["commits"][1]["datensaetze"]
    assert (raised["status"], raised["id"]) == ("geändert", "2020-stadtteilbuero-batenbrock")
    assert [(c["pfad"], c["alt"], c["neu"]) for c in raised["aenderungen"]] == [
        ("betrag", 24000, 25000)
    ]
    (added,) = report["commits"][2]["datensaetze"]
    assert added["status"] == "hinzugefügt"


def test_text_and_markdown_show_the_changes_as_qa_diff_does(repo: Path) -> None:
    text = run_qa("log", "2020-stadtteilbuero", cwd=repo)
    assert text.code == 0, text.text
    assert "Geschichte: Antrag 2020-stadtteilbuero" in text.out
    assert " · 02.11.2020 08:15 · Max Prüfer" in text.out
    assert "[kritisch] Beantragter Betrag in Euro: 24.000 → 25.000" in text.out
    assert "2020-stadtteilbuero-batenbrock → 2020-stadtteilbuero: umbenannt\n" in text.out
    assert "    Nach Rückfrage beim Träger." in text.out
    assert text.out.rstrip().endswith("3 Commits, der neueste zuerst.")
    markdown = run_qa("log", "2020-stadtteilbuero", "--format", "md", cwd=repo)
    assert "| kritisch | | Beantragter Betrag in Euro: 24.000 → 25.000 |" in markdown.out
    assert "> Nach Rückfrage beim Träger." in markdown.out
    diff = run_qa("diff", "HEAD~3", "HEAD~2", cwd=repo)
    assert "[kritisch] Beantragter Betrag in Euro: 24.000 → 25.000" in diff.out


def test_a_change_of_layout_only_is_listed_without_fields(repo: Path) -> None:
    report = log_json(repo, "stadtteilbuero-batenbrock")
    assert report["titel"] == "Anlaufstelle stadtteilbuero-batenbrock"
    assert [c["nachricht"] for c in report["commits"]] == [
        "Kommentar im Büro",
        "Stand aus dem Bericht",
    ]
    (comment,) = report["commits"][0]["datensaetze"]
    assert (comment["status"], comment["aenderungen"]) == ("geändert", [])


def test_a_kind_since_a_month(repo: Path) -> None:
    report = log_json(repo, "--kind", "antraege", "--since", "2020-10")
    assert report["seit"] == "2020-10-01"
    assert [c["nachricht"] for c in report["commits"]] == [
        "Kürzere Kennung",
        "Betrag erhöht\n\nNach Rückfrage beim Träger.",
    ]
    everything = log_json(repo, "--kind", "antraege")
    (first,) = [c for c in everything["commits"] if c["nachricht"] == "Stand aus dem Bericht"]
    assert len(first["datensaetze"]) == len(list((SHIPPED_DATA / "antraege").glob("*.yaml")))
    text = run_qa("log", "--kind", "antraege", "--since", "2020-10", cwd=repo)
    assert "Geschichte: Anträge seit 01.10.2020" in text.out


def test_a_deleted_record_keeps_its_history(repo: Path) -> None:
    git(repo, "rm", "-q", f"data/{RENAMED}")
    commit(repo, "Antrag zurückgezogen", "2020-12-01T10:00:00+01:00")
    report = log_json(repo, "2020-stadtteilbuero")
    assert report["commits"][0]["nachricht"] == "Antrag zurückgezogen"
    assert report["commits"][0]["datensaetze"][0]["status"] == "entfernt"
    assert len(report["commits"]) == 4


def test_an_unknown_id_is_refused_with_a_suggestion(repo: Path) -> None:
    result = run_qa("log", "2020-stadtteilbuero-batenbrok", cwd=repo)
    assert result.code == 2
    assert "Einen Datensatz „2020-stadtteilbuero-batenbrok“ gibt es weder jetzt noch" in result.err
    assert "Meinten Sie „2020-stadtteilbuero-batenbrock“" in result.err
    assert "Traceback" not in result.text


def test_wrong_calls_are_refused_in_german(repo: Path) -> None:
    assert "Eine KENNUNG oder --kind ART angeben" in run_qa("log", cwd=repo).err
    since = run_qa("log", "--kind", "antraege", "--since", "September", cwd=repo)
    assert since.code == 2 and "--since: „September“ ist weder Monat noch Datum" in since.err
    kind = run_qa("log", "--kind", "antrage", cwd=repo)
    assert kind.code == 2 and "Meinten Sie „antraege“?" in kind.err


def test_outside_git_is_refused(tmp_path: Path) -> None:
    shutil.copytree(SHIPPED_DATA, tmp_path / "data")
    result = run_qa("log", "2020", cwd=tmp_path)
    assert result.code == 2
    assert "liegt in keinem Git-Repository; qa log liest die Geschichte" in result.err


def test_an_empty_repository_is_refused(tmp_path: Path) -> None:
    shutil.copytree(SHIPPED_DATA, tmp_path / "data")
    git(tmp_path, "init", "-q")
    result = run_qa("log", "2020", cwd=tmp_path)
    assert result.code == 2 and "hat noch keinen Commit" in result.err


def test_one_git_log_and_one_blob_reader_for_every_commit(repo: Path, tmp_path: Path) -> None:
    """Counted by a ``git`` in front of the real one that notes each call."""
    for month in range(1, 7):
        share = 2400 + 100 * month
        edit(repo, RENAMED, f"eigenanteil: {share}", f"eigenanteil: {share + 100}")
        commit(repo, f"Änderung {month}", f"2021-0{month}-01T10:00:00+01:00")
    calls = tmp_path / "calls"
    shim = tmp_path / "bin" / "git"
    shim.parent.mkdir()
    real = shutil.which("git")
    shim.write_text(f'#!/bin/sh\necho "$4" >> {calls}\nexec {real} "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    path = f"{shim.parent}{os.pathsep}{os.environ['PATH']}"
    result = run_qa("log", "2020-stadtteilbuero", "-f", "json", cwd=repo, env={"PATH": path})
    assert result.code == 0, result.text
    assert len(json.loads(result.out)["commits"]) == 9
    called = calls.read_text(encoding="utf-8").split()
    assert called.count("log") == 1
    assert sorted(c for c in called if c == "cat-file") == ["cat-file", "cat-file"]  # check + batch
    assert len(called) <= 5, called  # plus git config --list and rev-parse HEAD


def test_the_repository_configuration_runs_nothing(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    for key, value in (
        ("log.showSignature", "true"),
        ("gpg.program", str(script)),
        ("diff.external", str(script)),
        ("core.pager", str(script)),
        ("diff.yaml.textconv", str(script)),
        ("filter.evil.smudge", str(script)),
        ("core.fsmonitor", str(script)),
    ):
        git(repo, "config", key, value)
    (repo / ".gitattributes").write_text("*.yaml diff=yaml filter=evil\n", encoding="utf-8")
    report = log_json(repo, "2020-stadtteilbuero")
    assert len(report["commits"]) == 3
    assert not marker.exists()


def test_a_message_that_looks_like_a_change_stays_a_message(repo: Path, tmp_path: Path) -> None:
    edit(repo, RENAMED, "betrag: 25000", "betrag: 26000")
    forged = "Betrag\n\x1e0000000000000000000000000000000000000000\n:100644 100644 a b M"
    message = tmp_path / "message"
    message.write_text(forged, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-F", str(message), when="2021-01-01T10:00:00+01:00")
    report = log_json(repo, "2020-stadtteilbuero")
    assert report["commits"][0]["nachricht"] == forged
    assert len(report["commits"]) == 4
    text = run_qa("log", "2020-stadtteilbuero", cwd=repo)
    assert "\x1e" not in text.out and "␞0000000000" in text.out


def test_the_second_city(tmp_path: Path) -> None:
    root = repository_of(SECOND_CITY, tmp_path / "zweite")
    request = next((root / "data" / "antraege").glob("*.yaml"))
    text = request.read_text(encoding="utf-8")
    request.write_text(text.replace("betrag: ", "betrag: 1", 1), encoding="utf-8")
    commit(root, "Betrag korrigiert", "2021-03-01T10:00:00+01:00")
    report = log_json(root, request.stem)
    assert [c["nachricht"] for c in report["commits"]] == [
        "Betrag korrigiert",
        "Stand aus dem Bericht",
    ]
    (change,) = report["commits"][0]["datensaetze"][0]["aenderungen"]
    assert change["pfad"] == "betrag" and str(change["neu"]).startswith("1")
