"""How one cell value is written for people (table, Markdown) and for scripts (CSV, JSON)."""

from __future__ import annotations

from datetime import date
from typing import Any

from qa_cli import german
from qa_cli.months import Month, MonthRange


def for_people(value: Any) -> str:
    if type(value) is str:  # most cells: a listing of 100,000 rows asks this first
        return value
    if value is None:
        return german.UNKNOWN
    if isinstance(value, bool):
        return german.ja_nein(value)
    if isinstance(value, Month | MonthRange):
        return german.month(value)
    if isinstance(value, date):
        return german.day(value)
    if isinstance(value, int):
        return german.integer(value)
    if isinstance(value, float):
        return german.decimal(value)
    if isinstance(value, list | tuple):
        return ", ".join(for_people(item) for item in value) if value else "–"
    return str(value)


def for_json(value: Any) -> Any:
    if type(value) is str:
        return value
    if isinstance(value, Month):
        return str(value)
    if isinstance(value, MonthRange):
        return value.iso()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [for_json(item) for item in value]
    if isinstance(value, dict):
        return {key: for_json(item) for key, item in value.items()}
    if isinstance(value, float):
        return round(value, 4)
    return value


def for_csv(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return german.ja_nein(value)
    if isinstance(value, list | tuple):
        return "; ".join(for_csv(item) for item in value)
    return str(for_json(value))
