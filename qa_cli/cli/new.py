"""``qa new``: start a record from a template that names and explains every field, instead of
copying an old record together with its values."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from qa_cli.cli.common import DataOption, data_root, fail
from qa_cli.cli.schema import KIND_HELP, kind_argument


def register(app: typer.Typer) -> None:
    app.command("new")(new)


def new(
    kind: Annotated[str, typer.Argument(metavar="ART", help=KIND_HELP, show_default=False)],
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Kennung des neuen Datensatzes, zugleich der Dateiname ohne .yaml.",
            show_default=False,
        ),
    ],
    data: DataOption = None,
) -> None:
    """Neuen Datensatz aus einer Vorlage anlegen: jedes Feld mit Titel und Erklärung,
    Standardwerte eingetragen, Pflichtfelder leer. Überschreibt nie eine vorhandene Datei."""
    import os

    from qa_cli.atomic import WriteError, write_text
    from qa_cli.german import os_error
    from qa_cli.models.base import ID_MAX_LENGTH, is_valid_id, suggest_id
    from qa_cli.schema import file_name, schema_id, template_for
    from qa_cli.store.paths import RECORD_SUFFIX, display_path

    chosen = kind_argument(kind)
    if not is_valid_id(record_id):
        suggestion = suggest_id(record_id)
        fail(
            f"„{record_id}“ ist keine gültige Kennung.",
            hint=f"Kennungen bestehen aus Kleinbuchstaben a–z, Ziffern und „-“ (höchstens "
            f"{ID_MAX_LENGTH} Zeichen)" + (f"; Vorschlag: „{suggestion}“." if suggestion else "."),
        )
    root = data_root(data)
    folder = root / chosen.folder
    name = record_id + RECORD_SUFFIX
    existing = sorted(folder.rglob(name)) if folder.is_dir() else []
    if existing:
        fail(
            f"{display_path(existing[0])} gibt es schon; qa new überschreibt keine Datei.",
            code=1,
            hint="Eine andere Kennung wählen oder die vorhandene Datei bearbeiten.",
        )
    schema_file = root.parent / "schemas" / file_name(chosen)
    if schema_file.is_file():
        schema_ref = Path(os.path.relpath(schema_file, folder)).as_posix()
    else:
        schema_ref = schema_id(chosen)
    target = folder / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # exclusive: never overwrite, even in a race, and a dangling link counts as a file
        write_text(target, template_for(chosen, record_id, schema_ref), exclusive=True)
    except WriteError as error:
        fail(str(error), code=1)
    except OSError as error:
        fail(f"„{display_path(folder)}“ lässt sich nicht anlegen: {os_error(error)}.", code=1)
    sys.stdout.write(f"Angelegt: {display_path(target)}\n")
    if not schema_file.is_file():
        sys.stdout.write(
            f"Hinweis: {display_path(schema_file)} fehlt, die erste Zeile nennt nur die Kennung "
            "des Schemas. Damit der Editor prüft: `qa schema -o schemas` im Wurzelverzeichnis "
            "ausführen (siehe README).\n"
        )
    sys.stdout.write("Felder ausfüllen, dann prüfen: qa validate\n")
