"""``qa dossier``: everything an auditor without the repository needs about a request or a
round, in one reproducible zip."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO, TypeVar

import typer

from qa_cli.cli.common import (
    DataOption,
    RevOption,
    StandOption,
    chosen_revision,
    data_root,
    fail,
    history_of_data,
    load_valid,
    write_output,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from qa_cli.models.antrag import Antrag
    from qa_cli.render.dossier import Dossier
    from qa_cli.store.dataset import Dataset
    from qa_cli.store.gitrepo import BlobReader
    from qa_cli.store.history import DataHistory
    from qa_cli.store.revision import Revision
    from qa_cli.store.state import DataState

SUBJECTS = ("antrag",)
T = TypeVar("T")


def register(app: typer.Typer) -> None:
    app.command("dossier")(dossier)


def dossier(
    art: Annotated[
        str | None,
        typer.Argument(
            metavar="[antrag]", help="Was festgehalten wird: antrag.", show_default=False
        ),
    ] = None,
    kennung: Annotated[
        str | None,
        typer.Argument(metavar="[KENNUNG]", help="Kennung des Antrags.", show_default=False),
    ] = None,
    runde: Annotated[
        str | None,
        typer.Option(
            "--runde", help="Stattdessen: jeder Antrag einer Förderrunde.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Zip-Datei; Standard: dossier-antrag-KENNUNG.zip bzw. dossier-runde-R.zip "
            "(-o - schreibt in eine Pipe).",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
    rev: RevOption = None,
    stand: StandOption = None,
) -> None:
    """Prüfdossier eines Antrags oder einer Runde als eine Zip-Datei, für Prüfende ohne
    Zugang zum Repository. Darin: Antrag und Anlaufstelle als Datensätze (wie eingecheckt), die
    Matrix der Runde, die Bewertungen, die Entscheidungsvorlage, die Geschichte der Datensätze
    bis zu diesem Stand und ein Manifest mit Revision und SHA-256 jeder Datei. Ohne --rev und
    --stand der Stand von HEAD. Dieselbe Revision ergibt dieselbe Zip-Datei, Byte für Byte."""
    from qa_cli.render.dossier import zip_bytes

    if runde is not None and (art is not None or kennung is not None):
        fail("Entweder „antrag KENNUNG“ oder --runde RUNDE angeben, nicht beides.")
    if runde is None and (art not in SUBJECTS or kennung is None):
        fail("„qa dossier antrag KENNUNG“ oder „qa dossier --runde RUNDE“ aufrufen.")
    data_dir = data_root(data)
    made = _dossier(data_dir, chosen_revision(data, rev, stand), kennung, runde)
    name = f"dossier-antrag-{kennung}.zip" if runde is None else f"dossier-runde-{runde}.zip"
    write_output(zip_bytes(made), output if output is not None else Path(name))


def _dossier(
    data_dir: Path, revision: Revision | None, request_id: str | None, round_id: str | None
) -> Dossier:
    from qa_cli.render.dossier import Dossier
    from qa_cli.store.gitrepo import BlobReader, GitError

    if revision is None:
        revision = _clean_head(data_dir)
    repository = history_of_data(data_dir, "qa dossier", revision.commit)
    dataset = load_valid(data_dir, revision=revision)
    state = _state_of(revision)
    try:
        requests, round_id = _requests(dataset, request_id, round_id)
        subject = f"Antrag {request_id}" if request_id else f"Runde {round_id}"
        with BlobReader(repository.root) as blobs:
            records = _record_paths(dataset, repository, requests, round_id)
            files = {
                f"datensaetze/{path[len(repository.prefix) + 1 :]}": _committed(
                    blobs, revision.commit, path
                )
                for path in records
            }
            files |= _history(repository, blobs, records, subject)
        files |= _ratings(dataset, round_id, requests)
        files |= _paper(dataset, round_id, state)
    except GitError as error:
        fail(str(error))
    return Dossier(subject, revision.commit, revision.date, files)


def _clean_head(data_dir: Path) -> Revision:
    """HEAD, when no ``--rev``/``--stand`` names a state; refused while data/ differs from it,
    ignored files included (qa reads them): a dossier holds committed states only, and one
    made from a working tree with changes would not hold what the user sees."""
    from qa_cli.store.gitrepo import changed_paths
    from qa_cli.store.revision import RevisionError, at_revision

    repository = history_of_data(data_dir, "qa dossier")
    try:
        head = at_revision(repository.root, "HEAD")
    except RevisionError as error:
        fail(str(error))
    changed = changed_paths(repository.root, head.commit, None, repository.prefix)
    if changed:
        shown = ", ".join(change.path for change in changed[:3])
        more = f" und {len(changed) - 3} weitere" if len(changed) > 3 else ""
        fail(
            f"{repository.prefix}/ hat nicht eingecheckte Änderungen ({shown}{more}); ein "
            "Dossier hält nur eingecheckte Stände fest.",
            hint="Erst committen (oder die Änderungen mit git stash beiseitelegen), oder mit "
            "--rev/--stand einen eingecheckten Stand wählen.",
        )
    return head


def _state_of(revision: Revision) -> DataState:
    """The stamp of the dossier's paper: made at the commit's date and without the name the
    user gave the commit, so ``--rev v2020``, ``--rev 5929d8b`` and HEAD give the same bytes."""
    from dataclasses import replace

    from qa_cli.store.revision import revision_state

    return replace(revision_state(revision), revision=None)


def _requests(
    dataset: Dataset, request_id: str | None, round_id: str | None
) -> tuple[dict[str, Antrag], str]:
    """The requests the dossier is about, and their round."""
    import difflib

    from qa_cli.cli.rounds import choose_round

    if request_id is None:
        chosen = choose_round(dataset, round_id)
        return {k: r for k, r in sorted(dataset.antraege.items()) if r.runde == chosen}, chosen
    if request_id not in dataset.antraege:
        close = difflib.get_close_matches(request_id, list(dataset.antraege), n=1, cutoff=0.5)
        fail(
            f"Einen Antrag „{request_id}“ gibt es nicht.",
            hint=f"Meinten Sie „{close[0]}“?" if close else None,
        )
    request = dataset.antraege[request_id]
    return {request_id: request}, request.runde


def _record_paths(
    dataset: Dataset,
    repository: DataHistory,
    requests: dict[str, Antrag],
    round_id: str,
) -> list[str]:
    """Repository paths of the requests, their offices and the round's matrix."""
    from qa_cli.store.kinds import ANLAUFSTELLEN, ANTRAEGE, MATRIZEN

    keys = [(ANTRAEGE.folder, rid) for rid in requests]
    keys += [(ANLAUFSTELLEN.folder, o) for o in sorted({r.anlaufstelle for r in requests.values()})]
    keys.append((MATRIZEN.folder, round_id))
    paths = []
    for key in keys:
        record_file = dataset.files[key]
        assert record_file.relative, key  # read from git, so relative to data/
        paths.append(f"{repository.prefix}/{record_file.relative}")
    return paths


def _committed(blobs: BlobReader, commit: str, path: str) -> bytes:
    """A record's file as the revision holds it (it validated, so it is no oversized blob)."""
    content = blobs.read(commit, path)
    assert isinstance(content, bytes), path
    return content


def _history(
    repository: DataHistory, blobs: BlobReader, paths: list[str], subject: str
) -> dict[str, bytes]:
    from qa_cli.domain.history import VersionReader, record_history
    from qa_cli.render.log import write_json, write_markdown

    reader = VersionReader(repository.root, repository.prefix, blobs)
    history = record_history(reader, repository.commits, paths, subject)
    return {
        "geschichte.md": _text(write_markdown, history),
        "geschichte.json": _text(write_json, history),
    }


def _ratings(dataset: Dataset, round_id: str, requests: dict[str, Antrag]) -> dict[str, bytes]:
    """Each request's ratings and the whole calculation (``qa score --explain``)."""
    from qa_cli.cli.rounds import build_round
    from qa_cli.render.json_document import json_text
    from qa_cli.render.score_explain import explain_json, explain_lines

    round_ = build_round(dataset, round_id, None)
    files = {}
    for request_id in requests:
        lines = explain_lines(round_, request_id)
        files[f"bewertungen/{request_id}.txt"] = ("\n".join(lines) + "\n").encode()
        files[f"bewertungen/{request_id}.json"] = json_text(
            explain_json(round_, request_id)
        ).encode()
    return files


def _paper(dataset: Dataset, round_id: str, state: DataState) -> dict[str, bytes]:
    """The decision paper of the round as HTML and as PDF (dated as the stamp, so the same
    revision gives the same bytes); no Chromium is an error of this machine (exit 1)."""
    from qa_cli.cli.rounds import decision_paper_of
    from qa_cli.render.html import write_html
    from qa_cli.render.pdf import PdfError, html_to_pdf

    paper = decision_paper_of(dataset, round_id)
    paper.stand = state
    html = _text(write_html, paper)
    try:
        pdf = html_to_pdf(html.decode(), state.made_at)
    except PdfError as error:
        fail(str(error), code=1)
    return {
        f"entscheidungsvorlage-{round_id}.html": html,
        f"entscheidungsvorlage-{round_id}.pdf": pdf,
    }


def _text(writer: Callable[[T, TextIO], None], document: T) -> bytes:
    buffer = io.StringIO()
    writer(document, buffer)
    return buffer.getvalue().encode()
