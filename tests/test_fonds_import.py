"""The application form end to end: the committed issue form is the one ``qa fonds formular``
makes from the data; a body as GitHub writes it becomes, with ``qa import fondsantrag``, a record
that validates; a broken answer or an existing file is refused in German."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, run_qa
from tests.fonds_fixture import write_fund

FORM = REPO / ".github" / "ISSUE_TEMPLATE" / "fondsantrag.yml"


def test_committed_issue_form_is_generated_from_the_data() -> None:
    result = run_qa("fonds", "formular", "stadtteilfonds")
    assert result.code == 0, result.text
    assert FORM.read_text(encoding="utf-8") == result.out


def filled(form_text: str, answers: dict[str, str]) -> str:
    """The issue body GitHub writes for ``answers`` (field id → answer; ticked boxes as lists
    of labels joined by newlines); unanswered fields become ``_No response_``."""
    form = yaml.safe_load(form_text)
    parts = []
    for element in form["body"]:
        if element["type"] == "markdown":
            continue
        label = element["attributes"]["label"]
        answer = answers.get(element["id"], "")
        if element["type"] == "checkboxes":
            ticked = set(answer.splitlines())
            answer = "\n".join(
                f"- [{'X' if o['label'] in ticked else ' '}] {o['label']}"
                for o in element["attributes"]["options"]
            )
        parts.append(f"### {label}\n\n{answer or '_No response_'}")
    return "\n\n".join(parts) + "\n"


ANSWERS = {
    "fonds": "Testfonds",
    "antragsteller": "Nachbarschaftsinitiative Ringstraße",
    "art": "Verein",
    "weitere": "Verein C",
    "kontakt": "Erika Beispiel, 0123 456",
    "titel": "Straßenfest im Altdorf",
    "beschreibung": "Ein Nachmittag für alle.\nMit Musik.",
    "gebiet": "Altdorf (Stadtteil)",
    "ziele": "Nachbarschaft stärken\nStadtteilkultur beleben",
    "betrag": "1.800 €",
    "frist": "01.10.2021",
    "nicht_kommerziell": "Das Projekt ist nicht kommerziell.",
    "unterlagen": "Kostenplan.pdf",
}


@pytest.fixture
def fund_form(tmp_path: Path) -> tuple[Path, str]:
    root = write_fund(tmp_path / "data", {})
    result = run_qa("fonds", "formular", "--data", str(root))
    assert result.code == 0, result.text
    return root, result.out


def test_form_to_record_that_validates(fund_form: tuple[Path, str], tmp_path: Path) -> None:
    root, form = fund_form
    body = tmp_path / "issue.md"
    body.write_text(filled(form, ANSWERS), encoding="utf-8")
    result = run_qa(
        "import", "fondsantrag", str(body), "--eingang", "2021-09-20", "--data", str(root)
    )
    assert result.code == 0, result.text
    target = root / "fondsantraege" / "2021-strassenfest-im-altdorf.yaml"
    assert result.out == f"Angelegt: {target}\n"
    record = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert record["antragsteller"] == [
        {
            "name": "Nachbarschaftsinitiative Ringstraße",
            "art": "verein",
            "kontakt": "Erika Beispiel, 0123 456",
        },
        {"name": "Verein C"},
    ]
    assert (record["gebiet"], record["ziele"]) == ("altdorf", ["nachbarschaft", "kultur"])
    assert (record["betrag_beantragt"], record["frist"]) == (1800, "2021-10-01")
    assert record["projekt"]["beschreibung"] == "Ein Nachmittag für alle.\nMit Musik."
    assert run_qa("validate", "--no-cache", "--data", str(root)).code == 0
    again = run_qa(
        "import", "fondsantrag", str(body), "--eingang", "2021-09-20", "--data", str(root)
    )
    assert again.code == 1 and "überschreibt keine Datei" in again.err


def test_a_form_that_breaks_a_rule_writes_nothing(fund_form: tuple[Path, str]) -> None:
    """One applicant asks 1.800 € (cap 1.500 €) after the deadline: both errors, no file."""
    root, form = fund_form
    text = filled(form, {**ANSWERS, "weitere": ""})
    result = run_qa(
        "import",
        "fondsantrag",
        "-",
        "--eingang",
        "2021-10-02",
        "--id",
        "zu-spaet",
        "--data",
        str(root),
        input_text=text,
    )
    assert result.code == 1
    assert "[fonds-hoechstbetrag]" in result.err and "[fonds-frist]" in result.err
    assert not (root / "fondsantraege" / "zu-spaet.yaml").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"betrag": "1.200,50"}, "bitte volle Euro angeben"),
        ({"betrag": "1.20"}, "ist keine Zahl in Euro"),
        ({"gebiet": "Mondstadt"}, "„Mondstadt“ ist keine der Auswahlmöglichkeiten"),
        ({"titel": ""}, "Titel des Projekts: keine Angabe."),
        ({"nicht_kommerziell": ""}, "Bestätigung: nichts angekreuzt."),
    ],
)
def test_broken_answers_are_german_errors(
    fund_form: tuple[Path, str], tmp_path: Path, change: dict[str, str], message: str
) -> None:
    root, form = fund_form
    body = tmp_path / "issue.md"
    body.write_text(filled(form, {**ANSWERS, **change}), encoding="utf-8")
    result = run_qa("import", "fondsantrag", str(body), "--data", str(root))
    assert result.code == 1 and message in result.err, result.err
    assert list((root / "fondsantraege").iterdir()) == []


def test_a_missing_section_is_named(fund_form: tuple[Path, str], tmp_path: Path) -> None:
    root, form = fund_form
    text = filled(form, ANSWERS).replace("### Kontakt", "### Telefon")
    body = tmp_path / "issue.md"
    body.write_text(text, encoding="utf-8")
    result = run_qa("import", "fondsantrag", str(body), "--data", str(root))
    assert result.code == 1 and "Abschnitt „### Kontakt“ fehlt." in result.err
