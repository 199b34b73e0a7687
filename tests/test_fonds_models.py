"""The two record kinds on the shipped data, read by the real loader: what the sources say is
there, what they do not say stays unknown (never 0), and the few inferences are exact."""

from __future__ import annotations

from datetime import date

import pytest

from qa_cli.models.fonds import Fonds
from qa_cli.models.fondsantrag import Fondsantrag
from qa_cli.store.dataset import Dataset
from qa_cli.store.pipeline import load
from tests.conftest import SHIPPED_DATA

REPORT_GOALS = [
    "Imageverbesserung für das Quartier bzw. den Stadtteil",
    "Förderung der Aktivierung von Bewohnerinnen und Bewohnern",
    "Förderung der Eigenverantwortung und Selbsthilfe sowie Präventionsansätze",
    "Stärkung von nachbarschaftlichen Kontakten und des Zusammenlebens",
    "Entwicklung von identitätsstiftenden Orten im Quartier",
    "Förderung der Integration unterschiedlicher Gruppen im Quartier bzw. im Stadtteil",
    "Belebung des Stadtteils und der Stadtteilkultur",
    "Stärkung ehrenamtlicher Strukturen im Quartier",
]


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    result = load(SHIPPED_DATA)
    assert result.problems == []
    return result.dataset


def test_the_stadtteilfonds_as_the_sources_give_it(shipped: Dataset) -> None:
    fund = shipped.fonds["stadtteilfonds"]
    assert [goal.name for goal in fund.ziele] == REPORT_GOALS
    assert (fund.hoechstbetrag.projekt, fund.hoechstbetrag.kooperationsprojekt) == (1500, 2000)
    assert fund.in_force == date(2019, 10, 1)
    budgets = {(b.jahr, b.kostenstelle): b.betrag for b in fund.budgets}
    assert (budgets[(2021, "stadtteilarbeit")], budgets[(2021, "wohlfahrtstraeger")]) == (
        15000,
        10000,
    )
    assert fund.kostenstelle("wohlfahrtstraeger").nur_fuer == ["wohlfahrtsverband"]  # type: ignore[union-attr]
    regular = [f.datum for f in fund.fristen if f.art == "regulaer"]
    assert all((day.month, day.day) in ((4, 1), (10, 1)) for day in regular)
    assert [(m.stand, m.bewilligte_projekte) for m in fund.meldungen] == [
        (date(2021, 2, 5), 19),
        (date(2021, 5, 17), 22),
    ]


def test_the_batenbrockfonds_has_unknown_figures(shipped: Dataset) -> None:
    fund = shipped.fonds["batenbrockfonds"]
    assert fund.budgets == [] and fund.hoechstbetrag.projekt is None and fund.gremium is None


def test_shipped_projects_keep_unknown_amounts_unknown(shipped: Dataset) -> None:
    projects = shipped.fondsantraege
    assert len(projects) == 12
    assert all(p.nachgetragen and p.entscheidung.status == "bewilligt" for p in projects.values())
    assert all(p.quelle and p.quelle[0].url for p in projects.values())
    amounts = {pid: p.entscheidung.betrag_bewilligt for pid, p in projects.items()}
    assert amounts.pop("vdk-kirchhellen-drucker-scanner") == 880
    assert set(amounts.values()) == {None}
    assert all(p.paid is None and p.betrag_beantragt is None for p in projects.values())


def test_budget_year_only_where_it_is_certain(shipped: Dataset) -> None:
    """Reported 11/2019 in a fund in force since 01.10.2019: decided in 2019. Reported 06/2020:
    could be 2019 or 2020, unknown."""
    fund = shipped.fonds["stadtteilfonds"]
    projects = shipped.fondsantraege
    assert projects["2019-natuerlich-kirchhellen-schilder"].budget_year(fund.in_force) == 2019
    assert projects["2020-sportjugend-e-bike"].budget_year(fund.in_force) is None
    assert fund.charged_to(None, 2019) == "stadtteilarbeit"  # the only line with a 2019 budget
    assert fund.charged_to(None, 2021) is None


def test_several_applicants_make_a_kooperationsprojekt() -> None:
    one = {"name": "A"}
    base = {"fonds": "f", "projekt": {"titel": "T"}, "quelle": [{"dokument": "Test"}]}
    assert not Fondsantrag.model_validate({**base, "antragsteller": [one]}).cooperation
    assert Fondsantrag.model_validate({**base, "antragsteller": [one, {"name": "B"}]}).cooperation


def test_a_fund_needs_a_kostenstelle() -> None:
    with pytest.raises(ValueError, match="kostenstellen"):
        Fonds.model_validate({"name": "F", "kostenstellen": [], "quelle": [{"dokument": "T"}]})
