"""Quartiersmonitoring: the indicator catalogue and indicator sets.

The catalogue describes each indicator once (definition, unit, source department, direction,
status or context). An indicator set holds one year's values for the units of one division
(Stadtteile, statistische Bezirke …), keyed by unit and indicator so that a review diff shows
exactly which value changed and a second value for the same unit and indicator is a duplicate
key. A missing value is written ``k.A.``, never 0.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from qa_cli.models.base import MonthText, NonEmptyText, Record, RecordId, Strict, WholeNumber
from qa_cli.models.stadt import Bezeichner
from qa_cli.months import Month
from qa_cli.numbers import german_decimal_check
from qa_cli.store.problems import shorten

MISSING_VALUE = "k.A."
Richtung = Literal["hoeher_unguenstiger", "hoeher_guenstiger", "neutral"]
IndikatorTyp = Literal["status", "kontext", "status_und_kontext"]

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _value(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text == MISSING_VALUE:
            return text
        if _NUMBER.fullmatch(text):
            value = float(text)
        else:
            raise PydanticCustomError(
                "ungueltiger-wert",
                "„{value}“ ist keine Zahl (Dezimalpunkt, z. B. 12.5) und nicht „k.A.“.",
                {"value": shorten(value)},
            )
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("ungueltiger-wert", "Unendlich und NaN sind keine Werte.")
    return value


# scoring helper: German numbers (20,2 / 1.234.567 / 12 %) refused with the hint (qa_cli.numbers);
# the last BeforeValidator runs first.
Messwert = Annotated[
    float | Literal["k.A."], BeforeValidator(_value), BeforeValidator(german_decimal_check)
]


class Definition(Strict):
    zaehler: NonEmptyText = Field(title="Zähler")
    nenner: str | None = Field(default=None, title="Nenner", description="Leer bei Absolutwerten.")


class Indikator(Record):
    """One indicator of the catalogue."""

    name: NonEmptyText = Field(title="Name")
    definition: Definition = Field(title="Definition")
    einheit: Bezeichner = Field(
        title="Einheit",
        description="prozent, personen, anzahl, je_1000, km2, personen_je_km2, euro oder eine "
        "in data/stadt/ unter `einheiten` erklärte Einheit (z. B. je_100, jahre).",
    )
    quelldienststelle: str | None = Field(
        default=None, title="Quelle (Dienststelle)", description="Wer die Daten liefert."
    )
    richtung: Richtung = Field(
        title="Richtung",
        description="hoeher_unguenstiger: ein höherer Wert bedeutet mehr Benachteiligung; "
        "hoeher_guenstiger: weniger; neutral: keine Wertung.",
    )
    typ: IndikatorTyp = Field(title="Art", description="status, kontext oder status_und_kontext.")
    gewicht: float = Field(default=1.0, gt=0, allow_inf_nan=False, title="Gewicht im Statusindex")
    minimum: float | None = Field(
        default=None, allow_inf_nan=False, title="Kleinster möglicher Wert"
    )
    maximum: float | None = Field(default=None, allow_inf_nan=False, title="Größter möglicher Wert")

    @property
    def is_status(self) -> bool:
        return self.typ in ("status", "status_und_kontext")

    def bounds(self) -> tuple[float | None, float | None]:
        """The possible range; a share lies between 0 and 100 unless the record says otherwise."""
        if self.einheit == "prozent":
            return (
                0.0 if self.minimum is None else self.minimum,
                100.0 if self.maximum is None else self.maximum,
            )
        return self.minimum, self.maximum


class Wert(Strict):
    wert: Messwert = Field(title="Wert", description="Zahl mit Dezimalpunkt oder „k.A.“.")
    stichtag: str | None = Field(default=None, title="Stichtag", description="z. B. 2022-08-31.")
    quelle: str | None = Field(default=None, title="Quelle", description="Dokument oder Adresse.")
    notiz: str | None = Field(default=None, title="Notiz")

    @property
    def number(self) -> float | None:
        return None if isinstance(self.wert, str) else self.wert


class Indikatorensatz(Record):
    """One year's values for the units of one division."""

    jahr: WholeNumber = Field(ge=1900, le=2100, title="Jahr")
    gliederung: Bezeichner = Field(
        title="Gliederung",
        description="Welche Gebietseinheiten: eine der `gebietsarten` aus data/stadt/.",
    )
    gebietsstand: MonthText | None = Field(
        default=None,
        title="Gebietsstand",
        description="Mit den Gebietsgrenzen welchen Monats gezählt wurde (JJJJ-MM); Pflicht, "
        "sobald ein Gebiet der Gliederung `gueltig_ab` oder `gueltig_bis` hat. Jedes Gebiet "
        "des Satzes muss in diesem Monat gelten.",
        examples=["2021-01"],
    )
    werte: dict[RecordId, dict[RecordId, Wert]] = Field(
        default_factory=dict,
        title="Werte",
        description="Je Gebiet (Kennung) je Indikator (Kennung) ein Wert.",
    )
    gesamtstadt: dict[RecordId, Wert] = Field(
        default_factory=dict, title="Werte der Gesamtstadt", description="Zum Vergleich."
    )

    @property
    def edition(self) -> Month | None:
        """The month of the area boundaries the set counted with, if it says."""
        return Month.parse(self.gebietsstand) if self.gebietsstand else None
