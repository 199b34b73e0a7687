"""A small fund in a scratch data directory: the rules' limits, the Gremium and two budget
lines with figures a test can compute by hand (the shipped Stadtteilfonds has too few known
amounts for that)."""

from __future__ import annotations

from pathlib import Path

AREAS = {
    "nordstadt": "name: Nordstadt\nart: stadtbezirk\nquelle:\n  - dokument: Test\n",
    "altdorf": "name: Altdorf\nart: stadtteil\nuebergeordnet: nordstadt\n"
    "quelle:\n  - dokument: Test\n",
    "suedstadt": "name: Südstadt\nart: stadtbezirk\nquelle:\n  - dokument: Test\n",
}

FUND = """name: Testfonds für Stadtteilprojekte
kurzname: Testfonds
richtlinie:
  name: Testrichtlinie
  in_kraft_ab: "2021-01-01"
kostenstellen:
  - id: allgemein
    name: Allgemein
  - id: wohlfahrt
    name: Wohlfahrt
    zweck: Wohlfahrtsverbände
    nur_fuer: [wohlfahrtsverband]
budgets:
  - jahr: 2021
    kostenstelle: allgemein
    betrag: 3000
  - jahr: 2021
    kostenstelle: wohlfahrt
    betrag: 2000
hoechstbetrag:
  projekt: 1500
  kooperationsprojekt: 2000
ziele:
  - id: nachbarschaft
    name: Nachbarschaft stärken
  - id: kultur
    name: Stadtteilkultur beleben
antragsberechtigt:
  - id: verein
    name: Verein
  - id: wohlfahrtsverband
    name: Wohlfahrtsverband
fristen:
  - datum: "2021-04-01"
  - datum: "2021-10-01"
gremium:
  name: Testgremium
  mitglieder:
    - id: m1
      rolle: Bezirksbürgermeister/in
      stadtbezirk: nordstadt
    - id: m2
      rolle: Dienststelle
    - id: m3
      rolle: Dienststelle
  quorum: 2
  befangenheiten: []
quelle:
  - dokument: Test
"""
CONFLICT = """  befangenheiten:
    - mitglied: m1
      antrag: befangen
      grund: Vorsitz im Verein
"""
FUND_WITH_CONFLICT = FUND.replace("  befangenheiten: []\n", CONFLICT)

APPLICATION = """fonds: testfonds
antragsteller:
  - name: Verein A
    art: verein
projekt:
  titel: Hoffest
gebiet: altdorf
ziele: [nachbarschaft]
betrag_beantragt: 1000
eingang: "2021-03-15"
frist: "2021-04-01"
entscheidung:
  status: bewilligt
  datum: "2021-04-20"
  betrag_bewilligt: 1000
  kostenstelle: allgemein
  teilnehmende: [m1, m2, m3]
auszahlungen:
  - datum: "2021-05-01"
    betrag: 1000
verwendungsnachweis:
  faellig_am: "2021-12-31"
quelle:
  - dokument: Test
"""


def write_fund(root: Path, applications: dict[str, str]) -> Path:
    """A data directory with the areas, the fund and ``applications`` (id → YAML text)."""
    for folder in ("gebiete", "fonds", "fondsantraege"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for area_id, text in AREAS.items():
        (root / "gebiete" / f"{area_id}.yaml").write_text(text, encoding="utf-8")
    (root / "fonds" / "testfonds.yaml").write_text(FUND, encoding="utf-8")
    for application_id, text in applications.items():
        (root / "fondsantraege" / f"{application_id}.yaml").write_text(text, encoding="utf-8")
    return root


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of ``text`` that contains ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)
