"""When does an office's funding end, and whose funding ends within a window?

The end of an office's funding is the latest end among its granted (``bewilligt``) grants; gaps
between grants (Förderlücken) are a separate question. Planned or applied-for grants
(``in_vorbereitung``, ``beantragt``) do not extend it; they are
reported beside it as the follow-on in preparation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Generic, TypeVar

from qa_cli.models.anlaufstelle import Anlaufstelle, Foerderung
from qa_cli.months import Month, MonthRange, parse_end

T = TypeVar("T")
EndOrder = tuple[Month, Month, str, str]
NameOrder = tuple[str, str]
Order = TypeVar("Order", EndOrder, NameOrder)


class EndKind(Enum):
    LIMITED = "befristet"
    PERMANENT = "dauerhaft"
    UNKNOWN = "unbekannt"


@dataclass(frozen=True, slots=True)
class FundingEnd:
    kind: EndKind
    period: MonthRange | None = None
    grant: Foerderung | None = None
    follow_ups: tuple[Foerderung, ...] = ()

    @property
    def provisional(self) -> bool:
        return self.grant is not None and self.grant.vorlaeufig


FOLLOW_UP_STATUSES = frozenset({"beantragt", "in_vorbereitung"})


def funding_end(office: Anlaufstelle) -> FundingEnd:
    follow_ups = tuple(g for g in office.foerderungen if g.status in FOLLOW_UP_STATUSES)
    granted = [g for g in office.foerderungen if g.status == "bewilligt"]
    if any(g.ende is not None and parse_end(g.ende) is None for g in granted):
        return FundingEnd(EndKind.PERMANENT, follow_ups=follow_ups)
    if not granted or any(g.ende is None for g in granted):
        return FundingEnd(EndKind.UNKNOWN, follow_ups=follow_ups)
    last = max(granted, key=_last_month)
    period = parse_end(last.ende) if last.ende else None
    return FundingEnd(EndKind.LIMITED, period, last, follow_ups)


def covers(grant: Foerderung, month: Month) -> bool:
    """Does a grant fund ``month``? A grant without a start is taken to run up to its end; one
    whose end is known only to the half-year counts for every month it may still run."""
    if grant.beginn is not None and Month.parse(grant.beginn) > month:
        return False
    if grant.ende is None:
        return grant.beginn is not None
    period = parse_end(grant.ende)
    return period is None or month <= period.last


def running_grants(office: Anlaufstelle, month: Month) -> list[Foerderung]:
    """The granted grants that fund the office in ``month`` (several when they overlap)."""
    return [g for g in office.foerderungen if g.status == "bewilligt" and covers(g, month)]


def shown_grants(office: Anlaufstelle, end: FundingEnd) -> list[Foerderung]:
    """The granted grants behind the end an overview shows: those still running in its last
    month; the permanent ones; for an unknown end, those without an end."""
    if end.kind is EndKind.LIMITED and end.period is not None:
        return running_grants(office, end.period.last)
    granted = [g for g in office.foerderungen if g.status == "bewilligt"]
    if end.kind is EndKind.PERMANENT:
        return [g for g in granted if g.ende is not None and parse_end(g.ende) is None]
    return [g for g in granted if g.ende is None]


def programmes_of(grants: Iterable[Foerderung]) -> list[str] | None:
    """The distinct programmes of ``grants`` in order; ``None`` when none names one (unknown)."""
    seen: list[str] = []
    for grant in grants:
        if grant.programm and grant.programm not in seen:
            seen.append(grant.programm)
    return seen or None


def _last_month(grant: Foerderung) -> Month:
    period = parse_end(grant.ende) if grant.ende else None
    assert period is not None
    return period.last


@dataclass(frozen=True, slots=True)
class Window:
    """Ends to look for: from ``start`` (or any time) through ``end``, both inclusive."""

    end: date
    start: date | None = None
    today: date | None = None
    months: int | None = None


def window_before(cutoff: date) -> Window:
    return Window(end=cutoff)


def window_within(today: date, months: int) -> Window:
    """From the first day of this month through the last day of the month ``months`` ahead."""
    this_month = Month.of(today)
    return Window(
        end=this_month.plus(months).last_day(),
        start=this_month.first_day(),
        today=today,
        months=months,
    )


def in_window(period: MonthRange, window: Window, *, surely: bool = False) -> bool:
    """Does an end in ``period`` fall in the window? ``surely``: for every month it may be."""
    first, last = period.first.last_day(), period.last.last_day()
    if window.start is not None and last < window.start:
        return False
    return (last if surely else first) <= window.end


@dataclass(frozen=True, slots=True)
class Expiring:
    office_id: str
    office: Anlaufstelle
    end: FundingEnd


@dataclass(frozen=True, slots=True)
class ExpiringReport(Generic[T]):
    window: Window
    ending: list[T]
    possibly_ending: list[T]
    unknown: list[T]


def find_expiring(offices: Mapping[str, Anlaufstelle], window: Window) -> ExpiringReport[Expiring]:
    """Sort every office with an end into: surely ends in the window, may end in it (its end is
    only known to the half-year), or end unknown. Permanent funding never appears."""
    return sorted_expiring(offices, window, lambda entry: entry)


def sorted_expiring(
    offices: Mapping[str, Anlaufstelle], window: Window, keep: Callable[[Expiring], T]
) -> ExpiringReport[T]:
    """``find_expiring`` with each entry kept as ``keep`` makes it (a row of a listing), so no
    office need outlive the walk over 100,000 of them (``store.stored``). Sorted by end, then
    name; the unknown ends by name."""
    ending: list[tuple[EndOrder, T]] = []
    possibly: list[tuple[EndOrder, T]] = []
    unknown: list[tuple[NameOrder, T]] = []
    for office_id, office in offices.items():
        end = funding_end(office)
        entry = Expiring(office_id, office, end)
        if end.kind is EndKind.UNKNOWN:
            unknown.append(((office.name.casefold(), office_id), keep(entry)))
        elif end.kind is EndKind.LIMITED and end.period is not None:
            order = (end.period.last, end.period.first, office.name, office_id)
            if in_window(end.period, window, surely=True):
                ending.append((order, keep(entry)))
            elif in_window(end.period, window):
                possibly.append((order, keep(entry)))
    return ExpiringReport(window, _in_order(ending), _in_order(possibly), _in_order(unknown))


def _in_order(entries: list[tuple[Order, T]]) -> list[T]:
    entries.sort(key=lambda entry: entry[0])
    return [kept for _, kept in entries]
