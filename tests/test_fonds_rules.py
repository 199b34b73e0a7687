"""Every rule of a fund, each broken once: ``qa validate`` names code, file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_qa
from tests.fonds_fixture import APPLICATION, FUND, FUND_WITH_CONFLICT, line_of, write_fund


def _problems(root: Path) -> list[dict[str, object]]:
    result = run_qa("validate", "--no-cache", "--data", str(root), "--format", "json")
    report = json.loads(result.out)
    assert result.code == (1 if report["fehler"] else 0), result.err
    return list(report["fehler"])


def test_the_valid_application_is_valid(tmp_path: Path) -> None:
    assert _problems(write_fund(tmp_path / "data", {"gut": APPLICATION})) == []


TWO_APPLICANTS = APPLICATION.replace(
    "    art: verein\n", "    art: verein\n  - name: Verein B\n    art: verein\n", 1
)

# (rule, broken application, code, text on the reported line)
BROKEN = [
    (
        "hoechstbetrag",
        APPLICATION.replace("betrag_beantragt: 1000", "betrag_beantragt: 1600"),
        "fonds-hoechstbetrag",
        "betrag_beantragt: 1600",
    ),
    (
        "hoechstbetrag-kooperation",
        TWO_APPLICANTS.replace("betrag_beantragt: 1000", "betrag_beantragt: 2100"),
        "fonds-hoechstbetrag",
        "betrag_beantragt: 2100",
    ),
    (
        "ohne-ziel",
        APPLICATION.replace("ziele: [nachbarschaft]", "ziele: []"),
        "fonds-ohne-ziel",
        "ziele: []",
    ),
    (
        "unbekanntes-ziel",
        APPLICATION.replace("ziele: [nachbarschaft]", "ziele: [sport]"),
        "fonds-unbekanntes-ziel",
        "ziele: [sport]",
    ),
    # a rule about a whole mapping or list points at its first entry
    ("ohne-gebiet", APPLICATION.replace("gebiet: altdorf\n", ""), "fonds-gebiet", "titel:"),
    (
        "gebiet-unbekannt",
        APPLICATION.replace("gebiet: altdorf", "gebiet: mondstadt"),
        "unbekannte-referenz",
        "gebiet: mondstadt",
    ),
    (
        "nach-der-frist",
        APPLICATION.replace('eingang: "2021-03-15"', 'eingang: "2021-04-02"'),
        "fonds-frist",
        'eingang: "2021-04-02"',
    ),
    (
        "frist-nicht-erklaert",
        APPLICATION.replace('frist: "2021-04-01"', 'frist: "2021-05-01"'),
        "fonds-frist",
        'frist: "2021-05-01"',
    ),
    (
        "nicht-beschlussfaehig",
        APPLICATION.replace("teilnehmende: [m1, m2, m3]", "teilnehmende: [m2]"),
        "fonds-nicht-beschlussfaehig",
        "teilnehmende: [m2]",
    ),
    (
        "kein-mitglied",
        APPLICATION.replace("teilnehmende: [m1, m2, m3]", "teilnehmende: [m2, m3, m9]"),
        "fonds-gremium",
        "teilnehmende: [m2, m3, m9]",
    ),
    (
        "zweck-der-kostenstelle",
        APPLICATION.replace("kostenstelle: allgemein", "kostenstelle: wohlfahrt"),
        "fonds-kostenstelle-zweck",
        "kostenstelle: wohlfahrt",
    ),
    (
        "kostenstelle-unbekannt",
        APPLICATION.replace("kostenstelle: allgemein", "kostenstelle: sport"),
        "fonds-kostenstelle",
        "kostenstelle: sport",
    ),
    (
        "antragstellerart",
        APPLICATION.replace("art: verein", "art: firma"),
        "fonds-antragsteller-art",
        "art: firma",
    ),
    (
        "mehr-ausgezahlt",
        APPLICATION.replace("    betrag: 1000\n", "    betrag: 1200\n"),
        "fonds-auszahlung",
        '  - datum: "2021-05-01"',
    ),
]


@pytest.mark.parametrize(("rule", "text", "code", "where"), BROKEN, ids=[b[0] for b in BROKEN])
def test_each_rule(tmp_path: Path, rule: str, text: str, code: str, where: str) -> None:
    (problem,) = _problems(write_fund(tmp_path / "data", {"antrag": text}))
    assert problem["code"] == code
    assert str(problem["datei"]).endswith("fondsantraege/antrag.yaml")
    assert problem["zeile"] == line_of(text, where)


def test_a_member_with_a_declared_conflict_must_abstain(tmp_path: Path) -> None:
    root = write_fund(tmp_path / "data", {"befangen": APPLICATION})
    (root / "fonds" / "testfonds.yaml").write_text(FUND_WITH_CONFLICT, encoding="utf-8")
    (problem,) = _problems(root)
    assert problem["code"] == "fonds-befangenheit"
    assert problem["zeile"] == line_of(APPLICATION, "teilnehmende:")
    abstained = APPLICATION.replace(
        "  teilnehmende: [m1, m2, m3]\n",
        "  teilnehmende: [m1, m2, m3]\n  enthaltungen:\n    - mitglied: m1\n      grund: befangen\n",
    )
    (root / "fondsantraege" / "befangen.yaml").write_text(abstained, encoding="utf-8")
    assert _problems(root) == []


def test_abstentions_do_not_count_for_the_quorum(tmp_path: Path) -> None:
    text = APPLICATION.replace(
        "  teilnehmende: [m1, m2, m3]\n",
        "  teilnehmende: [m2, m3]\n  enthaltungen:\n    - mitglied: m3\n",
    )
    (problem,) = _problems(write_fund(tmp_path / "data", {"antrag": text}))
    assert problem["code"] == "fonds-nicht-beschlussfaehig"


def test_the_decision_that_overspends_the_year_is_reported(tmp_path: Path) -> None:
    """3.000 € in 2021 for „allgemein“: 1.000 + 1.500 fit, the third (2021-05-02) does not."""
    first = APPLICATION
    second = APPLICATION.replace("1000", "1500").replace('"2021-04-20"', '"2021-04-21"')
    third = APPLICATION.replace("1000", "600").replace('"2021-04-20"', '"2021-05-02"')
    root = write_fund(tmp_path / "data", {"a": first, "b": second, "c": third})
    (problem,) = _problems(root)
    assert problem["code"] == "fonds-budget-ueberschritten"
    assert str(problem["datei"]).endswith("fondsantraege/c.yaml")
    assert problem["zeile"] == line_of(third, "betrag_bewilligt:")
    assert "3.100 €" in str(problem["meldung"]) and "3.000 €" in str(problem["meldung"])


def test_a_received_application_must_name_goals_area_and_deadline(tmp_path: Path) -> None:
    bare = "fonds: testfonds\nantragsteller:\n  - name: X\nprojekt:\n  titel: T\n"
    bare += "quelle:\n  - dokument: Test\n"
    codes = sorted(str(p["code"]) for p in _problems(write_fund(tmp_path / "data", {"x": bare})))
    assert codes == ["fonds-frist", "fonds-gebiet", "fonds-ohne-ziel"]
    backfilled = bare.replace("fonds: testfonds\n", "fonds: testfonds\nnachgetragen: Ja\n")
    (tmp_path / "data" / "fondsantraege" / "x.yaml").write_text(backfilled, encoding="utf-8")
    assert _problems(tmp_path / "data") == []


def test_caps_come_from_the_fund_record(tmp_path: Path) -> None:
    text = APPLICATION.replace("betrag_beantragt: 1000", "betrag_beantragt: 1600")
    root = write_fund(tmp_path / "data", {"antrag": text})
    (root / "fonds" / "testfonds.yaml").write_text(
        FUND.replace("projekt: 1500", "projekt: 1700"), encoding="utf-8"
    )
    assert _problems(root) == []


def test_fund_parts_are_checked(tmp_path: Path) -> None:
    root = write_fund(tmp_path / "data", {})
    broken = FUND.replace("    kostenstelle: wohlfahrt\n", "    kostenstelle: sport\n").replace(
        '  - datum: "2021-10-01"', '  - datum: "2021-04-01"'
    )
    (root / "fonds" / "testfonds.yaml").write_text(broken, encoding="utf-8")
    problems = _problems(root)
    assert sorted((str(p["code"]), int(str(p["zeile"]))) for p in problems) == [
        ("fonds-doppelt", line_of(broken, '  - datum: "2021-04-01"') + 1),
        ("fonds-kostenstelle", line_of(broken, "kostenstelle: sport")),
    ]
