"""The record kinds: which folder under ``data/`` holds which model.

Adding a kind (requests, indicator sets …) means adding one entry here; the loader, ``validate``
and the schema export pick it up from this list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.antrag import Antrag
from qa_cli.models.base import Record
from qa_cli.models.fonds import Fonds
from qa_cli.models.fondsantrag import Fondsantrag
from qa_cli.models.gebiet import Gebiet
from qa_cli.models.indikator import Indikator, Indikatorensatz
from qa_cli.models.matrix import Entscheidungsmatrix
from qa_cli.models.schwerpunkt import Schwerpunkt
from qa_cli.models.stadt import Stadt

Genus = Literal["f", "m", "n"]
_NOMINATIVE = {"f": "die", "m": "der", "n": "das"}
_ACCUSATIVE = {"f": "die", "m": "den", "n": "das"}


@dataclass(frozen=True, slots=True)
class Kind:
    """A record kind; ``genus`` is the grammatical gender of ``label``, so that messages say
    „die Anlaufstelle …, die es nicht gibt“ and „den Antrag …, den es nicht gibt“."""

    folder: str
    model: type[Record]
    label: str
    label_plural: str
    genus: Genus

    @property
    def article(self) -> str:
        """The definite article in the nominative: der, die, das."""
        return _NOMINATIVE[self.genus]

    @property
    def article_accusative(self) -> str:
        """The definite article in the accusative, also the relative pronoun: den, die, das."""
        return _ACCUSATIVE[self.genus]


GEBIETE = Kind("gebiete", Gebiet, "Gebiet", "Gebiete", "n")
ANLAUFSTELLEN = Kind("anlaufstellen", Anlaufstelle, "Anlaufstelle", "Anlaufstellen", "f")
MATRIZEN = Kind(
    "entscheidungsmatrizen",
    Entscheidungsmatrix,
    "Entscheidungsmatrix",
    "Entscheidungsmatrizen",
    "f",
)
ANTRAEGE = Kind("antraege", Antrag, "Antrag", "Anträge", "m")

SCHWERPUNKTE = Kind("schwerpunkte", Schwerpunkt, "Schwerpunkt", "Schwerpunkte", "m")
INDIKATOREN = Kind("indikatoren/katalog", Indikator, "Indikator", "Indikatoren", "m")
INDIKATORENSAETZE = Kind(
    "indikatoren/werte", Indikatorensatz, "Indikatorensatz", "Indikatorensätze", "m"
)
STADT = Kind("stadt", Stadt, "Stadt", "Städte", "f")
FONDS = Kind("fonds", Fonds, "Fonds", "Fonds", "m")
FONDSANTRAEGE = Kind("fondsantraege", Fondsantrag, "Fondsantrag", "Fondsanträge", "m")

KINDS: tuple[Kind, ...] = (
    GEBIETE,
    SCHWERPUNKTE,
    ANLAUFSTELLEN,
    MATRIZEN,
    ANTRAEGE,
    INDIKATOREN,
    INDIKATORENSAETZE,
    STADT,
    FONDS,
    FONDSANTRAEGE,
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
