"""Numbers as people in Germany write them: recognised and refused, never reinterpreted.

A German writes twenty-four thousand euros as ``24.000`` or ``24.000,00 €`` and one fifth as
``20,2``. Read as a programming language reads numbers, ``24.000`` becomes 24 and ``20,2`` is no
number at all (in a YAML flow mapping ``{wert: 20,2}`` even splits into two keys). qa stores numbers
one way only, digits with a decimal point, and everything that looks like the German way is an error
whose hint is the number written the right way. Nothing is ever converted silently: ``24.000`` might
be a typo for ``24.0`` just as well, and a budget must not depend on a guess.

Every amount field (via ``euro_field``), every decimal field (via ``decimal_field``) and the command
line (``whole_euros``) use the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic_core import PydanticCustomError

_PLAIN_INTEGER = re.compile(r"-?[0-9]+")
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_UNIT = re.compile(r"(€|eur\b|euro\b|%|,-|,–|\.-)", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DIGIT_GROUPS = re.compile(r"[0-9]{1,3}( [0-9]{3})+")
_GERMAN = re.compile(
    r"(?P<sign>-?)(?P<whole>[0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,(?P<fraction>[0-9]+))?"
)
_ENGLISH_CENTS = re.compile(r"(?P<whole>[0-9]+)\.(?P<fraction>[0-9]{1,2})")


@dataclass(frozen=True, slots=True)
class NumberProblem(Exception):
    """Why a text is not a number qa accepts: a problem code of ``CODES``, the German message and
    the number written the way qa reads it (if there is exactly one)."""

    code: str
    message: str
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class _Reading:
    """A text read the German way: sign, digits before and after the comma, what was around."""

    sign: str
    whole: str
    fraction: str
    grouped: bool  # thousands separators (dots or spaces)
    comma: bool
    unit: bool


def _read_german(text: str) -> _Reading | None:
    stripped = text.strip()
    without_unit = _UNIT.sub("", stripped)
    unit = without_unit != stripped
    compact = without_unit.strip()
    spaced = _DIGIT_GROUPS.fullmatch(compact.lstrip("-")) is not None
    compact = _SPACES.sub("", compact)
    match = _GERMAN.fullmatch(compact)
    if match is None:
        return None
    whole = match["whole"]
    return _Reading(
        sign=match["sign"],
        whole=whole.replace(".", ""),
        fraction=match["fraction"] or "",
        grouped=spaced or "." in whole,
        comma=match["fraction"] is not None,
        unit=unit,
    )


def _decimal_text(reading: _Reading) -> str:
    number = reading.sign + reading.whole
    fraction = reading.fraction.rstrip("0")
    return f"{number}.{fraction}" if fraction else number


def whole_euros(text: str) -> int:
    """``24000`` → 24000; ``24.000``, ``24.000,00``, ``24.000 €``, ``24000,50`` raise a
    ``NumberProblem`` (with the hint ``24000`` where the amount is unambiguous)."""
    stripped = text.strip()
    if _PLAIN_INTEGER.fullmatch(stripped):
        return int(stripped)
    quoted = f"„{text}“"
    cents = _ENGLISH_CENTS.fullmatch(stripped)
    if cents is not None:
        raise _cents_problem(quoted, cents["whole"], cents["fraction"])
    reading = _read_german(stripped)
    if reading is None:
        raise NumberProblem(
            "ungueltiger-wert", f"{quoted} ist kein Betrag in vollen Euro (z. B. 24000)."
        )
    if reading.fraction.strip("0"):
        raise _cents_problem(quoted, reading.whole, reading.fraction)
    amount = reading.sign + reading.whole
    if reading.grouped:
        raise NumberProblem(
            "tausenderpunkt",
            f"{quoted} ist mit Tausendertrennzeichen geschrieben; qa liest Beträge nur als "
            "Ziffern in vollen Euro.",
            amount,
        )
    if reading.comma:
        raise _cents_problem(quoted, reading.whole, reading.fraction)
    raise NumberProblem(
        "einheit-im-wert",
        f"{quoted} enthält eine Einheit; Beträge stehen ohne „€“ in vollen Euro.",
        amount,
    )


def _cents_problem(quoted: str, whole: str, fraction: str) -> NumberProblem:
    exact = not fraction.strip("0")
    return NumberProblem(
        "betrag-mit-cent",
        f"{quoted} hat Nachkommastellen; Beträge stehen in vollen Euro ohne Cent.",
        whole if exact else None,
    )


def decimal_number(text: str) -> float:
    """``20.2`` → 20.2; ``20,2``, ``1.234,5``, ``1.234.567``, ``12 %`` raise a ``NumberProblem``
    with the number written with a decimal point as the hint."""
    stripped = text.strip()
    if _PLAIN_DECIMAL.fullmatch(stripped):
        return float(stripped)
    reject_german_decimal(stripped)
    raise NumberProblem("ungueltiger-wert", f"„{text}“ ist keine Zahl (Dezimalpunkt, z. B. 12.5).")


def reject_german_decimal(text: str) -> None:
    """Raise a ``NumberProblem`` if ``text`` is a number written the German way (``20,2``,
    ``1.234.567``, ``12 %``); anything else is left to the caller."""
    reading = _read_german(text)
    if reading is None or not (reading.comma or reading.grouped or reading.unit):
        return
    quoted = f"„{text.strip()}“"
    hint = _decimal_text(reading)
    if reading.comma:
        raise NumberProblem(
            "dezimalkomma",
            f"{quoted} ist mit Dezimalkomma geschrieben; qa liest Zahlen mit Dezimalpunkt.",
            hint,
        )
    if reading.grouped:
        raise NumberProblem(
            "tausenderpunkt",
            f"{quoted} ist mit Tausendertrennzeichen geschrieben; qa liest Zahlen ohne "
            "Trennzeichen.",
            hint,
        )
    raise NumberProblem(
        "einheit-im-wert",
        f"{quoted} enthält eine Einheit; sie steht beim Feld oder Indikator, nicht im Wert.",
        hint,
    )


def _as_validation_error(problem: NumberProblem) -> PydanticCustomError:
    """The problem as Pydantic reports it; the store turns it into a located problem."""
    return PydanticCustomError(problem.code, problem.message, {"hinweis": problem.hint})


def euro_field(value: Any) -> Any:
    """Before-validator of every amount field (text from the YAML reader). Text that is no number
    at all (``0x1F``, ``yes``) is left to the field's type, which reports the wrong type."""
    return _checked(whole_euros, value)


def decimal_field(value: Any) -> Any:
    """Before-validator of decimal fields (weights, thresholds)."""
    return _checked(decimal_number, value)


def _checked(read: Callable[[str], float], value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return read(value)
    except NumberProblem as problem:
        if problem.code == "ungueltiger-wert":
            return value
        raise _as_validation_error(problem) from None


def german_decimal_check(value: Any) -> Any:
    """Before-validator for fields with their own number rules (an indicator's ``wert`` may also
    be ``k.A.``): refuses only numbers written the German way."""
    if isinstance(value, str):
        try:
            reject_german_decimal(value)
        except NumberProblem as problem:
            raise _as_validation_error(problem) from None
    return value


_DIGITS = re.compile(r"[0-9]+")
_NUMBER_START = re.compile(r"-?[0-9][0-9.]*")


def rejoin_decimal_commas_in(document: Any) -> Any:
    """``rejoin_decimal_commas`` in every mapping of a parsed YAML document (changed in place;
    the top mapping may be a new one)."""
    if isinstance(document, dict):
        document = rejoin_decimal_commas(document)
        for key, value in document.items():
            if isinstance(value, dict | list):
                document[key] = rejoin_decimal_commas_in(value)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            if isinstance(value, dict | list):
                document[index] = rejoin_decimal_commas_in(value)
    return document


def rejoin_decimal_commas(data: Any) -> Any:
    """Undo YAML's split of ``{wert: 20,2}`` into ``{wert: "20", "2": None}``.

    In a flow mapping the comma separates entries, so a decimal comma turns into a second key made
    of digits without a value. Joined back, the field holds ``20,2`` again and its own validator
    reports the decimal comma at the field's line instead of an unknown field „2“."""
    if not isinstance(data, dict) or not any(
        value is None and isinstance(key, str) and _DIGITS.fullmatch(key)
        for key, value in data.items()
    ):
        return data  # nothing split (an optional field's ``null`` is no split number)
    joined: dict[Any, Any] = {}
    previous: Any = None
    for key, value in data.items():
        splits_number = (
            value is None
            and isinstance(key, str)
            and _DIGITS.fullmatch(key)
            and isinstance(joined.get(previous), str)
            and _NUMBER_START.fullmatch(joined[previous])
        )
        if splits_number:
            joined[previous] = f"{joined[previous]},{key}"
            continue
        joined[key] = value
        previous = key
    return joined
