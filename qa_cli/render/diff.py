"""Render a diff: text (coloured on a terminal), Markdown for a pull request, JSON."""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

from rich.markup import escape

from qa_cli import german
from qa_cli.diff.consequences import Consequence
from qa_cli.diff.engine import DiffResult, RecordDiff
from qa_cli.diff.fields import FieldChange
from qa_cli.diff.severity import LEVELS, Severity
from qa_cli.render.escape import markdown_text, visible
from qa_cli.render.json_document import write_json_document

if TYPE_CHECKING:
    from rich.console import Console

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
STATUS_WORDS = {
    "hinzugefügt": "neu",
    "entfernt": "gelöscht",
    "geändert": "geändert",
    "umbenannt": "umbenannt",
    "verschoben": "verschoben",
}
COLOURS = {"info": "dim", "pruefen": "yellow", "kritisch": "bold red"}


class DiffFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"


def value_text(value: Any) -> str:
    """A value as a German reader expects it: ``12/2022``, ``24.000``, ``Ja``, ``k.A.``."""
    if value is None:
        return german.UNKNOWN
    if isinstance(value, bool):
        return german.ja_nein(value)
    if isinstance(value, int):
        return german.integer(value)
    if isinstance(value, float):
        return german.decimal(value, 2).rstrip("0").rstrip(",")
    if isinstance(value, str):
        match = _MONTH.match(value)
        return f"{match[2]}/{match[1]}" if match else value
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value) or "–"
    if isinstance(value, dict):
        return "; ".join(
            f"{key}: {value_text(item)}" for key, item in value.items() if item is not None
        )
    return str(value)


def change_text(change: FieldChange) -> str:
    if change.kind == "hinzugefügt":
        return f"{change.label}: neu ({value_text(change.new)})"
    if change.kind == "entfernt":
        return f"{change.label}: entfernt (war {value_text(change.old)})"
    return f"{change.label}: {value_text(change.old)} → {value_text(change.new)}"


def record_head(diff: RecordDiff) -> str:
    name = f"{diff.kind.label} {diff.id}"
    if diff.status == "umbenannt":
        same = "" if diff.changes else " (Inhalt gleich)"
        return f"{diff.kind.label} {diff.previous_id} → {diff.id}: umbenannt{same}"
    if diff.status == "verschoben":
        assert diff.old is not None and diff.new is not None
        return f"{name}: verschoben von {diff.old.path} nach {diff.new.path}"
    return f"{name}: {STATUS_WORDS[diff.status]}"


def problem_lines(diff: RecordDiff) -> list[str]:
    lines = []
    for side, state in (("vorher", diff.old), ("nachher", diff.new)):
        for problem in state.problems if state else ():
            where = f":{problem.line}" if problem.line else ""
            lines.append(
                f"ungültig ({side}) [{problem.code}] {problem.path}{where}: {problem.message}"
            )
    return lines


def summary(result: DiffResult) -> str:
    if not result.records and not result.consequences:
        return "Keine Änderungen an Datensätzen."
    counts = {level: result.severities().count(level) for level in LEVELS}
    parts = ", ".join(f"{counts[level]} {level}" for level in reversed(LEVELS) if counts[level])
    records = "1 Datensatz" if len(result.records) == 1 else f"{len(result.records)} Datensätze"
    follow = "1 Folge" if len(result.consequences) == 1 else f"{len(result.consequences)} Folgen"
    return f"{records} geändert, {follow} ({parts})."


def _title(result: DiffResult) -> str:
    return f"Änderungen an den Datensätzen: {result.old_label} → {result.new_label}"


def console_of(stream: TextIO) -> Console:
    """A console that colours only on a terminal and wraps nothing (a path stays whole)."""
    from rich.console import Console

    return Console(file=stream, soft_wrap=True, highlight=False)


def print_line(console: Console, severity: Severity, text: str, indent: int = 0) -> None:
    shown = escape(visible(text))
    console.print(" " * indent + f"[{COLOURS[severity]}]\\[{severity}][/] {shown}")


def print_record(console: Console, diff: RecordDiff, indent: int = 0) -> None:
    """One record's head, its field changes and its problems, each with its level."""
    print_line(console, diff.severity, record_head(diff), indent)
    for change in diff.changes:
        print_line(console, diff.change_severity(change), change_text(change), indent + 4)
    for text in problem_lines(diff):
        console.print(" " * (indent + 4) + escape(visible(text)))


def write_text(result: DiffResult, stream: TextIO) -> None:
    console = console_of(stream)
    console.print(f"[bold]{escape(visible(_title(result)))}[/bold]")
    for diff in result.records:
        console.print()
        print_record(console, diff)
    if result.consequences:
        console.print()
        console.print("[bold]Folgen[/bold]")
        for consequence in result.consequences:
            print_line(console, consequence.severity, consequence.message, 2)
    for problem in result.ignored:
        console.print(escape(visible(f"übergangen: {problem.path}: {problem.message}")))
    if result.results is not None:
        console.print()
        console.print(f"[bold]{escape(visible(_results_title(result)))}[/bold]")
        for consequence in result.results.changes:
            print_line(console, consequence.severity, consequence.message, 2)
        for text in _results_notes(result):
            console.print("  " + escape(visible(text)))
    console.print()
    console.print(escape(summary(result)))


def _results_title(result: DiffResult) -> str:
    return f"Ergebnisse: {result.old_label} → {result.new_label}"


def _results_notes(result: DiffResult) -> list[str]:
    """The notes of the result comparison; that nothing differs, if so."""
    assert result.results is not None
    if not result.results.changes and not result.results.notes:
        return [f"Alle Ergebnisse gleich (Auslaufliste bis {german.day(result.window.end)})."]
    return result.results.notes


def _md(text: str) -> str:
    """Escaped in full, never capped: a reviewer sees every character that changed."""
    return markdown_text(text)


def markdown_table(records: list[RecordDiff]) -> list[str]:
    """The records as a Markdown table: a row per record, then one per change or problem."""
    out = ["| Stufe | Datensatz | Änderung |", "| --- | --- | --- |"]
    for diff in records:
        out.append(f"| **{diff.severity}** | {_md(record_head(diff))} | |")
        for change in diff.changes:
            out.append(f"| {diff.change_severity(change)} | | {_md(change_text(change))} |")
        for text in problem_lines(diff):
            out.append(f"| kritisch | | {_md(text)} |")
    return [*out, ""]


def write_markdown(result: DiffResult, stream: TextIO) -> None:
    out = [f"## {_md(_title(result))}", "", summary(result), ""]
    if result.records:
        out += markdown_table(result.records)
    if result.consequences:
        out += ["### Folgen", ""]
        out += [f"- **{c.severity}**: {_md(c.message)}" for c in result.consequences]
        out.append("")
    out += [f"- übergangen: {_md(p.path)}: {_md(p.message)}" for p in result.ignored]
    if result.results is not None:
        out += ["", f"### {_md(_results_title(result))}", ""]
        out += [f"- **{c.severity}**: {_md(c.message)}" for c in result.results.changes]
        out += [f"- {_md(text)}" for text in _results_notes(result)]
    stream.write("\n".join(out) + "\n")


def _change_json(diff: RecordDiff, change: FieldChange) -> dict[str, Any]:
    return {
        "pfad": change.dotted,
        "feld": change.label,
        "art": change.kind,
        "alt": change.old,
        "neu": change.new,
        "stufe": diff.change_severity(change),
    }


def _consequence_json(consequence: Consequence) -> dict[str, Any]:
    return {
        "thema": consequence.topic,
        "datensatz": consequence.subject,
        "meldung": consequence.message,
        "stufe": consequence.severity,
        "alt": consequence.old,
        "neu": consequence.new,
    }


def record_json(diff: RecordDiff) -> dict[str, Any]:
    return {
        "art": diff.kind.folder,
        "id": diff.id,
        "vorher_id": diff.previous_id,
        "status": diff.status,
        "stufe": diff.severity,
        "ungueltig": diff.invalid,
        "aenderungen": [_change_json(diff, c) for c in diff.changes],
        "probleme": problem_lines(diff),
    }


def write_json(result: DiffResult, stream: TextIO) -> None:
    document: dict[str, Any] = {
        "von": result.old_label,
        "nach": result.new_label,
        "zusammenfassung": summary(result),
        "datensaetze": [record_json(diff) for diff in result.records],
        "folgen": [_consequence_json(c) for c in result.consequences],
        "uebergangen": [{"datei": p.path, "meldung": p.message} for p in result.ignored],
    }
    if result.results is not None:
        document["ergebnisse"] = {
            "aenderungen": [_consequence_json(c) for c in result.results.changes],
            "hinweise": result.results.notes,
        }
    write_json_document(document, stream)


WRITERS = {DiffFormat.text: write_text, DiffFormat.md: write_markdown, DiffFormat.json: write_json}


def render(result: DiffResult, fmt: DiffFormat, out: TextIO | None = None) -> None:
    WRITERS[fmt](result, out or sys.stdout)
