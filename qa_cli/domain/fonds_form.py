"""The application form of a fund and how its answers become a fund application record.

The form is made from the fund's record (its goals, kinds of applicant and deadlines) and the
areas of the city, so it changes with the data, never with code. What a resident filled in
arrives as Markdown sections, one ``### Frage`` heading per field followed by the answer: this
is how a GitHub issue form writes its body, and the HTML form produces the same text (with a
backslash before an answer line that would read as a heading, taken off here). Parsing
is strict: a missing answer, an option the fund does not know, an amount with cents or an
ambiguous number is an error in German, never a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from qa_cli import german
from qa_cli.models.fonds import Fonds
from qa_cli.models.gebiet import Gebiet

NO_ANSWER = "_No response_"  # what GitHub writes for an empty optional field
FUND_FIELD = "Fonds"


def fund_label(fund: Fonds) -> str:
    return fund.kurzname or fund.name


def fund_named(text: str, funds: dict[str, Fonds]) -> str | None:
    """The id of the fund a form names in its ``### Fonds`` section, if exactly one fits."""
    label = sections(text).get(FUND_FIELD, "")
    matches = [fid for fid, fund in funds.items() if label in (fund_label(fund), fund.name)]
    return matches[0] if len(matches) == 1 else None


@dataclass(frozen=True, slots=True)
class Field:
    """One question of the form: ``kind`` is input, textarea, dropdown or checkboxes."""

    key: str
    label: str
    kind: str
    required: bool
    description: str = ""
    options: tuple[str, ...] = ()


def form_fields(
    fund: Fonds, areas: dict[str, Gebiet], kind_label: Callable[[str], str]
) -> list[Field]:
    """The questions, in order; the options come from the data (area kinds named as the
    city declares them)."""
    kinds = tuple(kind.name for kind in fund.antragsberechtigt)
    deadlines = tuple(german.day(d.datum) for d in sorted(fund.fristen, key=lambda d: d.datum))
    area_names = tuple(area_options(areas, kind_label))
    cap = fund.hoechstbetrag
    limits = (
        f"Höchstens {german.euro(cap.projekt)}, als Kooperationsprojekt mehrerer "
        f"Antragsteller höchstens {german.euro(cap.kooperationsprojekt)}. "
        if cap.projekt is not None and cap.kooperationsprojekt is not None
        else ""
    )
    return [
        Field("fonds", FUND_FIELD, "dropdown", True, options=(fund_label(fund),)),
        Field("antragsteller", "Antragsteller", "input", True, "Gruppe, Verein oder Einrichtung."),
        Field("art", "Art des Antragstellers", "dropdown", bool(kinds), options=kinds),
        Field(
            "weitere",
            "Weitere Antragsteller (Kooperationsprojekt)",
            "textarea",
            False,
            "Je Zeile ein Name; leer lassen, wenn Sie allein beantragen.",
        ),
        Field("kontakt", "Kontakt", "input", True, "Ansprechperson mit E-Mail oder Telefon."),
        Field("titel", "Titel des Projekts", "input", True),
        Field("beschreibung", "Beschreibung des Projekts", "textarea", True),
        Field("gebiet", "Stadtteil oder Quartier", "dropdown", True, options=area_names),
        Field(
            "ziele",
            "Ziele des Projekts",
            "checkboxes",
            bool(fund.ziele),
            "Mindestens ein Ziel ankreuzen.",
            tuple(goal.name for goal in fund.ziele),
        ),
        Field(
            "betrag",
            "Beantragter Betrag in Euro",
            "input",
            True,
            limits + "Volle Euro, z. B. 1.200",
        ),
        Field("frist", "Antragsfrist", "dropdown", bool(deadlines), options=deadlines),
        Field(
            "nicht_kommerziell",
            "Bestätigung",
            "checkboxes",
            True,
            options=("Das Projekt ist nicht kommerziell.",),
        ),
        Field("unterlagen", "Unterlagen", "textarea", False, "Je Zeile eine beigefügte Unterlage."),
    ]


def area_options(areas: dict[str, Gebiet], kind_label: Callable[[str], str]) -> dict[str, str]:
    """Each area as the form shows it, ``Name (Art)``, to its id; sorted by name. A name that
    still occurs twice (same name and kind) gets its id added, so no choice is ambiguous."""
    labels = {aid: f"{area.name} ({kind_label(area.art)})" for aid, area in areas.items()}
    counts = Counter(labels.values())
    unique = {
        (label if counts[label] == 1 else f"{label} [{aid}]"): aid for aid, label in labels.items()
    }
    return dict(sorted(unique.items(), key=lambda item: item[0].casefold()))


class FormError(Exception):
    """The form's answers do not make a record; the message is German and names the field."""


def sections(text: str) -> dict[str, str]:
    """The answers under each ``### heading``, stripped; GitHub's empty answer is empty."""
    answers: dict[str, str] = {}
    heading: str | None = None
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith("### "):
            if heading is not None:
                answers[heading] = "\n".join(lines).strip()
            heading, lines = line[4:].strip(), []
        elif heading is not None:
            lines.append(line)
    if heading is not None:
        answers[heading] = "\n".join(lines).strip()
    return {key: "" if value == NO_ANSWER else _unguarded(value) for key, value in answers.items()}


_GUARDED = re.compile(r"^\\(\\*(?:###|_No response_))", re.MULTILINE)


def _unguarded(answer: str) -> str:
    """An answer line the HTML form guarded with a backslash (one that would read as a heading
    or as GitHub's empty answer) as the resident typed it."""
    return _GUARDED.sub(r"\1", answer)


_AMOUNT = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$")
_CHECKED = re.compile(r"^- \[[xX]\] (.+)$")


def parse_amount(text: str) -> int:
    """Whole euros as a German writes them: ``1.200``, ``1200``, ``1.200,00 €``."""
    cleaned = text.replace("€", "").replace("EUR", "").strip()
    match = _AMOUNT.match(cleaned)
    if not match:
        raise FormError(
            f"Betrag „{text}“ ist keine Zahl in Euro (z. B. 1.200 oder 1200). Ein Punkt trennt "
            "Tausender, ein Komma die Cent."
        )
    if match[2] and int(match[2]) != 0:
        raise FormError(f"Betrag „{text}“: bitte volle Euro angeben.")
    return int(match[1].replace(".", ""))


def checked(text: str) -> list[str]:
    """The labels of the ticked boxes."""
    return [m[1].strip() for line in text.splitlines() if (m := _CHECKED.match(line.strip()))]


def record_from_form(
    text: str,
    fund_id: str,
    fund: Fonds,
    areas: dict[str, Gebiet],
    kind_label: Callable[[str], str],
    received: date,
    source: str,
) -> dict[str, Any]:
    """The record a form's answers describe; every problem is collected, then raised at once."""
    fields = form_fields(fund, areas, kind_label)
    answers = sections(text)
    problems: list[str] = []
    values: dict[str, Any] = {}
    for field in fields:
        answer = answers.get(field.label)
        if answer is None:
            problems.append(f"Abschnitt „### {field.label}“ fehlt.")
            continue
        try:
            values[field.key] = _value(field, answer, fund, areas)
        except FormError as error:
            problems.append(f"{field.label}: {error}")
    if problems:
        raise FormError("\n".join(problems))
    return _record(values, fund_id, fund, areas, kind_label, received, source)


def _value(field: Field, answer: str, fund: Fonds, areas: dict[str, Gebiet]) -> Any:
    if not answer:
        if field.required:
            raise FormError("keine Angabe.")
        return None
    if field.kind == "checkboxes":
        ticked = checked(answer)
        unknown = [label for label in ticked if label not in field.options]
        if unknown:
            raise FormError("unbekannte Auswahl „" + "“, „".join(unknown) + "“.")
        if field.required and not ticked:
            raise FormError("nichts angekreuzt.")
        return ticked
    if field.kind == "dropdown" and answer not in field.options:
        raise FormError(f"„{answer}“ ist keine der Auswahlmöglichkeiten.")
    if field.key == "betrag":
        return parse_amount(answer)
    return answer


def _record(
    values: dict[str, Any],
    fund_id: str,
    fund: Fonds,
    areas: dict[str, Gebiet],
    kind_label: Callable[[str], str],
    received: date,
    source: str,
) -> dict[str, Any]:
    """Names chosen in the form become the ids of the data (goal, kind, area, deadline)."""
    kind_ids = {kind.name: kind.id for kind in fund.antragsberechtigt}
    goal_ids = {goal.name: goal.id for goal in fund.ziele}
    area_ids = area_options(areas, kind_label)
    deadline = {german.day(d.datum): d.datum for d in fund.fristen}.get(values["frist"] or "")
    first = {"name": values["antragsteller"], "art": kind_ids.get(values["art"] or "")}
    first["kontakt"] = values["kontakt"]
    others = [{"name": line.strip()} for line in (values["weitere"] or "").splitlines()]
    project: dict[str, Any] = {"titel": values["titel"], "beschreibung": values["beschreibung"]}
    project["nicht_kommerziell"] = "Ja" if values["nicht_kommerziell"] else "Nein"
    return {
        "fonds": fund_id,
        "antragsteller": [first, *[o for o in others if o["name"]]],
        "projekt": project,
        "gebiet": area_ids[values["gebiet"]],
        "ziele": [goal_ids[name] for name in values["ziele"] or []],
        "betrag_beantragt": values["betrag"],
        "eingang": received.isoformat(),
        "frist": deadline.isoformat() if deadline else None,
        "unterlagen": [line.strip() for line in (values["unterlagen"] or "").splitlines() if line],
        "entscheidung": {"status": "offen"},
        "quelle": [
            {"dokument": f"Antragsformular {fund.kurzname or fund.name}", "fundstelle": source}
        ],
    }
