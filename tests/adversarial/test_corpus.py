"""Every hostile file of the corpus, through the real ``qa validate`` in its own process.

Each case is written into a copy of the shipped data; ``qa validate --format json`` and the text
format run side by side under a memory bound (``RLIMIT_AS``), an output bound (``RLIMIT_FSIZE``)
and a time bound. Both must end with exit code 1, without a traceback, and name the file; the JSON
must list the expected codes with a German message, located where the case says so, and every
shipped record must still load.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from qa_cli.store.pipeline import load
from tests.adversarial.corpus import CASES, VALID_CASES, Case, ValidCase, build
from tests.conftest import SHIPPED_DATA

MEMORY_BYTES = 1536 * 1024 * 1024  # 1.5 GiB of address space
OUTPUT_BYTES = 64 * 1024 * 1024  # no run may write more than 64 MiB

GERMAN = re.compile(
    r"[äöüÄÖÜß„“]|\b(der|die|das|dem|den|des|ein|eine|eines|einer|ist|sind|nicht|kein|keine|mit|"
    r"und|oder|auf|Datei|Daten|Datensatz|Verzeichnis|Wert|Feld|Zeile)\b",
    re.IGNORECASE,
)
ENGLISH = re.compile(
    r"\b(Input should|is not|are not|not allowed|unacceptable|could not|cannot|found|expected|"
    r"No such|Permission denied|Exceeds|device|address|Error|error|character|position|invalid)\b"
)


@dataclass(frozen=True, slots=True)
class Outcome:
    code: int | None  # None: killed at the time limit
    out: str
    err: str
    seconds: float
    utf8: bool  # stdout and stderr were valid UTF-8

    def describe(self) -> str:
        if self.code is None:
            state = "Zeitlimit überschritten"
        elif self.code < 0:
            state = f"durch Signal {signal.Signals(-self.code).name} beendet"
        else:
            state = f"Exit-Code {self.code}"
        return f"{state} nach {self.seconds:.1f} s; stderr: {self.err[:500]!r}"


def _limits() -> None:
    """In the child: bounded memory and output, no core dumps."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_BYTES, OUTPUT_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_bounded(commands: list[list[str]], cwd: Path, timeout: float) -> list[Outcome]:
    """Run the ``qa`` commands side by side, each under the limits; output goes to files."""
    environment = {k: v for k, v in os.environ.items() if k not in ("QA_DATA", "QA_DEBUG")}
    environment.update(QA_CACHE_DIR=str(cwd / "cache"), LC_ALL="C.UTF-8", LANG="C.UTF-8")
    logs = cwd / "ausgabe"
    logs.mkdir(exist_ok=True)
    started = []
    for number, args in enumerate(commands):
        out, err = logs / f"{number}.out", logs / f"{number}.err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "qa_cli", *args],
                cwd=cwd,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                preexec_fn=_limits,
            )
        started.append((process, out, err, time.perf_counter()))
    deadline = time.perf_counter() + timeout
    outcomes = []
    for process, out, err, start in started:
        try:
            code: int | None = process.wait(timeout=max(0.1, deadline - time.perf_counter()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            code = None
        seconds = time.perf_counter() - start
        raw_out, raw_err = out.read_bytes(), err.read_bytes()
        try:
            text_out, text_err, utf8 = raw_out.decode(), raw_err.decode(), True
        except UnicodeDecodeError:
            text_out = raw_out.decode("utf-8", "replace")
            text_err, utf8 = raw_err.decode("utf-8", "replace"), False
        outcomes.append(Outcome(code, text_out, text_err, seconds, utf8))
    return outcomes


def validate(data: Path, timeout: float = 60) -> tuple[Outcome, Outcome]:
    """``qa validate`` in JSON and in text, side by side."""
    json_run, text_run = run_bounded(
        [
            ["validate", "--data", "data", "--format", "json"],
            ["validate", "--data", "data"],
        ],
        data.parent,
        timeout,
    )
    return json_run, text_run


@pytest.fixture(scope="module")
def shipped_files(tmp_path_factory: pytest.TempPathFactory) -> int:
    """How many record files qa counts in the unchanged shipped data (checked under the same
    limits: the bounds must not break a normal run)."""
    import shutil

    root = tmp_path_factory.mktemp("unveraendert")
    shutil.copytree(SHIPPED_DATA, root / "data")
    json_run, text_run = validate(root / "data")
    assert json_run.code == 0, json_run.describe()
    assert text_run.code == 0, text_run.describe()
    report = json.loads(json_run.out)
    assert report["gueltig"] is True
    return int(report["dateien_geprueft"])


def test_the_bounds_do_not_disturb_a_normal_run(shipped_files: int) -> None:
    assert shipped_files > 50


def _parameters(cases: tuple[Case, ...]) -> list[Any]:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=case.defect)] if case.defect else [],
        )
        for case in cases
    ]


def _unquoted(text: str) -> str:
    """Text without the quoted values („…“), which may be anything the file contained."""
    return re.sub(r"„[^“]*“", "„…“", text)


def _summary(problems: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    return sorted({(p["code"], p["zeile"], p["spalte"]) for p in problems})[:20]


def _line_count(path: Path) -> int:
    if path.is_symlink() or not path.is_file() or path.stat().st_size > 2 * 1024 * 1024:
        return 1
    return len(path.read_bytes().decode("utf-8", "replace").splitlines()) + 1


@pytest.mark.parametrize("case", _parameters(CASES))
def test_hostile_file(case: Case, shipped_copy: Path, shipped_files: int) -> None:
    path = build(case, shipped_copy)
    json_run, text_run = validate(shipped_copy, timeout=case.timeout)
    for run in (json_run, text_run):
        assert run.code == 1, f"{case.name}: {run.describe()}"
        assert "Traceback" not in run.out + run.err
        assert run.utf8, "Ausgabe ist kein UTF-8"
        assert run.seconds < case.max_seconds, f"{case.name}: {run.seconds:.1f} s"
        for text in case.forbidden_output:
            assert text not in run.out + run.err
    if case.must_not_exist is not None:
        assert not (shipped_copy.parent / case.must_not_exist).exists()

    report = json.loads(json_run.out)
    problems: list[dict[str, Any]] = report["fehler"]
    assert report["gueltig"] is False and report["anzahl_fehler"] == len(problems)
    assert report["dateien_geprueft"] == shipped_files + case.counted

    # every problem concerns the hostile file: all shipped records still load
    ours = re.compile(case.path_pattern or re.escape(case.display))
    strangers = [p for p in problems if not ours.fullmatch(p["datei"])]
    assert strangers == [], f"Meldungen zu anderen Dateien: {strangers[:3]}"

    for problem in problems:
        message = _unquoted(problem["meldung"])
        assert GERMAN.search(message), f"nicht deutsch: {problem['meldung']!r}"
        for text in (message, _unquoted(problem["hinweis"] or "")):
            assert not ENGLISH.search(text), f"englisch: {text!r}"

    lines = _line_count(path)
    by_line: dict[int | None, list[dict[str, Any]]] = {}
    for problem in problems:
        by_line.setdefault(problem["zeile"], []).append(problem)
    for expect in case.expect:
        candidates = problems if expect.line is None else by_line.get(expect.line, [])
        matching = [
            p
            for p in candidates
            if p["code"] in expect.codes() and expect.column in (None, p["spalte"])
        ]
        assert matching, f"{expect} fehlt; gemeldet: {_summary(problems)}"
        for problem in matching:
            if case.located:
                assert problem["zeile"] is not None and problem["spalte"] is not None
                assert 1 <= problem["zeile"] <= lines and problem["spalte"] >= 1
            else:
                assert problem["zeile"] is None, "ein Fehler der ganzen Datei hat keine Zeile"
    for line in case.valid_lines:
        assert line not in by_line, f"Zeile {line} ist gültig: {by_line[line][:3]}"
    if case.mentions:
        texts = " ".join(f"{p['meldung']} {p['hinweis'] or ''}" for p in problems)
        assert all(text in texts for text in case.mentions)

    # the text format names the file and counts the same
    assert re.search(case.path_pattern or re.escape(case.display), text_run.out)
    files = len({p["datei"] for p in problems})
    summary = f"{len(problems)} Fehler in {files} Datei(en); {report['dateien_geprueft']} Dateien"
    assert summary in text_run.out


def _at(document: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


@pytest.mark.parametrize("case", VALID_CASES, ids=lambda case: case.name)
def test_yaml11_lookalikes_that_are_valid(case: ValidCase, shipped_copy: Path) -> None:
    """Text fields keep YAML 1.1 words as the text they are; ``012`` is 12 where a number is
    expected. Anlaufstellen are read back with ``qa show --format json``, others via the loader."""
    path = build(case, shipped_copy)
    record_id = path.name.removesuffix(".yaml")
    folder = path.parent.relative_to(shipped_copy).as_posix()
    commands = [["validate", "--data", "data", "--format", "json"]]
    if folder == "anlaufstellen":
        commands.append(["show", record_id, "--data", "data", "--format", "json"])
    runs = run_bounded(commands, shipped_copy.parent, timeout=60)
    assert runs[0].code == 0, runs[0].out[:2000]
    if folder == "anlaufstellen":
        assert runs[1].code == 0, runs[1].describe()
        record = json.loads(runs[1].out)
    else:
        dataset = load(shipped_copy).dataset
        record = dataset.records[folder][record_id].model_dump(mode="json")
    for dotted, expected in case.values.items():
        assert _at(record, dotted) == expected, dotted
