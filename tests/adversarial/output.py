"""Output-level cases: values a pull request can bring that must show as what they are.

``MARKDOWN_CASES`` are valid values (validation accepts them) that GitHub-flavoured Markdown
would read as syntax: each must render as exactly its characters in the PR summary (``qa diff
--format md``) and the Markdown report, and must not hide the rows after it.
``TERMINAL_CASES`` are control sequences written as YAML escapes: validation refuses them
(``steuerzeichen``), and no output of any command carries them to the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OutputCase:
    name: str
    value: str  # as the record holds it (after YAML decoding)
    yaml: str  # as it is written in the file (a double-quoted scalar)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _case(name: str, value: str) -> OutputCase:
    return OutputCase(name, value, _quoted(value))


MARKDOWN_CASES: tuple[OutputCase, ...] = (
    _case("html-kommentar-versteckt-folgezeilen", "Büro <!-- alles danach unsichtbar"),
    _case("senkrechter-strich-teilt-zelle", "Büro | zweite Zelle | dritte"),
    _case("html-bild-mit-skript", '<img src=x onerror="alert(1)">'),
    _case("skript-tag", "<script>alert(1)</script>"),
    _case("markdown-bild", "![Logo](https://example.invalid/x.png)"),
    _case("markdown-link", "[hier klicken](javascript:alert(1))"),
    _case("erwaehnung", "Rückfragen an @octocat und @github/security"),
    _case("backticks", "`Code` und ``doppelt``"),
    _case("hervorhebung", "**fett** _kursiv_ ~~durch~~"),
    _case("entitaet", "&lt;b&gt; &amp; &#x3C;"),
    _case("backslash-am-ende", "Pfad C:\\Daten\\"),
    _case("autolink-spitz", "<https://example.invalid>"),
    _case("mathe", "$x^2$ und $$y$$"),
    _case("autolink-www", "siehe www.example.invalid/pfad"),
    _case("autolink-url", "https://example.invalid/x?a=1"),
    _case("autolink-mail", "post@example.invalid"),
)

TERMINAL_CASES: tuple[OutputCase, ...] = (
    OutputCase("fenstertitel", "Test\x1b]0;Titel\x07büro", '"Test\\e]0;Titel\\abüro"'),
    OutputCase("bildschirm-loeschen", "Test\x1b[2J\x1b[Hbüro", '"Test\\e[2J\\e[Hbüro"'),
    OutputCase("wagenruecklauf-ueberschreibt", "Testbüro\rGefälscht", '"Testbüro\\rGefälscht"'),
    OutputCase("c1-csi", "Test\x9b2Jbüro", '"Test\\x9b2Jbüro"'),
    OutputCase("bidi-umkehr", "Test\u202eorüb", '"Test\\u202eorüb"'),
)
