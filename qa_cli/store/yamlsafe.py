"""Hardened YAML reading: bytes in, plain data with positions (or located problems) out.

PyYAML's loaders are too permissive for records that people edit by hand: they keep the last of two
duplicate keys, expand aliases (billion laughs), honour ``<<`` merge keys and Python tags, and turn
``no`` into ``False``, ``012`` into 10 and ``1:20`` into 80. Instead we walk libyaml's event stream
(``yaml.cyaml.CParser``) ourselves, without recursion, and build dicts, lists and strings only:
every scalar stays text (the Pydantic model decides what it means), an unquoted ``~``/``null``/empty
value is ``None``, and anything else surprising is a located error. Walking events also lets us stop
at a nesting limit before anything deep is built; libyaml's own composer recurses in C and can
crash the process on deeply nested input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev
from yaml.cyaml import CParser  # type: ignore[attr-defined]
from yaml.resolver import BaseResolver

from qa_cli.store.problems import Problem, excerpt_window
from qa_cli.store.source import Document, Source, Span, YamlPath, format_path
from qa_cli.store.yaml_syntax import syntax_problem

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_PROBLEMS = 100  # per file: beyond that a file is garbage, not a record with typos
_TOO_DEEP = f"Die Daten sind tiefer als {MAX_DEPTH} Ebenen verschachtelt."
_TOO_DEEP_HINT = "Datensätze brauchen nur wenige Ebenen; die Struktur prüfen."
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff")


class _Stop(Exception):
    """Raised by the builder when the rest of the file cannot be read meaningfully."""


def too_large(path: str) -> Problem:
    """The problem of a file above ``MAX_FILE_BYTES`` (also of a blob that is left unread)."""
    return Source(path, "").problem(
        "datei-zu-gross",
        f"Die Datei ist größer als erlaubt (höchstens {MAX_FILE_BYTES:,} Bytes).".replace(",", "."),
        hint="Ein Datensatz ist eine kleine Datei; große Tabellen gehören nicht nach data/.",
    )


def decode(raw: bytes, path: str) -> Source | Problem:
    """Check size and encoding and return the text, or the problem that prevents reading it."""
    blank = Source(path, "")
    if len(raw) > MAX_FILE_BYTES:
        return too_large(path)
    if raw.startswith(_UTF16_32_BOMS):
        return blank.problem(
            "ungueltige-kodierung",
            "Die Datei ist in UTF-16 oder UTF-32 kodiert, nicht in UTF-8.",
            hint="Im Editor als „UTF-8“ speichern.",
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        looks_utf16 = raw.count(b"\x00") * 3 > len(raw)
        return _at_byte(
            raw,
            nul,
            path,
            "nul-byte",
            "Die Datei enthält ein NUL-Byte (Binärdaten?).",
            "Die Datei ist vermutlich UTF-16 kodiert; im Editor als „UTF-8“ speichern."
            if looks_utf16
            else "Datensätze sind Textdateien in UTF-8.",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _at_byte(
            raw,
            exc.start,
            path,
            "ungueltige-kodierung",
            f"Ungültige UTF-8-Bytefolge (Byte {raw[exc.start]:#04x}).",
            "Im Editor als „UTF-8“ speichern (nicht Latin-1/Windows-1252).",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    stray_bom = text.find("\ufeff")
    if stray_bom >= 0:
        source = Source(path, text)
        line, column = _line_col(text, stray_bom)
        return source.problem(
            "ungueltiges-zeichen",
            "Byte-Order-Mark (U+FEFF) mitten in der Datei.",
            Span(line, column, line, column + 1),
            hint="Das unsichtbare Zeichen entfernen (oft durch Zusammenkopieren von Dateien).",
        )
    return Source(path, text)


def parse(source: Source, *, positions: bool = True) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document and return it with positions and the problems found.

    The document is ``None`` when the file could not be read to its end; after problems that do
    not stop reading (a duplicate key, an anchor, a tag), it is returned as far as it is sound, so
    that the model's checks can report further problems of the same file.

    ``positions=False`` allows the fast path: a file without anything suspicious is composed by
    libyaml in C and returned without positions (callers parse again with positions when they
    need to locate a problem). Anything unusual falls back to the careful event walk.
    """
    if not positions:
        data = _fast_data(source.text)
        if data is not _NOT_FAST:
            return Document(data, {}, {}), []
    builder = _Builder(source)
    parser = CParser(source.text)
    try:
        while builder.feed(parser.get_event()):
            pass
    except _Stop:
        return None, builder.problems
    except yaml.MarkedYAMLError as exc:
        if _is_libyaml_depth_limit(exc):
            return None, _depth_problems(source, exc)
        return None, builder.problems + (_tab_problems(source) or [syntax_problem(source, exc)])
    except yaml.reader.ReaderError as exc:
        return None, [*builder.problems, _reader_problem(source, exc)]
    except yaml.YAMLError:
        return None, [*builder.problems, source.problem("yaml-syntax", "YAML-Fehler beim Lesen.")]
    finally:
        parser.dispose()
    if builder.documents == 0 or builder.root is None:
        return None, [
            source.problem(
                "leere-datei",
                "Die Datei enthält keinen Datensatz (leer oder nur Kommentare).",
                hint="Felder eintragen (siehe README) oder die Datei löschen.",
            )
        ]
    return Document(builder.root, builder.values, builder.keys), builder.problems


_NOT_FAST = object()
_SUSPICIOUS = ("&", "*", "!", "<<", "\t", "%", "\ufeff")


_TAGS = {
    yaml.ScalarNode: BaseResolver.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: BaseResolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: BaseResolver.DEFAULT_MAPPING_TAG,
}
_BLOCK_PREFIX = re.compile(r"^[ ?:-]*", re.MULTILINE)


class _ComposingLoader(CParser):
    """libyaml's C composer with no implicit types: every scalar stays text (the resolver is
    reduced to a table lookup; PyYAML's would run regular expressions on every scalar)."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        return _TAGS[kind]

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def _depth_bound(text: str) -> int:
    """An upper bound of the nesting depth: block collections nest by indentation or by the
    indicators ``-``, ``?`` and ``:`` at the start of a line, flow collections by brackets.
    libyaml's composer recurses in C, so it only gets text whose bound is safely small."""
    deepest_line = max(map(len, _BLOCK_PREFIX.findall(text)), default=0)
    return deepest_line + text.count("[") + text.count("{") + 1


def _fast_data(text: str) -> Any:
    """The document's data composed in C, or ``_NOT_FAST`` when the careful path must decide."""
    if any(mark in text for mark in _SUSPICIOUS) or "\n---" in text or text.startswith("---"):
        return _NOT_FAST
    if "\n..." in text or _depth_bound(text) > MAX_DEPTH:
        return _NOT_FAST
    loader = _ComposingLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return _NOT_FAST
    finally:
        loader.dispose()
    if type(node) is not yaml.MappingNode:
        return _NOT_FAST  # empty files, lists and lone values: the careful path explains them
    try:
        return _from_node(node, 0)
    except _Stop:
        return _NOT_FAST


def _from_node(node: yaml.Node, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise _Stop
    kind = type(node)
    if kind is yaml.ScalarNode:
        plain = not getattr(node, "style", None)
        return None if plain and node.value in NULL_WORDS else node.value
    if kind is yaml.SequenceNode:
        return [_from_node(item, depth + 1) for item in node.value]
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        if (
            type(key_node) is not yaml.ScalarNode
            or key in mapping
            or (not getattr(key_node, "style", None) and key in NULL_WORDS)
        ):
            raise _Stop  # the careful path reports it with its place
        mapping[key] = _from_node(value_node, depth + 1)
    return mapping


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _at_byte(raw: bytes, offset: int, path: str, code: str, message: str, hint: str) -> Problem:
    """A problem at a byte offset; the excerpt is the line decoded leniently."""
    line = raw.count(b"\n", 0, offset) + 1
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    line_end = raw.find(b"\n", offset)
    excerpt = raw[line_start : line_end if line_end >= 0 else len(raw)]
    text = excerpt.decode("utf-8", "replace").replace("\x00", "\N{SYMBOL FOR NULL}")
    shown, shown_column = excerpt_window(text, column)
    return Problem(
        code,
        message,
        path,
        line,
        column,
        column + 1,
        hint=hint,
        excerpt=shown,
        excerpt_column=shown_column,
    )


def _tab_problems(source: Source) -> list[Problem]:
    """YAML forbids tabs in indentation; libyaml's message for it is cryptic, so after a syntax
    error we look for them and report each instead."""
    problems = []
    for number, line in enumerate(source.text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        tab = line.find("\t", 0, indent)
        if tab >= 0:
            problems.append(
                source.problem(
                    "tabulator",
                    "Einrückung mit Tabulator; YAML erlaubt nur Leerzeichen.",
                    Span(number, tab + 1, number, tab + 2),
                    hint="Den Editor auf „Leerzeichen statt Tabulator“ stellen.",
                )
            )
    return problems


def _is_libyaml_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    """libyaml from 0.2.5 (PyYAML 6.0.4 ships it) stops at 1,000 levels itself (its source
    today words it "Maximum nesting level reached"); its scanner
    reads a run of flow brackets ahead, so this can come before our own limit is reached."""
    problem = exc.problem or ""
    return problem.startswith(("exceeded maximum nesting depth", "Maximum nesting level reached"))


def _depth_problems(source: Source, exc: yaml.MarkedYAMLError) -> list[Problem]:
    """Our own depth problem, placed where our limit is crossed: the text before libyaml's
    mark holds at most libyaml's limit of levels, so walking it reaches ``MAX_DEPTH`` first."""
    mark = exc.problem_mark
    end = mark.index if mark is not None and mark.index else len(source.text)
    builder = _Builder(source)
    parser = CParser(source.text[:end])
    try:
        while builder.feed(parser.get_event()):
            pass
    except (_Stop, yaml.YAMLError):
        pass
    finally:
        parser.dispose()
    deep = [problem for problem in builder.problems if problem.code == "zu-tief-verschachtelt"]
    return deep or [source.problem("zu-tief-verschachtelt", _TOO_DEEP, None, hint=_TOO_DEEP_HINT)]


def _reader_problem(source: Source, exc: yaml.reader.ReaderError) -> Problem:
    """libyaml refuses characters YAML does not allow (control characters, U+FFFE …)."""
    line, column = _line_col(source.text, min(exc.position, len(source.text)))
    character = (
        exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    )
    return source.problem(
        "ungueltiges-zeichen",
        f"Das Zeichen U+{character:04X} ist in YAML nicht erlaubt (Steuerzeichen).",
        Span(line, column, line, column + 1),
        hint="Das unsichtbare Zeichen löschen; oft kommt es aus kopiertem Text.",
    )


def _span(event: ev.Event) -> Span:
    start, end = event.start_mark, event.end_mark
    assert start is not None and end is not None  # libyaml always sets both marks
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    path: YamlPath | None  # None: a value under a duplicate key, built but kept nowhere
    key: str | None = None
    expecting_key: bool = True


@dataclass(slots=True)
class _Builder:
    """Turns libyaml events into data, recording spans and refusing what records must not use."""

    source: Source
    root: Any = None
    documents: int = 0
    stack: list[_Frame] = field(default_factory=list)
    values: dict[YamlPath, Span] = field(default_factory=dict)
    keys: dict[YamlPath, Span] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def feed(self, event: ev.Event | None) -> bool:
        """Consume one event; ``False`` once the stream has ended."""
        kind = type(event)
        if event is None:
            return False
        if kind is ev.ScalarEvent:
            self._scalar(event)  # type: ignore[arg-type]
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            self._start(event, {} if kind is ev.MappingStartEvent else [])  # type: ignore[arg-type]
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            self.stack.pop()
        elif kind is ev.AliasEvent:
            self._fail(
                "anker-alias",
                f"Alias „*{event.anchor}“: YAML-Anker und -Aliase sind nicht erlaubt.",  # type: ignore[attr-defined]
                _span(event),
                "Den Wert ausschreiben; jeder Datensatz steht für sich.",
                fatal=self._expecting_key(),
            )
            self._attach(None, _span(event))
        elif kind is ev.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self._fail(
                    "mehrere-dokumente",
                    "Die Datei enthält mehrere YAML-Dokumente (Trenner „---“).",
                    _span(event),
                    "Ein Datensatz je Datei: das zweite Dokument in eine eigene Datei verschieben.",
                    fatal=True,
                )
        elif kind is ev.StreamEndEvent:
            return False
        return True

    def _fail(
        self,
        code: str,
        message: str,
        span: Span,
        hint: str,
        *,
        fatal: bool,
        path: YamlPath | None = None,
    ) -> None:
        field = format_path(path) if path else None
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(
                self.source.problem(
                    "weitere-fehler",
                    f"Mehr als {MAX_PROBLEMS} Fehler in dieser Datei; die übrigen werden nicht "
                    "einzeln gemeldet.",
                    span,
                    hint="Die gemeldeten Fehler beheben und erneut prüfen.",
                )
            )
            raise _Stop
        self.problems.append(self.source.problem(code, message, span, hint=hint, field=field))
        if fatal:
            raise _Stop

    def _expecting_key(self) -> bool:
        if not self.stack:
            return False
        top = self.stack[-1]
        return isinstance(top.container, dict) and top.expecting_key

    def _check_node(self, event: ev.NodeEvent) -> None:
        span = _span(event)
        if event.anchor is not None:
            self._fail(
                "anker-alias",
                f"Anker „&{event.anchor}“: YAML-Anker und -Aliase sind nicht erlaubt.",
                span,
                "Den Anker entfernen und Werte ausschreiben.",
                fatal=False,
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            self._fail(
                "tag-nicht-erlaubt",
                f"YAML-Tag „{tag}“ ist nicht erlaubt.",
                span,
                "Tags entfernen; die Bedeutung eines Werts ergibt sich aus dem Feld.",
                fatal=False,
            )

    def _start(self, event: ev.CollectionStartEvent, container: dict[str, Any] | list[Any]) -> None:
        self._check_node(event)
        span = _span(event)
        if self._expecting_key():
            self._fail(
                "ungueltiger-schluessel",
                "Ein Schlüssel muss einfacher Text sein, keine Liste oder Zuordnung.",
                span,
                "Schlüssel wie `name:` schreiben.",
                fatal=True,
            )
        if len(self.stack) >= MAX_DEPTH:
            self._fail(
                "zu-tief-verschachtelt",
                _TOO_DEEP,
                span,
                _TOO_DEEP_HINT,
                fatal=True,
            )
        path = self._attach(container, span)
        self.stack.append(_Frame(container, path))

    def _scalar(self, event: ev.ScalarEvent) -> None:
        self._check_node(event)
        span = _span(event)
        plain = event.style in (None, "")
        value = None if plain and event.value in NULL_WORDS else event.value
        if self._expecting_key():
            self._key(value, plain, span)
        else:
            self._attach(value, span)

    def _key(self, key: str | None, plain: bool, span: Span) -> None:
        frame = self.stack[-1]
        frame.expecting_key = False
        frame.key = None
        assert isinstance(frame.container, dict)
        if key is None:
            self._fail(
                "ungueltiger-schluessel",
                "Leerer Schlüssel.",
                span,
                "Jeder Eintrag braucht einen Namen vor dem Doppelpunkt.",
                fatal=True,
            )
            return
        if plain and key == "<<":
            self._fail(
                "merge-schluessel",
                "Merge-Schlüssel „<<“ ist nicht erlaubt.",
                span,
                "Die Felder ausschreiben statt sie aus einem anderen Knoten zu übernehmen.",
                fatal=False,
            )
            return
        if key in frame.container:
            first = self.keys.get((*frame.path, key)) if frame.path is not None else None
            where = f" (zuerst in Zeile {first.line})" if first else ""
            self._fail(
                "doppelter-schluessel",
                f"Schlüssel „{key}“ steht doppelt{where}.",
                span,
                "Einen der Einträge löschen; andere YAML-Werkzeuge nähmen still den letzten.",
                fatal=False,
                path=(*frame.path, key) if frame.path is not None else None,
            )
            return
        frame.key = key
        if frame.path is not None:
            self.keys[(*frame.path, key)] = span

    def _attach(self, value: Any, span: Span) -> YamlPath | None:
        """Put ``value`` into the current container and return its path (``None`` if discarded)."""
        if not self.stack:
            self.root = value
            self.values[()] = span
            return ()
        frame = self.stack[-1]
        container = frame.container
        path: YamlPath | None
        if isinstance(container, list):
            path = None if frame.path is None else (*frame.path, len(container))
            container.append(value)
        else:
            key = frame.key
            frame.expecting_key = True
            if key is None or frame.path is None:
                return None
            path = (*frame.path, key)
            container[key] = value
        if path is not None:
            self.values[path] = span
        return path
