"""``qa expiring``: whose funding runs out by a date or within the next months."""

from __future__ import annotations

from typing import Annotated

import typer

from qa_cli.cli.common import DataOption, FormatOption, choose, fail, load_valid


def register(app: typer.Typer) -> None:
    app.command("expiring")(expiring)


def expiring(
    before: Annotated[
        str | None,
        typer.Option(
            "--before",
            help="Förderungen, die in oder vor diesem Monat enden: 2020-12, 12/2020; "
            "oder bis zu einem Tag: 2020-12-31, 31.12.2020.",
            show_default=False,
        ),
    ] = None,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            help="Stattdessen: Förderungen, die ab diesem Monat in den nächsten N Monaten enden.",
            show_default=False,
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="„Heute“ festlegen (JJJJ-MM-TT); Standard: das Tagesdatum.",
            show_default=False,
        ),
    ] = None,
    format: FormatOption = "table",
    data: DataOption = None,
) -> None:
    """Anlaufstellen, deren Förderung ausläuft, sortiert nach Ende.

    Ohne --before und --within: die nächsten 6 Monate ab heute.
    """
    from datetime import date

    from qa_cli.domain.funding import find_expiring, window_before, window_within
    from qa_cli.months import parse_cutoff, parse_day
    from qa_cli.render.offices import expiring_report
    from qa_cli.render.tabular import ListFormat, render

    fmt = choose(format, ListFormat, "--format")
    if before is not None and within is not None:
        fail("--before und --within schließen sich aus; bitte nur eines angeben.")
    if within is not None and not 0 <= within <= 600:
        fail(f"--within {within}: erlaubt sind 0 bis 600 Monate.")
    try:
        now = parse_day(today) if today is not None else date.today()
        window = (
            window_before(parse_cutoff(before))
            if before is not None
            else window_within(now, 6 if within is None else within)
        )
    except ValueError as exc:
        fail(str(exc))
    dataset = load_valid(data)
    render(expiring_report(find_expiring(dataset.anlaufstellen, window), dataset.gebiete), fmt)
