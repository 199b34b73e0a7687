"""Focus categories (Schwerpunkte) that classify an office's Ausrichtung, for coverage and
Doppelstruktur checks. A city defines its own list as records."""

from __future__ import annotations

from pydantic import Field

from qa_cli.models.base import NonEmptyText, Record


class Schwerpunkt(Record):
    name: NonEmptyText = Field(title="Name")
    beschreibung: str | None = Field(default=None, title="Beschreibung")
