"""``qa export …``: the validated data for other tools (GIS, SQL, scripts)."""

from __future__ import annotations

import typer

export_app = typer.Typer(
    help="Die geprüften Daten für andere Werkzeuge: GeoJSON, SQLite, JSON.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
