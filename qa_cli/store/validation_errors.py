"""Translate Pydantic's validation errors into located, German problems.

Pydantic reports ``loc`` paths such as ``('foerderungen', 0, 'ende')``; the YAML reader recorded
the span of every value under the same path, so each error maps back to ``file:line:column``.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from qa_cli.models.base import FORM_TAGS
from qa_cli.store.problems import Problem
from qa_cli.store.source import Document, Source, YamlPath, format_path

_EXPECTED: dict[str, str] = {
    "string_type": "Text",
    "list_type": "eine Liste",
    "dict_type": "eine Zuordnung (Schlüssel: Wert)",
    "model_type": "eine Zuordnung (Schlüssel: Wert)",
    "model_attributes_type": "eine Zuordnung (Schlüssel: Wert)",
    "int_type": "eine ganze Zahl",
    "int_parsing": "eine ganze Zahl",
    "int_from_float": "eine ganze Zahl",
    "float_type": "eine Zahl",
    "float_parsing": "eine Zahl (Dezimalpunkt, z. B. 12.5)",
    "bool_type": "Ja oder Nein",
    "bool_parsing": "Ja oder Nein",
    "date_type": "ein Datum (JJJJ-MM-TT)",
    "date_parsing": "ein Datum (JJJJ-MM-TT)",
    "date_from_datetime_parsing": "ein Datum (JJJJ-MM-TT)",
    "date_from_datetime_inexact": "ein Datum (JJJJ-MM-TT)",
}
_BOUNDS: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("mindestens", "klein"),
    "greater_than": ("mehr als", "klein"),
    "less_than_equal": ("höchstens", "groß"),
    "less_than": ("weniger als", "groß"),
}
_OWN_CODES = frozenset(
    {
        "ungueltiger-wert",
        "ungueltiger-monat",
        "ungueltige-id",
        # German numbers (qa_cli/numbers.py); the number written right is in ctx["hinweis"]
        "tausenderpunkt",
        "dezimalkomma",
        "einheit-im-wert",
        "betrag-mit-cent",
    }
)


def problems_from_validation(
    exc: ValidationError,
    model: type[BaseModel],
    document: Document,
    source: Source,
    record_id: str,
) -> list[Problem]:
    return [_problem(error, model, document, source, record_id) for error in exc.errors()]


def _problem(
    error: ErrorDetails, model: type[BaseModel], document: Document, source: Source, record_id: str
) -> Problem:
    loc = error["loc"]
    unknown_key = error["type"] == "extra_forbidden"  # a user's key, even one named like a tag
    path: YamlPath = tuple(
        part
        for index, part in enumerate(loc)
        if part not in FORM_TAGS or (unknown_key and index == len(loc) - 1)
    )
    field = format_path(path)
    kind = error["type"]
    value = error.get("input")
    code, message, hint = _describe(kind, error, value, field, model, path)
    span = document.span_for(path, prefer_key=kind == "extra_forbidden")
    return source.problem(code, message, span, record_id=record_id, field=field, hint=hint)


def _describe(
    kind: str,
    error: ErrorDetails,
    value: Any,
    field: str,
    model: type[BaseModel],
    path: YamlPath,
) -> tuple[str, str, str | None]:
    """Code, German message and hint for one Pydantic error."""
    if kind == "missing":
        return "pflichtfeld-fehlt", f"Pflichtfeld „{field}“ fehlt.", None
    if kind == "extra_forbidden":
        fields = sorted(_fields_at(model, path[:-1]))
        similar = difflib.get_close_matches(str(path[-1]), fields, n=1)
        tip = f"Meinten Sie „{similar[0]}“?" if similar else "Erlaubte Felder: " + ", ".join(fields)
        return "unbekanntes-feld", f"Unbekanntes Feld „{path[-1]}“.", tip
    if kind in _OWN_CODES:
        return kind, error["msg"], _own_hint(kind, error, value)
    if kind in _EXPECTED:
        if value is None:
            return "pflichtfeld-fehlt", f"Feld „{field}“ ist leer, braucht aber einen Wert.", None
        return (
            "falscher-typ",
            f"Erwartet {_EXPECTED[kind]}, gefunden {_describe_value(value)}.",
            _type_hint(kind, value),
        )
    if kind == "literal_error" and value is None:
        return "pflichtfeld-fehlt", f"Feld „{field}“ ist leer, braucht aber einen Wert.", None
    if kind == "literal_error":
        expected_text = str(error.get("ctx", {}).get("expected", ""))
        options = [part.strip(" '") for part in expected_text.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(value), options, n=1)
        hint = f"Meinten Sie „{close[0]}“?" if close else None
        allowed = ", ".join(options)
        return "ungueltiger-wert", f"„{value}“ ist nicht erlaubt; erlaubt: {allowed}.", hint
    if kind in ("too_short", "string_too_short"):
        return "ungueltiger-wert", f"Feld „{field}“ darf nicht leer sein.", None
    if kind in _BOUNDS:
        word, adjective = _BOUNDS[kind]
        bound = _number_text(next(iter(error.get("ctx", {}).values()), ""))
        return (
            "ungueltiger-wert",
            f"„{value}“ ist zu {adjective}; erlaubt ist {word} {bound}.",
            None,
        )
    if kind == "finite_number":
        return "ungueltiger-wert", f"{_describe_value(value)} ist keine endliche Zahl.", None
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        return "ungueltiger-wert", f"„{value}“ hat nicht die erwartete Form ({pattern}).", None
    return "ungueltiger-wert", f"Ungültiger Wert {_describe_value(value)} ({kind}).", None


def _own_hint(kind: str, error: ErrorDetails, value: Any) -> str | None:
    if kind == "ungueltiger-monat":
        return _month_hint(value)
    written_right = error.get("ctx", {}).get("hinweis")
    return f"Schreibweise für qa: {written_right}" if written_right else None


_GERMAN_MONTH = re.compile(r"^(\d{1,2})/(\d{2}|\d{4})$")


def _month_hint(value: Any) -> str | None:
    """``12/2020`` or ``12/20`` as the table writes it → suggest ``2020-12``."""
    match = _GERMAN_MONTH.match(str(value).strip())
    if not match or not 1 <= int(match[1]) <= 12:
        return "Monate als JJJJ-MM schreiben, z. B. 2020-12."
    year = match[2] if len(match[2]) == 4 else f"20{match[2]}"
    return f"Meinten Sie „{year}-{int(match[1]):02d}“?"


def _number_text(value: Any) -> str:
    """``90.0`` → ``90``, ``12.5`` → ``12,5``: a bound as a German reader writes it."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    return str(value)


def _describe_value(value: Any) -> str:
    if isinstance(value, dict):
        return "eine Zuordnung"
    if isinstance(value, list):
        return "eine Liste"
    text = str(value)
    return f"„{text[:60]}…“" if len(text) > 60 else f"„{text}“"


def _type_hint(kind: str, value: Any) -> str | None:
    if kind == "list_type" and isinstance(value, str):
        return f"Als Liste schreiben, z. B. `[{value}]` oder mit „- “ je Eintrag."
    if kind == "bool_parsing":
        return "Ja oder Nein schreiben."
    return None


def _fields_at(model: type[BaseModel], path: YamlPath) -> set[str]:
    """The field names allowed at ``path`` inside ``model`` (following nested models)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return set()
        info = current.model_fields.get(part)
        if info is None:
            return set()
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return set()


def _inner_model(annotation: Any) -> Any:
    """Unwrap ``X | None``, ``list[X]`` and ``Annotated[X, …]`` down to a model class."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation
