"""The one way qa writes a JSON document: UTF-8 text, indented, with the version of qa that
wrote it (``qa_version``), so a script can tell which qa produced a file it reads."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any, TextIO

from qa_cli.render.escape import safe_json
from qa_cli.version import qa_version


def versioned(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with ``qa_version`` as its first key."""
    return {"qa_version": qa_version(), **document}


def json_text(document: dict[str, Any]) -> str:
    """Valid UTF-8 that is safe on a terminal, whatever the values hold (``escape.safe_json``)."""
    return safe_json(versioned(document)) + "\n"


def write_json_document(document: dict[str, Any], stream: TextIO) -> None:
    """``json_text(document)``, written a member at a time; a member that is an iterator (the
    rows of a listing, made as they are written) an item at a time, as the list it stands for:
    100,000 rows never stand in memory as one text, nor converted all at once."""
    stream.write("{")
    for number, (key, value) in enumerate(versioned(document).items()):
        stream.write(("," if number else "") + "\n  " + safe_json(key) + ": ")
        if isinstance(value, Iterator):
            _write_items(value, stream)
        else:
            stream.write(_nested(value, 1))
    stream.write("\n}\n")


def _write_items(items: Iterator[Any], stream: TextIO) -> None:
    first = next(items, _NONE)
    if first is _NONE:
        stream.write("[]")
        return
    stream.write("[")
    for number, item in enumerate(chain([first], items)):
        stream.write(("," if number else "") + "\n    " + _nested(item, 2))
    stream.write("\n  ]")


_NONE = object()


def _nested(value: Any, level: int) -> str:
    """``value`` as ``safe_json`` writes it ``level`` deep in a document (a newline in its text
    is always one between members: inside a string ``json`` writes ``\\n``)."""
    return safe_json(value).replace("\n", "\n" + "  " * level)
