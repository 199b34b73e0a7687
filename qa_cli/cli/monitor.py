"""``qa monitor`` and ``qa profile``: indices per unit, and one unit's Quartiersprofil."""

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
    from qa_cli.domain.monitoring import Monitor
    from qa_cli.render.profile import ProfileView
    from qa_cli.store.dataset import Dataset

YearOption = Annotated[
    int | None,
    typer.Option("--jahr", help="Jahr der Werte; Standard: das neueste.", show_default=False),
]
DivisionOption = Annotated[
    str | None,
    typer.Option(
        "--gliederung",
        help="Eine Gebietsart des Stadt-Datensatzes (z. B. stadtteil); Standard: die des "
        "neuesten Indikatorensatzes.",
        show_default=False,
    ),
]
ThresholdOption = Annotated[
    int | None,
    typer.Option(
        "--mindest-einwohner",
        help="Gebiete mit weniger Einwohnern bleiben außen vor; Standard: `mindesteinwohner` "
        "des Stadt-Datensatzes (ohne Angabe 300 wie im MSS).",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.command("monitor")(monitor)
    app.command("profile")(profile)


def build_monitor(
    dataset: Dataset, year: int | None, division: str | None, threshold: int | None
) -> Monitor:
    from dataclasses import replace

    from qa_cli.city import rules_of
    from qa_cli.domain.monitoring import Monitor

    rules = rules_of(dataset.stadt)
    sets = sorted(dataset.indikatorensaetze.values(), key=lambda s: (s.jahr, s.gliederung))
    if not sets:
        fail("Es gibt keine Indikatorensätze (data/indikatoren/werte/).")
    if division is not None and division not in rules.area_kinds:
        fail(
            f"Gliederung „{division}“ gibt es nicht.",
            hint="Erlaubt: " + ", ".join(rules.area_kinds),
        )
    chosen = division or sets[-1].gliederung
    years = sorted({s.jahr for s in sets if s.gliederung == chosen})
    if not years:
        fail(f"Keine Indikatorensätze für die Gliederung {chosen}.")
    if year is not None and year not in years:
        fail(
            f"Für {year} gibt es keine Werte ({chosen}).",
            hint="Jahre: " + ", ".join(map(str, years)),
        )
    minimum = rules.min_residents if threshold is None else threshold
    latest = Monitor(
        dataset.gebiete, dataset.indikatoren, tuple(sets), years[-1], chosen, minimum, rules
    )
    return replace(latest, year=year or _default_year(latest, years))


def _default_year(monitor: Monitor, years: list[int]) -> int:
    """The newest year in which a status indicator has values, else the newest year."""
    with_status = [y for y in years if monitor.status_indicators(y)]
    return (with_status or years)[-1]


def monitor(
    jahr: YearOption = None,
    gliederung: DivisionOption = None,
    mindest_einwohner: ThresholdOption = None,
    format: FormatOption = "table",
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Quartiersmonitoring: Werte, z-Werte, Status- und Dynamikindex je Gebiet; Bedarf und
    Angebot (Anlaufstellen, Projekte der Verfügungsfonds)."""
    from qa_cli.domain.coverage import offers, projects_elsewhere
    from qa_cli.render.monitor import monitor_report
    from qa_cli.render.tabular import ListFormat, render

    fmt = choose(format, ListFormat, "--format")
    dataset = load_valid(data, rev=rev, stand=stand)
    run = build_monitor(dataset, jahr, gliederung, mindest_einwohner)
    offered = offers(run.units(), dataset.anlaufstellen, dataset.fondsantraege, dataset.gebiete)
    elsewhere = projects_elsewhere(offered, dataset.fondsantraege)
    render(monitor_report(run, run.status(), run.dynamic(), offered, elsewhere), fmt)


def profile(
    gebiet: Annotated[str, typer.Argument(metavar="GEBIET", help="Kennung oder Name des Gebiets.")],
    jahr: YearOption = None,
    mindest_einwohner: ThresholdOption = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="Ausgabeformat: text, md, json.")
    ] = "text",
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Quartiersprofil eines Gebiets: Kennzahlen gegen die Stadt, Verlauf, Rang, Indizes,
    Anlaufstellen mit Förderende, Abdeckung nach Schwerpunkten und Interpretation."""
    import sys

    from qa_cli.render.office_detail import DetailFormat
    from qa_cli.render.profile import write_json, write_markdown, write_text

    fmt = choose(format, DetailFormat, "--format")
    view = profile_view(load_valid(data, rev=rev, stand=stand), gebiet, jahr, mindest_einwohner)
    writers = {
        DetailFormat.text: write_text,
        DetailFormat.md: write_markdown,
        DetailFormat.json: write_json,
    }
    writers[fmt](view, sys.stdout)


def profile_view(
    dataset: Dataset, wanted: str, year: int | None, threshold: int | None
) -> ProfileView:
    """The profile of the unit named ``wanted`` (id or name) with what rendering needs. An area
    of a division without indicator sets still has a profile: its offices and coverage."""
    from qa_cli.city import rules_of
    from qa_cli.domain.profile import build_profile, profile_without_figures
    from qa_cli.render.fonds import profile_projects
    from qa_cli.render.profile import ProfileView

    unit = find_unit(dataset, wanted)
    division = dataset.gebiete[unit].art
    foci = sorted(dataset.schwerpunkte)
    if year is None and not any(
        s.gliederung == division for s in dataset.indikatorensaetze.values()
    ):
        profile = profile_without_figures(unit, dataset.gebiete, dataset.anlaufstellen, foci)
    else:
        run = build_monitor(dataset, year, division, threshold)
        if year is None:
            run = _latest_year_of(run, unit)
        profile = build_profile(run, unit, dataset.anlaufstellen, foci)
    return ProfileView(
        profile,
        dataset.indikatoren,
        {f: s.name for f, s in dataset.schwerpunkte.items()},
        rules_of(dataset.stadt),
        profile_projects(dataset, unit),
    )


def _latest_year_of(run: Monitor, unit: str) -> Monitor:
    """The run for the newest year in which ``unit`` had its boundaries (an area that has been
    replaced by successors is profiled in its last year, not in one it did not exist in)."""
    from dataclasses import replace

    if unit in run.units():
        return run
    years = sorted({s.jahr for s in run.sets if s.gliederung == run.division}, reverse=True)
    held = [y for y in years if unit in run.units(y)]
    return replace(run, year=held[0]) if held else run


def find_unit(dataset: Dataset, wanted: str) -> str:
    import difflib

    if wanted in dataset.gebiete:
        return wanted
    by_name = [
        a for a, area in dataset.gebiete.items() if area.name.casefold() == wanted.casefold()
    ]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        fail(f"„{wanted}“ ist mehrdeutig.", hint="Kennungen: " + ", ".join(sorted(by_name)))
    close = difflib.get_close_matches(wanted, list(dataset.gebiete), n=3, cutoff=0.5)
    fail(
        f"Gebiet „{wanted}“ gibt es nicht.",
        hint=("Meinten Sie: " + ", ".join(close) + "?") if close else None,
    )
