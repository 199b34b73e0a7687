"""The documentation stays true: every ```console block of README.md and docs/*.md is run against
the shipped data and must show exactly what qa prints (the model is cram and hledger's
shelltests); links between the documents resolve; the reference is what the models generate.

Conventions of a console block (docs/README.md explains them to writers):
- ``$ command`` runs in bash from the root of a fresh copy of the repository (one copy per
  document, blocks in order, so a document is one session); ``> `` continues a command.
- The lines after it are the output, stdout and stderr together. A last line ``[N]`` is the exit
  code N; without it the command must exit 0. A line ``…`` alone stands for any lines; a line
  ending in `` …`` stands for any line that starts with the text before it (for what differs
  between copies, such as the commit a report was made from).
- A ```yaml block whose info string has ``title="PATH"`` is written to PATH in the copy before
  the blocks after it run (so a document shows the file it then validates).
- A ```console chromium block needs Chromium (a PDF): without it its commands do not run and the
  document's test is skipped after all its other blocks passed; under ``QA_BROWSER_TESTS=1`` (CI)
  a missing Chromium fails it, as the browser tests do.
Set ``QA_DOCS_UPDATE=1`` to write the actual output into the documents instead of comparing
(then review the diff: that is the point of the test).
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from qa_cli.reference_docs import REFERENCE, generated
from qa_cli.store.problems import CODES
from tests import browser
from tests.conftest import REPO

DOCUMENTS = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])
BIN = Path(sys.executable).parent
# Written by other helpers in parallel; linked already. Remove a name once its file is merged.
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'title="([^"]+)"')
ANY_LINES = "…"


@dataclass
class Command:
    line: int  # in the document, for messages
    text: str
    expected: list[str] = field(default_factory=list)
    code: int = 0
    chromium: bool = False  # from a ```console chromium block


@dataclass
class Step:
    """A file to write, or a command to run."""

    path: str | None = None
    content: str = ""
    command: Command | None = None


def steps(document: str) -> list[Step]:
    found: list[Step] = []
    for match in FENCE.finditer(document):
        info, body = match.group(1).strip(), match.group(2)
        start = document.count("\n", 0, match.start()) + 2
        title = TITLE.search(info)
        if info.startswith("yaml") and title:
            found.append(Step(path=title.group(1), content=body))
        elif info in ("console", "console chromium"):
            for command in commands(body, start):
                command.chromium = info.endswith("chromium")
                found.append(Step(command=command))
    return found


def commands(body: str, first_line: int) -> list[Command]:
    found: list[Command] = []
    for number, line in enumerate(body.rstrip("\n").split("\n"), start=first_line):
        if line.startswith("$ "):
            found.append(Command(number, line[2:]))
        elif line.startswith("> ") and found and not found[-1].expected:
            found[-1].text += "\n" + line[2:]
        elif found:
            found[-1].expected.append(line)
        else:
            raise AssertionError(f"Zeile {number}: ein console-Block beginnt mit „$ “")
    for command in found:
        if command.expected and re.fullmatch(r"\[\d+\]", command.expected[-1]):
            command.code = int(command.expected.pop()[1:-1])
    return found


def matches(expected: list[str], actual: list[str]) -> bool:
    """``…`` alone on a line matches any number of lines (also none); ``text …`` one line
    that starts with ``text``."""
    if not expected:
        return not actual
    if expected[0] == ANY_LINES:
        return any(matches(expected[1:], actual[skip:]) for skip in range(len(actual) + 1))
    return (
        bool(actual) and line_matches(expected[0], actual[0]) and matches(expected[1:], actual[1:])
    )


def line_matches(expected: str, actual: str) -> bool:
    if expected.endswith(" " + ANY_LINES):
        return actual.startswith(expected.removesuffix(ANY_LINES))
    return expected == actual


def sandbox(tmp: Path) -> tuple[Path, dict[str, str]]:
    """A fresh copy of the repository: a clone of HEAD (history for `qa diff`) with the data
    and schemas of the working tree, and an environment that does not depend on the machine."""
    copy = tmp / "qa"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(copy)], check=True)
    for folder in ("data", "schemas"):
        shutil.rmtree(copy / folder)
        shutil.copytree(REPO / folder, copy / folder)
    environment = {
        "PATH": f"{BIN}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp / "home"),
        "QA_CACHE_DIR": str(tmp / "cache"),
        "COLUMNS": "100",
        "TZ": "Europe/Berlin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        # git writes the textconv cache as notes, which need an author
        "GIT_AUTHOR_NAME": "Doku",
        "GIT_AUTHOR_EMAIL": "doku@example.invalid",
        "GIT_COMMITTER_NAME": "Doku",
        "GIT_COMMITTER_EMAIL": "doku@example.invalid",
    }
    return copy, environment


def run(command: Command, cwd: Path, environment: dict[str, str]) -> tuple[list[str], int]:
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", command.text],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    return done.stdout.rstrip("\n").split("\n") if done.stdout.strip() else [], done.returncode


def shown(lines: list[str], code: int) -> list[str]:
    return [*lines, *([f"[{code}]"] if code else [])]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_console_blocks_show_what_qa_prints(document: Path, tmp_path: Path) -> None:
    text = document.read_text(encoding="utf-8")
    copy, environment = sandbox(tmp_path)
    failures: list[str] = []
    replacements: list[tuple[Command, list[str]]] = []
    without_chromium: list[int] = []
    for step in steps(text):
        if step.command is None:
            assert step.path is not None
            (copy / step.path).parent.mkdir(parents=True, exist_ok=True)
            (copy / step.path).write_text(step.content, encoding="utf-8")
            continue
        command = step.command
        if command.chromium and browser.find_chromium() is None:
            without_chromium.append(command.line)
            continue
        actual, code = run(command, copy, environment)
        if not (matches(command.expected, actual) and code == command.code):
            replacements.append((command, shown(actual, code)))
            diff = difflib.unified_diff(
                shown(command.expected, command.code),
                shown(actual, code),
                "gezeigt",
                "wirklich",
                lineterm="",
            )
            failures.append(f"{document.name}:{command.line}: $ {command.text}\n" + "\n".join(diff))
    if failures and os.environ.get("QA_DOCS_UPDATE") == "1":
        document.write_text(updated(text, replacements), encoding="utf-8")
    assert not failures, "\n\n".join(failures)
    if without_chromium:
        browser.unavailable(
            f"{browser.NO_BROWSER}: die Beispiele in Zeile "
            f"{', '.join(map(str, without_chromium))} liefen nicht"
        )


def updated(text: str, replacements: list[tuple[Command, list[str]]]) -> str:
    """``text`` with the output of each failed command replaced by what it printed."""
    lines = text.split("\n")
    for command, output in sorted(replacements, key=lambda r: -r[0].line):
        start = command.line - 1 + command.text.count("\n") + 1
        end = start + len(command.expected) + (1 if command.code else 0)
        lines[start:end] = output
    return "\n".join(lines)


def test_every_document_has_console_blocks_that_run() -> None:
    counted = {
        d.relative_to(REPO).as_posix(): sum(1 for s in steps(d.read_text("utf-8")) if s.command)
        for d in DOCUMENTS
    }
    assert counted["README.md"] >= 5
    assert sum(counted.values()) >= 25


def test_the_runner_compares_and_fails() -> None:
    (command,) = commands("$ echo eins; echo zwei; exit 3\neins\nzwei\n[3]\n", 1)
    assert (command.expected, command.code) == (["eins", "zwei"], 3)
    assert matches(["a", ANY_LINES, "d"], ["a", "b", "c", "d"])
    assert matches(["a", ANY_LINES], ["a"])
    assert not matches(["a", "b"], ["a", "c"])
    assert not matches(["a"], ["a", "b"])


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_links_between_documents_resolve() -> None:
    broken = []
    for document in DOCUMENTS:
        for target in LINK.findall(document.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # an address on the web
            resolved = (document.parent / target).resolve()
            if not resolved.exists():
                broken.append(f"{document.relative_to(REPO)} → {target}")
    assert broken == []


def test_the_reference_is_generated_from_the_models() -> None:
    committed = REFERENCE.read_text(encoding="utf-8")
    assert committed.count("<!-- generiert: ") == 3
    fresh = generated(committed)
    assert fresh == committed, (
        "docs/referenz.md neu erzeugen: python -m qa_cli.reference_docs\n"
        + "\n".join(
            difflib.unified_diff(committed.split("\n"), fresh.split("\n"), lineterm="", n=1)
        )
    )


def test_the_reference_lists_every_error_code() -> None:
    reference = REFERENCE.read_text(encoding="utf-8")
    assert [code for code in CODES if f"`{code}`" not in reference] == []
