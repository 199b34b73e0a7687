"""Values from records, escaped for the medium they are written to.

Record values come from pull requests of many people, so a value must never act on the medium:
a terminal must not take ``\\e]0;…`` for a new window title, a GitHub comment must not take a
carriage return for the end of a table row or ``<!--`` for the start of a hidden block, and a
reviewer must see every value as it is. Renderers call these small functions on each value;
they do not change what a renderer lays out.
"""

from __future__ import annotations

import json
import re
from typing import Any

CELL_MAX_CHARS = 200

# C0 and C1 controls, DEL, line/paragraph separators and the bidirectional overrides that can
# reorder what a reader sees ("Trojan Source"); the tab stays.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What GitHub-flavoured Markdown reads as syntax inside a line: escape, code, emphasis, links
# and images, HTML and comments, entities, table cells, strikethrough, math; "_" only where it
# can emphasise (not between letters: ``nicht_anwendbar``), ":" and "www." where they would start
# an autolink. A backslash before ASCII punctuation always means the character itself.
_MARKDOWN = re.compile(r"[\\`*\[\]<>&|~$]|(?<![^\W_])_|_(?![^\W_])|:(?=/)|(?<=www)\.", re.I)
_CSS_SAFE = re.compile(r"[\w .,:;()/+%€„“–-]")  # kept as they are in a CSS string
_MENTION = "@\u2060"  # a word joiner after "@": GitHub links no @name, the reader sees "@name"


def _picture(match: re.Match[str]) -> str:
    """A control character as its Unicode control picture (``␍``, ``␛``), else ``�``."""
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """``text`` for a terminal (or any reader): every control character shown as a symbol,
    never executed. A file name's undecodable bytes (surrogate escapes) become ``�``."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub(_picture, text))


def capped(text: str, limit: int = CELL_MAX_CHARS) -> str:
    """At most ``limit`` characters, and saying how many were left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… (+{len(text) - limit} Zeichen)"


def terminal_cell(text: str) -> str:
    """A table cell for a terminal: visible and capped in width."""
    return visible(capped(text))


def markdown_text(text: str) -> str:
    """A value inside a line of Markdown (a table cell, a list item): renders as exactly the
    characters of ``text``, with no HTML, link, image, code, emphasis or mention, and never ends
    the line or the table row."""
    escaped = _MARKDOWN.sub(lambda match: "\\" + match[0], visible(text))
    return escaped.replace("@", _MENTION)


def markdown_cell(text: str) -> str:
    """A table cell in Markdown: ``markdown_text`` of the capped value."""
    return markdown_text(capped(text))


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe_json(document: Any, *, indent: int | None = 2) -> str:
    """``document`` as JSON that is valid UTF-8 and safe on a terminal: C0 controls are escaped
    by ``json`` itself, DEL, C1 controls, line separators and bidirectional overrides here as
    ``\\uXXXX`` (the value is unchanged for a reader of the JSON); a lone surrogate (a file
    name's undecodable byte) becomes ``\\ufffd``."""
    raw = json.dumps(document, ensure_ascii=False, indent=indent)

    def escape(match: re.Match[str]) -> str:
        code = ord(match[0])
        return "\\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"

    return _JSON_UNSAFE.sub(escape, raw)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string (the ``content`` of a page's margin box): every character
    but letters, digits, space and plain punctuation as a six-digit escape, so no quote, backslash
    or ``</style>`` in a record can end the string or the style sheet."""
    escaped = "".join(
        char if _CSS_SAFE.fullmatch(char) and char.isprintable() else f"\\{ord(char):06x}"
        for char in visible(text)
    )
    return f'"{escaped}"'
