"""``qa fonds …``, the fund papers under ``qa report`` and ``qa diff`` on a fund, run as a user
runs them, on a small fund whose figures are computed by hand in each test's docstring."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_qa
from tests.fonds_fixture import APPLICATION, write_fund
from tests.test_diff import commit, git

PAID_BACK = (
    APPLICATION.replace("1000", "1500")
    .replace("Verein A", "Verein A")
    .replace(
        'faellig_am: "2021-12-31"',
        'faellig_am: "2021-11-30"\n  eingegangen_am: "2021-11-20"\n'
        "  anerkannt: Ja\n  ausgegeben: 1300\n  zurueckgezahlt: 200",
    )
)
WELFARE = (
    APPLICATION.replace(
        "name: Verein A\n    art: verein", "name: Caritas\n    art: wohlfahrtsverband"
    )
    .replace("1000", "800")
    .replace("kostenstelle: allgemein", "kostenstelle: wohlfahrt")
    .replace('auszahlungen:\n  - datum: "2021-05-01"\n    betrag: 800\n', "auszahlungen: []\n")
    .replace('faellig_am: "2021-12-31"', 'faellig_am: "2021-06-30"')
)
OPEN = """fonds: testfonds
antragsteller:
  - name: Nachbarn Ringstraße
    art: verein
  - name: Verein C
    art: verein
projekt:
  titel: Straßenfest
gebiet: altdorf
ziele: [kultur]
betrag_beantragt: 1400
eingang: "2021-09-20"
frist: "2021-10-01"
entscheidung:
  status: offen
  kostenstelle: allgemein
quelle:
  - dokument: Test
"""


@pytest.fixture
def fund(tmp_path: Path) -> Path:
    return write_fund(
        tmp_path / "data", {"a": APPLICATION, "b": PAID_BACK, "w": WELFARE, "offen": OPEN}
    )


def qa_json(*args: str) -> dict[str, Any]:
    result = run_qa(*args, "--format", "json")
    assert result.code == 0, result.text
    return dict(json.loads(result.out))


def test_state_of_a_year(fund: Path) -> None:
    """allgemein 2021: budget 3.000; granted 1.000 + 1.500 = 2.500; paid 2.500; 200 back;
    left 3.000 − 2.500 + 200 = 700; used (2.500 − 200) / 3.000 = 76,67 %.
    wohlfahrt 2021: budget 2.000; granted 800, nothing paid; left 1.200; used 40 %."""
    rows = qa_json("fonds", "stand", "testfonds", "--jahr", "2021", "--data", str(fund))["stand"]
    by_line = {row["kostenstelle_id"]: row for row in rows}
    general, welfare = by_line["allgemein"], by_line["wohlfahrt"]
    assert (general["budget"], general["bewilligt"], general["ausgezahlt"]) == (3000, 2500, 2500)
    assert (general["zurueckgezahlt"], general["frei"], general["projekte"]) == (200, 700, 2)
    assert general["genutzt_prozent"] == pytest.approx(76.6667)
    assert (welfare["bewilligt"], welfare["ausgezahlt"], welfare["frei"]) == (800, 0, 1200)
    assert welfare["genutzt_prozent"] == pytest.approx(40.0)


def test_state_table_for_people(fund: Path) -> None:
    result = run_qa(
        "fonds",
        "stand",
        "--jahr",
        "2021",
        "--kostenstelle",
        "allgemein",
        "testfonds",
        "--data",
        str(fund),
    )
    assert result.code == 0, result.text
    line = next(line for line in result.out.splitlines() if line.startswith("2021"))
    assert line.split() == [
        "2021",
        "Allgemein",
        "3.000",
        "2",
        "2.500",
        "0",
        "2.500",
        "2.500",
        "200",
        "700",
        "76,7",
    ]


def test_an_unknown_amount_makes_the_totals_unknown(fund: Path) -> None:
    """A backfilled grant of 2021 without amount: granted, left and used are unknown, the known
    sum stays 2.500."""
    unknown = (
        APPLICATION.replace("  betrag_bewilligt: 1000\n", "")
        .replace("fonds: testfonds\n", "fonds: testfonds\nnachgetragen: Ja\n")
        .replace("betrag_beantragt: 1000\n", "")
        .replace('auszahlungen:\n  - datum: "2021-05-01"\n    betrag: 1000\n', "")
    )
    (fund / "fondsantraege" / "u.yaml").write_text(unknown, encoding="utf-8")
    rows = qa_json("fonds", "stand", "testfonds", "--jahr", "2021", "--data", str(fund))["stand"]
    general = next(row for row in rows if row["kostenstelle_id"] == "allgemein")
    assert general["bewilligt"] is None and general["frei"] is None
    assert general["genutzt_prozent"] is None and general["ausgezahlt"] is None
    assert (general["bewilligt_bekannt"], general["betraege_unbekannt"]) == (2500, 1)


def test_round_with_the_rules_verdicts(fund: Path) -> None:
    """Round 01.10.2021: the open Kooperationsprojekt asks 1.400 € (cap 2.000 €), 700 € are
    left in „allgemein“: the budget rule says it does not fit."""
    report = qa_json("fonds", "antraege", "testfonds", "--frist", "01.10.2021", "--data", str(fund))
    (row,) = report["frist_2021-10-01"]
    assert row["id"] == "offen" and row["kooperation"] is True
    assert row["pruefung"] == [
        "Höchstbetrag: erfüllt (2.000 €, Kooperationsprojekt)",
        "Ziele: erfüllt (1)",
        "Gebiet: erfüllt",
        "Frist: erfüllt (Eingang 20.09.2021)",
        "Budget: VERLETZT (frei 700 €)",
    ]


def test_every_round_without_frist(fund: Path) -> None:
    report = qa_json("fonds", "antraege", "testfonds", "--data", str(fund))
    assert [r["id"] for r in report["frist_2021-04-01"]] == ["a", "b", "w"]
    assert [r["id"] for r in report["frist_2021-10-01"]] == ["offen"]


def test_proofs_of_use_before_a_month(fund: Path) -> None:
    """Today 15.07.2021, due by 12/2021 (31.12.2021): w (due 30.06.) is overdue, a (31.12.)
    is due, b (due 30.11., received 20.11.) is received."""
    report = qa_json(
        "fonds",
        "nachweise",
        "testfonds",
        "--before",
        "2021-12",
        "--today",
        "2021-07-15",
        "--data",
        str(fund),
    )
    assert [r["id"] for r in report["ueberfaellig"]] == ["w"]
    assert [r["id"] for r in report["faellig"]] == ["a"]
    assert [r["id"] for r in report["eingegangen"]] == ["b"]
    assert report["unbekannt"] == []


def test_proofs_of_use_within_months(fund: Path) -> None:
    """--within 3 from 15.07.2021: 01.07. to 31.10.2021; only the overdue one remains."""
    report = qa_json(
        "fonds",
        "nachweise",
        "testfonds",
        "--within",
        "3",
        "--today",
        "2021-07-15",
        "--data",
        str(fund),
    )
    assert [r["id"] for r in report["ueberfaellig"]] == ["w"]
    assert report["faellig"] == [] and report["eingegangen"] == []


def test_proofs_refuse_a_wrong_call(fund: Path) -> None:
    result = run_qa("fonds", "nachweise", "testfonds", "--before", "2021-13", "--data", str(fund))
    assert result.code == 2 and "Fehler" in result.err


def test_unknown_fund_is_a_usage_error_with_suggestion(fund: Path) -> None:
    result = run_qa("fonds", "stand", "testfond", "--data", str(fund))
    assert result.code == 2 and "Meinten Sie „testfonds“?" in result.err


def test_meeting_paper(fund: Path) -> None:
    result = run_qa("report", "fonds-sitzung", "--frist", "2021-10-01", "--data", str(fund))
    assert result.code == 0, result.text
    paper = result.out
    assert paper.startswith("# Sitzungsvorlage Testfonds, Frist 01.10.2021")
    assert (
        "| Entscheidung |"
        in paper.splitlines()[paper.splitlines().index("## Anträge und Prüfung") + 2]
    )
    assert "Straßenfest" in paper and "Budget: VERLETZT (frei 700 €)" in paper
    assert (
        "| 2021 | Allgemein | 3.000 | 2 | 2.500 | 0 | 2.500 | 2.500 | 200 | 700 | 76,7 |" in paper
    )
    assert "beschlussfähig ab 2 Mitgliedern." in paper


def test_minutes_decisions(fund: Path) -> None:
    result = run_qa(
        "report", "fonds-beschluesse", "--frist", "2021-04-01", "--data", str(fund), "-f", "json"
    )
    rows = json.loads(result.out)["beschluesse"]
    assert [(r["id"], r["status"], r["bewilligt"]) for r in rows] == [
        ("a", "bewilligt", 1000),
        ("b", "bewilligt", 1500),
        ("w", "bewilligt", 800),
    ]
    assert rows[0]["teilnehmende"] == ["m1", "m2", "m3"]


def test_public_list_has_no_contact_data(fund: Path) -> None:
    (fund / "fondsantraege" / "a.yaml").write_text(
        APPLICATION.replace(
            "    art: verein\n", "    art: verein\n    kontakt: geheim@example.org\n", 1
        ),
        encoding="utf-8",
    )
    result = run_qa("report", "fonds-projekte", "-f", "csv", "--data", str(fund))
    assert result.code == 0, result.text
    assert "geheim" not in result.out
    assert len(result.out.splitlines()) == 1 + 3  # header and the three granted projects


def test_yearly_report_with_chart(fund: Path, tmp_path: Path) -> None:
    target = tmp_path / "jahr.html"
    result = run_qa(
        "report", "fonds-jahresbericht", "--jahr", "2021", "-o", str(target), "--data", str(fund)
    )
    assert result.code == 0, result.text
    html = target.read_text(encoding="utf-8")
    assert html.count("<svg") == 1 and "<title>Budget und bewilligte" in html
    assert ">5.000</text>" in html and ">3.300</text>" in html  # budget and granted of 2021
    report = json.loads(
        run_qa(
            "report", "fonds-jahresbericht", "--jahr", "2021", "-f", "json", "--data", str(fund)
        ).out
    )
    assert report["wiederholt"] == [{"name": "Verein A", "projekte": 2}]
    assert {r["kennung"]: r["projekte"] for r in report["antragstellerarten"]} == {
        "verein": 2,
        "wohlfahrtsverband": 1,
    }
    assert report["gebiete"] == [{"wert": "Altdorf", "kennung": "altdorf", "projekte": 3}]
    assert report["stadtbezirke"] == [{"wert": "Nordstadt", "kennung": "nordstadt", "projekte": 3}]


def test_shipped_fund_state_says_what_is_unknown() -> None:
    report = qa_json("fonds", "stand", "stadtteilfonds", "--jahr", "2019")
    (row,) = report["stand"]
    assert (row["budget"], row["projekte"], row["betraege_unbekannt"]) == (15000, 3, 3)
    assert row["bewilligt"] is None and row["genutzt_prozent"] is None


def test_diff_marks_an_overspending_change_kritisch(fund: Path) -> None:
    repo = fund.parent
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "Stand")
    path = fund / "fonds" / "testfonds.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("betrag: 3000", "betrag: 2000"), encoding="utf-8"
    )
    commit(repo)
    result = run_qa("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo)
    assert result.code == 0, result.text
    (consequence,) = json.loads(result.out)["folgen"]
    assert consequence["thema"] == "fonds-ueberzogen" and consequence["stufe"] == "kritisch"
    assert "frei 700 € → -300 €" in consequence["meldung"]
