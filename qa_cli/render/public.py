"""The public list of offices, as the city's web page shows it ("Liste der Anlaufstellen")."""

from __future__ import annotations

from qa_cli.render.offices import office_row
from qa_cli.render.report import Column, Report, Section
from qa_cli.store.dataset import Dataset

PUBLIC_COLUMNS = [
    Column("name", "Anlaufstelle"),
    Column("traeger", "Träger"),
    Column("gebiet", "Stadtteil/Quartier"),
    Column("ausrichtung", "Ausrichtung"),
    Column("schwerpunkte", "Schwerpunkte"),
    Column("kooperationspartner", "Kooperationspartner"),
    Column("laufzeit", "Gefördert bis"),
    Column("hinweise", "Hinweise"),
    Column("id", "Kennung", people=False),
]


def public_list(dataset: Dataset) -> Report:
    """Every office by area and name; internal fields (co-funding, notes) stay out, but a
    provisional end („vorerst“) and extensions in preparation are shown as such."""
    focus_names = {f: s.name for f, s in dataset.schwerpunkte.items()}
    rows = []
    for office_id, office in dataset.anlaufstellen.items():
        row = office_row(office_id, office, dataset.gebiete)
        row["schwerpunkte"] = [focus_names.get(f, f) for f in office.schwerpunkte or []]
        rows.append(row)
    rows.sort(key=lambda r: (str(r["gebiet"]).casefold(), str(r["name"]).casefold()))
    return Report(
        title="Anlaufstellen der Quartiersarbeit",
        description=[f"{len(rows)} Anlaufstellen, nach Stadtteil bzw. Quartier geordnet."],
        sections=[Section("anlaufstellen", "Anlaufstellen", PUBLIC_COLUMNS, rows)],
    )
