"""German formatting of dates, months, amounts and yes/no, as a German reader expects."""

from __future__ import annotations

from datetime import date

from qa_cli.months import Month, MonthRange

UNKNOWN = "k.A."


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def integer(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def euro(value: int) -> str:
    return f"{integer(value)} €"


def ja_nein(value: bool | None) -> str:
    if value is None:
        return UNKNOWN
    return "Ja" if value else "Nein"


def month(value: Month | MonthRange) -> str:
    return value.german()
