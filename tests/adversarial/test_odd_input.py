"""Odd input that once ended in an internal error (exit 3): each is a German message now, or an
answer; exit 3 stays for genuine bugs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_qa

VALUES = "indikatoren/werte/2022-statistische-bezirke.yaml"


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_a_population_of_ten_to_the_28_is_printed(shipped_copy: Path, fmt: str) -> None:
    path = shipped_copy / VALUES
    text = path.read_text(encoding="utf-8")
    marker = "  ebel-welheimer-mark:\n    einwohner:\n      wert: 2797\n"
    assert marker in text
    path.write_text(text.replace(marker, marker.replace("2797", "1" + "0" * 28)), encoding="utf-8")
    result = run_qa("profile", "ebel-welheimer-mark", "-f", fmt, "--data", str(shipped_copy))
    assert result.code == 0, result.text
    if fmt == "text":
        assert "10.000.000.000.000.000.000.000.000.000 Personen" in result.out


@pytest.mark.parametrize("quarter", ["0000-Q1", "0000Q4"])
def test_the_quarter_of_year_zero_is_a_usage_error(quarter: str) -> None:
    result = run_qa("report", "quartal", quarter)
    assert result.code == 2 and f"„{quarter}“ ist kein Quartal" in result.err, result.text
