"""Areas whose boundaries change keep their identity: in a copy of the second city, the Sozialraum
Altmarkt ends in 12/2020 and Altmarkt (neu) follows it; the sets name their area edition. Broken
validity is a located German error with its code; the monitoring and the profile count only the
years an area held and say so, with no dynamic value across the change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from qa_cli.store.problems import CODES
from tests.conftest import REPO, run_qa

FIXTURE = REPO / "tests" / "fixtures" / "zweite-stadt" / "data"
WERTE = "indikatoren/werte"
NEW_AREA = """name: Altmarkt (neu)
art: sozialraum
uebergeordnet: stadtbezirk-mitte
gueltig_ab: "2021-01"
quelle:
  - dokument: "Neuzuschnitt der Sozialräume (fiktiv, Testdaten)"
"""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def with_edition(root: Path, year: int, month: str) -> Path:
    path = root / WERTE / f"{year}-sozialraeume.yaml"
    edit(path, "gliederung: sozialraum\n", f'gliederung: sozialraum\ngebietsstand: "{month}"\n')
    return path


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """The second city with Altmarkt replaced by Altmarkt (neu) from 01/2021."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    edit(
        root / "gebiete" / "altmarkt.yaml",
        "uebergeordnet: stadtbezirk-mitte\n",
        'uebergeordnet: stadtbezirk-mitte\ngueltig_bis: "2020-12"\nnachfolger: [altmarkt-neu]\n',
    )
    (root / "gebiete" / "altmarkt-neu.yaml").write_text(NEW_AREA, encoding="utf-8")
    with_edition(root, 2019, "2019-01")
    with_edition(root, 2020, "2020-01")
    edit(with_edition(root, 2022, "2022-01"), "\n  altmarkt:\n", "\n  altmarkt-neu:\n")
    return root


def validate(root: Path) -> tuple[int, str]:
    result = run_qa("validate", "--no-cache", "--data", str(root))
    return result.code, result.out + result.err


def test_the_changed_city_validates_and_shipped_data_still_does(changed: Path) -> None:
    assert validate(changed) == (0, "80 Dateien geprüft: keine Fehler.\n")
    assert validate(REPO / "data")[0] == 0
    assert validate(FIXTURE)[0] == 0


def test_the_new_codes_are_registered() -> None:
    codes = (
        "gueltigkeit-ungueltig",
        "nachfolger-ungueltig",
        "nachfolger-zyklus",
        "gebietsstand-fehlt",
        "gebietsstand-ungueltig",
    )
    assert [code for code in codes if code not in CODES] == []


def test_dates_out_of_order(changed: Path) -> None:
    edit(
        changed / "gebiete" / "altmarkt-neu.yaml",
        'gueltig_ab: "2021-01"',
        'gueltig_ab: "2021-01"\ngueltig_bis: "2020-06"',
    )
    code, text = validate(changed)
    assert code == 1
    assert "gebiete/altmarkt-neu.yaml:5" in text and "[gueltigkeit-ungueltig]" in text
    assert "„Altmarkt (neu)“ gilt bis 06/2020, aber erst ab 01/2021." in text


def test_unknown_or_early_successor_and_missing_end(changed: Path) -> None:
    edit(changed / "gebiete" / "altmarkt.yaml", "[altmarkt-neu]", "[altmarkt-neu, altmarkt-nue]")
    edit(changed / "gebiete" / "altmarkt-neu.yaml", '"2021-01"', '"2020-12"')
    edit(
        changed / "gebiete" / "ziegelei.yaml",
        "art: sozialraum\n",
        "art: sozialraum\nnachfolger: [altmarkt-neu]\n",
    )
    code, text = validate(changed)
    assert code == 1
    assert "Nachfolger „altmarkt-nue“ gibt es nicht (data/gebiete/)." in text
    assert "Meinten Sie „altmarkt-neu“?" in text
    assert "Nachfolger „Altmarkt (neu)“ gilt ab 12/2020, „Altmarkt“ aber bis 12/2020." in text
    assert "`gueltig_ab: 2021-01` im Nachfolger eintragen." in text
    assert "„Ziegelei“ hat Nachfolger, aber kein `gueltig_bis`." in text
    assert text.count("[nachfolger-ungueltig]") == 3


def test_a_cycle_of_successors(changed: Path) -> None:
    edit(
        changed / "gebiete" / "altmarkt-neu.yaml",
        'gueltig_ab: "2021-01"\n',
        'gueltig_ab: "2021-01"\ngueltig_bis: "2021-12"\nnachfolger: [altmarkt]\n',
    )
    code, text = validate(changed)
    assert code == 1
    assert "Nachfolger bilden einen Kreis: altmarkt → altmarkt-neu → altmarkt." in text
    assert "[nachfolger-zyklus]" in text


def test_a_set_names_its_edition_and_its_areas_hold_in_it(changed: Path) -> None:
    edit(changed / WERTE / "2019-sozialraeume.yaml", 'gebietsstand: "2019-01"\n', "")
    edit(
        changed / WERTE / "2022-sozialraeume.yaml",
        "\n  moorwiesen:\n",
        "\n  altmarkt:\n    bevoelkerung: {wert: 1}\n  moorwiesen:\n",
    )
    code, text = validate(changed)
    assert code == 1
    assert "2019-sozialraeume.yaml:2" in text and "[gebietsstand-fehlt]" in text
    assert "haben eine Gültigkeit (Altmarkt, Altmarkt (neu)), der Satz nennt aber keinen" in text
    assert "[gebietsstand-ungueltig]" in text
    assert (
        "„Altmarkt“ ist gültig bis 12/2020, der Satz zählt aber mit dem Gebietsstand 01/2022."
        in text
    )
    assert "Werte mit neuen Grenzen gehören zum Nachfolger (altmarkt-neu)." in text


def monitor(root: Path, *args: str) -> dict[str, Any]:
    result = run_qa("monitor", "--format", "json", "--data", str(root), *args)
    assert result.code == 0, result.text
    document: dict[str, Any] = json.loads(result.out)
    return document


def test_no_dynamic_value_across_the_change(changed: Path) -> None:
    report = monitor(changed)
    assert report["jahr"] == 2022 and report["vergleichsjahr"] == 2019
    rows = {row["id"]: row for row in report["gebiete"]}
    assert "altmarkt" not in rows and rows["altmarkt-neu"]["statusklasse"] is not None
    assert rows["altmarkt-neu"]["dynamikindex"] is None
    assert rows["moorwiesen"]["dynamikindex"] is not None
    reasons = {(r["id"], r["index"]): r["grund"] for r in report["ausgelassen"]}
    assert reasons[("altmarkt-neu", "Dynamik")] == (
        "Gebietsgrenzen geändert (Altmarkt (neu) ist gültig ab 01/2021; Vorgänger: Altmarkt "
        "(gültig bis 12/2020)); kein Dynamikwert über die Änderung hinweg"
    )
    assert (
        "Gebietsgrenzen geändert zwischen 2019 und 2022: kein Dynamikwert für Altmarkt (neu)."
        in report["hinweise"]
    )
    before = monitor(changed, "--jahr", "2020")
    rows_2020 = {row["id"] for row in before["gebiete"]}
    assert "altmarkt" in rows_2020 and "altmarkt-neu" not in rows_2020
    assert {row["id"]: row for row in before["gebiete"]}["altmarkt"]["dynamikindex"] is not None


def test_the_profiles_say_where_the_series_ends(changed: Path) -> None:
    new = run_qa("profile", "altmarkt-neu", "--data", str(changed))
    assert new.code == 0, new.text
    assert "Verlauf: 2022: " in new.out and "2019:" not in new.out
    assert (
        "Gebietsgrenzen geändert (Altmarkt (neu) ist gültig ab 01/2021; Vorgänger: Altmarkt "
        "(gültig bis 12/2020)). Der Verlauf zeigt nur Jahre mit diesen Grenzen; Werte anderer "
        "Grenzen werden nicht verglichen." in new.out
    )
    assert "Dynamikindex: k.A. (Gebietsgrenzen geändert" in new.out
    old = json.loads(run_qa("profile", "altmarkt", "--format", "json", "--data", str(changed)).out)
    assert old["jahr"] == 2020 and old["statusklasse"] is not None
    assert old["gebietsgrenzen"].startswith(
        "Gebietsgrenzen geändert (Altmarkt ist gültig bis 12/2020; Nachfolger: Altmarkt (neu))"
    )
    years = {point["jahr"] for line in old["kennzahlen"] for point in line["verlauf"]}
    assert years == {2019, 2020}


def test_the_sqlite_export_keeps_validity_and_successors(changed: Path, tmp_path: Path) -> None:
    import sqlite3

    target = tmp_path / "qa.sqlite"
    result = run_qa("export", "sqlite", str(target), "--data", str(changed))
    assert result.code == 0, result.text
    with sqlite3.connect(target) as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute(
            "SELECT g.gueltig_bis, n.nachfolger, neu.gueltig_ab FROM gebiete g "
            "JOIN gebiet_nachfolger n ON n.gebiet = g.id JOIN gebiete neu ON neu.id = n.nachfolger"
        ).fetchall() == [("2020-12", "altmarkt-neu", "2021-01")]
        editions = db.execute("SELECT jahr, gebietsstand FROM indikatorensaetze ORDER BY jahr")
        assert editions.fetchall() == [(2019, "2019-01"), (2020, "2020-01"), (2022, "2022-01")]
