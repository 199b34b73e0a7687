"""Kinds a command walks once (``streamed``, e.g. the offices of ``qa list`` and ``qa expiring``)
are built one at a time as the command walks them: the same records in the same order as built
all at once, never all of them alive together, and still readable while another run deletes
their rows from the index."""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest

from bench.generate import write_tree
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.base import Record
from qa_cli.store.cache import DATABASE, RecordIndex
from qa_cli.store.kinds import ANLAUFSTELLEN, GEBIETE
from qa_cli.store.pipeline import load, load_indexed
from qa_cli.store.stored import CHUNK, KEEP

OFFICES = 3 * CHUNK  # three chunks of rows, some offices in a subfolder
NEEDS = (ANLAUFSTELLEN, GEBIETE)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated offices; those ending in 7 lie in ``anlaufstellen/nord/``, so the order the
    files are found in is not the order of their ids."""
    out = tmp_path_factory.mktemp("gestreamt")
    write_tree(out, OFFICES, seed=5)
    offices = out / "data" / "anlaufstellen"
    (offices / "nord").mkdir()
    for path in sorted(offices.glob("anlaufstelle-*7.yaml")):
        path.rename(offices / "nord" / path.name)
    return out / "data"


@pytest.fixture()
def warm(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RecordIndex:
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    assert load_indexed(data, (), RecordIndex(data)).ok  # fills the index
    return RecordIndex(data)


def dumps(pairs: Iterable[tuple[str, Record]]) -> list[tuple[str, str]]:
    return [(record_id, record.model_dump_json()) for record_id, record in pairs]


def live_offices() -> int:
    gc.unfreeze()  # the load froze what it built (``pipeline``): count that too
    gc.collect()
    return sum(isinstance(thing, Anlaufstelle) for thing in gc.get_objects())


def test_file_order_is_not_id_order(data: Path) -> None:
    ids = list(load(data, NEEDS).dataset.anlaufstellen)
    assert ids != sorted(ids) and len(ids) == OFFICES


def test_streamed_offices_are_those_built_at_once(data: Path, warm: RecordIndex) -> None:
    at_once = load_indexed(data, NEEDS, warm).dataset.anlaufstellen
    streamed = load_indexed(data, NEEDS, RecordIndex(data), streamed=(ANLAUFSTELLEN,))
    offices = streamed.dataset.anlaufstellen
    assert isinstance(at_once, dict) and not isinstance(offices, dict)
    expected = dumps(at_once.items())
    assert dumps(offices.items()) == expected
    assert [record.model_dump_json() for record in offices.values()] == [d for _, d in expected]
    assert list(offices) == list(at_once) and len(offices) == OFFICES
    some = expected[CHUNK + 3][0]
    assert offices[some].model_dump_json() == at_once[some].model_dump_json()
    fresh = load(data, NEEDS, streamed=(ANLAUFSTELLEN,)).dataset.anlaufstellen
    assert dumps(fresh.items()) == expected


def test_a_walk_keeps_only_the_last_few_alive(data: Path, warm: RecordIndex) -> None:
    before = live_offices()
    offices = load_indexed(data, NEEDS, warm, streamed=(ANLAUFSTELLEN,)).dataset.anlaufstellen
    walked = sum(1 for _ in offices.items())
    assert walked == OFFICES
    assert live_offices() - before <= KEEP


def test_rows_stay_readable_while_another_run_deletes_them(
    data: Path, warm: RecordIndex, tmp_path: Path
) -> None:
    """The index is held from the count of the rows to the end of the walk; a writer is not
    kept waiting meanwhile (write-ahead log)."""
    expected = dumps(load(data, NEEDS).dataset.anlaufstellen.items())
    offices = load_indexed(data, NEEDS, warm, streamed=(ANLAUFSTELLEN,)).dataset.anlaufstellen
    (path,) = (tmp_path / "cache").rglob(DATABASE)
    other = sqlite3.connect(path, timeout=0.5, isolation_level=None)
    other.execute("DELETE FROM records")  # fails at once if the walk's hold blocked it
    assert other.execute("SELECT count(*) FROM records").fetchone() == (0,)
    assert dumps(offices.items()) == expected
    other.close()
