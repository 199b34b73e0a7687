"""The hardened YAML reader on hostile and surprising input."""

from __future__ import annotations

import pytest

from qa_cli.store import yamlsafe
from qa_cli.store.problems import Problem
from qa_cli.store.source import Document


def read(raw: bytes | str) -> tuple[Document | None, list[Problem]]:
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    source = yamlsafe.decode(data, "t.yaml")
    if isinstance(source, Problem):
        return None, [source]
    return yamlsafe.parse(source)


def codes(raw: bytes | str) -> list[str]:
    return [p.code for p in read(raw)[1]]


def only(raw: bytes | str) -> Problem:
    _, problems = read(raw)
    assert len(problems) == 1, problems
    return problems[0]


def test_scalars_stay_text_yaml11_surprises_are_defused() -> None:
    document, problems = read(
        "a: no\nb: yes\nc: on\nd: off\ne: 012\nf: 1:20\ng: 2020-02-30\nh: 0x1F\ni: .inf\nj: 1e3\n"
    )
    assert problems == []
    assert document is not None
    assert document.data == {
        "a": "no", "b": "yes", "c": "on", "d": "off", "e": "012", "f": "1:20",
        "g": "2020-02-30", "h": "0x1F", "i": ".inf", "j": "1e3",
    }  # fmt: skip


def test_unquoted_null_words_are_none_quoted_ones_are_text() -> None:
    document, _ = read("a: ~\nb: null\nc:\nd: \"null\"\ne: ''\n")
    assert document is not None
    assert document.data == {"a": None, "b": None, "c": None, "d": "null", "e": ""}


def test_positions_of_values_and_keys_are_one_based() -> None:
    document, _ = read("name: x\nliste:\n  - eins\n  - zwei\n")
    assert document is not None
    assert document.values[("liste", 1)].line == 4
    assert document.values[("liste", 1)].column == 5
    assert document.keys[("liste",)].line == 2
    assert document.values[("name",)].end_column == 8


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\na: 2\n", 2),
        ("a:\n  b: 1\n  b: 2\n", 3),
        ("a:\n  - x: 1\n    x: 2\n", 3),
        ("a: {b: 1, b: 2}\n", 1),
    ],
)
def test_duplicate_keys_at_every_depth(text: str, line: int) -> None:
    problem = only(text)
    assert problem.code == "doppelter-schluessel"
    assert problem.line == line
    assert "zuerst in Zeile" in problem.message


def test_duplicate_key_keeps_reading_and_keeps_first_value() -> None:
    document, problems = read("a: 1\na:\n  deep: [1, 2]\nb: 2\n")
    assert [p.code for p in problems] == ["doppelter-schluessel"]
    assert document is not None and document.data == {"a": "1", "b": "2"}


def test_anchors_aliases_merge_keys_and_tags_are_refused() -> None:
    assert codes("a: &x 1\nb: *x\n") == ["anker-alias", "anker-alias"]
    assert codes("base: {a: 1}\nother:\n  <<: {a: 2}\n") == ["merge-schluessel"]
    assert codes("a: !!python/object/apply:os.system ['true']\n") == ["tag-nicht-erlaubt"]
    assert codes("a: !custom 1\n") == ["tag-nicht-erlaubt"]
    assert codes("a: !!str 1\n") == ["tag-nicht-erlaubt"]


def test_billion_laughs_is_stopped_at_the_first_alias() -> None:
    lol = "a: &a [x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8)
    )
    found = codes(lol)
    assert found and set(found) == {"anker-alias"}


def test_several_documents() -> None:
    problem = only("a: 1\n---\nb: 2\n")
    assert problem.code == "mehrere-dokumente" and problem.line == 2


@pytest.mark.parametrize("text", ["", "# nur Kommentar\n", "\n\n", "---\n", "~\n"])
def test_empty_files(text: str) -> None:
    assert only(text).code == "leere-datei"


@pytest.mark.parametrize("opener", ["[", "{a: ", "- "])
def test_deep_nesting_is_stopped_without_crashing(opener: str) -> None:
    problem = only(opener * 100_000 + "x")
    assert problem.code == "zu-tief-verschachtelt"
    assert problem.line == 1


def test_nesting_within_the_limit_is_fine() -> None:
    document, problems = read("[" * 60 + "]" * 60)
    assert problems == [] and document is not None


def test_size_limit() -> None:
    problem = only(b"a: " + b"x" * (yamlsafe.MAX_FILE_BYTES + 1))
    assert problem.code == "datei-zu-gross" and problem.line is None


def test_nul_byte_is_located() -> None:
    problem = only(b"name: a\nwert: b\x00c\n")
    assert (problem.code, problem.line, problem.column) == ("nul-byte", 2, 8)


def test_utf16_without_bom_is_recognised_by_its_nul_bytes() -> None:
    problem = only("name: Büro\n".encode("utf-16-le"))
    assert problem.code == "nul-byte" and "UTF-16" in (problem.hint or "")


def test_utf16_with_bom() -> None:
    assert only("name: x\n".encode("utf-16")).code == "ungueltige-kodierung"


def test_invalid_utf8_is_located() -> None:
    problem = only(b"name: ok\nort: M\xfcnchen\n")
    assert (problem.code, problem.line, problem.column) == ("ungueltige-kodierung", 2, 7)


def test_encoded_lone_surrogate_is_invalid_utf8() -> None:
    assert only(b"a: \xed\xa0\x80\n").code == "ungueltige-kodierung"


def test_bom_at_start_is_accepted_in_the_middle_refused() -> None:
    assert read("\ufeffa: 1\n".encode())[1] == []
    problem = only("a: 1\n\ufeffb: 2\n".encode())
    assert (problem.code, problem.line) == ("ungueltiges-zeichen", 2)


def test_tab_indentation_is_reported_per_line() -> None:
    problems = read("a:\n\tb: 1\n\tc: 2\n")[1]
    assert [(p.code, p.line) for p in problems] == [("tabulator", 2), ("tabulator", 3)]


def test_tabs_inside_values_are_fine() -> None:
    document, problems = read("a: 'x\ty'\n")
    assert problems == [] and document is not None and document.data == {"a": "x\ty"}


def test_crlf_line_ends_are_fine() -> None:
    document, problems = read(b"a: 1\r\nb: 2\r\n")
    assert problems == [] and document is not None and document.data == {"a": "1", "b": "2"}


def test_syntax_errors_are_located_and_german() -> None:
    problem = only('name: "offen\nx: 1\n')
    assert problem.code == "yaml-syntax"
    assert problem.line is not None and problem.message.startswith("YAML-Syntaxfehler")


def test_complex_keys_are_refused() -> None:
    assert only("? [a, b]\n: 1\n").code == "ungueltiger-schluessel"
