"""Tables fit the terminal: run ``qa`` in a real pseudo-terminal of 80 and 120 columns and check
that no line is wider than the terminal and no word or id is broken mid-word (a word too long
is shortened with "…"); ``qa score`` shows a compact ranking there, everything with ``--breit``.
Piped output is the plain text it always was."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios

import pytest

from tests.conftest import REPO, SESSION_CACHE, run_qa

WIDTHS = (80, 120)
SECOND_CITY = REPO / "tests" / "fixtures" / "zweite-stadt" / "data"
COMMANDS = [
    ("score",),
    ("score", "--breit"),
    ("score", "--sensitivity"),
    ("score", "--explain", "2020-stadtteilbuero-batenbrock"),
    ("expiring", "--before", "2020-12"),
    ("list",),
    ("gaps",),
    ("fonds", "stand", "stadtteilfonds"),
    ("fonds", "antraege", "stadtteilfonds"),
    ("fonds", "nachweise", "stadtteilfonds"),
]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
FRAME = re.compile(r"[\u2500-\u257f]+")  # box drawing: borders and rules
EDGE = ",;:.()„“"
CAPTION_WORDS = {"Ausgeblendet", "alle", "Spalten", "mit", "--breit"}


def on_terminal(columns: int, *args: str) -> str:
    """What ``qa args`` shows in a terminal ``columns`` wide (escape sequences removed)."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k != "QA_DATA"}
    environment.update(COLUMNS=str(columns), LINES="50", TERM="xterm", QA_CACHE_DIR=SESSION_CACHE)
    process = subprocess.Popen(
        [sys.executable, "-m", "qa_cli", *args],
        cwd=REPO,
        stdin=child,
        stdout=child,
        stderr=child,
        env=environment,
    )
    os.close(child)
    output = b""
    while select.select([main], [], [], 60)[0]:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    assert process.wait(timeout=60) == 0, output.decode()
    return ANSI.sub("", output.decode()).replace("\r\n", "\n")


def words(text: str) -> set[str]:
    return {word.strip(EDGE) for word in FRAME.sub(" ", text).split()} - {""}


def broken_words(shown: str, whole: set[str]) -> list[str]:
    """Words on the terminal that are neither a whole word nor a word shortened with "…"."""
    broken = []
    for word in words(shown):
        stem = word.removesuffix("…")
        if word in whole or (stem != word and any(w.startswith(stem) for w in whole)):
            continue
        broken.append(word)
    return broken


@pytest.fixture(scope="module")
def piped() -> dict[tuple[str, ...], str]:
    """Each command's piped output: the whole words a terminal may show."""
    results = {}
    for command in COMMANDS:
        result = run_qa(*command)
        assert result.code == 0, result.text
        results[command] = result.out
    return results


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_tables_fit_and_break_only_at_spaces(
    command: tuple[str, ...], columns: int, piped: dict[tuple[str, ...], str]
) -> None:
    shown = on_terminal(columns, *command)
    too_wide = [line for line in shown.splitlines() if len(line.rstrip()) > columns]
    assert not too_wide
    assert not broken_words(shown, words(piped[command]) | CAPTION_WORDS)


def test_the_check_finds_a_word_broken_mid_word() -> None:
    whole = words("Entscheidung gefördert 2020-stadtteilbuero-batenbrock")
    assert set(broken_words("│ geförd │\n│ ert    │", whole)) == {"geförd", "ert"}
    assert broken_words("│ 2020-stadtteil… │ Entscheidung │", whole) == []


@pytest.mark.parametrize("columns", WIDTHS)
def test_score_shows_a_compact_ranking(columns: int) -> None:
    shown = on_terminal(columns, "score")
    top = shown.index("┏")
    header = " ".join(FRAME.sub(" ", shown[top : shown.index("┡", top)]).split())
    for label in ("Rang", "Anlaufstelle", "Betrag", "Gesamt", "Entscheidung", "Rest"):
        assert label in header
    assert "Begründung" not in header and "Finanzierung" not in header
    ranking = shown[top : shown.index("┘", top)]
    assert "Stadtteilbüro Batenbrock" in ranking  # a name, not the request's id
    assert "2020-stadtteilbuero-batenbrock" not in ranking
    assert "alle Spalten mit --breit" in shown
    table = ranking.splitlines()
    assert len(table) <= 3 + 2 + 2 * 7  # rules, a header of two lines, two lines a request


def test_breit_shows_the_group_scores() -> None:
    shown = on_terminal(120, "score", "--breit")
    for text in ("Aspekte der Finanzierung", "2020-stadtteilbuero-batenbrock", "Begründung"):
        assert text in " ".join(shown.split())


def test_piped_score_keeps_every_column() -> None:
    result = run_qa("score")
    header = next(line for line in result.out.splitlines() if line.startswith("Rang "))
    for label in ("Antrag", "Aspekte der Finanzierung", "Spanne", "Begründung", "Rest €"):
        assert label in header
    assert "--breit" not in result.out and "│" not in result.out


@pytest.mark.parametrize("columns", WIDTHS)
def test_second_city_fits(columns: int) -> None:
    data = str(SECOND_CITY)
    for command in (("score", "--breit"), ("list",), ("expiring", "--before", "2030-12")):
        shown = on_terminal(columns, *command, "--data", data)
        plain = run_qa(*command, "--data", data)
        assert plain.code == 0, plain.text
        assert all(len(line.rstrip()) <= columns for line in shown.splitlines())
        assert not broken_words(shown, words(plain.out) | CAPTION_WORDS)


def test_fit_widths_wraps_at_words_and_shortens_only_long_ones() -> None:
    from qa_cli.render.tabular import SHORTEST_WORD, fit_widths

    table = [["Name", "Begründung"], ["Stadtteilbüro Batenbrock", "passen ins Restbudget"]]
    assert fit_widths(table, 100) == [24, 21]  # everything on one line
    narrow = fit_widths(table, 30)
    assert narrow is not None and sum(narrow) <= 30
    assert narrow[0] >= len("Stadtteilbüro") and narrow[1] >= len("Restbudget")
    ids = [["Kennung"], ["x" * 44]]
    assert fit_widths(ids, 25) == [25]
    assert fit_widths(ids, SHORTEST_WORD - 1) is None  # then one block per row


def test_explain_wraps_under_its_indent() -> None:
    shown = on_terminal(80, "score", "--explain", "2020-stadtteilbuero-batenbrock")
    lines = shown.splitlines()
    first = next(i for i, line in enumerate(lines) if "Perspektiven und Ansätze" in line)
    assert lines[first].startswith("    ") and lines[first + 1].startswith("      ")


def test_narrow_terminal_gets_one_block_per_row() -> None:
    shown = on_terminal(80, "list")
    assert "Kennung: awo-familien-im-mittelpunkt-batenbrock" in shown
    assert all(len(line.rstrip()) <= 80 for line in shown.splitlines())
