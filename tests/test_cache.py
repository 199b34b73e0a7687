"""The validation cache: outside data/, reused when nothing changed, never hiding a new problem,
safe when run twice at once, ignored and rebuilt when corrupt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.conftest import MINIMAL_OFFICE, run_qa


def validate(data: Path, cache: Path, *extra: str) -> dict[str, Any]:
    result = run_qa(
        "validate",
        "--data",
        str(data),
        "--format",
        "json",
        *extra,
        env={"QA_CACHE_DIR": str(cache)},
    )
    assert result.code in (0, 1), result.text
    return json.loads(result.out)  # type: ignore[no-any-return]


def age(folder: Path) -> None:
    """Make every file look older than the racy window, as after a pause in real use."""
    past = time.time() - 60
    for path in folder.rglob("*"):
        os.utime(path, (past, past), follow_symlinks=False)


def test_cache_lives_outside_data_and_is_reused(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    age(shipped_copy)
    first = validate(shipped_copy, cache)
    assert first["gueltig"] is True
    assert (cache).is_dir() and not any(p.name.startswith(".tmp") for p in cache.rglob("*"))
    assert not any("cache" in p.name or p.suffix == ".sqlite3" for p in shipped_copy.rglob("*"))
    stored = next(cache.rglob("lauf.json"))
    before = stored.stat().st_mtime_ns
    assert validate(shipped_copy, cache) == first
    assert stored.stat().st_mtime_ns == before  # answered from the cache, nothing rewritten


def test_a_change_is_never_hidden_by_the_cache(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    age(shipped_copy)
    assert validate(shipped_copy, cache)["gueltig"] is True
    broken = shipped_copy / "anlaufstellen" / "kaputt.yaml"
    broken.write_text(MINIMAL_OFFICE.replace("testgebiet", "nirgendwo"), encoding="utf-8")
    report = validate(shipped_copy, cache)
    assert report["gueltig"] is False
    assert [p["code"] for p in report["fehler"]] == ["unbekannte-referenz"]
    age(shipped_copy)
    assert validate(shipped_copy, cache) == report  # the invalid state is cached as invalid


def cached_records(cache: Path) -> set[str]:
    import sqlite3

    (database,) = cache.rglob("*.sqlite3")
    with sqlite3.connect(database) as db:
        return {row[0] for row in db.execute("SELECT id FROM records")}


def test_unchanged_records_come_from_the_record_cache(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    age(shipped_copy)
    validate(shipped_copy, cache)
    assert "stadtteilagentur-batenbrock" in cached_records(cache)
    (shipped_copy / "anlaufstellen" / "neu.yaml").write_text(
        MINIMAL_OFFICE.replace("testgebiet", "batenbrock"), encoding="utf-8"
    )
    report = validate(shipped_copy, cache)
    assert report["gueltig"] is True and report["dateien_geprueft"] == first_count(shipped_copy)
    assert "neu" in cached_records(cache)


def first_count(data: Path) -> int:
    return sum(1 for p in data.rglob("*.yaml"))


def test_corrupt_cache_is_ignored_and_rebuilt(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    age(shipped_copy)
    expected = validate(shipped_copy, cache)
    for path in cache.rglob("*"):
        if path.is_file():
            path.write_bytes(b"\x00kaputt\xff" * 10)
    assert validate(shipped_copy, cache) == expected
    assert validate(shipped_copy, cache) == expected


def test_no_cache_flag_leaves_no_cache(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert validate(shipped_copy, cache, "--no-cache")["gueltig"] is True
    assert not cache.exists()


def test_two_runs_at_once(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    age(shipped_copy)
    env = {**os.environ, "QA_CACHE_DIR": str(cache)}
    command = [
        sys.executable,
        "-m",
        "qa_cli",
        "validate",
        "--data",
        str(shipped_copy),
        "--format",
        "json",
    ]
    runs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert len({out for out, _ in outputs}) == 1
    assert validate(shipped_copy, cache) == json.loads(outputs[0][0])


# -- the snapshot of the last clean run, for the read-only commands ----------------------------
def expiring(data: Path, cache: Path) -> list[str]:
    result = run_qa(
        "expiring",
        "--before",
        "2020-12",
        "--format",
        "json",
        "--data",
        str(data),
        env={"QA_CACHE_DIR": str(cache)},
    )
    assert result.code == 0, result.text
    report = json.loads(result.out)
    return [row["id"] for section in ("endend", "ende_unbekannt") for row in report[section]]


def test_read_commands_answer_from_the_snapshot_of_a_clean_run(
    shipped_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    age(shipped_copy)
    first = expiring(shipped_copy, cache)
    assert len(first) == 8  # seven that end by 12/2020 and the one with unknown end
    (snapshot,) = cache.rglob("stand.pickle")
    stored = snapshot.stat()
    assert expiring(shipped_copy, cache) == first
    # a full load would have replaced the snapshot (a new file): the answer came from it
    assert (snapshot.stat().st_ino, snapshot.stat().st_mtime_ns) == (
        stored.st_ino,
        stored.st_mtime_ns,
    )


def test_a_change_replaces_the_snapshot(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    age(shipped_copy)
    assert "stadtteilbuero-batenbrock" in expiring(shipped_copy, cache)
    office = shipped_copy / "anlaufstellen" / "stadtteilbuero-batenbrock.yaml"
    text = office.read_text(encoding="utf-8")
    assert 'ende: "2020-12"' in text
    office.write_text(text.replace('ende: "2020-12"', 'ende: "2023-06"'), encoding="utf-8")
    age(shipped_copy)
    assert "stadtteilbuero-batenbrock" not in expiring(shipped_copy, cache)


def test_invalid_data_leaves_no_snapshot(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (shipped_copy / "anlaufstellen" / "kaputt.yaml").write_text(
        MINIMAL_OFFICE.replace("testgebiet", "nirgendwo"), encoding="utf-8"
    )
    age(shipped_copy)
    for _ in range(2):
        result = run_qa("expiring", "--data", str(shipped_copy), env={"QA_CACHE_DIR": str(cache)})
        assert result.code == 1 and "unbekannte-referenz" in result.err
    assert not list(cache.rglob("stand.pickle"))


def first_snapshot(data: Path, cache: Path) -> tuple[list[str], Path, bytes]:
    """The answer of a first run on aged data, the snapshot it left and its header line."""
    age(data)
    expected = expiring(data, cache)
    (snapshot,) = cache.rglob("stand.pickle")
    return expected, snapshot, snapshot.read_bytes().split(b"\n", 1)[0]


def test_corrupt_snapshot_is_ignored(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected, snapshot, header = first_snapshot(shipped_copy, cache)
    for garbage in (b"\x00kaputt\xff" * 10, header + b"\n" + b"\x80\x05kaputt"):
        snapshot.write_bytes(garbage)
        assert expiring(shipped_copy, cache) == expected


class _Marker:
    """Unpickling this creates a file: shows whether a snapshot was unpickled at all."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.path,))


def test_a_snapshot_others_may_write_is_never_unpickled(shipped_copy: Path, tmp_path: Path) -> None:
    import pickle

    cache = tmp_path / "cache"
    expected, snapshot, header = first_snapshot(shipped_copy, cache)
    marker = tmp_path / "ausgefuehrt"
    for mode, unpickled in ((0o666, False), (0o620, False), (0o600, True)):
        snapshot.write_bytes(header + b"\n" + pickle.dumps(_Marker(marker)))
        snapshot.chmod(mode)
        assert expiring(shipped_copy, cache) == expected
        # only the private file is read (and then refused, as it holds no dataset)
        assert marker.exists() is unpickled
