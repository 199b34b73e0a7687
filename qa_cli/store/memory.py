"""Memory a read of every file freed, given back to the system before a command goes on.

Reading 100,000 files frees most of what it allocated (each file's bytes, its parse, its JSON
for the index), but glibc keeps the freed pages of its heap, and Python builds the rows of a
listing in arenas of its own: the two add up. A first ``qa list --format csv`` at 100,000
offices peaked at 275-291 MiB this way; with the heap given back once the run is stored, at
249-251 MiB (three runs; ``make bench``: ``speicher_list_csv_erster_lauf_kib``).
``malloc_trim`` is glibc's; elsewhere (macOS, musl without it) nothing happens.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable


def give_back_freed_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # only a run that read every file pays for it

    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim
