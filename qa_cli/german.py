"""German formatting of dates, months, amounts and yes/no, as a German reader expects."""

from __future__ import annotations

import errno
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

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
    with localcontext() as context:
        context.prec = 400  # every digit of the largest float (1.8e308), not the default 28
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
    errno.EFBIG: "die Datei wird größer, als erlaubt ist (Dateigrößengrenze)",
    errno.EDQUOT: "das Speicherkontingent (Quota) ist erschöpft",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers",
    errno.ENAMETOOLONG: "der Name ist zu lang",
    errno.ELOOP: "zu viele symbolische Links im Pfad",
    errno.EEXIST: "gibt es schon",
    errno.EBUSY: "das Gerät oder die Datei ist belegt",
    errno.ETXTBSY: "die Datei wird gerade ausgeführt",
    errno.EXDEV: "liegt auf einem anderen Datenträger",
    errno.EMFILE: "zu viele offene Dateien",
    errno.ENOMEM: "kein Arbeitsspeicher mehr",
    errno.EINVAL: "ungültiges Argument für das Betriebssystem",
    errno.ENOTEMPTY: "das Verzeichnis ist nicht leer",
    errno.EPIPE: "der Empfänger der Ausgabe ist beendet",
}


def os_error(error: OSError) -> str:
    """The operating system's reason in German (its own text follows the system's locale);
    an unlisted one by its symbolic name (``EFOO``), which can be looked up."""
    number = error.errno or 0
    if number in _OS_ERRORS:
        return _OS_ERRORS[number]
    name = errno.errorcode.get(number)
    return f"Fehler des Betriebssystems {name or number}"
