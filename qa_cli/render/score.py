"""Views of an interim round: ranking and budget walk, diagnostics, robustness (``qa score``)."""

from __future__ import annotations

from typing import Any

from qa_cli import german
from qa_cli.domain.robustness import CutoffSwap, ReviewerEffect, Sensitivity
from qa_cli.domain.rounds import Round
from qa_cli.models.matrix import Entscheidungsmatrix, plain, weight_text
from qa_cli.render.report import Column, Report, Section

EXAMPLE_NOTICE = (
    "BEISPIEL: Diese Runde enthält erfundene Beispieldaten (Bewertungen, Beträge oder Gewichte "
    "sind nicht öffentlich bzw. nicht beschlossen)."
)


def weights_text(matrix: Entscheidungsmatrix) -> str:
    return ", ".join(f"{g.name} {weight_text(g.gewicht)} %" for g in matrix.gruppen)


def _scale_text(matrix: Entscheidungsmatrix) -> str:
    return f"Skala {matrix.skala.minimum}–{matrix.skala.maximum}"


def _formula(matrix: Entscheidungsmatrix) -> str:
    """How a group value is computed, in the words that fit this matrix's scale and weights."""
    scale = matrix.skala
    mean = (
        "gewichtetes Mittel"
        if any(c.gewicht != 1 for g in matrix.gruppen for c in g.kriterien)
        else "Mittel"
    )
    placed = (
        f"{mean} der anwendbaren Unterkriterien ÷ Skalenmaximum"
        if scale.minimum == 0
        else f"({mean} der anwendbaren Unterkriterien − {scale.minimum}) ÷ "
        f"({scale.maximum} − {scale.minimum})"
    )
    return (
        f"Gesamtpunkte = 100 · Σ Gewicht × Gruppenwert (Gruppenwert = {placed}; je "
        "Unterkriterium der Median der Bewertungen, „fehlt“ zählt als niedrigste Stufe)."
    )


def _describe(round_: Round) -> list[str]:
    matrix, allocation = round_.matrix, round_.allocation
    granted = (
        f"davon vorab bewilligt: {german.euro(allocation.granted)}; " if allocation.granted else ""
    )
    lines = [EXAMPLE_NOTICE] if round_.is_example else []
    lines += [
        f"Matrix: {matrix.name}. Gewichte: {weights_text(matrix)}. {_scale_text(matrix)}.",
        f"Budget: {german.euro(allocation.budget)}; vergeben: "
        f"{german.euro(allocation.budget - allocation.remaining)}; {granted}Rest: "
        f"{german.euro(allocation.remaining)}. "
        f"Mindestpunktzahl: {german.decimal(matrix.mindestpunktzahl)}.",
        _formula(matrix),
        f"Gleichstand: {matrix.tie_break_text()}. Die Rangfolge hängt nie von der "
        "Dateireihenfolge ab.",
    ]
    return lines


def ranking_columns(matrix: Entscheidungsmatrix) -> list[Column]:
    return [
        Column("rang", "Rang", empty="–"),
        Column("id", "Antrag", compact=False),
        Column("anlaufstelle_name", "Anlaufstelle"),
        Column("anlaufstelle", "Anlaufstelle-Kennung", people=False),
        Column("betrag", "Betrag €", euro=True),
        *(Column(f"gruppen.{g.id}", g.name, compact=False) for g in matrix.gruppen),
        Column("gesamt", "Gesamt"),
        Column("spanne", "Spanne", compact=False),
        Column("entscheidung", "Entscheidung"),
        Column("begruendung", "Begründung", compact=False),
        Column("restbudget", "Rest €", euro=True),
        Column("beispiel", "Beispiel", people=False),
    ]


def ranking_rows(round_: Round) -> list[dict[str, Any]]:
    rows = []
    for step in round_.allocation.steps:
        request = round_.requests[step.request_id]
        score = round_.scores[step.request_id]
        office = round_.offices.get(request.anlaufstelle)
        groups = (
            {g: r.score * 100 if r.score is not None else None for g, r in score.groups.items()}
            if score
            else {}
        )
        rows.append(
            {
                "rang": step.rank,
                "id": step.request_id,
                "anlaufstelle": request.anlaufstelle,
                "anlaufstelle_name": office.name if office else request.anlaufstelle,
                "betrag": request.betrag,
                "gruppen": groups,
                "gesamt": step.total,
                "spanne": score.max_spread if score else None,
                "spanne_prozent": 100 * score.max_spread / round_.matrix.skala.width
                if score
                else None,
                "kalibrierung": score.calibration() if score else [],
                "ausschlussgruende": step.reason.split("; ")
                if step.decision == "ausgeschlossen"
                else [],
                "entscheidung": step.decision,
                "begruendung": step.reason,
                "restbudget": step.remaining_after,
                "beispiel": request.beispiel,
            }
        )
    return rows


def _knapsack_section(round_: Round, best: frozenset[str]) -> Section:
    funded = set(round_.allocation.funded)
    rows = [
        {
            "id": rid,
            "rangfolge": rid in funded,
            "beste_auswahl": rid in best,
            "betrag": round_.requests[rid].betrag,
            "gesamt": step.total,
        }
        for step in round_.allocation.steps
        if (rid := step.request_id) in funded ^ best
    ]
    return Section(
        "bestmoegliche_auswahl",
        "Diagnose: Auswahl mit der höchsten Punktsumme im Budget (0/1-Rucksack), nur Abweichungen",
        [
            Column("id", "Antrag"),
            Column("rangfolge", "in der Rangfolge gefördert"),
            Column("beste_auswahl", "in der besten Auswahl"),
            Column("betrag", "Betrag €", euro=True),
            Column("gesamt", "Gesamt"),
        ],
        rows,
        empty_text="Keine Abweichung: die Rangfolge fördert bereits die Auswahl mit der "
        "höchsten Punktsumme.",
        in_csv=False,
        sheet="Beste Auswahl",
    )


def _calibration_section(round_: Round) -> Section:
    rows = []
    for request_id, score in sorted(round_.scores.items()):
        if score is None:
            continue
        for group in score.groups.values():
            for criterion in group.criteria:
                if criterion.needs_calibration:
                    ratings = ", ".join(f"{who} {value}" for who, value in criterion.ratings)
                    rows.append(
                        {
                            "id": request_id,
                            "kriterium": criterion.criterion_id,
                            "bewertungen": ratings,
                            "spanne": criterion.spread,
                        }
                    )
    matrix = round_.matrix
    threshold = (
        f"Spanne ab {weight_text(matrix.kalibrierung_ab)} % der Skalenbreite "
        f"({weight_text(matrix.calibration_points)} oder mehr Skalenpunkte)"
    )
    return Section(
        "kalibrierung",
        f"Kalibrierungsgespräch: {threshold}",
        [
            Column("id", "Antrag"),
            Column("kriterium", "Unterkriterium"),
            Column("bewertungen", "Bewertungen"),
            Column("spanne", "Spanne"),
        ],
        rows,
        empty_text=f"Keine Bewertungen liegen so weit auseinander ({threshold}).",
        in_csv=False,
        sheet="Kalibrierung",
    )


def score_report(round_: Round, best: frozenset[str]) -> Report:
    matrix = round_.matrix
    return Report(
        title=f"Interimsfinanzierung, Runde {round_.round_id}: Rangfolge und Budget",
        description=_describe(round_),
        sections=[
            Section(
                "antraege",
                "Rangfolge und Budgetverlauf",
                ranking_columns(matrix),
                ranking_rows(round_),
                sheet="Rangfolge",
            ),
            _calibration_section(round_),
            _knapsack_section(round_, best),
        ],
        meta={
            "runde": round_.round_id,
            "beispiel": round_.is_example,
            "matrix": {
                "name": matrix.name,
                "gewichte": {g.id: plain(g.gewicht) for g in matrix.gruppen},
                "unterkriterien_gewichte": {
                    c.id: plain(c.gewicht) for g in matrix.gruppen for c in g.kriterien
                },
                "skala": {"minimum": matrix.skala.minimum, "maximum": matrix.skala.maximum},
                "kalibrierung_ab_prozent": plain(matrix.kalibrierung_ab),
                "ausschluss": [
                    rule.model_dump(mode="json", exclude_none=True) for rule in matrix.ausschluss
                ],
                "budget": round_.allocation.budget,
                "budget_laut_matrix": matrix.budget,
                "mindestpunktzahl": matrix.mindestpunktzahl,
                "gleichstand": [*matrix.gleichstand, "kennung"],
                "los_startwert": matrix.los_startwert,
            },
            "vorab_bewilligt": round_.allocation.granted,
            "vergeben": round_.allocation.budget - round_.allocation.remaining,
            "restbudget": round_.allocation.remaining,
        },
    )


def add_robustness(
    report: Report,
    round_: Round,
    result: Sensitivity,
    swap: CutoffSwap | None,
    effects: list[ReviewerEffect],
) -> None:
    """Append the ``--sensitivity`` sections and their JSON counterpart."""
    borderline = set(result.borderline())
    report.sections.append(
        Section(
            "sensitivitaet",
            f"Robustheit: Anteil von {german.integer(result.draws)} Gewichtsvarianten (Dirichlet, "
            f"Konzentration {german.decimal(result.concentration, 0)}, Startwert {result.seed}), "
            "in denen der Antrag gefördert wird; 20–80 % = grenzwertig",
            [
                Column("id", "Antrag"),
                Column("anteil_gefoerdert", "gefördert in %"),
                Column("grenzwertig", "grenzwertig"),
            ],
            [
                {"id": rid, "anteil_gefoerdert": share * 100, "grenzwertig": rid in borderline}
                for rid, share in sorted(
                    result.funded_share.items(), key=lambda kv: (-kv[1], kv[0])
                )
            ],
            in_csv=False,
            sheet="Robustheit Gewichte",
        )
    )
    report.description.append(
        swap_text(swap, round_.matrix)
        if swap
        else "An der Förderschwelle steht kein Paar aus gefördert und Warteliste."
    )
    report.sections.append(
        Section(
            "ohne_gutachter",
            "Robustheit: Entscheidungen, die sich ändern, wenn eine Bewertung fehlt",
            [
                Column("gutachter", "ohne Gutachter/in"),
                Column("aenderungen", "geänderte Entscheidungen"),
            ],
            [
                {
                    "gutachter": effect.reviewer,
                    "aenderungen": [
                        f"{rid}: {old} → {new}"
                        for rid, (old, new) in sorted(effect.changes.items())
                    ]
                    or ["keine"],
                }
                for effect in effects
            ],
            in_csv=False,
            sheet="Robustheit Gutachter",
        )
    )
    report.meta["robustheit"] = {
        "ziehungen": result.draws,
        "startwert": result.seed,
        "konzentration": result.concentration,
        "grenzwertig": sorted(borderline),
        "schwelle": (
            {
                "gefoerdert": swap.funded_id,
                "warteliste": swap.waiting_id,
                "von_gruppe": swap.from_group,
                "zu_gruppe": swap.to_group,
                "prozentpunkte": round(swap.shift * 100, 2),
            }
            if swap
            else None
        ),
    }


def swap_text(swap: CutoffSwap, matrix: Entscheidungsmatrix) -> str:
    names = {g.id: g.name for g in matrix.gruppen}
    if swap.shift == 0:
        return (
            f"Förderschwelle: {swap.waiting_id} (Warteliste) ist mit {swap.funded_id} (zuletzt "
            "gefördert) punktgleich; entschieden hat die Reihenfolge bei Gleichstand."
        )
    return (
        f"Förderschwelle: {swap.waiting_id} (Warteliste) zieht mit {swap.funded_id} "
        "(zuletzt gefördert) "
        f"gleich, wenn {german.decimal(swap.shift * 100, 2)} Prozentpunkte Gewicht von "
        f"„{names[swap.from_group]}“ zu „{names[swap.to_group]}“ wandern (kleinste Verschiebung "
        "zwischen zwei Gruppen)."
    )
