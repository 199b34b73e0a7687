"""Month-granular periods, as funding is granted and reported.

A grant "bis 12/20" runs through 31.12.2020: every end is a whole month, and comparisons against a
cut-off date use the month's last day. Records write months as ``2020-12`` (sorts and diffs well);
an end known only to the half-year (``erstes Halbjahr 2021``) is written ``2021-H1`` and kept as
the range of months it may fall in, never narrowed to a guess.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
END_PATTERN = r"^(\d{4}-(0[1-9]|1[0-2])|\d{4}-H[12]|dauerhaft)$"
PERMANENT = "dauerhaft"

_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_HALF_YEAR = re.compile(r"^(\d{4})-H([12])$")
_GERMAN_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True, order=True, slots=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"kein gültiger Monat: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse the record form ``JJJJ-MM`` (``_parse_month``)."""
        return _parse_month(text)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def plus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def months_until(self, other: Month) -> int:
        """How many months from ``self`` to ``other`` (0 if the same month)."""
        return (other.year - self.year) * 12 + other.month - self.month

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def german(self) -> str:
        return f"{self.month:02d}/{self.year:04d}"


@dataclass(frozen=True, slots=True)
class MonthRange:
    """The months an end may fall in; ``first == last`` for an exactly known month."""

    first: Month
    last: Month

    @property
    def exact(self) -> bool:
        return self.first == self.last

    def iso(self) -> str:
        """The record form: ``2020-12`` or ``2021-H1``."""
        if self.exact:
            return str(self.first)
        return f"{self.first.year:04d}-H{1 if self.first.month == 1 else 2}"

    def german(self) -> str:
        if self.exact:
            return self.first.german()
        half = "1. Halbjahr" if self.first.month == 1 else "2. Halbjahr"
        return f"{half} {self.first.year}"


@functools.lru_cache(maxsize=4096)
def _parse_month(text: str) -> Month:
    """Remembered (a ``Month`` is immutable; a failure is not remembered): 100,000 offices
    write a few hundred months, and validating and listing them parses each several times."""
    match = _ISO_MONTH.match(text)
    if not match:
        raise ValueError(f"„{text}“ ist kein Monat der Form JJJJ-MM")
    return Month(int(match[1]), int(match[2]))


@functools.lru_cache(maxsize=4096)
def parse_end(text: str) -> MonthRange | None:
    """Parse a record's end (``2020-12`` or ``2021-H1``); ``None`` for ``dauerhaft``.

    Remembered (the result is immutable): thousands of grants share a few hundred ends, and the
    funding logic asks for each end several times."""
    if text == PERMANENT:
        return None
    half = _HALF_YEAR.match(text)
    if half:
        year, first_month = int(half[1]), 1 if half[2] == "1" else 7
        return MonthRange(Month(year, first_month), Month(year, first_month + 5))
    month = Month.parse(text)
    return MonthRange(month, month)


def parse_cutoff(text: str) -> date:
    """A cut-off as a user types it: a month (``2020-12``, ``12/2020``) means its last day;
    a date (``2020-12-31``, ``31.12.2020``) means itself. Raises ``ValueError`` in German."""
    text = text.strip()
    try:
        if match := _ISO_MONTH.match(text):
            return Month(int(match[1]), int(match[2])).last_day()
        if match := _GERMAN_MONTH.match(text):
            return Month(int(match[2]), int(match[1])).last_day()
        if match := _ISO_DATE.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _GERMAN_DATE.match(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise ValueError(f"„{text}“ ist kein gültiges Datum.") from None
    raise ValueError(
        f"„{text}“ ist weder Monat noch Datum. Erlaubt: 2020-12, 12/2020, 2020-12-31, 31.12.2020."
    )


def parse_day(text: str) -> date:
    """A single day as a user types it (``2020-07-15`` or ``15.07.2020``)."""
    text = text.strip()
    if _ISO_DATE.match(text) or _GERMAN_DATE.match(text):
        return parse_cutoff(text)
    raise ValueError(f"„{text}“ ist kein Datum. Erlaubt: 2020-07-15 oder 15.07.2020.")


def parse_start(text: str) -> date:
    """A start as a user types it: a month (``2020-09``, ``09/2020``) means its first day, a
    date itself. Raises ``ValueError`` in German."""
    cutoff = parse_cutoff(text)
    stripped = text.strip()
    is_month = _ISO_MONTH.match(stripped) or _GERMAN_MONTH.match(stripped)
    return cutoff.replace(day=1) if is_month else cutoff
