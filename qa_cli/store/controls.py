"""Control characters in record texts: valid YAML (written as escapes like ``"\\e[2J"``), but in
a terminal, a pull request or a spreadsheet they act instead of being read, so validation
reports each text that holds one (``steuerzeichen``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from qa_cli.store.dataset import RecordFile
from qa_cli.store.problems import Problem
from qa_cli.store.source import Document, Source, YamlPath, format_path

# C0 controls but tab and line feed (a block of text has lines), DEL, C1 controls, line and
# paragraph separators and the bidirectional overrides: in a terminal, a pull request or a
# spreadsheet they act instead of being read.
CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _texts(data: Any, path: YamlPath = ()) -> Iterator[tuple[YamlPath, str]]:
    """Every key and text value in ``data`` with its path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield (*path, key), key
            yield from _texts(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*path, index))


def control_character_problems(
    record_file: RecordFile, source: Source, document: Document
) -> list[Problem]:
    found = []
    for path, text in _texts(document.data):
        match = CONTROL_CHARACTERS.search(text)
        if match is not None:
            found.append(
                source.problem(
                    "steuerzeichen",
                    f"Der Text enthält das Steuerzeichen U+{ord(match[0]):04X} an Stelle "
                    f"{match.start() + 1}; es würde im Terminal oder im Pull Request wirken "
                    "statt gelesen zu werden.",
                    document.span_for(path),
                    record_id=record_file.id,
                    field=format_path(path) or None,
                    hint="Das Zeichen löschen (oft aus einer Kopie aus einem anderen Programm).",
                )
            )
    return found
