"""The one way qa writes a JSON document: UTF-8 text, indented, with the version of qa that
wrote it (``qa_version``), so a script can tell which qa produced a file it reads."""

from __future__ import annotations

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
    stream.write(json_text(document))
