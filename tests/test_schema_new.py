"""Editor support end to end: ``qa schema``, the committed schemas/, ``qa new`` and the files a
data repository uses (pre-commit hook, GitHub workflow). Schemas are checked with a real JSON
Schema validator against records read as an editor reads them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.schema import file_name
from qa_cli.store import yamlsafe
from qa_cli.store.kinds import KINDS, KINDS_BY_FOLDER
from qa_cli.store.source import Source
from tests.conftest import MINIMAL_OFFICE, REPO, SHIPPED_DATA, run_qa

SCHEMAS = REPO / "schemas"
OFFICE = SHIPPED_DATA / "anlaufstellen" / "stadtteilagentur-batenbrock.yaml"
VALUES = SHIPPED_DATA / "indikatoren" / "werte" / "2022-statistische-bezirke.yaml"


def committed_schema(folder: str) -> dict[str, Any]:
    path = SCHEMAS / file_name(KINDS_BY_FOLDER[folder])
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def schema_errors(schema: dict[str, Any], record: Any) -> list[str]:
    """Each error as ``path: message``, e.g. ``traeger: 'AWO' is not of type 'array'``."""
    return [
        "/".join(map(str, error.absolute_path)) + ": " + error.message
        for error in Draft202012Validator(schema).iter_errors(record)
    ]


def validate_json(data: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run_qa("validate", "--data", str(data), "--format", "json")
    problems: list[dict[str, Any]] = json.loads(result.out)["fehler"]
    return result.code, problems


def test_schema_of_one_kind_by_folder_or_german_name() -> None:
    by_folder = run_qa("schema", "anlaufstellen")
    assert by_folder.code == 0, by_folder.text
    schema = json.loads(by_folder.out)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://qa.invalid/schema/anlaufstellen.schema.json"
    assert "Anlaufstelle" in schema["title"] and "data/anlaufstellen/" in schema["title"]
    assert schema["properties"]["traeger"]["title"] == "Träger"
    assert schema["properties"]["foerderungen"]["description"].startswith("Bewilligte, beantragte")
    assert "One grant" not in by_folder.out  # class docstrings are English: not for users
    assert run_qa("schema", "Anlaufstelle").out == by_folder.out
    nested = run_qa("schema", "indikatoren/katalog")
    assert json.loads(nested.out)["$id"].endswith("/indikatoren-katalog.schema.json")
    assert run_qa("schema", "indikatoren-katalog").out == nested.out


def test_schema_of_all_kinds_maps_folder_to_schema() -> None:
    result = run_qa("schema")
    assert result.code == 0, result.text
    schemas = json.loads(result.out)
    assert list(schemas) == [kind.folder for kind in KINDS]
    for folder, schema in schemas.items():
        Draft202012Validator.check_schema(schema)
        assert folder in schema["title"]


def test_unknown_kind_is_a_usage_error_with_suggestion() -> None:
    result = run_qa("schema", "anlaufstelen")
    assert result.code == 2
    assert "Unbekannte Datensatzart „anlaufstelen“" in result.err
    assert "Meinten Sie „anlaufstellen“?" in result.err
    assert run_qa("new", "kaffeemaschinen", "x").code == 2


def test_committed_schemas_are_up_to_date(tmp_path: Path) -> None:
    """After a model change, run `qa schema -o schemas` and commit the result."""
    result = run_qa("schema", "-o", str(tmp_path / "neu"))
    assert result.code == 0, result.text
    assert result.out.count("Geschrieben: ") == len(KINDS)
    fresh = {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "neu").iterdir()}
    committed = {path.name: path.read_text(encoding="utf-8") for path in SCHEMAS.iterdir()}
    assert committed == fresh, "schemas/ ist veraltet: `qa schema -o schemas` ausführen"


def test_every_shipped_record_is_valid_against_its_schema() -> None:
    """What the editor sees: PyYAML's types, not qa's all-text reading."""
    checked = 0
    errors: list[str] = []
    for kind in KINDS:
        schema = committed_schema(kind.folder)
        for path in sorted((SHIPPED_DATA / kind.folder).rglob("*.yaml")):
            record = yaml.safe_load(path.read_text(encoding="utf-8"))
            errors += [f"{path.relative_to(REPO)}: {e}" for e in schema_errors(schema, record)]
            checked += 1
    assert errors == []
    assert checked == len(list(SHIPPED_DATA.rglob("*.yaml")))


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("traeger", "Planungsgruppe Stadtbüro", "traeger: 'Planungsgruppe Stadtbüro' is not of"),
        ("gebiet", "Batenbrock", "gebiet: 'Batenbrock' does not match"),
        ("finanzielle_beteiligung", "vielleicht", "finanzielle_beteiligung: 'vielleicht' is not"),
        ("stadtteil", "batenbrock", ": Additional properties are not allowed ('stadtteil'"),
        ("foerderungen", [{"ende": "05/2023"}], "foerderungen/0/ende: '05/2023' is not valid"),
    ],
)
def test_broken_record_is_rejected_by_the_schema_as_by_qa(
    field: str, value: Any, error: str, shipped_copy: Path
) -> None:
    record = yaml.safe_load(OFFICE.read_text(encoding="utf-8"))
    record[field] = value
    assert any(
        e.startswith(error) for e in schema_errors(committed_schema("anlaufstellen"), record)
    )
    (shipped_copy / "anlaufstellen" / OFFICE.name).write_text(
        yaml.safe_dump(record, allow_unicode=True), encoding="utf-8"
    )
    code, problems = validate_json(shipped_copy)
    assert code == 1 and {p["feld"].split("[")[0] for p in problems} == {field}


def test_indicator_values_are_keyed_by_ids() -> None:
    record = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    record["werte"]["Altstadt"] = record["werte"].pop("altstadt")
    errors = schema_errors(committed_schema("indikatoren/werte"), record)
    assert errors == ["werte: 'Altstadt' does not match '^[a-z0-9]+(-[a-z0-9]+)*$'"]


@pytest.mark.parametrize(
    ("text", "editor_value"),
    [
        ("Ja", "Ja"),
        ("nein", "nein"),
        ("JA", "JA"),
        ("true", True),
        ("False", False),
        ('"false"', "false"),
        ("yes", "yes"),
        ("no", "no"),
        ("1", 1),
        ('""', ""),
        ("j", "j"),
    ],
)
def test_ja_nein_in_the_editor_as_in_qa(text: str, editor_value: Any) -> None:
    """``text`` as written in the file; ``editor_value`` as a YAML 1.2 editor reads it (``yes`` and
    ``no`` are text there, unlike in PyYAML's YAML 1.1)."""
    document, problems = yamlsafe.parse(
        Source("x.yaml", MINIMAL_OFFICE + f"finanzielle_beteiligung: {text}\n")
    )
    assert document is not None and problems == []
    try:
        Anlaufstelle.model_validate(document.data)
        qa_accepts = True
    except ValueError:
        qa_accepts = False
    record = {**document.data, "finanzielle_beteiligung": editor_value}
    editor_accepts = schema_errors(committed_schema("anlaufstellen"), record) == []
    assert editor_accepts == qa_accepts


def test_new_writes_a_template_that_validate_reports_as_incomplete(shipped_copy: Path) -> None:
    result = run_qa("new", "anlaufstellen", "test-buero", "--data", str(shipped_copy))
    assert result.code == 0, result.text
    written = shipped_copy / "anlaufstellen" / "test-buero.yaml"
    assert f"Angelegt: {written}" in result.out and "qa validate" in result.out
    text = written.read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "# yaml-language-server: $schema=https://qa.invalid/schema/anlaufstellen.schema.json"
    )
    assert "Hinweis:" in result.out  # no schemas/ next to the copy: the editor cannot load it
    template = yaml.safe_load(text)
    assert set(template) == set(Anlaufstelle.model_fields)
    assert "# Träger (Pflichtfeld) – Ein oder mehrere Träger." in text
    assert template["foerderungen"][0]["status"] == "bewilligt"  # defaults filled in

    code, problems = validate_json(shipped_copy)
    assert code == 1
    assert {p["code"] for p in problems} == {"pflichtfeld-fehlt"}
    assert {p["datei"] for p in problems} == {str(written)}
    missing = {p["feld"] for p in problems}
    assert missing == {"name", "traeger[0]", "gebiet", "quelle[0].dokument"}
    # The editor marks the same fields: the empty required ones, nothing else.
    errors = Draft202012Validator(committed_schema("anlaufstellen")).iter_errors(template)
    editor = {"".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.path) for e in errors}
    assert editor == {"." + field for field in missing}


def test_new_for_every_kind_writes_only_known_fields(shipped_copy: Path) -> None:
    for kind in KINDS:
        result = run_qa("new", kind.folder, "neu-aus-vorlage", "--data", str(shipped_copy))
        assert result.code == 0, result.text
        written = shipped_copy / kind.folder / "neu-aus-vorlage.yaml"
        assert set(yaml.safe_load(written.read_text(encoding="utf-8"))) == set(
            kind.model.model_fields
        )
    code, problems = validate_json(shipped_copy)
    assert code == 1
    folders = {Path(p["datei"]).relative_to(shipped_copy).parent.as_posix() for p in problems}
    assert folders == {kind.folder for kind in KINDS}
    # A required choice left empty is reported as ungueltiger-wert („None“ ist nicht erlaubt).
    assert {p["code"] for p in problems} <= {"pflichtfeld-fehlt", "ungueltiger-wert"}


def test_new_points_at_the_schema_file_when_schemas_exist(tmp_path: Path, data_dir: Path) -> None:
    assert run_qa("schema", "-o", str(tmp_path / "schemas")).code == 0
    result = run_qa("new", "Indikator", "neu", "--data", str(data_dir))
    assert result.code == 0, result.text
    assert "Hinweis:" not in result.out
    written = data_dir / "indikatoren" / "katalog" / "neu.yaml"
    first = written.read_text(encoding="utf-8").splitlines()[0]
    assert (
        first == "# yaml-language-server: $schema=../../../schemas/indikatoren-katalog.schema.json"
    )
    assert (written.parent / first.split("=", 1)[1]).resolve().is_file()


def test_new_refuses_to_overwrite(data_dir: Path) -> None:
    existing = data_dir / "anlaufstellen" / "testbuero.yaml"
    before = existing.read_bytes()
    result = run_qa("new", "anlaufstellen", "testbuero", "--data", str(data_dir))
    assert result.code == 1
    assert "gibt es schon" in result.err and "überschreibt keine Datei" in result.err
    assert existing.read_bytes() == before


def test_new_rejects_an_invalid_id_with_a_suggestion(data_dir: Path) -> None:
    result = run_qa("new", "anlaufstellen", "Test Büro Ämter", "--data", str(data_dir))
    assert result.code == 2
    assert "„Test Büro Ämter“ ist keine gültige Kennung" in result.err
    assert "Kleinbuchstaben a–z, Ziffern und „-“" in result.err
    assert "Vorschlag: „test-buero-aemter“" in result.err
    assert sorted(p.name for p in (data_dir / "anlaufstellen").iterdir()) == ["testbuero.yaml"]


@pytest.mark.parametrize("amount", [-1, 1_000_000_001])
def test_an_amount_out_of_range_is_rejected_by_the_schema_as_by_qa(
    amount: int, shipped_copy: Path
) -> None:
    """Euro amounts carry their bounds as JSON Schema's ``minimum``/``maximum``, which an editor
    checks (Pydantic's own ``ge``/``le`` are no JSON Schema keywords and were ignored)."""
    path = shipped_copy / "antraege" / "2020-awo-familien-im-mittelpunkt-batenbrock.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["betrag"] = amount
    errors = schema_errors(committed_schema("antraege"), record)
    assert [e.split(":")[0] for e in errors] == ["betrag"]
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    code, problems = validate_json(shipped_copy)
    assert code == 1 and [p["feld"] for p in problems] == ["betrag"]
