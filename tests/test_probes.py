"""The index's probes are safe bounds: an office ``qa expiring`` lists never has a probe after
the window's last month, so selecting by probe in SQL (``store/probes.py``) never drops one."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_cli.domain.funding import find_expiring, window_before, window_within
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.months import Month
from qa_cli.store.probes import ALWAYS, NEVER, end_probe, ends_by

MONTHS = st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2018, 2024), st.integers(1, 12))
ENDS = st.one_of(
    st.none(),
    MONTHS,
    st.builds(lambda y, h: f"{y}-H{h}", st.integers(2018, 2024), st.integers(1, 2)),
    st.just("dauerhaft"),
)
GRANT = st.fixed_dictionaries(
    {
        "beginn": st.one_of(st.none(), st.just("2017-01")),
        "ende": ENDS,
        "status": st.sampled_from(["bewilligt", "beantragt", "in_vorbereitung", "abgelehnt"]),
    }
)
OFFICE = st.lists(GRANT, max_size=4).map(
    lambda grants: Anlaufstelle.model_validate(
        {
            "name": "Anlaufstelle",
            "traeger": ["AWO"],
            "gebiet": "nord",
            "foerderungen": grants,
            "quelle": [{"dokument": "Test"}],
        }
    )
)
DAYS = st.dates(date(2017, 1, 1), date(2026, 12, 31))


@settings(max_examples=300, deadline=None)
@given(st.lists(OFFICE, min_size=1, max_size=6), DAYS, st.integers(0, 36), st.booleans())
def test_no_listed_office_lies_beyond_its_probe(
    offices: list[Anlaufstelle], day: date, months: int, before: bool
) -> None:
    window = window_before(day) if before else window_within(day, months)
    by_id = {f"a{index}": office for index, office in enumerate(offices)}
    report = find_expiring(by_id, window)
    bound = ends_by(Month.of(window.end))
    kept = {key: office for key, office in by_id.items() if end_probe(office) <= bound}
    listed = report.ending + report.possibly_ending + report.unknown
    assert all(end_probe(entry.office) <= bound for entry in listed)
    assert find_expiring(kept, window) == report


def test_probes_of_unknown_and_permanent_ends() -> None:
    def office(*grants: dict[str, str]) -> Anlaufstelle:
        data = {"name": "A", "traeger": ["AWO"], "gebiet": "nord", "quelle": [{"dokument": "T"}]}
        return Anlaufstelle.model_validate({**data, "foerderungen": list(grants)})

    assert end_probe(office()) == ALWAYS
    assert end_probe(office({"ende": "2020-12"}, {"status": "bewilligt"})) == ALWAYS
    assert end_probe(office({"ende": "2020-12"}, {"ende": "dauerhaft"})) == NEVER
    assert end_probe(office({"ende": "2022-12"}, {"ende": "2021-H2"})) == "2021-07"
