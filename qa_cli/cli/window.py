"""The time window of the commands that ask "whose funding runs out when" (``qa expiring``,
``qa gaps``, ``qa fonds``, ``qa diff``): the same options and the same reading of them, in one
place that none of those commands owns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import fail

if TYPE_CHECKING:
    from qa_cli.domain.funding import Window

BeforeOption = Annotated[
    str | None,
    typer.Option(
        "--before",
        help="Förderungen, die in oder vor diesem Monat enden: 2020-12, 12/2020; "
        "oder bis zu einem Tag: 2020-12-31, 31.12.2020.",
        show_default=False,
    ),
]
WithinOption = Annotated[
    int | None,
    typer.Option(
        "--within",
        help="Stattdessen: Förderungen, die ab diesem Monat in den nächsten N Monaten enden.",
        show_default=False,
    ),
]
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        help="„Heute“ festlegen (JJJJ-MM-TT); Standard: das Tagesdatum.",
        show_default=False,
    ),
]
DEFAULT_MONTHS = 6


def resolve_window(before: str | None, within: int | None, today: str | None) -> Window:
    """The window the options describe; a German usage error (exit 2) if they do not fit."""
    from datetime import date

    from qa_cli.domain.funding import window_before, window_within
    from qa_cli.months import parse_cutoff, parse_day

    if before is not None and within is not None:
        fail("--before und --within schließen sich aus; bitte nur eines angeben.")
    if within is not None and not 0 <= within <= 600:
        fail(f"--within {within}: erlaubt sind 0 bis 600 Monate.")
    try:
        now = parse_day(today) if today is not None else date.today()
        if before is not None:
            return window_before(parse_cutoff(before))
        return window_within(now, DEFAULT_MONTHS if within is None else within)
    except ValueError as exc:
        fail(str(exc))
