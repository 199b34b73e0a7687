"""The decision matrix of one funding round (Entscheidungsmatrix), itself a versioned record.

Groups, sub-criteria, weights, the rating scale with a descriptor per level, knock-out rules, the
minimum score, the calibration threshold, the budget and the tie-break order all live in the
record, so a change of weights shows up in review like any other change. What may differ between
cities is a parameter here, chosen from a small documented vocabulary (docs/andere-stadt.md):

- group weights are percentages (decimals allowed) that add up to 100; sub-criteria carry relative
  weights within their group (default 1: all equal);
- the scale is any run of consecutive whole levels (0–4, 1–5, 0–10): its lowest level scores 0 %
  and its highest 100 % of a group, and the calibration threshold is a share of the scale's width;
- knock-out rules are instances of ``RULE_TYPES`` with their parameters;
- tie-breaks are an ordered list of ``TIE_BREAKS``; the lottery ``los`` needs the published seed
  ``los_startwert``, and the id decides last, never the file order.
"""

from __future__ import annotations

import hashlib
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from qa_cli import german
from qa_cli.models.antrag import Antrag
from qa_cli.models.base import DateText, Euro, JaNein, NonEmptyText, Record, RecordId, Strict
from qa_cli.numbers import decimal_field

RuleType = Literal[
    "ja_erforderlich",
    "angabe_erforderlich",
    "doppelstruktur_bestaetigt",
    "eingang_bis",
    "mindest_eigenanteil",
]
TieBreak = Literal[
    "gewichtigste_gruppe", "kleinerer_betrag", "frueherer_eingang", "hoeherer_eigenanteil", "los"
]

DEFAULT_TIE_BREAK: tuple[TieBreak, ...] = (
    "gewichtigste_gruppe",
    "kleinerer_betrag",
    "frueherer_eingang",
)
# What each rule type checks and which parameters it takes (documented in docs/andere-stadt.md).
RULE_TYPES: dict[str, tuple[str, frozenset[str]]] = {
    "ja_erforderlich": ("eine Ja/Nein-Angabe des Antrags muss Ja sein", frozenset({"feld"})),
    "angabe_erforderlich": ("eine Angabe des Antrags muss ausgefüllt sein", frozenset({"feld"})),
    "doppelstruktur_bestaetigt": ("keine bestätigte Doppelstruktur", frozenset()),
    "eingang_bis": ("Eingang spätestens am Stichtag", frozenset({"datum"})),
    "mindest_eigenanteil": (
        "Eigenanteil mindestens in Prozent der Gesamtkosten oder in Euro",
        frozenset({"prozent", "euro"}),
    ),
}
TIE_BREAK_LABELS: dict[str, str] = {
    "gewichtigste_gruppe": "höhere Punktzahl in der am stärksten gewichteten Gruppe",
    "kleinerer_betrag": "kleinerer beantragter Betrag",
    "frueherer_eingang": "früherer Eingang des Antrags",
    "hoeherer_eigenanteil": "höherer Eigenanteil (Anteil an Betrag plus Eigenanteil)",
    "los": "Los",
}
EXTRA_DETAILS = "angaben"  # Antrag.angaben: the city's own yes/no details of a request
Decimal = Annotated[float, BeforeValidator(decimal_field)]


def plain(value: float) -> int | float:
    """A weight as it was written: ``30.0`` → ``30`` (tables and JSON), ``33.5`` stays."""
    return int(value) if float(value).is_integer() else value


def weight_text(value: float) -> str:
    """``30`` → ``30``, ``33.3`` → ``33,3``: a weight or threshold as a German reader writes it."""
    return str(int(value)) if float(value).is_integer() else german.decimal(value, 2).rstrip("0")


class Stufe(Strict):
    wert: int = Field(title="Wert")
    beschreibung: NonEmptyText = Field(
        title="Beschreibung", description="Was diese Stufe bedeutet."
    )


class Skala(Strict):
    """The rating scale; every level has a written descriptor so reviewers rate alike. The
    lowest level counts 0 %, the highest 100 %; ``fehlt`` counts as the lowest level."""

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

    @property
    def width(self) -> int:
        return self.maximum - self.minimum

    def share(self, value: float) -> float:
        """Where a value lies on the scale: lowest level 0.0, highest 1.0."""
        return (value - self.minimum) / self.width


class Kriterium(Strict):
    id: RecordId = Field(
        title="Kennung", description="Kennung des Unterkriteriums, z. B. verstetigung."
    )
    name: NonEmptyText = Field(title="Name")
    gewicht: Decimal = Field(
        default=1.0,
        gt=0,
        le=1000,
        allow_inf_nan=False,
        title="Gewicht in der Gruppe",
        description="Relativ zu den anderen Unterkriterien der Gruppe: 2 zählt doppelt so viel "
        "wie 1. Ohne Angabe 1, also alle gleich.",
    )
    beschreibung: str | None = Field(default=None, title="Beschreibung")


class Gruppe(Strict):
    id: RecordId = Field(title="Kennung")
    name: NonEmptyText = Field(title="Name")
    gewicht: Decimal = Field(
        gt=0,
        le=100,
        allow_inf_nan=False,
        title="Gewicht in Prozent",
        description="Dezimalpunkt erlaubt, z. B. 33.5; alle Gruppen zusammen 100.",
    )
    kriterien: list[Kriterium] = Field(min_length=1, title="Unterkriterien")


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The record model inside ``X`` or ``X | None``."""
    candidates = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else ()
    for candidate in (annotation, *candidates):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def request_field(path: str) -> tuple[str, Any] | None:
    """Title and type of a field of the request (``konzeptpapier.vorhanden``), or ``None``.
    ``angaben.<kennung>`` names one of the city's own yes/no details."""
    model: type[BaseModel] | None = Antrag
    parts = path.split(".")
    if len(parts) == 2 and parts[0] == EXTRA_DETAILS and parts[1]:
        return parts[1], bool
    for index, part in enumerate(parts):
        info = model.model_fields.get(part) if model else None
        if info is None or part == EXTRA_DETAILS:
            return None
        if index == len(parts) - 1:
            return info.title or part, info.annotation
        model = _model_of(info.annotation)
    return None


def request_value(request: Antrag, path: str) -> Any:
    """The value at ``path`` in the request; ``None`` where it is not filled in."""
    head, _, rest = path.partition(".")
    if head == EXTRA_DETAILS:
        return request.angaben.get(rest)
    value: Any = request
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def own_share(request: Antrag) -> float:
    """The operator's own share of the costs: Eigenanteil ÷ (beantragter Betrag + Eigenanteil)."""
    total = request.betrag + request.eigenanteil
    return request.eigenanteil / total if total else 0.0


class Ausschluss(Strict):
    """One knock-out rule: a type of ``RULE_TYPES`` with its parameters. A request that breaks it
    is excluded before ranking, with ``grund`` (or a text made from type and parameters)."""

    regel: RuleType = Field(title="Regel", description="Art der Regel, siehe docs/andere-stadt.md.")
    feld: str | None = Field(
        default=None,
        title="Feld des Antrags",
        description="Für ja_erforderlich und angabe_erforderlich, z. B. konzeptpapier.vorhanden "
        "oder angaben.gemeinnuetzig.",
    )
    datum: DateText | None = Field(default=None, title="Stichtag (eingang_bis)")
    prozent: Decimal | None = Field(
        default=None, ge=0, le=100, title="Mindestanteil in Prozent (mindest_eigenanteil)"
    )
    euro: Euro | None = Field(default=None, title="Mindestbetrag in Euro (mindest_eigenanteil)")
    grund: str | None = Field(
        default=None,
        title="Ausschlussgrund",
        description="Kurzer Text für Rangfolge und Vorlage, wenn die Regel greift.",
    )
    beschreibung: str | None = Field(default=None, title="Beschreibung")

    @model_validator(mode="after")
    def _parameters(self) -> Ausschluss:
        meaning, allowed = RULE_TYPES[self.regel]
        given = {name for name in ("feld", "datum", "prozent", "euro") if getattr(self, name)}
        given |= {name for name in ("prozent", "euro") if getattr(self, name) == 0}
        wrong = sorted(given - allowed)
        if wrong:
            raise PydanticCustomError(
                "ungueltiger-wert",
                "Die Regel {regel} ({meaning}) kennt {wrong} nicht.",
                {"regel": self.regel, "meaning": meaning, "wrong": ", ".join(wrong)},
            )
        missing = allowed - given
        needs_one = self.regel == "mindest_eigenanteil"
        if (needs_one and len(given) != 1) or (not needs_one and missing):
            raise PydanticCustomError(
                "ungueltiger-wert",
                "Die Regel {regel} ({meaning}) braucht {needed}.",
                {
                    "regel": self.regel,
                    "meaning": meaning,
                    "needed": "genau eines von prozent und euro"
                    if needs_one
                    else ", ".join(sorted(missing)),
                },
            )
        if self.feld is not None:
            self._check_field(self.feld)
        return self

    def _check_field(self, path: str) -> None:
        found = request_field(path)
        if found is None:
            raise PydanticCustomError(
                "ungueltiger-wert",
                "„{feld}“ ist kein Feld eines Antrags (z. B. konzeptpapier.vorhanden, "
                "angaben.<kennung>).",
                {"feld": path},
            )
        if self.regel == "ja_erforderlich" and found[1] is not bool:
            raise PydanticCustomError(
                "ungueltiger-wert",
                "„{feld}“ ist keine Ja/Nein-Angabe; ja_erforderlich prüft nur solche.",
                {"feld": path},
            )

    def applies(self, request: Antrag) -> bool:
        """Does this rule exclude the request? Missing information never passes a rule."""
        if self.regel == "ja_erforderlich":
            assert self.feld is not None
            return request_value(request, self.feld) is not True
        if self.regel == "angabe_erforderlich":
            assert self.feld is not None
            return request_value(request, self.feld) in (None, "")
        if self.regel == "doppelstruktur_bestaetigt":
            return request.doppelstruktur_bestaetigt
        if self.regel == "eingang_bis":
            assert self.datum is not None
            return request.eingang > self.datum
        if self.prozent is not None:
            return own_share(request) * 100 < self.prozent - 1e-9
        return request.eigenanteil < (self.euro or 0)

    def reason(self) -> str:
        """The declared ``grund``, or one made from the rule's type and parameters."""
        if self.grund:
            return self.grund
        if self.regel in ("ja_erforderlich", "angabe_erforderlich"):
            assert self.feld is not None
            title = (request_field(self.feld) or (self.feld, None))[0]
            state = "nicht Ja" if self.regel == "ja_erforderlich" else "nicht ausgefüllt"
            return f"„{title}“ {state}"
        if self.regel == "doppelstruktur_bestaetigt":
            return "bestätigte Doppelstruktur im Quartier"
        if self.regel == "eingang_bis":
            assert self.datum is not None
            return f"Eingang nach dem {german.day(self.datum)}"
        if self.prozent is not None:
            return f"Eigenanteil unter {weight_text(self.prozent)} % der Gesamtkosten"
        return f"Eigenanteil unter {german.euro(self.euro or 0)}"


class Entscheidungsmatrix(Record):
    """One round's matrix. Group weights are percentages and add up to 100."""

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
    mindestpunktzahl: Decimal = Field(
        default=0, ge=0, le=100, allow_inf_nan=False, title="Mindestpunktzahl (0–100)"
    )
    kalibrierung_ab: Decimal = Field(
        default=50,
        gt=0,
        le=100,
        allow_inf_nan=False,
        title="Kalibrierungsgespräch ab Spanne (Prozent der Skalenbreite)",
        description="Liegen die Bewertungen eines Unterkriteriums so weit auseinander (in Prozent "
        "von höchster minus niedrigster Stufe), wird ein Kalibrierungsgespräch vorgeschlagen. "
        "Standard 50.",
    )
    gleichstand: list[TieBreak] = Field(
        default_factory=lambda: list(DEFAULT_TIE_BREAK),
        title="Reihenfolge bei Gleichstand",
        description="Danach entscheidet die Kennung (alphabetisch), nie die Dateireihenfolge.",
    )
    los_startwert: str | None = Field(
        default=None,
        min_length=1,
        title="Startwert des Loses",
        description="Öffentlich festgelegter Text (z. B. in der Sitzung gezogen); Pflicht, wenn "
        "gleichstand „los“ enthält. Losnummer = SHA-256 von „Startwert:Kennung“.",
    )

    @model_validator(mode="after")
    def _weights_and_ids(self) -> Entscheidungsmatrix:
        total = sum(group.gewicht for group in self.gruppen)
        if abs(total - 100) > 1e-9:
            raise PydanticCustomError(
                "ungueltiger-wert",
                "Die Gewichte der Gruppen ergeben {total} %, nicht 100 %.",
                {"total": weight_text(round(total, 6))},
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
        self._check_tie_breaks()
        return self

    def _check_tie_breaks(self) -> None:
        repeated = sorted({rule for rule in self.gleichstand if self.gleichstand.count(rule) > 1})
        if repeated:
            raise PydanticCustomError(
                "ungueltiger-wert",
                "Gleichstandsregeln doppelt genannt: {rules}.",
                {"rules": ", ".join(repeated)},
            )
        if ("los" in self.gleichstand) != (self.los_startwert is not None):
            raise PydanticCustomError(
                "ungueltiger-wert",
                "„los“ in gleichstand und los_startwert gehören zusammen: das Los braucht "
                "einen veröffentlichten Startwert, ein Startwert ohne Los bewirkt nichts.",
            )

    def criterion_ids(self) -> list[str]:
        return [criterion.id for group in self.gruppen for criterion in group.kriterien]

    @property
    def calibration_points(self) -> float:
        """The calibration threshold in scale points (50 % of a 0–4 scale: 2 points)."""
        return self.kalibrierung_ab / 100 * self.skala.width

    def lottery_number(self, request_id: str) -> str:
        """The request's lottery number: anyone can recompute it from seed and id."""
        seed = f"{self.los_startwert}:{request_id}".encode()
        return hashlib.sha256(seed).hexdigest()

    def tie_break_text(self) -> str:
        """The declared tie-break order in words, ending with the id that decides last."""
        labels = [
            f"{TIE_BREAK_LABELS[rule]} (Startwert „{self.los_startwert}“)"
            if rule == "los"
            else TIE_BREAK_LABELS[rule]
            for rule in self.gleichstand
        ]
        return ", dann ".join([*labels, "Kennung"])

    def knock_out_texts(self) -> list[str]:
        return [rule.reason() for rule in self.ausschluss]
