"""Render validation problems: hledger-style text, JSON for editors/CI, GitHub annotations."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import TextIO

from qa_cli.render.json_document import write_json_document
from qa_cli.store.problems import Problem

EXCERPT_WIDTH = 100


class ProblemFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def render(
    problems: Sequence[Problem],
    files_read: int,
    fmt: ProblemFormat,
    out: TextIO | None = None,
    checked: str | None = None,
) -> None:
    """``checked`` says which state was checked when it is not the working tree (``--rev``):
    the first line of the text, ``datenstand`` in JSON, before the summary for GitHub."""
    stream = out or sys.stdout
    if fmt is ProblemFormat.json:
        write_json(problems, files_read, stream, checked)
        return
    if checked is not None and fmt is ProblemFormat.text:
        stream.write(checked + "\n\n")
    if fmt is ProblemFormat.github:
        write_github(problems, files_read, stream, checked)
    else:
        write_text(problems, files_read, stream)


def summary(problems: Sequence[Problem], files_read: int) -> str:
    if not problems:
        return f"{files_read} Dateien geprüft: keine Fehler."
    files = len({problem.path for problem in problems})
    return f"{len(problems)} Fehler in {files} Datei(en); {files_read} Dateien geprüft."


def location(problem: Problem) -> str:
    parts = [problem.path]
    if problem.line is not None:
        parts.append(str(problem.line))
        if problem.column is not None:
            parts.append(str(problem.column))
    return ":".join(parts)


def _window(line: str, column: int) -> tuple[str, int]:
    """A long line cut to a window around ``column``; returns the text and the new column."""
    if len(line) <= EXCERPT_WIDTH:
        return line, column
    start = max(0, min(column - EXCERPT_WIDTH // 2, len(line) - EXCERPT_WIDTH))
    text = line[start : start + EXCERPT_WIDTH]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + EXCERPT_WIDTH < len(line) else ""
    return prefix + text + suffix, column - start + len(prefix)


def format_problem(problem: Problem) -> list[str]:
    """One problem as hledger prints errors: place, message, excerpt with caret, hint."""
    subject = " › ".join(part for part in (problem.record_id, problem.field) if part)
    head = f"{location(problem)}: Fehler [{problem.code}]"
    lines = [f"{head} {subject}".rstrip(), f"  {problem.message}"]
    if problem.excerpt is not None and problem.line is not None:
        gutter = " " * len(str(problem.line))
        excerpt, column = _window(
            problem.excerpt.rstrip(), problem.excerpt_column or problem.column or 1
        )
        lines += [f"  {gutter} |", f"  {problem.line} | {excerpt}"]
        if problem.column is not None:
            width = max(1, (problem.end_column or problem.column + 1) - problem.column)
            width = min(width, max(1, len(excerpt) - column + 1), EXCERPT_WIDTH)
            lines.append(f"  {gutter} | {' ' * (column - 1)}{'^' * width}")
    if problem.hint:
        lines.append(f"  Hinweis: {problem.hint}")
    return lines


def write_text(problems: Sequence[Problem], files_read: int, stream: TextIO) -> None:
    lines: list[str] = []
    for problem in problems:
        lines += [*format_problem(problem), ""]
    lines.append(summary(problems, files_read))
    stream.write("\n".join(lines) + "\n")


def problem_dict(problem: Problem) -> dict[str, object]:
    return {
        "code": problem.code,
        "meldung": problem.message,
        "datei": problem.path,
        "zeile": problem.line,
        "spalte": problem.column,
        "end_spalte": problem.end_column,
        "datensatz": problem.record_id,
        "feld": problem.field,
        "hinweis": problem.hint,
        "auszug": problem.excerpt,
    }


def write_json(
    problems: Sequence[Problem], files_read: int, stream: TextIO, checked: str | None = None
) -> None:
    document: dict[str, object] = {} if checked is None else {"datenstand": checked}
    document |= {
        "gueltig": not problems,
        "dateien_geprueft": files_read,
        "anzahl_fehler": len(problems),
        "fehler": [problem_dict(problem) for problem in problems],
    }
    write_json_document(document, stream)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(
    problems: Sequence[Problem], files_read: int, stream: TextIO, checked: str | None = None
) -> None:
    """Workflow commands that GitHub Actions shows as annotations on the changed lines."""
    for problem in problems:
        properties = [f"file={_escape_property(problem.path)}"]
        if problem.line is not None:
            properties.append(f"line={problem.line}")
        if problem.column is not None:
            properties.append(f"col={problem.column}")
        if problem.end_column is not None:
            properties.append(f"endColumn={problem.end_column}")
        properties.append(f"title={_escape_property(f'qa validate [{problem.code}]')}")
        message = problem.message + (f" Hinweis: {problem.hint}" if problem.hint else "")
        stream.write(f"::error {','.join(properties)}::{_escape_data(message)}\n")
    if checked is not None:
        stream.write(checked + "\n")
    stream.write(summary(problems, files_read) + "\n")
