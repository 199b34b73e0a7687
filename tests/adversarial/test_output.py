"""Every output channel escapes for its medium (``output.py`` holds the cases).

Markdown is rendered with GitHub's own renderer (cmark-gfm, through ``cmarkgfm``) and read back
as HTML: each cell must show exactly the value, no element may come from a value, and no row
may disappear. Terminal output must carry no control character at all.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_cli.render.escape import CELL_MAX_CHARS, markdown_cell, safe_json, visible
from qa_cli.render.report import Column, Report, Section
from qa_cli.render.tabular import (
    write_csv,
    write_excel_csv,
    write_markdown,
    write_plain,
    write_rich,
)
from tests.adversarial.output import MARKDOWN_CASES, TERMINAL_CASES, OutputCase
from tests.adversarial.repository import OFFICE, OFFICE_ID, git, make_repository
from tests.conftest import run_qa

SECOND_OFFICE = "data/anlaufstellen/quartiersbuero-boy.yaml"
# No C0 control but newline (and tab), no DEL, no C1 control, no bidirectional override.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Rendered(HTMLParser):
    """The rendered HTML as rows of cell texts, plus every element and comment it holds."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self.comments: list[str] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def render_gfm(markdown: str) -> Rendered:
    """As GitHub renders a comment: GFM with tables, autolinks, strikethrough; raw HTML kept
    (``unsafe``), so that any HTML a value smuggled in would show as an element here."""
    options = cmarkgfm.Options.CMARK_OPT_UNSAFE
    return Rendered(cmarkgfm.github_flavored_markdown_to_html(markdown, options=options))


def shown(value: str) -> str:
    """What a reader must see for ``value`` in a cell: the value, control characters as
    symbols, a word joiner after ``@`` (no mention), without the outer spaces GFM trims."""
    return visible(value).replace("@", "@\u2060").strip(" \t")


# -- the escaping itself, for any text -----------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list("\\`*_[]()<>!&|~$#@:-=+.'\"/ \t\r\n\x1b\x07\x7f\x9b\u202e")),
            st.characters(codec="utf-8", exclude_categories=["Cs"]),
        ),
        max_size=40,
    )
)
def test_a_markdown_cell_renders_as_exactly_its_value(value: str) -> None:
    table = f"| Wert | danach |\n| --- | --- |\n| {markdown_cell(value)} | Folgezeile |\n"
    rendered = render_gfm(table)
    assert rendered.rows[1:] == [[shown(value), "Folgezeile"]]
    assert set(rendered.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}
    assert not rendered.comments


def test_a_json_text_is_valid_utf8_and_keeps_its_values() -> None:
    document = {"name": "a\x1b[2J\x7f\x9b\u2028b", "datei": "b\udcfcro"}
    text = safe_json(document)
    assert not CONTROL.search(text) and "\u2028" not in text
    assert json.loads(text.encode("utf-8")) == {"name": document["name"], "datei": "b\ufffdro"}


def test_a_csv_cell_with_a_bare_carriage_return_is_quoted() -> None:
    report = Report("t", sections=[Section("a", "A", [Column("x", "X")], [{"x": "a\rb"}])])
    for writer, delimiter in ((write_csv, ","), (write_excel_csv, ";")):
        buffer = io.StringIO()
        writer(report, buffer)
        assert '"a\rb"' in buffer.getvalue()
        rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline=""), delimiter=delimiter))
        assert rows[-1] == ["a\rb"]


def _report(value: str) -> Report:
    return Report(
        f"Titel {value}",
        description=[value],
        sections=[Section("a", value, [Column("x", "X")], [{"x": value}], paragraphs=[value])],
    )


@pytest.mark.parametrize("case", TERMINAL_CASES, ids=lambda c: c.name)
def test_terminal_renderers_print_no_control_character(case: OutputCase) -> None:
    for writer in (write_plain, write_rich):
        buffer = io.StringIO()
        writer(_report(case.value), buffer)
        assert not CONTROL.search(buffer.getvalue()), writer.__name__


def test_a_table_cell_is_capped_in_width_and_says_so() -> None:
    value = "x" * (1 << 20)
    for writer in (write_plain, write_markdown):
        buffer = io.StringIO()
        writer(
            Report("t", sections=[Section("a", "A", [Column("x", "X")], [{"x": value}])]), buffer
        )
        assert len(buffer.getvalue()) < 4 * CELL_MAX_CHARS, writer.__name__
        assert f"(+{len(value) - CELL_MAX_CHARS} Zeichen)" in buffer.getvalue()


# -- through qa, on real repositories ---------------------------------------------------------


def _set_name(repo: Path, relative: str, yaml_value: str) -> None:
    path = repo / relative
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [f"name: {yaml_value}\n" if line.startswith("name:") else line for line in lines]
    path.write_text("".join(lines), encoding="utf-8")


def _hostile_commit(tmp_path: Path, case: OutputCase) -> Path:
    """A commit that sets one office's name to the case's value and, after it, changes a second
    office: a value that hid later rows would hide that second change."""
    repo = make_repository(tmp_path)
    _set_name(repo, OFFICE, case.yaml)
    _set_name(repo, SECOND_OFFICE, '"Zweite Änderung"')
    git(repo, "commit", "-q", "-am", "feindlich")
    return repo


def _cells(rendered: Rendered) -> list[str]:
    return [cell for row in rendered.rows for cell in row]


@pytest.mark.parametrize("case", MARKDOWN_CASES, ids=lambda c: c.name)
def test_the_pull_request_summary_shows_the_value_and_every_row(
    tmp_path: Path, case: OutputCase
) -> None:
    repo = _hostile_commit(tmp_path, case)
    result = run_qa("diff", "HEAD~1..HEAD", "--format", "md", cwd=repo)
    assert result.code == 0, result.text
    rendered = render_gfm(result.out)
    cells = _cells(rendered)
    assert any(cell.endswith(f"→ {shown(case.value)}") for cell in cells), cells
    assert any(cell.endswith("→ Zweite Änderung") for cell in cells), "a later row is hidden"
    assert set(rendered.tags) <= {"h2", "p", "table", "thead", "tbody", "tr", "th", "td", "strong"}
    assert not rendered.comments


@pytest.mark.parametrize("case", MARKDOWN_CASES, ids=lambda c: c.name)
def test_the_markdown_report_shows_the_value(tmp_path: Path, case: OutputCase) -> None:
    repo = _hostile_commit(tmp_path, case)
    result = run_qa("report", "anlaufstellen", "--format", "md", cwd=repo)
    assert result.code == 0, result.text
    rendered = render_gfm(result.out)
    assert shown(case.value) in _cells(rendered)
    assert "script" not in rendered.tags and "img" not in rendered.tags and "a" not in rendered.tags
    assert not rendered.comments


@pytest.mark.parametrize("case", TERMINAL_CASES, ids=lambda c: c.name)
def test_no_command_prints_a_control_sequence(tmp_path: Path, case: OutputCase) -> None:
    repo = make_repository(tmp_path)
    _set_name(repo, OFFICE, case.yaml)
    commands = (
        ("validate",),
        ("list",),
        ("show", OFFICE_ID),
        ("report", "anlaufstellen", "--format", "md"),
        ("diff",),
        ("diff", "--format", "md"),
        ("diff", "--textconv", OFFICE),  # what git diff shows through the qa diff driver
    )
    for args in commands:
        result = run_qa(*args, cwd=repo)
        assert result.code in (0, 1), result.text
        assert not CONTROL.search(result.text), f"qa {' '.join(args)}: {result.text!r}"
    validation = run_qa("validate", "--format", "json", cwd=repo)
    assert "steuerzeichen" in [p["code"] for p in json.loads(validation.out)["fehler"]]


def test_a_valid_name_of_a_megabyte_is_capped_in_the_listing(tmp_path: Path) -> None:
    repo = make_repository(tmp_path)
    _set_name(repo, OFFICE, "x" * 1_000_000)
    result = run_qa("list", cwd=repo)
    assert result.code == 0, result.err
    assert len(result.out) < 100_000 and "Zeichen)" in result.out
