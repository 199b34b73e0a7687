"""``qa schema``: the JSON Schema of the record kinds, for editors that check YAML while typing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qa_cli.cli.common import fail

if TYPE_CHECKING:
    from qa_cli.store.kinds import Kind

KIND_HELP = (
    "Datensatzart: Ordner unter data/ (anlaufstellen, indikatoren/katalog …) oder Name der Art "
    "(Anlaufstelle, Indikator …)."
)


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)


def kind_argument(text: str) -> Kind:
    """The kind a user named by folder (``indikatoren/katalog`` or ``indikatoren-katalog``) or by
    German label (``Anlaufstelle``, ``Anlaufstellen``), in any case; else a usage error."""
    import difflib

    from qa_cli.schema import file_stem
    from qa_cli.store.kinds import KINDS

    names = {
        name.casefold(): kind
        for kind in KINDS
        for name in (kind.folder, file_stem(kind), kind.label, kind.label_plural)
    }
    wanted = text.strip().casefold()
    if wanted in names:
        return names[wanted]
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    folders = ", ".join(kind.folder for kind in KINDS)
    fail(
        f"Unbekannte Datensatzart „{text}“.",
        hint=f"Meinten Sie „{names[close[0]].folder}“?" if close else f"Arten: {folders}.",
    )


def schema(
    kind: Annotated[
        str | None,
        typer.Argument(metavar="ART", help=KIND_HELP + " Ohne: alle Arten.", show_default=False),
    ] = None,
    ausgabe: Annotated[
        Path | None,
        typer.Option(
            "--ausgabe",
            "-o",
            help="Verzeichnis: je Art eine Datei ORDNER.schema.json schreiben "
            "(indikatoren/katalog → indikatoren-katalog.schema.json) statt auszugeben.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """JSON Schema der Datensätze ausgeben, damit ein Editor (VS Code mit der YAML-Erweiterung)
    sie beim Tippen prüft und ergänzt. Ohne Art: ein Objekt Ordner → Schema."""
    from qa_cli.schema import schema_for, schema_text
    from qa_cli.store.kinds import KINDS

    kinds = KINDS if kind is None else (kind_argument(kind),)
    if ausgabe is not None and str(ausgabe) != "-":
        _write_schemas(ausgabe, kinds)
    elif kind is None:
        sys.stdout.write(schema_text({each.folder: schema_for(each) for each in kinds}))
    else:
        sys.stdout.write(schema_text(schema_for(kinds[0])))


def _write_schemas(folder: Path, kinds: tuple[Kind, ...]) -> None:
    """One file per kind into ``folder``, each whole or not at all; a link (the folder itself,
    or a file in it, as a repository may commit one) is replaced or refused, never followed."""
    from qa_cli.atomic import WriteError, write_text
    from qa_cli.german import os_error
    from qa_cli.schema import file_name, schema_for, schema_text

    if folder.is_symlink():
        fail(f"„{folder}“ ist ein symbolischer Link; qa schreibt nicht durch Links.", code=1)
    if folder.exists() and not folder.is_dir():
        fail(f"„{folder}“ ist kein Verzeichnis.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"„{folder}“ lässt sich nicht anlegen: {os_error(error)}.", code=1)
    for each in kinds:
        target = folder / file_name(each)
        try:
            write_text(target, schema_text(schema_for(each)))
        except WriteError as error:
            fail(str(error), code=1)
        sys.stdout.write(f"Geschrieben: {target}\n")
