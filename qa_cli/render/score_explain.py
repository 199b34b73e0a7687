"""``qa score --explain ID``: the whole calculation for one request, rating by rating."""

from __future__ import annotations

from typing import Any

from qa_cli import german
from qa_cli.domain.rounds import Round
from qa_cli.domain.scoring import (
    CriterionResult,
    RequestScore,
    Step,
    below_minimum,
    knock_outs,
    published_weights,
    weighted_mean,
)
from qa_cli.models.antrag import NOT_APPLICABLE
from qa_cli.models.matrix import Entscheidungsmatrix, weight_text
from qa_cli.months import Month
from qa_cli.render.score import EXAMPLE_NOTICE


def _criterion_line(
    criterion: CriterionResult, names: dict[str, str], matrix: Entscheidungsmatrix
) -> str:
    ratings = ", ".join(f"{who} {value}" for who, value in criterion.ratings) or "keine Bewertung"
    name = names.get(criterion.criterion_id, criterion.criterion_id)
    if criterion.weight != 1:
        name += f" (Gewicht {weight_text(criterion.weight)})"
    if criterion.value is None:
        return f"    {name}: {ratings} → nicht anwendbar, zählt in der Gruppe nicht"
    method = (
        "Mittel" if len([r for r in criterion.ratings if r[1] != NOT_APPLICABLE]) == 2 else "Median"
    )
    notes = []
    if criterion.missing:
        notes.append(
            f"{criterion.missing}× „fehlt“ als niedrigste Stufe ({matrix.skala.minimum}) gezählt"
        )
    if criterion.needs_calibration:
        notes.append(f"Spanne ≥ {weight_text(matrix.calibration_points)}: Kalibrierungsgespräch")
    extra = f"; {'; '.join(notes)}" if notes else ""
    return (
        f"    {name}: {ratings} → {method} {german.decimal(criterion.value, 2)} "
        f"(Spanne {german.decimal(criterion.spread, 0)}){extra}"
    )


def explain_lines(round_: Round, request_id: str) -> list[str]:
    request = round_.requests[request_id]
    score = round_.scores[request_id]
    step = next(s for s in round_.allocation.steps if s.request_id == request_id)
    matrix = round_.matrix
    office = round_.offices.get(request.anlaufstelle)
    lines = [EXAMPLE_NOTICE, ""] if request.beispiel or matrix.beispiel else []
    lines += [
        f"Antrag {request_id}: {office.name if office else request.anlaufstelle} "
        f"({request.traeger})",
        f"Betrag {german.euro(request.betrag)}, Eigenanteil {german.euro(request.eigenanteil)}, "
        f"Zeitraum {Month.parse(request.zeitraum.beginn).german()} bis "
        f"{Month.parse(request.zeitraum.ende).german()}, "
        f"Eingang {german.day(request.eingang)}.",
        f"Matrix „{matrix.name}“, Skala {matrix.skala.minimum}–{matrix.skala.maximum}.",
    ]
    if score is None:
        return [*lines, "", "Noch nicht bewertet: keine Punktzahl.", _decision_line(step)]
    lines += ["Bewertet von: " + ", ".join(score.reviewers) + ".", ""]
    lines += _group_lines(round_, score)
    lines += ["", *_gate_lines(round_, request_id, score), _decision_line(step)]
    return lines


def _group_lines(round_: Round, score: RequestScore) -> list[str]:
    matrix = round_.matrix
    weights = published_weights(matrix)
    names = {c.id: c.name for g in matrix.gruppen for c in g.kriterien}
    applicable_weight = sum(weights[g] for g, r in score.groups.items() if r.score is not None)
    lines: list[str] = []
    contributions = []
    for number, group in enumerate(matrix.gruppen, start=1):
        result = score.groups[group.id]
        lines.append(f"{number}. {group.name} (Gewicht {weight_text(group.gewicht)} %)")
        lines += [_criterion_line(c, names, matrix) for c in result.criteria]
        if result.score is None:
            lines.append("   Gruppenwert: keine anwendbaren Unterkriterien; die Gruppe entfällt.")
            continue
        mean = weighted_mean(result.criteria)
        assert mean is not None
        share = weights[group.id] / applicable_weight
        contribution = 100 * share * result.score
        contributions.append(contribution)
        lines.append(
            f"   Gruppenwert: {_placed_on_scale(mean, result.criteria, matrix)} = "
            f"{german.percent(result.score * 100)}; Beitrag "
            f"{german.decimal(share * 100)} % × {german.percent(result.score * 100)} = "
            f"{german.points(contribution)}"
        )
    if applicable_weight < 1:
        lines.append(
            f"   (Gewichte der anwendbaren Gruppen auf 100 % hochgerechnet: Summe war "
            f"{german.percent(applicable_weight * 100)})"
        )
    total = score.total(weights)
    lines += [
        "",
        "Gesamt: "
        + " + ".join(german.decimal(c) for c in contributions)
        + f" = {german.points(total)}",
    ]
    return lines


def _placed_on_scale(
    mean: float, criteria: tuple[CriterionResult, ...], matrix: Entscheidungsmatrix
) -> str:
    """``Mittel 2,75 ÷ 4`` on a 0–4 scale, ``(Mittel 3,50 − 1) ÷ 4`` on a 1–5 scale."""
    weighted = any(c.weight != 1 for c in criteria if c.value is not None)
    text = f"{'gewichtetes Mittel' if weighted else 'Mittel'} {german.decimal(mean, 2)}"
    scale = matrix.skala
    if scale.minimum:
        text = f"({text} − {scale.minimum})"
    return f"{text} ÷ {scale.width}"


def _gate_lines(round_: Round, request_id: str, score: RequestScore) -> list[str]:
    matrix = round_.matrix
    total = score.total(published_weights(matrix))
    reasons = knock_outs(round_.requests[request_id], matrix)
    minimum = german.decimal(matrix.mindestpunktzahl)
    reached = "nicht erreicht" if below_minimum(total, matrix) else "erreicht"
    lines = [
        "Ausschlussregeln: " + ("; ".join(reasons) if reasons else "keine greift") + ".",
        f"Mindestpunktzahl {minimum}: {reached}.",
    ]
    if matrix.los_startwert is not None:
        lines.append(
            f"Losnummer (SHA-256 von „{matrix.los_startwert}:{request_id}“): "
            f"{matrix.lottery_number(request_id)}; bei Gleichstand entscheidet die kleinere."
        )
    return lines


def _decision_line(step: Step) -> str:
    rank = f"Rang {step.rank}: " if step.rank else ""
    rest = german.euro(step.remaining_after)
    return f"{rank}{step.decision} – {step.reason}. Restbudget danach: {rest}."


def explain_json(round_: Round, request_id: str) -> dict[str, Any]:
    matrix = round_.matrix
    score = round_.scores[request_id]
    step = next(s for s in round_.allocation.steps if s.request_id == request_id)
    groups: dict[str, Any] = {}
    if score is not None:
        for group_id, result in score.groups.items():
            groups[group_id] = {
                "wert": result.score,
                "kriterien": {
                    c.criterion_id: {
                        "bewertungen": dict(c.ratings),
                        "wert": c.value,
                        "spanne": c.spread,
                        "spanne_prozent": 100 * c.spread / matrix.skala.width,
                        "fehlt": c.missing,
                        "kalibrierung": c.needs_calibration,
                    }
                    for c in result.criteria
                },
            }
    return {
        "id": request_id,
        "beispiel": round_.requests[request_id].beispiel,
        "gruppen": groups,
        "gesamt": step.total,
        "rang": step.rank,
        "entscheidung": step.decision,
        "begruendung": step.reason,
        "restbudget": step.remaining_after,
        "losnummer": matrix.lottery_number(request_id) if matrix.los_startwert else None,
    }
