"""Quartiersmonitoring: MSS arithmetic by hand and against NumPy, gates, validation, commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_cli.domain.monitoring import Monitor, dynamic_class, standardise, status_class
from qa_cli.models.gebiet import Gebiet
from qa_cli.models.indikator import Indikator, Indikatorensatz
from qa_cli.store.pipeline import load
from tests.conftest import run_qa

SOURCE = [{"dokument": "Test"}]


def indicator(
    direction: str, kind: str = "status", weight: float = 1.0, unit: str = "prozent"
) -> Indikator:
    return Indikator.model_validate(
        {
            "name": f"Indikator {direction}",
            "definition": {"zaehler": "z"},
            "einheit": unit,
            "richtung": direction,
            "typ": kind,
            "gewicht": weight,
            "quelle": SOURCE,
        }
    )


def area(name: str) -> Gebiet:
    return Gebiet.model_validate({"name": name, "art": "statistischer_bezirk", "quelle": SOURCE})


def value_set(year: int, values: dict[str, dict[str, Any]]) -> Indikatorensatz:
    return Indikatorensatz.model_validate(
        {
            "jahr": year,
            "gliederung": "statistischer_bezirk",
            "werte": {u: {i: {"wert": v} for i, v in row.items()} for u, row in values.items()},
            "quelle": SOURCE,
        }
    )


CATALOGUE = {
    "arm": indicator("hoeher_unguenstiger"),
    "gut": indicator("hoeher_guenstiger"),
    "einwohner": indicator("neutral", "kontext", unit="personen"),
}
AREAS = {unit: area(unit.upper()) for unit in ("a", "b", "c", "d", "e")}


def test_hand_computed_example() -> None:
    """Four units; 'arm' 10, 20, 30, 40 (mean 25, population sd √125 ≈ 11.18);
    'gut' 40, 30, 20, 10 is the same information with the opposite direction."""
    sets = (
        value_set(
            2022,
            {
                u: {"arm": a, "gut": g}
                for u, a, g in [("a", 10, 40), ("b", 20, 30), ("c", 30, 20), ("d", 40, 10)]
            },
        ),
    )
    result = Monitor(AREAS, CATALOGUE, sets, 2022, "statistischer_bezirk").status()
    sd = 125**0.5
    assert result.z["a"]["arm"] == pytest.approx(-15 / sd)
    assert result.z["a"]["gut"] == pytest.approx(-15 / sd)  # sign follows the direction
    # sums are 2·z; their sd is 2 → the index equals z of one indicator
    assert result.index == pytest.approx(
        {"a": -1.3416, "b": -0.4472, "c": 0.4472, "d": 1.3416}, abs=1e-4
    )
    assert result.classes == {"a": "hoch", "b": "mittel", "c": "mittel", "d": "niedrig"}
    assert result.left_out == {
        "e": "keine Angabe (Werten 2022) für: Indikator hoeher_unguenstiger, Indikator hoeher_guenstiger"
    }


def test_class_boundaries() -> None:
    assert [status_class(x) for x in (-1.01, -1.0, 1.0, 1.01, 1.5, 1.51)] == [
        "hoch",
        "mittel",
        "mittel",
        "niedrig",
        "niedrig",
        "sehr niedrig",
    ]
    assert [dynamic_class(x) for x in (-1.01, 0.0, 1.0, 1.01)] == [
        "positiv",
        "stabil",
        "stabil",
        "negativ",
    ]


def test_too_few_residents_and_missing_values_are_left_out_with_reasons() -> None:
    sets = (
        value_set(
            2022,
            {
                "a": {"arm": 10, "einwohner": 5000},
                "b": {"arm": 20, "einwohner": 250},
                "c": {"arm": 30},
                "d": {"arm": "k.A.", "einwohner": 900},
                "e": {"arm": 50, "einwohner": 800},
            },
        ),
    )
    result = Monitor(AREAS, CATALOGUE, sets, 2022, "statistischer_bezirk").status()
    assert sorted(result.index) == ["a", "c", "e"]
    assert "250 Einwohner (2022) < Schwelle 300" in result.left_out["b"]
    assert "für: Indikator hoeher_unguenstiger" in result.left_out["d"]
    assert any("Schwelle nicht prüfbar: c" in note for note in result.notes)
    lower = Monitor(
        AREAS, CATALOGUE, sets, 2022, "statistischer_bezirk", min_residents=100
    ).status()
    assert "b" in lower.index


def test_dynamic_index_uses_the_change_over_two_years() -> None:
    sets = (
        value_set(2020, {u: {"arm": v} for u, v in zip("abcd", (10, 20, 30, 40), strict=True)}),
        value_set(2022, {u: {"arm": v} for u, v in zip("abcd", (12, 20, 35, 40), strict=True)}),
    )
    result = Monitor(AREAS, CATALOGUE, sets, 2022, "statistischer_bezirk").dynamic()
    assert result.inputs == {
        "a": {"arm": 2.0},
        "b": {"arm": 0.0},
        "c": {"arm": 5.0},
        "d": {"arm": 0.0},
    }
    assert result.classes["c"] == "negativ"  # the biggest increase of a disadvantage


def test_one_unit_gives_no_index_and_says_why() -> None:
    sets = (value_set(2022, {"a": {"arm": 10}}),)
    result = Monitor(AREAS, CATALOGUE, sets, 2022, "statistischer_bezirk").status()
    assert result.index == {} and "Weniger als zwei Gebiete" in result.left_out["a"]


@settings(max_examples=100, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.floats(0, 100, allow_nan=False), st.floats(0, 100, allow_nan=False)),
        min_size=3,
        max_size=12,
    ),
    weights=st.tuples(st.floats(0.1, 5), st.floats(0.1, 5)),
)
def test_index_matches_an_independent_numpy_computation(
    data: list[tuple[float, float]], weights: tuple[float, float]
) -> None:
    units = [f"u{i}" for i in range(len(data))]
    matrix = np.array(data)
    if (matrix.std(axis=0) < 1e-6).any():
        return
    catalogue = {
        "x": indicator("hoeher_unguenstiger", weight=weights[0]),
        "y": indicator("hoeher_guenstiger", weight=weights[1]),
    }
    z, index, _ = standardise(
        {u: {"x": a, "y": b} for u, (a, b) in zip(units, data, strict=True)}, catalogue
    )
    expected_z = (matrix - matrix.mean(axis=0)) / matrix.std(axis=0) * np.array([1, -1])
    sums = expected_z @ np.array(weights)
    if sums.std() < 1e-9:
        return
    expected = sums / sums.std()
    assert [z[u]["x"] for u in units] == pytest.approx(list(expected_z[:, 0]), abs=1e-9)
    assert [index[u] for u in units] == pytest.approx(list(expected), abs=1e-9)


def test_monitor_on_the_shipped_public_figures() -> None:
    result = run_qa("monitor", "--format", "json")
    assert result.code == 0, result.text
    report = json.loads(result.out)
    assert report["jahr"] == 2022 and report["statusindikatoren"] == ["migrationsanteil"]
    rows = {row["id"]: row for row in report["gebiete"]}
    assert rows["altstadt"]["werte"]["migrationsanteil"] == 45.1
    assert rows["altstadt"]["statusklasse"] == "sehr niedrig"
    assert rows["fuhlenbrock-wald"]["statusklasse"] == "hoch"
    assert {row["id"] for row in report["ausgelassen"]} >= {
        "kirchhellen-mitte",
        "kirchhellen-nord-west",
    }


def test_profile_of_the_altstadt() -> None:
    result = run_qa("profile", "altstadt")
    assert result.code == 0, result.text
    assert (
        "45,1 % (Stadt: 23,6 %; Rang 1 von 12; Verlauf: 2019: 41,0 % · 2021: 43,4 % · 2022: 45,1 %)"
        in result.out
    )
    assert "Statusindex: 1,72 (sehr niedrig)" in result.out
    assert (
        "Quartierszentrum Startklar Innenstadt (quartierszentrum-startklar-innenstadt): Förderung bis 12/2020"
        in result.out
    )
    assert (
        "Klimagerechter Stadtumbau: Quartiersbüro in der Innenstadt, Stadtumbaubüro im Haus der Beratung"
        in result.out
    )
    assert (
        "keine Anlaufstelle für:" in result.out
        and "Familien" in result.out.split("keine Anlaufstelle für:")[1]
    )
    document = json.loads(run_qa("profile", "Altstadt", "--format", "json").out)
    assert document["hoher_bedarf"] is True and "familien" in document["ohne_angebot"]


def test_profile_of_an_unknown_or_ambiguous_unit() -> None:
    unknown = run_qa("profile", "altstad")
    assert unknown.code == 2 and "altstadt" in unknown.err
    ambiguous = run_qa("profile", "Boy")
    assert ambiguous.code == 2 and "boy-bezirk" in ambiguous.err


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_validation_of_indicator_sets(shipped_copy: Path) -> None:
    write(
        shipped_copy,
        "indikatoren/werte/2022-test.yaml",
        """jahr: 2022
gliederung: statistischer_bezirk
werte:
  altstadt:
    migrationsanteil: {wert: 12.0}
  boy-bezirk:
    migrationsanteil: {wert: 120.0}
    unbekannt: {wert: 1}
  batenbrock:
    einwohner: {wert: 100}
  nirgendwo:
    einwohner: {wert: nan}
quelle: [{dokument: Test}]
""",
    )
    problems = sorted((p.code, p.field) for p in load(shipped_copy).problems)
    assert problems == [
        ("ungueltiger-wert", "werte.nirgendwo.einwohner.wert"),
    ]
    write(
        shipped_copy,
        "indikatoren/werte/2022-test.yaml",
        (shipped_copy / "indikatoren/werte/2022-test.yaml")
        .read_text()
        .replace("{wert: nan}", "{wert: 5}"),
    )
    problems = sorted((p.code, p.field) for p in load(shipped_copy).problems)
    assert problems == [
        ("doppelter-wert", "werte.altstadt.migrationsanteil"),
        ("doppelter-wert", "werte.boy-bezirk.migrationsanteil"),
        ("falsche-gliederung", "werte.batenbrock"),
        ("unbekannte-referenz", "werte.boy-bezirk.unbekannt"),
        ("unbekannte-referenz", "werte.nirgendwo"),
        ("wert-ausserhalb-bereich", "werte.boy-bezirk.migrationsanteil.wert"),
    ]


def test_duplicate_value_in_one_set_is_a_duplicate_key(shipped_copy: Path) -> None:
    write(
        shipped_copy,
        "indikatoren/werte/2030-test.yaml",
        "jahr: 2030\ngliederung: statistischer_bezirk\nwerte:\n  altstadt:\n    migrationsanteil: {wert: 1}\n    migrationsanteil: {wert: 2}\nquelle: [{dokument: T}]\n",
    )
    assert [p.code for p in load(shipped_copy).problems] == ["doppelter-schluessel"]


def test_need_and_offer_lists_the_fund_projects_the_profile_lists() -> None:
    """The monitoring's need-versus-offer view and ``qa profile`` count the same projects; the
    projects in areas of another division are named, not dropped."""
    report = json.loads(run_qa("monitor", "--format", "json").out)
    rows = report["bedarf_angebot"]
    assert rows[0]["id"] == "altstadt"  # highest status index first
    assert [row["statusklasse"] for row in rows[-2:]] == [None, None]
    by_id = {row["id"]: row for row in rows}
    for unit in ("altstadt", "kirchhellen-mitte", "nord-ost"):
        profile = json.loads(run_qa("profile", unit, "--format", "json").out)
        projects = [project["id"] for project in profile["fondsprojekte"]]
        assert by_id[unit]["projekt_ids"] == projects
        assert by_id[unit]["fondsprojekte"] == len(projects)
    assert by_id["altstadt"]["anlaufstellen"] == 5 and by_id["kirchhellen-mitte"]["fondsprojekte"]
    placed = {aid for row in rows for aid in row["projekt_ids"]}
    elsewhere = set(report["fondsprojekte_ausserhalb"])
    assert placed.isdisjoint(elsewhere) and len(placed | elsewhere) == 12  # the shipped grants
    text = run_qa("monitor").out
    assert "Bedarf und Angebot (14)" in text
    assert f"Bedarf und Angebot: {len(elsewhere)} bewilligte Fondsprojekte liegen" in text


def test_need_and_offer_in_the_second_city(tmp_path: Path) -> None:
    """A fund project granted in a Sozialraum of the second city shows beside its need."""
    import shutil

    from tests.conftest import REPO
    from tests.fonds_fixture import APPLICATION, FUND

    root = tmp_path / "data"
    shutil.copytree(REPO / "tests" / "fixtures" / "zweite-stadt" / "data", root)
    write(
        root,
        "fonds/testfonds.yaml",
        FUND.replace("stadtbezirk: nordstadt", "stadtbezirk: stadtbezirk-nord"),
    )
    write(
        root,
        "fondsantraege/hoffest.yaml",
        APPLICATION.replace("gebiet: altdorf", "gebiet: altmarkt"),
    )
    assert run_qa("validate", "--no-cache", "--data", str(root)).code == 0
    report = json.loads(run_qa("monitor", "--format", "json", "--data", str(root)).out)
    first = report["bedarf_angebot"][0]
    assert (first["id"], first["statusklasse"]) == ("altmarkt", "sehr niedrig")
    assert (first["projekt_ids"], first["projekte"]) == (["hoffest"], "Hoffest")
    assert report["fondsprojekte_ausserhalb"] == []
