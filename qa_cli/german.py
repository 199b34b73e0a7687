"""German formatting of dates, months, amounts and yes/no, as a German reader expects."""

from __future__ import annotations

import errno
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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


def decimal(value: float, places: int = 1) -> str:
    """``12.25`` → ``12,3``: German decimal comma, dot for thousands, halves rounded up as in
    commercial rounding (Python's own formatting rounds halves to even)."""
    exponent = Decimal(1).scaleb(-places)
    rounded = Decimal(repr(value)).quantize(exponent, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def points(value: float) -> str:
    return f"{decimal(value)} Punkte"


def percent(value: float, places: int = 1) -> str:
    return f"{decimal(value, places)} %"


_OS_ERRORS = {
    errno.ENOENT: "Datei oder Verzeichnis gibt es nicht",
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "nicht erlaubt",
    errno.EISDIR: "ist ein Verzeichnis",
    errno.ENOTDIR: "ein Teil des Pfads ist kein Verzeichnis",
    errno.ENOSPC: "kein Platz mehr auf dem Datenträger",
    errno.EROFS: "der Datenträger ist schreibgeschützt",
    errno.ENXIO: "keine gewöhnliche Datei",
}


def os_error(error: OSError) -> str:
    """The operating system's reason in German (its own text follows the system's locale)."""
    return _OS_ERRORS.get(error.errno or 0, f"Systemfehler {error.errno}")
