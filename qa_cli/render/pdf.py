"""Print an HTML page of qa to PDF with the system's Chromium (``--headless --print-to-pdf``).

Chromium, not WeasyPrint (see docs/entwicklung.md): the project already tests every HTML page in
Debian's ``chromium``, so the PDF is laid out by the engine the tests look at; it honours the CSS
that the pages use for print (``@page`` size, named landscape pages, margin boxes with
``counter(page)``/``counter(pages)`` for "Seite X von Y" and the stamp), and it adds no Python
dependency with native libraries.

The browser is boxed in: the page gets a Content-Security-Policy that forbids every load (no
scripts, no images, no fonts, no frames from anywhere, ``file:`` included), the browser gets a
fresh profile and home in a temporary folder that holds only the document, a proxy that does not
exist and a resolver that finds no host, so nothing leaves the machine and nothing but the
document is read. The folder is removed afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ENGINE_VARIABLE = "QA_CHROMIUM"  # a Chromium to use instead of the one on PATH
ENGINE_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 120
# Every fetch is refused; inline CSS and the inline SVG of the page are all it needs.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"
POLICY_META = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-pdf-header-footer",  # the page's own @page margin boxes number the pages
    "--generate-pdf-document-outline",  # bookmarks from the headings
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-breakpad",
    "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
    "--proxy-server=http://127.0.0.1:9",  # a closed port: any request fails at once
    "--proxy-bypass-list=<-loopback>",  # … loopback included
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


class PdfError(Exception):
    """No PDF could be made; the message is German and says what to do."""


def find_engine() -> Path | None:
    """The Chromium named by ``QA_CHROMIUM``, else the first on ``PATH``."""
    named = os.environ.get(ENGINE_VARIABLE)
    if named:
        return Path(named) if os.access(named, os.X_OK) and Path(named).is_file() else None
    for name in ENGINE_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def _engine() -> Path:
    engine = find_engine()
    if engine is not None:
        return engine
    named = os.environ.get(ENGINE_VARIABLE)
    where = (
        f"{ENGINE_VARIABLE}={named} ist kein ausführbares Programm"
        if named
        else ("kein Chromium im Suchpfad gefunden")
    )
    raise PdfError(
        f"PDF braucht Chromium ({where}). Chromium installieren (Debian: apt-get install "
        f"chromium) oder mit {ENGINE_VARIABLE} auf das Programm zeigen; oder --format html "
        "wählen und die Seite im Browser drucken."
    )


def with_policy(html: str) -> str:
    """``html`` with the Content-Security-Policy as the first element of its ``<head>``."""
    if POLICY_META in html:
        return html
    head = re.search(r"<head(?:\s[^>]*)?>", html, flags=re.IGNORECASE)
    if head is None:
        raise ValueError("Das HTML hat kein <head>; die Sperre für Nachladen fehlte.")
    return html[: head.end()] + POLICY_META + html[head.end() :]


def _argv(engine: Path, folder: Path, document: Path, pdf: Path) -> list[str]:
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium refuses its sandbox as root
    return [
        str(engine),
        *FLAGS,
        *sandbox,
        f"--user-data-dir={folder / 'profil'}",
        f"--print-to-pdf={pdf}",
        document.as_uri(),
    ]


def _environment(folder: Path) -> dict[str, str]:
    """Only what Chromium needs; home and caches in the temporary folder."""
    home = str(folder / "home")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "XDG_CONFIG_HOME": home,
        "XDG_CACHE_HOME": home,
        "XDG_DATA_HOME": home,
        "LANG": "C.UTF-8",
        "TZ": "UTC",
    }


# Chromium writes the moment of printing as the document's dates, e.g. (D:20261202203501+00'00')
PDF_DATE = re.compile(rb"\(D:\d{14}[+-]\d\d'\d\d'\)")


def dated(pdf: bytes, made_at: datetime) -> bytes:
    """The PDF with its creation and change dates set to ``made_at`` (the report's stamp), so
    the same data state and the same ``SOURCE_DATE_EPOCH`` give the same bytes; the new date
    has the length of the old one, so no offset of the file moves."""
    moment = made_at.astimezone(UTC).strftime("(D:%Y%m%d%H%M%S+00'00')").encode()
    return PDF_DATE.sub(moment, pdf)


def html_to_pdf(html: str, made_at: datetime | None = None) -> bytes:
    """The PDF of one self-contained HTML page (A4 and margins come from the page's CSS), dated
    ``made_at`` when given; ``PdfError`` with a German message when Chromium is missing or
    fails."""
    engine = _engine()
    with tempfile.TemporaryDirectory(prefix="qa-pdf-") as name:
        folder = Path(name)
        (folder / "home").mkdir()
        document = folder / "bericht.html"
        document.write_text(with_policy(html), encoding="utf-8")
        pdf = folder / "bericht.pdf"
        try:
            done = subprocess.run(
                _argv(engine, folder, document, pdf),
                env=_environment(folder),
                cwd=folder,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PdfError(
                f"Chromium hat das PDF nicht in {TIMEOUT_SECONDS} s erzeugt ({engine})."
            ) from None
        except OSError as error:
            raise PdfError(f"Chromium lässt sich nicht starten ({engine}): {error}.") from None
        if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            raise PdfError(
                f"Chromium hat kein PDF erzeugt ({engine}, Rückgabewert {done.returncode}): "
                + _last_line(done.stderr)
            )
        printed = pdf.read_bytes()
    return printed if made_at is None else dated(printed, made_at)


def _last_line(output: bytes) -> str:
    lines = [line for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "keine Meldung"
