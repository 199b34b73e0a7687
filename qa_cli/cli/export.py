"""``qa export …``: the validated data for other tools (GIS, SQL, scripts)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from qa_cli.cli.common import DataOption, RevOption, StandOption, fail, load_valid, write_output

export_app = typer.Typer(
    help="Die geprüften Daten für andere Werkzeuge: GeoJSON, SQLite, JSON.",
    no_args_is_help=True,
)

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="In diese Datei schreiben (sonst auf die Standardausgabe).",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


def _write_json(document: Any, output: Path | None) -> None:
    from qa_cli.render.json_document import json_text

    write_output(json_text(document), output)


@export_app.command("geojson")
def geojson(
    output: OutputOption = None,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Die Anlaufstellen als GeoJSON-FeatureCollection (WGS84, [Länge, Breite]) für QGIS, uMap
    oder die Webkarte der Stadt.

    Punkt = eigener Standort (lage_genauigkeit „adresse“) oder, ungefähr, die Lage des Gebiets
    („gebiet“). Anlaufstellen ohne beides stehen unter „nicht_verortet“.
    """
    from qa_cli.render.geojson import feature_collection, summary

    collection = feature_collection(load_valid(data, rev=rev, stand=stand))
    _write_json(collection, output)
    sys.stderr.write(summary(collection) + "\n")


@export_app.command("json")
def json_export(
    output: OutputOption = None,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Alle geprüften Datensätze als ein JSON-Dokument: {"meta": …, "daten": {Ordner: {Kennung:
    Datensatz}}}."""
    from qa_cli.render.dataset_json import dataset_document

    _write_json(dataset_document(load_valid(data, rev=rev, stand=stand)), output)


@export_app.command("sqlite")
def sqlite(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="DATEI",
            help="Die SQLite-Datei, z. B. qa.sqlite; „-“: die Standardausgabe.",
            show_default=False,
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Eine vorhandene Datei ersetzen.")] = False,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Alle geprüften Datensätze als SQLite-Datenbank mit Fremdschlüsseln, für SQL oder
    Datasette. Überschreibt keine vorhandene Datei ohne --force."""
    from qa_cli.atomic import WriteError, is_stdout
    from qa_cli.german import os_error
    from qa_cli.render.sqlite_export import ExportError, write_sqlite

    dataset = load_valid(data, rev=rev, stand=stand)
    try:
        write_sqlite(dataset, file, force=force)
    except (ExportError, WriteError) as error:
        fail(str(error), code=1)
    except OSError as error:
        fail(f"„{file}“ lässt sich nicht schreiben: {os_error(error)}.", code=1)
    if not is_stdout(file):
        sys.stderr.write(f"Geschrieben: {file}\n")
