"""Nothing of the shipped city in the package: its name, committee, offices of its
administration, Stadtteile, postcodes and coordinates live in data/ and reach every output from
there. The words are read from the shipped records, so a new Stadtteil is checked too."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.conftest import REPO, SHIPPED_DATA

PACKAGE = REPO / "qa_cli"
TEXT_SUFFIXES = {".py", ".j2", ".html", ".css", ".js", ".json", ".txt", ".md"}


def _record(path: Path) -> dict[str, object]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def shipped_city_words() -> set[str]:
    city = _record(next((SHIPPED_DATA / "stadt").glob("*.yaml")))
    words = {str(city["name"]), "KIS/IC", "AG Quartiersentwicklung", "Mai 2020"}
    words |= {str(city[field]) for field in ("ausschuss", "herausgeber") if city.get(field)}
    for path in (SHIPPED_DATA / "gebiete").glob("*.yaml"):
        area = _record(path)
        if area["art"] in ("stadtteil", "stadtbezirk"):
            words.add(str(area["name"]))
    return words


def package_files() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*") if p.suffix in TEXT_SUFFIXES and "__pycache__" not in p.parts
    )


def test_the_words_come_from_the_shipped_records() -> None:
    words = shipped_city_words()
    assert {"Bottrop", "Ausschuss für Soziales, Gesundheit und Familie", "Batenbrock"} <= words
    assert len(words) > 15


def test_no_name_of_the_shipped_city_in_the_package() -> None:
    patterns = [re.compile(rf"(?<!\w){re.escape(word)}(?!\w)") for word in shipped_city_words()]
    postcode = re.compile(r"\b46(2[3-4][0-9])\b")  # the city's postcodes 46236 … 46244
    coordinates = re.compile(r"51\.52\d*|6\.92\d*|51°3[01]′")
    found = []
    for path in package_files():
        text = path.read_text(encoding="utf-8")
        for pattern in [*patterns, postcode, coordinates]:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(REPO)}:{line}: {match.group(0)}")
    assert found == []


def test_the_committed_schemas_name_no_city_either() -> None:
    patterns = [re.compile(rf"(?<!\w){re.escape(word)}(?!\w)") for word in shipped_city_words()]
    for path in sorted((REPO / "schemas").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert not [p.pattern for p in patterns if p.search(text)], path
