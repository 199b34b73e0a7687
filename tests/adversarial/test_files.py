"""Hostile file systems: every file qa writes goes through one writer (``qa_cli.atomic``).

For every command that writes a file, each case plants one thing at (or around) the target and
expects one outcome: a link is replaced and its destination untouched; a device, FIFO or folder
is refused and left as it was; a write that fails (size limit, full disk, read-only disk) leaves
the previous file intact and says so in German with exit code 1 or 2, never 3.
"""

from __future__ import annotations

import os
import resource
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.adversarial.repository import make_repository
from tests.conftest import REPO, SESSION_CACHE, run_qa

# name, arguments ({target} is the file), file name of the target
WRITERS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("report-md", ("report", "anlaufstellen", "-o", "{target}"), "bericht.md"),
    ("report-csv", ("report", "anlaufstellen", "-o", "{target}"), "bericht.csv"),
    ("report-html", ("report", "anlaufstellen", "-o", "{target}"), "bericht.html"),
    ("report-xlsx", ("report", "anlaufstellen", "-o", "{target}"), "bericht.xlsx"),
    ("karte", ("report", "karte", "-o", "{target}"), "karte.html"),
    ("export-json", ("export", "json", "-o", "{target}"), "daten.json"),
    ("export-geojson", ("export", "geojson", "-o", "{target}"), "karte.geojson"),
    ("export-sqlite", ("export", "sqlite", "{target}", "--force"), "qa.sqlite"),
)
PREVIOUS = b"der vorige, gute Bericht\n"
GERMAN_REASON = ("lässt sich nicht schreiben", "ließ sich nicht schreiben")


def _args(args: tuple[str, ...], target: Path) -> list[str]:
    return [arg.format(target=target) for arg in args]


def run_limited(args: list[str], file_bytes: int) -> subprocess.CompletedProcess[str]:
    """qa in its own process, no file it writes may grow beyond ``file_bytes``."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))

    environment = {k: v for k, v in os.environ.items() if k != "QA_DATA"}
    environment["QA_CACHE_DIR"] = SESSION_CACHE
    return subprocess.run(
        [sys.executable, "-m", "qa_cli", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
    )


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name not in keep)


writers = pytest.mark.parametrize("name, args, file_name", WRITERS, ids=[w[0] for w in WRITERS])


@writers
def test_a_symlink_at_the_target_is_replaced_not_followed(
    tmp_path: Path, name: str, args: tuple[str, ...], file_name: str
) -> None:
    victim = tmp_path / "opfer.txt"
    victim.write_bytes(b"nicht anfassen\n")
    target = tmp_path / file_name
    target.symlink_to(victim)
    result = run_qa(*_args(args, target))
    assert result.code == 0, result.text
    assert victim.read_bytes() == b"nicht anfassen\n"
    assert not target.is_symlink() and target.stat().st_size > 0


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the numbers of /dev/null


def _folder(path: Path) -> None:
    path.mkdir()


@writers
@pytest.mark.parametrize("make", [_fifo, _device, _folder], ids=["fifo", "geraet", "ordner"])
def test_a_target_that_is_no_regular_file_is_refused(
    tmp_path: Path, name: str, args: tuple[str, ...], file_name: str, make: object
) -> None:
    target = tmp_path / file_name
    try:
        make(target)  # type: ignore[operator]
    except PermissionError:
        pytest.skip("keine Rechte für mknod")
    kind = stat.S_IFMT(target.lstat().st_mode)
    result = run_qa(*_args(args, target))
    assert result.code in (1, 2), result.text
    assert "qa: Fehler:" in result.err and "Traceback" not in result.err
    assert stat.S_IFMT(target.lstat().st_mode) == kind
    assert _leftovers(tmp_path, {file_name}) == []


@writers
def test_a_write_that_fails_midway_keeps_the_previous_file(
    tmp_path: Path, name: str, args: tuple[str, ...], file_name: str
) -> None:
    target = tmp_path / file_name
    target.write_bytes(PREVIOUS)
    result = run_limited(_args(args, target), file_bytes=2048)
    assert result.returncode == 1, result.stderr
    assert any(reason in result.stderr for reason in GERMAN_REASON), result.stderr
    assert "Systemfehler" not in result.stderr and "Traceback" not in result.stderr
    assert target.read_bytes() == PREVIOUS
    assert _leftovers(tmp_path, {file_name}) == []


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs (root only; skipped where mounting is not permitted)."""
    mount = tmp_path / "klein"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("tmpfs lässt sich hier nicht einhängen")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@writers
def test_a_full_disk_keeps_the_previous_file(
    tiny_disk: Path, name: str, args: tuple[str, ...], file_name: str
) -> None:
    target = tiny_disk / file_name
    target.write_bytes(PREVIOUS)
    with (tiny_disk / "fuellung").open("wb") as filler, pytest.raises(OSError):
        filler.write(b"\0" * (1 << 20))
        filler.flush()
    result = run_qa(*_args(args, target))
    assert result.code == 1, result.text
    assert "kein Platz mehr auf dem Datenträger" in result.err, result.err
    assert target.read_bytes() == PREVIOUS
    assert _leftovers(tiny_disk, {file_name, "fuellung"}) == []


def test_a_read_only_disk_is_named_in_german(tiny_disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    result = run_qa("report", "anlaufstellen", "-o", str(tiny_disk / "bericht.md"))
    assert result.code == 1 and "der Datenträger ist schreibgeschützt" in result.err, result.err


@pytest.mark.parametrize(
    "args",
    [
        ("report", "anlaufstellen", "--format", "md"),
        ("export", "json"),
        ("export", "geojson"),
        ("report", "karte"),
    ],
    ids=lambda a: "-".join(a[:2]),
)
def test_dash_means_standard_output(tmp_path: Path, args: tuple[str, ...]) -> None:
    to_file = run_qa(*args, "-o", str(tmp_path / ("x.html" if "karte" in args else "x.md")))
    to_stdout = run_qa(*args, "-o", "-")
    assert to_file.code == 0 and to_stdout.code == 0, to_stdout.text
    assert "Geschrieben" not in to_stdout.err
    written = (tmp_path / ("x.html" if "karte" in args else "x.md")).read_text(encoding="utf-8")
    if "karte" not in args:  # the map carries the time it was made
        assert to_stdout.out == written


def test_dash_means_standard_output_for_binary_exports() -> None:
    environment = {k: v for k, v in os.environ.items() if k != "QA_DATA"}
    for args, magic in (
        (["report", "anlaufstellen", "-f", "xlsx", "-o", "-"], b"PK\x03\x04"),
        (["export", "sqlite", "-"], b"SQLite format 3\0"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "qa_cli", *args], cwd=REPO, env=environment, capture_output=True
        )
        assert done.returncode == 0 and done.stdout.startswith(magic), done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="kein /dev/full")
@pytest.mark.parametrize("args", [("list",), ("report", "anlaufstellen"), ("export", "json")])
def test_standard_output_on_a_full_device_is_an_error(args: tuple[str, ...]) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "QA_DATA"}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "qa_cli", *args],
            cwd=REPO,
            env=environment,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 1, done.stderr
    assert "kein Platz mehr auf dem Datenträger" in done.stderr and "None" not in done.stderr


def test_new_onto_a_dangling_symlink_is_refused(shipped_copy: Path, tmp_path: Path) -> None:
    link = shipped_copy / "anlaufstellen" / "neu.yaml"
    link.symlink_to(tmp_path / "nirgends.txt")
    result = run_qa("new", "anlaufstelle", "neu", "--data", str(shipped_copy))
    assert result.code == 1 and "gibt es schon" in result.err, result.text
    assert link.is_symlink() and not (tmp_path / "nirgends.txt").exists()


def test_schema_output_replaces_committed_symlinks(tmp_path: Path) -> None:
    repo = make_repository(tmp_path)
    victim = tmp_path / "opfer.txt"
    victim.write_bytes(b"nicht anfassen\n")
    schemas = repo / "schemas"
    schemas.mkdir()
    (schemas / "anlaufstellen.schema.json").symlink_to(victim)
    result = run_qa("schema", "-o", "schemas", cwd=repo)
    assert result.code == 0, result.text
    assert victim.read_bytes() == b"nicht anfassen\n"
    assert not (schemas / "anlaufstellen.schema.json").is_symlink()


def test_schema_output_into_a_symlinked_folder_is_refused(tmp_path: Path) -> None:
    repo = make_repository(tmp_path)
    elsewhere = tmp_path / "anderswo"
    elsewhere.mkdir()
    (repo / "schemas").symlink_to(elsewhere)
    result = run_qa("schema", "-o", "schemas", cwd=repo)
    assert result.code == 1 and "symbolischer Link" in result.err, result.text
    assert os.listdir(elsewhere) == []


def test_sqlite_errors_are_german(tmp_path: Path) -> None:
    target = tmp_path / "qa.sqlite"
    result = run_limited(["export", "sqlite", str(target)], file_bytes=4096)
    assert result.returncode == 1, result.stderr
    assert "SQLite-Datenbank ließ sich nicht schreiben" in result.stderr or any(
        reason in result.stderr for reason in GERMAN_REASON
    ), result.stderr
    assert not target.exists() and _leftovers(tmp_path, set()) == []


def test_a_file_vanishing_during_the_scan_is_a_german_error(tmp_path: Path) -> None:
    """A folder without git; the file is removed right after its folder was listed (the race,
    made certain by wrapping ``os.scandir`` in the qa process)."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    wrapper = tmp_path / "verschwinden.py"
    wrapper.write_text(
        "import os, sys\n"
        "real = os.scandir\n"
        "class Listing(list):\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *exc): return False\n"
        "    def close(self): pass\n"
        "def scandir(path='.'):\n"
        "    entries = Listing(real(path))\n"
        "    for entry in entries:\n"
        "        if entry.name == 'quartiersbuero-boy.yaml' and os.path.exists(entry.path):\n"
        "            os.unlink(entry.path)\n"
        "    return entries\n"
        "os.scandir = scandir\n"
        "sys.argv = ['qa', *sys.argv[1:]]\n"
        "from qa_cli.cli.app import main\n"
        "main()\n",
        encoding="utf-8",
    )
    environment = {k: v for k, v in os.environ.items() if k != "QA_DATA"}
    environment["QA_CACHE_DIR"] = str(tmp_path / "cache")
    for args in (["validate"], ["list"]):
        shutil.copy(REPO / "data/anlaufstellen/quartiersbuero-boy.yaml", data / "anlaufstellen")
        done = subprocess.run(
            [sys.executable, str(wrapper), *args, "--data", str(data)],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
        )
        assert done.returncode in (1, 2), done.stderr
        assert "quartiersbuero-boy.yaml" in done.stdout + done.stderr, done.stderr
        assert "interner Fehler" not in done.stderr
