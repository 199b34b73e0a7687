"""The index outside data/: reused when nothing changed, and then always the answer a fresh read
gives (``--no-cache``), whatever git was told, whatever the file system holds; never a pickle,
never written through a link; ignored and rebuilt when corrupt or foreign."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from qa_cli.store.cache import DATABASE
from tests.conftest import MINIMAL_OFFICE, run_qa

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}
BROKEN_OFFICE = MINIMAL_OFFICE.replace("testgebiet", "nirgendwo")


def validate(data: Path, cache: Path, *extra: str, cwd: Path | None = None) -> dict[str, Any]:
    result = run_qa(
        "validate",
        "--data",
        str(data),
        "--format",
        "json",
        *extra,
        cwd=cwd or data.parent,
        env={"QA_CACHE_DIR": str(cache)},
    )
    assert result.code in (0, 1), result.text
    return json.loads(result.out)  # type: ignore[no-any-return]


def assert_cached_is_fresh(data: Path, cache: Path, cwd: Path | None = None) -> dict[str, Any]:
    """The cached answer (asked twice: once filling, once from the index) equals ``--no-cache``."""
    fresh = validate(data, cache, "--no-cache", cwd=cwd)
    assert validate(data, cache, cwd=cwd) == fresh
    assert validate(data, cache, cwd=cwd) == fresh
    return fresh


def git(repo: Path, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        env={**os.environ, **GIT_ENV},
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def committed(data: Path) -> Path:
    """Make the folder above ``data`` a git repository with everything committed."""
    repo = data.parent
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Stand")
    return repo


def database(cache: Path) -> Path:
    (path,) = cache.rglob(DATABASE)
    return path


def cached_records(cache: Path) -> set[str]:
    with sqlite3.connect(database(cache)) as db:
        return {row[0] for row in db.execute("SELECT id FROM records")}


def test_index_lives_outside_data_and_a_known_run_writes_nothing(
    shipped_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = validate(shipped_copy, cache)
    assert first["gueltig"] is True
    assert not any(p.suffix == ".sqlite3" for p in shipped_copy.rglob("*"))
    before = database(cache).stat().st_mtime_ns
    assert validate(shipped_copy, cache) == first
    assert database(cache).stat().st_mtime_ns == before  # answered from the index


def test_a_change_is_never_hidden(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert validate(shipped_copy, cache)["gueltig"] is True
    (shipped_copy / "anlaufstellen" / "kaputt.yaml").write_text(BROKEN_OFFICE, encoding="utf-8")
    report = assert_cached_is_fresh(shipped_copy, cache)
    assert [p["code"] for p in report["fehler"]] == ["unbekannte-referenz"]


def test_unchanged_records_come_from_the_index(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    validate(shipped_copy, cache)
    assert "stadtteilagentur-batenbrock" in cached_records(cache)
    (shipped_copy / "anlaufstellen" / "neu.yaml").write_text(
        MINIMAL_OFFICE.replace("testgebiet", "batenbrock"), encoding="utf-8"
    )
    report = validate(shipped_copy, cache)
    assert report["gueltig"] is True
    assert report["dateien_geprueft"] == sum(1 for _ in shipped_copy.rglob("*.yaml"))
    assert "neu" in cached_records(cache)


def test_corrupt_or_foreign_index_is_ignored_and_rebuilt(
    shipped_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    expected = validate(shipped_copy, cache)
    path = database(cache)
    marker = tmp_path / "ausgefuehrt"
    foreign = tmp_path / "fremd.sqlite3"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE records (x)")
        db.execute("INSERT INTO records VALUES ('kaputt')")
    for content in (
        b"\x00kaputt\xff" * 10,
        pickle.dumps(_Marker(marker)),
        foreign.read_bytes(),
    ):
        path.write_bytes(content)
        assert validate(shipped_copy, cache) == expected
        assert validate(shipped_copy, cache) == expected
    assert not marker.exists()  # nothing in the cache folder was ever unpickled


class _Marker:
    """Unpickling this creates a file: shows whether anything was unpickled at all."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.path,))


def test_a_planted_symlink_is_never_written_through(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    validate(shipped_copy, cache)
    path = database(cache)
    victim = tmp_path / "fremde-datei"
    victim.write_bytes(b"unberuehrt")
    for suffix in ("", "-journal"):
        planted = Path(f"{path}{suffix}")
        planted.unlink(missing_ok=True)
        planted.symlink_to(victim)
        (shipped_copy / "anlaufstellen" / f"neu{suffix}.yaml").write_text(
            MINIMAL_OFFICE.replace("testgebiet", "batenbrock"), encoding="utf-8"
        )
        assert validate(shipped_copy, cache)["gueltig"] is True
        assert victim.read_bytes() == b"unberuehrt"
        assert not planted.is_symlink()


def test_a_cache_folder_others_may_write_is_not_used(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = validate(shipped_copy, cache)
    folder = database(cache).parent
    folder.chmod(0o777)
    database(cache).unlink()
    assert validate(shipped_copy, cache) == expected
    assert not (folder / DATABASE).exists()


def test_no_cache_flag_leaves_no_cache(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert validate(shipped_copy, cache, "--no-cache")["gueltig"] is True
    assert not cache.exists()


def test_two_runs_at_once(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "QA_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "qa_cli", "validate", "--data", str(shipped_copy)]
    runs = [
        subprocess.Popen(
            [*command, "--format", "json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert len({out for out, _ in outputs}) == 1
    assert validate(shipped_copy, cache) == json.loads(outputs[0][0])


# -- what made the old cache answer differently from a fresh run -------------------------------
def test_a_git_ignored_record_is_read(shipped_copy: Path, tmp_path: Path) -> None:
    repo = committed(shipped_copy)
    (repo / ".gitignore").write_text("data/anlaufstellen/kaputt.yaml\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert validate(shipped_copy, cache)["gueltig"] is True
    (shipped_copy / "anlaufstellen" / "kaputt.yaml").write_text(BROKEN_OFFICE, encoding="utf-8")
    assert git(repo, "status", "--porcelain", "--", "data") == ""  # git does not see it
    assert assert_cached_is_fresh(shipped_copy, cache)["gueltig"] is False


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
def test_files_git_was_told_to_ignore_are_hashed(
    shipped_copy: Path, tmp_path: Path, flag: str
) -> None:
    repo = committed(shipped_copy)
    cache = tmp_path / "cache"
    assert validate(shipped_copy, cache)["gueltig"] is True
    office = shipped_copy / "anlaufstellen" / "stadtteilagentur-batenbrock.yaml"
    git(repo, "update-index", flag, str(office))
    office.write_text(BROKEN_OFFICE, encoding="utf-8")
    assert git(repo, "status", "--porcelain", "--", "data") == ""  # git vouches for the old one
    assert assert_cached_is_fresh(shipped_copy, cache)["gueltig"] is False


@pytest.mark.parametrize("with_git", [False, True])
def test_a_folder_or_fifo_named_like_a_record(
    shipped_copy: Path, tmp_path: Path, with_git: bool
) -> None:
    if with_git:
        committed(shipped_copy)
    cache = tmp_path / "cache"
    assert validate(shipped_copy, cache)["gueltig"] is True
    (shipped_copy / "anlaufstellen" / "ordner.yaml").mkdir()
    assert assert_cached_is_fresh(shipped_copy, cache)["gueltig"] is False
    (shipped_copy / "anlaufstellen" / "ordner.yaml").rmdir()
    os.mkfifo(shipped_copy / "gebiete" / "pipe.yaml")
    report = assert_cached_is_fresh(shipped_copy, cache)
    assert [p["code"] for p in report["fehler"]] == ["keine-datei"]


def test_a_same_size_edit_with_its_mtime_restored_without_git(
    shipped_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert validate(shipped_copy, cache)["gueltig"] is True
    office = shipped_copy / "anlaufstellen" / "stadtteilagentur-batenbrock.yaml"
    before = office.stat()
    text = office.read_text(encoding="utf-8")
    edited = text.replace("gebiet: batenbrock", "gebiet: batenbrocX", 1)
    assert edited != text and len(edited) == len(text)
    office.write_text(edited, encoding="utf-8")
    os.utime(office, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert assert_cached_is_fresh(shipped_copy, cache)["gueltig"] is False


def test_paths_are_shown_relative_to_each_working_directory(
    shipped_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    (shipped_copy / "anlaufstellen" / "kaputt.yaml").write_text(BROKEN_OFFICE, encoding="utf-8")
    elsewhere = tmp_path / "anderswo"
    elsewhere.mkdir()
    shown = set()
    for cwd in (shipped_copy.parent, shipped_copy, elsewhere, shipped_copy.parent):
        report = assert_cached_is_fresh(shipped_copy, cache, cwd=cwd)
        shown.add(report["fehler"][0]["datei"])
    assert len(shown) == 3


# -- the read commands ------------------------------------------------------------------------
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


def test_read_commands_answer_from_the_index(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = expiring(shipped_copy, cache)
    assert len(first) == 8  # seven that end by 12/2020 and the one with unknown end
    before = database(cache).stat().st_mtime_ns
    assert expiring(shipped_copy, cache) == first
    assert database(cache).stat().st_mtime_ns == before


def test_a_change_reaches_the_read_commands(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert "stadtteilbuero-batenbrock" in expiring(shipped_copy, cache)
    office = shipped_copy / "anlaufstellen" / "stadtteilbuero-batenbrock.yaml"
    text = office.read_text(encoding="utf-8")
    assert 'ende: "2020-12"' in text
    office.write_text(text.replace('ende: "2020-12"', 'ende: "2023-06"'), encoding="utf-8")
    assert "stadtteilbuero-batenbrock" not in expiring(shipped_copy, cache)


def test_read_commands_refuse_invalid_data_every_time(shipped_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (shipped_copy / "matrix-ohne-ordner.yaml").write_text("name: x\n", encoding="utf-8")
    (shipped_copy / "antraege" / "kaputt.yaml").write_text("name: [\n", encoding="utf-8")
    for _ in range(2):
        result = run_qa("expiring", "--data", str(shipped_copy), env={"QA_CACHE_DIR": str(cache)})
        assert result.code == 1 and "yaml-syntax" in result.err, result.text


def test_a_damaged_record_of_the_last_run_counts_as_a_miss(
    shipped_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    validate(shipped_copy, cache)
    office = next((shipped_copy / "anlaufstellen").glob("*.yaml"))
    for damaged in (b"nur\0zwei", "Text statt Bytes", b"\xff\xfe\0kaputt\0"):
        with sqlite3.connect(database(cache)) as db:
            db.execute("UPDATE bases SET members=?", (damaged,))
        office.write_text(office.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert_cached_is_fresh(shipped_copy, cache)


@pytest.mark.parametrize(
    "members",
    [
        {},
        {"anlaufstellen/a.yaml": ("0" * 40, True), "gebiete/b.yaml": ("1" * 40, False)},
        {"anlaufstellen/tab\tund\nzeile.yaml": ("!keine-datei:Nicht lesbar.", False)},
        {"anlaufstellen/kein-utf8-\udcff.yaml": ("2" * 64, True)},
    ],
)
def test_the_last_runs_files_are_read_back_as_written(members: dict[str, tuple[str, bool]]) -> None:
    from qa_cli.store.cache import _members_blob, _members_from

    assert _members_from(_members_blob(members)) == members


def test_git_calls_run_together_and_a_failed_one_leaves_none_running(tmp_path: Path) -> None:
    import gc
    import warnings

    from qa_cli.store.gitrepo import GitError, _git_started, outputs

    def together(*commands: tuple[str, ...]) -> list[bytes]:
        return outputs([_git_started(repo, *args) for args in commands])

    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "x.yaml").write_text("name: x\n", encoding="utf-8")
    committed(repo / "data")
    listing, head = together(("ls-files", "-z"), ("rev-parse", "HEAD"))
    assert listing == b"data/x.yaml\0"
    assert head.strip() == git(repo, "rev-parse", "HEAD").strip().encode()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(GitError, match="single revision"):
            together(("rev-parse", "--verify", "nope"), ("ls-files", "-z"))
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
