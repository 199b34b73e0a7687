"""Fuzzing, bounded in time: the loader on arbitrary bytes, mutated records and YAML-ish token
soup, and ``qa diff`` between two random states of a real git repository.

``tests/test_property.py`` already runs ``qa validate`` on random bytes and checks the exit code;
here the loader's answer itself is checked: it never raises, every code is registered, every
located problem lies inside the file, the other records still load, and whatever the careful event
walk of ``yamlsafe.parse`` refuses, the loader refuses too.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from qa_cli.cli.app import app
from qa_cli.cli.usage import run
from qa_cli.store import yamlsafe
from qa_cli.store.paths import display_path
from qa_cli.store.pipeline import load
from qa_cli.store.problems import CODES, Problem
from tests.adversarial.corpus import OFFICE, request
from tests.conftest import MINIMAL_AREA, MINIMAL_OFFICE
from tests.test_diff import git

# -- the loader ---------------------------------------------------------------------------------

INDICATOR_SET = """jahr: 2022
gliederung: stadtteil
werte:
  testgebiet:
    einwohner: {wert: 12.5, stichtag: "2022"}
quelle:
  - dokument: Test
"""

# a valid record of each kind the probe may stand for, and where it goes
SEEDS: dict[str, bytes] = {
    "anlaufstellen": MINIMAL_OFFICE.encode(),
    "antraege": request("24000", "3").encode(),
    "indikatoren/werte": INDICATOR_SET.encode(),
    "gebiete": MINIMAL_AREA.encode(),
}

TOKENS = [
    *("- ", "? ", ": ", ":", "[", "]", "{", "}", ", ", "&a ", "*a", "!x ", "!!str ", "! "),
    *("<<: ", "---\n", "...\n", "%YAML 1.1\n", "# ", "'", '"', "|\n", ">-\n", "\\", "\\u00e4"),
    *("\n", "\n  ", "\n    ", "\t", "\r\n", "\r", "\x85", "\u2028", "\ufeff", "\x00", "\x1b"),
    *("~", "null", "yes", "no", "012", "0x1F", "1:20", ".inf", ".nan", "1e400", "9" * 30),
    *("name", "traeger", "gebiet", "quelle", "foerderungen", "ende", "beginn", "dokument"),
    *("testgebiet", "2020-12", "2021-H1", "dauerhaft", "Ja", "Nein", "Büro", "x" * 200),
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid record of some kind with one to four splices of tokens or random bytes."""
    folder = draw(st.sampled_from(sorted(SEEDS)))
    content = SEEDS[folder]
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(content)))
        cut = draw(st.integers(0, 12))
        insert = draw(
            st.one_of(
                st.binary(max_size=12),
                st.sampled_from(TOKENS).map(lambda token: token.encode("utf-8")),
                st.text(max_size=12).map(lambda text: text.encode("utf-8", "surrogatepass")),
            )
        )
        content = content[:position] + insert + content[position + cut :]
    return folder, content


SOUP = st.tuples(
    st.sampled_from(sorted(SEEDS)),
    st.lists(st.sampled_from(TOKENS), max_size=120).map(lambda t: "".join(t).encode("utf-8")),
)
NESTING = st.tuples(
    st.sampled_from(sorted(SEEDS)),
    st.lists(  # runs of a token repeated up to 150 times: nesting around the depth limit
        st.tuples(st.sampled_from(TOKENS), st.integers(1, 150)), min_size=1, max_size=5
    ).map(lambda runs: "".join(token * times for token, times in runs).encode("utf-8")),
)
BYTES = st.tuples(st.sampled_from(sorted(SEEDS)), st.binary(max_size=2000))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lader") / "data"
    for folder in SEEDS:
        (root / folder).mkdir(parents=True)
    (root / "gebiete" / "testgebiet.yaml").write_text(MINIMAL_AREA, encoding="utf-8")
    (root / "anlaufstellen" / "testbuero.yaml").write_text(MINIMAL_OFFICE, encoding="utf-8")
    return root


def line_bound(content: bytes) -> int:
    """No located problem may lie below the last line (libyaml may point just past its end)."""
    return len(content.decode("utf-8", "replace").splitlines()) + 1


def careful_problems(content: bytes) -> list[Problem]:
    source = yamlsafe.decode(content, "probe.yaml")
    if isinstance(source, Problem):
        return [source]
    return yamlsafe.parse(source)[1]


def check_loader(scratch: Path, folder: str, content: bytes) -> None:
    for other in SEEDS:
        (scratch / other / "probe.yaml").unlink(missing_ok=True)
    probe = scratch / folder / "probe.yaml"
    probe.write_bytes(content)
    result = load(scratch)  # never raises
    shown = display_path(probe)
    for problem in result.problems:
        assert problem.code in CODES
        assert problem.path == shown, problem  # only the probe is wrong
        if problem.line is not None:
            assert 1 <= problem.line <= line_bound(content), problem
            assert problem.column is None or problem.column >= 1, problem
    assert "testbuero" in result.dataset.anlaufstellen
    assert "testgebiet" in result.dataset.gebiete
    if careful_problems(content):
        assert result.problems, "der sorgfältige Lesepfad findet Fehler, load() keinen"


# derandomize: the same examples on every run, so that a known defect fails reliably (the tests it
# affects are xfail(strict=True)) and CI does not depend on luck
FUZZ = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(case=BYTES)
def test_loader_on_arbitrary_bytes(scratch: Path, case: tuple[str, bytes]) -> None:
    check_loader(scratch, *case)


@FUZZ
@given(case=mutated())
def test_loader_on_mutated_records(scratch: Path, case: tuple[str, bytes]) -> None:
    check_loader(scratch, *case)


@FUZZ
@given(case=SOUP)
def test_loader_on_token_soup(scratch: Path, case: tuple[str, bytes]) -> None:
    check_loader(scratch, *case)


@FUZZ
@given(case=NESTING)
def test_loader_on_nesting(scratch: Path, case: tuple[str, bytes]) -> None:
    check_loader(scratch, *case)


# -- qa diff ------------------------------------------------------------------------------------

FILES = ("anlaufstellen/testbuero.yaml", "anlaufstellen/zweites-buero.yaml")
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar for any text (escapes what YAML may not contain raw)."""
    parts = ['"']
    for char in text:
        point = ord(char)
        if char in '"\\':
            parts.append("\\" + char)
        elif (
            point < 0x20
            or 0x7F <= point <= 0x9F
            or point in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
        ):
            parts.append(f"\\u{point:04x}")
        else:
            parts.append(char)
    return "".join([*parts, '"'])


@st.composite
def office_yaml(draw: st.DrawFn) -> bytes:
    """A well-formed office with random values (not always valid: an area may be unknown, a
    period reversed)."""
    lines = [
        f"name: {quoted(draw(TEXT))}",
        "traeger: [" + ", ".join(quoted(t) for t in draw(st.lists(TEXT, max_size=3))) + "]",
        f"gebiet: {draw(st.sampled_from(['testgebiet', 'nirgendwo']))}",
        f"finanzielle_beteiligung: {draw(st.sampled_from(['Ja', 'Nein', 'null']))}",
        "foerderungen:",
    ]
    for _ in range(draw(st.integers(0, 3))):
        lines += [
            f"  - programm: {quoted(draw(st.sampled_from(['A', 'B', 'Zusammen im Quartier'])))}",
            f"    beginn: {draw(st.sampled_from(['null', '2019-10', '2021-01']))}",
            f"    ende: {draw(st.sampled_from(['null', '2020-12', '2021-H1', 'dauerhaft']))}",
            f"    status: {draw(st.sampled_from(['bewilligt', 'beantragt']))}",
        ]
    lines += ["quelle:", f"  - dokument: {quoted(draw(TEXT) or 'Test')}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


DEGENERATE = st.sampled_from(  # documents without a record in them
    [b"", b"# nur ein Kommentar\n", b"---\n", b"~\n", b"null\n", b"[]\n", b"{}\n", b"- a\n", b"x\n"]
)
CONTENT = st.one_of(
    st.none(),  # the file does not exist
    DEGENERATE,
    office_yaml(),
    st.just(OFFICE.encode()),
    mutated().map(lambda case: case[1]),
    SOUP.map(lambda case: case[1]),
    st.binary(max_size=300),
)
STATE = st.fixed_dictionaries({name: CONTENT for name in FILES})


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("diff")
    data = root / "data"
    (data / "gebiete").mkdir(parents=True)
    (data / "anlaufstellen").mkdir()
    (data / "gebiete" / "testgebiet.yaml").write_text(MINIMAL_AREA, encoding="utf-8")
    (data / "gebiete" / "boy.yaml").write_text(MINIMAL_AREA, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    return root


def put(repo: Path, state: dict[str, bytes | None]) -> None:
    for name, content in state.items():
        path = repo / "data" / name
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(content)


def qa_diff(repo: Path, *revisions: str) -> dict[str, Any]:
    """``qa diff`` in this process (as the CLI runs it), from within the repository."""
    out, err = io.StringIO(), io.StringIO()
    command = typer.main.get_command(app)
    args = ["diff", *revisions, "--format", "json", "--data", str(repo / "data")]
    with contextlib.chdir(repo), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(command, args)
    assert code == 0, err.getvalue()
    assert "Traceback" not in out.getvalue() + err.getvalue()
    report: dict[str, Any] = json.loads(out.getvalue())
    assert isinstance(report["datensaetze"], list) and isinstance(report["folgen"], list)
    return report


# without shrinking: every step runs git, and a failure is readable as it is


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(old=STATE, new=STATE)
def test_diff_between_random_states(repo: Path, old: dict[str, Any], new: dict[str, Any]) -> None:
    put(repo, old)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Stand")
    put(repo, new)
    report = qa_diff(repo)  # HEAD against the working tree
    if old == new:
        assert report["datensaetze"] == []
    assert qa_diff(repo, "HEAD", "HEAD")["datensaetze"] == []  # diff(x, x) is empty
    put(repo, old)
    assert qa_diff(repo)["datensaetze"] == []
