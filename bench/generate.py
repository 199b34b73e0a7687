"""Write a synthetic, valid data repository for benchmarks: N offices with grants, interim requests
with ratings, indicator sets; deterministic from a seed; as a git repository with a history.

    python bench/generate.py --offices 10000 --seed 1 --commits 5 OUT_DIR
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "data"
PROGRAMMES = ["Zusammen im Quartier", "Städtebauförderung", "Kommunale Präventionsketten", "EFRE"]
OPERATORS = ["AWO", "Caritas", "DRK", "ASB", "Diakonie", "Stadt", "InnovationCity Management GmbH"]
FOCI = ["familien", "senioren", "integration", "beratung", "treffpunkt", "quartiersmanagement"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}


def office(rng: random.Random, index: int, areas: int) -> str:
    start = rng.randint(2015, 2024)
    end = start + rng.randint(1, 5)
    programme = rng.choice(PROGRAMMES)
    operators = ", ".join(sorted(set(rng.choices(OPERATORS, k=rng.randint(1, 2)))))
    foci = ", ".join(sorted(set(rng.choices(FOCI, k=rng.randint(1, 3)))))
    return f"""name: Anlaufstelle {index}
traeger: [{operators}]
kooperationspartner: [Stadt]
finanzielle_beteiligung: {rng.choice(["Ja", "Nein", "null"])}
ausrichtung: Synthetischer Schwerpunkt {index % 17}
schwerpunkte: [{foci}]
gebiet: gebiet-{rng.randrange(areas)}
laufzeit_wortlaut: "{end % 100:02d}/{end}"
foerderungen:
  - programm: {programme}
    mittelgeber: [Bund, Land NRW]
    beginn: "{start}-{rng.randint(1, 12):02d}"
    ende: "{end}-12"
    status: bewilligt
    vorlaeufig: {rng.choice(["Ja", "Nein"])}
  - programm: {programme}
    status: beantragt
    beginn: "{end + 1}-01"
    ende: "{end + 2}-12"
quelle:
  - dokument: Synthetische Benchmark-Daten
    fundstelle: Datensatz {index}
"""


def request(
    rng: random.Random, index: int, offices: int, round_id: str, criteria: list[str]
) -> str:
    reviews = []
    for reviewer in ("sozialamt", "jugend-und-schule", "kommunales-integrationszentrum")[
        : rng.randint(1, 3)
    ]:
        values = "\n".join(
            f"      {c}: {rng.choice(['0', '1', '2', '3', '4', '4', '3', 'fehlt'])}"
            for c in criteria
        )
        reviews.append(f"  - gutachter: {reviewer}\n    werte:\n{values}")
    return f"""beispiel: Ja
runde: "{round_id}"
anlaufstelle: anlaufstelle-{rng.randrange(offices)}
traeger: AWO
eingang: "2020-09-{rng.randint(1, 28):02d}"
zeitraum: {{beginn: "2021-01", ende: "2021-{rng.randint(1, 12):02d}"}}
betrag: {rng.randint(5, 40) * 1000}
eigenanteil: {rng.randint(0, 5) * 500}
konzeptpapier:
  vorhanden: {rng.choice(["Ja", "Ja", "Ja", "Nein"])}
  anschlussfoerderung:
    programm: {rng.choice(PROGRAMMES)}
    beginn_erwartet: "2021-07"
bewertungen:
{chr(10).join(reviews)}
entscheidung: {{status: offen}}
quelle:
  - dokument: Synthetische Benchmark-Daten
    fundstelle: Antrag {index}
"""


def area(index: int) -> str:
    return f"""name: Gebiet {index}
art: statistischer_bezirk
quelle:
  - dokument: Synthetische Benchmark-Daten
"""


def indicator_set(rng: random.Random, year: int, areas: int) -> str:
    lines = [f"jahr: {year}", "gliederung: statistischer_bezirk", "werte:"]
    for unit in range(areas):
        lines += [
            f"  gebiet-{unit}:",
            f'    migrationsanteil: {{wert: {rng.uniform(5, 50):.1f}, stichtag: "{year}"}}',
            f'    einwohner: {{wert: {rng.randint(500, 20000)}, stichtag: "{year}"}}',
        ]
    lines += ["quelle:", "  - dokument: Synthetische Benchmark-Daten"]
    return "\n".join(lines) + "\n"


def write_tree(out: Path, offices: int, seed: int) -> None:
    rng = random.Random(seed)
    data = out / "data"
    for folder in ("schwerpunkte", "indikatoren/katalog", "entscheidungsmatrizen"):
        shutil.copytree(SHIPPED / folder, data / folder)
    areas = max(20, offices // 100)
    for folder in ("gebiete", "anlaufstellen", "antraege", "indikatoren/werte"):
        (data / folder).mkdir(parents=True, exist_ok=True)
    for index in range(areas):
        (data / "gebiete" / f"gebiet-{index}.yaml").write_text(area(index), encoding="utf-8")
    for index in range(offices):
        (data / "anlaufstellen" / f"anlaufstelle-{index}.yaml").write_text(
            office(rng, index, areas), encoding="utf-8"
        )
    import yaml

    matrix = yaml.safe_load(
        (SHIPPED / "entscheidungsmatrizen" / "2020.yaml").read_text(encoding="utf-8")
    )
    criteria = [c["id"] for g in matrix["gruppen"] for c in g["kriterien"]]
    for index in range(max(1, offices // 20)):
        text = request(rng, index, offices, "2020", criteria)
        (data / "antraege" / f"antrag-{index}.yaml").write_text(text, encoding="utf-8")
    for year in (2020, 2022):
        (data / "indikatoren" / "werte" / f"{year}-bezirke.yaml").write_text(
            indicator_set(rng, year, areas), encoding="utf-8"
        )


def git(out: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=out, env={**os.environ, **GIT_ENV}, check=True, capture_output=True
    )


def make_history(out: Path, offices: int, commits: int, seed: int) -> None:
    """A first commit with everything, then small commits that each change one office."""
    rng = random.Random(seed + 1)
    git(out, "init", "-q", "-b", "main")
    git(out, "add", "-A")
    git(out, "commit", "-q", "-m", "Synthetische Daten")
    for number in range(commits):
        target = out / "data" / "anlaufstellen" / f"anlaufstelle-{rng.randrange(offices)}.yaml"
        text = target.read_text(encoding="utf-8")
        target.write_text(
            text.replace('ende: "', f'ende: "{2030 + number}-12"\n    notiz: "', 1),
            encoding="utf-8",
        )
        git(out, "commit", "-q", "-am", f"Änderung {number + 1}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--offices", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--commits", type=int, default=3)
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    write_tree(args.out, args.offices, args.seed)
    make_history(args.out, args.offices, args.commits, args.seed)


if __name__ == "__main__":
    main()
