"""Cross-record checks, run after every record has loaded on its own.

Each check is a plain function from the dataset to problems, listed in ``CHECKS`` (the pattern of
beancount's ``ops/validation.py``): adding a rule means adding one function to the list.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations

from qa_cli import german
from qa_cli.city import CityRules, rules_of
from qa_cli.distance import LatLon, outside_cities
from qa_cli.models.anlaufstelle import Anlaufstelle, Foerderung
from qa_cli.models.antrag import Antrag, Bewertung
from qa_cli.models.base import Record
from qa_cli.models.gebiet import Gebiet
from qa_cli.models.indikator import Indikatorensatz, Wert
from qa_cli.models.matrix import Entscheidungsmatrix
from qa_cli.models.stadt import DEFAULT_POPULATION
from qa_cli.months import Month, parse_end
from qa_cli.store.checks_fonds import FONDS_CHECKS, FONDS_REFERENCES
from qa_cli.store.checks_gebiete import AREA_CHECKS
from qa_cli.store.dataset import Dataset, RecordFile
from qa_cli.store.kinds import (
    ANLAUFSTELLEN,
    ANTRAEGE,
    GEBIETE,
    INDIKATOREN,
    INDIKATORENSAETZE,
    MATRIZEN,
    SCHWERPUNKTE,
    STADT,
    Kind,
)
from qa_cli.store.locate import exhausted, forget, locate
from qa_cli.store.problems import MAX_PER_FILE, Problem, cap_per_file
from qa_cli.store.source import YamlPath, format_path

Check = Callable[[Dataset], Iterable[Problem]]


@dataclass(frozen=True, slots=True)
class Reference:
    """A field of one kind that names a record of another kind."""

    source: Kind
    target: Kind
    extract: Callable[[Record], Iterable[tuple[YamlPath, str]]]


def _office_area(record: Record) -> Iterator[tuple[YamlPath, str]]:
    assert isinstance(record, Anlaufstelle)
    yield ("gebiet",), record.gebiet
    for index, area in enumerate(record.weitere_gebiete or []):
        yield ("weitere_gebiete", index), area


def _parent_path(area: Gebiet, index: int) -> YamlPath:
    """Where the ``index``-th parent is written: the field itself or an entry of its list."""
    if isinstance(area.uebergeordnet, list):
        return ("uebergeordnet", index, "gebiet")
    return ("uebergeordnet",)


def _area_parent(record: Record) -> Iterator[tuple[YamlPath, str]]:
    assert isinstance(record, Gebiet)
    for index, parent in enumerate(record.parent_ids):
        yield _parent_path(record, index), parent


def _request_office(record: Record) -> Iterator[tuple[YamlPath, str]]:
    assert isinstance(record, Antrag)
    yield ("anlaufstelle",), record.anlaufstelle


def _request_round(record: Record) -> Iterator[tuple[YamlPath, str]]:
    assert isinstance(record, Antrag)
    yield ("runde",), record.runde


def _office_focus(record: Record) -> Iterator[tuple[YamlPath, str]]:
    assert isinstance(record, Anlaufstelle)
    for index, focus in enumerate(record.schwerpunkte or []):
        yield ("schwerpunkte", index), focus


def _set_units(record: Record) -> Iterator[tuple[YamlPath, str]]:
    assert isinstance(record, Indikatorensatz)
    for unit in record.werte:
        yield ("werte", unit), unit


def _set_indicators(record: Record) -> Iterator[tuple[YamlPath, str]]:
    assert isinstance(record, Indikatorensatz)
    for unit, values in record.werte.items():
        for indicator in values:
            yield ("werte", unit, indicator), indicator
    for indicator in record.gesamtstadt:
        yield ("gesamtstadt", indicator), indicator


REFERENCES: tuple[Reference, ...] = (
    Reference(ANLAUFSTELLEN, GEBIETE, _office_area),
    Reference(GEBIETE, GEBIETE, _area_parent),
    Reference(ANTRAEGE, ANLAUFSTELLEN, _request_office),
    Reference(ANTRAEGE, MATRIZEN, _request_round),
    Reference(ANLAUFSTELLEN, SCHWERPUNKTE, _office_focus),
    Reference(INDIKATORENSAETZE, GEBIETE, _set_units),
    Reference(INDIKATORENSAETZE, INDIKATOREN, _set_indicators),
    *(Reference(*reference) for reference in FONDS_REFERENCES),
)


def _by_source(references: Iterable[Reference]) -> dict[Kind, list[Reference]]:
    """The references grouped by the kind they start from, in the order they are listed."""
    grouped: dict[Kind, list[Reference]] = {}
    for reference in references:
        grouped.setdefault(reference.source, []).append(reference)
    return grouped


def check_references(dataset: Dataset) -> Iterator[Problem]:
    """Every reference names a loaded record. Each kind is walked once for all the references
    it holds: building 100,000 offices is the larger part of ``qa validate``'s checks."""
    for source, references in _by_source(REFERENCES).items():
        targets = [(reference, dataset.of_kind(reference.target)) for reference in references]
        for record_id, record in dataset.checked(source):
            for reference, records in targets:
                for path, target_id in reference.extract(record):
                    if target_id not in records:
                        yield _dangling(dataset, reference, record_id, path, target_id, records)


def _dangling(
    dataset: Dataset,
    reference: Reference,
    record_id: str,
    path: YamlPath,
    target_id: str,
    targets: dict[str, Record],
) -> Problem:
    """A reference to no loaded record: either the file is missing (then the nearest id is
    suggested), or it exists but is itself invalid (then it is named, with no suggestion: the
    fix belongs there, and a different record would be the wrong hint)."""
    source, target = reference.source, reference.target
    record_file = dataset.file_of(source, record_id)
    named = f"{target.article_accusative} {target.label} „{target_id}“"
    start = (
        f"{source.article.capitalize()} {source.label} „{record_id}“ verweist in "
        f"„{format_path(path)}“ auf {named}"
    )
    existing = _invalid_record(dataset, target, target_id)
    if existing is not None:
        message = f"{start}; {existing} ist ungültig, siehe dort."
        hint = None
    else:
        missing = f"data/{target.folder}/{target_id}.yaml"
        message = f"{start}, {target.article_accusative} es nicht gibt ({missing} fehlt)."
        close = [] if exhausted(record_file) else difflib.get_close_matches(target_id, targets, n=1)
        hint = f"Meinten Sie „{close[0]}“?" if close else None
    return locate(record_file, path, "unbekannte-referenz", message, hint)


def _invalid_record(dataset: Dataset, kind: Kind, record_id: str) -> str | None:
    """Where the record lies if its file exists but did not validate, else ``None``."""
    record_file = dataset.invalid.get((kind.folder, record_id))
    return record_file.display if record_file is not None else None


def check_area_cycles(dataset: Dataset) -> Iterator[Problem]:
    """An area may not lie (through any chain of parents) inside itself."""
    areas = dataset.gebiete
    for area_id in areas:
        chain = _cycle_from(area_id, areas)
        if chain:
            yield locate(
                dataset.file_of(GEBIETE, area_id),
                ("uebergeordnet",),
                "zyklischer-verweis",
                f"Übergeordnete Gebiete bilden einen Kreis: {' → '.join(chain)}.",
            )


def _cycle_from(start: str, areas: dict[str, Gebiet]) -> list[str] | None:
    """A chain of parents from ``start`` back to ``start``, if there is one (depth first)."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    visited: set[str] = set()
    while stack:
        current, chain = stack.pop()
        for parent in areas[current].parent_ids if current in areas else ():
            if parent == start:
                return [*chain, start]
            if parent not in visited:
                visited.add(parent)
                stack.append((parent, [*chain, parent]))
    return None


def _last_month(grant: Foerderung) -> Month | None:
    """The last funded month; ``None`` if unknown; a far-future month for ``dauerhaft``."""
    if grant.ende is None:
        return None
    period = parse_end(grant.ende)
    return Month(9999, 12) if period is None else period.last


def check_grants(dataset: Dataset) -> Iterator[Problem]:
    """Each office's grants: every period ends after it begins, and no two granted periods
    overlap unless one allows it (one walk over the offices for both)."""
    for office_id, office in _offices(dataset):
        yield from _grant_periods(dataset, office_id, office)
        yield from _grant_overlaps(dataset, office_id, office)


def _grant_periods(dataset: Dataset, office_id: str, office: Anlaufstelle) -> Iterator[Problem]:
    for index, grant in enumerate(office.foerderungen):
        last = _last_month(grant)
        if grant.beginn is not None and last is not None and Month.parse(grant.beginn) > last:
            yield locate(
                dataset.file_of(ANLAUFSTELLEN, office_id),
                ("foerderungen", index, "beginn"),
                "zeitraum-ungueltig",
                f"Beginn {Month.parse(grant.beginn).german()} liegt nach dem Ende {last.german()}.",
            )


def _grant_overlaps(dataset: Dataset, office_id: str, office: Anlaufstelle) -> Iterator[Problem]:
    """Every pair of granted periods that overlap (unless one allows it); each period's months
    are worked out once, not once per pair."""
    granted = [
        (index, Month.parse(grant.beginn), last)
        for index, grant in enumerate(office.foerderungen)
        if grant.status == "bewilligt"
        and grant.beginn
        and not grant.ueberlappung_erlaubt
        and (last := _last_month(grant)) is not None
    ]
    for (first_index, first_begin, first_last), (
        second_index,
        second_begin,
        second_last,
    ) in combinations(granted, 2):
        if first_begin <= second_last and second_begin <= first_last:
            yield locate(
                dataset.file_of(ANLAUFSTELLEN, office_id),
                ("foerderungen", second_index),
                "foerderungen-ueberlappen",
                f"Förderung {second_index + 1} überschneidet sich mit Förderung {first_index + 1}.",
                "Zeiträume prüfen oder bei einer der beiden `ueberlappung_erlaubt: Ja` setzen.",
            )


def check_ratings(dataset: Dataset) -> Iterator[Problem]:
    """Every reviewer rates every sub-criterion of the round's matrix, on its scale, once."""
    for request_id, request in _requests(dataset):
        matrix = dataset.matrizen.get(request.runde)
        if matrix is None:
            continue  # reported as a dangling reference
        record_file = dataset.file_of(ANTRAEGE, request_id)
        seen: set[str] = set()
        for index, review in enumerate(request.bewertungen):
            where: YamlPath = ("bewertungen", index)
            if review.gutachter in seen:
                yield locate(
                    record_file,
                    (*where, "gutachter"),
                    "doppelte-bewertung",
                    f"{review.gutachter} bewertet diesen Antrag ein zweites Mal.",
                    "Die Bewertungen einer Person in einem Eintrag zusammenführen.",
                )
            seen.add(review.gutachter)
            yield from _review_problems(record_file, where, review, matrix)


def _review_problems(
    record_file: RecordFile, where: YamlPath, review: Bewertung, matrix: Entscheidungsmatrix
) -> Iterator[Problem]:
    known = matrix.criterion_ids()
    low, high = matrix.skala.minimum, matrix.skala.maximum
    for criterion, value in review.werte.items():
        path = (*where, "werte", criterion)
        if criterion not in known:
            close = difflib.get_close_matches(criterion, known, n=1)
            yield locate(
                record_file,
                path,
                "unbekanntes-kriterium",
                f"Unterkriterium „{criterion}“ gibt es in der Entscheidungsmatrix "
                f"„{matrix.name}“ nicht.",
                f"Meinten Sie „{close[0]}“?" if close else "Kennungen: " + ", ".join(known),
            )
        elif isinstance(value, int) and not low <= value <= high:
            yield locate(
                record_file,
                path,
                "bewertung-ausserhalb-skala",
                f"Bewertung {value} liegt außerhalb der Skala {low}–{high}.",
                "Eine Stufe der Skala, „nicht_anwendbar“ oder „fehlt“ eintragen.",
            )
    missing = [c for c in known if c not in review.werte]
    if missing:
        yield locate(
            record_file,
            (*where, "werte"),
            "bewertung-unvollstaendig",
            f"{review.gutachter} hat {len(missing)} Unterkriterien nicht bewertet: "
            + ", ".join(missing)
            + ".",
            "Jedes Unterkriterium bewerten; ohne Angaben „fehlt“, unpassend „nicht_anwendbar“.",
        )


def check_requests(dataset: Dataset) -> Iterator[Problem]:
    """Periods run forward; a granted decision names date and amount, at most the amount asked."""
    for request_id, request in _requests(dataset):
        record_file = dataset.file_of(ANTRAEGE, request_id)
        if Month.parse(request.zeitraum.beginn) > Month.parse(request.zeitraum.ende):
            yield locate(
                record_file,
                ("zeitraum", "beginn"),
                "zeitraum-ungueltig",
                f"Beginn {request.zeitraum.beginn} liegt nach dem Ende {request.zeitraum.ende}.",
            )
        decision = request.entscheidung
        if decision.status == "bewilligt" and (
            decision.datum is None or decision.betrag_bewilligt is None
        ):
            yield locate(
                record_file,
                ("entscheidung", "status"),
                "entscheidung-unvollstaendig",
                "Eine Bewilligung braucht Datum und bewilligten Betrag.",
                "`datum` und `betrag_bewilligt` unter `entscheidung` eintragen.",
            )
        if decision.betrag_bewilligt is not None and decision.betrag_bewilligt > request.betrag:
            yield locate(
                record_file,
                ("entscheidung", "betrag_bewilligt"),
                "ungueltiger-wert",
                f"Bewilligt sind {decision.betrag_bewilligt} €, beantragt nur {request.betrag} €.",
            )
        if decision.status != "bewilligt" and decision.betrag_bewilligt is not None:
            yield locate(
                record_file,
                ("entscheidung", "betrag_bewilligt"),
                "ungueltiger-wert",
                f"Ein bewilligter Betrag gehört nur zu Status „bewilligt“, hier "
                f"„{decision.status}“.",
                "Status auf „bewilligt“ setzen oder `betrag_bewilligt` entfernen.",
            )


def check_round_budgets(dataset: Dataset) -> Iterator[Problem]:
    """The recorded grants of a round fit its budget (``qa score`` takes them off first)."""
    for matrix_id, matrix in dataset.matrizen.items():
        granted = sum(
            r.entscheidung.betrag_bewilligt or 0
            for r in dataset.antraege.values()
            if r.runde == matrix_id and r.entscheidung.status == "bewilligt"
        )
        if granted > matrix.budget:
            yield locate(
                dataset.file_of(MATRIZEN, matrix_id),
                ("budget",),
                "bewilligungen-ueber-budget",
                f"In Runde {matrix_id} sind {german.euro(granted)} bewilligt, das Budget ist "
                f"{german.euro(matrix.budget)}.",
                "Budget oder Bewilligungen prüfen.",
            )


def check_indicator_sets(dataset: Dataset) -> Iterator[Problem]:
    """Units belong to the set's division; values lie in the indicator's possible range."""
    rules = rules_of(dataset.stadt)
    for set_id, indicator_set in dataset.indikatorensaetze.items():
        record_file = dataset.file_of(INDIKATORENSAETZE, set_id)
        for unit, values in indicator_set.werte.items():
            area = dataset.gebiete.get(unit)
            if area is not None and area.art != indicator_set.gliederung:
                yield locate(
                    record_file,
                    ("werte", unit),
                    "falsche-gliederung",
                    f"„{area.name}“ gehört zur Gliederung {rules.kind_label(area.art)}, der Satz "
                    f"gilt aber für die Gliederung {rules.kind_label(indicator_set.gliederung)}.",
                    "Werte einer anderen Gliederung gehören in einen eigenen Indikatorensatz.",
                )
            for indicator, value in values.items():
                yield from _range_problems(
                    dataset, rules, record_file, ("werte", unit, indicator), indicator, value
                )
        for indicator, value in indicator_set.gesamtstadt.items():
            yield from _range_problems(
                dataset, rules, record_file, ("gesamtstadt", indicator), indicator, value
            )


def _range_problems(
    dataset: Dataset,
    rules: CityRules,
    record_file: RecordFile,
    path: YamlPath,
    indicator_id: str,
    value: Wert,
) -> Iterator[Problem]:
    indicator = dataset.indikatoren.get(indicator_id)
    number = value.number
    if indicator is None or number is None:
        return
    low, high = indicator.bounds()
    if (low is not None and number < low) or (high is not None and number > high):
        unit = rules.unit_label(indicator.einheit)
        yield locate(
            record_file,
            (*path, "wert"),
            "wert-ausserhalb-bereich",
            f"{indicator.name}: {number} {unit} liegt außerhalb des möglichen Bereichs "
            f"{'–' if low is None else low} bis {'–' if high is None else high} {unit}.",
        )


def check_duplicate_values(dataset: Dataset) -> Iterator[Problem]:
    """One value per unit, indicator and year, even across several sets of the same year."""
    seen: dict[tuple[int, str, str], str] = {}
    for set_id in sorted(dataset.indikatorensaetze):
        indicator_set = dataset.indikatorensaetze[set_id]
        for unit, values in indicator_set.werte.items():
            for indicator in values:
                key = (indicator_set.jahr, unit, indicator)
                if key in seen:
                    yield locate(
                        dataset.file_of(INDIKATORENSAETZE, set_id),
                        ("werte", unit, indicator),
                        "doppelter-wert",
                        f"{indicator} für {unit} im Jahr {indicator_set.jahr} steht schon im "
                        f"Indikatorensatz „{seen[key]}“.",
                        "Einen der beiden Werte löschen.",
                    )
                else:
                    seen[key] = set_id


def check_locations(dataset: Dataset) -> Iterator[Problem]:
    """Coordinates of offices and areas lie within the radius of the city (``data/stadt/``);
    without a city record there is nothing to compare with and the check is skipped."""
    cities = dataset.staedte
    if not cities:
        return
    for office_id, office in _offices(dataset):
        point = office.standort.position if office.standort is not None else None
        if point is not None:
            yield from _far(dataset, ANLAUFSTELLEN, office_id, ("standort", "lat"), point)
    for area_id, record in dataset.checked(GEBIETE):
        assert isinstance(record, Gebiet)
        point = record.lage.position if record.lage is not None else None
        if point is not None:
            yield from _far(dataset, GEBIETE, area_id, ("lage", "lat"), point)


def _offices(dataset: Dataset) -> Iterator[tuple[str, Anlaufstelle]]:
    """The offices a local check walks (``Dataset.checked``)."""
    for office_id, record in dataset.checked(ANLAUFSTELLEN):
        assert isinstance(record, Anlaufstelle)
        yield office_id, record


def _requests(dataset: Dataset) -> Iterator[tuple[str, Antrag]]:
    """The requests a local check walks (``Dataset.checked``)."""
    for request_id, record in dataset.checked(ANTRAEGE):
        assert isinstance(record, Antrag)
        yield request_id, record


def _far(
    dataset: Dataset, kind: Kind, record_id: str, path: YamlPath, point: LatLon
) -> Iterator[Problem]:
    far = outside_cities(point, dataset.staedte)
    if far is None:
        return
    swapped = outside_cities((point[1], point[0]), dataset.staedte) is None
    hint = (
        "Breite (lat) und Länge (lon) scheinen vertauscht."
        if swapped
        else "Koordinaten prüfen: WGS84 in Grad mit Dezimalpunkt, lat = Breite, lon = Länge "
        f"(Mittelpunkt von {far.city.name}: lat {far.city.mittelpunkt.lat}, "
        f"lon {far.city.mittelpunkt.lon})."
    )
    yield locate(
        dataset.file_of(kind, record_id),
        path,
        "standort-ausserhalb",
        f"Die Koordinaten lat {point[0]}, lon {point[1]} liegen {_km(far.km)} km vom "
        f"Mittelpunkt von {far.city.name} entfernt; erlaubt sind höchstens "
        f"{far.city.radius_km:g} km (data/{STADT.folder}/{far.city_id}.yaml).",
        hint,
    )


def _km(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _where_declared(dataset: Dataset) -> str:
    """The city record that declares the vocabulary, or where such a record would go."""
    if dataset.staedte:
        return dataset.file_of(STADT, min(dataset.staedte)).display
    return f"data/{STADT.folder}/ (kein Stadt-Datensatz: es gelten die Vorgaben)"


def _city_unreadable(dataset: Dataset) -> bool:
    """A city record exists but did not load: what it declares is unknown, so nothing is
    judged against it (its own error is reported; a flood of follow-up errors would hide it)."""
    return not dataset.staedte and any(folder == STADT.folder for folder, _ in dataset.invalid)


def _undeclared(
    record_file: RecordFile, path: YamlPath, what: str, value: str, known: Iterable[str], where: str
) -> Problem:
    known = sorted(known)
    close = difflib.get_close_matches(value, known, n=1)
    return locate(
        record_file,
        path,
        "nicht-erklaert",
        f"{what} „{value}“ ist nicht erklärt ({where}).",
        (f"Meinten Sie „{close[0]}“? " if close else "")
        + f"Erklärt: {', '.join(known)}; eine neue im Stadt-Datensatz ergänzen.",
    )


def check_declared_vocabulary(dataset: Dataset) -> Iterator[Problem]:
    """Area kinds, divisions of indicator sets and units are those the city declares."""
    if _city_unreadable(dataset):
        return
    rules = rules_of(dataset.stadt)
    where = _where_declared(dataset)
    for area_id, area in dataset.gebiete.items():
        if area.art not in rules.area_kinds:
            record_file = dataset.file_of(GEBIETE, area_id)
            yield _undeclared(
                record_file, ("art",), "Gebietsart", area.art, rules.area_kinds, where
            )
    for set_id, indicator_set in dataset.indikatorensaetze.items():
        if indicator_set.gliederung not in rules.area_kinds:
            record_file = dataset.file_of(INDIKATORENSAETZE, set_id)
            division = indicator_set.gliederung
            yield _undeclared(
                record_file, ("gliederung",), "Gliederung", division, rules.area_kinds, where
            )
    for indicator_id, indicator in dataset.indikatoren.items():
        if indicator.einheit not in rules.units:
            record_file = dataset.file_of(INDIKATOREN, indicator_id)
            unit = indicator.einheit
            yield _undeclared(record_file, ("einheit",), "Einheit", unit, rules.units, where)
    yield from _undeclared_reviewers(dataset, rules, where)


def _undeclared_reviewers(dataset: Dataset, rules: CityRules, where: str) -> Iterator[Problem]:
    """Once the city names its reviewing offices, every rating names one of them (papers show
    the name, so an unknown id would reach the committee)."""
    if not rules.reviewers:
        return
    for request_id, request in dataset.antraege.items():
        for index, review in enumerate(request.bewertungen):
            if review.gutachter not in rules.reviewers:
                record_file = dataset.file_of(ANTRAEGE, request_id)
                path = ("bewertungen", index, "gutachter")
                yield _undeclared(
                    record_file, path, "Gutachter/in", review.gutachter, rules.reviewers, where
                )


def check_area_levels(dataset: Dataset) -> Iterator[Problem]:
    """A parent lies on a higher level (smaller ``ebene``) than its child; the shares an area
    gives for its parents add up to at most 100 % (exactly 100 % when every share is known)."""
    rules = CityRules(area_kinds={}) if _city_unreadable(dataset) else rules_of(dataset.stadt)
    areas = dataset.gebiete
    for area_id, area in areas.items():
        record_file = dataset.file_of(GEBIETE, area_id)
        level = rules.level(area.art)
        for index, parent_id in enumerate(area.parent_ids):
            parent = areas.get(parent_id)
            parent_level = rules.level(parent.art) if parent is not None else None
            if parent is None or level is None or parent_level is None or parent_level < level:
                continue
            yield locate(
                record_file,
                _parent_path(area, index),
                "ebene-ungueltig",
                f"„{parent.name}“ ({rules.kind_label(parent.art)}, Ebene {parent_level}) kann "
                f"nicht über „{area.name}“ ({rules.kind_label(area.art)}, Ebene {level}) liegen.",
                "Ein übergeordnetes Gebiet hat eine kleinere Ebene (gebietsarten im "
                "Stadt-Datensatz).",
            )
        yield from _share_problems(record_file, area)


def _share_problems(record_file: RecordFile, area: Gebiet) -> Iterator[Problem]:
    shares = [p.anteil_prozent for p in area.parents]
    known = [share for share in shares if share is not None]
    total = sum(known)
    if total > 100 + 1e-9 or (len(known) == len(shares) > 1 and abs(total - 100) > 0.5):
        yield locate(
            record_file,
            ("uebergeordnet",),
            "anteile-ungueltig",
            f"Die Anteile in den übergeordneten Gebieten ergeben {german.decimal(total)} %, "
            "nicht 100 %.",
            "Anteile prüfen; einen unbekannten Anteil leer lassen.",
        )


def check_population_indicator(dataset: Dataset) -> Iterator[Problem]:
    """With indicator sets, the indicator that holds the population must be in the catalogue
    and have values: otherwise no area could be held to the minimum population."""
    if not dataset.indikatorensaetze or _city_unreadable(dataset):
        return
    rules = rules_of(dataset.stadt)
    population = rules.population
    found = any(
        population in values
        for indicator_set in dataset.indikatorensaetze.values()
        for values in indicator_set.werte.values()
    )
    if population in dataset.indikatoren and found:
        return
    problem = (
        "steht nicht im Katalog (data/indikatoren/katalog/)"
        if population not in dataset.indikatoren
        else "hat in keinem Indikatorensatz einen Wert"
    )
    message = (
        f"Der Indikator der Einwohnerzahl „{population}“ (`einwohner_indikator`, Vorgabe: "
        f"{DEFAULT_POPULATION}) {problem}; ohne ihn "
        f"kann die Mindesteinwohnerzahl ({rules.min_residents}) nicht geprüft werden."
    )
    hint = "Im Stadt-Datensatz `einwohner_indikator` auf die Kennung des Indikators setzen."
    if dataset.stadt is not None:
        where = dataset.file_of(STADT, min(dataset.staedte))
        yield locate(where, ("einwohner_indikator",), "einwohner-unbekannt", message, hint)
        return
    # no city record to point at: the first indicator set, which needs the population
    first = dataset.file_of(INDIKATORENSAETZE, min(dataset.indikatorensaetze))
    yield locate(first, ("werte",), "einwohner-unbekannt", message, hint)


def check_dynamic_years(dataset: Dataset) -> Iterator[Problem]:
    """Each declared pair of years compares years that have indicator sets, one pair per year."""
    years = {s.jahr for s in dataset.indikatorensaetze.values()}
    for city_id, city in dataset.staedte.items():
        record_file = dataset.file_of(STADT, city_id)
        ends: set[int] = set()
        for index, pair in enumerate(city.dynamik):
            missing = [str(y) for y in (pair.von, pair.bis) if y not in years]
            if missing:
                yield locate(
                    record_file,
                    ("dynamik", index),
                    "dynamik-ungueltig",
                    f"Für {' und '.join(missing)} gibt es keinen Indikatorensatz.",
                    "Jahre: " + (", ".join(map(str, sorted(years))) or "keine"),
                )
            if pair.bis in ends:
                yield locate(
                    record_file,
                    ("dynamik", index, "bis"),
                    "dynamik-ungueltig",
                    f"Für {pair.bis} ist schon ein Vergleichsjahr erklärt.",
                    "Je Jahr „bis“ ein Paar.",
                )
            ends.add(pair.bis)


CHECKS: tuple[Check, ...] = (
    check_references,
    check_area_cycles,
    check_grants,
    check_ratings,
    check_requests,
    check_round_budgets,
    check_indicator_sets,
    check_duplicate_values,
    check_locations,
    check_declared_vocabulary,
    check_area_levels,
    check_population_indicator,
    check_dynamic_years,
    *AREA_CHECKS,
    *FONDS_CHECKS,
)


LOCAL: dict[Check, frozenset[Kind]] = {
    check_references: frozenset(),
    check_grants: frozenset(),
    check_ratings: frozenset({MATRIZEN}),
    check_requests: frozenset(),
    check_locations: frozenset({STADT}),
}
"""Checks that are local: they walk records through ``Dataset.checked`` and every problem they
report lies in the record walked and depends only on it, on which records exist (of any kind)
and on the content of the kinds named here. After an edit that adds, removes or invalidates no
record, such a check runs again only over the changed records (``rerun_checks``); any other
check runs again in full if it read a kind that changed. A new check needs no entry here."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one check reported (in its order) and the folders of the kinds it read."""

    name: str
    kinds: frozenset[str]
    problems: list[Problem]


def check_name(check: Check) -> str:
    return f"{check.__module__}.{check.__qualname__}"


def run_checks(dataset: Dataset) -> list[Problem]:
    return cap_per_file([p for result in run_all_checks(dataset) for p in result.problems])


def run_all_checks(dataset: Dataset) -> list[CheckResult]:
    """Every check over the whole dataset, each with the kinds it read."""
    forget()
    try:
        return [_run(check, dataset) for check in CHECKS]
    finally:
        dataset.touched = None
        forget()


def _run(check: Check, dataset: Dataset) -> CheckResult:
    dataset.touched = set()
    problems = list(check(dataset))
    return CheckResult(check_name(check), frozenset(dataset.touched), problems)


def rerun_checks(
    dataset: Dataset,
    previous: dict[str, CheckResult],
    changed: dict[str, list[str]],
    added_or_removed: bool,
) -> list[CheckResult] | None:
    """The results of every check after the records ``changed`` (folder → ids) changed since
    the run that gave ``previous``: a check that read no changed kind keeps its result; a local
    one (``LOCAL``) runs over the changed records only, if no record was added or removed and
    none of its context changed; any other runs in full. ``None`` when the answer could differ
    from a full run's (a check broke its locality, a file reached the problem limit): then the
    caller runs them all."""
    changed_kinds = set(changed)
    paths = {
        dataset.files[(folder, record_id)].display
        for folder, ids in changed.items()
        for record_id in ids
        if (folder, record_id) in dataset.files
    }
    results: list[CheckResult] = []
    forget()
    try:
        for check in CHECKS:
            old = previous.get(check_name(check))
            context = LOCAL.get(check)
            if old is not None and not old.kinds & changed_kinds:
                results.append(old)
            elif (
                old is not None
                and context is not None
                and not added_or_removed
                and not (changed_kinds & {kind.folder for kind in context})
            ):
                dataset.only = changed
                fresh = _run(check, dataset)
                dataset.only = None
                if any(problem.path not in paths for problem in fresh.problems):
                    return None
                kept = [problem for problem in old.problems if problem.path not in paths]
                results.append(
                    CheckResult(fresh.name, old.kinds | fresh.kinds, kept + fresh.problems)
                )
            else:
                results.append(_run(check, dataset))
    finally:
        dataset.only = None
        dataset.touched = None
        forget()
    return results if within_limit(results) else None


def within_limit(results: list[CheckResult]) -> bool:
    """No file has as many problems as are shown: then neither the order of the checks' problems
    nor ``locate``'s budget per file can change which are shown (an incremental run is exact)."""
    counts: dict[str, int] = {}
    for result in results:
        for problem in result.problems:
            counts[problem.path] = counts.get(problem.path, 0) + 1
    return all(count < MAX_PER_FILE for count in counts.values())
