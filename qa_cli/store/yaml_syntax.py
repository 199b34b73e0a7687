"""libyaml's syntax errors in German, with a concrete hint, placed where the cause is.

libyaml reports where its scanner or parser gave up, which is often a line after the mistake: a
missing space after a colon shows on the next line, an unclosed quote at the end of the file or
at the next quote. Where the cause can be derived from libyaml's two marks (``context_mark``:
where the construct began; ``problem_mark``: where it failed) and the text, the problem is placed
there. ``MESSAGES`` covers every message of libyaml's scanner.c and parser.c that a file can cause
(not the parser's start-of-stream state, which no input reaches, and not the nesting limit, which
``yamlsafe`` reports as ``zu-tief-verschachtelt``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from qa_cli.store.problems import Problem
from qa_cli.store.source import Source, Span

QUOTE_IT = 'Den Wert in Anführungszeichen setzen, z. B. `notiz: "…"`.'
DIRECTIVE = (
    "Eine Zeile, die mit „%“ beginnt, ist für YAML eine Direktive; Datensätze brauchen keine: "
    "die Zeile löschen oder den Text einrücken bzw. in Anführungszeichen setzen."
)
TAG = "Ein „!“ am Anfang eines Werts leitet ein YAML-Tag ein: " + QUOTE_IT
ESCAPE = (
    "In doppelten Anführungszeichen leitet „\\“ eine Escape-Sequenz ein: einfache "
    "Anführungszeichen nehmen (`'C:\\Daten'`) oder „\\\\“ schreiben."
)
BLOCK_SCALAR = (
    "Nach „|“ oder „>“ (mehrzeiliger Text) darf in der Zeile nur „-“, „+“ oder eine Ziffer "
    "1–9 folgen; der Text beginnt in der nächsten Zeile, eingerückt."
)

# libyaml's problem text → German message and hint (hints for cases that ``_DERIVED`` does not
# explain better).
MESSAGES: dict[str, tuple[str, str]] = {
    "mapping values are not allowed in this context": (
        "Doppelpunkt an dieser Stelle nicht erlaubt",
        "Enthält der Wert „: “, ihn in Anführungszeichen setzen; sonst die Einrückung prüfen.",
    ),
    "block sequence entries are not allowed in this context": (
        "Listenpunkt „-“ an dieser Stelle nicht erlaubt",
        "Eine Liste steht unter ihrem Schlüssel: `traeger:` allein in der Zeile, darunter "
        "eingerückt `  - AWO` (oder `traeger: [AWO]`). Gehört „- “ zum Text: " + QUOTE_IT,
    ),
    "mapping keys are not allowed in this context": (
        "Fragezeichen „? “ an dieser Stelle nicht erlaubt (YAML-Schlüsselzeichen)",
        QUOTE_IT,
    ),
    "could not find expected ':'": (
        "Doppelpunkt nach dem Schlüssel fehlt",
        "Felder als `schluessel: wert` schreiben; ein Text, der in der nächsten Zeile "
        "weitergeht, wird tiefer eingerückt als sein Schlüssel (Schlüssel höchstens 1024 "
        "Zeichen).",
    ),
    "found character that cannot start any token": (
        "Dieses Zeichen kann einen Wert nicht beginnen",
        "„@“ und „`“ sind in YAML reserviert: " + QUOTE_IT,
    ),
    "found unexpected end of stream": (
        "Anführungszeichen wird nicht geschlossen",
        "Das schließende Anführungszeichen am Ende des Werts ergänzen.",
    ),
    "found unexpected document indicator": (
        "Anführungszeichen wird nicht geschlossen, bevor eine Zeile „---“ oder „...“ folgt",
        "Das schließende Anführungszeichen am Ende des Werts ergänzen.",
    ),
    "found unknown escape character": ("Unbekannte Escape-Sequenz", ESCAPE),
    "did not find expected hexdecimal number": ("Unvollständige Escape-Sequenz", ESCAPE),
    "found invalid Unicode character escape code": ("Ungültige Unicode-Escape-Sequenz", ESCAPE),
    "found a tab character that violates indentation": (
        "Tabulator in der Einrückung eines fortgesetzten Texts",
        "Mit Leerzeichen einrücken; den Editor auf „Leerzeichen statt Tabulator“ stellen.",
    ),
    "found a tab character where an indentation space is expected": (
        "Tabulator in der Einrückung eines mehrzeiligen Texts",
        "Mit Leerzeichen einrücken; den Editor auf „Leerzeichen statt Tabulator“ stellen.",
    ),
    "found an indentation indicator equal to 0": (
        "Einrückungsangabe 0 nach „|“ oder „>“",
        BLOCK_SCALAR,
    ),
    "did not find expected alphabetic or numeric character": (
        "Nach „&“ oder „*“ fehlt ein Name (YAML-Anker oder -Alias)",
        "„&“ und „*“ am Anfang eines Werts sind YAML-Zeichen: " + QUOTE_IT,
    ),
    "did not find the expected '>'": ("YAML-Tag „!<…>“ wird nicht geschlossen", TAG),
    "did not find expected whitespace or line break": ("Unvollständiges YAML-Tag", TAG),
    "did not find expected '!'": ("Unvollständiges YAML-Tag", TAG),
    "did not find expected tag URI": ("YAML-Tag ohne Namen", TAG),
    "did not find URI escaped octet": ("Ungültiges „%“ in einem YAML-Tag", TAG),
    "found an incorrect leading UTF-8 octet": ("Ungültiges „%“ in einem YAML-Tag", TAG),
    "found an incorrect trailing UTF-8 octet": ("Ungültiges „%“ in einem YAML-Tag", TAG),
    "found undefined tag handle": ("Unbekanntes YAML-Tag-Kürzel", TAG),
    "found unknown directive name": ("Unbekannte YAML-Direktive", DIRECTIVE),
    "could not find expected directive name": ("YAML-Direktive ohne Namen", DIRECTIVE),
    "found unexpected non-alphabetical character": ("Ungültige YAML-Direktive", DIRECTIVE),
    "did not find expected digit or '.' character": ("Ungültige YAML-Version", DIRECTIVE),
    "found extremely long version number": ("Ungültige YAML-Version", DIRECTIVE),
    "did not find expected version number": ("Ungültige YAML-Version", DIRECTIVE),
    "did not find expected whitespace": ("Unvollständige %TAG-Direktive", DIRECTIVE),
    "found duplicate %YAML directive": ("Die %YAML-Direktive steht doppelt", DIRECTIVE),
    "found duplicate %TAG directive": ("Die %TAG-Direktive steht doppelt", DIRECTIVE),
    "found incompatible YAML document": ("Nicht unterstützte YAML-Version", DIRECTIVE),
    "did not find expected <document start>": (
        "Text nach dem Ende des Dokuments („...“ oder „---“)",
        "Eine Zeile „...“ beendet den Datensatz; die Zeile löschen oder den Text einrücken.",
    ),
    "did not find expected node content": (
        "Hier fehlt ein Wert",
        "Leere Einträge in `[…]` oder `{…}` löschen; beginnt ein Text mit „-“, „[“, „]“, "
        "„{“, „}“ oder „,“: " + QUOTE_IT,
    ),
    "did not find expected key": (
        "Schlüssel erwartet; die Einrückung passt nicht",
        "Einträge derselben Ebene mit gleich vielen Leerzeichen einrücken.",
    ),
    "did not find expected '-' indicator": (
        "Listenpunkt „-“ erwartet; die Einrückung passt nicht",
        "Einträge derselben Ebene mit gleich vielen Leerzeichen einrücken.",
    ),
    "did not find expected ',' or ']'": (
        "Liste in „[…]“ wird nicht geschlossen",
        "Einträge mit „,“ trennen und die Liste mit „]“ schließen.",
    ),
    "did not find expected ',' or '}'": (
        "Zuordnung in „{…}“ wird nicht geschlossen",
        "Einträge mit „,“ trennen und die Zuordnung mit „}“ schließen.",
    ),
    "did not find expected comment or line break": (
        "Unerwarteter Text am Ende der Zeile",
        BLOCK_SCALAR,
    ),
}


@dataclass(frozen=True, slots=True)
class Located:
    """A derived explanation: where the cause is, what it is, and what to do."""

    span: Span
    message: str
    hint: str


def syntax_problem(source: Source, exc: yaml.MarkedYAMLError) -> Problem:
    """The German problem for a libyaml syntax error, placed at its cause when derivable."""
    problem = (exc.problem or "").strip()
    message, hint = MESSAGES.get(problem, (f"libyaml meldet: {problem}", _GENERIC_HINT))
    if "directive" in (exc.context or ""):
        hint = DIRECTIVE
    located = _unclosed_quote(source, exc) or _derive(problem, source, exc)
    span: Span | None
    if located is not None:
        span, message, hint = located.span, located.message, located.hint
    else:
        span = _at(exc.problem_mark or exc.context_mark)
    return source.problem("yaml-syntax", f"YAML-Syntaxfehler: {message}.", span, hint=hint)


_GENERIC_HINT = "Einrückung, Doppelpunkte und Anführungszeichen in der Nähe prüfen."


def _at(mark: yaml.Mark | None, width: int = 1) -> Span | None:
    if mark is None or mark.line is None:
        return None
    return Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1 + width)


def _lines(source: Source) -> list[str]:
    """The lines as libyaml counts them (it also breaks at ``\r``, U+0085, U+2028, U+2029)."""
    return source.text.splitlines()


def _line(lines: list[str], number: int) -> str:
    """Line ``number`` (0-based); empty past the end (a mark may stand after the last break)."""
    return lines[number] if 0 <= number < len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_column(line: str) -> int:
    """Where a line's key or value starts, after its indentation and any ``- `` markers."""
    match = re.match(r"^[ ]*(?:-[ ]+)*", line)
    return match.end() if match else 0


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _previous_content(lines: list[str], before: int) -> int | None:
    """The 0-based number of the last line with content before line ``before`` (0-based)."""
    for number in range(min(before, len(lines)) - 1, -1, -1):
        if _is_content(_line(lines, number)):
            return number
    return None


def _indent_hint(lines: list[str], number: int) -> Located | None:
    """Line ``number`` (0-based) is indented unlike its neighbours: name the line to align with."""
    previous = _previous_content(lines, number)
    if previous is None:
        return None
    line = _line(lines, number)
    column = _content_column(_line(lines, previous))
    key = re.match(r"[^:#]*", _line(lines, previous)[column:])
    word = (key.group(0).strip() if key else "") or _line(lines, previous).strip()
    return Located(
        Span(number + 1, _indent(line) + 1, number + 1, _indent(line) + 2),
        f"Die Einrückung von Zeile {number + 1} ({_indent(line)} Leerzeichen) passt zu keiner "
        "Ebene darüber",
        f"Mit {column} Leerzeichen einrücken wie „{word}“ in Zeile {previous + 1}, wenn der "
        "Eintrag dazugehört, sonst wie ein Schlüssel weiter oben.",
    )


def _mapping_value(source: Source, exc: yaml.MarkedYAMLError) -> Located | None:
    """A second ``: `` in a line is a value with a colon; a colon in a line indented deeper
    than the line before (which has a value) is an over-indented key."""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = _lines(source)
    line = _line(lines, mark.line)
    before = line[_content_column(line) : mark.column]
    first_colon = re.search(r":(?:[ ]|$)", before)
    if first_colon is not None:
        key = line[: _content_column(line) + first_colon.start()]
        value = line[_content_column(line) + first_colon.end() :].strip()
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return Located(
            Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2),
            "Der Wert enthält einen Doppelpunkt mit Leerzeichen („: “)",
            f"Den Wert in Anführungszeichen setzen: `{key.strip()}: {quoted}`.",
        )
    previous = _previous_content(lines, mark.line)
    if previous is not None and _indent(line) > _content_column(_line(lines, previous)):
        return _indent_hint(lines, mark.line)
    return None


def _missing_colon(source: Source, exc: yaml.MarkedYAMLError) -> Located | None:
    """libyaml notices a key without ``:`` only on the next line; the key began at the context
    mark. ``gebiet:batenbrock`` is a key whose colon lacks the space after it."""
    start = exc.context_mark
    if start is None:
        return None
    line = _lines(source)[start.line]
    glued = re.search(r"[^\s:]:(?=[^\s:])", line[start.column :])
    if glued is not None:
        column = start.column + glued.start() + 2  # just after the colon, 0-based
        key, value = line[start.column : column - 1], line[column:].strip()
        return Located(
            Span(start.line + 1, column, start.line + 1, column + 1),
            "Nach dem Doppelpunkt fehlt ein Leerzeichen",
            f"Ein Leerzeichen nach dem Doppelpunkt einfügen: `{key.strip()}: {value}`.",
        )
    message, hint = MESSAGES["could not find expected ':'"]
    return Located(
        Span(start.line + 1, start.column + 1, start.line + 1, start.column + 2), message, hint
    )


def _unclosed_flow(source: Source, exc: yaml.MarkedYAMLError) -> Located | None:
    """A bracket opened at the context mark that is not closed: if the parser failed on a later
    line, the closing bracket belongs at the end of the last line before it."""
    opened, failed = exc.context_mark, exc.problem_mark
    if opened is None or failed is None:
        return None
    bracket = source.text[opened.index] if opened.index < len(source.text) else "["
    closing = "]" if bracket == "[" else "}"
    where = f"Zeile {opened.line + 1}, Spalte {opened.column + 1}"
    if failed.line > opened.line:
        lines = _lines(source)
        last = _previous_content(lines, failed.line)
        end = len(_line(lines, last or opened.line).rstrip()) if last is not None else opened.column
        number = (last if last is not None else opened.line) + 1
        return Located(
            Span(number, end + 1, number, end + 2),
            f"Die Klammer „{bracket}“ aus {where} wird nicht geschlossen",
            f"„{closing}“ am Ende der Zeile {number} ergänzen (oder wo die Liste endet).",
        )
    return Located(
        Span(failed.line + 1, failed.column + 1, failed.line + 1, failed.column + 2),
        f"In der Klammer „{bracket}“ aus {where} fehlt ein Komma oder die schließende „{closing}“",
        f"Einträge mit „,“ trennen und mit „{closing}“ schließen; enthält ein Eintrag ein "
        "Komma oder Anführungszeichen, ihn als Ganzes in Anführungszeichen setzen.",
    )


def _indentation(source: Source, exc: yaml.MarkedYAMLError) -> Located | None:
    """``did not find expected key``/``'-' indicator``: a line at a depth that is no level."""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = _lines(source)
    line = _line(lines, mark.line)
    if mark.column in (_content_column(line), _indent(line)):
        return _indent_hint(lines, mark.line)
    if line[: mark.column].rstrip().endswith(('"', "'")):
        return Located(
            Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2),
            "Text nach dem schließenden Anführungszeichen",
            "Nach einem Wert in Anführungszeichen darf in der Zeile nur ein Kommentar folgen: "
            'den ganzen Text in Anführungszeichen setzen (ein „"“ darin als „\\"“).',
        )
    return None


def _quoted_from_start(source: Source, exc: yaml.MarkedYAMLError) -> Located | None:
    """An unclosed quote runs to the end of the file: the cause is where it opened."""
    start = exc.context_mark
    if start is None:
        return None
    quote = source.text[start.index] if start.index < len(source.text) else '"'
    message, _ = MESSAGES[(exc.problem or "").strip()]
    return Located(
        Span(start.line + 1, start.column + 1, start.line + 1, start.column + 2),
        f"{message} (es beginnt hier)",
        f"Das schließende {quote} am Ende des Werts in Zeile {start.line + 1} ergänzen.",
    )


_DERIVED: dict[str, Callable[[Source, yaml.MarkedYAMLError], Located | None]] = {
    "mapping values are not allowed in this context": _mapping_value,
    "could not find expected ':'": _missing_colon,
    "did not find expected ',' or ']'": _unclosed_flow,
    "did not find expected ',' or '}'": _unclosed_flow,
    "did not find expected key": _indentation,
    "did not find expected '-' indicator": _indentation,
    "found unexpected end of stream": _quoted_from_start,
    "found unexpected document indicator": _quoted_from_start,
}


def _derive(problem: str, source: Source, exc: yaml.MarkedYAMLError) -> Located | None:
    derive = _DERIVED.get(problem)
    return derive(source, exc) if derive is not None else None


_OPENING_QUOTE = re.compile(r"""(?:^|:[ ]+|-[ ]+|\[|,[ ]*)(["'])""")


def _unclosed_quote(source: Source, exc: yaml.MarkedYAMLError) -> Located | None:
    """A value that opens a quote and does not close it on its line makes libyaml read on until
    the next quote of that kind, and fail somewhere later. Records never need a quoted text over
    several lines, so after a syntax error the first such line (up to the error) is the cause."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    for number, line in enumerate(_lines(source)[: mark.line + 1]):
        column = _open_quote_column(line)
        if column is not None and number < mark.line:
            quote = line[column]
            return Located(
                Span(number + 1, column + 1, number + 1, column + 2),
                f"Das Anführungszeichen {quote} wird in seiner Zeile nicht geschlossen",
                f"Das schließende {quote} am Ende des Werts ergänzen; libyaml las bis Zeile "
                f"{mark.line + 1} weiter.",
            )
    return None


def _open_quote_column(line: str) -> int | None:
    """The column of a quote that opens a value on ``line`` and is not closed there."""
    if line.lstrip().startswith("#"):
        return None
    for match in _OPENING_QUOTE.finditer(line):
        column = match.start(1)
        quote = line[column]
        rest = line[column + 1 :]
        closed = rest.replace("''", "") if quote == "'" else re.sub(r"\\.", "", rest)
        if quote not in closed:
            return column
        return None  # the first quoted value on the line is closed
    return None
