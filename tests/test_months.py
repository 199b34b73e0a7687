from datetime import date

import pytest

from qa_cli.months import Month, MonthRange, parse_cutoff, parse_day, parse_end


def test_month_last_day_handles_leap_years() -> None:
    assert Month(2020, 2).last_day() == date(2020, 2, 29)
    assert Month(2021, 2).last_day() == date(2021, 2, 28)
    assert Month(2020, 12).last_day() == date(2020, 12, 31)


def test_month_arithmetic_crosses_years() -> None:
    assert Month(2020, 11).plus(3) == Month(2021, 2)
    assert Month(2021, 1).plus(-1) == Month(2020, 12)
    assert Month(2020, 7).months_until(Month(2021, 1)) == 6


@pytest.mark.parametrize("text", ["2020-13", "2020-00", "12/2020", "2020-1", "2020-12-01", ""])
def test_record_months_are_strictly_yyyy_mm(text: str) -> None:
    with pytest.raises(ValueError):
        Month.parse(text)


def test_a_remembered_month_is_the_month_and_a_failure_is_not_remembered() -> None:
    assert Month.parse("2020-12") == Month(2020, 12)
    assert Month.parse("2020-12") is Month.parse("2020-12")  # parsed once, shared
    for _ in range(2):  # the second call fails the same way: no failure is kept
        with pytest.raises(ValueError, match="2020-13"):
            Month.parse("2020-13")


def test_end_forms() -> None:
    assert parse_end("2020-12") == MonthRange(Month(2020, 12), Month(2020, 12))
    assert parse_end("2021-H1") == MonthRange(Month(2021, 1), Month(2021, 6))
    assert parse_end("2021-H2") == MonthRange(Month(2021, 7), Month(2021, 12))
    assert parse_end("dauerhaft") is None
    assert parse_end("2021-H1").german() == "1. Halbjahr 2021"  # type: ignore[union-attr]
    assert parse_end("2021-H1").iso() == "2021-H1"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-12", date(2020, 12, 31)),
        ("12/2020", date(2020, 12, 31)),
        ("2020-12-31", date(2020, 12, 31)),
        ("31.12.2020", date(2020, 12, 31)),
        ("2020-02", date(2020, 2, 29)),
        ("2020-12-15", date(2020, 12, 15)),
    ],
)
def test_cutoff_forms_resolve_to_a_day(text: str, expected: date) -> None:
    assert parse_cutoff(text) == expected


@pytest.mark.parametrize("text", ["2020-02-30", "13/2020", "Dezember", "2020/12", "31.02.2021"])
def test_bad_cutoffs_raise_german_errors(text: str) -> None:
    with pytest.raises(ValueError, match="„"):
        parse_cutoff(text)


def test_day_requires_a_full_date() -> None:
    assert parse_day("15.07.2020") == date(2020, 7, 15)
    with pytest.raises(ValueError):
        parse_day("2020-07")
