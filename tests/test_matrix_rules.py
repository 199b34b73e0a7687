"""What a city declares in its matrix: decimal weights, sub-criterion weights, the scale, the
calibration threshold, knock-out rule types with parameters and the tie-break order."""

from __future__ import annotations

import hashlib
from typing import Any, cast

import pytest
from pydantic import ValidationError

from qa_cli.domain.scoring import allocate, knock_outs, published_weights, score_request
from qa_cli.models.antrag import Antrag
from qa_cli.models.matrix import RULE_TYPES, TIE_BREAK_LABELS, Entscheidungsmatrix
from tests.test_interim import MATRIX, matrix, request

GOOD = {"x": {"a1": 4, "a2": 4, "b1": 4}}
GROUPS = cast(list[dict[str, Any]], MATRIX["gruppen"])


def invalid(**changes: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        matrix(**changes)
    return str(caught.value)


# --- weights ---------------------------------------------------------------------------------


def test_decimal_group_weights_add_up_to_100() -> None:
    groups = GROUPS
    three = [
        {**groups[0], "gewicht": "33.3"},
        {**groups[1], "gewicht": "33.3"},
        {"id": "c", "name": "C", "gewicht": "33.4", "kriterien": [{"id": "c1", "name": "C1"}]},
    ]
    assert [g.gewicht for g in matrix(gruppen=three).gruppen] == [33.3, 33.3, 33.4]
    assert "ergeben 99,9 %" in invalid(gruppen=[*three[:2], {**three[2], "gewicht": "33.3"}])
    assert "dezimalkomma" in invalid(gruppen=[{**three[0], "gewicht": "33,3"}, *three[1:]])


def test_sub_criteria_weights_are_relative_within_the_group() -> None:
    groups = GROUPS
    weighted = [
        {
            **groups[0],
            "kriterien": [{"id": "a1", "name": "A1", "gewicht": "3"}, {"id": "a2", "name": "A2"}],
        },
        groups[1],
    ]
    the_matrix = matrix(gruppen=weighted)
    score = score_request("r", request({"x": {"a1": 4, "a2": 0, "b1": 0}}), the_matrix)
    assert score is not None
    # (3·4 + 1·0) / (3 + 1) = 3 of 4 → 75 %; with equal weights it would be 50 %
    assert score.groups["a"].score == pytest.approx(0.75)
    assert score.total(published_weights(the_matrix)) == pytest.approx(60 * 0.75)
    # a not applicable sub-criterion takes its weight with it
    only_a2 = score_request(
        "r", request({"x": {"a1": "nicht_anwendbar", "a2": 2, "b1": 0}}), the_matrix
    )
    assert only_a2 is not None and only_a2.groups["a"].score == pytest.approx(0.5)


# --- scale and calibration -------------------------------------------------------------------


def scale(low: int, high: int) -> dict[str, Any]:
    return {"stufen": [{"wert": v, "beschreibung": f"Stufe {v}"} for v in range(low, high + 1)]}


def test_lowest_level_is_0_and_highest_100_percent_on_a_1_to_5_scale() -> None:
    one_to_five = matrix(skala=scale(1, 5))
    lowest = score_request("r", request({"x": {"a1": 1, "a2": 1, "b1": 1}}), one_to_five)
    highest = score_request("r", request({"x": {"a1": 5, "a2": 5, "b1": 5}}), one_to_five)
    missing = score_request(
        "r", request({"x": {"a1": "fehlt", "a2": 1, "b1": "fehlt"}}), one_to_five
    )
    weights = published_weights(one_to_five)
    assert lowest is not None and highest is not None and missing is not None
    assert (lowest.total(weights), highest.total(weights)) == (0.0, 100.0)
    # "fehlt" counts as the lowest level (1), not as 0 below the scale
    assert missing.total(weights) == 0.0
    assert missing.groups["b"].criteria[0].value == 1


def test_the_calibration_threshold_is_a_share_of_the_scale() -> None:
    ratings = {"x": {"a1": 1, "a2": 0, "b1": 0}, "y": {"a1": 4, "a2": 2, "b1": 0}}
    default = score_request("r", request(ratings), matrix())  # 50 % of 0–4 = 2 points
    assert default is not None and default.calibration() == ["a1", "a2"]
    strict = score_request("r", request(ratings), matrix(kalibrierung_ab="75"))  # 3 points
    assert strict is not None and strict.calibration() == ["a1"]
    wide = matrix(skala=scale(0, 10))  # 50 % of 0–10 = 5 points: a spread of 3 is no reason
    assert wide.calibration_points == 5
    spread_three = score_request("r", request(ratings), wide)
    assert spread_three is not None and spread_three.calibration() == []


def test_the_scale_runs_without_gaps() -> None:
    assert "lückenlos" in invalid(
        skala={"stufen": [{"wert": 1, "beschreibung": "a"}, {"wert": 3, "beschreibung": "b"}]}
    )


# --- knock-out rules -------------------------------------------------------------------------


def rules(*declared: dict[str, Any]) -> Entscheidungsmatrix:
    return matrix(ausschluss=list(declared))


def test_every_rule_type_is_documented() -> None:
    from tests.conftest import REPO

    text = (REPO / "docs" / "andere-stadt.md").read_text(encoding="utf-8")
    for rule in RULE_TYPES:
        assert f"`{rule}`" in text, rule
    for tie in TIE_BREAK_LABELS:
        assert f"`{tie}`" in text, tie


def test_a_yes_no_field_of_the_request_must_be_ja() -> None:
    the_matrix = rules({"regel": "ja_erforderlich", "feld": "angaben.gemeinnuetzig"})
    assert knock_outs(request(GOOD, angaben={"gemeinnuetzig": "Ja"}), the_matrix) == []
    assert knock_outs(request(GOOD, angaben={"gemeinnuetzig": "Nein"}), the_matrix) == [
        "„gemeinnuetzig“ nicht Ja"
    ]
    # missing information never passes a rule
    assert knock_outs(request(GOOD), the_matrix) == ["„gemeinnuetzig“ nicht Ja"]
    paper = rules(
        {"regel": "ja_erforderlich", "feld": "konzeptpapier.vorhanden", "grund": "ohne Papier"}
    )
    assert knock_outs(request(GOOD, konzeptpapier={"vorhanden": "Nein"}), paper) == ["ohne Papier"]


def test_a_field_must_be_filled_in() -> None:
    the_matrix = rules(
        {"regel": "angabe_erforderlich", "feld": "konzeptpapier.anschlussfoerderung"}
    )
    assert knock_outs(request(GOOD), the_matrix) == []
    assert knock_outs(request(GOOD, konzeptpapier={"vorhanden": "Ja"}), the_matrix) == [
        "„Anschlussförderung“ nicht ausgefüllt"
    ]


def test_a_deadline_for_the_received_date() -> None:
    the_matrix = rules({"regel": "eingang_bis", "datum": "2020-09-30"})
    assert knock_outs(request(GOOD, eingang="2020-09-30"), the_matrix) == []
    assert knock_outs(request(GOOD, eingang="2020-10-01"), the_matrix) == [
        "Eingang nach dem 30.09.2020"
    ]


def test_a_minimum_own_share_in_percent_of_the_total_or_in_euro() -> None:
    share = rules({"regel": "mindest_eigenanteil", "prozent": "10"})
    # 10 of 90 + 10 = 10 % exactly: passes; 9 of 99 + 9 ≈ 8.3 %: excluded
    assert knock_outs(request(GOOD, betrag=90, eigenanteil=10), share) == []
    assert knock_outs(request(GOOD, betrag=99, eigenanteil=9), share) == [
        "Eigenanteil unter 10 % der Gesamtkosten"
    ]
    euros = rules({"regel": "mindest_eigenanteil", "euro": "500"})
    assert knock_outs(request(GOOD, eigenanteil=499), euros) == ["Eigenanteil unter 500 €"]
    assert knock_outs(request(GOOD, eigenanteil=500), euros) == []


def test_a_confirmed_doppelstruktur() -> None:
    the_matrix = rules({"regel": "doppelstruktur_bestaetigt"})
    assert knock_outs(request(GOOD, doppelstruktur_bestaetigt="Ja"), the_matrix) == [
        "bestätigte Doppelstruktur im Quartier"
    ]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"regel": "eingang_bis"}, "braucht datum"),
        ({"regel": "eingang_bis", "datum": "2020-09-30", "prozent": "5"}, "kennt prozent nicht"),
        ({"regel": "mindest_eigenanteil"}, "genau eines von prozent und euro"),
        ({"regel": "mindest_eigenanteil", "prozent": "5", "euro": "100"}, "genau eines"),
        ({"regel": "ja_erforderlich", "feld": "konzeptpapier.ziel"}, "keine Ja/Nein-Angabe"),
        (
            {"regel": "angabe_erforderlich", "feld": "konzeptpapier.farbe"},
            "kein Feld eines Antrags",
        ),
        ({"regel": "kein_konzeptpapier"}, "ja_erforderlich"),
    ],
)
def test_rule_parameters_are_checked(rule: dict[str, Any], message: str) -> None:
    assert message in invalid(ausschluss=[rule])


# --- tie-breaks ------------------------------------------------------------------------------


def tied(**changes: Any) -> Antrag:
    return request({"x": {"a1": 3, "a2": 3, "b1": 3}}, **changes)


def ranking(requests: dict[str, Antrag], the_matrix: Entscheidungsmatrix) -> list[str]:
    return [s.request_id for s in allocate(requests, the_matrix, 10_000).steps if s.rank]


def test_higher_own_share_wins_a_tie() -> None:
    requests = {
        "a-wenig": tied(betrag=90, eigenanteil=10),  # 10 %
        "b-viel": tied(betrag=150, eigenanteil=50),  # 25 %, although the larger amount
    }
    assert ranking(requests, matrix(gleichstand=["hoeherer_eigenanteil", "kleinerer_betrag"])) == [
        "b-viel",
        "a-wenig",
    ]
    assert ranking(requests, matrix(gleichstand=["kleinerer_betrag"])) == ["a-wenig", "b-viel"]


def test_the_lottery_follows_the_published_seed_not_the_file_order() -> None:
    requests = {rid: tied() for rid in ("anker", "bruecke", "hafen", "mitte", "turm")}
    seeded = matrix(gleichstand=["los"], los_startwert="Sitzung 2020-11-17")
    expected = sorted(
        requests, key=lambda rid: hashlib.sha256(f"Sitzung 2020-11-17:{rid}".encode()).hexdigest()
    )
    assert ranking(requests, seeded) == expected
    assert ranking(dict(reversed(requests.items())), seeded) == expected
    assert expected != sorted(requests)  # not simply the id order
    other_seed = matrix(gleichstand=["los"], los_startwert="4711")
    assert ranking(requests, other_seed) != expected  # the seed decides
    assert "Los (Startwert „Sitzung 2020-11-17“), dann Kennung" in seeded.tie_break_text()


def test_the_lottery_needs_its_seed_and_a_seed_needs_the_lottery() -> None:
    assert "veröffentlichten Startwert" in invalid(gleichstand=["los"])
    assert "veröffentlichten Startwert" in invalid(los_startwert="4711")
    assert "doppelt" in invalid(gleichstand=["kleinerer_betrag", "kleinerer_betrag"])
