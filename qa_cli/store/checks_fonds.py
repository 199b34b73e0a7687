"""The rules of a fund (``data/fonds/``) checked on every application (``data/fondsantraege/``).

Each rule is a plain function in ``FONDS_CHECKS``, which ``checks.py`` appends to its list. Every
limit comes from the fund's record (caps, goals, deadlines, Kostenstellen and their purpose,
quorum, declared conflicts, budget), never from code. A value that is unknown (empty) is not
checked; an application received as such (``nachgetragen: Nein``) must name what a rule needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from qa_cli import german
from qa_cli.models.fonds import Fonds
from qa_cli.models.fondsantrag import Fondsantrag
from qa_cli.models.gebiet import Gebiet
from qa_cli.store.dataset import Dataset, RecordFile
from qa_cli.store.kinds import FONDS, FONDSANTRAEGE, GEBIETE, Kind
from qa_cli.store.locate import locate
from qa_cli.store.problems import Problem
from qa_cli.store.source import YamlPath

Rule = Callable[[Dataset, str, Fondsantrag, Fonds], Iterable[Problem]]


def _application_refs(record: object) -> Iterator[tuple[YamlPath, str]]:
    assert isinstance(record, Fondsantrag)
    yield ("fonds",), record.fonds


def _application_area(record: object) -> Iterator[tuple[YamlPath, str]]:
    assert isinstance(record, Fondsantrag)
    if record.gebiet is not None:
        yield ("gebiet",), record.gebiet


def _fund_area(record: object) -> Iterator[tuple[YamlPath, str]]:
    assert isinstance(record, Fonds)
    if record.gebiet is not None:
        yield ("gebiet",), record.gebiet


FONDS_REFERENCES: tuple[tuple[Kind, Kind, Callable[[Any], Iterator[tuple[YamlPath, str]]]], ...] = (
    (FONDSANTRAEGE, FONDS, _application_refs),
    (FONDSANTRAEGE, GEBIETE, _application_area),
    (FONDS, GEBIETE, _fund_area),
)
"""References of the two kinds (source, target, extract), for ``checks.REFERENCES``."""


def _file(dataset: Dataset, application_id: str) -> RecordFile:
    return dataset.file_of(FONDSANTRAEGE, application_id)


def cap_for(fund: Fonds, application: Fondsantrag) -> tuple[int | None, str]:
    """The cap that applies and its name; several applicants make a Kooperationsprojekt."""
    caps = fund.hoechstbetrag
    if application.cooperation:
        return caps.kooperationsprojekt, "Kooperationsprojekt"
    return caps.projekt, "Projekt"


def check_cap(
    dataset: Dataset, application_id: str, application: Fondsantrag, fund: Fonds
) -> Iterator[Problem]:
    cap, label = cap_for(fund, application)
    if cap is None:
        return
    granted = application.entscheidung.betrag_bewilligt
    amounts: tuple[tuple[YamlPath, int | None, str], ...] = (
        (("betrag_beantragt",), application.betrag_beantragt, "Beantragt"),
        (("entscheidung", "betrag_bewilligt"), granted, "Bewilligt"),
    )
    for path, amount, what in amounts:
        if amount is not None and amount > cap:
            yield locate(
                _file(dataset, application_id),
                path,
                "fonds-hoechstbetrag",
                f"{what} sind {german.euro(amount)}; der Höchstbetrag des Fonds „{fund.name}“ "
                f"für ein {label} ist {german.euro(cap)}.",
                "Mehrere Antragsteller gemeinsam: Kooperationsprojekt mit eigenem Höchstbetrag."
                if not application.cooperation
                else None,
            )


def check_goals(
    dataset: Dataset, application_id: str, application: Fondsantrag, fund: Fonds
) -> Iterator[Problem]:
    record_file = _file(dataset, application_id)
    goals = application.ziele
    if goals is None and application.nachgetragen:
        return
    if not goals:
        yield locate(
            record_file,
            ("ziele",) if goals is not None else ("projekt",),
            "fonds-ohne-ziel",
            "Der Antrag nennt kein Ziel; jedes Projekt muss mindestens einem Ziel des Fonds "
            "dienen.",
            "Ziele: " + ", ".join(fund.goal_names()) if fund.ziele else None,
        )
        return
    known = fund.goal_names()
    for index, goal in enumerate(goals):
        if goal not in known:
            yield locate(
                record_file,
                ("ziele", index),
                "fonds-unbekanntes-ziel",
                f"Ziel „{goal}“ gibt es im Fonds „{fund.name}“ nicht.",
                "Ziele: " + ", ".join(known) if known else "Der Fonds nennt keine Ziele.",
            )


def check_area(
    dataset: Dataset, application_id: str, application: Fondsantrag, fund: Fonds
) -> Iterator[Problem]:
    record_file = _file(dataset, application_id)
    area = application.gebiet
    if area is None:
        if not application.nachgetragen:
            yield locate(
                record_file,
                ("projekt",),
                "fonds-gebiet",
                "Der Antrag nennt kein Gebiet; ein Projekt braucht einen Bezug zu einem "
                "Gebiet der Stadt.",
                "`gebiet:` mit der Kennung eines Gebiets (data/gebiete/) eintragen.",
            )
        return
    if area not in dataset.gebiete or fund.gebiet is None or fund.gebiet not in dataset.gebiete:
        return  # a missing area is reported as a dangling reference
    if fund.gebiet not in area_and_parents(dataset.gebiete, area):
        yield locate(
            record_file,
            ("gebiet",),
            "fonds-gebiet",
            f"„{dataset.gebiete[area].name}“ liegt nicht im Gebiet des Fonds „{fund.name}“ "
            f"({dataset.gebiete[fund.gebiet].name}).",
        )


def area_and_parents(areas: Mapping[str, Gebiet], area_id: str) -> list[str]:
    """The area and every area above it (all its parents, an area may have several), each once,
    stopping at a cycle."""
    chain = [area_id]
    for current in chain:
        above = areas[current].parent_ids if current in areas else ()
        chain.extend(parent for parent in above if parent in areas and parent not in chain)
    return chain


def check_deadline(
    dataset: Dataset, application_id: str, application: Fondsantrag, fund: Fonds
) -> Iterator[Problem]:
    record_file = _file(dataset, application_id)
    declared = sorted(frist.datum for frist in fund.fristen)
    days = ", ".join(german.day(day) for day in declared) or "keine"
    if application.frist is None:
        if application.eingang is not None or not application.nachgetragen:
            yield locate(
                record_file,
                ("eingang",) if application.eingang is not None else ("projekt",),
                "fonds-frist",
                "Der Antrag nennt keine Frist, für die er zählt.",
                f"`frist:` mit einem Stichtag des Fonds eintragen (erklärt: {days}).",
            )
        return
    if application.frist not in declared:
        yield locate(
            record_file,
            ("frist",),
            "fonds-frist",
            f"{german.day(application.frist)} ist keine erklärte Frist des Fonds „{fund.name}“.",
            f"Erklärte Fristen: {days}.",
        )
    elif application.eingang is None:
        if not application.nachgetragen:
            yield locate(
                record_file, ("frist",), "fonds-frist", "Das Eingangsdatum fehlt (`eingang`)."
            )
    elif application.eingang > application.frist:
        later = [day for day in declared if day >= application.eingang]
        yield locate(
            record_file,
            ("eingang",),
            "fonds-frist",
            f"Eingegangen am {german.day(application.eingang)}, nach der Frist "
            f"{german.day(application.frist)}.",
            f"Er zählt für die nächste Frist {german.day(later[0])}." if later else None,
        )


def check_applicants(
    dataset: Dataset, application_id: str, application: Fondsantrag, fund: Fonds
) -> Iterator[Problem]:
    record_file = _file(dataset, application_id)
    if not application.antragsteller and not application.nachgetragen:
        yield locate(record_file, ("antragsteller",), "pflichtfeld-fehlt", "Kein Antragsteller.")
    kinds = fund.applicant_kinds()
    for index, applicant in enumerate(application.antragsteller):
        if applicant.art is not None and applicant.art not in kinds:
            yield locate(
                record_file,
                ("antragsteller", index, "art"),
                "fonds-antragsteller-art",
                f"„{applicant.art}“ ist keine antragsberechtigte Art im Fonds „{fund.name}“.",
                "Antragsberechtigt: " + ", ".join(kinds) if kinds else None,
            )


def check_kostenstelle(
    dataset: Dataset, application_id: str, application: Fondsantrag, fund: Fonds
) -> Iterator[Problem]:
    record_file = _file(dataset, application_id)
    decision = application.entscheidung
    path: YamlPath = ("entscheidung", "kostenstelle")
    if decision.kostenstelle is None:
        needed = decision.betrag_bewilligt is not None and not application.nachgetragen
        year = application.budget_year(fund.in_force)
        if needed and fund.charged_to(None, year) is None:
            yield locate(
                record_file,
                ("entscheidung", "betrag_bewilligt"),
                "fonds-kostenstelle",
                f"Der Fonds „{fund.name}“ hat mehrere Kostenstellen; die Bewilligung nennt keine.",
                "Kostenstellen: " + ", ".join(k.id for k in fund.kostenstellen),
            )
        return
    kostenstelle = fund.kostenstelle(decision.kostenstelle)
    if kostenstelle is None:
        yield locate(
            record_file,
            path,
            "fonds-kostenstelle",
            f"Kostenstelle „{decision.kostenstelle}“ gibt es im Fonds „{fund.name}“ nicht.",
            "Kostenstellen: " + ", ".join(k.id for k in fund.kostenstellen),
        )
        return
    if kostenstelle.nur_fuer is None:
        return
    kinds = {applicant.art for applicant in application.antragsteller}
    if not kinds & set(kostenstelle.nur_fuer):
        allowed = fund.applicant_kinds()
        names = ", ".join(allowed.get(kind, kind) for kind in kostenstelle.nur_fuer)
        yield locate(
            record_file,
            path,
            "fonds-kostenstelle-zweck",
            f"Die Kostenstelle „{kostenstelle.name}“ ist nur für {names}; keiner der "
            "Antragsteller ist von dieser Art.",
            "Andere Kostenstelle wählen oder die Art des Antragstellers (`art`) prüfen.",
        )


def check_gremium(
    dataset: Dataset, application_id: str, application: Fondsantrag, fund: Fonds
) -> Iterator[Problem]:
    """Only members take part; enough of them vote (quorum); no one with a declared conflict
    of interest for this application votes on it."""
    decision = application.entscheidung
    if decision.teilnehmende is None:
        return
    record_file = _file(dataset, application_id)
    members = fund.members()
    for index, member in enumerate(decision.teilnehmende):
        if member not in members:
            yield locate(
                record_file,
                ("entscheidung", "teilnehmende", index),
                "fonds-gremium",
                f"„{member}“ ist kein Mitglied des Gremiums des Fonds „{fund.name}“.",
                "Mitglieder: " + ", ".join(members) if members else None,
            )
    abstaining = {entry.mitglied for entry in decision.enthaltungen}
    voting = [member for member in decision.teilnehmende if member not in abstaining]
    conflicted = {
        conflict.mitglied
        for conflict in (fund.gremium.befangenheiten if fund.gremium else [])
        if conflict.antrag == application_id
    }
    for index, member in enumerate(decision.teilnehmende):
        if member in conflicted and member not in abstaining:
            yield locate(
                record_file,
                ("entscheidung", "teilnehmende", index),
                "fonds-befangenheit",
                f"„{member}“ hat für diesen Antrag eine Befangenheit erklärt und hat trotzdem "
                "mitentschieden.",
                "Unter `enthaltungen` eintragen oder aus `teilnehmende` streichen.",
            )
    quorum = fund.gremium.quorum if fund.gremium else None
    if quorum is not None and decision.status != "offen" and len(voting) < quorum:
        yield locate(
            record_file,
            ("entscheidung", "teilnehmende"),
            "fonds-nicht-beschlussfaehig",
            f"Es haben {len(voting)} Mitglieder entschieden (ohne Enthaltungen); das Gremium "
            f"ist erst ab {quorum} beschlussfähig.",
        )


def check_decision(
    dataset: Dataset, application_id: str, application: Fondsantrag, fund: Fonds
) -> Iterator[Problem]:
    """A granted application received as such names its date and amount; never more than
    asked for; never more paid than granted."""
    record_file = _file(dataset, application_id)
    decision = application.entscheidung
    if (
        decision.status == "bewilligt"
        and not application.nachgetragen
        and (decision.datum is None or decision.betrag_bewilligt is None)
    ):
        yield locate(
            record_file,
            ("entscheidung", "status"),
            "entscheidung-unvollstaendig",
            "Eine Bewilligung braucht Datum und bewilligten Betrag.",
            "`datum` und `betrag_bewilligt` unter `entscheidung` eintragen.",
        )
    asked, granted = application.betrag_beantragt, decision.betrag_bewilligt
    if asked is not None and granted is not None and granted > asked:
        yield locate(
            record_file,
            ("entscheidung", "betrag_bewilligt"),
            "ungueltiger-wert",
            f"Bewilligt sind {german.euro(granted)}, beantragt nur {german.euro(asked)}.",
        )
    paid = application.paid
    if paid and (granted is None or paid > granted):
        yield locate(
            record_file,
            ("auszahlungen",),
            "fonds-auszahlung",
            f"Ausgezahlt sind {german.euro(paid)}, bewilligt "
            + ("ist kein Betrag." if granted is None else f"nur {german.euro(granted)}."),
        )


APPLICATION_RULES: tuple[Rule, ...] = (
    check_cap,
    check_goals,
    check_area,
    check_deadline,
    check_applicants,
    check_kostenstelle,
    check_gremium,
    check_decision,
)


def check_applications(dataset: Dataset) -> Iterator[Problem]:
    """Every rule on every application whose fund exists (else: a dangling reference)."""
    for application_id, application in dataset.fondsantraege.items():
        fund = dataset.fonds.get(application.fonds)
        if fund is None:
            continue
        for rule in APPLICATION_RULES:
            yield from rule(dataset, application_id, application, fund)


def check_budgets(dataset: Dataset) -> Iterator[Problem]:
    """The granted amounts of a year and Kostenstelle stay within its budget; the decision that
    goes over (in order of meeting date, then id) is the one reported."""
    charged: dict[tuple[str, int, str], list[tuple[str, Fondsantrag]]] = defaultdict(list)
    for application_id, application in sorted(dataset.fondsantraege.items()):
        fund = dataset.fonds.get(application.fonds)
        year = application.budget_year(fund.in_force) if fund is not None else None
        decision = application.entscheidung
        if fund is None or year is None or decision.status != "bewilligt":
            continue
        kostenstelle = fund.charged_to(decision.kostenstelle, year)
        if kostenstelle is not None and decision.betrag_bewilligt is not None:
            charged[(application.fonds, year, kostenstelle)].append((application_id, application))
    for (fund_id, year, kostenstelle), entries in sorted(charged.items()):
        fund = dataset.fonds[fund_id]
        budget = fund.budget(year, kostenstelle)
        if budget is None or budget.betrag is None:
            continue
        yield from _overspent(dataset, fund, year, kostenstelle, budget.betrag, entries)


def _overspent(
    dataset: Dataset,
    fund: Fonds,
    year: int,
    kostenstelle: str,
    budget: int,
    entries: list[tuple[str, Fondsantrag]],
) -> Iterator[Problem]:
    total = 0
    for application_id, application in sorted(entries, key=_meeting_order):
        granted = application.entscheidung.betrag_bewilligt or 0
        total += granted
        if total > budget:
            yield locate(
                _file(dataset, application_id),
                ("entscheidung", "betrag_bewilligt"),
                "fonds-budget-ueberschritten",
                f"Mit dieser Bewilligung sind in {year} aus der Kostenstelle „{kostenstelle}“ "
                f"des Fonds „{fund.name}“ {german.euro(total)} bewilligt; das Budget ist "
                f"{german.euro(budget)}.",
            )
            return


def _meeting_order(entry: tuple[str, Fondsantrag]) -> tuple[str, str]:
    decision = entry[1].entscheidung
    return (decision.datum.isoformat() if decision.datum else "", entry[0])


def check_funds(dataset: Dataset) -> Iterator[Problem]:
    """A fund's own parts fit together: budgets name its Kostenstellen, ids are unique,
    conflicts name members, members' Stadtbezirke are Stadtbezirke."""
    for fund_id, fund in dataset.fonds.items():
        record_file = dataset.file_of(FONDS, fund_id)
        ids = {k.id for k in fund.kostenstellen}
        for index, budget in enumerate(fund.budgets):
            if budget.kostenstelle not in ids:
                yield locate(
                    record_file,
                    ("budgets", index, "kostenstelle"),
                    "fonds-kostenstelle",
                    f"Kostenstelle „{budget.kostenstelle}“ gibt es in diesem Fonds nicht.",
                    "Kostenstellen: " + ", ".join(sorted(ids)),
                )
        yield from _duplicate_problems(record_file, fund)
        yield from _subset_problems(record_file, fund)
        yield from _member_problems(dataset, record_file, fund)


def _duplicate_problems(record_file: RecordFile, fund: Fonds) -> Iterator[Problem]:
    """Ids of Kostenstellen, goals, kinds and members, deadlines, and budgets of a year and
    Kostenstelle occur once (a rule or a sum would otherwise have to pick one)."""
    parts: tuple[tuple[str, list[object]], ...] = (
        ("kostenstellen", [k.id for k in fund.kostenstellen]),
        ("ziele", [g.id for g in fund.ziele]),
        ("antragsberechtigt", [k.id for k in fund.antragsberechtigt]),
        ("fristen", [f.datum for f in fund.fristen]),
        ("budgets", [(b.jahr, b.kostenstelle) for b in fund.budgets]),
        ("mitglieder", [m.id for m in fund.gremium.mitglieder] if fund.gremium else []),
    )
    for part, keys in parts:
        seen: set[object] = set()
        for index, key in enumerate(keys):
            if key in seen:
                path: YamlPath = ("gremium", part, index) if part == "mitglieder" else (part, index)
                yield locate(
                    record_file,
                    path,
                    "fonds-doppelt",
                    f"Eintrag {index + 1} unter „{part}“ wiederholt einen früheren Eintrag.",
                    "Einen der beiden Einträge löschen oder zusammenführen.",
                )
            seen.add(key)


def _subset_problems(record_file: RecordFile, fund: Fonds) -> Iterator[Problem]:
    kinds = fund.applicant_kinds()
    for index, kostenstelle in enumerate(fund.kostenstellen):
        for position, kind in enumerate(kostenstelle.nur_fuer or []):
            if kind not in kinds:
                yield locate(
                    record_file,
                    ("kostenstellen", index, "nur_fuer", position),
                    "fonds-antragsteller-art",
                    f"„{kind}“ steht nicht unter `antragsberechtigt`.",
                )


def _member_problems(dataset: Dataset, record_file: RecordFile, fund: Fonds) -> Iterator[Problem]:
    if fund.gremium is None:
        return
    members = fund.members()
    for index, member in enumerate(fund.gremium.mitglieder):
        area = dataset.gebiete.get(member.stadtbezirk) if member.stadtbezirk else None
        if member.stadtbezirk is not None and area is None:
            yield locate(
                record_file,
                ("gremium", "mitglieder", index, "stadtbezirk"),
                "unbekannte-referenz",
                f"Stadtbezirk „{member.stadtbezirk}“ gibt es nicht "
                f"(data/{GEBIETE.folder}/{member.stadtbezirk}.yaml fehlt).",
            )
        elif area is not None and area.art != "stadtbezirk":
            yield locate(
                record_file,
                ("gremium", "mitglieder", index, "stadtbezirk"),
                "falsche-gliederung",
                f"„{area.name}“ ist kein Stadtbezirk.",
            )
    for index, conflict in enumerate(fund.gremium.befangenheiten):
        if conflict.mitglied not in members:
            yield locate(
                record_file,
                ("gremium", "befangenheiten", index, "mitglied"),
                "fonds-gremium",
                f"„{conflict.mitglied}“ ist kein Mitglied des Gremiums.",
            )
        if conflict.antrag not in dataset.fondsantraege:
            yield locate(
                record_file,
                ("gremium", "befangenheiten", index, "antrag"),
                "unbekannte-referenz",
                f"Fondsantrag „{conflict.antrag}“ gibt es nicht "
                f"(data/{FONDSANTRAEGE.folder}/{conflict.antrag}.yaml fehlt).",
            )


FONDS_CHECKS = (check_funds, check_applications, check_budgets)
