"""The one way qa writes a JSON document: UTF-8 text, indented, with the version of qa that
wrote it (``qa_version``), so a script can tell which qa produced a file it reads."""

from __future__ import annotations

import json
from typing import Any, TextIO

from qa_cli.version import qa_version


def versioned(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with ``qa_version`` as its first key."""
    return {"qa_version": qa_version(), **document}


def json_text(document: dict[str, Any]) -> str:
    return json.dumps(versioned(document), ensure_ascii=False, indent=2) + "\n"


def write_json_document(document: dict[str, Any], stream: TextIO) -> None:
    stream.write(json_text(document))
