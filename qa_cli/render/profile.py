"""A Quartiersprofil as text, Markdown or JSON (``qa profile``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

from qa_cli import german
from qa_cli.domain.monitoring import IndexResult
from qa_cli.domain.profile import IndicatorLine, Profile
from qa_cli.models.gebiet import ART_LABELS
from qa_cli.models.indikator import EINHEIT_LABELS, Indikator
from qa_cli.render.escape import markdown_text, visible
from qa_cli.render.json_document import write_json_document
from qa_cli.render.offices import end_text
from qa_cli.render.values import for_json, for_people

NO_INTERPRETATION = (
    "Noch keine qualitative Interpretation erfasst (Feld `interpretation` im Gebiet)."
)


def _number(value: float | None, indicator: Indikator) -> str:
    if value is None:
        return german.UNKNOWN
    unit = EINHEIT_LABELS[indicator.einheit]
    places = 0 if indicator.einheit in ("personen", "anzahl") else 1
    return f"{german.decimal(value, places)} {unit}"


def _line(line: IndicatorLine, catalogue: dict[str, Indikator]) -> str:
    indicator = catalogue[line.indicator_id]
    rank = f"Rang {line.rank} von {line.of}" if line.rank else "kein Rang"
    trend = " · ".join(f"{year}: {_number(value, indicator)}" for year, value in line.trend)
    return (
        f"{indicator.name}: {_number(line.value, indicator)} "
        f"(Stadt: {_number(line.city, indicator)}; "
        f"{rank}; Verlauf: {trend or 'k.A.'})"
    )


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

    def focus(self, ids: list[str] | tuple[str, ...]) -> str:
        return ", ".join(self.focus_names.get(f, f) for f in ids)


def sections(view: ProfileView) -> list[tuple[str, list[str]]]:
    """The profile as titled lists of lines, shared by the text and Markdown writers."""
    profile = view.profile
    unit = profile.unit_id
    result = [
        ("Kennzahlen", [_line(line, view.catalogue) for line in profile.lines] or ["keine Werte"]),
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
                f"{office.name} ({oid}): Förderung bis {for_people(end_text(end))}; "
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
                [f"{view.focus([f])}: {', '.join(ids)}" for f, ids in profile.doubles.items()],
            )
        )
    if profile.high_need:
        status = profile.status.classes[unit]
        missing = view.focus(profile.uncovered) or "keinen"
        result.append(
            ("Bedarf", [f"Hoher Bedarf (Status {status}); keine Anlaufstelle für: {missing}."])
        )
    result.append(("Interpretation", [profile.area.interpretation or NO_INTERPRETATION]))
    return result


def title(view: ProfileView) -> str:
    area = view.profile.area
    return f"Quartiersprofil {area.name} ({ART_LABELS[area.art]}), {view.profile.year}"


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
                "schwerpunkte": office.schwerpunkte,
            }
            for oid, office, end in profile.offices
        ],
        "schwerpunkte": profile.focus,
        "moegliche_doppelstrukturen": profile.doubles,
        "hoher_bedarf": profile.high_need,
        "ohne_angebot": list(profile.uncovered),
        "interpretation": profile.area.interpretation,
    }
    write_json_document(document, stream)
