"""The validated data set as an SQLite database: query it with SQL or browse it with Datasette.

One table per record kind and one per repeated part (grants, criteria, ratings, indicator values),
with ``REFERENCES`` for every link between records, so ``PRAGMA foreign_keys=ON`` and
``PRAGMA foreign_key_check`` hold the database to the same references ``qa validate`` checks.
Lists of plain text (Träger, partners, payers) become link tables or JSON arrays; ``Ja``/``Nein``
are 1/0; an unknown value is NULL (``k.A.`` too); months and dates stay text (``2020-12``,
``2020-11-10``), which sorts and compares correctly. Row numbers of lists (``nr``, ``position``)
count from 1 in the order of the file.

The file is written next to its destination and moved into place only when complete, so an
interrupted export never leaves half a database.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from qa_cli.domain.funding import funding_end
from qa_cli.domain.geo import office_position
from qa_cli.models.antrag import Antrag
from qa_cli.models.base import Record
from qa_cli.render.dataset_json import FORMAT, VERSION
from qa_cli.render.geojson import end_code
from qa_cli.render.sqlite_fonds import FONDS_SCHEMA, fonds_rows
from qa_cli.store.dataset import Dataset
from qa_cli.store.kinds import KINDS

SCHEMA = """
CREATE TABLE meta (
    schluessel TEXT PRIMARY KEY,
    wert TEXT
);
CREATE TABLE stadt (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    radius_km REAL NOT NULL,
    notiz TEXT
);
CREATE TABLE gebiete (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    art TEXT NOT NULL,
    uebergeordnet TEXT REFERENCES gebiete(id),
    nummer TEXT,
    andere_namen TEXT,
    lat REAL,
    lon REAL,
    lage_genauigkeit TEXT,
    interpretation TEXT,
    gueltig_ab TEXT,
    gueltig_bis TEXT,
    notiz TEXT
);
CREATE TABLE gebiet_nachfolger (
    gebiet TEXT NOT NULL REFERENCES gebiete(id),
    position INTEGER NOT NULL,
    nachfolger TEXT NOT NULL REFERENCES gebiete(id),
    PRIMARY KEY (gebiet, position)
);
CREATE TABLE gebiet_uebergeordnet (
    gebiet TEXT NOT NULL REFERENCES gebiete(id),
    position INTEGER NOT NULL,
    uebergeordnet TEXT NOT NULL REFERENCES gebiete(id),
    anteil_prozent REAL,
    PRIMARY KEY (gebiet, position)
);
CREATE TABLE schwerpunkte (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    beschreibung TEXT,
    notiz TEXT
);
CREATE TABLE traeger (
    name TEXT PRIMARY KEY
);
CREATE TABLE anlaufstellen (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    gebiet TEXT NOT NULL REFERENCES gebiete(id),
    ausrichtung TEXT,
    finanzielle_beteiligung INTEGER,
    laufzeit_wortlaut TEXT,
    foerderung_bis TEXT,
    foerderung_letzter_monat TEXT,
    adresse TEXT,
    lat REAL,
    lon REAL,
    lage_genauigkeit TEXT,
    notiz TEXT
);
CREATE TABLE anlaufstelle_weitere_gebiete (
    anlaufstelle TEXT NOT NULL REFERENCES anlaufstellen(id),
    position INTEGER NOT NULL,
    gebiet TEXT NOT NULL REFERENCES gebiete(id),
    PRIMARY KEY (anlaufstelle, position)
);
CREATE TABLE anlaufstelle_traeger (
    anlaufstelle TEXT NOT NULL REFERENCES anlaufstellen(id),
    position INTEGER NOT NULL,
    traeger TEXT NOT NULL REFERENCES traeger(name),
    PRIMARY KEY (anlaufstelle, position)
);
CREATE TABLE anlaufstelle_kooperationspartner (
    anlaufstelle TEXT NOT NULL REFERENCES anlaufstellen(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (anlaufstelle, position)
);
CREATE TABLE anlaufstelle_schwerpunkte (
    anlaufstelle TEXT NOT NULL REFERENCES anlaufstellen(id),
    position INTEGER NOT NULL,
    schwerpunkt TEXT NOT NULL REFERENCES schwerpunkte(id),
    PRIMARY KEY (anlaufstelle, position)
);
CREATE TABLE foerderungen (
    anlaufstelle TEXT NOT NULL REFERENCES anlaufstellen(id),
    nr INTEGER NOT NULL,
    programm TEXT,
    mittelgeber TEXT,
    beginn TEXT,
    ende TEXT,
    dauer_monate INTEGER,
    status TEXT NOT NULL,
    vorlaeufig INTEGER NOT NULL,
    ueberlappung_erlaubt INTEGER NOT NULL,
    notiz TEXT,
    PRIMARY KEY (anlaufstelle, nr)
);
CREATE TABLE entscheidungsmatrizen (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    beispiel INTEGER NOT NULL,
    budget INTEGER NOT NULL,
    skala_min INTEGER NOT NULL,
    skala_max INTEGER NOT NULL,
    mindestpunktzahl REAL NOT NULL,
    kalibrierung_ab REAL NOT NULL,
    ausschluss TEXT NOT NULL,
    gleichstand TEXT NOT NULL,
    los_startwert TEXT,
    notiz TEXT
);
CREATE TABLE skalenstufen (
    matrix TEXT NOT NULL REFERENCES entscheidungsmatrizen(id),
    wert INTEGER NOT NULL,
    beschreibung TEXT NOT NULL,
    PRIMARY KEY (matrix, wert)
);
CREATE TABLE kriteriengruppen (
    matrix TEXT NOT NULL REFERENCES entscheidungsmatrizen(id),
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    gewicht REAL NOT NULL,
    PRIMARY KEY (matrix, id)
);
CREATE TABLE kriterien (
    matrix TEXT NOT NULL REFERENCES entscheidungsmatrizen(id),
    id TEXT NOT NULL,
    gruppe TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    gewicht REAL NOT NULL,
    beschreibung TEXT,
    PRIMARY KEY (matrix, id),
    FOREIGN KEY (matrix, gruppe) REFERENCES kriteriengruppen(matrix, id)
);
CREATE TABLE antraege (
    id TEXT PRIMARY KEY,
    runde TEXT NOT NULL REFERENCES entscheidungsmatrizen(id),
    anlaufstelle TEXT NOT NULL REFERENCES anlaufstellen(id),
    traeger TEXT NOT NULL,
    beispiel INTEGER NOT NULL,
    eingang TEXT NOT NULL,
    zeitraum_beginn TEXT NOT NULL,
    zeitraum_ende TEXT NOT NULL,
    betrag INTEGER NOT NULL,
    eigenanteil INTEGER NOT NULL,
    konzeptpapier_vorhanden INTEGER NOT NULL,
    konzeptpapier_eingereicht_am TEXT,
    konzeptpapier_ziel TEXT,
    konzeptpapier_zeitraum TEXT,
    anschluss_programm TEXT,
    anschluss_beantragt_am TEXT,
    anschluss_entscheidung_erwartet TEXT,
    anschluss_beginn_erwartet TEXT,
    doppelstruktur_bestaetigt INTEGER NOT NULL,
    entscheidung_status TEXT NOT NULL,
    entscheidung_datum TEXT,
    betrag_bewilligt INTEGER,
    ausschuss_informiert_am TEXT,
    entscheidung_begruendung TEXT,
    notiz TEXT
);
CREATE TABLE gutachten (
    antrag TEXT NOT NULL REFERENCES antraege(id),
    gutachter TEXT NOT NULL,
    datum TEXT,
    notiz TEXT,
    PRIMARY KEY (antrag, gutachter)
);
CREATE TABLE bewertungen (
    antrag TEXT NOT NULL REFERENCES antraege(id),
    gutachter TEXT NOT NULL,
    runde TEXT NOT NULL REFERENCES entscheidungsmatrizen(id),
    kriterium TEXT NOT NULL,
    stufe INTEGER,
    wert TEXT NOT NULL,
    PRIMARY KEY (antrag, gutachter, kriterium),
    FOREIGN KEY (antrag, gutachter) REFERENCES gutachten(antrag, gutachter),
    FOREIGN KEY (runde, kriterium) REFERENCES kriterien(matrix, id)
);
CREATE TABLE indikatoren (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    zaehler TEXT NOT NULL,
    nenner TEXT,
    einheit TEXT NOT NULL,
    quelldienststelle TEXT,
    richtung TEXT NOT NULL,
    typ TEXT NOT NULL,
    gewicht REAL NOT NULL,
    minimum REAL,
    maximum REAL,
    notiz TEXT
);
CREATE TABLE indikatorensaetze (
    id TEXT PRIMARY KEY,
    jahr INTEGER NOT NULL,
    gliederung TEXT NOT NULL,
    gebietsstand TEXT,
    notiz TEXT
);
CREATE TABLE indikatorwerte (
    satz TEXT NOT NULL REFERENCES indikatorensaetze(id),
    gebiet TEXT NOT NULL REFERENCES gebiete(id),
    indikator TEXT NOT NULL REFERENCES indikatoren(id),
    wert REAL,
    stichtag TEXT,
    quelle TEXT,
    notiz TEXT,
    PRIMARY KEY (satz, gebiet, indikator)
);
CREATE TABLE gesamtstadtwerte (
    satz TEXT NOT NULL REFERENCES indikatorensaetze(id),
    indikator TEXT NOT NULL REFERENCES indikatoren(id),
    wert REAL,
    stichtag TEXT,
    quelle TEXT,
    notiz TEXT,
    PRIMARY KEY (satz, indikator)
);
CREATE TABLE quellen (
    art TEXT NOT NULL,
    datensatz TEXT NOT NULL,
    nr INTEGER NOT NULL,
    dokument TEXT NOT NULL,
    stand TEXT,
    fundstelle TEXT,
    url TEXT,
    PRIMARY KEY (art, datensatz, nr)
);
CREATE INDEX anlaufstellen_gebiet ON anlaufstellen(gebiet);
CREATE INDEX antraege_anlaufstelle ON antraege(anlaufstelle);
CREATE INDEX bewertungen_kriterium ON bewertungen(runde, kriterium);
CREATE INDEX indikatorwerte_gebiet ON indikatorwerte(gebiet);
CREATE INDEX indikatorwerte_indikator ON indikatorwerte(indikator);
"""

Row = Sequence[Any]
Add = Callable[..., None]


class ExportError(Exception):
    """The database cannot be written; the message is German."""


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _json(values: Iterable[Any] | None) -> str | None:
    return None if values is None else json.dumps(list(values), ensure_ascii=False)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def rows(dataset: Dataset) -> dict[str, list[Row]]:
    """The rows of every table, in insertion order, from the validated records."""
    tables: dict[str, list[Row]] = {}

    def add(table: str, *row: Any) -> None:
        tables.setdefault(table, []).append(row)

    for city_id, city in sorted(dataset.staedte.items()):
        point = city.mittelpunkt
        add("stadt", city_id, city.name, point.lat, point.lon, city.radius_km, city.notiz)
    for area_id, area in sorted(dataset.gebiete.items()):
        lage = area.lage.position if area.lage is not None else None
        add(
            "gebiete",
            area_id,
            area.name,
            area.art,
            area.parent_ids[0] if area.parent_ids else None,  # every one: gebiet_uebergeordnet
            area.nummer,
            _json(area.andere_namen),
            lage[0] if lage else None,
            lage[1] if lage else None,
            area.lage.genauigkeit if area.lage is not None else None,
            area.interpretation,
            area.gueltig_ab,
            area.gueltig_bis,
            area.notiz,
        )
    for area_id, area in sorted(dataset.gebiete.items()):
        for index, parent in enumerate(area.parents, 1):
            add("gebiet_uebergeordnet", area_id, index, parent.gebiet, parent.anteil_prozent)
        for index, successor in enumerate(area.nachfolger or [], 1):
            add("gebiet_nachfolger", area_id, index, successor)
    for focus_id, focus in sorted(dataset.schwerpunkte.items()):
        add("schwerpunkte", focus_id, focus.name, focus.beschreibung, focus.notiz)
    _offices(dataset, add)
    _matrices(dataset, add)
    for request_id, request in sorted(dataset.antraege.items()):
        _request(request_id, request, add)
    _indicators(dataset, add)
    fonds_rows(dataset, add)
    for kind in KINDS:
        records: dict[str, Record] = dataset.of_kind(kind)
        for record_id, record in sorted(records.items()):
            for nr, source in enumerate(record.quelle, 1):
                add(
                    "quellen",
                    kind.folder,
                    record_id,
                    nr,
                    source.dokument,
                    source.stand,
                    source.fundstelle,
                    source.url,
                )
    return tables


def _offices(dataset: Dataset, add: Add) -> None:
    carriers = sorted(
        {name for office in dataset.anlaufstellen.values() for name in office.traeger}
    )
    for name in carriers:
        add("traeger", name)
    for office_id, office in sorted(dataset.anlaufstellen.items()):
        end = funding_end(office)
        position = office_position(office, dataset.gebiete)
        add(
            "anlaufstellen",
            office_id,
            office.name,
            office.gebiet,
            office.ausrichtung,
            _flag(office.finanzielle_beteiligung),
            office.laufzeit_wortlaut,
            end_code(end),
            str(end.period.last) if end.period is not None else None,
            office.standort.adresse if office.standort is not None else None,
            position.lat if position else None,
            position.lon if position else None,
            position.genauigkeit if position else None,
            office.notiz,
        )
        for index, area_id in enumerate(office.weitere_gebiete or [], 1):
            add("anlaufstelle_weitere_gebiete", office_id, index, area_id)
        for index, carrier in enumerate(office.traeger, 1):
            add("anlaufstelle_traeger", office_id, index, carrier)
        for index, partner in enumerate(office.kooperationspartner or [], 1):
            add("anlaufstelle_kooperationspartner", office_id, index, partner)
        for index, focus in enumerate(office.schwerpunkte or [], 1):
            add("anlaufstelle_schwerpunkte", office_id, index, focus)
        for nr, grant in enumerate(office.foerderungen, 1):
            add(
                "foerderungen",
                office_id,
                nr,
                grant.programm,
                _json(grant.mittelgeber),
                grant.beginn,
                grant.ende,
                grant.dauer_monate,
                grant.status,
                _flag(grant.vorlaeufig),
                _flag(grant.ueberlappung_erlaubt),
                grant.notiz,
            )


def _matrices(dataset: Dataset, add: Add) -> None:
    for matrix_id, matrix in sorted(dataset.matrizen.items()):
        add(
            "entscheidungsmatrizen",
            matrix_id,
            matrix.name,
            _flag(matrix.beispiel),
            matrix.budget,
            matrix.skala.minimum,
            matrix.skala.maximum,
            matrix.mindestpunktzahl,
            matrix.kalibrierung_ab,
            _json(rule.model_dump(mode="json", exclude_none=True) for rule in matrix.ausschluss),
            _json(matrix.gleichstand),
            matrix.los_startwert,
            matrix.notiz,
        )
        for level in matrix.skala.stufen:
            add("skalenstufen", matrix_id, level.wert, level.beschreibung)
        for group_position, group in enumerate(matrix.gruppen, 1):
            add("kriteriengruppen", matrix_id, group.id, group_position, group.name, group.gewicht)
            for position, criterion in enumerate(group.kriterien, 1):
                add(
                    "kriterien",
                    matrix_id,
                    criterion.id,
                    group.id,
                    position,
                    criterion.name,
                    criterion.gewicht,
                    criterion.beschreibung,
                )


def _request(request_id: str, request: Antrag, add: Add) -> None:
    paper = request.konzeptpapier
    follow = paper.anschlussfoerderung
    decision = request.entscheidung
    add(
        "antraege",
        request_id,
        request.runde,
        request.anlaufstelle,
        request.traeger,
        _flag(request.beispiel),
        request.eingang.isoformat(),
        request.zeitraum.beginn,
        request.zeitraum.ende,
        request.betrag,
        request.eigenanteil,
        _flag(paper.vorhanden),
        _text(paper.eingereicht_am),
        paper.ziel,
        paper.zeitraum,
        follow.programm if follow else None,
        _text(follow.beantragt_am) if follow else None,
        follow.entscheidung_erwartet if follow else None,
        follow.beginn_erwartet if follow else None,
        _flag(request.doppelstruktur_bestaetigt),
        decision.status,
        _text(decision.datum),
        decision.betrag_bewilligt,
        _text(decision.ausschuss_informiert_am),
        decision.begruendung,
        request.notiz,
    )
    for review in request.bewertungen:
        add("gutachten", request_id, review.gutachter, _text(review.datum), review.notiz)
        for criterion, value in review.werte.items():
            level = value if isinstance(value, int) else None
            add(
                "bewertungen",
                request_id,
                review.gutachter,
                request.runde,
                criterion,
                level,
                str(value),
            )


def _indicators(dataset: Dataset, add: Add) -> None:
    for indicator_id, indicator in sorted(dataset.indikatoren.items()):
        add(
            "indikatoren",
            indicator_id,
            indicator.name,
            indicator.definition.zaehler,
            indicator.definition.nenner,
            indicator.einheit,
            indicator.quelldienststelle,
            indicator.richtung,
            indicator.typ,
            indicator.gewicht,
            indicator.minimum,
            indicator.maximum,
            indicator.notiz,
        )
    for set_id, values in sorted(dataset.indikatorensaetze.items()):
        add(
            "indikatorensaetze",
            set_id,
            values.jahr,
            values.gliederung,
            values.gebietsstand,
            values.notiz,
        )
        for unit, by_indicator in values.werte.items():
            for indicator_id, value in by_indicator.items():
                add(
                    "indikatorwerte",
                    set_id,
                    unit,
                    indicator_id,
                    value.number,
                    value.stichtag,
                    value.quelle,
                    value.notiz,
                )
        for indicator_id, value in values.gesamtstadt.items():
            add(
                "gesamtstadtwerte",
                set_id,
                indicator_id,
                value.number,
                value.stichtag,
                value.quelle,
                value.notiz,
            )


def _fill(connection: sqlite3.Connection, dataset: Dataset) -> None:
    connection.execute("PRAGMA foreign_keys = ON")
    connection.executescript(SCHEMA + FONDS_SCHEMA)
    with connection:  # one transaction; references are checked at its end
        connection.execute("PRAGMA defer_foreign_keys = ON")
        meta = [("format", FORMAT), ("version", str(VERSION))]
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta)
        for table, table_rows in rows(dataset).items():
            marks = ", ".join("?" * len(table_rows[0]))
            connection.executemany(f"INSERT INTO {table} VALUES ({marks})", table_rows)
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    if broken:  # cannot happen for validated data; a guard against a wrong mapping above
        raise ExportError(f"Verweise in der Datenbank stimmen nicht: {broken[:5]}")


def write_sqlite(dataset: Dataset, target: Path, *, force: bool = False) -> None:
    """Write the database to ``target`` (``-``: standard output); an existing file only with
    ``force``. Built in a temporary file beside the target and renamed over it
    (``qa_cli.atomic``): never through a link, never onto a device, never half."""
    from qa_cli.atomic import is_stdout, temporary_beside, write_bytes

    if is_stdout(target):
        import tempfile

        with tempfile.TemporaryDirectory(prefix="qa-sqlite-") as folder:
            built = Path(folder) / "qa.sqlite"
            _build(dataset, built)
            write_bytes(None, built.read_bytes())
        return
    if target.is_dir():
        raise ExportError(f"„{target}“ ist ein Verzeichnis.")
    if (target.exists() or target.is_symlink()) and not force:
        raise ExportError(f"„{target}“ gibt es schon; qa überschreibt keine Datei ohne --force.")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(f"Das Verzeichnis „{directory}“ gibt es nicht.")
    with temporary_beside(target) as temporary:
        _build(dataset, temporary)


def _build(dataset: Dataset, path: Path) -> None:
    """Fill a new database at ``path``; a database error becomes a German ``ExportError``."""
    path.unlink(missing_ok=True)  # the empty temporary file: SQLite starts its own
    try:
        connection = sqlite3.connect(path)
        try:
            _fill(connection, dataset)
        finally:
            connection.close()
    except sqlite3.Error as error:
        reason = next(
            (german for english, german in _SQLITE_REASONS.items() if english in str(error)),
            f"Datenbankfehler ({error})",
        )
        raise ExportError(f"Die SQLite-Datenbank ließ sich nicht schreiben: {reason}.") from None


_SQLITE_REASONS = {
    "full": "kein Platz mehr auf dem Datenträger",
    "disk I/O error": "Ein-/Ausgabefehler (Datenträger voll oder Dateigrößengrenze erreicht?)",
    "unable to open": "die Datei lässt sich nicht öffnen",
    "readonly": "die Datei oder der Datenträger ist schreibgeschützt",
    "locked": "die Datenbank ist von einem anderen Programm gesperrt",
}
