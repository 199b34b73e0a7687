"""A record file's text and the positions of its values, for located error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qa_cli.store.problems import Problem, excerpt_window

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Span:
    """Where a value stands in a file: 1-based line and column, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(slots=True)
class Source:
    """The decoded text of one file and the name a user knows it by."""

    path: str
    text: str
    _lines: list[str] | None = field(default=None, repr=False)

    def line_text(self, line: int) -> str | None:
        if self._lines is None:
            self._lines = self.text.splitlines()
        if 1 <= line <= len(self._lines):
            return self._lines[line - 1]
        return None

    def problem(
        self,
        code: str,
        message: str,
        span: Span | None = None,
        *,
        record_id: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> Problem:
        """A problem located at ``span`` (or at the file as a whole), with the line as excerpt."""
        if span is None:
            return Problem(code, message, self.path, record_id=record_id, field=field, hint=hint)
        one_line = span.end_line == span.line and span.end_column > span.column
        end_column = span.end_column if one_line else None
        excerpt, excerpt_column = excerpt_window(self.line_text(span.line) or "", span.column)
        return Problem(
            code,
            message,
            self.path,
            line=span.line,
            column=span.column,
            end_column=end_column,
            record_id=record_id,
            field=field,
            hint=hint,
            excerpt=excerpt,
            excerpt_column=excerpt_column,
        )


@dataclass(slots=True)
class Document:
    """A parsed YAML document: plain Python data plus the span of every value and key."""

    data: Any
    values: dict[YamlPath, Span]
    keys: dict[YamlPath, Span]

    def span_for(self, path: YamlPath, *, prefer_key: bool = False) -> Span | None:
        """The closest known position for ``path``: the value itself, else its nearest parent."""
        for end in range(len(path), -1, -1):
            sub = path[:end]
            if prefer_key and end == len(path) and sub in self.keys:
                return self.keys[sub]
            if sub in self.values:
                return self.values[sub]
        return None


def format_path(path: YamlPath) -> str:
    """``('foerderungen', 0, 'ende')`` → ``foerderungen[0].ende``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
