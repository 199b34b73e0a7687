"""Locations, the exports and the map end to end: ``qa validate`` on coordinates, ``qa export
geojson|json|sqlite`` and ``qa report karte``, each run as a real ``qa`` process on real files."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from qa_cli.distance import KM_PER_DEGREE, distance_km
from qa_cli.domain.geo import convex_hull, fan_out, frame_for, projection_for
from tests.conftest import SHIPPED_DATA, run_qa

CITY = yaml.safe_load((SHIPPED_DATA / "stadt" / "bottrop.yaml").read_text(encoding="utf-8"))
CENTRE = (CITY["mittelpunkt"]["lat"], CITY["mittelpunkt"]["lon"])
BERLIN = (52.52, 13.405)


def records(folder: str, data: Path = SHIPPED_DATA) -> dict[str, dict[str, Any]]:
    """The records of one folder as an editor reads them (PyYAML), by id."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((data / folder).glob("*.yaml"))
    }


OFFICES = records("anlaufstellen")
AREAS = records("gebiete")
AREAS_WITH_LAGE = {area_id for area_id, area in AREAS.items() if area.get("lage")}
PLACED_BY_AREA = {o for o, office in OFFICES.items() if office["gebiet"] in AREAS_WITH_LAGE}


def add_standort(data: Path, office_id: str, text: str) -> Path:
    path = data / "anlaufstellen" / f"{office_id}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def validate_json(data: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run_qa("validate", "--data", str(data), "--format", "json")
    return result.code, json.loads(result.out)["fehler"]


# --- the shipped data --------------------------------------------------------------------------


def test_shipped_locations_are_sourced_and_no_office_has_an_invented_standort() -> None:
    assert not any("standort" in office for office in OFFICES.values())
    assert {"batenbrock", "boy", "welheim"} == AREAS_WITH_LAGE  # the Stadtteile the CSV locates
    for area_id in AREAS_WITH_LAGE:
        area = AREAS[area_id]
        assert area["art"] == "stadtteil"
        assert any("lat und lon" in (q.get("fundstelle") or "") for q in area["quelle"])
        assert "Bogenminuten" in area["lage"]["genauigkeit"]
    assert CITY["radius_km"] == 15
    assert CITY["quelle"][0]["url"].startswith("https://ru.wikipedia.org/")


# --- validation --------------------------------------------------------------------------------


def test_an_office_far_from_the_city_is_reported_at_its_coordinates(shipped_copy: Path) -> None:
    path = add_standort(
        shipped_copy,
        "quartiersbuero-ebel",
        f"standort:\n  adresse: Testweg 1\n  lat: {BERLIN[0]}\n  lon: {BERLIN[1]}\n",
    )
    code, problems = validate_json(shipped_copy)
    assert code == 1
    (problem,) = problems
    assert problem["code"] == "standort-ausserhalb"
    assert problem["datei"] == str(path)
    assert problem["feld"] == "standort.lat"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[problem["zeile"] - 1] == f"  lat: {BERLIN[0]}"
    assert "456,8 km vom Mittelpunkt von Bottrop" in problem["meldung"]
    assert "höchstens 15 km" in problem["meldung"]
    assert "vertauscht" not in problem["hinweis"]

    text = run_qa("validate", "--data", str(shipped_copy))
    assert text.code == 1 and "[standort-ausserhalb] quartiersbuero-ebel › standort.lat" in text.out


def test_swapped_coordinates_get_a_hint(shipped_copy: Path) -> None:
    add_standort(
        shipped_copy, "quartiersbuero-ebel", f"standort:\n  lat: {CENTRE[1]}\n  lon: {CENTRE[0]}\n"
    )
    code, problems = validate_json(shipped_copy)
    assert code == 1
    assert [(p["code"], p["hinweis"]) for p in problems] == [
        ("standort-ausserhalb", "Breite (lat) und Länge (lon) scheinen vertauscht.")
    ]


def test_an_area_far_from_the_city_is_reported(shipped_copy: Path) -> None:
    path = shipped_copy / "gebiete" / "welheim.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("lat: 51.53333", "lat: 52.53333"), encoding="utf-8")
    code, problems = validate_json(shipped_copy)
    assert code == 1
    assert [(p["code"], p["feld"], Path(p["datei"]).name) for p in problems] == [
        ("standort-ausserhalb", "lage.lat", "welheim.yaml")
    ]


def test_an_office_near_the_city_is_valid(shipped_copy: Path) -> None:
    add_standort(shipped_copy, "quartiersbuero-ebel", "standort:\n  lat: 51.5\n  lon: 6.95\n")
    assert validate_json(shipped_copy) == (0, [])


def test_without_a_city_record_the_distance_is_not_checked(shipped_copy: Path) -> None:
    (shipped_copy / "stadt" / "bottrop.yaml").unlink()
    add_standort(
        shipped_copy, "quartiersbuero-ebel", f"standort:\n  lat: {BERLIN[0]}\n  lon: {BERLIN[1]}\n"
    )
    assert validate_json(shipped_copy) == (0, [])


@pytest.mark.parametrize(
    ("standort", "field", "message"),
    [
        ("  lat: 91\n  lon: 6.9\n", "standort.lat", "„91“ ist zu groß"),
        ("  lat: 51.5\n  lon: -181\n", "standort.lon", "„-181“ ist zu klein"),
        ("  lat: 51,5\n  lon: 6.9\n", "standort.lat", "Erwartet eine Zahl"),
        ("  lat: nan\n  lon: 6.9\n", "standort.lat", "nan"),
        ("  lat: 51.5\n", "standort", "beide angeben oder beide leer"),
    ],
)
def test_invalid_coordinates_are_model_errors(
    standort: str, field: str, message: str, shipped_copy: Path
) -> None:
    add_standort(shipped_copy, "quartiersbuero-ebel", "standort:\n" + standort)
    code, problems = validate_json(shipped_copy)
    assert code == 1
    (problem,) = problems
    assert problem["code"] in ("ungueltiger-wert", "falscher-typ")
    assert problem["feld"] == field
    assert message in problem["meldung"]


def test_an_address_without_coordinates_is_valid_and_not_drawn(shipped_copy: Path) -> None:
    add_standort(shipped_copy, "quartiersbuero-ebel", "standort:\n  adresse: Testweg 1\n")
    assert validate_json(shipped_copy) == (0, [])
    collection = json.loads(run_qa("export", "geojson", "--data", str(shipped_copy)).out)
    assert "quartiersbuero-ebel" in collection["nicht_verortet"]


# --- GeoJSON -----------------------------------------------------------------------------------


def test_geojson_is_a_feature_collection_of_points_in_bottrop(tmp_path: Path) -> None:
    target = tmp_path / "anlaufstellen.geojson"
    result = run_qa("export", "geojson", "-o", str(target))
    assert result.code == 0, result.text
    assert f"Geschrieben: {target}" in result.err
    assert "6 von 21 Anlaufstellen verortet" in result.err
    collection = json.loads(target.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert {f["id"] for f in features} == PLACED_BY_AREA
    assert len(features) + len(collection["nicht_verortet"]) == len(OFFICES) == 21
    for feature in features:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]  # RFC 7946: longitude first
        assert 6.8 < lon < 7.1 and 51.4 < lat < 51.7
        assert distance_km((lat, lon), CENTRE) <= CITY["radius_km"]
        properties = feature["properties"]
        office = OFFICES[feature["id"]]
        assert properties["id"] == feature["id"]
        assert properties["name"] == office["name"]
        assert properties["gebiet"] == office["gebiet"]
        assert properties["traeger"] == ", ".join(office["traeger"])
        assert properties["schwerpunkte"] == ", ".join(office["schwerpunkte"])
        assert properties["lage_genauigkeit"] == "gebiet"  # no office has its own standort
        assert properties["adresse"] is None
        area = AREAS[office["gebiet"]]["lage"]
        assert (lat, lon) == (area["lat"], area["lon"])
    by_id = {f["id"]: f["properties"] for f in features}
    assert by_id["stadtteilbuero-batenbrock"]["foerderung_bis"] == "2020-12"
    assert by_id["welheim-64"]["foerderung_bis"] == "dauerhaft"
    assert run_qa("export", "geojson").out == target.read_text(encoding="utf-8")


def test_geojson_marks_an_own_standort_as_exact(shipped_copy: Path) -> None:
    add_standort(
        shipped_copy,
        "stadtteilbuero-batenbrock",
        "standort:\n  adresse: Testweg 1, 46236 Bottrop\n  lat: 51.5401\n  lon: 6.9502\n",
    )
    result = run_qa("export", "geojson", "--data", str(shipped_copy))
    assert result.code == 0, result.text
    features = {f["id"]: f for f in json.loads(result.out)["features"]}
    own = features["stadtteilbuero-batenbrock"]
    assert own["geometry"]["coordinates"] == [6.9502, 51.5401]
    assert own["properties"]["lage_genauigkeit"] == "adresse"
    assert own["properties"]["adresse"] == "Testweg 1, 46236 Bottrop"
    assert features["stadtteilagentur-batenbrock"]["properties"]["lage_genauigkeit"] == "gebiet"


def test_exports_refuse_data_with_errors(shipped_copy: Path, tmp_path: Path) -> None:
    add_standort(shipped_copy, "quartiersbuero-ebel", "standort:\n  lat: 91\n  lon: 6.9\n")
    for args in (("geojson",), ("json",), ("sqlite", str(tmp_path / "x.sqlite"))):
        result = run_qa("export", *args, "--data", str(shipped_copy))
        assert result.code == 1 and "ungueltiger-wert" in result.err
    assert not (tmp_path / "x.sqlite").exists()


# --- JSON --------------------------------------------------------------------------------------


def test_json_export_holds_every_record_by_kind_and_id(tmp_path: Path) -> None:
    target = tmp_path / "daten.json"
    result = run_qa("export", "json", "-o", str(target))
    assert result.code == 0, result.text
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["meta"]["format"] == "qa-daten"
    folders = {
        path.parent.relative_to(SHIPPED_DATA).as_posix() for path in SHIPPED_DATA.rglob("*.yaml")
    }
    assert folders <= set(document["daten"])
    for folder in folders:
        stems = sorted(p.stem for p in (SHIPPED_DATA / folder).glob("*.yaml"))
        exported = document["daten"][folder]
        assert list(exported) == stems
        assert all(record["id"] == record_id for record_id, record in exported.items())
        assert document["meta"]["arten"][folder]["anzahl"] == len(stems)
    office = document["daten"]["anlaufstellen"]["stadtteilbuero-batenbrock"]
    assert office["name"] == OFFICES["stadtteilbuero-batenbrock"]["name"]
    assert office["standort"] is None
    assert office["foerderungen"][0]["ende"] == "2020-12"
    assert document["daten"]["gebiete"]["boy"]["lage"]["lat"] == 51.53333
    assert document["daten"]["stadt"]["bottrop"]["radius_km"] == 15
    assert run_qa("export", "json").out == target.read_text(encoding="utf-8")


# --- SQLite ------------------------------------------------------------------------------------


def test_sqlite_export_has_consistent_foreign_keys_and_all_rows(tmp_path: Path) -> None:
    target = tmp_path / "qa.sqlite"
    result = run_qa("export", "sqlite", str(target))
    assert result.code == 0, result.text
    requests = records("antraege")
    (matrix,) = records("entscheidungsmatrizen").values()
    criteria = [c["id"] for g in matrix["gruppen"] for c in g["kriterien"]]
    assert len(criteria) == 19
    ratings = sum(len(r["bewertungen"]) * len(criteria) for r in requests.values())

    with sqlite3.connect(target) as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []

        def count(table: str) -> int:
            return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        assert count("anlaufstellen") == 21
        assert count("antraege") == 7
        assert count("bewertungen") == ratings == 380
        assert count("kriterien") == 19
        assert count("gebiete") == len(AREAS)
        assert count("foerderungen") == sum(len(o["foerderungen"]) for o in OFFICES.values())
        assert count("anlaufstelle_traeger") == sum(len(o["traeger"]) for o in OFFICES.values())
        sets = records("indikatoren/werte")
        assert count("indikatorwerte") == sum(
            len(values) for s in sets.values() for values in s["werte"].values()
        )
        targets = {row[2] for row in db.execute("PRAGMA foreign_key_list(antraege)")}
        assert targets == {"anlaufstellen", "entscheidungsmatrizen"}

        joined = db.execute(
            "SELECT a.id, s.name, g.name FROM antraege a "
            "JOIN anlaufstellen s ON s.id = a.anlaufstelle "
            "JOIN gebiete g ON g.id = s.gebiet ORDER BY a.id"
        ).fetchall()
        assert [row[0] for row in joined] == sorted(requests)
        assert all(row[1] == OFFICES[requests[row[0]]["anlaufstelle"]]["name"] for row in joined)

        located = db.execute(
            "SELECT id FROM anlaufstellen WHERE lage_genauigkeit = 'gebiet' ORDER BY id"
        ).fetchall()
        assert {row[0] for row in located} == PLACED_BY_AREA
        levels = db.execute(
            "SELECT wert, stufe FROM bewertungen WHERE wert IN ('fehlt', 'nicht_anwendbar')"
        ).fetchall()
        assert levels and all(level is None for _, level in levels)

        with pytest.raises(sqlite3.IntegrityError):
            db.execute("DELETE FROM anlaufstellen WHERE id = 'stadtteilbuero-batenbrock'")


def test_sqlite_export_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "qa.sqlite"
    target.write_bytes(b"nicht ueberschreiben")
    result = run_qa("export", "sqlite", str(target))
    assert result.code == 1
    assert "gibt es schon" in result.err and "--force" in result.err
    assert target.read_bytes() == b"nicht ueberschreiben"
    forced = run_qa("export", "sqlite", str(target), "--force")
    assert forced.code == 0, forced.text
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM anlaufstellen").fetchone()[0] == 21
    assert [p.name for p in tmp_path.iterdir()] == ["qa.sqlite"]  # no temporary file left


# --- the map -----------------------------------------------------------------------------------


def karte(tmp_path: Path, *args: str) -> str:
    target = tmp_path / "karte.html"
    result = run_qa("report", "karte", "-o", str(target), *args)
    assert result.code == 0, result.text
    assert f"Geschrieben: {target}" in result.err
    return target.read_text(encoding="utf-8")


def assert_self_contained(html: str) -> None:
    assert "<script" not in html.lower()
    assert re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:[a-z]+:)?//""", html, re.I) is None
    assert "@import" not in html and "url(" not in html


def test_karte_draws_the_located_offices_and_lists_all(tmp_path: Path) -> None:
    html = karte(tmp_path)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="de">' in html
    assert "<svg" in html and "Skizze, kein Stadtplan" in html
    assert_self_contained(html)
    assert html.count('<circle class="anlaufstelle"') == len(PLACED_BY_AREA) == 6
    markers = re.findall(r'<g class="marke">\s*<title>([^<]*)</title>', html)
    assert len(markers) == 6 and all("ungefähr: Lage des Gebiets" in m for m in markers)
    # one legend entry per first Schwerpunkt among all offices
    first_focus = {o["schwerpunkte"][0] for o in OFFICES.values()}
    assert html.count('class="legende-eintrag"') == len(first_focus)
    assert html.count('<th scope="col"') >= 6 and "<th>" not in html
    rows = re.findall(r"<tr>\s*<td", html)
    assert len(rows) == 21
    assert html.count("<td>nicht eingezeichnet</td>") == 15
    assert "nicht eingezeichnet (15)" in html.replace(
        "bekannt ist (15)", "nicht eingezeichnet (15)"
    )
    for office_id, office in OFFICES.items():
        if office_id not in PLACED_BY_AREA:
            assert office["name"] in html
    for area in ("Batenbrock, Boy", "Welheim"):
        assert f">{area}</text>" in html
    assert "Mittelpunkt Bottrop" in html


def test_karte_coloured_by_end_of_funding(tmp_path: Path) -> None:
    html = karte(tmp_path, "--farbe", "ende", "--today", "2020-10-15")
    assert_self_contained(html)
    legend = re.findall(r'class="legende-eintrag">.*?</span>([^<]*)</li>', html)
    assert legend == [
        "endet bis 04/2021: 3 eingezeichnet, 8 insgesamt",
        # Fuhlenbrock ends „erstes Halbjahr 2021“: possibly by 04/2021, as qa expiring says
        "endet möglicherweise bis 04/2021: 0 eingezeichnet, 1 insgesamt",
        "endet nach 04/2021: 2 eingezeichnet, 9 insgesamt",
        "dauerhaft gefördert: 1 eingezeichnet, 2 insgesamt",
        "Ende unbekannt (k.A.): 0 eingezeichnet, 1 insgesamt",
    ]
    later = karte(tmp_path, "--farbe", "ende", "--today", "2024-01-01")
    assert "beendet (vor 01/2024): " in later


def test_karte_escapes_record_text(shipped_copy: Path, tmp_path: Path) -> None:
    path = shipped_copy / "anlaufstellen" / "welheim-64.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^name: .*$", "name: <b>x</b>", text), encoding="utf-8")
    html = karte(tmp_path, "--data", str(shipped_copy))
    assert "<b>x</b>" not in html
    assert html.count("&lt;b&gt;x&lt;/b&gt;") >= 2  # tooltip and table


def test_karte_rejects_an_unknown_colouring(tmp_path: Path) -> None:
    result = run_qa("report", "karte", "--farbe", "traeger", "-o", str(tmp_path / "k.html"))
    assert result.code == 2
    assert "„traeger“ ist für --farbe nicht erlaubt; erlaubt: schwerpunkt, ende" in result.err
    assert not (tmp_path / "k.html").exists()


# --- the geometry ------------------------------------------------------------------------------


def test_distance_and_projection() -> None:
    assert distance_km(CENTRE, CENTRE) == 0
    assert distance_km((51.0, 7.0), (52.0, 7.0)) == pytest.approx(KM_PER_DEGREE)
    assert distance_km(CENTRE, BERLIN) == pytest.approx(distance_km(BERLIN, CENTRE))
    assert distance_km(CENTRE, BERLIN) == pytest.approx(456.8, abs=0.1)
    projection = projection_for(CENTRE, 15, 640, 20)
    assert projection.project(CENTRE) == (320, 320)
    north = projection.project((CENTRE[0] + 0.1, CENTRE[1]))
    east = projection.project((CENTRE[0], CENTRE[1] + 0.1))
    assert north[0] == pytest.approx(320) and north[1] < 320  # north is up
    assert east[0] > 320 and east[1] == pytest.approx(320)
    # 15 km reach the frame's margin in every direction
    edge = projection.project((CENTRE[0] + 15 / KM_PER_DEGREE, CENTRE[1]))
    assert edge[1] == pytest.approx(20)


def test_frame_keeps_every_point_inside() -> None:
    points = [CENTRE, (51.53333, 6.98333), (51.53333, 6.96667)]
    projection = frame_for(points, 640, 30, 1.5, 6)
    for point in points:
        x, y = projection.project(point)
        assert 30 < x < 610 and 30 < y < 610


def test_convex_hull_and_fan_out() -> None:
    square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (1.0, 1.0), (2.0, 0.0)]
    assert sorted(convex_hull(square)) == [(0.0, 0.0), (0.0, 2.0), (2.0, 0.0), (2.0, 2.0)]
    assert convex_hull([(1.0, 1.0), (1.0, 1.0)]) == [(1.0, 1.0)]
    spread = fan_out([(10.0, 10.0), (10.0, 10.0), (10.0, 10.0), (50.0, 50.0)], 18)
    assert len(set(spread[:3])) == 3 and spread[3] == (50.0, 50.0)
    assert all(
        distance > 17.9
        for distance in (
            abs(complex(*a) - complex(*b))
            for a, b in [(spread[0], spread[1]), (spread[1], spread[2])]
        )
    )


def test_karte_frames_widely_spread_offices_with_the_check_radius(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """Own standorte (test values) 13.9 km north and south of the centre: the frame grows to
    hold them, the circle of the check radius fits and is drawn, both are exact points."""
    for office_id, lat in (("quartiersbuero-ebel", 51.64833), ("quartiersbuero-eigen", 51.39833)):
        add_standort(shipped_copy, office_id, f"standort:\n  lat: {lat}\n  lon: {CENTRE[1]}\n")
    html = karte(tmp_path, "--data", str(shipped_copy))
    assert html.count('<circle class="pruefradius"') == 1
    assert html.count('<circle class="anlaufstelle"') == 8
    assert html.count("<td>Standort der Anlaufstelle</td>") == 2
    circles = re.findall(r'<circle class="anlaufstelle" cx="([\d.]+)" cy="([\d.]+)"', html)
    assert all(0 < float(x) < 640 and 0 < float(y) < 640 for x, y in circles)
