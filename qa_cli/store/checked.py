"""The validated dataset for the read-only commands, reused while nothing changed.

``qa expiring``, ``qa list``, the reports … answer only from data without errors, so each call
would read, validate and cross-check every record first. When neither the data nor qa's code
changed since a call that found no problem (the validation cache's run key), that call's dataset
is loaded from the cache instead: on the shipped data this is most of a call's time, on large
repositories seconds. Any change, a racy modification time or an unusable snapshot means a full
load, which stores a fresh snapshot if the data is valid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa_cli.store.cache import ValidationCache

if TYPE_CHECKING:
    from pathlib import Path

    from qa_cli.store.dataset import LoadResult


def load_checked(root: Path) -> LoadResult:
    """Every record below ``root`` with all problems, from the last clean run if unchanged."""
    cache = ValidationCache(root)
    key = cache.run_key()
    if key is not None:
        dataset = cache.load_snapshot(key)
        if dataset is not None:
            from qa_cli.store.dataset import LoadResult

            return LoadResult(dataset, files_read=len(dataset.files))
    from qa_cli.store.loader import load

    result = load(root)  # not through the record cache: writing it costs more than it saves here
    if key is not None and result.ok:
        cache.save_snapshot(key, result.dataset)
    return result
