"""Förderlücken: the months between the end of an office's funding and its follow-on grant.

The follow-on is the earliest later grant of the office (granted, applied for or in preparation);
if the office's record names none with a start, the newest interim request's Konzeptpapier may
name the expected start of the follow-on funding. An interim request covers the gap fully when its
period spans every gap month, partly when it spans some.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from qa_cli.domain.funding import EndKind, FundingEnd, Window, funding_end, in_window
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.antrag import Antrag
from qa_cli.months import Month

Coverage = Literal["voll", "teilweise", "nicht"]


@dataclass(frozen=True, slots=True)
class FollowUp:
    programme: str | None
    start: Month | None
    status: str
    source: Literal["anlaufstelle", "antrag"]
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class Bridge:
    request_id: str
    period: tuple[Month, Month]
    coverage: Coverage
    decision: str
    example: bool


@dataclass(frozen=True, slots=True)
class Gap:
    office_id: str
    office: Anlaufstelle
    end: FundingEnd
    follow_up: FollowUp | None
    first_gap_month: Month | None
    months: int | None  # None: unknown (no follow-on, or its start is unknown)
    bridges: tuple[Bridge, ...]


def _follow_up_from_office(office: Anlaufstelle, end: Month) -> FollowUp | None:
    later = [
        g
        for g in office.foerderungen
        if g.status in ("bewilligt", "beantragt", "in_vorbereitung")
        and (g.beginn is None or Month.parse(g.beginn) > end)
        and not (g.status == "bewilligt" and g.beginn is None)
    ]
    if not later:
        return None
    dated = [g for g in later if g.beginn is not None]
    grant = min(dated, key=lambda g: Month.parse(g.beginn or "")) if dated else later[0]
    start = Month.parse(grant.beginn) if grant.beginn else None
    return FollowUp(grant.programm, start, grant.status, "anlaufstelle")


def _follow_up_from_requests(requests: list[tuple[str, Antrag]]) -> FollowUp | None:
    for request_id, request in sorted(
        requests, key=lambda item: (item[1].eingang, item[0]), reverse=True
    ):
        follow = request.konzeptpapier.anschlussfoerderung
        if follow is not None:
            start = Month.parse(follow.beginn_erwartet) if follow.beginn_erwartet else None
            return FollowUp(follow.programm, start, "beantragt", "antrag", request_id)
    return None


def _coverage(request: Antrag, first: Month | None, months: int | None) -> Coverage:
    begin, end = Month.parse(request.zeitraum.beginn), Month.parse(request.zeitraum.ende)
    if first is None:
        return "nicht"
    last = first.plus(months - 1) if months else first
    if months is None:
        return "teilweise" if begin <= first <= end else "nicht"
    if begin <= first and end >= last:
        return "voll"
    return "teilweise" if begin <= last and end >= first else "nicht"


def find_gaps(
    offices: Mapping[str, Anlaufstelle], requests: Mapping[str, Antrag], window: Window
) -> list[Gap]:
    """Every office whose funding ends within ``window``, with its gap and bridging requests."""
    by_office: dict[str, list[tuple[str, Antrag]]] = {}
    for request_id, request in requests.items():
        by_office.setdefault(request.anlaufstelle, []).append((request_id, request))
    gaps = []
    for office_id, office in offices.items():
        end = funding_end(office)
        if (
            end.kind is not EndKind.LIMITED
            or end.period is None
            or not in_window(end.period, window, surely=True)
        ):
            continue
        own = by_office.get(office_id, [])
        last = end.period.last
        follow = _follow_up_from_office(office, last) or _follow_up_from_requests(own)
        first_gap = last.plus(1)
        months = None
        if follow is not None and follow.start is not None:
            months = max(0, last.months_until(follow.start) - 1)
        bridges = tuple(
            Bridge(
                rid,
                (Month.parse(req.zeitraum.beginn), Month.parse(req.zeitraum.ende)),
                _coverage(req, first_gap, months),
                req.entscheidung.status,
                req.beispiel,
            )
            for rid, req in sorted(own)
        )
        gaps.append(Gap(office_id, office, end, follow, first_gap, months, bridges))
    return sorted(
        gaps, key=lambda g: (g.first_gap_month or Month(9999, 12), g.office.name, g.office_id)
    )
