"""After a read of every file, ``qa`` gives the heap memory the read freed back to the system
(``store.memory``): otherwise a first ``qa list --format csv`` at 100,000 offices holds both the
read's freed heap and the listing's rows (``make bench``: 285 MiB before, about 250 MiB after)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa_cli.store.memory import _malloc_trim, give_back_freed_memory

MIB = 2**20


def resident_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / MIB


@pytest.mark.skipif(_malloc_trim() is None, reason="kein malloc_trim von glibc")
def test_the_freed_heap_goes_back_to_the_system() -> None:
    blocks = [bytes(1000) + bytes([i % 256]) for i in range(100_000)]  # ~100 MB of heap
    pinned = blocks[-1]  # allocated last: the heap's top stays in use, glibc keeps the rest
    del blocks
    freed = resident_mib()
    give_back_freed_memory()
    given_back = freed - resident_mib()
    assert given_back > 60, f"nur {given_back:.0f} MiB zurückgegeben"
    assert len(pinned) == 1001
