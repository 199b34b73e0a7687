"""``qa gaps``: Förderlücken between a grant's end and the follow-on grant."""

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
    app.command("gaps")(gaps)


def gaps(
    before: BeforeOption = None,
    within: WithinOption = None,
    today: TodayOption = None,
    format: FormatOption = "table",
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Förderlücken: Monate zwischen Förderende und Anschlussförderung, mit Interimsanträgen.

    Zeitraum wie bei `qa expiring`; ohne --before und --within: die nächsten 6 Monate.
    """
    from qa_cli.domain.gaps import find_gaps
    from qa_cli.render.gaps import gaps_report
    from qa_cli.render.tabular import ListFormat, render

    fmt = choose(format, ListFormat, "--format")
    revision = chosen_revision(data, rev, stand)
    window = resolve_window(before, within, today_at(today, revision))
    from qa_cli.store.kinds import ANLAUFSTELLEN, ANTRAEGE

    dataset = load_valid(data, needs=(ANLAUFSTELLEN, ANTRAEGE), revision=revision)
    render(gaps_report(find_gaps(dataset.anlaufstellen, dataset.antraege, window), window), fmt)
