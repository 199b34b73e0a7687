"""How much a change matters for review: one rule table, first match wins.

``kritisch``: money and decisions (amounts, weights, budget, decisions); ``pruefen``: what changes
a result (funding periods, ratings, indicator values, references); ``info``: sources and notes.
"""

from __future__ import annotations

import re
from typing import Literal

Severity = Literal["info", "pruefen", "kritisch"]
LEVELS: tuple[Severity, ...] = ("info", "pruefen", "kritisch")

FIELD_RULES: tuple[tuple[str, str, Severity], ...] = (
    # (kind folder or "*", regular expression on the dotted field path, severity)
    ("*", r"(^|\.)(quelle|notiz|beschreibung|interpretation)(\.|$)", "info"),
    ("antraege", r"^(betrag|eigenanteil)$", "kritisch"),
    ("antraege", r"^entscheidung(\.|$)", "kritisch"),
    ("antraege", r"^(runde|anlaufstelle|doppelstruktur_bestaetigt)$", "kritisch"),
    ("antraege", r"^angaben(\.|$)", "kritisch"),  # read by knock-out rules
    ("antraege", r"^(bewertungen|konzeptpapier)(\.|$)", "pruefen"),
    (
        "entscheidungsmatrizen",
        r"(^|\.)(gewicht|budget|mindestpunktzahl|gleichstand|ausschluss|skala|kalibrierung_ab"
        r"|los_startwert)(\.|$)",
        "kritisch",
    ),
    ("anlaufstellen", r"^foerderungen(\.|$)", "pruefen"),
    ("fondsantraege", r"^(betrag_beantragt|entscheidung|auszahlungen|fonds)(\.|$)", "kritisch"),
    ("fonds", r"^(budgets|hoechstbetrag|kostenstellen|gremium|fristen|ziele)(\.|$)", "kritisch"),
    ("indikatoren/werte", r"(^|\.)wert$", "pruefen"),
    ("indikatoren/katalog", r"^(richtung|typ|gewicht|einheit|minimum|maximum)$", "kritisch"),
    ("*", r".*", "pruefen"),
)
RECORD_RULES: dict[tuple[str, str], Severity] = {
    # (kind folder, "hinzugefügt"/"entfernt"/"umbenannt") → severity; missing: "pruefen"
    ("antraege", "entfernt"): "kritisch",
    ("entscheidungsmatrizen", "hinzugefügt"): "kritisch",
    ("entscheidungsmatrizen", "entfernt"): "kritisch",
    ("entscheidungsmatrizen", "umbenannt"): "kritisch",
    ("fondsantraege", "entfernt"): "kritisch",
    ("fonds", "entfernt"): "kritisch",
}
CONSEQUENCE_RULES: dict[str, Severity] = {
    "entscheidung": "kritisch",
    "rang": "pruefen",
    "auslaufend": "pruefen",
    "klasse": "pruefen",
    "aufmerksamkeit": "pruefen",
    "fondsbudget": "pruefen",
    "fonds-ueberzogen": "kritisch",
}


def field_severity(folder: str, dotted: str) -> Severity:
    for kind, pattern, severity in FIELD_RULES:
        if kind in ("*", folder) and re.search(pattern, dotted):
            return severity
    return "pruefen"


def record_severity(folder: str, what: str) -> Severity:
    return RECORD_RULES.get((folder, what), "pruefen")


def at_least(severity: Severity, threshold: Severity) -> bool:
    return LEVELS.index(severity) >= LEVELS.index(threshold)


def highest(severities: list[Severity]) -> Severity | None:
    return max(severities, key=LEVELS.index) if severities else None
