"""``qa diff`` on real git repositories built in temporary folders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHIPPED_DATA, run_qa

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def repository_of(data: Path, root: Path) -> Path:
    """A git repository at ``root`` whose first commit holds a copy of ``data`` as ``data/``."""
    shutil.copytree(data, root / "data")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Stand")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return repository_of(SHIPPED_DATA, tmp_path / "daten")


def edit(repo: Path, relative: str, old: str, new: str) -> None:
    path = repo / "data" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(repo: Path, message: str = "Änderung") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def diff_json(repo: Path, *args: str) -> dict[str, Any]:
    result = run_qa("diff", *args, "--format", "json", cwd=repo)
    assert result.code == 0, result.text
    return json.loads(result.out)  # type: ignore[no-any-return]


OFFICE = "anlaufstellen/stadtteilbuero-batenbrock.yaml"
REQUEST = "antraege/2020-awo-familien-im-mittelpunkt-prosper-iii.yaml"


def test_no_change_is_an_empty_diff(repo: Path) -> None:
    report = diff_json(repo)
    assert report["datensaetze"] == [] and report["folgen"] == []


def test_working_tree_edit_shows_the_field_and_the_consequence(repo: Path) -> None:
    edit(repo, OFFICE, 'ende: "2020-12"', 'ende: "2021-06"')
    report = diff_json(repo, "--before", "2020-12")
    (record,) = report["datensaetze"]
    assert (record["art"], record["id"], record["status"]) == (
        "anlaufstellen",
        "stadtteilbuero-batenbrock",
        "geändert",
    )
    (change,) = record["aenderungen"]
    assert change["feld"] == "Förderungen › „Zusammen im Quartier“ › Ende"
    assert (change["alt"], change["neu"], change["stufe"]) == ("2020-12", "2021-06", "pruefen")
    (consequence,) = report["folgen"]
    assert (
        consequence["thema"] == "auslaufend"
        and consequence["alt"] == "endend"
        and consequence["neu"] is None
    )
    text = run_qa("diff", "--before", "2020-12", cwd=repo).out
    assert "Ende: 12/2020 → 06/2021" in text and "endet im Zeitraum → nicht in der Liste" in text


def test_staged_unstaged_and_untracked_changes_all_count(repo: Path) -> None:
    edit(repo, OFFICE, "traeger: [AGSB]", "traeger: [AGSB, DRK]")
    git(repo, "add", "data/" + OFFICE)
    edit(
        repo,
        "anlaufstellen/welheim-64.yaml",
        "ausrichtung: Integration",
        "ausrichtung: Integration und Sport",
    )
    shutil.copy(repo / "data" / OFFICE, repo / "data" / "anlaufstellen" / "neues-buero.yaml")
    statuses = {(r["id"], r["status"]) for r in diff_json(repo)["datensaetze"]}
    assert statuses == {
        ("stadtteilbuero-batenbrock", "geändert"),
        ("welheim-64", "geändert"),
        ("neues-buero", "hinzugefügt"),
    }


def test_formatting_and_order_are_not_changes(repo: Path) -> None:
    path = repo / "data" / OFFICE
    lines = path.read_text(encoding="utf-8").splitlines()
    reordered = [lines[1], lines[0], *lines[2:]]  # swap the first two keys
    path.write_text(
        "# Kommentar\n"
        + "\n".join(reordered).replace("traeger: [AGSB]", "traeger:\n  - AGSB")
        + "\n",
        encoding="utf-8",
    )
    edit(
        repo,
        "anlaufstellen/quartierszentrum-startklar-innenstadt.yaml",
        "traeger: [AWO, ASB, DRK]",
        "traeger: [DRK, AWO, ASB]",
    )
    assert run_qa("diff", cwd=repo).code == 0
    assert diff_json(repo)["datensaetze"] == []


def test_renamed_and_moved_records(repo: Path) -> None:
    git(
        repo,
        "mv",
        "data/anlaufstellen/ebel-27.yaml",
        "data/anlaufstellen/ebel-siebenundzwanzig.yaml",
    )
    (repo / "data" / "anlaufstellen" / "2020").mkdir()
    git(repo, "mv", "data/" + OFFICE, "data/anlaufstellen/2020/stadtteilbuero-batenbrock.yaml")
    commit(repo)
    records = {r["id"]: r for r in diff_json(repo, "HEAD~1", "HEAD")["datensaetze"]}
    assert records["ebel-siebenundzwanzig"]["status"] == "umbenannt"
    assert records["ebel-siebenundzwanzig"]["vorher_id"] == "ebel-27"
    assert records["stadtteilbuero-batenbrock"]["status"] == "verschoben"
    assert records["stadtteilbuero-batenbrock"]["aenderungen"] == []


def test_deleting_a_request_is_critical_and_moves_others(repo: Path) -> None:
    (repo / "data" / "antraege" / "2020-stadtteilbuero-batenbrock.yaml").unlink()
    report = diff_json(repo)
    (record,) = report["datensaetze"]
    assert (record["status"], record["stufe"]) == ("entfernt", "kritisch")
    moved = {c["datensatz"]: c for c in report["folgen"]}
    assert moved["2020-stadtteilbuero-batenbrock"]["neu"]["entscheidung"] is None
    assert (
        moved["2020-familienort-die-bruecke-flow-batenbrock"]["neu"]["entscheidung"] == "gefördert"
    )
    assert moved["2020-awo-familien-im-mittelpunkt-batenbrock"]["alt"]["rang"] == 2
    assert moved["2020-awo-familien-im-mittelpunkt-batenbrock"]["neu"]["rang"] == 1


def test_a_higher_amount_pushes_a_request_off_the_funded_list(repo: Path) -> None:
    edit(repo, REQUEST, "betrag: 16800", "betrag: 19800")
    commit(repo)
    report = diff_json(repo, "HEAD~1..HEAD")
    change = report["datensaetze"][0]["aenderungen"][0]
    assert (change["pfad"], change["stufe"]) == ("betrag", "kritisch")
    consequence = next(
        c
        for c in report["folgen"]
        if c["datensatz"] == "2020-awo-familien-im-mittelpunkt-prosper-iii"
    )
    assert (
        consequence["thema"] == "entscheidung"
        and consequence["neu"]["entscheidung"] == "Warteliste"
    )
    text = run_qa("diff", "HEAD~1..HEAD", cwd=repo).out
    assert (
        "Antrag 2020-awo-familien-im-mittelpunkt-prosper-iii (Runde 2020): Rang 3 → 3, gefördert → Warteliste"
        in text
    )


def test_a_weight_change_is_critical(repo: Path) -> None:
    edit(repo, "entscheidungsmatrizen/2020.yaml", "gewicht: 20", "gewicht: 25")
    edit(repo, "entscheidungsmatrizen/2020.yaml", "gewicht: 30", "gewicht: 25")
    (record,) = diff_json(repo)["datensaetze"]
    assert record["stufe"] == "kritisch"
    assert {c["pfad"] for c in record["aenderungen"]} == {
        "gruppen.finanzierung.gewicht",
        "gruppen.wirkung.gewicht",
    }


def test_an_indicator_value_that_moves_a_unit_to_another_class(repo: Path) -> None:
    edit(repo, "indikatoren/werte/2022-statistische-bezirke.yaml", "wert: 13.2", "wert: 45.0")
    report = diff_json(repo)
    classes = {
        c["datensatz"]: (c["alt"], c["neu"]) for c in report["folgen"] if c["thema"] == "klasse"
    }
    assert classes["fuhlenbrock-wald"] == ("hoch", "niedrig")


def test_exit_code_by_level(repo: Path) -> None:
    edit(
        repo,
        OFFICE,
        'ausrichtung: "Treff, Beratung, Armutsbekämpfung"',
        "ausrichtung: Treff und Beratung",
    )
    assert run_qa("diff", "--exit-code", "kritisch", cwd=repo).code == 0
    assert run_qa("diff", "--exit-code", "pruefen", cwd=repo).code == 1
    assert run_qa("diff", "--exit-code", "hoch", cwd=repo).code == 2


def test_invalid_record_at_the_base_is_reported_and_the_rest_still_diffed(repo: Path) -> None:
    edit(
        repo,
        OFFICE,
        "name: Stadtteilbüro Batenbrock",
        "name: Stadtteilbüro Batenbrock\nname: doppelt",
    )
    commit(repo, "kaputt")
    edit(
        repo,
        OFFICE,
        "name: Stadtteilbüro Batenbrock\nname: doppelt",
        "name: Stadtteilbüro Batenbrock",
    )
    edit(repo, "anlaufstellen/welheim-64.yaml", "ausrichtung: Integration", "ausrichtung: Sport")
    report = diff_json(repo)
    records = {r["id"]: r for r in report["datensaetze"]}
    assert records["stadtteilbuero-batenbrock"]["ungueltig"] is True
    assert any(
        "doppelter-schluessel" in p for p in records["stadtteilbuero-batenbrock"]["probleme"]
    )
    assert records["welheim-64"]["aenderungen"][0]["neu"] == "Sport"


def test_merge_base_diff_shows_only_the_branch(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "vorschlag")
    edit(repo, OFFICE, 'ausrichtung: "Treff, Beratung, Armutsbekämpfung"', "ausrichtung: Treff")
    commit(repo)
    git(repo, "checkout", "-q", "main")
    edit(repo, "anlaufstellen/welheim-64.yaml", "ausrichtung: Integration", "ausrichtung: Sport")
    commit(repo)
    pull_request = {r["id"] for r in diff_json(repo, "main...vorschlag")["datensaetze"]}
    assert pull_request == {"stadtteilbuero-batenbrock"}
    both = {r["id"] for r in diff_json(repo, "main..vorschlag")["datensaetze"]}
    assert both == {"stadtteilbuero-batenbrock", "welheim-64"}


def test_shallow_clone(repo: Path, tmp_path: Path) -> None:
    edit(repo, OFFICE, 'ausrichtung: "Treff, Beratung, Armutsbekämpfung"', "ausrichtung: Treff")
    commit(repo)
    clone = tmp_path / "flach"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    assert run_qa("diff", cwd=clone).code == 0
    missing = run_qa("diff", "HEAD~1", cwd=clone)
    assert (
        missing.code == 2 and "Revision „HEAD~1“ gibt es in diesem Repository nicht" in missing.err
    )


def test_a_folder_that_is_not_a_repository(tmp_path: Path) -> None:
    shutil.copytree(SHIPPED_DATA, tmp_path / "data")
    result = run_qa("diff", "--data", str(tmp_path / "data"), cwd=tmp_path)
    assert (
        result.code == 2
        and "in keinem Git-Repository" in result.err
        and "Traceback" not in result.text
    )


def test_unknown_revision(repo: Path) -> None:
    result = run_qa("diff", "gibtsnicht", cwd=repo)
    assert result.code == 2 and "Revision „gibtsnicht“" in result.err


def test_symlink_in_history_is_not_followed(repo: Path) -> None:
    os.symlink("/etc/passwd", repo / "data" / "anlaufstellen" / "passwd.yaml")
    commit(repo)
    report = diff_json(repo, "HEAD~1", "HEAD")
    assert report["datensaetze"] == []
    assert report["uebergangen"][0]["datei"] == "data/anlaufstellen/passwd.yaml"


def test_markdown_for_a_pull_request(repo: Path) -> None:
    edit(repo, REQUEST, "betrag: 16800", "betrag: 19800")
    out = run_qa("diff", "--format", "md", cwd=repo).out
    assert out.startswith("## Änderungen an den Datensätzen: HEAD → Arbeitsverzeichnis")
    assert (
        "| **kritisch** | Antrag 2020-awo-familien-im-mittelpunkt-prosper-iii: geändert | |" in out
    )
    assert "### Folgen" in out


def test_textconv_driver_in_git_diff(repo: Path) -> None:
    import sys

    (repo / ".gitattributes").write_text("data/**/*.yaml diff=qa\n", encoding="utf-8")
    git(repo, "config", "diff.qa.textconv", f"{sys.executable} -m qa_cli diff --textconv")
    edit(repo, OFFICE, 'ende: "2020-12"', 'ende: "2021-06"')
    output = git(repo, "diff", "--", "data/" + OFFICE)
    assert '-foerderungen[0].ende: "2020-12"' in output
    assert '+foerderungen[0].ende: "2021-06"' in output
