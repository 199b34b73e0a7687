"""The tables of funds and fund applications in the SQLite export (``sqlite_export.py``):
the same conventions (``REFERENCES`` for every link, NULL for unknown, 1/0 for Ja/Nein, dates
as text, lists of ids as JSON arrays, ``nr`` counting from 1)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from qa_cli.store.dataset import Dataset

FONDS_SCHEMA = """
CREATE TABLE fonds (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kurzname TEXT,
    traeger TEXT,
    geschaeftsfuehrung TEXT,
    gebiet TEXT REFERENCES gebiete(id),
    richtlinie TEXT,
    in_kraft_ab TEXT,
    hoechstbetrag_projekt INTEGER,
    hoechstbetrag_kooperationsprojekt INTEGER,
    gremium TEXT,
    quorum INTEGER,
    notiz TEXT
);
CREATE TABLE fonds_kostenstellen (
    fonds TEXT NOT NULL REFERENCES fonds(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    zweck TEXT,
    nur_fuer TEXT,
    PRIMARY KEY (fonds, id)
);
CREATE TABLE fonds_budgets (
    fonds TEXT NOT NULL,
    jahr INTEGER NOT NULL,
    kostenstelle TEXT NOT NULL,
    betrag INTEGER,
    PRIMARY KEY (fonds, jahr, kostenstelle),
    FOREIGN KEY (fonds, kostenstelle) REFERENCES fonds_kostenstellen(fonds, id)
);
CREATE TABLE fonds_ziele (
    fonds TEXT NOT NULL REFERENCES fonds(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (fonds, id)
);
CREATE TABLE fonds_fristen (
    fonds TEXT NOT NULL REFERENCES fonds(id),
    datum TEXT NOT NULL,
    art TEXT NOT NULL,
    PRIMARY KEY (fonds, datum)
);
CREATE TABLE fonds_mitglieder (
    fonds TEXT NOT NULL REFERENCES fonds(id),
    id TEXT NOT NULL,
    rolle TEXT NOT NULL,
    dienststelle TEXT,
    stadtbezirk TEXT REFERENCES gebiete(id),
    name TEXT,
    PRIMARY KEY (fonds, id)
);
CREATE TABLE fondsantraege (
    id TEXT PRIMARY KEY,
    fonds TEXT NOT NULL REFERENCES fonds(id),
    nachgetragen INTEGER NOT NULL,
    projekt TEXT NOT NULL,
    beschreibung TEXT,
    gebiet TEXT REFERENCES gebiete(id),
    ziele TEXT,
    kooperationsprojekt INTEGER NOT NULL,
    betrag_beantragt INTEGER,
    eingang TEXT,
    frist TEXT,
    status TEXT NOT NULL,
    datum TEXT,
    bekannt_seit TEXT,
    betrag_bewilligt INTEGER,
    kostenstelle TEXT,
    haushaltsjahr INTEGER,
    auflagen TEXT,
    teilnehmende TEXT,
    ausgezahlt INTEGER,
    nachweis_faellig_am TEXT,
    nachweis_eingegangen_am TEXT,
    nachweis_anerkannt INTEGER,
    ausgegeben INTEGER,
    zurueckgezahlt INTEGER,
    notiz TEXT
);
CREATE TABLE fondsantrag_antragsteller (
    antrag TEXT NOT NULL REFERENCES fondsantraege(id),
    nr INTEGER NOT NULL,
    name TEXT,
    art TEXT,
    PRIMARY KEY (antrag, nr)
);
CREATE TABLE fonds_befangenheiten (
    fonds TEXT NOT NULL,
    mitglied TEXT NOT NULL,
    antrag TEXT NOT NULL REFERENCES fondsantraege(id),
    grund TEXT,
    PRIMARY KEY (fonds, mitglied, antrag),
    FOREIGN KEY (fonds, mitglied) REFERENCES fonds_mitglieder(fonds, id)
);
CREATE INDEX fondsantraege_fonds ON fondsantraege(fonds);
"""


def _json(values: list[Any] | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False)


def _day(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def fonds_rows(dataset: Dataset, add: Callable[..., None]) -> None:
    """Add the rows of every fund and fund application."""
    for fund_id, fund in sorted(dataset.fonds.items()):
        basis, gremium = fund.richtlinie, fund.gremium
        add(
            "fonds",
            fund_id,
            fund.name,
            fund.kurzname,
            fund.traeger,
            fund.geschaeftsfuehrung,
            fund.gebiet,
            basis.name if basis else None,
            _day(fund.in_force),
            fund.hoechstbetrag.projekt,
            fund.hoechstbetrag.kooperationsprojekt,
            gremium.name if gremium else None,
            gremium.quorum if gremium else None,
            fund.notiz,
        )
        for line in fund.kostenstellen:
            add(
                "fonds_kostenstellen", fund_id, line.id, line.name, line.zweck, _json(line.nur_fuer)
            )
        for budget in fund.budgets:
            add("fonds_budgets", fund_id, budget.jahr, budget.kostenstelle, budget.betrag)
        for goal in fund.ziele:
            add("fonds_ziele", fund_id, goal.id, goal.name)
        for deadline in fund.fristen:
            add("fonds_fristen", fund_id, _day(deadline.datum), deadline.art)
        for m in gremium.mitglieder if gremium else []:
            add("fonds_mitglieder", fund_id, m.id, m.rolle, m.dienststelle, m.stadtbezirk, m.name)
        for c in gremium.befangenheiten if gremium else []:
            add("fonds_befangenheiten", fund_id, c.mitglied, c.antrag, c.grund)
    for application_id, a in sorted(dataset.fondsantraege.items()):
        decision, proof = a.entscheidung, a.verwendungsnachweis
        add(
            "fondsantraege",
            application_id,
            a.fonds,
            int(a.nachgetragen),
            a.projekt.titel,
            a.projekt.beschreibung,
            a.gebiet,
            _json(a.ziele),
            int(a.cooperation),
            a.betrag_beantragt,
            _day(a.eingang),
            _day(a.frist),
            decision.status,
            _day(decision.datum),
            decision.bekannt_seit,
            decision.betrag_bewilligt,
            decision.kostenstelle,
            decision.haushaltsjahr,
            _json(decision.auflagen),
            _json(decision.teilnehmende),
            a.paid,
            _day(proof.faellig_am) if proof else None,
            _day(proof.eingegangen_am) if proof else None,
            _flag(proof.anerkannt) if proof else None,
            proof.ausgegeben if proof else None,
            proof.zurueckgezahlt if proof else None,
            a.notiz,
        )
        for nr, applicant in enumerate(a.antragsteller, 1):
            add("fondsantrag_antragsteller", application_id, nr, applicant.name, applicant.art)
