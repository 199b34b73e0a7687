"""The version of qa, read from the installed package's metadata (its one source: pyproject.toml).

Read lazily: ``importlib.metadata`` costs a few milliseconds, which only ``qa --version`` and the
JSON outputs pay.
"""

from __future__ import annotations

from functools import cache

DISTRIBUTION = "qa-cli"


@cache
def qa_version() -> str:
    """``0.1.0`` for an installed qa; ``unbekannt`` when qa runs from a checkout that pip never
    installed (no metadata to read)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unbekannt"
