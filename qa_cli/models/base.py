"""Shared building blocks of all record models.

The YAML reader hands every scalar over as text, so these types decide what a value means: a
``JaNein`` accepts the table's ``Ja``/``Nein`` (and true/false), a month must be ``JJJJ-MM``.
Validation errors raised here carry an error type that is also the user-facing error code.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from qa_cli.months import MONTH_PATTERN, Month
from qa_cli.numbers import euro_field
from qa_cli.store.problems import shorten

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_MAX_LENGTH = 80
_ID = re.compile(ID_PATTERN)

_JA = {"ja": True, "nein": False, "true": True, "false": False}


def is_valid_id(text: str) -> bool:
    return len(text) <= ID_MAX_LENGTH and _ID.fullmatch(text) is not None


def _ja_nein(value: Any) -> Any:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _JA:
            return _JA[lowered]
        raise PydanticCustomError(
            "ungueltiger-wert", "„{value}“ ist nicht Ja oder Nein.", {"value": shorten(value)}
        )
    return value


def _month(value: Any) -> Any:
    if isinstance(value, str):
        try:
            Month.parse(value)
        except ValueError:
            raise PydanticCustomError(
                "ungueltiger-monat",
                "„{value}“ ist kein Monat der Form JJJJ-MM (z. B. 2020-12).",
                {"value": shorten(value)},
            ) from None
    return value


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def suggest_id(text: str) -> str:
    """A valid id made from a name: ``Lindenhof Nord`` → ``lindenhof-nord``, ``Büro`` →
    ``buero`` (how ids are made from names; empty if nothing is left)."""
    lowered = unicodedata.normalize("NFC", text).lower().translate(_UMLAUTS)
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:ID_MAX_LENGTH].rstrip("-")


def _reference(value: Any) -> Any:
    """A reference is an id; a name written where the id belongs (``gebiet: Marktplatz``) gets the
    id made from it as the hint."""
    if isinstance(value, str) and not is_valid_id(value):
        suggestion = suggest_id(value)
        context = {"value": shorten(value)}
        if suggestion:
            context["hinweis"] = f"„{suggestion}“ (die Kennung, nicht der Name)"
        raise PydanticCustomError(
            "ungueltige-id",
            "„{value}“ ist keine gültige Kennung (Kleinbuchstaben, Ziffern und „-“).",
            context,
        )
    return value


_WHOLE = re.compile(r"-?[0-9]+")
_GROUPED = re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})+")


def _whole_number(value: Any) -> Any:
    """A whole number as digits only: Pydantic alone would read ``5.000`` (five thousand, as a
    German writes it) as 5."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if _WHOLE.fullmatch(text):
        return int(text)
    if _GROUPED.fullmatch(text):
        raise PydanticCustomError(
            "tausenderpunkt",
            "„{value}“ ist mit Tausendertrennzeichen geschrieben; qa liest ganze Zahlen nur als "
            "Ziffern.",
            {"value": shorten(value), "hinweis": text.replace(".", "")},
        )
    raise PydanticCustomError(
        "ungueltiger-wert",
        "„{value}“ ist keine ganze Zahl (nur Ziffern, z. B. 5000).",
        {"value": shorten(value)},
    )


# A constraint (``Field(pattern=…)``, ``ge``, ``le``) comes before the ``BeforeValidator``: Pydantic
# then checks it inside the type's own validator, in Rust, and the JSON Schema carries it as
# ``pattern``/``minimum``/``maximum``. Written after the validator it becomes a Python step per
# value (a tenth of building 100,000 offices from the index) and, for ``ge``/``le``, keywords
# a JSON Schema validator does not know. The validator still runs first.
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
JaNein = Annotated[
    bool,
    BeforeValidator(_ja_nein),
    Field(json_schema_extra={"type": ["boolean", "string"], "enum": [True, False, "Ja", "Nein"]}),
]
MonthText = Annotated[
    str,
    Field(pattern=MONTH_PATTERN, examples=["2020-12"]),
    BeforeValidator(_month),
]
RecordId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"), BeforeValidator(_reference)]
NonEmptyText = Annotated[str, Field(min_length=1)]
FORM_ONE, FORM_SEVERAL = "~eines", "~mehrere"
FORM_TAGS = frozenset({FORM_ONE, FORM_SEVERAL})
"""The tags that choose between the forms of a field (one id or a list); they appear in Pydantic's
error paths but not in the YAML, so error locating drops them."""
MAX_EURO = 1_000_000_000  # no interim round or grant comes near a billion euros
# Every amount in whole euros; a German ``24.000`` is refused with the hint 24000 (qa_cli.numbers).
Euro = Annotated[int, Field(ge=0, le=MAX_EURO), BeforeValidator(euro_field)]
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    """Dates are written ``JJJJ-MM-TT``; Pydantic alone would also read ``0`` as 01.01.1970."""
    if not isinstance(value, str | date) or (
        isinstance(value, str) and not _ISO_DATE.fullmatch(value)
    ):
        raise PydanticCustomError(
            "ungueltiger-wert",
            "„{value}“ ist kein Datum der Form JJJJ-MM-TT (z. B. 2020-09-15).",
            {"value": shorten(value)},
        )
    return value


DateText = Annotated[date, BeforeValidator(_iso_date)]


class Strict(BaseModel):
    """Unknown fields are errors (a typo must not silently drop data); models are immutable.

    A decimal comma YAML split into two keys is joined again before a record reaches its model
    (``numbers.rejoin_decimal_commas_in``), not by a validator of the model: a model validator
    runs on JSON too, and Pydantic then builds every record from the index (already joined)
    through Python objects, 40 % slower."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Quelle(Strict):
    """Where a record's content comes from, so that every figure can be traced."""

    dokument: NonEmptyText = Field(
        title="Dokument", description="Titel des Dokuments oder der Seite."
    )
    stand: str | None = Field(
        default=None, title="Stand", description="Stand der Quelle, z. B. 2020-05."
    )
    fundstelle: str | None = Field(
        default=None,
        title="Fundstelle",
        description="Wo im Dokument, z. B. „Tabelle der Anlaufstellen, Zeile 17“.",
    )
    url: str | None = Field(
        default=None, title="Adresse", description="Internetadresse, falls öffentlich."
    )


class Record(Strict):
    """Fields every record kind has. The id is the file name; ``id`` in the file is optional."""

    id: RecordId | None = Field(
        default=None,
        title="Kennung",
        description="Optional; muss dem Dateinamen (ohne .yaml) entsprechen.",
    )
    quelle: list[Quelle] = Field(
        min_length=1, title="Quellen", description="Mindestens eine Quelle je Datensatz."
    )
    notiz: str | None = Field(default=None, title="Notiz", description="Freier Hinweis.")
