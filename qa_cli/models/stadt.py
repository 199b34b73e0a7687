"""The city the data describes, and what differs between cities.

Kept as a record (``data/stadt/``) so that another city changes data, not code. Besides name,
centre and the radius for the distance check it declares the city's own vocabulary: its area
kinds and their levels, the units of its indicators, which indicator holds the population and
the minimum population of an area in the index, the pairs of years a dynamic index compares, and
the names its papers use (committee, issuing office, working group, basis document). Every field
but name, centre and radius has a default, the one ``qa new stadt`` writes; records of the other
kinds are validated against the declaration (``store/checks.py``). Without a city record the
defaults apply and the distance check is skipped.
"""

from __future__ import annotations

from string import Formatter
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from qa_cli.models.base import NonEmptyText, Record, RecordId, Strict, WholeNumber
from qa_cli.models.koordinaten import Punkt

Bezeichner = Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$", max_length=40)]
"""A word of the city's vocabulary (an area kind, a unit): lowercase ASCII in snake_case like a
YAML key, e.g. ``statistischer_bezirk``, ``je_100``."""


class Gebietsart(Strict):
    """One division of the city (Stadtbezirk, Sozialraum …) and its level in the hierarchy."""

    name: NonEmptyText = Field(title="Bezeichnung", description="Wie Berichte die Art nennen.")
    ebene: WholeNumber = Field(
        ge=1,
        le=9,
        title="Ebene",
        description="1 = oberste Gliederung; ein übergeordnetes Gebiet hat eine kleinere Ebene.",
    )


class Einheit(Strict):
    """A unit of indicator values: its label and how many decimals reports show."""

    zeichen: NonEmptyText = Field(title="Zeichen", description="z. B. „%“, „je 100“, „Jahre“.")
    nachkommastellen: WholeNumber = Field(
        default=1, ge=0, le=6, title="Nachkommastellen", description="In Berichten gezeigt."
    )


class Jahrespaar(Strict):
    """Two years a dynamic index compares: the change from ``von`` to ``bis``."""

    von: WholeNumber = Field(ge=1900, le=2100, title="Von (Jahr)")
    bis: WholeNumber = Field(ge=1900, le=2100, title="Bis (Jahr)")

    @model_validator(mode="after")
    def _forward(self) -> Jahrespaar:
        if self.von >= self.bis:
            raise PydanticCustomError(
                "zeitraum-ungueltig",
                "Das Vergleichsjahr {von} liegt nicht vor {bis}.",
                {"von": self.von, "bis": self.bis},
            )
        return self


class Dokument(Strict):
    """A document the city's papers cite as their basis."""

    titel: NonEmptyText = Field(title="Titel")
    stand: str | None = Field(default=None, title="Stand", description="JJJJ-MM, z. B. 2022-11.")


PROPOSAL_FIELDS = ("ausschuss", "runde", "gefoerdert", "summe", "budget", "warteliste")
NOTICE_FIELDS = ("ausschuss", "anlaufstelle", "traeger", "betrag", "zeitraum", "datum", "runde")
NUMBER_FIELDS = ("jahr", "runde")


def _placeholders(allowed: tuple[str, ...]) -> AfterValidator:
    """A wording with ``{platzhalter}``: only the named ones, so a typo is an error in the
    record, not a literal „{ausschus}“ in a paper."""

    def check(text: str) -> str:
        try:
            used = [name for _, name, _, _ in Formatter().parse(text) if name is not None]
        except ValueError as error:
            raise PydanticCustomError(
                "ungueltiger-wert",
                "Geschweifte Klammern passen nicht zusammen ({error}); ein Platzhalter steht "
                "in {{…}}, eine Klammer im Text wird verdoppelt.",
                {"error": str(error)},
            ) from None
        unknown = sorted({name for name in used if name not in allowed})
        if unknown:
            raise PydanticCustomError(
                "ungueltiger-wert",
                "Unbekannter Platzhalter {unknown}; erlaubt: {allowed}.",
                {
                    "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                    "allowed": ", ".join(f"{{{name}}}" for name in allowed),
                },
            )
        return text

    return AfterValidator(check)


class Vorlage(Strict):
    """How the city's papers on an interim round are headed and worded."""

    art: Literal["beschlussvorlage", "mitteilungsvorlage"] = Field(
        default="beschlussvorlage",
        title="Art der Vorlage",
        description="beschlussvorlage: der Ausschuss entscheidet; mitteilungsvorlage: er wird "
        "über die Entscheidung der Verwaltung unterrichtet.",
    )
    nummer: Annotated[str, _placeholders(NUMBER_FIELDS)] | None = Field(
        default=None,
        title="Muster der Vorlagen-Nr.",
        description="z. B. „{jahr}/IV/{runde}“ mit den Platzhaltern {jahr} (Jahr der Vorlage) "
        "und {runde}; --nummer gibt eine andere an. Die Mitteilung einer Bewilligung hat "
        "eine Nummer nur mit --nummer.",
    )
    beschlussvorschlag: Annotated[str, _placeholders(PROPOSAL_FIELDS)] | None = Field(
        default=None,
        title="Wortlaut des Beschlussvorschlags",
        description="Platzhalter: {ausschuss}, {runde}, {gefoerdert} (die geförderten Anträge "
        "mit Betrag), {summe}, {budget}, {warteliste}. Ohne Angabe: ein allgemeiner Wortlaut.",
    )
    mitteilung: Annotated[str, _placeholders(NOTICE_FIELDS)] | None = Field(
        default=None,
        title="Wortlaut der Mitteilung einer Bewilligung",
        description="Platzhalter: {ausschuss}, {anlaufstelle}, {traeger}, {betrag}, "
        "{zeitraum}, {datum} (der Bewilligung), {runde}. Ohne Angabe: ein allgemeiner Wortlaut.",
    )


DEFAULT_AREA_KINDS: dict[str, Gebietsart] = {
    "stadtbezirk": Gebietsart(name="Stadtbezirk", ebene=1),
    "stadtteil": Gebietsart(name="Stadtteil", ebene=2),
    "statistischer_bezirk": Gebietsart(name="statistischer Bezirk", ebene=2),
    "quartier": Gebietsart(name="Quartier", ebene=3),
}
DEFAULT_UNITS: dict[str, Einheit] = {
    "prozent": Einheit(zeichen="%", nachkommastellen=1),
    "personen": Einheit(zeichen="Personen", nachkommastellen=0),
    "anzahl": Einheit(zeichen="Anzahl", nachkommastellen=0),
    "je_1000": Einheit(zeichen="je 1.000", nachkommastellen=1),
    "km2": Einheit(zeichen="km²", nachkommastellen=1),
    "personen_je_km2": Einheit(zeichen="Ew./km²", nachkommastellen=1),
    "euro": Einheit(zeichen="€", nachkommastellen=0),
}
DEFAULT_POPULATION = "einwohner"
DEFAULT_MIN_RESIDENTS = 300


class Stadt(Record):
    name: NonEmptyText = Field(title="Name", description="Name der Stadt.")
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
    ausschuss: str | None = Field(
        default=None,
        title="Ausschuss",
        description="Der politische Ausschuss, der über Interimsfinanzierungen informiert wird; "
        "Entscheidungsvorlagen nennen ihn. Leer = „der zuständige Ausschuss“.",
    )
    herausgeber: str | None = Field(
        default=None,
        title="Herausgebende Stelle",
        description="Die Dienststelle, die Berichte und Vorlagen herausgibt.",
    )
    arbeitsgruppe: str | None = Field(
        default=None,
        title="Bewertende Arbeitsgruppe",
        description="Das Gremium, das Anträge nach der Entscheidungsmatrix bewertet.",
    )
    grundlage: Dokument | None = Field(
        default=None,
        title="Grundlage",
        description="Das Dokument, auf dem das Verfahren der Interimsfinanzierung beruht; "
        "Entscheidungsvorlagen zitieren es.",
    )
    gutachter: dict[RecordId, NonEmptyText] = Field(
        default_factory=dict,
        title="Bewertende Stellen",
        description="Kennung → Name der Stellen, die Anträge bewerten (`gutachter` einer "
        "Bewertung), z. B. sozialamt: Sozialamt. Vorlagen nennen die Namen; sind welche "
        "erklärt, muss jede Bewertung eine davon nennen.",
    )
    vorlage: Vorlage = Field(
        default_factory=Vorlage,
        title="Vorlagen",
        description="Art, Nummernmuster und Wortlaut der Entscheidungsvorlage und der "
        "Mitteilung einer Bewilligung.",
    )
    gebietsarten: dict[Bezeichner, Gebietsart] = Field(
        default_factory=lambda: dict(DEFAULT_AREA_KINDS),
        min_length=1,
        title="Gebietsarten",
        description="Die Gliederungen der Stadt mit Bezeichnung und Ebene; `art` eines Gebiets "
        "und `gliederung` eines Indikatorensatzes müssen hier stehen. Vorgabe: stadtbezirk (1), "
        "stadtteil (2), statistischer_bezirk (2), quartier (3).",
    )
    einheiten: dict[Bezeichner, Einheit] = Field(
        default_factory=dict,
        title="Einheiten",
        description="Einheiten der Indikatoren über die eingebauten hinaus (prozent, personen, "
        "anzahl, je_1000, km2, personen_je_km2, euro), z. B. je_100 oder jahre; eine "
        "eingebaute Einheit kann hier anders beschriftet werden.",
    )
    einwohner_indikator: RecordId = Field(
        default=DEFAULT_POPULATION,
        title="Indikator der Einwohnerzahl",
        description="Kennung des Indikators im Katalog, der die Einwohnerzahl eines Gebiets "
        "enthält (Vorgabe: einwohner).",
    )
    mindesteinwohner: WholeNumber = Field(
        default=DEFAULT_MIN_RESIDENTS,
        ge=0,
        title="Mindesteinwohnerzahl",
        description="Gebiete mit weniger Einwohnern erhalten keinen Index und keine Klasse "
        "(Vorgabe: 300, wie das Berliner Monitoring Soziale Stadtentwicklung).",
    )
    dynamik: list[Jahrespaar] = Field(
        default_factory=list,
        title="Vergleichsjahre des Dynamikindex",
        description="Welche Jahre der Dynamikindex vergleicht, z. B. {von: 2019, bis: 2022}; "
        "je Jahr „bis“ höchstens ein Paar, für ein Jahr ohne Paar kein Dynamikindex. Ohne "
        "Angabe: das Jahr zwei Jahre davor.",
    )

    def units(self) -> dict[str, Einheit]:
        """The built-in units with the city's own added or relabelled."""
        return {**DEFAULT_UNITS, **self.einheiten}
