"""A format-neutral description of a listing: sections of rows under typed columns.

Views build a ``Report`` from domain results; ``tabular.py`` renders it as a terminal table, plain
text, CSV, JSON or Markdown. Cells hold typed values (``Month``, ``bool``, lists …) and each format
decides how to write them, so a month is ``12/2020`` for people and ``2020-12`` for scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qa_cli.german import UNKNOWN
from qa_cli.months import Month, MonthRange
from qa_cli.render.chart import BarChart

if TYPE_CHECKING:
    from qa_cli.store.state import DataState


@dataclass(frozen=True, slots=True)
class Column:
    """``people=False`` columns appear only in CSV (tables for people stay narrow)."""

    key: str  # a dotted key (``gruppen.finanzierung``) reads a nested value
    label: str
    people: bool = True
    empty: str = UNKNOWN  # what people see for no value: "k.A." (unknown) or "–" (none)
    places: int = 1  # decimal places of a fractional number for people
    euro: bool = False  # an amount in euros (XLSX writes it as a number with € format)
    compact: bool = True  # False: a terminal table shows it only when asked (``qa score --breit``)


def cell(row: dict[str, Any], key: str) -> Any:
    """The value under ``key`` in ``row``, following dots into nested dicts."""
    if "." not in key:
        return row.get(key)
    value: Any = row
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


class SharedValues:
    """Lets the rows of a long listing share equal values. 100,000 offices name the same
    operators, programmes, notes and months over and over, each parsed or made as an object of
    its own: about half of a row's memory. Texts, months and lists of texts are shared; a list
    becomes a tuple (every format writes both alike, ``values.py``). Nothing else is touched:
    ``True`` and ``1`` are equal in Python, but not in a listing."""

    def __init__(self) -> None:
        self._seen: dict[object, Any] = {}

    def row(self, row: dict[str, Any]) -> dict[str, Any]:
        seen = self._seen  # a text, the most common value, is shared here, without a call
        return {
            key: seen.setdefault(value, value) if type(value) is str else self._shared(value)
            for key, value in row.items()
        }

    def _shared(self, value: Any) -> Any:
        kind = type(value)
        if kind in SHARED_KINDS:
            return self._seen.setdefault(value, value)
        if kind is list and all(type(item) is str for item in value):
            key = ("texts", *value)
            found = self._seen.get(key)
            if found is None:
                found = self._seen[key] = tuple(self._seen.setdefault(v, v) for v in value)
            return found
        return value


SHARED_KINDS = frozenset({str, Month, MonthRange})


@dataclass(slots=True)
class Section:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    empty_text: str = "Keine Einträge."
    in_csv: bool = True  # CSV holds the sections that share the first section's columns
    paragraphs: list[str] = field(default_factory=list)  # text before the table (papers)
    for_people: bool = True  # False: a machine layout (tidy CSV rows) that tables for people skip
    chart: BarChart | None = None  # a picture of the rows (HTML draws it as inline SVG)
    sheet: str | None = None  # a short name for its XLSX sheet (else one made from the title)


@dataclass(slots=True)
class Report:
    title: str
    description: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    stand: DataState | None = None  # the data it was made from; set where it is written

    def heading_lines(self) -> list[str]:
        """What people read under the title: the description, then when and from which data
        the report was made."""
        if self.stand is None:
            return list(self.description)
        from qa_cli.render.stamp import stamp_text

        return [*self.description, stamp_text(self.stand)]
