"""The city the data describes: its name, a centre point and the radius within which every
coordinate in the data must lie. Kept as a record (``data/stadt/``) so that another city changes
data, not code; without such a record the distance check is skipped."""

from __future__ import annotations

from pydantic import Field

from qa_cli.models.base import NonEmptyText, Record
from qa_cli.models.koordinaten import Punkt


class Stadt(Record):
    name: NonEmptyText = Field(title="Name", description="Name der Stadt, z. B. Bottrop.")
    mittelpunkt: Punkt = Field(
        title="Mittelpunkt",
        description="Bezugspunkt der Stadt (WGS84), z. B. die Koordinate, die ein "
        "Nachschlagewerk für die Stadt angibt; Mitte der Kartenskizze.",
    )
    radius_km: float = Field(
        gt=0,
        le=100,
        allow_inf_nan=False,
        title="Prüfradius in km",
        description="Koordinaten von Anlaufstellen und Gebieten dürfen höchstens so weit vom "
        "Mittelpunkt entfernt liegen. Eine Toleranz gegen Tippfehler (vertauschte oder falsche "
        "Koordinaten), keine Stadtgrenze.",
    )
