"""The record kinds: which folder under ``data/`` holds which model.

Adding a kind (requests, indicator sets …) means adding one entry here; the loader, ``validate``
and the schema export pick it up from this list.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.antrag import Antrag
from qa_cli.models.base import Record
from qa_cli.models.gebiet import Gebiet
from qa_cli.models.indikator import Indikator, Indikatorensatz
from qa_cli.models.matrix import Entscheidungsmatrix
from qa_cli.models.schwerpunkt import Schwerpunkt
from qa_cli.models.stadt import Stadt


@dataclass(frozen=True, slots=True)
class Kind:
    folder: str
    model: type[Record]
    label: str
    label_plural: str


GEBIETE = Kind("gebiete", Gebiet, "Gebiet", "Gebiete")
ANLAUFSTELLEN = Kind("anlaufstellen", Anlaufstelle, "Anlaufstelle", "Anlaufstellen")
MATRIZEN = Kind(
    "entscheidungsmatrizen", Entscheidungsmatrix, "Entscheidungsmatrix", "Entscheidungsmatrizen"
)
ANTRAEGE = Kind("antraege", Antrag, "Antrag", "Anträge")

SCHWERPUNKTE = Kind("schwerpunkte", Schwerpunkt, "Schwerpunkt", "Schwerpunkte")
INDIKATOREN = Kind("indikatoren/katalog", Indikator, "Indikator", "Indikatoren")
INDIKATORENSAETZE = Kind(
    "indikatoren/werte", Indikatorensatz, "Indikatorensatz", "Indikatorensätze"
)
STADT = Kind("stadt", Stadt, "Stadt", "Städte")

KINDS: tuple[Kind, ...] = (
    GEBIETE,
    SCHWERPUNKTE,
    ANLAUFSTELLEN,
    MATRIZEN,
    ANTRAEGE,
    INDIKATOREN,
    INDIKATORENSAETZE,
    STADT,
)
KINDS_BY_FOLDER: dict[str, Kind] = {kind.folder: kind for kind in KINDS}


def kind_of(relative: str) -> Kind | None:
    """The kind whose folder holds ``relative`` (a path below ``data/`` with ``/``)."""
    best: Kind | None = None
    for kind in KINDS:
        if relative.startswith(kind.folder + "/") and (
            best is None or len(kind.folder) > len(best.folder)
        ):
            best = kind
    return best
