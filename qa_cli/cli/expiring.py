"""``qa expiring``: whose funding runs out by a date or within the next months."""

from __future__ import annotations

import typer

from qa_cli.cli.common import (
    DataOption,
    FormatOption,
    RevOption,
    StandOption,
    choose,
    chosen_revision,
    load_valid,
    today_at,
)
from qa_cli.cli.window import BeforeOption, TodayOption, WithinOption, resolve_window


def register(app: typer.Typer) -> None:
    app.command("expiring")(expiring)


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
    from qa_cli.domain.funding import sorted_expiring
    from qa_cli.months import Month
    from qa_cli.render.offices import expiring_report, expiring_rows
    from qa_cli.render.tabular import ListFormat, render
    from qa_cli.store.kinds import ANLAUFSTELLEN, GEBIETE, STADT
    from qa_cli.store.probes import ends_by

    fmt = choose(format, ListFormat, "--format")
    revision = chosen_revision(data, rev, stand)
    window = resolve_window(before, within, today_at(today, revision))
    bounds = {ANLAUFSTELLEN: ends_by(Month.of(window.end))}  # only offices that may end by then
    dataset = load_valid(
        data,
        needs=(ANLAUFSTELLEN, GEBIETE, STADT),
        revision=revision,
        bounds=bounds,
        streamed=(ANLAUFSTELLEN,),
    )
    found = sorted_expiring(dataset.anlaufstellen, window, expiring_rows(dataset.gebiete))
    render(expiring_report(found), fmt)
