"""The committee's papers on an interim round: the decision paper (a Beschluss- or
Mitteilungsvorlage, as the city declares) and the one-page notice of a granted interim funding.

Both are written for a committee member, not for a statistician: requests, criteria and
reviewing offices appear by name (ids only in machine columns, which CSV and JSON carry), the
basis comes first and once, the robustness is told in sentences one can repeat, and the method
behind it sits in an annex. Wording the city declares (``vorlage`` in the city record) is used as
written; a city that declares none gets a neutral wording.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from qa_cli import german
from qa_cli.city import CityRules
from qa_cli.domain.robustness import (
    BORDERLINE,
    CutoffSwap,
    ReviewerEffect,
    Robustness,
    Sensitivity,
)
from qa_cli.domain.rounds import Round
from qa_cli.domain.scoring import Decision, Step
from qa_cli.models.antrag import Antrag
from qa_cli.models.matrix import Entscheidungsmatrix, plain, weight_text
from qa_cli.months import Month
from qa_cli.render.report import Column, Report, Section
from qa_cli.render.score import EXAMPLE_NOTICE

KINDS = {"beschlussvorlage": "Beschlussvorlage", "mitteilungsvorlage": "Mitteilungsvorlage"}
PURPOSE = {"beschlussvorlage": "zur Entscheidung", "mitteilungsvorlage": "zur Kenntnisnahme"}
GENERIC_PROPOSAL = {
    "beschlussvorlage": "Der {ausschuss} beschließt für die Förderrunde {runde}, aus dem Budget "
    "der Interimsfinanzierung von {budget} folgende Anträge zu fördern: {gefoerdert}; zusammen "
    "{summe}. Auf der Warteliste stehen in dieser Reihenfolge: {warteliste}.",
    "mitteilungsvorlage": "Der {ausschuss} nimmt zur Kenntnis, dass in der Förderrunde {runde} "
    "aus dem Budget der Interimsfinanzierung von {budget} folgende Anträge gefördert werden: "
    "{gefoerdert}; zusammen {summe}. Auf der Warteliste stehen in dieser Reihenfolge: "
    "{warteliste}.",
}
GENERIC_NOTICE = (
    "Am {datum} wurde für {anlaufstelle} (Träger: {traeger}) eine Interimsfinanzierung über "
    "{betrag} für {zeitraum} bewilligt (Förderrunde {runde}). Der {ausschuss} wird hiermit "
    "über die Bewilligung unterrichtet."
)
NO_NUMBER = "noch nicht vergeben"


@dataclass(frozen=True, slots=True)
class Names:
    """Names for everything a paper mentions: requests (by their office), criteria, groups and
    reviewing offices. ``words`` replaces request ids in texts made by the domain (the tie
    note of a reason names the tied requests by id)."""

    requests: dict[str, str]
    criteria: dict[str, str]
    groups: dict[str, str]
    rules: CityRules

    @classmethod
    def of(cls, round_: Round, rules: CityRules) -> Names:
        offices = {rid: _office_name(round_, rid) for rid in round_.requests}
        counts = Counter(offices.values())
        requests = {
            rid: name
            if counts[name] == 1
            else f"{name} (Antrag vom {german.day(round_.requests[rid].eingang)})"
            for rid, name in offices.items()
        }
        matrix = round_.matrix
        return cls(
            requests,
            {c.id: c.name for g in matrix.gruppen for c in g.kriterien},
            {g.id: g.name for g in matrix.gruppen},
            rules,
        )

    def words(self, text: str) -> str:
        if not self.requests:
            return text
        ids = sorted(self.requests, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
        return pattern.sub(lambda match: self.requests[match.group(1)], text)

    def listing(self, ids: Iterable[str], requests: Mapping[str, Antrag]) -> str:
        """„A (24.000 €), B (18.500 €) und C (16.800 €)“, or „keine“."""
        parts = [f"{self.requests[rid]} ({german.euro(requests[rid].betrag)})" for rid in ids]
        return and_list(parts) or "keine"


def _office_name(round_: Round, request_id: str) -> str:
    office = round_.offices.get(round_.requests[request_id].anlaufstelle)
    return office.name if office else round_.requests[request_id].traeger


def text_section(key: str, title: str, paragraphs: list[str]) -> Section:
    """A section of sentences only (no table, not in CSV)."""
    return Section(key, title, [], [], paragraphs=paragraphs, in_csv=False)


def and_list(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " und " + parts[-1]


def header(rules: CityRules, kind: str, number: str | None, example: bool) -> list[str]:
    """The lines under the title: example mark, city and issuing office, number, for whom.
    The date and the data state follow from the report's stamp (``Report.stand``)."""
    lines = [EXAMPLE_NOTICE] if example else []
    issuer = " – ".join(
        part for part in (f"Stadt {rules.name}" if rules.name else None, rules.issuer) if part
    )
    if issuer:
        lines.append(f"Herausgegeben von: {issuer}.")
    lines.append(f"{KINDS[kind]}, Vorlagen-Nr.: {number or NO_NUMBER}.")
    lines.append(f"Beratungsfolge: {_committee_title(rules)} ({PURPOSE[kind]}).")
    return lines


def _committee_title(rules: CityRules) -> str:
    return rules.committee or "zuständiger Ausschuss"


# XLSX sheet names: short, and the same words the paper's headings use
SHEETS = {
    "rangfolge": "Rangfolge",
    "entscheidungen": "Entscheidungen",
    "kalibrierung": "Kalibrierung",
    "kriterien": "Kriterien und Gewichte",
    "skala": "Bewertungsskala",
}


def decision_paper(
    round_: Round,
    best: frozenset[str],
    robustness: Robustness,
    rules: CityRules,
    number: str | None,
) -> Report:
    """The committee paper of a round: Beschlussvorschlag, Sachdarstellung, ranking with names,
    each decision with its reason, robustness in sentences, the method in an annex."""
    names = Names.of(round_, rules)
    kind = rules.paper.art
    sensitivity, swap, effects = robustness
    sections = [
        text_section("beschlussvorschlag", "Beschlussvorschlag", [proposal(round_, names)]),
        text_section("sachdarstellung", "Sachdarstellung", account(round_, rules)),
        _ranking_section(round_, names),
        _decisions_section(round_, names),
        text_section(
            "sicherheit",
            "Wie sicher ist das Ergebnis?",
            [
                *_draw_sentences(round_, names, sensitivity.funded_count, sensitivity.draws),
                _swap_sentence(swap, names),
                _reviewer_sentence(effects, names),
                _best_sentence(round_, best, names),
            ],
        ),
        _calibration_section(round_, names),
        _criteria_section(round_.matrix),
        _scale_section(round_.matrix),
        text_section("methode", "Anlage: Verfahren im Einzelnen", method(round_, sensitivity)),
    ]
    for section in sections:
        section.sheet = SHEETS.get(section.key)
    return Report(
        title=f"{KINDS[kind]}: Interimsfinanzierung der Quartiersarbeit, Förderrunde "
        f"{round_.round_id}",
        description=header(rules, kind, number, round_.is_example),
        sections=sections,
        meta={
            "vorlage": {"art": kind, "nummer": number},
            "runde": round_.round_id,
            "beispiel": round_.is_example,
            "budget": round_.allocation.budget,
            "vorab_bewilligt": round_.allocation.granted,
            "vergeben": round_.allocation.budget - round_.allocation.remaining,
            "restbudget": round_.allocation.remaining,
            "robustheit": _robustness_meta(round_, robustness),
        },
    )


def proposal(round_: Round, names: Names) -> str:
    """The Beschlussvorschlag in the city's wording (or the neutral one)."""
    allocation = round_.allocation
    funded = allocation.funded
    waiting = [s.request_id for s in allocation.steps if s.decision == "Warteliste"]
    wording = names.rules.paper.beschlussvorschlag or GENERIC_PROPOSAL[names.rules.paper.art]
    return " ".join(
        wording.format(
            ausschuss=names.rules.committee_name(),
            runde=round_.round_id,
            gefoerdert=names.listing(funded, round_.requests),
            summe=german.euro(sum(round_.requests[rid].betrag for rid in funded)),
            budget=german.euro(allocation.available),
            warteliste=and_list([names.requests[rid] for rid in waiting]) or "keine",
        ).split()
    )


def account(round_: Round, rules: CityRules) -> list[str]:
    """The Sachdarstellung: why these requests, how the matrix works, what the budget allows."""
    matrix, allocation, requests = round_.matrix, round_.allocation, round_.requests
    asked = sum(r.betrag for r in requests.values())
    basis = rules.basis_phrase()
    cover = "reichen nicht für alle" if asked > allocation.budget else "reichen für alle"
    why = (
        f"Für die Förderrunde {round_.round_id} liegen {_count(len(requests), 'Antrag', 'Anträge')}"
        f" auf Interimsfinanzierung über zusammen {german.euro(asked)} vor: Anlaufstellen, deren "
        "Förderung endet, bevor eine Anschlussförderung beginnt, beantragen eine Überbrückung. "
        f"Die Haushaltsmittel von {german.euro(allocation.budget)} {cover} Anträge; die Vergabe "
        "muss „transparent und nachvollziehbar“ sein"
        + (f" ({basis})" if basis else "")
        + ". Zu jedem Antrag gehört ein Konzeptpapier mit Ziel, Zeitraum und dem Antrag auf "
        "Anschlussförderung."
    )
    scale = matrix.skala
    low, high = scale.stufen[0], scale.stufen[-1]
    group_count = _count(len(matrix.gruppen), "Kriteriengruppe", "Kriteriengruppen")
    criteria_count = sum(len(g.kriterien) for g in matrix.gruppen)
    how = (
        f"Bewertet wird jeder Antrag nach der Entscheidungsmatrix „{matrix.name}“"
        + (f" (bewertet von: {rules.working_group})" if rules.working_group else "")
        + f": {group_count} mit zusammen "
        f"{criteria_count} Unterkriterien, jedes auf einer Skala von {low.wert} („"
        f"{low.beschreibung}“) bis {high.wert} („{high.beschreibung}“); fehlende Angaben zählen "
        "wie die niedrigste Stufe. Die Gruppen zählen unterschiedlich viel: "
        f"{_weights(matrix)}. So erhält jeder Antrag 0 bis 100 Punkte, unabhängig davon, wer "
        "sonst einen Antrag gestellt hat."
    )
    gates = matrix.knock_out_texts()
    order = (
        "Nicht gefördert wird ein Antrag, der weniger als "
        f"{german.decimal(matrix.mindestpunktzahl)} Punkte erreicht"
        + (f" oder einen Ausschlussgrund erfüllt ({'; '.join(gates)})" if gates else "")
        + ". Die übrigen Anträge werden nach Punkten gereiht und in dieser Reihenfolge "
        "gefördert, solange das Budget reicht; passt ein Antrag nicht mehr in das restliche "
        "Budget, kommt er auf die Warteliste, und der nächste wird geprüft. Bei gleicher "
        f"Punktzahl entscheidet: {matrix.tie_break_text()}."
    )
    return [why, how, order, _budget_sentence(round_)]


def _count(number: int, one: str, many: str) -> str:
    return f"{'ein' if number == 1 else german.integer(number)} {one if number == 1 else many}"


def _weights(matrix: Entscheidungsmatrix) -> str:
    return and_list([f"{g.name} {weight_text(g.gewicht)} %" for g in matrix.gruppen])


def _budget_sentence(round_: Round) -> str:
    allocation = round_.allocation
    ranked = [s for s in allocation.steps if s.rank is not None]
    funded = allocation.funded
    spent = sum(round_.requests[rid].betrag for rid in funded)
    before = (
        f"Davon sind {german.euro(allocation.granted)} bereits bewilligt und vorab abgezogen; "
        f"für die Rangfolge bleiben {german.euro(allocation.available)}. "
        if allocation.granted
        else ""
    )
    return (
        f"{before}Das Budget reicht für {german.integer(len(funded))} von "
        f"{_count(len(ranked), 'gereihten Antrag', 'gereihten Anträgen')} mit zusammen "
        f"{german.euro(spent)}; es bleiben {german.euro(allocation.remaining)} übrig."
    )


def _criteria_section(matrix: Entscheidungsmatrix) -> Section:
    """One row per sub-criterion; group and weight only on a group's first row."""
    unequal = any(c.gewicht != 1 for g in matrix.gruppen for c in g.kriterien)
    rows = [
        {
            "gruppe": g.name,
            "gruppe_id": g.id,
            "gewicht": plain(g.gewicht),
            "kriterium": c.name,
            "kriterium_id": c.id,
            "kriterium_gewicht": plain(c.gewicht),
            # for people, group and weight only on the group's first row
            "erste_zeile": {"gruppe": g.name, "gewicht": f"{weight_text(g.gewicht)} %"}
            if index == 0
            else {},
        }
        for g in matrix.gruppen
        for index, c in enumerate(g.kriterien)
    ]
    return Section(
        "kriterien",
        "Anlage: Kriterien der Entscheidungsmatrix",
        [
            Column("erste_zeile.gruppe", "Kriteriengruppe", empty=""),
            Column("erste_zeile.gewicht", "Gewicht", empty=""),
            Column("kriterium", "Unterkriterium"),
            *([Column("kriterium_gewicht", "Gewicht in der Gruppe")] if unequal else []),
        ],
        rows,
        in_csv=False,
    )


def _ranking_section(round_: Round, names: Names) -> Section:
    matrix = round_.matrix
    rows = []
    for step in round_.allocation.steps:
        score = round_.scores[step.request_id]
        request = round_.requests[step.request_id]
        rows.append(
            {
                "rang": step.rank,
                "antrag": names.requests[step.request_id],
                "id": step.request_id,
                "traeger": request.traeger,
                "betrag": request.betrag,
                "gruppen": {
                    g: r.score * 100 if r.score is not None else None
                    for g, r in (score.groups.items() if score else ())
                },
                "gesamt": step.total,
                "entscheidung": step.decision,
                "restbudget": step.remaining_after,
                "beispiel": request.beispiel,
            }
        )
    return Section(
        "rangfolge",
        "Rangfolge und Budget",
        [
            Column("rang", "Rang", empty="–"),
            Column("antrag", "Antrag (Anlaufstelle)"),
            Column("id", "Kennung", people=False),
            Column("traeger", "Träger"),
            Column("betrag", "Betrag", euro=True),
            *(Column(f"gruppen.{g.id}", g.name, empty="–") for g in matrix.gruppen),
            Column("gesamt", "Punkte", empty="–"),
            Column("entscheidung", "Entscheidung"),
            Column("restbudget", "Rest", euro=True),
            Column("beispiel", "Beispiel", people=False),
        ],
        rows,
        paragraphs=[
            "Punkte je Kriteriengruppe von 0 bis 100; „Rest“ ist das Budget, das nach dem "
            "Antrag noch frei ist. Beträge in Euro."
        ],
    )


def _decisions_section(round_: Round, names: Names) -> Section:
    rows = [
        {
            "antrag": names.requests[step.request_id],
            "id": step.request_id,
            "entscheidung": step.decision,
            "begruendung": names.words(_reason(step)),
            "ausschuss_informiert_am": round_.requests[
                step.request_id
            ].entscheidung.ausschuss_informiert_am,
        }
        for step in round_.allocation.steps
    ]
    return Section(
        "entscheidungen",
        "Entscheidungen mit Begründung",
        [
            Column("antrag", "Antrag (Anlaufstelle)"),
            Column("id", "Kennung", people=False),
            Column("entscheidung", "Entscheidung"),
            Column("begruendung", "Begründung"),
            Column("ausschuss_informiert_am", "Ausschuss informiert am", empty="–"),
        ],
        rows,
        in_csv=False,
    )


def _reason(step: Step) -> str:
    """The step's reason as a sentence: it starts with a capital letter."""
    return step.reason[:1].upper() + step.reason[1:]


def _draw_sentences(
    round_: Round, names: Names, counts: Mapping[str, int], draws: int
) -> list[str]:
    """One sentence per ranked request: in how many of the weightings it would be funded."""
    intro = (
        "Die Gewichte der Kriteriengruppen sind eine Festlegung. Um zu prüfen, ob das Ergebnis "
        f"an ihnen hängt, wurden {german.integer(draws)} andere, nah an den beschlossenen "
        "Gewichten liegende Gewichtungen durchgerechnet (Verfahren in der Anlage)."
    )
    low, high = BORDERLINE
    sentences = [intro]
    for step in round_.allocation.steps:
        if step.rank is None:
            continue
        count = counts[step.request_id]
        also = "ebenfalls gefördert" if step.decision == "gefördert" else "gefördert"
        close = " Das Ergebnis ist knapp." if low <= count / draws <= high else ""
        sentences.append(
            f"{names.requests[step.request_id]} ({step.decision}): In "
            f"{german.integer(count)} von {german.integer(draws)} denkbaren Gewichtungen wäre "
            f"dieser Antrag {also} worden.{close}"
        )
    return sentences


def _swap_sentence(swap: CutoffSwap | None, names: Names) -> str:
    if swap is None:
        return (
            "An der Förderschwelle steht kein Antrag der Warteliste direkt hinter einem "
            "geförderten, also gibt es dort nichts zu verschieben."
        )
    waiting, funded = names.requests[swap.waiting_id], names.requests[swap.funded_id]
    if swap.shift == 0:
        return (
            f"An der Förderschwelle haben {funded} (zuletzt gefördert) und {waiting} "
            "(Warteliste) gleich viele Punkte; entschieden hat die veröffentlichte Reihenfolge "
            "bei Gleichstand."
        )
    return (
        f"An der Förderschwelle hätte {waiting} (Warteliste) so viele Punkte wie {funded} "
        f"(zuletzt gefördert), wenn {german.decimal(swap.shift * 100, 2)} Prozentpunkte Gewicht "
        f"von „{names.groups[swap.from_group]}“ zu „{names.groups[swap.to_group]}“ wanderten; "
        "eine kleinere Verschiebung zwischen zwei Gruppen reicht dafür nicht."
    )


def _reviewer_sentence(effects: list[ReviewerEffect], names: Names) -> str:
    changing = [e for e in effects if e.changes]
    if not changing:
        return (
            "Lässt man die Bewertungen einer einzelnen Stelle weg, ändert sich keine Entscheidung."
        )
    parts = []
    for effect in changing:
        changes = and_list(
            [
                f"{names.requests[rid]} {_change_words(old, new)}"
                for rid, (old, new) in sorted(
                    effect.changes.items(), key=lambda kv: names.requests[kv[0]]
                )
            ]
        )
        parts.append(f"Ohne {names.rules.reviewer_name(effect.reviewer)}: {changes}.")
    steady = [names.rules.reviewer_name(e.reviewer) for e in effects if not e.changes]
    tail = f" Ohne {and_list(steady)} bliebe alles, wie es ist." if steady else ""
    return (
        "Lässt man die Bewertungen einer einzelnen Stelle weg, ändern sich Entscheidungen. "
        + " ".join(parts)
        + tail
    )


def _change_words(old: Decision, new: Decision) -> str:
    target = {
        "gefördert": "würde gefördert",
        "Warteliste": "käme auf die Warteliste",
        "ausgeschlossen": "wäre ausgeschlossen",
    }.get(new, f"wäre {new}")
    return f"({old}) {target}"


def _best_sentence(round_: Round, best: frozenset[str], names: Names) -> str:
    funded = set(round_.allocation.funded)
    if best == funded:
        return (
            "Die Auswahl nach der Rangfolge ist zugleich die Auswahl mit der höchsten "
            "Punktsumme, die das Budget zulässt."
        )
    instead = and_list(sorted(names.requests[rid] for rid in best - funded))
    without = and_list(sorted(names.requests[rid] for rid in funded - best))
    return (
        "Das Budget ließe eine Auswahl mit höherer Punktsumme zu, wenn "
        + (f"statt {without} " if without else "zusätzlich ")
        + f"{instead} gefördert {'würden' if len(best - funded) > 1 else 'würde'}; die Matrix "
        "fördert nach der Rangfolge, nicht nach der "
        "größten Summe."
    )


def _calibration_section(round_: Round, names: Names) -> Section:
    rows = []
    for step in round_.allocation.steps:
        score = round_.scores[step.request_id]
        if score is None:
            continue
        for group in score.groups.values():
            for criterion in group.criteria:
                if criterion.needs_calibration:
                    rows.append(
                        {
                            "antrag": names.requests[step.request_id],
                            "id": step.request_id,
                            "kriterium": names.criteria[criterion.criterion_id],
                            "kriterium_id": criterion.criterion_id,
                            "bewertungen": "; ".join(
                                f"{names.rules.reviewer_name(who)}: {value}"
                                for who, value in criterion.ratings
                            ),
                            "spanne": criterion.spread,
                        }
                    )
    matrix = round_.matrix
    return Section(
        "kalibrierung",
        "Weit auseinanderliegende Bewertungen",
        [
            Column("antrag", "Antrag (Anlaufstelle)"),
            Column("id", "Kennung", people=False),
            Column("kriterium", "Unterkriterium"),
            Column("kriterium_id", "Kennung des Unterkriteriums", people=False),
            Column("bewertungen", "Bewertungen"),
            Column("spanne", "Abstand in Stufen"),
        ],
        rows,
        paragraphs=[
            "Wo die Bewertungen eines Unterkriteriums um "
            f"{german.decimal(matrix.calibration_points)} oder mehr Stufen auseinanderliegen, "
            "klären die bewertenden Stellen in einem Gespräch, ob sie die Stufen gleich "
            "verstehen."
        ],
        empty_text="Keine Bewertungen liegen so weit auseinander.",
        in_csv=False,
    )


def _scale_section(matrix: Entscheidungsmatrix) -> Section:
    return Section(
        "skala",
        "Anlage: Bewertungsskala",
        [Column("wert", "Stufe"), Column("beschreibung", "Bedeutung")],
        [{"wert": s.wert, "beschreibung": s.beschreibung} for s in matrix.skala.stufen],
        in_csv=False,
    )


def method(round_: Round, sensitivity: Sensitivity) -> list[str]:
    """The annex: the formulas and the statistics behind the sentences, scale-aware."""
    matrix = round_.matrix
    low, high = matrix.skala.minimum, matrix.skala.maximum
    mean = (
        "gewichtete Mittel"
        if any(c.gewicht != 1 for g in matrix.gruppen for c in g.kriterien)
        else "Mittel"
    )
    return [
        "Je Unterkriterium zählt der Median der Bewertungen (bei zwei Bewertungen ihr Mittel); "
        f"„fehlt“ zählt als niedrigste Stufe ({low}), „nicht anwendbar“ zählt nicht. Der Wert "
        f"einer Kriteriengruppe ist das {mean} ihrer anwendbaren Unterkriterien auf der Skala "
        f"von 0 bis 1: (Mittel − {low}) ÷ ({high} − {low}). Die Punkte eines Antrags sind "
        "100 · Σ Gewicht × Gruppenwert; ist eine Gruppe ganz „nicht anwendbar“, werden die "
        "übrigen Gewichte so hochgerechnet, dass die Punkte weiter bis 100 reichen. Punkte "
        "werden auf 9 Nachkommastellen verglichen, damit Rundungsreste nichts entscheiden.",
        f"Gewichtungen: {german.integer(sensitivity.draws)} Ziehungen aus einer "
        "Dirichlet-Verteilung um die beschlossenen Gewichte (Konzentration "
        f"{german.decimal(sensitivity.concentration, 0)}, Startwert {sensitivity.seed}: jede "
        "Wiederholung ergibt dieselben Zahlen); je Ziehung werden Rangfolge und Budget neu "
        f"durchlaufen. Ein Anteil zwischen {german.percent(BORDERLINE[0] * 100, 0)} und "
        f"{german.percent(BORDERLINE[1] * 100, 0)} gilt als knapp.",
        "Förderschwelle: für den zuletzt geförderten und den ersten Antrag der Warteliste "
        "dahinter die kleinste Verschiebung von Gewicht zwischen zwei Gruppen, bei der beide "
        "gleich viele Punkte haben (Bisektion).",
        "Weglassen einer Stelle: Rangfolge und Budget werden ohne die Bewertungen je einer "
        "bewertenden Stelle neu berechnet.",
        "Höchste Punktsumme: die Auswahl der gereihten Anträge mit der größten Summe der Punkte, "
        "die in das Budget passt, exakt berechnet (0/1-Rucksack durch dynamische "
        "Programmierung); sie dient nur dem Vergleich.",
        "Kalibrierung: ab einem Abstand von "
        f"{weight_text(matrix.kalibrierung_ab)} % der Skalenbreite.",
    ]


def _robustness_meta(round_: Round, robustness: Robustness) -> dict[str, Any]:
    """The robustness for scripts (JSON): counts by id, group and reviewer ids."""
    sensitivity, swap, effects = robustness
    ranked = [s.request_id for s in round_.allocation.steps if s.rank is not None]
    return {
        "ziehungen": sensitivity.draws,
        "startwert": sensitivity.seed,
        "konzentration": sensitivity.concentration,
        "gefoerdert_in_ziehungen": {rid: sensitivity.funded_count[rid] for rid in ranked},
        "schwelle": None
        if swap is None
        else {
            "gefoerdert": swap.funded_id,
            "warteliste": swap.waiting_id,
            "von_gruppe": swap.from_group,
            "zu_gruppe": swap.to_group,
            "prozentpunkte": round(swap.shift * 100, 2),
        },
        "ohne_gutachter": {
            e.reviewer: {rid: list(change) for rid, change in sorted(e.changes.items())}
            for e in effects
        },
    }


def grant_notice(round_: Round, request_id: str, rules: CityRules, number: str | None) -> Report:
    """The one-page notice to the committee of one granted interim funding, made from the
    recorded decision (the caller makes sure it is ``bewilligt``)."""
    names = Names.of(round_, rules)
    request = round_.requests[request_id]
    decision = request.entscheidung
    amount = decision.betrag_bewilligt or 0
    period = _period(request)
    when = german.day(decision.datum) if decision.datum else "(Datum nicht eingetragen)"
    text = (rules.paper.mitteilung or GENERIC_NOTICE).format(
        ausschuss=rules.committee_name(),
        anlaufstelle=names.requests[request_id],
        traeger=request.traeger,
        betrag=german.euro(amount),
        zeitraum=period,
        datum=when,
        runde=round_.round_id,
    )
    step = next(s for s in round_.allocation.steps if s.request_id == request_id)
    follow = request.konzeptpapier.anschlussfoerderung
    facts: list[tuple[str, str, Any]] = [
        ("anlaufstelle", "Anlaufstelle", names.requests[request_id]),
        ("traeger", "Träger", request.traeger),
        ("runde", "Förderrunde", round_.round_id),
        ("zeitraum", "Zeitraum", period),
        ("betrag_beantragt", "Beantragt", german.euro(request.betrag)),
        ("betrag_bewilligt", "Bewilligt", german.euro(amount)),
        ("eigenanteil", "Eigenanteil des Trägers", german.euro(request.eigenanteil)),
        ("bewilligt_am", "Bewilligt am", decision.datum),
        ("ausschuss_informiert_am", "Ausschuss informiert am", decision.ausschuss_informiert_am),
        ("punkte", "Punkte nach der Entscheidungsmatrix", _points(step)),
        ("ziel", "Ziel laut Konzeptpapier", request.konzeptpapier.ziel),
        ("anschlussfoerderung", "Anschlussförderung", _follow_on(follow)),
        ("begruendung", "Begründung", decision.begruendung),
    ]
    budget = round_.allocation
    return Report(
        title=f"Mitteilung an den {_committee_title(rules)}: Bewilligung einer "
        "Interimsfinanzierung",
        description=header(rules, "mitteilungsvorlage", number, request.beispiel),
        sections=[
            text_section("mitteilung", "Mitteilung", [" ".join(text.split())]),
            Section(
                "angaben",
                "Angaben zur Bewilligung",
                [
                    Column("feld", "Feld", people=False),
                    Column("angabe", "Angabe"),
                    Column("wert", "Wert", empty="–"),
                ],
                [{"feld": key, "angabe": label, "wert": value} for key, label, value in facts],
            ),
            text_section(
                "budget",
                "Stand des Budgets der Förderrunde",
                [
                    f"Budget {german.euro(budget.budget)}, davon bewilligt "
                    f"{german.euro(budget.granted)}; frei {german.euro(budget.available)}."
                ],
            ),
        ],
        meta={
            "antrag": request_id,
            "anlaufstelle": request.anlaufstelle,
            "runde": round_.round_id,
            "beispiel": request.beispiel,
            "betrag_bewilligt": amount,
            "vorlage": {"art": "mitteilungsvorlage", "nummer": number},
        },
    )


def _period(request: Antrag) -> str:
    start, end = Month.parse(request.zeitraum.beginn), Month.parse(request.zeitraum.ende)
    return f"{german.month(start)} bis {german.month(end)}"


def _points(step: Step) -> str | None:
    return None if step.total is None else f"{german.decimal(step.total)} von 100"


def _follow_on(follow: Any) -> str:
    if follow is None:
        return "keine in Sicht"
    parts = [follow.programm]
    if follow.beantragt_am:
        parts.append(f"beantragt am {german.day(follow.beantragt_am)}")
    if follow.beginn_erwartet:
        parts.append(f"Beginn erwartet {german.month(Month.parse(follow.beginn_erwartet))}")
    return ", ".join(parts)
