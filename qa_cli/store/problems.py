"""Located problems found while reading or checking records.

Every problem carries a stable code (``doppelter-schluessel``, ``unbekannte-referenz`` …) so that
editors, CI and people can filter and look it up, and the place it was found (file, line, column),
the way hledger reports errors. The registry below is the single list of codes; a test makes sure
no code is used without being listed here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

CODES: dict[str, str] = {
    "datei-zu-gross": "Die Datei überschreitet die Größengrenze.",
    "ungueltige-kodierung": "Die Datei ist nicht in UTF-8 kodiert.",
    "nul-byte": "Die Datei enthält ein NUL-Byte.",
    "ungueltiges-zeichen": "Die Datei enthält ein unzulässiges Zeichen (z. B. BOM mitten im Text).",
    "tabulator": "Einrückung mit Tabulator statt Leerzeichen.",
    "yaml-syntax": "Die Datei ist kein gültiges YAML.",
    "leere-datei": "Die Datei enthält keinen Datensatz.",
    "mehrere-dokumente": "Die Datei enthält mehr als ein YAML-Dokument.",
    "kein-mapping": "Der Datensatz ist keine Zuordnung (Schlüssel: Wert).",
    "zu-tief-verschachtelt": "Die Verschachtelung ist tiefer als erlaubt.",
    "anker-alias": "YAML-Anker und -Aliase sind nicht erlaubt.",
    "merge-schluessel": "YAML-Merge-Schlüssel (<<) sind nicht erlaubt.",
    "tag-nicht-erlaubt": "YAML-Tags (!…) sind nicht erlaubt.",
    "ungueltiger-schluessel": "Ein Schlüssel ist kein einfacher Text.",
    "doppelter-schluessel": "Ein Schlüssel steht zweimal in derselben Zuordnung.",
    "weitere-fehler": "Eine Datei hat so viele Fehler, dass nicht jeder einzeln gemeldet wird.",
    "steuerzeichen": "Ein Text enthält ein Steuerzeichen (Escape-Sequenz, Wagenrücklauf …).",
    "symlink": "Symbolische Links werden nicht gelesen.",
    "keine-datei": "Ein Verzeichnis trägt den Namen eines Datensatzes.",
    "falsche-endung": "Datensätze enden auf .yaml.",
    "unbekannter-ordner": "Der Ordner gehört zu keiner bekannten Datensatzart.",
    "ungueltige-id": "Ein Dateiname oder ein Verweis ist keine gültige Kennung (etwa ein Name "
    "wie „Marktplatz“ statt der Kennung „marktplatz“).",
    "id-passt-nicht": "Das Feld id stimmt nicht mit dem Dateinamen überein.",
    "doppelte-id": "Dieselbe Kennung kommt in zwei Dateien vor.",
    "pflichtfeld-fehlt": "Ein Pflichtfeld fehlt.",
    "unbekanntes-feld": "Das Feld ist in dieser Datensatzart nicht vorgesehen.",
    "falscher-typ": "Der Wert hat die falsche Form (Text, Zahl, Liste, Zuordnung …).",
    "ungueltiger-wert": "Der Wert ist nicht erlaubt.",
    "ungueltiger-monat": "Der Monat ist nicht in der Form JJJJ-MM.",
    "unbekannte-referenz": "Ein Verweis zeigt auf keinen vorhandenen Datensatz.",
    "zyklischer-verweis": "Verweise bilden einen Kreis.",
    "zeitraum-ungueltig": "Der Beginn liegt nach dem Ende.",
    "foerderungen-ueberlappen": "Zwei Förderungen einer Anlaufstelle überschneiden sich.",
    "unbekanntes-kriterium": "Eine Bewertung nennt ein Unterkriterium, das die Matrix nicht kennt.",
    "bewertung-unvollstaendig": "Eine Bewertung lässt Unterkriterien der Matrix aus.",
    "bewertung-ausserhalb-skala": "Eine Bewertung liegt außerhalb der Skala der Matrix.",
    "doppelte-bewertung": "Eine Person bewertet denselben Antrag zweimal.",
    "entscheidung-unvollstaendig": "Einer Bewilligung fehlen Datum oder Betrag.",
    "falsche-gliederung": "Ein Gebiet gehört nicht zur Gliederung des Indikatorensatzes.",
    "wert-ausserhalb-bereich": "Ein Wert liegt außerhalb des möglichen Bereichs.",
    "doppelter-wert": "Für Gebiet, Indikator und Jahr gibt es zwei Werte.",
    "tausenderpunkt": "Eine Zahl ist mit Tausendertrennzeichen geschrieben (24.000); qa "
    "liest Ziffern ohne Trennzeichen (24000).",
    "dezimalkomma": "Eine Zahl ist mit Dezimalkomma geschrieben (20,2); qa liest einen "
    "Dezimalpunkt (20.2).",
    "einheit-im-wert": "Ein Betrag oder Wert enthält eine Einheit (€, %); sie steht beim Feld.",
    "betrag-mit-cent": "Ein Betrag hat Nachkommastellen; Beträge stehen in vollen Euro.",
    "bewilligungen-ueber-budget": "Die Bewilligungen einer Runde übersteigen ihr Budget.",
    "standort-ausserhalb": "Koordinaten liegen weiter vom Mittelpunkt der Stadt entfernt als "
    "ihr Prüfradius (data/stadt/).",
    "nicht-erklaert": "Eine Gebietsart, Gliederung oder Einheit ist im Stadt-Datensatz nicht "
    "erklärt.",
    "ebene-ungueltig": "Ein übergeordnetes Gebiet liegt nicht auf einer höheren Ebene.",
    "anteile-ungueltig": "Die Anteile eines Gebiets in seinen übergeordneten Gebieten ergeben "
    "nicht 100 %.",
    "einwohner-unbekannt": "Der Indikator der Einwohnerzahl fehlt im Katalog oder hat keine Werte.",
    "dynamik-ungueltig": "Ein Vergleichsjahr des Dynamikindex hat keinen Indikatorensatz oder "
    "ist doppelt erklärt.",
    "gueltigkeit-ungueltig": "Ein Gebiet gilt bis zu einem Monat vor seinem Beginn "
    "(`gueltig_ab` nach `gueltig_bis`).",
    "nachfolger-ungueltig": "Ein Nachfolger eines Gebiets fehlt, beginnt nicht nach dessen Ende, "
    "ist es selbst oder das Gebiet hat Nachfolger, aber kein `gueltig_bis`.",
    "nachfolger-zyklus": "Nachfolger von Gebieten bilden einen Kreis.",
    "gebietsstand-fehlt": "Ein Indikatorensatz nennt keinen Gebietsstand, obwohl Gebiete seiner "
    "Gliederung eine Gültigkeit haben.",
    "gebietsstand-ungueltig": "Ein Gebiet eines Indikatorensatzes gilt im Gebietsstand des Satzes "
    "nicht.",
    "fonds-hoechstbetrag": "Ein Fondsantrag liegt über dem Höchstbetrag des Fonds (je Projekt "
    "oder Kooperationsprojekt).",
    "fonds-ohne-ziel": "Ein Fondsantrag nennt kein Ziel des Fonds.",
    "fonds-unbekanntes-ziel": "Ein Fondsantrag nennt ein Ziel, das der Fonds nicht kennt.",
    "fonds-gebiet": "Ein Fondsantrag nennt kein Gebiet oder eines außerhalb des Fonds.",
    "fonds-frist": "Ein Fondsantrag nennt keine erklärte Frist oder ging nach ihr ein.",
    "fonds-antragsteller-art": "Eine Antragstellerart ist im Fonds nicht antragsberechtigt.",
    "fonds-kostenstelle": "Eine Kostenstelle fehlt oder gibt es im Fonds nicht.",
    "fonds-kostenstelle-zweck": "Ein Antrag passt nicht zum Zweck seiner Kostenstelle.",
    "fonds-gremium": "Ein Teilnehmer oder Befangener ist kein Mitglied des Gremiums.",
    "fonds-befangenheit": "Ein Mitglied mit erklärter Befangenheit hat mitentschieden.",
    "fonds-nicht-beschlussfaehig": "Das Gremium war bei der Entscheidung nicht beschlussfähig.",
    "fonds-doppelt": "Ein Teil eines Fonds (Kostenstelle, Ziel, Frist, Budget, Mitglied) steht "
    "zweimal darin.",
    "fonds-auszahlung": "Es ist mehr ausgezahlt als bewilligt.",
    "fonds-budget-ueberschritten": "Die Bewilligungen eines Jahres überschreiten das Budget "
    "einer Kostenstelle.",
}


EXCERPT_CONTEXT = 80
MAX_PER_FILE = 100  # problems shown per file; the rest are counted in one "weitere-fehler"


def cap_per_file(problems: list[Problem], limit: int = MAX_PER_FILE) -> list[Problem]:
    """The first ``limit`` problems of each file (in the given order), then one
    ``weitere-fehler`` with the count of the rest: a report grows with the files, not with the
    pairs of grants in one of them. Earlier ``weitere-fehler`` do not count."""
    kept: list[Problem] = []
    shown: dict[str, int] = {}
    left_out: dict[str, int] = {}
    for problem in problems:
        if problem.code == "weitere-fehler":
            kept.append(problem)
        elif shown.get(problem.path, 0) < limit:
            shown[problem.path] = shown.get(problem.path, 0) + 1
            kept.append(problem)
        else:
            left_out[problem.path] = left_out.get(problem.path, 0) + 1
    kept += [
        Problem(
            "weitere-fehler",
            f"{number} weitere Fehler in dieser Datei werden nicht einzeln gemeldet.",
            path,
            hint="Die gemeldeten Fehler beheben und erneut prüfen.",
        )
        for path, number in left_out.items()
    ]
    return kept


def sorted_and_capped(problems: list[Problem]) -> list[Problem]:
    """By file and place, the first ``MAX_PER_FILE`` of each file and a count of the rest."""
    problems.sort(key=Problem.sort_key)
    return sorted(cap_per_file(problems), key=Problem.sort_key)


def printable(text: str) -> str:
    """Control characters (an escape sequence in a file name …) never reach the terminal."""
    return "".join(ch if ch.isprintable() or ch == "\t" else "\ufffd" for ch in text)


def excerpt_window(line: str, column: int | None) -> tuple[str, int | None]:
    """At most about 160 characters of ``line`` around ``column`` (so that the output stays
    proportional to the number of problems, not to their lines' lengths), made printable."""
    if len(line) <= 2 * EXCERPT_CONTEXT:
        return printable(line), column
    start = max(0, (column or 1) - 1 - EXCERPT_CONTEXT)
    prefix = "…" if start else ""
    suffix = "…" if start + 2 * EXCERPT_CONTEXT < len(line) else ""
    text = prefix + printable(line[start : start + 2 * EXCERPT_CONTEXT]) + suffix
    return text, None if column is None else column - start + len(prefix)


def shorten(value: object, limit: int = 60) -> str:
    """A value quoted in a message: never longer than ``limit`` characters, always printable."""
    text = printable(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the data, with enough context to find and fix it."""

    code: str
    message: str
    path: str
    line: int | None = None
    column: int | None = None
    end_column: int | None = None
    record_id: str | None = None
    field: str | None = None
    hint: str | None = None
    excerpt: str | None = None
    excerpt_column: int | None = None  # where ``column`` falls in a shortened excerpt

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered problem code: {self.code}")

    def sort_key(self) -> tuple[str, int, int, str]:
        """By file and place; the count of problems left out comes after the file's others."""
        last = self.code == "weitere-fehler" and self.line is None
        return (self.path, sys.maxsize if last else self.line or 0, self.column or 0, self.code)
