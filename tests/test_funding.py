"""Date semantics of funding ends: month inclusive, k.A., dauerhaft, provisional, half-years."""

from datetime import date
from typing import Any

from qa_cli.domain.funding import (
    EndKind,
    find_expiring,
    funding_end,
    window_before,
    window_within,
)
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.months import Month


def office(*grants: dict[str, Any]) -> Anlaufstelle:
    return Anlaufstelle.model_validate(
        {
            "name": "Büro",
            "traeger": ["AWO"],
            "gebiet": "x",
            "foerderungen": list(grants),
            "quelle": [{"dokument": "Test"}],
        }
    )


def test_grant_until_december_runs_through_the_31st() -> None:
    offices = {"a": office({"ende": "2020-12"})}
    assert [
        e.office_id for e in find_expiring(offices, window_before(date(2020, 12, 31))).ending
    ] == ["a"]
    assert find_expiring(offices, window_before(date(2020, 12, 30))).ending == []


def test_permanent_never_expires_and_unknown_is_listed_apart() -> None:
    offices = {"p": office({"ende": "dauerhaft"}), "u": office(), "v": office({"ende": None})}
    result = find_expiring(offices, window_before(date(2100, 1, 1)))
    assert result.ending == []
    assert sorted(e.office_id for e in result.unknown) == ["u", "v"]


def test_latest_granted_grant_defines_the_end() -> None:
    end = funding_end(
        office({"beginn": "2018-01", "ende": "2019-12"}, {"beginn": "2020-01", "ende": "2022-06"})
    )
    assert end.kind is EndKind.LIMITED
    assert end.period is not None and end.period.last == Month(2022, 6)


def test_applied_for_grants_do_not_extend_but_are_reported() -> None:
    end = funding_end(
        office({"ende": "2021-01"}, {"status": "in_vorbereitung", "dauer_monate": "24"})
    )
    assert end.period is not None and end.period.last == Month(2021, 1)
    assert [g.status for g in end.follow_ups] == ["in_vorbereitung"]


def test_provisional_flag_comes_from_the_defining_grant() -> None:
    assert funding_end(office({"ende": "2020-12", "vorlaeufig": "Ja"})).provisional
    assert not funding_end(office({"ende": "2020-12", "vorlaeufig": "Nein"})).provisional


def test_half_year_end_may_or_may_not_fall_in_the_window() -> None:
    offices = {"h": office({"ende": "2021-H1"})}
    assert find_expiring(offices, window_before(date(2020, 12, 31))).possibly_ending == []
    march = find_expiring(offices, window_before(date(2021, 3, 31)))
    assert [e.office_id for e in march.possibly_ending] == ["h"] and march.ending == []
    june = find_expiring(offices, window_before(date(2021, 6, 30)))
    assert [e.office_id for e in june.ending] == ["h"]


def test_within_starts_at_the_current_month_and_ends_at_a_month_end() -> None:
    window = window_within(date(2020, 7, 15), 6)
    assert window.start == date(2020, 7, 1) and window.end == date(2021, 1, 31)
    offices = {"old": office({"ende": "2019-12"}), "soon": office({"ende": "2021-01"})}
    assert [e.office_id for e in find_expiring(offices, window).ending] == ["soon"]


def test_result_is_sorted_by_end_then_name_not_by_input_order() -> None:
    offices = {
        "z": office({"ende": "2020-06"}),
        "b": office({"ende": "2020-12"}),
        "a": office({"ende": "2020-12"}),
    }
    ids = [e.office_id for e in find_expiring(offices, window_before(date(2020, 12, 31))).ending]
    assert ids == ["z", "a", "b"]
