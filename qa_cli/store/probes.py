"""Small facts the index keeps beside each record's JSON, so a query can pick the records it may
need in SQL and build only those (``qa expiring`` at 100,000 offices builds the few whose funding
can end in the window, not all).

A probe never decides an answer: it only leaves out records the command would drop anyway, and
the command's own logic (``domain``) decides among the rest. So each probe must be a safe bound,
which ``tests/test_probes.py`` checks against the domain on random records.
"""

from __future__ import annotations

from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.base import Record
from qa_cli.months import Month, parse_end

ALWAYS = "0000-00"
"""The probe of an office whose end is unknown: listed in every window."""
NEVER = "9999-99"
"""The probe of permanently funded offices: never listed."""


def end_probe(office: Anlaufstelle) -> str:
    """The earliest month in which the office's funding can end, as ``JJJJ-MM``: the earliest
    first month of any granted end. The end a report shows (the latest granted end) can only
    begin later, so an office whose probe lies after a window's last month cannot end in it."""
    granted = [grant for grant in office.foerderungen if grant.status == "bewilligt"]
    periods = [parse_end(grant.ende) for grant in granted if grant.ende is not None]
    if any(period is None for period in periods):
        return NEVER
    if not granted or len(periods) < len(granted):
        return ALWAYS
    return str(min(period.first for period in periods if period is not None))


def probe_of(record: Record) -> str | None:
    """The probe of a record of any kind (``None``: its kind has none)."""
    return end_probe(record) if isinstance(record, Anlaufstelle) else None


def ends_by(month: Month) -> str:
    """The bound for offices whose funding may end in or before ``month``."""
    return str(month)
