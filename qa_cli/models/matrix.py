"""The decision matrix of one funding round (Entscheidungsmatrix), itself a versioned record.

Groups, sub-criteria, weights, the rating scale with a descriptor per level, knock-out rules, the
minimum score, the budget and the tie-break order all live in the record, so a change of weights
shows up in review like any other change.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from qa_cli.models.base import Euro, JaNein, NonEmptyText, Record, RecordId, Strict

KnockOutRule = Literal[
    "kein_konzeptpapier", "keine_anschlussperspektive", "doppelstruktur_bestaetigt"
]
TieBreak = Literal["gewichtigste_gruppe", "kleinerer_betrag", "frueherer_eingang"]

DEFAULT_TIE_BREAK: tuple[TieBreak, ...] = (
    "gewichtigste_gruppe",
    "kleinerer_betrag",
    "frueherer_eingang",
)
KNOCK_OUT_LABELS: dict[str, str] = {
    "kein_konzeptpapier": "kein Konzeptpapier eingereicht",
    "keine_anschlussperspektive": "keine Perspektive auf eine Anschlussförderung",
    "doppelstruktur_bestaetigt": "bestätigte Doppelstruktur im Quartier",
}
TIE_BREAK_LABELS: dict[str, str] = {
    "gewichtigste_gruppe": "höhere Punktzahl in der am stärksten gewichteten Gruppe",
    "kleinerer_betrag": "kleinerer beantragter Betrag",
    "frueherer_eingang": "früherer Eingang des Antrags",
}


class Stufe(Strict):
    wert: int = Field(title="Wert")
    beschreibung: NonEmptyText = Field(
        title="Beschreibung", description="Was diese Stufe bedeutet."
    )


class Skala(Strict):
    """The rating scale; every level has a written descriptor so reviewers rate alike."""

    stufen: list[Stufe] = Field(min_length=2, title="Stufen")

    @model_validator(mode="after")
    def _consecutive(self) -> Skala:
        values = [stufe.wert for stufe in self.stufen]
        if values != list(range(values[0], values[0] + len(values))) or values[0] < 0:
            raise PydanticCustomError(
                "ungueltiger-wert",
                "Die Stufen beginnen bei 0 oder mehr und steigen lückenlos, z. B. 0, 1, 2, 3, 4.",
            )
        return self

    @property
    def minimum(self) -> int:
        return self.stufen[0].wert

    @property
    def maximum(self) -> int:
        return self.stufen[-1].wert


class Kriterium(Strict):
    id: RecordId = Field(
        title="Kennung", description="Kennung des Unterkriteriums, z. B. verstetigung."
    )
    name: NonEmptyText = Field(title="Name")
    beschreibung: str | None = Field(default=None, title="Beschreibung")


class Gruppe(Strict):
    id: RecordId = Field(title="Kennung")
    name: NonEmptyText = Field(title="Name")
    gewicht: int = Field(gt=0, le=100, title="Gewicht in Prozent")
    kriterien: list[Kriterium] = Field(min_length=1, title="Unterkriterien")


class Ausschluss(Strict):
    regel: KnockOutRule = Field(title="Regel")
    beschreibung: str | None = Field(default=None, title="Beschreibung")


class Entscheidungsmatrix(Record):
    """One round's matrix. Weights are percentages and add up to 100."""

    name: NonEmptyText = Field(title="Name")
    beispiel: JaNein = Field(
        default=False,
        title="Beispiel",
        description="Ja, wenn Gewichte oder Budget nicht beschlossen, sondern Beispielwerte sind.",
    )
    budget: Euro = Field(title="Budget der Runde in Euro")
    skala: Skala = Field(title="Bewertungsskala")
    gruppen: list[Gruppe] = Field(min_length=1, title="Kriteriengruppen")
    ausschluss: list[Ausschluss] = Field(default_factory=list, title="Ausschlussregeln")
    mindestpunktzahl: float = Field(default=0, ge=0, le=100, title="Mindestpunktzahl (0–100)")
    gleichstand: list[TieBreak] = Field(
        default_factory=lambda: list(DEFAULT_TIE_BREAK),
        title="Reihenfolge bei Gleichstand",
        description="Danach entscheidet die Kennung (alphabetisch), nie die Dateireihenfolge.",
    )

    @model_validator(mode="after")
    def _weights_and_ids(self) -> Entscheidungsmatrix:
        total = sum(group.gewicht for group in self.gruppen)
        if total != 100:
            raise PydanticCustomError(
                "ungueltiger-wert",
                "Die Gewichte der Gruppen ergeben {total} %, nicht 100 %.",
                {"total": total},
            )
        ids = [group.id for group in self.gruppen] + [
            c.id for g in self.gruppen for c in g.kriterien
        ]
        doubled = sorted({item for item in ids if ids.count(item) > 1})
        if doubled:
            raise PydanticCustomError(
                "ungueltiger-wert",
                "Kennungen doppelt vergeben: {ids}.",
                {"ids": ", ".join(doubled)},
            )
        return self

    def criterion_ids(self) -> list[str]:
        return [criterion.id for group in self.gruppen for criterion in group.kriterien]
