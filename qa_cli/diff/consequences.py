"""What follows from a change, computed from both states: offices that enter or leave the
expiring list, requests whose rank or allocation decision changes, units that change class."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qa_cli import german
from qa_cli.city import CityRules
from qa_cli.diff.severity import CONSEQUENCE_RULES, Severity
from qa_cli.domain.funding import Window, find_expiring
from qa_cli.domain.monitoring import Monitor
from qa_cli.domain.scoring import Allocation, Step, allocate
from qa_cli.models.anlaufstelle import Anlaufstelle
from qa_cli.models.antrag import Antrag
from qa_cli.models.gebiet import Gebiet
from qa_cli.models.indikator import Indikator, Indikatorensatz
from qa_cli.models.matrix import Entscheidungsmatrix


@dataclass(frozen=True, slots=True)
class Consequence:
    topic: str  # auslaufend, rang, entscheidung, klasse
    subject: str
    message: str
    old: Any
    new: Any

    @property
    def severity(self) -> Severity:
        return CONSEQUENCE_RULES[self.topic]


SECTION_NAMES = {
    "endend": "endet im Zeitraum",
    "moeglicherweise": "endet möglicherweise im Zeitraum",
    "unbekannt": "Ende unbekannt",
    None: "nicht in der Liste",
}


def _sections(offices: Mapping[str, Anlaufstelle], window: Window) -> dict[str, str]:
    result = find_expiring(dict(offices), window)
    found = {e.office_id: "endend" for e in result.ending}
    found.update({e.office_id: "moeglicherweise" for e in result.possibly_ending})
    found.update({e.office_id: "unbekannt" for e in result.unknown})
    return found


def expiring(
    old: Mapping[str, Anlaufstelle], new: Mapping[str, Anlaufstelle], window: Window
) -> list[Consequence]:
    """Changed offices whose place in the expiring list (for ``window``) differs."""
    before, after = _sections(old, window), _sections(new, window)
    until = german.day(window.end)
    found = []
    for office_id in sorted(set(old) | set(new)):
        was, now = before.get(office_id), after.get(office_id)
        if was != now:
            found.append(
                Consequence(
                    "auslaufend",
                    office_id,
                    f"Anlaufstelle {office_id} (Liste bis {until}): {SECTION_NAMES[was]} → "
                    f"{SECTION_NAMES[now]}",
                    was,
                    now,
                )
            )
    return found


def _steps(allocation: Allocation | None) -> dict[str, Step]:
    return {s.request_id: s for s in allocation.steps} if allocation else {}


def _round(
    requests: Mapping[str, Antrag], matrices: Mapping[str, Entscheidungsmatrix], round_id: str
) -> Allocation | None:
    matrix = matrices.get(round_id)
    if matrix is None:
        return None
    members = {rid: r for rid, r in requests.items() if r.runde == round_id}
    return allocate(members, matrix, matrix.budget)


def scoring(
    old: tuple[Mapping[str, Antrag], Mapping[str, Entscheidungsmatrix]],
    new: tuple[Mapping[str, Antrag], Mapping[str, Entscheidungsmatrix]],
    *,
    rounds: set[str],
) -> list[Consequence]:
    """Per touched round: requests whose rank or decision differs between the two states."""
    found = []
    for round_id in sorted(rounds):
        before, after = _steps(_round(*old, round_id)), _steps(_round(*new, round_id))
        for request_id in sorted(set(before) | set(after)):
            was, now = before.get(request_id), after.get(request_id)
            consequence = _request_change(round_id, request_id, was, now)
            if consequence is not None:
                found.append(consequence)
    return found


def _request_change(
    round_id: str, request_id: str, was: Step | None, now: Step | None
) -> Consequence | None:
    def rank(step: Step | None) -> str:
        return "–" if step is None or step.rank is None else str(step.rank)

    def decision(step: Step | None) -> str:
        return "nicht in der Runde" if step is None else step.decision

    if rank(was) == rank(now) and decision(was) == decision(now):
        return None
    topic = "entscheidung" if decision(was) != decision(now) else "rang"
    parts = [f"Rang {rank(was)} → {rank(now)}"]
    if topic == "entscheidung":
        parts.append(f"{decision(was)} → {decision(now)}")
    if was is not None and now is not None and was.total is not None and now.total is not None:
        parts.append(f"{german.decimal(was.total)} → {german.decimal(now.total)} Punkte")
    return Consequence(
        topic,
        request_id,
        f"Antrag {request_id} (Runde {round_id}): " + ", ".join(parts),
        {
            "rang": None if was is None else was.rank,
            "entscheidung": None if was is None else was.decision,
        },
        {
            "rang": None if now is None else now.rank,
            "entscheidung": None if now is None else now.decision,
        },
    )


MonitorState = tuple[
    Mapping[str, Gebiet], Mapping[str, Indikator], Mapping[str, Indikatorensatz], CityRules
]


def monitoring(
    old: MonitorState, new: MonitorState, pairs: set[tuple[str, int]]
) -> list[Consequence]:
    """Per touched division and year: units whose status or dynamic class differs."""
    found = []
    for division, year in sorted(pairs):
        results = []
        for areas, catalogue, sets, rules in (old, new):
            monitor = Monitor(
                areas, catalogue, tuple(sets.values()), year, division, rules.min_residents, rules
            )
            results.append((monitor.status().classes, monitor.dynamic().classes))
        for label, index in (("Status", 0), ("Dynamik", 1)):
            before, after = results[0][index], results[1][index]
            for unit in sorted(set(before) | set(after)):
                was, now = before.get(unit), after.get(unit)
                if was != now:
                    found.append(
                        Consequence(
                            "klasse",
                            unit,
                            f"Gebiet {unit} ({year}): {label} "
                            f"{was or 'ohne Index'} → {now or 'ohne Index'}",
                            was,
                            now,
                        )
                    )
    return found
