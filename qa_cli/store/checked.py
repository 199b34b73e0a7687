"""The one call through which every command gets its records.

``load_checked(root, needs=…)`` answers what a fresh read of every file would answer, from the
index when the content is known (``pipeline.load_indexed``), else by reading afresh
(``pipeline.load``). ``needs`` names the kinds a command reads: from a known clean run only those
are built from the index; the others are known to be valid from the run's stored result, so
cross-record checks need not be repeated. ``qa validate`` passes no kinds: it wants the problems.

``revision`` reads the state of a commit instead (``--rev``, ``--stand``, ``qa log``): straight
from git's object database, in one batch, never touching the working tree or the index. The
index serves it too: its rows are keyed by git's blob ids, and a run of a revision is stored
under the paths it shows (``REV:data/…``), so it never answers for the working tree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_cli.store.dataset import LoadResult
    from qa_cli.store.kinds import Kind
    from qa_cli.store.revision import Revision
    from qa_cli.store.sources import RecordSource


def load_checked(
    where: RecordSource | Path,
    *,
    needs: Iterable[Kind] | None = None,
    cache: bool = True,
    revision: Revision | str | None = None,
    bounds: Mapping[Kind, str] | None = None,
    streamed: Iterable[Kind] = (),
) -> LoadResult:
    """Every record below ``where`` (a data directory or a ``RecordSource``) with all problems;
    with ``cache`` from the index outside ``data/`` where it knows the content. With
    ``revision`` (a ``Revision`` or a commit id) the data directory ``where`` as that commit
    holds it; raises ``GitError`` outside a repository.

    ``bounds`` (kind → bound, see ``probes``) lets the index leave out records of a kind that a
    command would drop anyway: from a known clean run the dataset then holds only those of that
    kind whose probe is at most the bound; read afresh it holds all.

    ``streamed`` names kinds the command walks once: their records are built one at a time as
    it walks them, never all at once (100,000 offices as models take most of a gigabyte)."""
    from qa_cli.store import pipeline

    if revision is not None:
        where = _at(where, revision)
    if not cache:
        return pipeline.load(where, needs, streamed)
    from qa_cli.store.cache import RecordIndex

    source = pipeline.as_source(where)
    return pipeline.load_indexed(source, needs, RecordIndex(source.root), bounds, streamed)


def _at(where: RecordSource | Path, revision: Revision | str) -> RecordSource:
    from qa_cli.store.sources import revision_source

    if not isinstance(where, Path):
        raise TypeError("revision needs the data directory, not a source")
    if isinstance(revision, str):
        return revision_source(where, revision)
    return revision_source(where, revision.commit, revision.label)
