"""Every libyaml syntax error a person can cause: German message, concrete hint, placed at the
cause. One case per libyaml message (checked against libyaml itself), with line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from yaml.cyaml import CParser  # type: ignore[attr-defined]

from qa_cli.store import yamlsafe
from qa_cli.store.problems import Problem
from qa_cli.store.yaml_syntax import MESSAGES
from tests.conftest import run_qa

# libyaml's message, the file, then where qa places the problem and what it must say.
CASES: list[tuple[str, str, int, int, str]] = [
    (
        "mapping values are not allowed in this context",
        "name: Treff: Mitte\ntraeger: [AWO]\n",
        1,
        12,
        '`name: "Treff: Mitte"`',
    ),
    (
        "mapping values are not allowed in this context",
        "name: Treff\n  traeger: [AWO]\n",
        2,
        3,
        "Mit 0 Leerzeichen einrücken wie „name“ in Zeile 1",
    ),
    (
        "block sequence entries are not allowed in this context",
        "traeger: - AWO\n",
        1,
        10,
        "darunter eingerückt `  - AWO`",
    ),
    ("mapping keys are not allowed in this context", "name: ? x\n", 1, 7, "Anführungszeichen"),
    (
        "could not find expected ':'",
        "name: x\ngebiet:batenbrock\ntraeger: [AWO]\n",
        2,
        7,
        "`gebiet: batenbrock`",
    ),
    (
        "could not find expected ':'",
        "name: x\nnur ein Text\ntraeger: [AWO]\n",
        2,
        1,
        "`schluessel: wert`",
    ),
    (
        "found character that cannot start any token",
        "name: @stadt\n",
        1,
        7,
        "„@“ und „`“ sind in YAML reserviert",
    ),
    (
        "found unexpected end of stream",
        'name: "Treff\ntraeger: [AWO]\nquelle: x\n',
        1,
        7,
        'Das schließende " am Ende des Werts ergänzen',
    ),
    (
        "did not find expected key",
        'name: "Treff\ntraeger: [AWO]\nnotiz: "x"\nquelle: y\n',
        1,
        7,
        "libyaml las bis Zeile 3 weiter",
    ),
    ("found unexpected document indicator", 'name: "a\n---\nb"\n', 1, 7, 'Das schließende "'),
    ("found unknown escape character", 'name: "a\\qb"\n', 1, 9, "einfache Anführungszeichen"),
    (
        "did not find expected hexdecimal number",
        'name: "\\x4g"\n',
        1,
        10,
        "einfache Anführungszeichen",
    ),
    (
        "found invalid Unicode character escape code",
        'name: "\\UFFFFFFFF"\n',
        1,
        10,
        "„\\\\“ schreiben",
    ),
    (
        "found a tab character that violates indentation",
        "name: x\nnotiz: a\n\tb\n",
        3,
        1,
        "Leerzeichen statt Tabulator",
    ),
    (
        "found a tab character where an indentation space is expected",
        "notiz: |\n\t x\n",
        2,
        1,
        "Leerzeichen statt Tabulator",
    ),
    ("found an indentation indicator equal to 0", "notiz: |0\n  x\n", 1, 9, "Ziffer 1–9"),
    ("did not find expected comment or line break", "notiz: |x\n  y\n", 1, 9, "Nach „|“ oder „>“"),
    (
        "did not find expected comment or line break",
        "%YAML 1.1 x\n---\nname: x\n",
        1,
        11,
        "Direktive",
    ),
    ("did not find expected alphabetic or numeric character", "name: & x\n", 1, 8, "„&“ und „*“"),
    ("did not find the expected '>'", "name: !<abc x\n", 1, 12, "YAML-Tag"),
    ("did not find expected whitespace or line break", "name: !a,b x\n", 1, 9, "YAML-Tag"),
    ("did not find expected '!'", "%TAG a b\n---\nname: x\n", 1, 6, "Direktive"),
    ("did not find expected tag URI", "name: !<> x\n", 1, 9, "YAML-Tag"),
    ("did not find URI escaped octet", "name: !a%zz x\n", 1, 9, "YAML-Tag"),
    ("found an incorrect leading UTF-8 octet", "name: !a%ff x\n", 1, 9, "YAML-Tag"),
    ("found an incorrect trailing UTF-8 octet", "name: !a%c3%28 x\n", 1, 12, "YAML-Tag"),
    ("found undefined tag handle", "name: !x!y z\n", 1, 7, "YAML-Tag"),
    ("found unknown directive name", "%FOO bar\n---\nname: x\n", 1, 5, "Direktive"),
    ("could not find expected directive name", "% x\n---\nname: x\n", 1, 2, "Direktive"),
    ("found unexpected non-alphabetical character", "%Y@ML 1.1\n---\nname: x\n", 1, 3, "Direktive"),
    ("did not find expected digit or '.' character", "%YAML 1x\n---\nname: x\n", 1, 8, "Direktive"),
    (
        "found extremely long version number",
        "%YAML 1.1234567890\n---\nname: x\n",
        1,
        18,
        "Direktive",
    ),
    ("did not find expected version number", "%YAML x\n---\nname: x\n", 1, 7, "Direktive"),
    ("did not find expected whitespace", "%TAG !a!\n---\nname: x\n", 1, 9, "Direktive"),
    ("found duplicate %YAML directive", "%YAML 1.1\n%YAML 1.1\n---\nname: x\n", 2, 1, "Direktive"),
    (
        "found duplicate %TAG directive",
        "%TAG !a! tag:x\n%TAG !a! tag:y\n---\nname: x\n",
        2,
        1,
        "Direktive",
    ),
    ("found incompatible YAML document", "%YAML 2.0\n---\nname: x\n", 1, 1, "Direktive"),
    (
        "did not find expected <document start>",
        "name: x\n...\nfoo\n",
        3,
        1,
        "Eine Zeile „...“ beendet",
    ),
    ("did not find expected node content", "traeger: [a, , b]\n", 1, 14, "Leere Einträge"),
    (
        "did not find expected key",
        "lage:\n    lat: 1\n  lon: 2\n",
        3,
        3,
        "Mit 4 Leerzeichen einrücken wie „lat“ in Zeile 2",
    ),
    (
        "did not find expected key",
        'name: "a" b\n',
        1,
        11,
        "Text nach dem schließenden Anführungszeichen",
    ),
    (
        "did not find expected '-' indicator",
        "foerderungen:\n  - programm: a\n   ende: b\n",
        3,
        4,
        "Mit 4 Leerzeichen einrücken wie „programm“ in Zeile 2",
    ),
    (
        "did not find expected ',' or ']'",
        "traeger: [AWO, Caritas\nname: x\n",
        1,
        23,
        "„]“ am Ende der Zeile 1",
    ),
    ("did not find expected ',' or ']'", 'traeger: ["a" "b"]\n', 1, 15, "Einträge mit „,“ trennen"),
    (
        "did not find expected ',' or '}'",
        "lage: {lat: 1, lon: 2\nname: x\n",
        1,
        22,
        "„}“ am Ende der Zeile 1",
    ),
]


def libyaml_message(text: str) -> str | None:
    parser = CParser(text)
    try:
        while parser.get_event():
            pass
    except yaml.MarkedYAMLError as error:
        return (error.problem or "").strip()
    finally:
        parser.dispose()
    return None


def test_every_message_has_a_case_and_every_case_its_message() -> None:
    assert {case[0] for case in CASES} == set(MESSAGES)


@pytest.mark.parametrize(("message", "text", "line", "column", "says"), CASES)
def test_german_message_and_hint_at_the_cause(
    message: str, text: str, line: int, column: int, says: str
) -> None:
    assert libyaml_message(text) == message
    source = yamlsafe.decode(text.encode(), "data/gebiete/test.yaml")
    assert not isinstance(source, Problem)
    document, problems = yamlsafe.parse(source)
    assert document is None
    (problem,) = problems
    code = "tabulator" if "\t" in text.split("\n")[line - 1][:1] else "yaml-syntax"
    assert (problem.code, problem.path, problem.line, problem.column) == (
        code,
        "data/gebiete/test.yaml",
        line,
        column,
    )
    assert "libyaml" not in problem.message and problem.hint
    assert says in f"{problem.message} {problem.hint}"


def test_validate_reports_the_missing_space_on_its_own_line(shipped_copy: Path) -> None:
    office = shipped_copy / "anlaufstellen" / "stadtteilbuero-batenbrock.yaml"
    text = office.read_text(encoding="utf-8")
    line = text.split("\n").index("gebiet: batenbrock") + 1
    office.write_text(text.replace("gebiet: batenbrock", "gebiet:batenbrock"), encoding="utf-8")
    result = run_qa("validate", "--data", str(shipped_copy))
    assert result.code == 1
    assert f"stadtteilbuero-batenbrock.yaml:{line}:7: Fehler [yaml-syntax]" in result.out
    assert (
        "Hinweis: Ein Leerzeichen nach dem Doppelpunkt einfügen: `gebiet: batenbrock`."
        in result.out
    )
