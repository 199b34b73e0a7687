"""``qa import fondsantrag``: turn what a resident filled into the application form (the body
of a GitHub issue made with the issue form, or the text the HTML form of ``qa fonds formular
--html`` wrote: both are the same Markdown) into a record file that validates."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from qa_cli.cli.common import DataOption, data_root, fail, load_valid

if TYPE_CHECKING:
    from qa_cli.store.problems import Problem

import_app = typer.Typer(
    help="Eingänge übernehmen, ohne abzutippen: ein ausgefülltes Antragsformular wird ein "
    "Datensatz.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")


@import_app.command("fondsantrag")
def fondsantrag(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="DATEI",
            help="Der Text des ausgefüllten Formulars (Markdown des Issues oder der Text, den "
            "die HTML-Seite von qa fonds formular --html erzeugt); - liest von der "
            "Standardeingabe.",
            show_default=False,
        ),
    ],
    fonds: Annotated[
        str | None,
        typer.Option("--fonds", help="Kennung des Fonds; entfällt, wenn es nur einen gibt."),
    ] = None,
    record_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Kennung des neuen Antrags; Standard: Jahr und Projekttitel.",
            show_default=False,
        ),
    ] = None,
    eingang: Annotated[
        str | None,
        typer.Option(
            "--eingang",
            help="Eingangsdatum (JJJJ-MM-TT oder TT.MM.JJJJ); Standard: heute.",
            show_default=False,
        ),
    ] = None,
    quelle: Annotated[
        str | None,
        typer.Option(
            "--quelle", help="Fundstelle, z. B. die Adresse des Issues.", show_default=False
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Ein ausgefülltes Antragsformular als Fondsantrag anlegen. Prüft den neuen Datensatz mit
    allen Regeln des Fonds; überschreibt nie eine vorhandene Datei."""
    from datetime import date

    from qa_cli.city import rules_of
    from qa_cli.cli.fonds import choose_fund
    from qa_cli.domain.fonds_form import FormError, fund_named, record_from_form
    from qa_cli.months import parse_day

    try:
        received = parse_day(eingang) if eingang is not None else date.today()
    except ValueError as error:
        fail(f"--eingang: {error}")
    text = _read(source)
    dataset = load_valid(data)
    fund_id, fund = choose_fund(dataset, fonds or fund_named(text, dataset.fonds))
    where = quelle or ("Standardeingabe" if str(source) == "-" else source.name)
    try:
        record = record_from_form(
            text,
            fund_id,
            fund,
            dataset.gebiete,
            rules_of(dataset.stadt).kind_label,
            received,
            where,
        )
    except FormError as error:
        fail(f"{_shown(source)} ist kein vollständiges Antragsformular:\n{error}", code=1)
    target_id = record_id or _default_id(record, received.year)
    _write_checked(data_root(data), target_id, record)


def _shown(source: Path) -> str:
    return "Die Standardeingabe" if str(source) == "-" else f"„{source}“"


def _read(source: Path) -> str:
    from qa_cli.german import os_error

    if str(source) == "-":
        return sys.stdin.read()
    try:
        return source.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(f"„{source}“ ist nicht in UTF-8 kodiert.", code=1)
    except OSError as error:
        fail(f"„{source}“ lässt sich nicht lesen: {os_error(error)}.", code=1)


def _default_id(record: dict[str, object], year: int) -> str:
    from qa_cli.models.base import suggest_id

    project = record["projekt"]
    assert isinstance(project, dict)
    return suggest_id(f"{year} {project['titel']}")[:60].rstrip("-")


def _write_checked(root: Path, record_id: str, record: dict[str, object]) -> None:
    """Write the record atomically (never over an existing file), then validate the data with
    it; if the new record breaks a rule, remove it again and report every problem."""
    import os

    import yaml

    from qa_cli.models.base import is_valid_id
    from qa_cli.store.checked import load_checked
    from qa_cli.store.kinds import FONDSANTRAEGE
    from qa_cli.store.paths import RECORD_SUFFIX, display_path

    if not is_valid_id(record_id):
        fail(f"„{record_id}“ ist keine gültige Kennung.", hint="--id mit a–z, 0–9 und „-“.")
    folder = root / FONDSANTRAEGE.folder
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (record_id + RECORD_SUFFIX)
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)
    temporary = folder / f".{record_id}.{os.getpid()}.tmp"
    temporary.write_text(text, encoding="utf-8")
    try:
        os.link(temporary, target)  # fails if the target exists: no overwrite, even in a race
    except FileExistsError:
        fail(
            f"{display_path(target)} gibt es schon; qa import überschreibt keine Datei.",
            code=1,
            hint="Mit --id eine andere Kennung wählen.",
        )
    finally:
        temporary.unlink(missing_ok=True)
    shown = display_path(target)
    problems = [p for p in load_checked(root).problems if p.path == shown]
    if problems:
        target.unlink()
        _report(problems)
    sys.stdout.write(f"Angelegt: {display_path(target)}\n")


def _report(problems: list[Problem]) -> NoReturn:
    from qa_cli.render.problems import format_problem

    lines = ["qa: Fehler: Der Antrag verletzt Regeln des Fonds; nichts angelegt.", ""]
    for problem in problems:
        lines += [*format_problem(problem), ""]
    sys.stderr.write("\n".join(lines))
    raise typer.Exit(1)
