"""One record as canonical lines (``pfad: wert``), for git's textconv diff driver.

Key order, quoting, flow or block style and comments disappear; what remains is one line per
value, sorted, so ``git diff`` and ``git log -p`` show which fields changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qa_cli.render.escape import safe_json, visible


def canonical_lines(data: Any) -> list[str]:
    return sorted(_lines(data, ""))


def _lines(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, dict):
        if not value:
            yield f"{path}: {{}}"
        for key, item in value.items():
            yield from _lines(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        if not value:
            yield f"{path}: []"
        for index, item in enumerate(value):
            yield from _lines(item, f"{path}[{index}]")
    else:
        yield f"{visible(path)}: {safe_json(value, indent=None)}"
