"""The one call through which every command gets its records.

``load_checked(root, needs=…)`` answers what a fresh read of every file would answer, from the
index when the content is known (``pipeline.load_indexed``), else by reading afresh
(``pipeline.load``). ``needs`` names the kinds a command reads: from a known clean run only those
are built from the index; the others are known to be valid from the run's stored result, so
cross-record checks need not be repeated. ``qa validate`` passes no kinds: it wants the problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_cli.store.dataset import LoadResult
    from qa_cli.store.kinds import Kind
    from qa_cli.store.sources import RecordSource


def load_checked(
    where: RecordSource | Path,
    *,
    needs: Iterable[Kind] | None = None,
    cache: bool = True,
    bounds: Mapping[Kind, str] | None = None,
) -> LoadResult:
    """Every record below ``where`` (a data directory or a ``RecordSource``) with all problems;
    with ``cache`` from the index outside ``data/`` where it knows the content.

    ``bounds`` (kind → bound, see ``probes``) lets the index leave out records of a kind that a
    command would drop anyway: from a known clean run the dataset then holds only those of that
    kind whose probe is at most the bound; read afresh it holds all."""
    from qa_cli.store import pipeline

    if not cache:
        return pipeline.load(where, needs)
    from qa_cli.store.cache import RecordIndex

    source = pipeline.as_source(where)
    return pipeline.load_indexed(source, needs, RecordIndex(source.root), bounds)
