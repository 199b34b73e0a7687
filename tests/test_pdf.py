"""``--format pdf``: every paper printed by the real Chromium, read back with poppler.

Each report is written by the real CLI twice, as HTML and as PDF. The PDF must have A4 pages
(upright or across), "Seite X von Y" on every page, the example mark on every page of a report
with example data, no near-empty page, and every cell of every table of the HTML in its text
(``pdftotext``): a table wider than the paper is cut into parts, never cut off. A picture of each
page (``pdftoppm``) is kept for review under pytest's tmp folder and, when ``QA_REVIEW_DIR`` is
set, copied there.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import struct
import subprocess
import threading
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from qa_cli.render.pdf import html_to_pdf
from tests import browser
from tests.conftest import Run, run_qa

# report name → arguments; "quartal-reihe" is the eight-quarter report that once lost 2021
CASES: dict[str, list[str]] = {
    "anlaufstellen": ["anlaufstellen"],
    "quartal": ["quartal", "2020-Q4"],
    "quartal-reihe": ["quartal", "--von", "2020-Q1", "--bis", "2021-Q4"],
    "entscheidung": ["entscheidung", "--runde", "2020"],
    "profil": ["profil", "batenbrock"],
    "fonds-sitzung": ["fonds-sitzung", "stadtteilfonds", "--frist", "ohne"],
    "fonds-beschluesse": ["fonds-beschluesse", "stadtteilfonds", "--frist", "ohne"],
    "fonds-projekte": ["fonds-projekte"],
    "fonds-jahresbericht": ["fonds-jahresbericht", "stadtteilfonds"],
    "karte": ["karte", "--farbe", "ende", "--today", "2020-12-01"],
}
EXAMPLES = {"quartal", "quartal-reihe", "entscheidung"}  # reports made from example data
A4 = {(595, 842), (842, 595)}  # points, upright and across
PICTURE_DPI = 60
INK = 160  # a grey level darker than this is ink (the stripes of table rows are lighter)
NEAR_EMPTY = 0.2  # a page (but the last) whose ink covers less of its height is near-empty
POPPLER = ("pdfinfo", "pdftotext", "pdftoppm")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get(browser.REQUIRED) == "1":
            pytest.fail(f"{name} fehlt (Debian: poppler-utils).", pytrace=False)
        pytest.skip(f"{name} fehlt (Debian: poppler-utils)")
    return found


def _run(*argv: str) -> str:
    return subprocess.run(
        [_tool(argv[0]), *argv[1:]], capture_output=True, text=True, check=True, timeout=60
    ).stdout


class _Cells(HTMLParser):
    """The text of every header and body cell of the page's tables."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._open = []
        elif self._open is not None:
            self._open.append(" ")  # a tag inside a cell (the operator's line) parts words

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._open is not None:
            self.cells.append("".join(self._open))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)


def table_cells(html: str) -> list[str]:
    parser = _Cells()
    parser.feed(html)
    return [cell for cell in parser.cells if cell.strip()]


def squeezed(text: str) -> str:
    """Without white space and hyphens: a word broken over lines reads as one (``pdftotext``
    drops the hyphen where a line ends in one)."""
    return re.sub(r"[\s\u00ad\u2010-]+", "", text)


WINDOW = 2000  # characters: the words of one cell lie this close together in the PDF's text


def printed_in_order(cell: str, text: str) -> bool:
    """Whether the words of ``cell`` are in ``text`` (squeezed) in their order, close together:
    ``pdftotext`` reads a row's wrapped cells line by line, so the lines of neighbouring cells
    come between the lines of one."""
    words = [word for word in re.split(r"[\s\u00ad\u2010-]+", cell) if word]
    start = text.find(words[0])
    while start >= 0:
        position, ok = start + len(words[0]), True
        for word in words[1:]:
            found = text.find(word, position, position + WINDOW)
            if found < 0:
                ok = False
                break
            position = found + len(word)
        if ok:
            return True
        start = text.find(words[0], start + 1)
    return False


@dataclass
class Printed:
    name: str
    run: Run
    html: str
    pdf: Path
    pages: list[str]  # the text of each page
    sizes: list[tuple[int, int]]  # each page's size in points
    pictures: list[Path]


def _pages(pdf: Path) -> tuple[list[str], list[tuple[int, int]]]:
    info = _run("pdfinfo", "-f", "1", "-l", "999", str(pdf))
    sizes = [
        (round(float(w)), round(float(h)))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    ]
    texts = [
        _run("pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-")
        for n in range(1, len(sizes) + 1)
    ]
    return texts, sizes


def _pictures(pdf: Path, folder: Path, name: str) -> list[Path]:
    _run("pdftoppm", "-r", str(PICTURE_DPI), "-png", str(pdf), str(folder / name))
    pictures = sorted(folder.glob(f"{name}-*.png"))
    review = os.environ.get("QA_REVIEW_DIR")
    if review:
        Path(review).mkdir(parents=True, exist_ok=True)
        for picture in pictures:
            shutil.copy2(picture, Path(review) / picture.name)
    return pictures


def _print(name: str, folder: Path) -> Printed:
    args = CASES[name]
    html_file, pdf = folder / f"{name}.html", folder / f"{name}.pdf"
    html_run = run_qa("report", *args, "-o", str(html_file))
    assert html_run.code == 0, html_run.text
    result = run_qa("report", *args, "-o", str(pdf))
    if result.code != 0:
        return Printed(name, result, "", pdf, [], [], [])
    texts, sizes = _pages(pdf)
    pictures = _pictures(pdf, folder, name)
    return Printed(name, result, html_file.read_text("utf-8"), pdf, texts, sizes, pictures)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """Every case as HTML and PDF (two at a time: each is a browser process)."""
    if browser.find_chromium() is None:
        browser.unavailable(browser.NO_BROWSER)
    for tool in POPPLER:
        _tool(tool)
    folder = tmp_path_factory.mktemp("pdf")
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(zip(CASES, pool.map(lambda n: _print(n, folder), CASES), strict=True))
    print(f"\nSeiten als Bilder: {folder}")
    return done


@pytest.mark.parametrize("name", list(CASES))
def test_every_report_prints_on_a4(name: str, printed: dict[str, Printed]) -> None:
    paper = printed[name]
    assert paper.run.code == 0 and "Traceback" not in paper.run.text, paper.run.text
    assert paper.pdf.read_bytes().startswith(b"%PDF-")
    assert paper.sizes and set(paper.sizes) <= A4, paper.sizes
    assert len(paper.pictures) == len(paper.sizes)
    count = len(paper.pages)
    for number, text in enumerate(paper.pages, start=1):
        assert f"Seite {number} von {count}" in text, (name, number)
        assert "Erstellt am" in text and "Datenstand" in text, (name, number)
        if name in EXAMPLES:
            assert squeezed("BEISPIEL: erfundene Beispieldaten") in squeezed(text), (name, number)


@pytest.mark.parametrize("name", list(CASES))
def test_every_table_cell_is_printed(name: str, printed: dict[str, Printed]) -> None:
    paper = printed[name]
    text = squeezed("".join(paper.pages))
    cells = table_cells(paper.html)
    assert cells, "keine Tabelle"
    missing = [cell for cell in cells if not printed_in_order(cell, text)]
    assert missing == [], f"{name}: {len(missing)} Zellen fehlen im PDF, z. B. {missing[:5]}"


def test_eight_quarters_keep_2021(printed: dict[str, Printed]) -> None:
    """The regression: the tables of an eight-quarter report were wider than the paper and
    Chromium cut off the quarters of 2021."""
    text = "".join(printed["quartal-reihe"].pages)
    for quarter in ("2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"):
        assert squeezed(f"{quarter} gefördert") in squeezed(text), quarter  # a column head
    assert "Teil 1 von" in text  # cut into parts, the first column repeated
    sizes = printed["quartal-reihe"].sizes
    assert (842, 595) in sizes


def _ink_rows(pdf: Path, page: int) -> float:
    raw = subprocess.run(
        [_tool("pdftoppm"), "-gray", "-r", "30", "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", raw)
    assert header, raw[:20]
    width, height = int(header[1]), int(header[2])
    pixels = raw[header.end() :]
    margin_top, margin_bottom = round(height * 15 / 297), round(height * 18 / 297)
    if width > height:  # across: the same margins, on the shorter side
        margin_top, margin_bottom = round(height * 15 / 210), round(height * 18 / 210)
    rows = [
        y
        for y in range(margin_top, height - margin_bottom)
        if min(pixels[y * width : (y + 1) * width]) < INK
    ]
    body = height - margin_top - margin_bottom
    return (rows[-1] - rows[0]) / body if rows else 0.0


@pytest.mark.parametrize("name", list(CASES))
def test_no_near_empty_page(name: str, printed: dict[str, Printed]) -> None:
    paper = printed[name]
    shares = [_ink_rows(paper.pdf, n) for n in range(1, len(paper.pages) + 1)]
    assert shares[-1] > 0, f"{name}: die letzte Seite ist leer"
    near_empty = [n for n, share in enumerate(shares[:-1], start=1) if share < NEAR_EMPTY]
    assert near_empty == [], f"{name}: fast leere Seiten {near_empty} ({shares})"


def test_missing_chromium_is_a_german_error(tmp_path: Path) -> None:
    target = tmp_path / "liste.pdf"
    result = run_qa(
        "report", "anlaufstellen", "-o", str(target), env={"QA_CHROMIUM": str(tmp_path / "weg")}
    )
    assert result.code == 1 and "Traceback" not in result.text, result.text
    assert "qa: Fehler: PDF braucht Chromium" in result.err and "--format html" in result.err
    assert not target.exists()


def test_pdf_is_not_written_to_a_terminal() -> None:
    result = run_qa("report", "anlaufstellen", "--format", "pdf")
    assert result.code == 2 and "PDF ist binär" in result.err, result.text


class _Listener:
    """A TCP port on loopback that counts who connects (the page must not)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def __enter__(self) -> _Listener:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    with _Listener() as server:
        yield server


def test_chromium_loads_nothing_but_the_document(tmp_path: Path, listener: _Listener) -> None:
    """A page that asks for a file beside it and for the network gets neither."""
    if browser.find_chromium() is None:
        browser.unavailable(browser.NO_BROWSER)
    secret = tmp_path / "geheim.png"
    _red_png(secret)
    url = f"http://127.0.0.1:{listener.port}"
    html = (
        "<!doctype html><html lang=de><head><meta charset=utf-8>"
        f'<link rel=stylesheet href="{url}/a.css"></head><body><p>Inhalt</p>'
        f'<img src="{secret.as_uri()}" width=200 height=200><img src="{url}/b.png">'
        f'<iframe src="{secret.parent.as_uri()}/"></iframe></body></html>'
    )
    pdf = tmp_path / "seite.pdf"
    pdf.write_bytes(html_to_pdf(html))
    assert "Inhalt" in _run("pdftotext", str(pdf), "-")
    assert not _has_red(pdf) and listener.connections == 0


def _has_red(pdf: Path) -> bool:
    """Whether a pixel of the printed page is red (the picture beside the document)."""
    raw = subprocess.run(
        [_tool("pdftoppm"), "-r", "30", "-f", "1", "-l", "1", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    header = re.match(rb"P6\s+\d+\s+\d+\s+255\s", raw)
    assert header, raw[:20]
    pixels = raw[header.end() :]
    return any(
        pixels[i] > 200 and pixels[i + 1] < 80 and pixels[i + 2] < 80
        for i in range(0, len(pixels), 3)
    )


def _red_png(path: Path) -> None:
    """A 16×16 red picture (PNG written by hand: signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 16 for _ in range(16))
    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    path.write_bytes(
        browser.PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# --- on a 1280 px screen ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[browser.Chromium]:
    with browser.launch() as session:
        yield session


@pytest.mark.parametrize("name", ["karte", "quartal-reihe", "anlaufstellen", "profil"])
def test_tables_fit_a_1280_px_screen(
    name: str, printed: dict[str, Printed], chromium: browser.Chromium, tmp_path: Path
) -> None:
    """No list scrolls sideways on a 1280 px wide screen (a screenshot is kept)."""
    page_file = tmp_path / f"{name}.html"
    page_file.write_text(printed[name].html, encoding="utf-8")
    page = chromium.open(page_file, tmp_path / f"{name}-1280.png")
    assert page.problems == [] and not page.horizontal_overflow
    assert page.sideways == [], page.sideways
