"""What an editor and ``qa new`` know about a record kind: its JSON Schema and a blank template.

Both are generated from the Pydantic models, so the German titles and descriptions that explain a
field in the editor are the ones the models carry, and a model change reaches the editor once
``qa schema -o schemas`` is re-run (a test compares the committed files).

The schema describes a record as an editor's YAML reader sees it (yaml-language-server reads
YAML 1.2): ``finanzielle_beteiligung: Ja`` is the text „Ja“, ``true`` a boolean. ``qa``'s own
reader keeps every scalar as text and lets the model decide, so where the two views differ the
schema follows the editor's view of what ``qa`` accepts. Only keywords that draft 7 validators
also understand are used, because yaml-language-server validates with draft 7 semantics.

Each schema's ``$id`` is ``https://qa.invalid/schema/<file>``, where ``<file>`` is the name that
``qa schema -o`` gives the file: ``anlaufstellen.schema.json``, ``indikatoren-katalog.schema.json``.
``.invalid`` never resolves (RFC 6761): the ``$id`` names the schema, it does not locate it.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import yaml
from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from qa_cli.models.base import JaNein, Record
from qa_cli.store.kinds import Kind

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = "https://qa.invalid/schema/"
FILE_SUFFIX = ".schema.json"

_JA_NEIN_WORDS = ("ja", "nein", "true", "false")
"""The texts a ``JaNein`` field accepts in any case, as ``qa_cli.models.base`` decides (the test
``test_ja_nein_in_the_editor_as_in_qa`` checks that editor and ``qa`` agree)."""

_JA_NEIN_AS_GENERATED = TypeAdapter(JaNein).json_schema()
_JA_NEIN_FOR_EDITORS: dict[str, Any] = {
    "anyOf": [
        {"type": "boolean"},
        {"enum": ["Ja", "Nein"]},
        {
            "type": "string",
            "pattern": r"^\s*("
            + "|".join("".join(f"[{c.upper()}{c}]" for c in word) for word in _JA_NEIN_WORDS)
            + r")\s*$",
        },
    ]
}
_TEMPLATE_WIDTH = 100


class _EditorSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema, with the defaults a factory makes shown too."""

    def get_default_value(self, schema: core_schema.WithDefaultSchema) -> Any:
        """Pydantic leaves out defaults made by a factory (``default_factory=list``); the editor
        and the template show them like any other default."""
        factory = schema.get("default_factory")
        if factory is not None and not schema.get("default_factory_takes_data"):
            return factory()  # type: ignore[call-arg]
        return super().get_default_value(schema)


def file_stem(kind: Kind) -> str:
    """The kind's folder as one name: ``indikatoren/katalog`` → ``indikatoren-katalog``."""
    return kind.folder.replace("/", "-")


def file_name(kind: Kind) -> str:
    return file_stem(kind) + FILE_SUFFIX


def schema_id(kind: Kind) -> str:
    return ID_BASE + file_name(kind)


def schema_for(kind: Kind) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one record file of ``kind``."""
    generated = _for_editors(kind.model.model_json_schema(schema_generator=_EditorSchema))
    definitions = generated.pop("$defs", {})
    for definition in definitions.values():
        definition.pop("description", None)  # the class docstring: English, for developers
    generated.pop("title")
    generated.pop("description", None)  # the class docstring, if any
    return {
        "$schema": DIALECT,
        "$id": schema_id(kind),
        "title": f"{kind.label} (qa, data/{kind.folder}/)",
        "description": f"Ein Datensatz der Art {kind.label}: eine YAML-Datei in "
        f"data/{kind.folder}/, der Dateiname ohne .yaml ist die Kennung. "
        "Erzeugt mit `qa schema` aus den Modellen von qa; `qa validate` prüft darüber hinaus "
        "Verweise und Regeln über mehrere Datensätze.",
        **generated,
        **({"$defs": definitions} if definitions else {}),
    }


def schema_text(schema: dict[str, Any]) -> str:
    """The form in which schemas are printed and written: stable, UTF-8, one trailing newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _for_editors(node: Any) -> Any:
    """Adjust what Pydantic wrote, everywhere in the schema: ``JaNein`` takes the editor's view,
    and a dict whose keys are ids (``patternProperties``, which lets other keys through
    unchecked) requires every key to be an id and every value to match."""
    if isinstance(node, list):
        return [_for_editors(item) for item in node]
    if not isinstance(node, dict):
        return node
    if all(node.get(key) == value for key, value in _JA_NEIN_AS_GENERATED.items()):
        rest = {key: value for key, value in node.items() if key not in _JA_NEIN_AS_GENERATED}
        return {**rest, **_JA_NEIN_FOR_EDITORS}
    if len(node.get("patternProperties", {})) == 1 and "additionalProperties" not in node:
        ((pattern, values),) = node["patternProperties"].items()
        rest = {key: value for key, value in node.items() if key != "patternProperties"}
        node = {**rest, "propertyNames": {"pattern": pattern}, "additionalProperties": values}
    return {key: _for_editors(value) for key, value in node.items()}


def template_for(kind: Kind, record_id: str, schema_ref: str) -> str:
    """A new record of ``kind``: every field with a comment (German title and description), its
    default, or null where a value is required, so that ``qa validate`` lists what is missing.
    Nested models and lists of models show one example entry. The kind's own fields come first
    and the fields every record has (``id``, ``quelle``, ``notiz``) last, as in the shipped
    records."""
    schema = schema_for(kind)
    common = list(Record.model_fields)
    properties = schema["properties"]
    order = [name for name in properties if name not in common] + common
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# {kind.label} „{record_id}“, angelegt mit `qa new`.",
        "# Felder mit „(Pflichtfeld)“ brauchen einen Wert; null heißt unbekannt.",
        "# Beispiel-Einträge in Listen ausfüllen oder löschen. Danach: qa validate",
        "",
    ]
    for name in order:
        lines += _field(name, properties[name], name in schema["required"], 0, schema)
    return "\n".join(lines) + "\n"


def _field(name: str, node: dict[str, Any], required: bool, indent: int, root: Any) -> list[str]:
    """The comment and the ``name: value`` lines of one field."""
    pad = " " * indent
    shape = _shape(node, root)
    lines = _comment(shape, required, indent)
    if "properties" in shape:
        return [*lines, f"{pad}{name}:", *_mapping(shape, indent + 2, root)]
    items = _shape(shape["items"], root) if "items" in shape else None
    if items is not None and "properties" in items:
        entry = _mapping(items, indent + 4, root)
        first = next(index for index, line in enumerate(entry) if not line.lstrip().startswith("#"))
        entry[first] = f"{pad}  - {entry[first].lstrip()}"  # the comment stays above the dash
        return [*lines, f"{pad}{name}:", *(line[2:] for line in entry[:first]), *entry[first:]]
    if items is not None and "default" not in node:
        return [*lines, f"{pad}{name}:", f"{pad}  - null"]
    default = node.get("default", {} if shape.get("type") == "object" else None)
    if isinstance(default, dict) and default:  # a declared vocabulary: one entry a line
        entries = [f"{pad}  {key}: {_yaml_value(value)}" for key, value in default.items()]
        return [*lines, f"{pad}{name}:", *entries]
    return [*lines, f"{pad}{name}: {_yaml_value(default)}"]


def _mapping(model: dict[str, Any], indent: int, root: Any) -> list[str]:
    required = model.get("required", [])
    lines: list[str] = []
    for name, node in model["properties"].items():
        lines += _field(name, node, name in required, indent, root)
    return lines


def _shape(node: dict[str, Any], root: Any) -> dict[str, Any]:
    """The node's value schema: ``$ref`` followed, the ``null`` of an optional value left out;
    the node's own title, description and default win over the referenced ones."""
    if "$ref" in node:
        target = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    alternatives = [alt for alt in node.get("anyOf", []) if alt != {"type": "null"}]
    if len(alternatives) == 1 and len(node["anyOf"]) == 2:
        outer = {key: value for key, value in node.items() if key != "anyOf"}
        return {**_shape(alternatives[0], root), **outer}
    return node


def _comment(shape: dict[str, Any], required: bool, indent: int) -> list[str]:
    title = shape.get("title", "") + (" (Pflichtfeld)" if required else "")
    description = shape.get("description", "")
    notes = [description] if description else []
    if shape.get("anyOf") == _JA_NEIN_FOR_EDITORS["anyOf"] and "Nein" not in description:
        notes.append("Ja oder Nein.")
    allowed = [str(value) for value in shape.get("enum", [])]
    if allowed and not all(value in description for value in allowed):
        notes.append("Erlaubt: " + ", ".join(allowed) + ".")
    if shape.get("format") == "date":
        notes.append("Datum als JJJJ-MM-TT.")
    examples = [str(value) for value in shape.get("examples", [])]
    if examples:
        notes.append("Zum Beispiel " + ", ".join(examples) + ".")
    text = " – ".join([title, " ".join(notes)] if notes else [title])
    width = _TEMPLATE_WIDTH - indent - 2
    return [" " * indent + "# " + line for line in textwrap.wrap(text, width)]


def _yaml_value(value: Any) -> str:
    """A value as it is written in a record: ``Ja``/``Nein`` for yes and no, else as YAML."""
    if isinstance(value, bool):
        return "Ja" if value else "Nein"
    dumped = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=1000, sort_keys=False
    )
    return dumped.strip().removesuffix("\n...")
