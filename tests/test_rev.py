"""``--rev`` and ``--stand``: every read command answers from a past commit, read straight from
git (real repositories in tmp dirs, the shipped data and the second city), without touching the
working tree or the index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, SHIPPED_DATA, run_qa
from tests.test_diff import GIT_ENV

SECOND_CITY = REPO / "tests" / "fixtures" / "zweite-stadt" / "data"
OFFICE = "anlaufstellen/stadtteilbuero-batenbrock.yaml"


def git(repo: Path, *args: str, when: str | None = None) -> str:
    """Plain git with a fixed identity; ``when`` sets author and committer date."""
    dates = {} if when is None else {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV, **dates},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit(repo: Path, message: str, when: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)
    return git(repo, "rev-parse", "HEAD").strip()


def repository(tmp_path: Path, data: Path = SHIPPED_DATA) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(data, repo / "data")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "Stand Mai 2020", "2020-05-15T10:00:00+02:00")
    return repo


def replace(repo: Path, relative: str, old: str, new: str) -> None:
    path = repo / "data" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def qa(repo: Path, *args: str) -> tuple[int, str, str]:
    done = run_qa(*args, cwd=repo)
    return done.code, done.out, done.err


def untouched(repo: Path) -> tuple[str, bytes]:
    """What a read must leave as it was: git's view of the tree and the index, byte for byte."""
    return git(repo, "status", "--porcelain"), (repo / ".git" / "index").read_bytes()


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Three commits of the shipped data: May 2020, December 2020 (Batenbrock extended to
    12/2022), June 2021 (a new office file); plus an uncommitted edit in the working tree."""
    repo = repository(tmp_path)
    replace(repo, OFFICE, 'ende: "2020-12"', 'ende: "2022-12"')
    commit(repo, "Batenbrock verlängert", "2020-12-10T09:00:00+01:00")
    shutil.copy(repo / "data" / OFFICE, repo / "data" / "anlaufstellen" / "neues-buero.yaml")
    commit(repo, "Neues Büro", "2021-06-01T12:00:00+02:00")
    replace(repo, OFFICE, 'ende: "2022-12"', 'ende: "2019-12"')  # not committed
    return repo


def test_rev_answers_from_the_commit_and_leaves_tree_and_index_alone(history: Path) -> None:
    before = untouched(history)
    code, first, _ = qa(history, "expiring", "--before", "2020-12", "--rev", "HEAD~2", "-f", "csv")
    assert code == 0
    assert "stadtteilbuero-batenbrock" in first
    code, later, _ = qa(history, "expiring", "--before", "2020-12", "--rev", "HEAD", "-f", "csv")
    assert code == 0 and "stadtteilbuero-batenbrock" not in later
    code, now, _ = qa(history, "expiring", "--before", "2020-12", "-f", "csv")
    assert code == 0 and "2019-12" in now  # the working tree is still what it was
    assert untouched(history) == before


@pytest.mark.parametrize(
    ("stand", "offices"),
    [("2020-05-15", 21), ("2020-11", 21), ("2020-12-10", 21), ("2021-05-31", 21), ("2021-06", 22)],
)
def test_stand_takes_the_last_commit_on_or_before_the_day(
    history: Path, stand: str, offices: int
) -> None:
    code, out, err = qa(history, "list", "--stand", stand, "-f", "json")
    assert code == 0, err
    assert len(json.loads(out)["anlaufstellen"]) == offices


def test_stand_follows_first_parents(history: Path) -> None:
    """A side branch's commit dated earlier counts from the day of its merge, as the branch saw
    it: before the merge's day the state is the one without it."""
    git(history, "checkout", "-q", "--", ".")
    git(history, "checkout", "-q", "-b", "seite", "HEAD~2")
    replace(history, OFFICE, 'ende: "2020-12"', 'ende: "2030-12"')
    git(history, "commit", "-q", "-am", "seitlich", when="2020-06-01T10:00:00+02:00")
    git(history, "checkout", "-q", "main")
    git(history, "merge", "-q", "-s", "ours", "-m", "Zusammenführung", "seite",
        when="2021-07-01T10:00:00+02:00")  # fmt: skip
    code, out, _ = qa(history, "show", "stadtteilbuero-batenbrock", "--rev", "seite")
    assert code == 0 and "12/2030" in out
    code, out, _ = qa(history, "show", "stadtteilbuero-batenbrock", "--stand", "2020-06-30")
    assert code == 0 and "12/2020" in out and "12/2030" not in out


def test_december_state_by_date(history: Path) -> None:
    code, out, _ = qa(history, "show", "stadtteilbuero-batenbrock", "--stand", "2020-12-31")
    assert code == 0 and "12/2022" in out


def test_a_renamed_record_is_found_under_its_name_of_then(history: Path) -> None:
    git(history, "checkout", "-q", "--", ".")
    new = "data/anlaufstellen/neues-buero.yaml"
    git(history, "mv", new, "data/anlaufstellen/zweites-buero.yaml")
    commit(history, "umbenannt", "2021-08-01T10:00:00+02:00")
    assert qa(history, "show", "neues-buero")[0] == 2
    code, out, _ = qa(history, "show", "neues-buero", "--rev", "HEAD~1")
    assert code == 0 and "Stadtteilbüro Batenbrock" in out
    assert qa(history, "show", "zweites-buero", "--rev", "HEAD~1")[0] == 2
    code, out, _ = qa(history, "list", "--rev", "HEAD", "-f", "csv")
    assert "zweites-buero" in out and "neues-buero" not in out
    code, out, _ = qa(history, "list", "--rev", "HEAD~1", "-f", "csv")
    assert "zweites-buero" not in out and "neues-buero" in out


def test_a_revision_with_errors_exits_1_naming_the_revision(history: Path) -> None:
    git(history, "checkout", "-q", "--", ".")
    replace(history, OFFICE, "gebiet: batenbrock", "gebiet: nirgendwo")
    commit(history, "kaputt", "2021-09-01T10:00:00+02:00")
    git(history, "tag", "kaputt")
    replace(history, OFFICE, "gebiet: nirgendwo", "gebiet: batenbrock")
    commit(history, "repariert", "2021-09-02T10:00:00+02:00")
    assert qa(history, "expiring", "--before", "2020-12")[0] == 0
    code, _, err = qa(history, "expiring", "--before", "2020-12", "--rev", "kaputt")
    assert code == 1
    assert f"kaputt:data/{OFFICE}:" in err
    assert "nirgendwo" in err and "Datenstand kaputt (Commit" in err
    code, out, _ = qa(history, "validate", "--rev", "kaputt")
    assert code == 1
    assert out.startswith("Datenstand kaputt (Commit ")
    assert "vom 01.09.2021), geprüft mit den Regeln dieser qa-Version" in out
    assert f"kaputt:data/{OFFICE}:" in out
    cached = qa(history, "validate", "--rev", "kaputt")
    assert cached == (code, out, "") == qa(history, "validate", "--rev", "kaputt", "--no-cache")
    code, out, _ = qa(history, "validate", "--stand", "2021-09-01", "-f", "json")
    assert code == 1 and json.loads(out)["datenstand"].startswith("Datenstand ")
    assert qa(history, "validate", "--stand", "2021-09-02")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--rev", "HEAD", "--stand", "2021-01"), "--rev und --stand schließen sich aus"),
        (("--rev", "gibt-es-nicht"), "Revision „gibt-es-nicht“ gibt es in diesem Repository nicht"),
        (("--rev", "--all"), "Revision „--all“ gibt es in diesem Repository nicht"),
        (("--stand", "2020-05-14"), "Zum 14.05.2020 gibt es noch keinen Datenstand"),
        (("--stand", "2020-13"), "--stand „2020-13“ ist kein Datum"),
        (("--stand", "gestern"), "--stand „gestern“ ist kein Datum"),
    ],
)
def test_a_wrong_revision_or_date_is_a_usage_error(
    history: Path, args: tuple[str, ...], message: str
) -> None:
    for command in (("expiring",), ("validate",), ("report", "entscheidung")):
        code, out, err = qa(history, *command, *args)
        assert code == 2, (command, err)
        assert message in err and "Traceback" not in err and not out


def test_rev_outside_a_repository_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copytree(SHIPPED_DATA, tmp_path / "data")
    code, _, err = qa(tmp_path, "list", "--rev", "HEAD", "--data", str(tmp_path / "data"))
    assert code == 2 and "Git-Repository" in err


def test_second_city_at_a_revision(tmp_path: Path) -> None:
    repo = repository(tmp_path, SECOND_CITY)
    before_expiring = qa(repo, "expiring", "--before", "2021-12", "-f", "json")
    before_monitor = qa(repo, "monitor", "-f", "json")
    assert before_expiring[0] == 0 and "mobile-quartiersarbeit-sued" in before_expiring[1]
    office = "anlaufstellen/mobile-quartiersarbeit-sued.yaml"
    replace(repo, office, 'ende: "2020-09"', 'ende: "2030-09"')
    commit(repo, "verlängert", "2021-01-01T10:00:00+01:00")
    code, now, _ = qa(repo, "expiring", "--before", "2021-12", "-f", "json")
    assert code == 0 and "mobile-quartiersarbeit-sued" not in now
    assert qa(repo, "expiring", "--before", "2021-12", "-f", "json", "--rev", "HEAD~1") == (
        before_expiring
    )
    assert qa(repo, "monitor", "-f", "json", "--stand", "2020-05") == before_monitor
    args = ("diff", "--stand", "2020-12", "--stand", "2021-01", "--before", "2021-12", "-f", "json")
    code, out, _ = qa(repo, *args)
    changes = json.loads(out)["ergebnisse"]["aenderungen"]
    assert [(c["thema"], c["datensatz"], c["neu"]) for c in changes] == [
        ("auslaufend", "mobile-quartiersarbeit-sued", None)
    ]


def test_expiring_without_a_window_counts_from_the_commit_day(history: Path) -> None:
    """The next six months at a revision start on the commit's day, as they did then."""
    code, out, _ = qa(history, "expiring", "--rev", "HEAD~2", "-f", "json")
    assert code == 0
    assert json.loads(out)["zeitraum"]["heute"] == "2020-05-15"


def test_every_read_command_takes_rev_and_stand() -> None:
    from typer.main import get_command

    from qa_cli.cli.app import app

    root = get_command(app)
    missing = []
    writers = {"new", "import", "install-git-driver", "schema", "completion", "diff"}
    # qa log reads every commit itself (its range is --since and its record's history)
    writers.add("log")

    def walk(command: object, path: str) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, f"{path} {name}".strip())
            return
        if path.split(" ")[0] in writers:
            return
        options = {o for p in getattr(command, "params", []) for o in getattr(p, "opts", [])}
        if not {"--rev", "--stand"} <= options:
            missing.append(path)

    walk(root, "")
    assert not missing


def test_a_decision_paper_made_again_at_its_commit_is_byte_identical(tmp_path: Path) -> None:
    """Made at the clean tree with SOURCE_DATE_EPOCH = the commit's time (as a reproducible
    build would), then the data change; made again with --rev: the same bytes, md and html."""
    repo = repository(tmp_path)
    made = git(repo, "log", "-1", "--format=%H %ct").split()
    then = {"SOURCE_DATE_EPOCH": made[1]}
    papers = {}
    for suffix in ("md", "html"):
        target = tmp_path / f"vorlage.{suffix}"
        assert run_qa("report", "entscheidung", "-o", str(target), cwd=repo, env=then).code == 0
        papers[suffix] = target.read_bytes()
    assert b"Erstellt am 15.05.2020 aus dem Datenstand " + made[0][:10].encode() in papers["md"]
    replace(repo, "antraege/2020-stadtteilbuero-batenbrock.yaml", "betrag: 24000", "betrag: 9000")
    commit(repo, "Betrag gekürzt", "2021-02-01T10:00:00+01:00")
    for suffix, first in papers.items():
        later = tmp_path / f"spaeter.{suffix}"
        assert run_qa("report", "entscheidung", "-o", str(later), cwd=repo).code == 0
        assert later.read_bytes() != first  # the change shows: the comparison can fail
        again = tmp_path / f"wieder.{suffix}"
        done = run_qa("report", "entscheidung", "--rev", made[0][:8], "-o", str(again), cwd=repo)
        assert done.code == 0, done.err
        assert again.read_bytes() == first, suffix
    code, out, _ = qa(repo, "report", "entscheidung", "--rev", "HEAD~1", "-f", "json")
    assert code == 0
    stamp = json.loads(out)["datenstand"]
    assert stamp["commit"] == made[0] and stamp["revision"] == "HEAD~1"
    assert stamp["erstellt_am"] == "2020-05-15T08:00:00+00:00"


def test_diff_compares_the_results_of_two_days(history: Path) -> None:
    """Between the two states: Batenbrock left the expiring list (extended in December), a
    lower amount lets a waiting request in, and Altstadt's share falls below the others, so it
    changes class and leaves the attention list."""
    git(history, "checkout", "-q", "--", ".")
    replace(
        history, "antraege/2020-stadtteilbuero-batenbrock.yaml", "betrag: 24000", "betrag: 9000"
    )
    replace(history, "indikatoren/werte/2022-statistische-bezirke.yaml", "wert: 45.1", "wert: 5.1")
    commit(history, "Betrag und Wert", "2021-07-01T10:00:00+02:00")
    before = untouched(history)
    args = ("diff", "--stand", "2020-11-30", "--stand", "2021-07", "--before", "2020-12")
    code, out, err = qa(history, *args, "-f", "json")
    assert untouched(history) == before
    assert code == 0, err
    changes = {
        (c["thema"], c["datensatz"]): c for c in json.loads(out)["ergebnisse"]["aenderungen"]
    }
    assert changes[("auslaufend", "stadtteilbuero-batenbrock")]["neu"] is None
    flow = changes[("entscheidung", "2020-familienort-die-bruecke-flow-batenbrock")]
    assert (flow["alt"]["entscheidung"], flow["neu"]["entscheidung"]) == ("Warteliste", "gefördert")
    assert changes[("klasse", "altstadt")]["alt"] == "sehr niedrig"
    assert changes[("aufmerksamkeit", "altstadt")]["alt"] == "Status sehr niedrig"
    assert changes[("aufmerksamkeit", "altstadt")]["neu"] is None
    code, md, _ = qa(history, *args, "-f", "md")
    assert "### Ergebnisse: " in md
    assert "Gebiet altstadt (statistischer_bezirk, Ausgabe 2022 → 2022): nicht mehr auf der " in md
    code, plain, _ = qa(history, "diff", "--rev", "HEAD", "--ergebnisse")
    assert "Alle Ergebnisse gleich (Auslaufliste bis " in plain


def test_diff_of_results_refuses_invalid_states_and_mixed_forms(history: Path) -> None:
    git(history, "checkout", "-q", "--", ".")
    replace(history, OFFICE, "gebiet: batenbrock", "gebiet: nirgendwo")
    code, out, _ = qa(history, "diff", "--rev", "HEAD", "--ergebnisse")
    assert code == 0
    assert "Ergebnisse nicht verglichen: Arbeitsverzeichnis enthält 1 Fehler" in out
    for args in (("HEAD", "--rev", "HEAD"), ("--rev", "HEAD", "--stand", "2021-01")):
        code, _, err = qa(history, "diff", *args)
        assert code == 2 and "qa: Fehler:" in err
