"""The HTML application form in a real headless Chromium without network: filled in like a
resident would, it writes the same text as GitHub's issue form, ``qa import fondsantrag`` turns
that text into a record that validates, and hostile input (quotes, newlines, lines that look like
headings, ``<script>``) neither runs nor changes on its way into the record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from tests import browser
from tests.conftest import run_qa
from tests.fonds_fixture import FUND, write_fund
from tests.test_fonds_import import ANSWERS, filled

if TYPE_CHECKING:
    from playwright.sync_api import Page

HOSTILE_GOAL = 'Kultur <b>&amp; "laut"</b>'
GOALS = f"Nachbarschaft stärken\n{HOSTILE_GOAL}"


@pytest.fixture(scope="module")
def chromium() -> Iterator[browser.Chromium]:
    with browser.launch() as session:
        yield session


@pytest.fixture
def form(tmp_path: Path) -> tuple[Path, Path]:
    """A fund whose second goal's name is markup, and its HTML form."""
    root = write_fund(tmp_path / "data", {})
    fund = FUND.replace("Stadtteilkultur beleben", f"'{HOSTILE_GOAL}'")
    (root / "fonds" / "testfonds.yaml").write_text(fund, encoding="utf-8")
    page = tmp_path / "formular.html"
    result = run_qa("fonds", "formular", "--html", "-o", str(page), "--data", str(root))
    assert result.code == 0, result.text
    return root, page


def fill(page: Page, answers: dict[str, str]) -> None:
    """Type, choose and tick as a resident does (field id → answer, ticked boxes one a line)."""
    for key, answer in answers.items():
        field = page.locator(f"[data-label] [name={key}]").first
        tag = field.evaluate("e => e.tagName + ':' + e.type")
        if tag == "INPUT:checkbox":
            for label in answer.splitlines():
                page.locator(f"input[name={key}][value={_css_string(label)}]").check()
        elif tag.startswith("SELECT"):
            field.select_option(label=answer)
        else:
            field.fill(answer)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def produced(page: Page) -> str:
    page.get_by_role("button", name="Antragstext erzeugen").click()
    text: str = page.locator("#ausgabe").input_value()
    return text


def test_the_page_writes_what_the_issue_form_writes(
    chromium: browser.Chromium, form: tuple[Path, Path], tmp_path: Path
) -> None:
    root, html = form
    answers = {**ANSWERS, "ziele": GOALS}
    problems: list[str] = []
    with chromium.live(html, problems) as page:
        assert page.title() == "Antrag an den Testfonds"
        assert page.locator("input[name=ziele]").nth(1).get_attribute("value") == HOSTILE_GOAL
        fill(page, answers)
        text = produced(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Als Datei speichern").click()
        saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert problems == []
    issue_form = run_qa("fonds", "formular", "--data", str(root))
    assert text == saved == filled(issue_form.out, answers)
    body = tmp_path / "antrag.md"
    body.write_text(text, encoding="utf-8")
    result = run_qa(
        "import", "fondsantrag", str(body), "--eingang", "2021-09-20", "--data", str(root)
    )
    assert result.code == 0, result.text
    record = yaml.safe_load(
        (root / "fondsantraege" / "2021-strassenfest-im-altdorf.yaml").read_text(encoding="utf-8")
    )
    assert (record["ziele"], record["betrag_beantragt"]) == (["nachbarschaft", "kultur"], 1800)
    assert run_qa("validate", "--no-cache", "--data", str(root)).code == 0


HOSTILE = {
    **ANSWERS,
    "ziele": GOALS,
    "antragsteller": "Verein \"Die 'Guten'\" & Co. \\ e.V.",
    "kontakt": "a@b.de </textarea><img src=x onerror=alert(1)>",
    "titel": '<script>alert("x")</script> Fest',
    "beschreibung": "Zeile 1\n### Kontakt\nfalsch: 1\n\\### schon maskiert\n_No response_\n\n"
    "  eingerückt: {a: [b]}\n- [X] kein Ziel",
    "unterlagen": 'Plan "A".pdf\n<b>Liste</b>.xlsx',
}


def test_hostile_input_runs_nothing_and_imports_exactly(
    chromium: browser.Chromium, form: tuple[Path, Path], tmp_path: Path
) -> None:
    root, html = form
    problems: list[str] = []
    with chromium.live(html, problems) as page:
        fill(page, HOSTILE)
        text = produced(page)
        assert page.locator("img, script").count() == 1  # only the page's own script
    assert problems == []
    assert "\n\\### Kontakt\n" in text and "\n\\_No response_\n" in text
    body = tmp_path / "antrag.md"
    body.write_text(text, encoding="utf-8")
    result = run_qa(
        "import",
        "fondsantrag",
        str(body),
        "--eingang",
        "2021-09-20",
        "--id",
        "feindlich",
        "--data",
        str(root),
    )
    assert result.code == 0, result.text
    record = yaml.safe_load((root / "fondsantraege" / "feindlich.yaml").read_text("utf-8"))
    first = record["antragsteller"][0]
    assert (first["name"], first["kontakt"]) == (HOSTILE["antragsteller"], HOSTILE["kontakt"])
    assert record["projekt"]["titel"] == HOSTILE["titel"]
    assert record["projekt"]["beschreibung"] == HOSTILE["beschreibung"]
    assert record["unterlagen"] == HOSTILE["unterlagen"].splitlines()
    assert run_qa("validate", "--no-cache", "--data", str(root)).code == 0


def test_missing_answers_are_asked_for_not_written(
    chromium: browser.Chromium, form: tuple[Path, Path]
) -> None:
    """Without a title and without a goal the page writes no text and says what is missing."""
    _, html = form
    problems: list[str] = []
    with chromium.live(html, problems) as page:
        fill(page, {k: v for k, v in ANSWERS.items() if k not in ("titel", "ziele")})
        produced(page)
        assert page.locator("#ergebnis").is_hidden()
        goal_message = page.locator("input[name=ziele]").first.evaluate("e => e.validationMessage")
        title_missing = page.locator("[name=titel]").evaluate("e => e.validity.valueMissing")
    assert goal_message == "Ziele des Projekts: bitte mindestens eines ankreuzen."
    assert title_missing
    assert problems == []
