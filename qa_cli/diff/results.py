"""What the reports answered in one state and in another (``qa diff --ergebnisse``, ``--stand``).

The consequences of ``consequences.py`` follow from the records a diff touched; the results here
compare the whole answers of two states, whatever changed in between: the expiring list for the
diff's window, rank and decision of every request of every round, the status and dynamic class of
every area in every monitoring edition, and the attention list of the newest edition of each
division. Both states are read and validated in full; a state with errors gets no results (never
an answer from invalid data), only the note saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from qa_cli.city import rules_of
from qa_cli.diff import consequences
from qa_cli.domain.funding import Window
from qa_cli.domain.monitoring import Monitor
from qa_cli.store.dataset import Dataset

# The MSS's "Gebiete mit besonderem Aufmerksamkeitsbedarf": a low status or a negative dynamic.
ATTENTION_STATUS = ("niedrig", "sehr niedrig")
ATTENTION_DYNAMIC = ("negativ",)


@dataclass(slots=True)
class Results:
    """The differences between the answers of two states; ``notes`` say what was not compared."""

    changes: list[consequences.Consequence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def compare_results(old: Dataset, new: Dataset, window: Window) -> Results:
    """Every answer that differs between ``old`` and ``new`` (both valid, all kinds loaded)."""
    found = consequences.expiring(old.anlaufstellen, new.anlaufstellen, window)
    rounds = {r.runde for d in (old, new) for r in d.antraege.values()} | {
        m for d in (old, new) for m in d.matrizen
    }
    found += consequences.scoring(
        (old.antraege, old.matrizen), (new.antraege, new.matrizen), rounds=rounds
    )
    states = [_monitor_state(d) for d in (old, new)]
    editions = {(s.gliederung, s.jahr) for d in (old, new) for s in d.indikatorensaetze.values()}
    found += consequences.monitoring(states[0], states[1], editions)
    return Results(found + attention(old, new))


def _monitor_state(dataset: Dataset) -> consequences.MonitorState:
    return (
        dataset.gebiete,
        dataset.indikatoren,
        dataset.indikatorensaetze,
        rules_of(dataset.stadt),
    )


def attention_list(dataset: Dataset) -> dict[str, tuple[int, dict[str, str]]]:
    """Per division its newest edition (the newest year with status values, as ``qa monitor``
    shows by default) and the areas needing attention then, each with the reason (its status
    or dynamic class)."""
    rules = rules_of(dataset.stadt)
    sets = tuple(dataset.indikatorensaetze.values())
    lists: dict[str, tuple[int, dict[str, str]]] = {}
    for division in sorted({s.gliederung for s in sets}):
        years = sorted({s.jahr for s in sets if s.gliederung == division})
        probe = Monitor(
            dataset.gebiete, dataset.indikatoren, sets, years[-1], division,
            rules.min_residents, rules,
        )  # fmt: skip
        with_status = [y for y in years if probe.status_indicators(y)]
        year = (with_status or years)[-1]  # the edition qa monitor shows by default
        monitor = replace(probe, year=year)
        reasons: dict[str, str] = {}
        for unit, label in monitor.dynamic().classes.items():
            if label in ATTENTION_DYNAMIC:
                reasons[unit] = f"Dynamik {label}"
        for unit, label in monitor.status().classes.items():
            if label in ATTENTION_STATUS:
                also = f", {reasons[unit]}" if unit in reasons else ""
                reasons[unit] = f"Status {label}{also}"
        lists[division] = (year, reasons)
    return lists


def attention(old: Dataset, new: Dataset) -> list[consequences.Consequence]:
    """Areas that entered or left the attention list between the newest editions of the two
    states, per division."""
    before, after = attention_list(old), attention_list(new)
    found = []
    for division in sorted(set(before) | set(after)):
        was_year, was = before.get(division, (None, {}))
        now_year, now = after.get(division, (None, {}))
        editions = f"{division}, Ausgabe {was_year or '–'} → {now_year or '–'}"
        for unit in sorted(set(was) | set(now)):
            if (unit in was) == (unit in now):
                continue
            what = (
                f"neu auf der Aufmerksamkeitsliste ({now[unit]})"
                if unit in now
                else f"nicht mehr auf der Aufmerksamkeitsliste (war: {was[unit]})"
            )
            found.append(
                consequences.Consequence(
                    "aufmerksamkeit",
                    unit,
                    f"Gebiet {unit} ({editions}): {what}",
                    was.get(unit),
                    now.get(unit),
                )
            )
    return found
