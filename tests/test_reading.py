"""Reading many files in two processes (``store/reading.py``) answers exactly what reading them
one by one answers: the same records, the same problems, the same index rows; and a child that
fails leaves the answer unchanged."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.generate import write_tree
from qa_cli.store import reading
from qa_cli.store.cache import RecordIndex
from qa_cli.store.dataset import LoadResult
from qa_cli.store.pipeline import load, load_indexed

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
    reason="zwei Prozesse nur unter Linux mit zwei Kernen",
)
OFFICES = 2400  # with requests, areas and indicators about 2,600 files: above PARALLEL_FROM


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated data folder with broken files in both halves of the file list."""
    out = tmp_path_factory.mktemp("viele")
    write_tree(out, OFFICES, seed=3)
    data = out / "data"
    offices = data / "anlaufstellen"
    (offices / "anlaufstelle-7.yaml").write_text("name: [kaputt\n", encoding="utf-8")
    (offices / "anlaufstelle-2300.yaml").write_text("name: X\nunbekannt: 1\n", encoding="utf-8")
    (offices / "Falsche_Kennung.yaml").write_text("name: Y\n", encoding="utf-8")
    text = (offices / "anlaufstelle-2301.yaml").read_text(encoding="utf-8")
    (offices / "anlaufstelle-2301.yaml").write_text(
        text.replace("gebiet: gebiet-", "gebiet: nirgendwo-"), encoding="utf-8"
    )
    return data


def summary(result: LoadResult) -> dict[str, Any]:
    records = {
        (folder, record_id): record.model_dump_json()
        for folder, kind in result.dataset.records.items()
        for record_id, record in kind.items()
    }
    return {"problems": result.problems, "files": result.files_read, "records": records}


def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the forks (each still a real fork)."""
    made: list[int] = []
    real = os.fork

    def counted() -> int:
        child = real()
        if child:
            made.append(child)
        return child

    monkeypatch.setattr(os, "fork", counted)
    return made


def test_two_processes_answer_what_one_answers(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = forks(monkeypatch)
    parallel = summary(load(many))
    assert len(made) == 1
    monkeypatch.setattr(reading, "PARALLEL_FROM", 10**9)
    alone = summary(load(many))
    assert len(made) == 1
    assert parallel == alone
    codes = {problem.code for problem in parallel["problems"]}
    assert {"yaml-syntax", "unbekanntes-feld", "ungueltige-id"} <= codes, codes
    assert any("nirgendwo" in problem.message for problem in parallel["problems"])


def test_the_index_gets_the_same_rows_from_either(
    many: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = forks(monkeypatch)
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "zwei"))
    parallel = summary(load_indexed(many, None, RecordIndex(many)))
    assert len(made) == 1
    monkeypatch.setattr(reading, "PARALLEL_FROM", 10**9)
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "einer"))
    alone = summary(load_indexed(many, None, RecordIndex(many)))
    assert parallel == alone
    in_one = rows(many)
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "zwei"))
    assert rows(many) == in_one
    assert len(in_one) > OFFICES


def rows(data: Path) -> list[tuple[str, ...]]:
    """The record rows of the index of ``data`` under ``$QA_CACHE_DIR``."""
    import sqlite3

    database = RecordIndex(data).folder / "index.sqlite3"
    with sqlite3.connect(database) as db:
        return sorted(db.execute("SELECT kind, id, digest, dump, probe FROM records"))


def test_a_failing_child_leaves_the_answer_unchanged(
    many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = summary(load(many))

    def broken(outcome: reading.Outcome) -> bytes:
        raise RuntimeError("Kind scheitert")

    made = forks(monkeypatch)
    monkeypatch.setattr(reading, "_encoded", broken)
    assert summary(load(many)) == expected
    assert len(made) == 1
