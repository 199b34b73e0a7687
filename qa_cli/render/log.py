"""Render a record's history: text (coloured on a terminal), Markdown, JSON. Each commit's
record changes are laid out exactly as ``qa diff`` lays them out (``qa_cli.render.diff``)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Any, TextIO

from rich.markup import escape

from qa_cli import german
from qa_cli.domain.history import Entry, History
from qa_cli.render.diff import console_of, markdown_table, print_record, record_json
from qa_cli.render.escape import markdown_text, visible
from qa_cli.render.json_document import write_json_document


class LogFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"


def title(history: History) -> str:
    since = f" seit {german.day(history.since)}" if history.since else ""
    return f"Geschichte: {history.title}{since}"


def summary(history: History) -> str:
    count = len(history.entries)
    if not count:
        return "Kein Commit hat diese Datensätze geändert."
    return "1 Commit." if count == 1 else f"{count} Commits, der neueste zuerst."


def entry_head(entry: Entry) -> str:
    when = f"{german.day(entry.date)} {entry.date:%H:%M}"
    return f"{entry.commit.commit[:8]} · {when} · {entry.commit.author}"


def write_text(history: History, stream: TextIO) -> None:
    console = console_of(stream)
    console.print(f"[bold]{escape(visible(title(history)))}[/bold]")
    for entry in history.entries:
        console.print()
        console.print(f"[bold]{escape(visible(entry_head(entry)))}[/bold]")
        for line in entry.commit.message.split("\n"):
            console.print(f"    {escape(visible(line))}" if line else "")
        for diff in entry.records:
            print_record(console, diff, 2)
    console.print()
    console.print(escape(summary(history)))


def write_markdown(history: History, stream: TextIO) -> None:
    out = [f"## {markdown_text(title(history))}", "", summary(history), ""]
    for entry in history.entries:
        out += [f"### {markdown_text(entry_head(entry))}", ""]
        lines = entry.commit.message.split("\n")
        out += [f"> {markdown_text(line)}" if line else ">" for line in lines]
        out += ["", *markdown_table(entry.records)]
    stream.write("\n".join(out) + "\n")


def history_json(history: History) -> dict[str, Any]:
    return {
        "titel": history.title,
        "seit": history.since.isoformat() if history.since else None,
        "commits": [
            {
                "commit": entry.commit.commit,
                "eltern": entry.commit.parent,
                "autor": entry.commit.author,
                "email": entry.commit.email,
                "datum": entry.commit.author_date,
                "commit_datum": entry.commit.commit_date,
                "nachricht": entry.commit.message,
                "datensaetze": [record_json(diff) for diff in entry.records],
            }
            for entry in history.entries
        ],
    }


def write_json(history: History, stream: TextIO) -> None:
    write_json_document(history_json(history), stream)


WRITERS = {LogFormat.text: write_text, LogFormat.md: write_markdown, LogFormat.json: write_json}


def render(history: History, fmt: LogFormat, out: TextIO | None = None) -> None:
    WRITERS[fmt](history, out or sys.stdout)
