"""How record files are named and shown: the suffix, and paths as a user would type them."""

from __future__ import annotations

import os
from pathlib import Path

from qa_cli.store.problems import printable

RECORD_SUFFIX = ".yaml"
WRONG_SUFFIXES = (".yml", ".json")


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it;
    bytes that are not UTF-8 and control characters are replaced, never printed raw."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        relative = str(path)
    shown = str(path) if relative.startswith("..") else relative
    return shown_name(shown)


def shown_name(name: str) -> str:
    """A file name as text that can always be printed: undecodable bytes and control characters
    become U+FFFD. A printable name (the usual case) holds no undecodable byte: returned as is."""
    if name.isprintable():
        return name
    return printable(os.fsencode(name).decode("utf-8", "replace"))
