"""``qa dossier`` on real git repositories: every file checked against the manifest with
Python's zipfile, and the same revision giving the same bytes."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHIPPED_DATA, run_qa
from tests.test_log import RENAMED, REQUEST, SECOND_CITY, commit, edit, git, repository_of

REQUEST_ID = RENAMED.split("/")[1][: -len(".yaml")]
OFFICE = "anlaufstellen/stadtteilbuero-batenbrock.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The shipped data; then the amount raised, and the request renamed with ``git mv``."""
    root = repository_of(SHIPPED_DATA, tmp_path / "daten")
    edit(root, REQUEST, "betrag: 24000", "betrag: 25000")
    commit(root, "Betrag erhöht", "2020-10-05T09:30:00+02:00")
    git(root, "mv", f"data/{REQUEST}", f"data/{RENAMED}")
    commit(root, "Kürzere Kennung", "2020-11-02T08:15:00+01:00", "Max Prüfer")
    return root


def make(repo: Path, target: Path, *args: str) -> zipfile.ZipFile:
    result = run_qa("dossier", *args, "-o", str(target), cwd=repo)
    assert result.code == 0, result.text
    assert f"Geschrieben: {target}" in result.err
    return zipfile.ZipFile(target)


def checked_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest, after checking that it lists every other file with its true checksum."""
    manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    names = sorted(n for n in archive.namelist() if n != "manifest.json")
    assert sorted(manifest["dateien"]) == names
    for name in names:
        content = archive.read(name)
        assert manifest["dateien"][name]["sha256"] == hashlib.sha256(content).hexdigest(), name
        assert manifest["dateien"][name]["bytes"] == len(content)
    assert archive.testzip() is None
    return manifest


def test_a_request_dossier_holds_everything_with_checksums(repo: Path, tmp_path: Path) -> None:
    archive = make(repo, tmp_path / "d.zip", "antrag", REQUEST_ID)
    manifest = checked_manifest(archive)
    head = git(repo, "rev-parse", "HEAD").strip()
    assert manifest["revision"] == head
    assert manifest["revision_datum"] == "2020-11-02T08:15:00+01:00"
    assert manifest["gegenstand"] == f"Antrag {REQUEST_ID}"
    assert manifest["qa_version"]
    assert sorted(archive.namelist()) == [
        f"bewertungen/{REQUEST_ID}.json",
        f"bewertungen/{REQUEST_ID}.txt",
        f"datensaetze/{OFFICE}",
        f"datensaetze/{RENAMED}",
        "datensaetze/entscheidungsmatrizen/2020.yaml",
        "entscheidungsvorlage-2020.html",
        "entscheidungsvorlage-2020.pdf",
        "geschichte.json",
        "geschichte.md",
        "manifest.json",
    ]
    for path in (OFFICE, RENAMED, "entscheidungsmatrizen/2020.yaml"):
        committed = git(repo, "show", f"HEAD:data/{path}").encode()
        assert archive.read(f"datensaetze/{path}") == committed
    for info in archive.infolist():
        assert info.date_time == (2020, 11, 2, 8, 15, 0)
    paper = archive.read("entscheidungsvorlage-2020.html").decode()
    assert "Interimsfinanzierung der Quartiersarbeit, Förderrunde 2020" in paper
    printed = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=archive.read("entscheidungsvorlage-2020.pdf"),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Interimsfinanzierung der Quartiersarbeit" in printed
    assert f"Datenstand {head[:10]} vom 02.11.2020" in " ".join(printed.split())
    assert f"Erstellt am 02.11.2020 aus dem Datenstand {head[:10]} vom 02.11.2020." in paper
    ratings = json.loads(archive.read(f"bewertungen/{REQUEST_ID}.json"))
    assert ratings["id"] == REQUEST_ID and ratings["gruppen"]
    history = json.loads(archive.read("geschichte.json"))
    messages = [c["nachricht"] for c in history["commits"]]
    assert messages == ["Kürzere Kennung", "Betrag erhöht", "Stand aus dem Bericht"]
    renamed = history["commits"][0]["datensaetze"][0]
    assert (renamed["status"], renamed["vorher_id"]) == (
        "umbenannt",
        "2020-stadtteilbuero-batenbrock",
    )
    assert "Beantragter Betrag in Euro: 24.000 → 25.000" in archive.read("geschichte.md").decode()


def test_the_same_revision_gives_the_same_bytes(repo: Path, tmp_path: Path) -> None:
    """Made twice, the second time from a clone in another folder (another path, another
    time, other file dates): the zips are identical."""
    first, second, third = tmp_path / "1.zip", tmp_path / "2.zip", tmp_path / "3.zip"
    make(repo, first, "antrag", REQUEST_ID)
    make(repo, second, "antrag", REQUEST_ID)
    clone = tmp_path / "klon"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    make(clone, third, "antrag", REQUEST_ID)
    assert first.read_bytes() == second.read_bytes() == third.read_bytes()


def test_a_past_revision_holds_that_state_and_the_history_up_to_it(
    repo: Path, tmp_path: Path
) -> None:
    """``--rev HEAD~1``: the request under its name then, its amount then, and only the commits
    up to that one; the manifest names that commit."""
    old_id = REQUEST.split("/")[1][: -len(".yaml")]
    archive = make(repo, tmp_path / "alt.zip", "antrag", old_id, "--rev", "HEAD~1")
    manifest = checked_manifest(archive)
    assert manifest["revision"] == git(repo, "rev-parse", "HEAD~1").strip()
    assert manifest["revision_datum"] == "2020-10-05T09:30:00+02:00"
    record = archive.read(f"datensaetze/{REQUEST}")
    assert record == git(repo, "show", f"HEAD~1:data/{REQUEST}").encode()
    assert b"betrag: 25000" in record
    assert f"datensaetze/{RENAMED}" not in archive.namelist()
    history = json.loads(archive.read("geschichte.json"))
    assert [c["nachricht"] for c in history["commits"]] == [
        "Betrag erhöht",
        "Stand aus dem Bericht",
    ]
    for info in archive.infolist():
        assert info.date_time == (2020, 10, 5, 9, 30, 0)
    paper = archive.read("entscheidungsvorlage-2020.html").decode()
    assert "Erstellt am 05.10.2020 aus dem Datenstand" in paper


def test_rev_stand_and_head_name_one_state_the_same_bytes(repo: Path, tmp_path: Path) -> None:
    """HEAD by default, by sha, by tag and by day give one zip; so do HEAD~1 and its day."""
    git(repo, "tag", "vorlage-2020")
    head = git(repo, "rev-parse", "HEAD").strip()
    ways = [
        (),
        ("--rev", "HEAD"),
        ("--rev", head),
        ("--rev", "vorlage-2020"),
        ("--stand", "2020-11"),
    ]
    zips = [tmp_path / f"{number}.zip" for number in range(len(ways))]
    for target, args in zip(zips, ways, strict=True):
        make(repo, target, "antrag", REQUEST_ID, *args)
    assert len({target.read_bytes() for target in zips}) == 1
    old_id = REQUEST.split("/")[1][: -len(".yaml")]
    make(repo, tmp_path / "rev.zip", "antrag", old_id, "--rev", "HEAD~1")
    make(repo, tmp_path / "tag.zip", "antrag", old_id, "--stand", "2020-10-31")
    assert (tmp_path / "rev.zip").read_bytes() == (tmp_path / "tag.zip").read_bytes()


def test_a_named_revision_is_read_while_the_tree_has_changes(repo: Path, tmp_path: Path) -> None:
    """The working tree is not the dossier's state with ``--rev``: changes there are no
    reason to refuse, and they stay where they are."""
    edit(repo, RENAMED, "betrag: 25000", "betrag: 26000")
    archive = make(repo, tmp_path / "d.zip", "antrag", REQUEST_ID, "--rev", "HEAD")
    assert b"betrag: 25000" in archive.read(f"datensaetze/{RENAMED}")
    assert "betrag: 26000" in (repo / "data" / RENAMED).read_text(encoding="utf-8")


def test_an_unknown_revision_or_day_is_a_wrong_call(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "d.zip"
    unknown = run_qa(
        "dossier", "antrag", REQUEST_ID, "--rev", "gibtsnicht", "-o", str(target), cwd=repo
    )
    assert unknown.code == 2 and "gibtsnicht" in unknown.err and "Traceback" not in unknown.err
    early = run_qa(
        "dossier", "antrag", REQUEST_ID, "--stand", "2019-01-01", "-o", str(target), cwd=repo
    )
    assert early.code == 2 and "Traceback" not in early.err
    both = run_qa("dossier", "antrag", REQUEST_ID, "--rev", "HEAD", "--stand", "2020-11", cwd=repo)
    assert both.code == 2
    assert not target.exists()


def test_a_round_dossier_holds_every_request_and_office(repo: Path, tmp_path: Path) -> None:
    archive = make(repo, tmp_path / "r.zip", "--runde", "2020")
    manifest = checked_manifest(archive)
    assert manifest["gegenstand"] == "Runde 2020"
    requests = sorted(p.name for p in (repo / "data" / "antraege").glob("*.yaml"))
    held = sorted(n.split("/")[-1] for n in archive.namelist() if "/antraege/" in n)
    assert held == requests
    offices = [n for n in archive.namelist() if n.startswith("datensaetze/anlaufstellen/")]
    assert len(offices) == len(requests)
    assert len([n for n in archive.namelist() if n.startswith("bewertungen/")]) == 2 * len(requests)


def test_uncommitted_data_is_refused(repo: Path, tmp_path: Path) -> None:
    edit(repo, RENAMED, "betrag: 25000", "betrag: 26000")
    result = run_qa("dossier", "antrag", REQUEST_ID, "-o", str(tmp_path / "d.zip"), cwd=repo)
    assert result.code == 2
    assert "data/ hat nicht eingecheckte Änderungen (data/antraege/" in result.err
    assert not (tmp_path / "d.zip").exists()


def test_wrong_calls_are_refused_in_german(repo: Path, tmp_path: Path) -> None:
    unknown = run_qa("dossier", "antrag", "2020-stadtteilbuer", cwd=repo)
    assert unknown.code == 2
    assert "Einen Antrag „2020-stadtteilbuer“ gibt es nicht." in unknown.err
    assert f"Meinten Sie „{REQUEST_ID}“?" in unknown.err
    both = run_qa("dossier", "antrag", REQUEST_ID, "--runde", "2020", cwd=repo)
    assert both.code == 2 and "nicht beides" in both.err
    nothing = run_qa("dossier", cwd=repo)
    assert nothing.code == 2 and "qa dossier antrag KENNUNG" in nothing.err
    round_ = run_qa("dossier", "--runde", "1999", cwd=repo)
    assert round_.code == 2 and "Runde „1999“ gibt es nicht." in round_.err


def test_outside_git_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "kopie"
    shutil.copytree(SHIPPED_DATA, folder / "data")
    result = run_qa("dossier", "--runde", "2020", cwd=folder)
    assert result.code == 2
    assert "liegt in keinem Git-Repository; qa dossier liest die Geschichte" in result.err


def test_a_link_at_the_target_is_replaced_not_followed(repo: Path, tmp_path: Path) -> None:
    victim = tmp_path / "wichtig.txt"
    victim.write_text("bleibt", encoding="utf-8")
    link = tmp_path / "d.zip"
    link.symlink_to(victim)
    checked_manifest(make(repo, link, "antrag", REQUEST_ID))
    assert victim.read_text(encoding="utf-8") == "bleibt"
    assert not link.is_symlink()


def test_the_default_name_and_the_second_city(tmp_path: Path) -> None:
    root = repository_of(SECOND_CITY, tmp_path / "zweite")
    (round_file,) = (root / "data" / "entscheidungsmatrizen").glob("*.yaml")
    result = run_qa("dossier", "--runde", round_file.stem, cwd=root)
    assert result.code == 0, result.text
    archive = zipfile.ZipFile(root / f"dossier-runde-{round_file.stem}.zip")
    manifest = checked_manifest(archive)
    assert datetime.fromisoformat(manifest["revision_datum"]).year == 2020
    requests = [n for n in archive.namelist() if n.startswith("datensaetze/antraege/")]
    assert requests and f"entscheidungsvorlage-{round_file.stem}.html" in archive.namelist()
