"""Loading a data directory: file-level problems, model errors mapped to lines, cross checks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa_cli.store.pipeline import load
from qa_cli.store.problems import Problem
from tests.conftest import MINIMAL_OFFICE, SHIPPED_DATA


def problems_of(root: Path) -> list[Problem]:
    return load(root).problems


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_data_is_valid_and_complete() -> None:
    result = load(SHIPPED_DATA)
    assert result.problems == []
    assert len(result.dataset.anlaufstellen) == 21
    assert all(office.quelle for office in result.dataset.anlaufstellen.values())


def test_minimal_data_dir_is_valid(data_dir: Path) -> None:
    assert problems_of(data_dir) == []


def test_bad_file_does_not_stop_the_others(data_dir: Path) -> None:
    write(data_dir, "anlaufstellen/kaputt.yaml", "name: [\n")
    result = load(data_dir)
    assert [p.code for p in result.problems] == ["yaml-syntax"]
    assert list(result.dataset.anlaufstellen) == ["testbuero"]


def test_missing_field_points_at_the_record(data_dir: Path) -> None:
    write(
        data_dir,
        "anlaufstellen/ohne.yaml",
        "name: X\ngebiet: testgebiet\nquelle: [{dokument: a}]\n",
    )
    (problem,) = problems_of(data_dir)
    assert (problem.code, problem.field, problem.record_id) == (
        "pflichtfeld-fehlt",
        "traeger",
        "ohne",
    )
    assert problem.path.endswith("anlaufstellen/ohne.yaml") and problem.line == 1


def test_unknown_field_points_at_the_key_with_a_suggestion(data_dir: Path) -> None:
    write(data_dir, "anlaufstellen/tippfehler.yaml", MINIMAL_OFFICE + "traegr: [AWO]\n")
    (problem,) = problems_of(data_dir)
    assert problem.code == "unbekanntes-feld"
    assert problem.line == 9 and problem.column == 1
    assert problem.hint == "Meinten Sie „traeger“?"


def test_nested_value_error_is_located_with_field_path(data_dir: Path) -> None:
    text = MINIMAL_OFFICE.replace('ende: "2020-12"', "ende: 12/2020\n    vorlaeufig: vielleicht")
    write(data_dir, "anlaufstellen/monat.yaml", text)
    found = {(p.code, p.field, p.line, p.column) for p in problems_of(data_dir)}
    assert found == {
        ("ungueltiger-monat", "foerderungen[0].ende", 6, 11),
        ("ungueltiger-wert", "foerderungen[0].vorlaeufig", 7, 17),
    }


def test_wrong_shapes_and_literals(data_dir: Path) -> None:
    text = MINIMAL_OFFICE.replace("traeger: [AWO]", "traeger: AWO").replace(
        '    ende: "2020-12"', '    ende: "2020-12"\n    status: genehmigt'
    )
    write(data_dir, "anlaufstellen/formen.yaml", text)
    by_field = {p.field: p for p in problems_of(data_dir)}
    assert by_field["traeger"].code == "falscher-typ" and "Liste" in by_field["traeger"].message
    assert by_field["foerderungen[0].status"].code == "ungueltiger-wert"
    assert "bewilligt" in by_field["foerderungen[0].status"].message


def test_ja_nein_and_booleans_only_in_boolean_fields(data_dir: Path) -> None:
    text = MINIMAL_OFFICE.replace("name: Testbüro", "name: no\nfinanzielle_beteiligung: Ja")
    write(data_dir, "anlaufstellen/janein.yaml", text)
    result = load(data_dir)
    assert result.problems == []
    office = result.dataset.anlaufstellen["janein"]
    assert office.name == "no" and office.finanzielle_beteiligung is True


def test_record_root_must_be_a_mapping(data_dir: Path) -> None:
    write(data_dir, "anlaufstellen/liste.yaml", "- a\n- b\n")
    assert [p.code for p in problems_of(data_dir)] == ["kein-mapping"]


def test_file_name_must_be_a_valid_id(data_dir: Path) -> None:
    for name in (
        "Gross.yaml",
        "mit_unterstrich.yaml",
        "ümlaut.yaml",
        "quartiersbüro.yaml",
        "a..b.yaml",
    ):
        write(data_dir, f"anlaufstellen/{name}", MINIMAL_OFFICE)
    found = [p for p in problems_of(data_dir) if p.code == "ungueltige-id"]
    assert len(found) == 5


def test_id_field_must_match_the_file_name(data_dir: Path) -> None:
    write(data_dir, "anlaufstellen/echt.yaml", "id: anders\n" + MINIMAL_OFFICE)
    (problem,) = problems_of(data_dir)
    assert (problem.code, problem.line, problem.field) == ("id-passt-nicht", 1, "id")


def test_duplicate_ids_in_subfolders(data_dir: Path) -> None:
    write(data_dir, "anlaufstellen/2020/testbuero.yaml", MINIMAL_OFFICE)
    (problem,) = problems_of(data_dir)
    assert problem.code == "doppelte-id" and "testbuero" in problem.message


def test_symlinks_are_not_followed(data_dir: Path) -> None:
    os.symlink("/etc/passwd", data_dir / "anlaufstellen" / "passwd.yaml")
    os.symlink(data_dir / "gebiete", data_dir / "anlaufstellen" / "verweis")
    problems = problems_of(data_dir)
    assert [p.code for p in problems] == ["symlink", "symlink"]
    assert all("root:" not in (p.excerpt or "") for p in problems)


def test_directory_named_like_a_record(data_dir: Path) -> None:
    (data_dir / "anlaufstellen" / "ordner.yaml").mkdir()
    assert [p.code for p in problems_of(data_dir)] == ["keine-datei"]


def test_wrong_suffix_and_unknown_folder(data_dir: Path) -> None:
    write(data_dir, "anlaufstellen/alt.yml", MINIMAL_OFFICE)
    write(data_dir, "anlaufstelle/tippfehler.yaml", MINIMAL_OFFICE)
    write(data_dir, "README.md", "Notizen sind erlaubt\n")
    assert sorted(p.code for p in problems_of(data_dir)) == ["falsche-endung", "unbekannter-ordner"]


def test_dangling_reference_names_both_ends(data_dir: Path) -> None:
    write(data_dir, "anlaufstellen/falsch.yaml", MINIMAL_OFFICE.replace("testgebiet", "testgebit"))
    (problem,) = problems_of(data_dir)
    assert problem.code == "unbekannte-referenz"
    assert "falsch" in problem.message and "testgebit" in problem.message
    assert "data/gebiete/testgebit.yaml" in problem.message
    assert (problem.line, problem.column, problem.field) == (3, 9, "gebiet")
    assert problem.hint == "Meinten Sie „testgebiet“?"


def test_area_parent_cycle(data_dir: Path) -> None:
    write(
        data_dir,
        "gebiete/a.yaml",
        "name: A\nart: quartier\nuebergeordnet: b\nquelle: [{dokument: t}]\n",
    )
    write(
        data_dir,
        "gebiete/b.yaml",
        "name: B\nart: quartier\nuebergeordnet: a\nquelle: [{dokument: t}]\n",
    )
    codes = sorted(p.code for p in problems_of(data_dir))
    # two Quartiere over each other: a circle, and a parent on the same level (ebene 3)
    assert codes == [
        "ebene-ungueltig",
        "ebene-ungueltig",
        "zyklischer-verweis",
        "zyklischer-verweis",
    ]


GRANTS = """name: Büro
traeger: [AWO]
gebiet: testgebiet
foerderungen:
{grants}
quelle: [{{dokument: t}}]
"""


@pytest.mark.parametrize(
    ("grants", "expected"),
    [
        ("  - {beginn: '2021-05', ende: '2021-02'}", ["zeitraum-ungueltig"]),
        ("  - {beginn: '2021-01', ende: '2021-01'}", []),
        (
            "  - {beginn: '2019-01', ende: '2020-12'}\n  - {beginn: '2020-06', ende: '2021-12'}",
            ["foerderungen-ueberlappen"],
        ),
        ("  - {beginn: '2019-01', ende: '2020-12'}\n  - {beginn: '2021-01', ende: '2021-12'}", []),
        (
            "  - {beginn: '2019-01', ende: '2020-12'}\n  - {beginn: '2020-06', ende: '2021-12', ueberlappung_erlaubt: Ja}",
            [],
        ),
        (
            "  - {beginn: '2019-01', ende: dauerhaft}\n  - {beginn: '2030-01', ende: '2031-12'}",
            ["foerderungen-ueberlappen"],
        ),
        (
            "  - {beginn: '2019-01', ende: '2020-12'}\n  - {beginn: '2020-06', status: beantragt, ende: '2021-12'}",
            [],
        ),
    ],
)
def test_grant_periods(data_dir: Path, grants: str, expected: list[str]) -> None:
    write(data_dir, "anlaufstellen/zeiten.yaml", GRANTS.format(grants=grants))
    assert [p.code for p in problems_of(data_dir)] == expected


def test_every_problem_of_a_run_is_reported(shipped_copy: Path) -> None:
    write(shipped_copy, "anlaufstellen/a.yaml", "name: [\n")
    write(shipped_copy, "anlaufstellen/b.yaml", MINIMAL_OFFICE.replace("testgebiet", "nirgendwo"))
    write(shipped_copy, "gebiete/c.yaml", "name: C\nart: dorf\nquelle: [{dokument: t}]\n")
    assert sorted(p.code for p in problems_of(shipped_copy)) == [
        "nicht-erklaert",  # „dorf“ is no area kind the city declares
        "unbekannte-referenz",
        "yaml-syntax",
    ]


def test_a_file_that_grew_after_fstat_is_read_to_the_limit(tmp_path: Path) -> None:
    from qa_cli.store.loader import _read_at_most

    path = tmp_path / "gewachsen.yaml"
    content = bytes(range(256)) * 800  # 204,800 bytes, read in several chunks
    path.write_bytes(content)
    for expected, limit, wanted in ((0, 10**6, content), (10, 150_001, content[:150_001])):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            assert _read_at_most(descriptor, expected, limit) == wanted
        finally:
            os.close(descriptor)
