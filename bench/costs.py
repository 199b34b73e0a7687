"""Cost cases: hostile input that once made a check quadratic or a read unbounded.

    python bench/costs.py            # also part of `make bench` (bench/run.py)

Each case is built in a copy of the shipped data (a git repository) and timed once after a
warm-up run; each must take under a second of CPU time (qa and its git processes; the wall
time is shown too, but on a shared machine it mostly measures the load). Measured:

- one office of ~17 KB with 200 overlapping grants (19,900 problems): ``qa validate``;
- one indicator set with 2,000 references to unknown areas: ``qa validate``;
- a 1 GiB blob of zeros committed as a record (a few MB in the repository): ``qa diff``;
- a valid name of 1 MiB: ``qa list`` (time and bytes printed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LIMIT_SECONDS = 1.0
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True)


def _repository(root: Path) -> Path:
    repo = root / "repo"
    shutil.copytree(REPO / "data", repo / "data")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Stand")
    return repo


def overlapping_grants(repo: Path) -> list[str]:
    grants = "".join(
        f"  - programm: Programm {n}\n    status: bewilligt\n"
        f'    beginn: "2020-01"\n    ende: "2021-12"\n'
        for n in range(200)
    )
    (repo / "data/anlaufstellen/ueberlappend.yaml").write_text(
        f"name: Überlappend\ntraeger: [AWO]\ngebiet: boy\nfoerderungen:\n{grants}"
        "quelle:\n  - dokument: Bench\n",
        encoding="utf-8",
    )
    return ["validate", "--no-cache"]


def unknown_references(repo: Path) -> list[str]:
    values = "".join(f"  unbekannt-{n}:\n    einwohner:\n      wert: {n}\n" for n in range(2000))
    (repo / "data/indikatoren/werte/2099-unbekannt.yaml").write_text(
        f"jahr: 2099\ngliederung: statistischer_bezirk\nquelle:\n  - dokument: Bench\nwerte:\n"
        f"{values}",
        encoding="utf-8",
    )
    return ["validate", "--no-cache"]


def huge_blob(repo: Path) -> list[str]:
    big = repo / "data/anlaufstellen/riesig.yaml"
    with big.open("wb") as handle:
        handle.truncate(1 << 30)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "groß")
    big.unlink()
    _git(repo, "commit", "-q", "-am", "weg")
    return ["diff", "HEAD~2..HEAD~1", "--format", "json"]


def huge_name(repo: Path) -> list[str]:
    path = repo / "data/anlaufstellen/stadtteilbuero-batenbrock.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    name = "x" * ((1 << 20) - 1024)  # the whole file stays within the 1 MiB limit
    path.write_text(
        "".join(f"name: {name}\n" if line.startswith("name:") else line for line in lines),
        encoding="utf-8",
    )
    return ["list"]


CASES: tuple[tuple[str, Callable[[Path], list[str]]], ...] = (
    ("200 überlappende Förderungen (validate)", overlapping_grants),
    ("2.000 unbekannte Verweise (validate)", unknown_references),
    ("Blob von 1 GiB (diff)", huge_blob),
    ("Name von 1 MiB (list)", huge_name),
)


def _run(args: list[str], repo: Path, cache: Path) -> tuple[float, float, int, int]:
    """Wall and CPU seconds (qa and the git processes it waited for), exit code, bytes printed.
    The CPU time is the measure: on a shared machine the wall time mostly says how busy it is."""
    environment = {k: v for k, v in os.environ.items() if k != "QA_DATA"}
    environment["QA_CACHE_DIR"] = str(cache)
    start = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-m", "qa_cli", *args],
        cwd=repo,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    ) as process:
        printed = len(process.stdout.read()) if process.stdout else 0
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - start, cpu, process.returncode, printed


def measure(workdir: Path) -> list[dict[str, Any]]:
    rows = []
    for label, build in CASES:
        root = Path(tempfile.mkdtemp(dir=workdir))
        repo = _repository(root)
        args = build(repo)
        _run(args, repo, root / "cache")  # warm-up: byte code, page cache
        seconds, cpu, code, printed = _run(args, repo, root / "cache")
        rows.append(
            {
                "fall": label,
                "befehl": "qa " + " ".join(args),
                "sekunden": round(seconds, 3),
                "cpu_sekunden": round(cpu, 3),
                "exit": code,
                "ausgabe_bytes": printed,
                "unter_einer_sekunde": cpu < LIMIT_SECONDS,
            }
        )
        shutil.rmtree(root, ignore_errors=True)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'Fall':<42} {'CPU s':>6} {'Wand s':>6} {'Exit':>4} {'Ausgabe':>10}  < 1 s"]
    for row in rows:
        mark = "ja" if row["unter_einer_sekunde"] else "NEIN"
        lines.append(
            f"{row['fall']:<42} {row['cpu_sekunden']:>6.2f} {row['sekunden']:>6.2f} "
            f"{row['exit']:>4} {row['ausgabe_bytes']:>10}  {mark}"
        )
    return "\n".join(lines)


def main() -> None:
    """Print the table; exit 1 when a case takes a second or more."""
    workdir = Path(tempfile.mkdtemp(prefix="qa-bench-kosten-"))
    try:
        rows = measure(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(table(rows))
    if not all(row["unter_einer_sekunde"] for row in rows):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
