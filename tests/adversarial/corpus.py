"""The adversarial corpus: files that try to break the loader, each written into a copy of the
shipped data.

A case names the file it creates (a path below ``data/``), how to create it and what ``qa validate``
must say about it: the expected codes, and whether they are located (line and column) or concern
the file as a whole. Small readable cases live in ``cases/``; big or binary ones (20 MB, 100,000
levels of nesting, invalid bytes, FIFOs, sockets, odd file names) are generated here.

Expected problems of a text case are written into the case itself, as comments on the line where
the problem must be reported:

    betrag: 0x1F  # erwartet: falscher-typ@9       (code at line and column 9)
    zeitraum: …   # erwartet: ungueltiger-monat, ungueltiger-monat@37
    vorlaeufig: Ja  # gültig                        (no problem may be reported on this line)

``a|b`` accepts either code. Cases that reveal a defect of qa carry ``defect`` (the test is then
``xfail(strict=True)`` with that reason); ``Befund:`` marks a questionable acceptance rather than a
crash.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).resolve().parent / "cases"
SHIPPED_DATA = Path(__file__).resolve().parent.parent.parent / "data"

Create = Callable[[Path], None]

_MARK = re.compile(r"#\s*erwartet:\s*(.+?)\s*$")
_VALID = re.compile(r"#\s*gültig\b")


@dataclass(frozen=True, slots=True)
class Expect:
    """A problem the case must produce: a code (``a|b`` for either), optionally at a place."""

    code: str
    line: int | None = None
    column: int | None = None

    def codes(self) -> frozenset[str]:
        return frozenset(self.code.split("|"))


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    target: str  # path below data/
    create: Create
    expect: tuple[Expect, ...]
    located: bool  # True: the expected problems have line and column; False: the whole file
    counted: bool = True  # qa counts the target as a record file (``dateien_geprueft``)
    valid_lines: tuple[int, ...] = ()  # lines on which no problem may be reported
    defect: str | None = None  # a known defect of qa: the test is xfail(strict=True)
    timeout: float = 60.0  # seconds before the qa process is killed
    max_seconds: float = 20.0  # time bound of one qa run
    path_pattern: str | None = None  # regex for the reported path, if not data/<target>
    mentions: tuple[str, ...] = ()  # text that the message or hint of a problem must contain
    forbidden_output: tuple[str, ...] = ()  # text that must appear nowhere in qa's output
    must_not_exist: str | None = None  # a file (relative to qa's working directory)

    @property
    def display(self) -> str:
        return "data/" + self.target


@dataclass(frozen=True, slots=True)
class ValidCase:
    """A record that looks hostile but is valid; ``values`` are read back from qa."""

    name: str
    target: str
    create: Create
    values: dict[str, Any]  # dotted path in the record's JSON → expected value


# -- creating files -------------------------------------------------------------------------------


def write_text(content: str, transform: Callable[[bytes], bytes] | None = None) -> Create:
    def create(path: Path) -> None:
        raw = content.encode("utf-8")
        path.write_bytes(transform(raw) if transform else raw)

    return create


def write_bytes(content: bytes) -> Create:
    def create(path: Path) -> None:
        path.write_bytes(content)

    return create


def case_file(name: str) -> str:
    return (CASES_DIR / name).read_text(encoding="utf-8")


def marks(text: str) -> tuple[tuple[Expect, ...], tuple[int, ...]]:
    """The expected problems and the valid lines written into ``text`` as comments."""
    expected: list[Expect] = []
    valid: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _VALID.search(line):
            valid.append(number)
        found = _MARK.search(line)
        if found:
            for item in found[1].split(","):
                code, _, column = item.strip().partition("@")
                expected.append(Expect(code, number, int(column) if column else None))
    return tuple(expected), tuple(valid)


def marked(
    name: str,
    target: str,
    text: str,
    transform: Callable[[bytes], bytes] | None = None,
    **options: Any,
) -> Case:
    """A located case whose expected problems are the markers in ``text``."""
    expected, valid = marks(text)
    assert expected, f"{name}: keine Markierung „# erwartet:“"
    return Case(
        name,
        target,
        write_text(text, transform),
        expected,
        located=True,
        valid_lines=valid,
        **options,
    )


def from_case_file(name: str, target: str, **options: Any) -> Case:
    return marked(name, target, case_file(name + ".yaml"), **options)


def whole_file(name: str, target: str, create: Create, *codes: str, **options: Any) -> Case:
    return Case(name, target, create, tuple(Expect(c) for c in codes), located=False, **options)


def symlink_to(destination: str) -> Create:
    def create(path: Path) -> None:
        os.symlink(destination, path)

    return create


def directory(path: Path) -> None:
    path.mkdir()
    (path / "inhalt.yaml").write_text("name: im Ordner\n", encoding="utf-8")


def fifo(path: Path) -> None:
    os.mkfifo(path)


def unix_socket(path: Path) -> None:
    # bind() takes at most ~108 bytes of path; bind relative to the folder instead
    with contextlib.chdir(path.parent), socket.socket(socket.AF_UNIX) as server:
        server.bind(path.name)


def copy_of(shipped: str) -> Create:
    def create(path: Path) -> None:
        path.write_bytes((SHIPPED_DATA / shipped).read_bytes())

    return create


def bytes_name(name: bytes, content: str) -> Create:
    """A file whose name is not valid UTF-8 (created next to ``path``, which only names the
    folder)."""

    def create(path: Path) -> None:
        target = os.path.join(os.fsencode(path.parent), name)
        with open(target, "wb") as handle:
            handle.write(content.encode("utf-8"))

    return create


# -- records the cases build on ------------------------------------------------------------------

OFFICE = """name: Testbüro
traeger: [AWO]
gebiet: boy
foerderungen:
  - programm: Zusammen im Quartier
    ende: "2020-12"
quelle:
  - dokument: Test
"""

REQUEST = """beispiel: Ja
runde: "2020"
anlaufstelle: stadtteilbuero-batenbrock
traeger: AGSB
eingang: "2020-09-15"
zeitraum: {beginn: "2021-01", ende: "2021-06"}
betrag: @BETRAG@
konzeptpapier:
  vorhanden: Ja
bewertungen:
  - gutachter: sozialamt
    werte:
      verstetigung: @BEWERTUNG@
quelle:
  - dokument: Test
"""

BAD_MONTH = OFFICE.replace('ende: "2020-12"', "ende: 12/2020  # erwartet: ungueltiger-monat@11")

ALIASES_ON_ONE_LINE = 5_000
DEEP = 100_000


def _replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def transform(raw: bytes) -> bytes:
        assert old in raw
        return raw.replace(old, new)

    return transform


def _crlf(raw: bytes) -> bytes:
    return raw.replace(b"\n", b"\r\n")


def _cr(raw: bytes) -> bytes:
    return raw.replace(b"\n", b"\r")


def _twenty_megabytes(path: Path) -> None:
    with path.open("wb") as handle:
        handle.write(OFFICE.encode())
        for _ in range(20):
            handle.write(b"# " + b"x" * (1024 * 1024 - 3) + b"\n")


def request(amount: str, rating: str) -> str:
    return REQUEST.replace("@BETRAG@", amount).replace("@BEWERTUNG@", rating)


def indented(levels: int, marker: str) -> str:
    """Block mappings nested by indentation, one space per level; ``marker`` ends line 65."""
    lines = [" " * level + "a:" for level in range(levels)]
    lines[64] += marker
    return "\n".join(lines) + "\n"


# -- the corpus ---------------------------------------------------------------------------------

CASES: tuple[Case, ...] = (
    # duplicate keys, anchors, merge keys, tags, several documents
    from_case_file(
        "doppelte-schluessel", "antraege/2020-doppelt.yaml", mentions=("zuerst in Zeile",)
    ),
    from_case_file("anker-und-aliase", "anlaufstellen/billion-laughs.yaml"),
    marked(
        "aliase-in-einer-zeile",
        "anlaufstellen/aliase-eine-zeile.yaml",
        "name: &a Test  # erwartet: anker-alias\ntraeger: ["
        + ", ".join(["*a"] * ALIASES_ON_ONE_LINE)
        + "]  # erwartet: anker-alias\n",
        timeout=30,
    ),
    from_case_file("merge-schluessel", "anlaufstellen/merge.yaml"),
    from_case_file("python-tags", "anlaufstellen/python-tags.yaml", must_not_exist="PWNED"),
    from_case_file("unbekannte-tags", "anlaufstellen/unbekannte-tags.yaml"),
    marked(
        "mehrere-dokumente",
        "anlaufstellen/zwei-dokumente.yaml",
        OFFICE + "...\n---  # erwartet: mehrere-dokumente@1\n" + OFFICE,
    ),
    # nesting 100,000 levels deep: libyaml's own composer recurses in C and would crash
    marked(
        "tief-flow-listen",
        "anlaufstellen/tief-listen.yaml",
        "[" * DEEP + "x  # erwartet: zu-tief-verschachtelt@65",
    ),
    marked(
        "tief-flow-zuordnungen",
        "anlaufstellen/tief-zuordnungen.yaml",
        "{a: " * DEEP + "x  # erwartet: zu-tief-verschachtelt",
    ),
    marked(
        "tief-block-listen",
        "anlaufstellen/tief-block.yaml",
        "- " * DEEP + "x  # erwartet: zu-tief-verschachtelt@129",
    ),
    marked(
        "tief-eingerueckt",
        "anlaufstellen/tief-eingerueckt.yaml",
        indented(1000, "  # erwartet: zu-tief-verschachtelt@65"),
    ),
    marked(
        "tief-explizite-schluessel",
        "anlaufstellen/tief-fragezeichen.yaml",
        "? " * DEEP + "x  # erwartet: ungueltiger-schluessel|zu-tief-verschachtelt",
    ),
    marked(
        "tief-explizite-werte",
        "anlaufstellen/tief-doppelpunkt.yaml",
        "? name\n: " + "- " * DEEP + "x  # erwartet: zu-tief-verschachtelt",
    ),
    marked(
        "verschachtelt-1200-explizit",
        "anlaufstellen/rekursion.yaml",
        "? name\n: " + "- " * 1200 + "x  # erwartet: zu-tief-verschachtelt",
    ),
    marked(
        "verschachtelt-70-explizit",
        "anlaufstellen/assert.yaml",
        "? name\n: " + "- " * 70 + "x  # erwartet: zu-tief-verschachtelt",
    ),
    # size
    whole_file(
        "datei-20-mb",
        "anlaufstellen/zwanzig-megabyte.yaml",
        _twenty_megabytes,
        "datei-zu-gross",
    ),
    marked(
        "sehr-langer-wert",
        "anlaufstellen/langer-wert.yaml",
        OFFICE.replace("gebiet: boy", "gebiet: " + "a" * 900_000 + "  # erwartet: ungueltige-id@9"),
    ),
    marked(
        "sehr-langer-schluessel",
        "anlaufstellen/langer-schluessel.yaml",
        OFFICE + "k" * 900_000 + ": 1  # erwartet: yaml-syntax|unbekanntes-feld\n",
    ),
    marked(
        "viele-doppelte-schluessel",
        "anlaufstellen/viele-doppelte.yaml",
        OFFICE
        + "notiz: erste\n"
        + "notiz: x  # erwartet: doppelter-schluessel@1\n" * 100
        + "notiz: x  # erwartet: weitere-fehler@1\n"
        + "notiz: x\n" * 19_899,
    ),
    # encodings and characters
    marked(
        "ungueltiges-utf8",
        "anlaufstellen/latin1.yaml",
        OFFICE.replace("name: Testbüro", "name: M@FC@nchen  # erwartet: ungueltige-kodierung@8"),
        transform=_replace(b"@FC@", b"\xfc"),
    ),
    marked(
        "utf16-ohne-bom",
        "anlaufstellen/utf16.yaml",
        "name: Testbüro  # erwartet: nul-byte\n" + OFFICE.split("\n", 1)[1],
        transform=lambda raw: raw.decode("utf-8").encode("utf-16-le"),
        mentions=("UTF-16",),
    ),
    whole_file(
        "utf16-mit-bom",
        "anlaufstellen/utf16-bom.yaml",
        write_bytes(OFFICE.encode("utf-16")),
        "ungueltige-kodierung",
    ),
    marked(
        "nul-byte",
        "anlaufstellen/nul.yaml",
        OFFICE.replace("gebiet: boy", "gebiet: b@NUL@y  # erwartet: nul-byte@10"),
        transform=_replace(b"@NUL@", b"\x00"),
    ),
    marked(
        "einzelnes-surrogat-kodiert",
        "anlaufstellen/surrogat.yaml",
        OFFICE.replace("name: Testbüro", "name: Test@SUR@  # erwartet: ungueltige-kodierung@11"),
        transform=_replace(b"@SUR@", b"\xed\xa0\x80"),
    ),
    marked(
        "einzelnes-surrogat-escape",
        "anlaufstellen/surrogat-escape.yaml",
        OFFICE.replace("name: Testbüro", 'name: "Test\\ud800"  # erwartet: yaml-syntax'),
    ),
    marked(
        "bom-in-der-mitte",
        "anlaufstellen/bom-mitte.yaml",
        OFFICE.replace("gebiet: boy", "gebiet: \ufeffboy  # erwartet: ungueltiges-zeichen@9"),
    ),
    marked(
        "bom-am-anfang",
        "anlaufstellen/bom-anfang.yaml",
        "\ufeffnam: Testbüro  # erwartet: unbekanntes-feld@1\n" + OFFICE.split("\n", 1)[1],
    ),
    marked(
        "steuerzeichen",
        "anlaufstellen/steuerzeichen.yaml",
        OFFICE.replace(
            "name: Testbüro",
            'name: "Test\x1b[2Jbüro"  # erwartet: ungueltiges-zeichen|yaml-syntax',
        ),
    ),
    # control characters written as YAML escapes: valid YAML, but they would act on a terminal
    # (window title, clear screen), end a Markdown table row or reorder text (bidi)
    marked(
        "steuerzeichen-escape-sequenz",
        "anlaufstellen/steuerzeichen-osc.yaml",
        OFFICE.replace(
            "name: Testbüro", 'name: "Test\\e]0;Titel\\abüro"  # erwartet: steuerzeichen@7'
        ),
    ),
    marked(
        "steuerzeichen-bildschirm-loeschen",
        "anlaufstellen/steuerzeichen-csi.yaml",
        OFFICE.replace(
            "name: Testbüro", 'name: "Test\\e[2J\\e[Hbüro"  # erwartet: steuerzeichen@7'
        ),
    ),
    marked(
        "steuerzeichen-wagenruecklauf-kommentar",
        "anlaufstellen/steuerzeichen-cr.yaml",
        OFFICE.replace("traeger: [AWO]", 'traeger: ["AWO\\r<!-- "]  # erwartet: steuerzeichen@11'),
    ),
    marked(
        "steuerzeichen-c1-csi",
        "anlaufstellen/steuerzeichen-c1.yaml",
        OFFICE.replace("name: Testbüro", 'name: "Test\\x9b2Jbüro"  # erwartet: steuerzeichen@7'),
    ),
    marked(
        "steuerzeichen-bidi-umkehr",
        "anlaufstellen/steuerzeichen-bidi.yaml",
        OFFICE.replace("name: Testbüro", 'name: "Test\\u202eorüb"  # erwartet: steuerzeichen@7'),
    ),
    marked(
        "steuerzeichen-im-schluessel",
        "anlaufstellen/steuerzeichen-schluessel.yaml",
        OFFICE + '"no\\etiz": x  # erwartet: steuerzeichen\n',
    ),
    marked(
        "tabulator",
        "anlaufstellen/tabulator.yaml",
        "name: Test\tbüro  # gültig (Tabulator im Wert)\ntraeger:\n"
        "\t- AWO  # erwartet: tabulator@1\ngebiet: boy\nquelle:\n"
        "  \t- dokument: Test  # erwartet: tabulator@3\n",
    ),
    marked("crlf", "anlaufstellen/crlf.yaml", BAD_MONTH, transform=_crlf),
    marked("nur-cr", "anlaufstellen/nur-cr.yaml", BAD_MONTH, transform=_cr),
    # what is there instead of a record file
    whole_file(
        "symlink-auf-etc-passwd",
        "anlaufstellen/passwd.yaml",
        symlink_to("/etc/passwd"),
        "symlink",
        counted=False,
        forbidden_output=("root:x:0:0",),
    ),
    whole_file(
        "ordner-wie-datensatz",
        "anlaufstellen/ordner.yaml",
        directory,
        "keine-datei",
        counted=False,
    ),
    whole_file(
        "fifo-wie-datensatz",
        "anlaufstellen/fifo.yaml",
        fifo,
        "keine-datei",
        counted=False,
        timeout=5,
    ),
    whole_file(
        "socket-wie-datensatz",
        "anlaufstellen/socket.yaml",
        unix_socket,
        "keine-datei",
        counted=False,
    ),
    whole_file("leere-datei", "anlaufstellen/leer.yaml", write_bytes(b""), "leere-datei"),
    whole_file(
        "nur-null",
        "anlaufstellen/nur-null.yaml",
        write_bytes(b"~\n"),
        "leere-datei",
    ),
    whole_file(
        "nur-kommentare",
        "anlaufstellen/kommentare.yaml",
        write_text("# name: Testbüro\n# traeger: [AWO]\n\n   # eingerückt\n"),
        "leere-datei",
    ),
    # YAML 1.1 values in typed fields (the text fields are in VALID_CASES)
    from_case_file("yaml11-janein", "anlaufstellen/yaml11-janein.yaml"),
    from_case_file("yaml11-monat", "anlaufstellen/yaml11-monat.yaml"),
    from_case_file("yaml11-ende", "anlaufstellen/yaml11-ende.yaml"),
    from_case_file("yaml11-betrag", "antraege/2020-yaml11-betrag.yaml"),
    from_case_file("yaml11-messwert", "indikatoren/werte/2024-yaml11.yaml"),
    from_case_file("yaml11-datum", "antraege/2020-yaml11-datum.yaml"),
    from_case_file("yaml11-bewertung", "antraege/2020-yaml11-bewertung.yaml"),
    from_case_file("bewertung-012", "antraege/2020-bewertung-012.yaml"),
    # numbers and dates
    from_case_file("nan-unendlich-betraege", "antraege/2020-nan.yaml"),
    marked(
        "riesige-ziffernfolgen",
        "antraege/2020-ziffern.yaml",
        request(
            "9" * 5000 + "  # erwartet: ungueltiger-wert@9",
            "9" * 5000 + "  # erwartet: ungueltiger-wert@21",
        ),
    ),
    from_case_file(
        "betrag-10-hoch-40",
        "antraege/2020-riesig.yaml",
    ),
    marked(
        "ziffern-ueberlauf-unendlich",
        "indikatoren/werte/2026-ueberlauf.yaml",
        "jahr: 2026\ngliederung: statistischer_bezirk\nwerte:\n  altstadt:\n    einwohner:\n"
        "      wert: "
        + "9" * 400
        + "  # erwartet: ungueltiger-wert@13\nquelle:\n  - dokument: Test\n",
    ),
    from_case_file(
        "indikator-unendlich",
        "indikatoren/katalog/test-indikator.yaml",
    ),
    marked(
        "unicode-ziffern",
        "antraege/2020-unicode-ziffern.yaml",
        request("24000", "\uff13  # erwartet: ungueltiger-wert@21"),  # FULLWIDTH DIGIT THREE
    ),
    from_case_file("unmoegliche-daten", "antraege/2020-unmoeglich.yaml"),
    from_case_file(
        "datum-zeitstempel",
        "antraege/2020-zeitstempel.yaml",
    ),
    # ids
    from_case_file("ids-mit-pfaden", "anlaufstellen/pfade.yaml"),
    marked(
        "ids-doppelgaenger",
        "anlaufstellen/doppelgaenger.yaml",
        "name: Doppelgänger\ntraeger: [AWO]\n"
        "gebiet: b\u043ey  # erwartet: ungueltige-id@9\n"  # CYRILLIC SMALL LETTER O
        "schwerpunkte:\n"
        "  - b\u0435ratung  # erwartet: ungueltige-id@5\n"  # CYRILLIC SMALL LETTER IE
        "  - familien\u200b  # erwartet: ungueltige-id\n"  # ZERO WIDTH SPACE
        "  - \uff46\uff41\uff4d\uff49\uff4c\uff49\uff45\uff4e  # erwartet: ungueltige-id\n"
        "  - beratung  # gültig\nquelle:\n  - dokument: Test\n",
    ),
    whole_file(
        "dateiname-doppelgaenger",
        "anlaufstellen/quartiersbuero-b\u043ey.yaml",
        copy_of("anlaufstellen/quartiersbuero-boy.yaml"),
        "ungueltige-id",
    ),
    whole_file(
        "dateiname-steuerzeichen",
        "gebiete/boy\x1b[31m.yaml",
        copy_of("gebiete/boy.yaml"),
        "ungueltige-id",
        path_pattern=r"data/gebiete/boy\ufffd\[31m\.yaml",  # the escape byte is never printed
    ),
    whole_file(
        "dateiname-zeilenumbruch",
        "gebiete/welheim\n.yaml",
        copy_of("gebiete/welheim.yaml"),
        "ungueltige-id",
        path_pattern=r"data/gebiete/welheim\ufffd\.yaml",
    ),
    whole_file(
        "dateiname-ungueltiges-utf8",
        "gebiete/b\udcffy.yaml",
        bytes_name(b"b\xffy.yaml", (SHIPPED_DATA / "gebiete/boy.yaml").read_text("utf-8")),
        "ungueltige-id",
        path_pattern=r"data/gebiete/b.{1,6}y\.yaml",
    ),
)

VALID_CASES: tuple[ValidCase, ...] = (
    ValidCase(
        "zeilenumbruch-und-tabulator-im-text",
        "anlaufstellen/zeilen-tab.yaml",
        write_text(OFFICE + 'notiz: "zwei\\nZeilen\\tmit Tab"\n'),
        {"notiz": "zwei\nZeilen\tmit Tab"},
    ),
    ValidCase(
        "yaml11-text",
        "anlaufstellen/yaml11-text.yaml",
        write_text(case_file("yaml11-text.yaml")),
        {
            "name": "yes",
            "ausrichtung": "012",
            "laufzeit_wortlaut": "1:20",
            "foerderungen.0.programm": "on",
            "foerderungen.0.notiz": ".inf",
            "quelle.0.dokument": "0x1F",
            "quelle.0.stand": "off",
            "quelle.0.fundstelle": "2020-02-30",
            "quelle.0.url": "1e3",
            "notiz": ".NaN",
        },
    ),
    ValidCase(
        "yaml11-textlisten",
        "anlaufstellen/yaml11-textlisten.yaml",
        write_text(case_file("yaml11-textlisten.yaml")),
        {
            "traeger": [
                *("yes", "no", "on", "off", "y", "n", "true", "false", "012", "0o14", "0x1F"),
                *("1:20", ".inf", "-.inf", ".nan", "1e3", "2020-02-30"),
            ],
            "kooperationspartner": ["Yes", "NO", "0b1010"],
            "foerderungen.0.mittelgeber": ["On", "OFF"],
        },
    ),
    ValidCase(
        "yaml11-betrag-012-ist-12",
        "antraege/2020-yaml11-betrag-gueltig.yaml",
        write_text(case_file("yaml11-betrag-gueltig.yaml")),
        {"betrag": 12, "eigenanteil": 7},
    ),
    ValidCase(
        "yaml11-messwert-012-ist-12",
        "indikatoren/werte/2025-yaml11.yaml",
        write_text(case_file("yaml11-messwert-gueltig.yaml")),
        {"werte.altstadt.einwohner.wert": 12.0},
    ),
)


def build(case: Case | ValidCase, data: Path) -> Path:
    """Create the case below ``data`` and date every entry back, as if written an hour ago (so
    that qa's run cache, which distrusts fresh files, takes part as it would for a user)."""
    path = data / case.target
    path.parent.mkdir(parents=True, exist_ok=True)
    case.create(path)
    backdate(data)
    return path


def backdate(root: Path, seconds: float = 3600) -> None:
    import time

    past = time.time() - seconds
    for folder, names, files in os.walk(root):
        for name in [*names, *files]:
            os.utime(os.path.join(folder, name), (past, past), follow_symlinks=False)
    os.utime(root, (past, past))
