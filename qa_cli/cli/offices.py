"""``qa list`` and ``qa show``: the offices, filtered, and one office in full."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import (
    DataOption,
    FormatOption,
    RevOption,
    StandOption,
    choose,
    fail,
    load_valid,
)

if TYPE_CHECKING:
    from qa_cli.models.gebiet import Gebiet


def register(app: typer.Typer) -> None:
    app.command("list")(list_offices)
    app.command("show")(show)


def list_offices(
    stadtteil: Annotated[
        list[str] | None,
        typer.Option(
            "--stadtteil",
            help="Gebiet (Kennung oder Name, genau), einschließlich der Gebiete darunter. "
            "Mehrfach angeben = oder.",
            show_default=False,
        ),
    ] = None,
    traeger: Annotated[
        list[str] | None,
        typer.Option("--traeger", help="Träger enthält diesen Text.", show_default=False),
    ] = None,
    foerderzugang: Annotated[
        list[str] | None,
        typer.Option(
            "--foerderzugang", help="Förderprogramm enthält diesen Text.", show_default=False
        ),
    ] = None,
    ausrichtung: Annotated[
        list[str] | None,
        typer.Option("--ausrichtung", help="Ausrichtung enthält diesen Text.", show_default=False),
    ] = None,
    format: FormatOption = "table",
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Anlaufstellen auflisten, wahlweise gefiltert (Großschreibung egal)."""
    from qa_cli.domain.offices import OfficeFilter, filter_offices
    from qa_cli.render.offices import office_list_report
    from qa_cli.render.tabular import ListFormat, render

    fmt = choose(format, ListFormat, "--format")
    selection = OfficeFilter(
        stadtteil=stadtteil or [],
        traeger=traeger or [],
        foerderzugang=foerderzugang or [],
        ausrichtung=ausrichtung or [],
    )
    from qa_cli.store.kinds import ANLAUFSTELLEN, GEBIETE

    dataset = load_valid(
        data, needs=(ANLAUFSTELLEN, GEBIETE), rev=rev, stand=stand, streamed=(ANLAUFSTELLEN,)
    )
    if selection.stadtteil:
        _require_known_areas(selection.stadtteil, dataset.gebiete)
    offices = filter_offices(dataset.anlaufstellen, dataset.gebiete, selection)
    filters = [
        f"{label} = {', '.join(values)}"
        for label, values in (
            ("Stadtteil", selection.stadtteil),
            ("Träger", selection.traeger),
            ("Förderzugang", selection.foerderzugang),
            ("Ausrichtung", selection.ausrichtung),
        )
        if values
    ]
    render(office_list_report(offices, dataset.gebiete, filters), fmt)


def _require_known_areas(wanted: list[str], areas: dict[str, Gebiet]) -> None:
    """An unknown area is a typo more often than an empty result: say so."""
    import difflib

    from qa_cli.domain.offices import matching_areas, named_areas

    for name in wanted:
        named = named_areas(areas, name)
        if len(named) > 1:
            fail(f"„{name}“ ist mehrdeutig.", hint="Kennungen: " + ", ".join(named))
        if not matching_areas(areas, [name]):
            names = sorted({area.name for area in areas.values()})
            close = difflib.get_close_matches(name, names + sorted(areas), n=1, cutoff=0.5)
            fail(
                f"Gebiet „{name}“ gibt es nicht.",
                hint=f"Meinten Sie „{close[0]}“?" if close else "Gebiete: " + ", ".join(names),
            )


def show(
    office_id: Annotated[str, typer.Argument(metavar="ID", help="Kennung der Anlaufstelle.")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="Ausgabeformat: text, json, md.")
    ] = "text",
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Eine Anlaufstelle mit allen Angaben, Förderungen und Quellen zeigen."""
    import difflib
    import sys

    from qa_cli.city import rules_of
    from qa_cli.render.office_detail import WRITERS, Context, DetailFormat
    from qa_cli.store.kinds import ANLAUFSTELLEN, GEBIETE, STADT

    fmt = choose(format, DetailFormat, "--format")
    dataset = load_valid(data, needs=(ANLAUFSTELLEN, GEBIETE, STADT), rev=rev, stand=stand)
    office = dataset.anlaufstellen.get(office_id)
    if office is None:
        close = difflib.get_close_matches(office_id, list(dataset.anlaufstellen), n=3, cutoff=0.5)
        fail(
            f"Anlaufstelle „{office_id}“ gibt es nicht.",
            hint=("Meinten Sie: " + ", ".join(close) + "?")
            if close
            else "`qa list` zeigt alle Kennungen.",
        )
    path = dataset.file_of(ANLAUFSTELLEN, office_id).display
    context = Context(dataset.gebiete, rules_of(dataset.stadt))
    WRITERS[fmt](office_id, office, context, path, sys.stdout)
