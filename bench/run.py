"""Benchmarks of qa, each as a ratio against a floor measured in the same run (median of runs).

    make bench                      # N = 1.000, 10.000 and 100.000
    python bench/run.py --sizes 1000 10000 --runs 3

Writes bench/ergebnisse.json and prints a table. Measured: qa validate (cold, --no-cache) against
parsing the same files with PyYAML's CSafeLoader and nothing else; check-jsonschema and yamllint
on the same files; qa validate with the cache when nothing changed; qa diff HEAD~1 with one
changed record; start-up of qa --help and qa expiring against python -c pass; qa expiring with
and without the snapshot of the last clean run; peak memory.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
FLOOR = """
import os, sys, yaml
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".yaml"):
            with open(os.path.join(folder, name), "rb") as handle:
                yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak memory (KiB) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} schlug fehl:\n{done.stderr.decode()[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def median(command: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None) -> float:
    return statistics.median(timed(command, cwd, env)[0] for _ in range(runs))


def interleaved(commands: list[list[str]], cwd: Path, runs: int) -> list[float]:
    """The median of each command, run in turns (a, b, a, b …): a ratio between them then holds
    even when the machine's speed drifts during the measurement (a shared virtual machine)."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, measured in zip(commands, times, strict=True):
            measured.append(timed(command, cwd)[0])
    return [statistics.median(measured) for measured in times]


def peak_memory(command: list[str], cwd: Path) -> int:
    """Peak resident memory in KiB, measured by a fresh process tree (GNU time if present)."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    if Path(gnu_time).exists():
        done = subprocess.run(
            [gnu_time, "-f", "%M", *command], cwd=cwd, capture_output=True, text=True
        )
        return int(done.stderr.strip().splitlines()[-1])
    return timed(command, cwd)[1]


def generate(size: int, root: Path) -> Path:
    target = root / f"n{size}"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            "--offices",
            str(size),
            "--commits",
            "3",
            str(target),
        ],
        check=True,
    )
    return target


def files_schema_pairs(data: Path) -> list[tuple[Path, list[str]]]:
    folders = {
        "gebiete": "gebiete", "schwerpunkte": "schwerpunkte", "anlaufstellen": "anlaufstellen",
        "entscheidungsmatrizen": "entscheidungsmatrizen", "antraege": "antraege",
        "indikatoren/katalog": "indikatoren-katalog", "indikatoren/werte": "indikatoren-werte",
    }  # fmt: skip
    pairs = []
    for folder, schema in folders.items():
        files = sorted(str(p) for p in (data / folder).rglob("*.yaml"))
        if files:
            pairs.append((REPO / "schemas" / f"{schema}.schema.json", files))
    return pairs


def measure_size(size: int, repo: Path, runs: int, others: bool) -> dict[str, Any]:
    qa = str(BIN / "qa")
    data = repo / "data"
    cache = {"QA_CACHE_DIR": str(repo.parent / f"cache-{size}")}
    files = sum(1 for _ in data.rglob("*.yaml"))
    result: dict[str, Any] = {"n_anlaufstellen": size, "dateien": files}
    floor, cold = interleaved(
        [[sys.executable, "-c", FLOOR, str(data)], [qa, "validate", "--no-cache"]], repo, runs
    )
    result.update(boden_s=floor, validate_s=cold, validate_faktor=cold / floor)
    subprocess.run([qa, "validate"], cwd=repo, env={**os.environ, **cache}, capture_output=True)
    warm = median([qa, "validate"], repo, runs, cache)
    result.update(validate_cache_s=warm)
    result.update(diff_s=median([qa, "diff", "HEAD~1", "HEAD", "--format", "json"], repo, runs))
    result.update(expiring_times(repo, runs, repo.parent / f"cache-expiring-{size}"))
    if others:
        pairs = files_schema_pairs(data)
        checker = shutil.which("check-jsonschema", path=str(BIN))
        if checker:
            start = time.perf_counter()
            for schema, chunk in pairs:
                for offset in range(0, len(chunk), 2000):
                    subprocess.run(
                        [checker, "--schemafile", str(schema), *chunk[offset : offset + 2000]],
                        capture_output=True,
                    )
            result.update(check_jsonschema_s=time.perf_counter() - start)
            result.update(check_jsonschema_faktor=(time.perf_counter() - start) / floor)
        linter = shutil.which("yamllint", path=str(BIN))
        if linter:
            lint = median([linter, "-d", "relaxed", "-f", "parsable", "data"], repo, 1)
            result.update(yamllint_s=lint, yamllint_faktor=lint / floor)
    return result


EXPIRING = ["expiring", "--before", "2020-12"]


def expiring_times(repo: Path, runs: int, cache_root: Path) -> dict[str, float]:
    """``qa expiring`` without a snapshot (a fresh cache each run: every record is read,
    validated and cross-checked) and with the snapshot of the previous clean run."""
    qa = str(BIN / "qa")
    cold = statistics.median(
        timed([qa, *EXPIRING], repo, {"QA_CACHE_DIR": str(cache_root / f"kalt-{run}")})[0]
        for run in range(runs)
    )
    warm_cache = {"QA_CACHE_DIR": str(cache_root / "warm")}
    timed([qa, *EXPIRING], repo, warm_cache)
    warm = median([qa, *EXPIRING], repo, runs, warm_cache)
    return {"qa_expiring_ohne_stand_s": cold, "qa_expiring_s": warm}


def startup(runs: int, workdir: Path) -> dict[str, float]:
    """Start-up on the shipped data; many runs, since one run takes only milliseconds."""
    qa = str(BIN / "qa")
    runs = max(runs * 5, 25)
    bare, help_time = interleaved([[sys.executable, "-c", "pass"], [qa, "--help"]], REPO, runs)
    return {
        "python_pass_s": bare,
        "qa_help_s": help_time,
        **expiring_times(REPO, runs, workdir / "cache-startzeit"),
    }


def table(start: dict[str, float], sizes: list[dict[str, Any]]) -> str:
    lines = ["Messung                                   Wert"]
    for key, value in start.items():
        lines.append(f"{key:<40}  {value * 1000:8.0f} ms")
    for row in sizes:
        offices, files = (f"{row[k]:,}".replace(",", ".") for k in ("n_anlaufstellen", "dateien"))
        lines.append(f"-- N = {offices} Anlaufstellen, {files} Dateien")
        for key, value in row.items():
            if key in ("n_anlaufstellen", "dateien"):
                continue
            unit = "×" if key.endswith("faktor") else ("KiB" if key.endswith("kib") else "s")
            shown = f"{value:10,}".replace(",", ".") if unit == "KiB" else f"{value:10.3f}"
            lines.append(f"   {key:<37}  {shown} {unit}")
    return "\n".join(lines)


def save(results: dict[str, object], out: Path) -> None:
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "ergebnisse.json")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    start = startup(args.runs, workdir)
    sizes: list[dict[str, Any]] = []
    results: dict[str, object] = {
        "datum": datetime.date.today().isoformat(),
        "rechner": f"{platform.machine()}, {os.cpu_count()} Kerne, "
        f"Python {platform.python_version()}, {platform.platform()}",
        "startzeit": start,
        "groessen": sizes,
    }
    for size in args.sizes:
        repo = generate(size, workdir)
        runs = args.runs if size <= 10000 else max(1, args.runs // 2)
        row = measure_size(size, repo, runs, others=size <= 10000)
        if size == max(args.sizes):
            row["validate_spitzenspeicher_kib"] = peak_memory(
                [str(BIN / "qa"), "validate", "--no-cache"], repo
            )
        sizes.append(row)
        shutil.rmtree(repo, ignore_errors=True)
        save(results, args.out)
    shutil.rmtree(workdir, ignore_errors=True)
    save(results, args.out)
    print(table(start, sizes))
    print(f"\nGeschrieben: {args.out}")


if __name__ == "__main__":
    main()
