"""German numbers are refused with the right spelling as the hint, never reinterpreted: in the
rules themselves, through the real YAML reader and models, and on the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa_cli.numbers import NumberProblem, decimal_number, whole_euros
from qa_cli.store.pipeline import load
from qa_cli.store.problems import CODES, Problem
from tests.conftest import run_qa


@pytest.mark.parametrize(("text", "amount"), [("24000", 24000), (" 0 ", 0), ("-5", -5)])
def test_plain_amounts_are_read(text: str, amount: int) -> None:
    assert whole_euros(text) == amount


AMOUNT_PROBLEMS = [
    ("24.000", "tausenderpunkt", "24000"),
    ("24.000,00", "tausenderpunkt", "24000"),
    ("24.000 €", "tausenderpunkt", "24000"),
    ("1.000.000 €", "tausenderpunkt", "1000000"),
    ("24 000", "tausenderpunkt", "24000"),
    ("24000 €", "einheit-im-wert", "24000"),
    ("24000 EUR", "einheit-im-wert", "24000"),
    ("24000,00", "betrag-mit-cent", "24000"),
    ("24000,50", "betrag-mit-cent", None),  # no guess at rounding
    ("24.5", "betrag-mit-cent", None),
    ("24.00", "betrag-mit-cent", "24"),
    ("vierundzwanzig", "ungueltiger-wert", None),
]


@pytest.mark.parametrize(("text", "code", "hint"), AMOUNT_PROBLEMS)
def test_german_amounts_are_refused_with_the_hint(text: str, code: str, hint: str | None) -> None:
    with pytest.raises(NumberProblem) as caught:
        whole_euros(text)
    assert (caught.value.code, caught.value.hint) == (code, hint)
    assert code in CODES
    assert f"„{text}“" in caught.value.message


@pytest.mark.parametrize(("text", "number"), [("20.2", 20.2), ("-3", -3.0), ("1.234", 1.234)])
def test_plain_decimals_are_read(text: str, number: float) -> None:
    assert decimal_number(text) == number


DECIMAL_PROBLEMS = [
    ("20,2", "dezimalkomma", "20.2"),
    ("-3,25", "dezimalkomma", "-3.25"),
    ("1.234,5", "dezimalkomma", "1234.5"),
    ("12,5 %", "dezimalkomma", "12.5"),
    ("20,0", "dezimalkomma", "20"),
    ("1.234.567", "tausenderpunkt", "1234567"),
    ("12 %", "einheit-im-wert", "12"),
    ("viel", "ungueltiger-wert", None),
]


@pytest.mark.parametrize(("text", "code", "hint"), DECIMAL_PROBLEMS)
def test_german_decimals_are_refused_with_the_hint(text: str, code: str, hint: str | None) -> None:
    with pytest.raises(NumberProblem) as caught:
        decimal_number(text)
    assert (caught.value.code, caught.value.hint) == (code, hint)


# --- through the YAML reader and the models --------------------------------------------------


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def only_problem(root: Path) -> Problem:
    problems = load(root).problems
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(
    ("written", "code", "hint"),
    [
        ("betrag: 24.000", "tausenderpunkt", "24000"),
        ("betrag: 24.000,00", "tausenderpunkt", "24000"),
        ('betrag: "24.000 €"', "tausenderpunkt", "24000"),
        ("betrag: 24000 €", "einheit-im-wert", "24000"),
    ],
)
def test_a_request_amount_written_the_german_way_is_a_located_error(
    shipped_copy: Path, written: str, code: str, hint: str
) -> None:
    request = shipped_copy / "antraege" / "2020-stadtteilbuero-batenbrock.yaml"
    replace_in(request, "betrag: 24000", written)
    problem = only_problem(shipped_copy)
    assert (problem.code, problem.field, problem.hint) == (
        code,
        "betrag",
        f"Schreibweise für qa: {hint}",
    )
    assert problem.path.endswith("2020-stadtteilbuero-batenbrock.yaml")
    assert problem.line == 9  # the line of `betrag:`


def test_a_matrix_budget_and_a_granted_amount_follow_the_same_rule(shipped_copy: Path) -> None:
    replace_in(
        shipped_copy / "entscheidungsmatrizen" / "2020.yaml", "budget: 60000", "budget: 60.000"
    )
    request = shipped_copy / "antraege" / "2020-stadtteilbuero-batenbrock.yaml"
    replace_in(request, "  status: offen", "  status: offen\n  betrag_bewilligt: 20.000,00")
    problems = load(shipped_copy).problems
    found = sorted((p.code, p.field, p.hint) for p in problems if p.code == "tausenderpunkt")
    # (the requests of the now invalid round are reported as referring to it)
    assert found == [
        ("tausenderpunkt", "budget", "Schreibweise für qa: 60000"),
        ("tausenderpunkt", "entscheidung.betrag_bewilligt", "Schreibweise für qa: 20000"),
    ]


def test_an_indicator_value_with_a_decimal_comma_in_a_flow_mapping(shipped_copy: Path) -> None:
    """YAML splits ``{wert: 20,2}`` into ``wert: 20`` and a key „2“; qa reports the comma."""
    values = shipped_copy / "indikatoren" / "werte" / "2022-statistische-bezirke.yaml"
    text = values.read_text(encoding="utf-8")
    block = re.search(r"    migrationsanteil:\n      wert: 45\.1\n(      .*\n)*", text)
    assert block is not None
    values.write_text(
        text.replace(block[0], "    migrationsanteil: {wert: 45,1}\n", 1), encoding="utf-8"
    )
    problem = only_problem(shipped_copy)
    assert problem.code == "dezimalkomma"
    assert problem.hint == "Schreibweise für qa: 45.1"
    assert problem.field is not None and problem.field.endswith("wert")
    assert "„2“" not in problem.message and problem.code != "unbekanntes-feld"


def test_an_indicator_value_with_a_decimal_comma_in_block_style(shipped_copy: Path) -> None:
    values = shipped_copy / "indikatoren" / "werte" / "2022-statistische-bezirke.yaml"
    replace_in(values, "      wert: 45.1", "      wert: 45,1")
    problem = only_problem(shipped_copy)
    assert (problem.code, problem.hint, problem.line) == (
        "dezimalkomma",
        "Schreibweise für qa: 45.1",
        6,
    )


def test_validate_shows_code_line_and_hint(shipped_copy: Path) -> None:
    replace_in(
        shipped_copy / "entscheidungsmatrizen" / "2020.yaml", "budget: 60000", "budget: 60.000"
    )
    result = run_qa("validate", "--data", str(shipped_copy))
    assert result.code == 1
    assert "2020.yaml:3:9: Fehler [tausenderpunkt]" in result.out
    assert "Hinweis: Schreibweise für qa: 60000" in result.out
    assert "Traceback" not in result.text


# --- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "hint"), [("80.000", "80000"), ("80.000 €", "80000"), ("80000 €", "80000")]
)
def test_the_budget_option_reads_amounts_by_the_same_rule(written: str, hint: str) -> None:
    result = run_qa("score", "--budget", written)
    assert result.code == 2, result.text
    assert f"Hinweis: Schreibweise für qa: --budget {hint}" in result.err
    assert result.out == ""


def test_the_budget_option_refuses_cents_without_a_guess() -> None:
    result = run_qa("score", "--budget", "80000,50")
    assert result.code == 2 and "[betrag-mit-cent]" in result.err and "Hinweis" not in result.err


def test_split_decimal_commas_are_joined_at_any_depth() -> None:
    """YAML's split is undone in every mapping of a document, in lists too, before the record
    reaches its model; an optional field's ``null`` is no split number."""
    from qa_cli.numbers import rejoin_decimal_commas_in

    document = {
        "name": "x",
        "foerderungen": [{"betrag": "24", "5": None}, {"notiz": None}],
        "werte": {"a": {"wert": "45", "1": None, "quelle": "s"}},
    }
    assert rejoin_decimal_commas_in(document) == {
        "name": "x",
        "foerderungen": [{"betrag": "24,5"}, {"notiz": None}],
        "werte": {"a": {"wert": "45,1", "quelle": "s"}},
    }
