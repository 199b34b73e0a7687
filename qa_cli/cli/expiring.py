"""``qa expiring``: whose funding runs out by a date or within the next months."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import (
    DataOption,
    FormatOption,
    RevOption,
    StandOption,
    choose,
    chosen_revision,
    fail,
    load_valid,
    today_at,
)

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


def register(app: typer.Typer) -> None:
    app.command("expiring")(expiring)


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


def expiring(
    before: BeforeOption = None,
    within: WithinOption = None,
    today: TodayOption = None,
    format: FormatOption = "table",
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Anlaufstellen, deren Förderung ausläuft, sortiert nach Ende.

    Ohne --before und --within: die nächsten 6 Monate ab heute.
    """
    from qa_cli.domain.funding import find_expiring
    from qa_cli.months import Month
    from qa_cli.render.offices import expiring_report
    from qa_cli.render.tabular import ListFormat, render
    from qa_cli.store.kinds import ANLAUFSTELLEN, GEBIETE, STADT
    from qa_cli.store.probes import ends_by

    fmt = choose(format, ListFormat, "--format")
    revision = chosen_revision(data, rev, stand)
    window = resolve_window(before, within, today_at(today, revision))
    bounds = {ANLAUFSTELLEN: ends_by(Month.of(window.end))}  # only offices that may end by then
    dataset = load_valid(
        data, needs=(ANLAUFSTELLEN, GEBIETE, STADT), revision=revision, bounds=bounds
    )
    render(expiring_report(find_expiring(dataset.anlaufstellen, window), dataset.gebiete), fmt)
