"""``qa report karte``: the offices on a self-contained SVG sketch of the city (HTML)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qa_cli.cli.common import (
    DataOption,
    RevOption,
    StandOption,
    choose,
    chosen_revision,
    fail,
    load_valid,
    today_at,
    write_output,
)

FarbeOption = Annotated[
    str,
    typer.Option(
        "--farbe",
        help="Punkte färben nach schwerpunkt (erster Schwerpunkt) oder ende (Förderung beendet, "
        "endet in 6 Monaten, später, dauerhaft, unbekannt).",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="In diese HTML-Datei schreiben (sonst auf die Standardausgabe); endet sie auf .pdf, "
        "die gedruckte Seite als PDF.",
        show_default=False,
    ),
]
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        help="„Heute“ für --farbe ende festlegen (JJJJ-MM-TT); Standard: das Tagesdatum.",
        show_default=False,
    ),
]
PAGE_ENDINGS = (".html", ".htm", ".pdf")


def register(report_app: typer.Typer) -> None:
    report_app.command("karte")(karte)


def karte(
    output: OutputOption = None,
    farbe: FarbeOption = "schwerpunkt",
    today: TodayOption = None,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Die Anlaufstellen als Punkte auf einer Skizze der Stadt (HTML mit SVG, ohne Kartendienst,
    offline lesbar), mit der Liste daneben."""
    from datetime import date

    from qa_cli.months import parse_day
    from qa_cli.render.karte import Farbe, build_map, render_map

    mode = choose(farbe, Farbe, "--farbe")
    revision = chosen_revision(data, rev, stand)
    today = today_at(today, revision)
    try:
        now = parse_day(today) if today is not None else date.today()
    except ValueError as exc:
        fail(str(exc))
    if output is not None and str(output) != "-" and output.suffix.lower() not in PAGE_ENDINGS:
        fail(
            f"Die Karte ist eine HTML-Seite (oder deren PDF); „{output.name}“ endet weder auf "
            ".html noch auf .pdf."
        )
    dataset = load_valid(data, revision=revision)
    page = render_map(build_map(dataset, mode, now), dataset.state)
    as_pdf = output is not None and output.suffix.lower() == ".pdf"
    write_output(_printed(page) if as_pdf else page, output)


def _printed(page: str) -> bytes:
    """The page as PDF; no Chromium is an error of this machine, not of the call (exit 1)."""
    from qa_cli.render.pdf import PdfError, html_to_pdf

    try:
        return html_to_pdf(page)
    except PdfError as error:
        fail(str(error), code=1)
