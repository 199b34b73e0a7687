"""Shared helpers: the shipped data, scratch data directories and a real ``qa`` process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHIPPED_DATA = REPO / "data"

MINIMAL_AREA = """name: Testgebiet
art: stadtteil
quelle:
  - dokument: Test
"""

MINIMAL_OFFICE = """name: Testbüro
traeger: [AWO]
gebiet: testgebiet
foerderungen:
  - programm: Zusammen im Quartier
    ende: "2020-12"
quelle:
  - dokument: Test
"""


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


SESSION_CACHE = tempfile.mkdtemp(prefix="qa-test-cache-")


def run_qa(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None, input_text: str | None = None
) -> Run:
    """Run the installed package as a user would, in a separate process (with a cache of its
    own, so that no test depends on what an earlier run left in ~/.cache)."""
    environment = {k: v for k, v in os.environ.items() if k != "QA_DATA"}
    environment["QA_CACHE_DIR"] = SESSION_CACHE
    environment.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "qa_cli", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        input=input_text,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A small valid data directory: one area, one office."""
    root = tmp_path / "data"
    (root / "gebiete").mkdir(parents=True)
    (root / "anlaufstellen").mkdir()
    (root / "gebiete" / "testgebiet.yaml").write_text(MINIMAL_AREA, encoding="utf-8")
    (root / "anlaufstellen" / "testbuero.yaml").write_text(MINIMAL_OFFICE, encoding="utf-8")
    return root


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, target)
    return target
