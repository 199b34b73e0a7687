"""The generated parts of ``docs/referenz.md``: every command's help, the record format (one table
of fields per kind, from the same JSON Schemas that ``qa schema`` writes, so from the models) and
every error code of ``CODES``. ``python -m qa_cli.reference_docs`` rewrites them in place; a test
fails when the committed file differs from what this module generates.

Each generated part stands between ``<!-- generiert: NAME -->`` and ``<!-- ende: NAME -->``; the
text around the markers is written by hand.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "referenz.md"
_PART = re.compile(r"(<!-- generiert: (\S+) -->\n).*?(<!-- ende: \2 -->)", re.DOTALL)


def command_paths(run: Callable[[list[str]], str]) -> list[list[str]]:
    """Every command of qa, groups expanded, in the order of ``qa --help``."""
    paths: list[list[str]] = []
    for name in _listed(run(["--help"])):
        subcommands = _listed(run([name, "--help"]))
        paths += [[name, each] for each in subcommands] if subcommands else [[name]]
    return paths


def _listed(help_text: str) -> list[str]:
    if "Befehle:" not in help_text:
        return []
    return re.findall(r"^  ([a-z][a-z-]*)  ", help_text.split("Befehle:", 1)[1], re.MULTILINE)


def _run_qa(args: list[str]) -> str:
    """``qa ARGS`` as a new process, 80 columns wide, as a reader's terminal shows it."""
    done = subprocess.run(
        [sys.executable, "-m", "qa_cli", *args],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "80", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    return done.stdout


def commands_part() -> str:
    sections = []
    for path in command_paths(_run_qa):
        name = " ".join(path)
        sections.append(f"### `qa {name}`\n\n```text\n{_run_qa([*path, '--help'])}```\n")
    return "\n".join(sections)


def codes_part() -> str:
    from qa_cli.store.problems import CODES

    rows = [f"| `{code}` | {text} |" for code, text in CODES.items()]
    return "\n".join(["| Code | Bedeutung |", "|---|---|", *rows]) + "\n"


def format_part() -> str:
    from qa_cli.schema import schema_for
    from qa_cli.store.kinds import KINDS

    sections = []
    for kind in KINDS:
        schema = schema_for(kind)
        rows = list(_field_rows(schema, schema, ""))
        table = ["| Feld | Titel | Pflicht | Bedeutung |", "|---|---|---|---|", *rows]
        sections.append(f"### {kind.label} (`data/{kind.folder}/`)\n\n" + "\n".join(table) + "\n")
    return "\n".join(sections)


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The schema behind a ``$ref`` and without the ``null`` of an optional value."""
    if "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    options = [each for each in node.get("anyOf", []) if each.get("type") != "null"]
    if len(options) == 1:
        merged = {key: value for key, value in node.items() if key != "anyOf"}
        return {**_resolve(root, options[0]), **merged}
    return node


def _field_rows(root: dict[str, Any], node: dict[str, Any], prefix: str) -> Iterator[str]:
    required = set(node.get("required", []))
    for name, field in node.get("properties", {}).items():
        resolved = _resolve(root, field)
        path = f"{prefix}{name}"
        yield _row(path, resolved, name in required)
        yield from _nested_rows(root, resolved, path)


def _nested_rows(root: dict[str, Any], node: dict[str, Any], path: str) -> Iterator[str]:
    if node.get("type") == "array" and "items" in node:
        yield from _field_rows(root, _resolve(root, node["items"]), f"{path}[].")
    elif isinstance(node.get("additionalProperties"), dict):
        inner = _resolve(root, node["additionalProperties"])
        yield from _nested_rows(root, inner, f"{path}.<kennung>")
        yield from _field_rows(root, inner, f"{path}.<kennung>.")
    elif "properties" in node:
        yield from _field_rows(root, node, f"{path}.")


def _row(path: str, node: dict[str, Any], required: bool) -> str:
    meaning = node.get("description", "")
    if "enum" in node:
        meaning += " Erlaubt: " + ", ".join(f"`{value}`" for value in node["enum"]) + "."
    if "default" in node and node["default"] not in (None, [], {}):
        meaning += f" Standard: `{node['default']}`."
    cells = [f"`{path}`", node.get("title", ""), "ja" if required else "", meaning.strip()]
    return "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"


PARTS: dict[str, Callable[[], str]] = {
    "befehle": commands_part,
    "datenformat": format_part,
    "fehlercodes": codes_part,
}


def generated(text: str) -> str:
    """``text`` with every generated part written afresh."""

    def fill(match: re.Match[str]) -> str:
        return f"{match.group(1)}{PARTS[match.group(2)]()}{match.group(3)}"

    return _PART.sub(fill, text)


def main() -> None:
    REFERENCE.write_text(generated(REFERENCE.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stdout.write(f"Geschrieben: {REFERENCE}\n")


if __name__ == "__main__":
    main()
