"""One office in full, as text, Markdown or JSON (``qa show``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TextIO

from qa_cli import german
from qa_cli.city import CityRules
from qa_cli.domain.funding import funding_end
from qa_cli.models.anlaufstelle import STATUS_LABELS, Anlaufstelle, Foerderung
from qa_cli.models.base import Quelle
from qa_cli.models.gebiet import Gebiet
from qa_cli.months import Month, parse_end
from qa_cli.render.escape import markdown_cell, markdown_text, visible
from qa_cli.render.json_document import write_json_document
from qa_cli.render.offices import end_text, flags
from qa_cli.render.values import for_json, for_people


class DetailFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


@dataclass(frozen=True, slots=True)
class Context:
    """What showing an office needs besides the office: the areas and the city's words."""

    areas: dict[str, Gebiet]
    rules: CityRules


def _area_text(area_id: str, context: Context) -> str:
    """``Gleisdreieck (Quartier, in Bahnhofsvorstadt 70 %, Altmarkt 30 %)``."""
    area = context.areas.get(area_id)
    if area is None:
        return area_id
    parents = []
    for parent in area.parents:
        known = context.areas.get(parent.gebiet)
        name = known.name if known is not None else parent.gebiet
        share = parent.anteil_prozent
        places = 0 if share is not None and share.is_integer() else 1
        share_text = f" {german.decimal(share, places)} %" if share is not None else ""
        parents.append(name + share_text)
    parts = [context.rules.kind_label(area.art)] + (["in " + ", ".join(parents)] if parents else [])
    return f"{area.name} ({', '.join(parts)})"


def _areas_text(office: Anlaufstelle, context: Context) -> str:
    return "; ".join(_area_text(area_id, context) for area_id in office.gebiete)


def _grant_text(grant: Foerderung) -> str:
    begin = Month.parse(grant.beginn).german() if grant.beginn else "Beginn k.A."
    end_period = parse_end(grant.ende) if grant.ende else None
    end = (
        "dauerhaft"
        if grant.ende and end_period is None
        else (end_period.german() if end_period else "Ende k.A.")
    )
    period = "Zeitraum k.A." if not grant.beginn and not grant.ende else f"{begin} bis {end}"
    parts = [grant.programm or "Programm k.A.", period, STATUS_LABELS[grant.status]]
    if grant.vorlaeufig:
        parts.append("vorerst")
    if grant.dauer_monate:
        parts.append(f"{grant.dauer_monate} Monate")
    if grant.mittelgeber:
        parts.append("Mittelgeber: " + ", ".join(grant.mittelgeber))
    if grant.notiz:
        parts.append(grant.notiz)
    return "; ".join(parts)


def _source_text(source: Quelle) -> str:
    parts = [source.dokument]
    if source.stand:
        parts.append(f"Stand {source.stand}")
    if source.fundstelle:
        parts.append(source.fundstelle)
    if source.url:
        parts.append(source.url)
    return ", ".join(parts)


def _fields(office: Anlaufstelle, context: Context) -> list[tuple[str, str]]:
    end = funding_end(office)
    address = office.standort.adresse if office.standort is not None else None
    return [
        *([("Adresse", address)] if address else []),
        ("Träger", for_people(list(office.traeger))),
        ("Kooperationspartner", for_people(office.kooperationspartner)),
        ("Finanzielle Beteiligung", german.ja_nein(office.finanzielle_beteiligung)),
        ("Ausrichtung", for_people(office.ausrichtung)),
        ("Gebiet" if len(office.gebiete) == 1 else "Gebiete", _areas_text(office, context)),
        ("Laufzeit laut Quelle", for_people(office.laufzeit_wortlaut)),
        ("Förderung bis", for_people(end_text(end))),
        ("Hinweise", for_people(flags(end))),
    ]


def write_text(
    office_id: str, office: Anlaufstelle, context: Context, path: str, stream: TextIO
) -> None:
    fields = _fields(office, context)
    width = max(len(label) for label, _ in fields) + 1
    lines = [f"{office.name} ({office_id})", f"Datei: {path}", ""]
    lines += [f"{label + ':':<{width}} {value}" for label, value in fields]
    lines += ["", "Förderungen:"]
    lines += [f"  {i}. {_grant_text(g)}" for i, g in enumerate(office.foerderungen, 1)] or [
        "  keine bekannt (k.A.)"
    ]
    lines += ["", "Quellen:"] + [f"  - {_source_text(source)}" for source in office.quelle]
    if office.notiz:
        lines += ["", f"Notiz: {office.notiz}"]
    stream.write("\n".join(visible(line) for line in lines) + "\n")


def write_markdown(
    office_id: str, office: Anlaufstelle, context: Context, path: str, stream: TextIO
) -> None:
    md = markdown_text
    lines = [f"# {md(office.name)}", "", f"Kennung `{office_id}`, Datei {md(path)}", ""]
    lines += ["| Feld | Wert |", "| --- | --- |"]
    lines += [f"| {label} | {markdown_cell(value)} |" for label, value in _fields(office, context)]
    lines += ["", "## Förderungen", ""]
    lines += [f"{i}. {md(_grant_text(g))}" for i, g in enumerate(office.foerderungen, 1)] or [
        "keine bekannt (k.A.)"
    ]
    lines += ["", "## Quellen", ""] + [f"- {md(_source_text(source))}" for source in office.quelle]
    stream.write("\n".join(lines) + "\n")


def write_json(
    office_id: str, office: Anlaufstelle, context: Context, path: str, stream: TextIO
) -> None:
    end = funding_end(office)
    document: dict[str, Any] = {"id": office_id, "datei": path}
    document.update(office.model_dump(mode="json", exclude={"id"}))
    area = context.areas.get(office.gebiet)
    document["gebiet_name"] = area.name if area else None
    document["foerderung_bis"] = for_json(end_text(end))
    document["hinweise"] = flags(end)
    write_json_document(document, stream)


WRITERS = {
    DetailFormat.text: write_text,
    DetailFormat.md: write_markdown,
    DetailFormat.json: write_json,
}
