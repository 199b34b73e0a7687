"""Properties of the field diff: diff(x, x) is empty, and a diff names exactly the fields that
differ, checked against an independent flattening of the two records."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_cli.diff.fields import diff_values
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.store.pipeline import load
from tests.conftest import SHIPPED_DATA

TEXT = st.text(alphabet="abcdeäöü ", min_size=1, max_size=8)
MONTH = st.sampled_from(["2019-10", "2020-12", "2021-06", "2022-12", None])
END = st.sampled_from(["2020-12", "2021-H1", "2023-05", "dauerhaft", None])


@st.composite
def grants(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Grants with distinct programmes, so that pairing by identity is unambiguous (a grant whose
    start changed is still the same grant: the diff pairs by programme when the start differs)."""
    found: dict[str, dict[str, Any]] = {}
    for _ in range(draw(st.integers(0, 3))):
        grant = {
            "programm": draw(
                st.sampled_from(["Zusammen im Quartier", "Städtebauförderung", "EFRE"])
            ),
            "beginn": draw(MONTH),
            "ende": draw(END),
            "vorlaeufig": draw(st.booleans()),
            "mittelgeber": draw(
                st.none() | st.lists(st.sampled_from(["Bund", "Land NRW", "Stadt"]), max_size=3)
            ),
        }
        found.setdefault(str(grant["programm"]), grant)
    return list(found.values())


@st.composite
def offices(draw: st.DrawFn) -> Anlaufstelle:
    return Anlaufstelle.model_validate(
        {
            "name": draw(TEXT),
            "traeger": draw(st.lists(TEXT, min_size=1, max_size=3)),
            "kooperationspartner": draw(st.none() | st.lists(TEXT, max_size=2)),
            "finanzielle_beteiligung": draw(st.sampled_from([True, False, None])),
            "ausrichtung": draw(st.none() | TEXT),
            "gebiet": draw(st.sampled_from(["boy", "ebel", "batenbrock"])),
            "foerderungen": draw(grants()),
            "quelle": [{"dokument": draw(TEXT)}],
        }
    )


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Leaves by path: grants keyed by programme (sources by document), plain lists as
    multisets."""
    if isinstance(value, dict):
        leaves: dict[str, Any] = {}
        for key, item in value.items():
            leaves.update(flatten(item, f"{path}.{key}" if path else key))
        return leaves
    if value == []:
        return {}
    if isinstance(value, list) and all(isinstance(x, dict) for x in value):
        leaves = {}
        for item in value:
            key = str(item.get("programm") or item.get("dokument"))
            leaves.update(flatten(item, f"{path}.{key}"))
        return leaves
    if isinstance(value, list):
        return {path: Counter(map(repr, value))}
    return {path: value}


def differing(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    a, b = flatten(old), flatten(new)
    return {path for path in set(a) | set(b) if a.get(path, "∅") != b.get(path, "∅")}


def reported(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    """The leaf paths the diff names, with list items named by programme or document as in
    ``flatten``; an added or removed item stands for all its leaves."""
    paths: set[str] = set()
    for change in diff_values(Anlaufstelle, old, new):
        head, *rest = change.path
        if head in ("foerderungen", "quelle") and rest:
            rest[0] = rest[0].split("|")[0]
        dotted = ".".join([head, *rest])
        if change.kind == "geändert":
            paths.add(dotted)
        else:
            paths |= set(flatten(change.old if change.kind == "entfernt" else change.new, dotted))
    return paths


def test_every_shipped_record_against_itself_is_no_change() -> None:
    dataset = load(SHIPPED_DATA).dataset
    for records in dataset.records.values():
        for record in records.values():
            dump = record.model_dump(mode="json")
            assert diff_values(type(record), dump, dump) == []


@settings(max_examples=300, deadline=None)
@given(office=offices())
def test_diff_of_a_record_with_itself_is_empty(office: Anlaufstelle) -> None:
    dump = office.model_dump(mode="json")
    assert diff_values(Anlaufstelle, dump, dump) == []


@settings(max_examples=400, deadline=None)
@given(old=offices(), new=offices())
def test_diff_names_exactly_the_fields_that_differ(old: Anlaufstelle, new: Anlaufstelle) -> None:
    a, b = old.model_dump(mode="json"), new.model_dump(mode="json")
    assert reported(a, b) == differing(a, b)
