"""A Quartiersprofil as text, Markdown or JSON (``qa profile``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

from qa_cli import german
from qa_cli.city import CityRules
from qa_cli.domain.funding import FundingEnd
from qa_cli.domain.monitoring import IndexResult
from qa_cli.domain.profile import IndicatorLine, Profile
from qa_cli.models.indikator import Indikator
from qa_cli.render.escape import markdown_text, visible
from qa_cli.render.json_document import write_json_document
from qa_cli.render.offices import end_text, flags
from qa_cli.render.values import for_json, for_people

NO_INTERPRETATION = (
    "Noch keine qualitative Interpretation erfasst (Feld „interpretation“ im Gebiet)."
)


def figure(value: float | None, indicator: Indikator, rules: CityRules) -> str:
    """A value with the unit the city declares for it, to its declared decimal places."""
    if value is None:
        return german.UNKNOWN
    unit = rules.unit_label(indicator.einheit)
    return f"{german.decimal(value, rules.decimals(indicator.einheit))} {unit}"


def _line(line: IndicatorLine, view: ProfileView) -> str:
    indicator = view.catalogue[line.indicator_id]
    rank = f"Rang {line.rank} von {line.of}" if line.rank else "kein Rang"

    def number(value: float | None) -> str:
        return figure(value, indicator, view.rules)

    trend = " · ".join(f"{year}: {number(value)}" for year, value in line.trend)
    return (
        f"{indicator.name}: {number(line.value)} (Stadt: {number(line.city)}; "
        f"{rank}; Verlauf: {trend or 'k.A.'})"
    )


def end_with_flags(end: FundingEnd) -> str:
    """The end with „vorerst“ and pending extensions, as the overviews show them."""
    notes = [n for n in flags(end) if not n.startswith("Ende nur ungefähr")]  # shown in the end
    text = for_people(end_text(end))
    return f"{text} ({'; '.join(notes)})" if notes else text


def _index_text(result: IndexResult, unit: str, label: str) -> str:
    if unit in result.index:
        return f"{label}: {german.decimal(result.index[unit], 2)} ({result.classes[unit]})"
    reason = result.left_out.get(unit) or (result.notes[0] if result.notes else "nicht berechnet")
    return f"{label}: k.A. ({reason})"


@dataclass(frozen=True, slots=True)
class ProfileView:
    profile: Profile
    catalogue: dict[str, Indikator]
    focus_names: dict[str, str]
    rules: CityRules
    fund_projects: tuple[tuple[str, str], ...] = ()  # (id, line) of funded projects in the area

    def focus(self, ids: list[str] | tuple[str, ...]) -> str:
        return ", ".join(self.focus_names.get(f, f) for f in ids)

    def office_name(self, office_id: str) -> str:
        """The name of an office of the area (its id if it is none of them)."""
        names = {oid: office.name for oid, office, _ in self.profile.offices}
        return names.get(office_id, office_id)


def sections(view: ProfileView) -> list[tuple[str, list[str]]]:
    """The profile as titled lists of lines, shared by the text and Markdown writers."""
    profile = view.profile
    unit = profile.unit_id
    result = [
        (
            "Kennzahlen",
            [
                *([_line(line, view) for line in profile.lines] or ["keine Werte"]),
                *([profile.boundary] if profile.boundary else []),
            ],
        ),
        (
            "Indizes",
            [
                _index_text(profile.status, unit, "Statusindex"),
                _index_text(profile.dynamic, unit, "Dynamikindex"),
            ],
        ),
        (
            "Anlaufstellen im Gebiet",
            [
                f"{office.name} ({oid}): Förderung bis {end_with_flags(end)}; "
                f"Schwerpunkte: {view.focus(office.schwerpunkte or []) or 'k.A.'}"
                for oid, office, end in profile.offices
            ]
            or ["keine"],
        ),
    ]
    if profile.doubles:
        result.append(
            (
                "Mögliche Doppelstrukturen (gleicher Schwerpunkt, mehrere Anlaufstellen)",
                [
                    f"{view.focus([f])}: {', '.join(view.office_name(i) for i in ids)}"
                    for f, ids in profile.doubles.items()
                ],
            )
        )
    if profile.high_need:
        status = profile.status.classes[unit]
        missing = view.focus(profile.uncovered) or "keinen"
        result.append(
            ("Bedarf", [f"Hoher Bedarf (Status {status}); keine Anlaufstelle für: {missing}."])
        )
    if view.fund_projects:
        result.append(("Projekte der Verfügungsfonds", [line for _, line in view.fund_projects]))
    result.append(("Interpretation", [profile.area.interpretation or NO_INTERPRETATION]))
    return result


def title(view: ProfileView) -> str:
    area, year = view.profile.area, view.profile.year
    kind = view.rules.kind_label(area.art)
    return f"Quartiersprofil {area.name} ({kind})" + (f", {year}" if year is not None else "")


def write_text(view: ProfileView, stream: TextIO) -> None:
    out = [title(view)]
    for heading, items in sections(view):
        out += ["", f"{heading}:", *(f"  {item}" for item in items)]
    stream.write("\n".join(visible(line) for line in out) + "\n")


def write_markdown(view: ProfileView, stream: TextIO) -> None:
    out = [f"# {markdown_text(title(view))}"]
    for heading, items in sections(view):
        out += ["", f"## {heading}", "", *(f"- {markdown_text(item)}" for item in items)]
    stream.write("\n".join(out) + "\n")


def write_json(view: ProfileView, stream: TextIO) -> None:
    profile = view.profile
    unit = profile.unit_id
    document: dict[str, Any] = {
        "id": unit,
        "name": profile.area.name,
        "gliederung": profile.area.art,
        "jahr": profile.year,
        "kennzahlen": [
            {
                "indikator": line.indicator_id,
                "wert": line.value,
                "gesamtstadt": line.city,
                "rang": line.rank,
                "von": line.of,
                "verlauf": [{"jahr": year, "wert": value} for year, value in line.trend],
            }
            for line in profile.lines
        ],
        "statusindex": profile.status.index.get(unit),
        "statusklasse": profile.status.classes.get(unit),
        "dynamikindex": profile.dynamic.index.get(unit),
        "dynamikklasse": profile.dynamic.classes.get(unit),
        "anlaufstellen": [
            {
                "id": oid,
                "name": office.name,
                "foerderung_bis": for_json(end_text(end)),
                "hinweise": flags(end),
                "schwerpunkte": office.schwerpunkte,
            }
            for oid, office, end in profile.offices
        ],
        "schwerpunkte": profile.focus,
        "moegliche_doppelstrukturen": profile.doubles,
        "hoher_bedarf": profile.high_need,
        "ohne_angebot": list(profile.uncovered),
        "fondsprojekte": [
            {"id": project_id, "text": line} for project_id, line in view.fund_projects
        ],
        "gebietsgrenzen": profile.boundary,
        "interpretation": profile.area.interpretation,
    }
    write_json_document(document, stream)
