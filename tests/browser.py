"""Open a local HTML file in a real headless Chromium (Debian's ``chromium``) through Playwright.

``launch()`` starts the browser once for a module of tests; ``Chromium.open`` loads one page from
``file://``, records console errors, uncaught page errors, failed requests and every request that
leaves the file, reads the facts the tests need from the DOM (language, scripts, tables with their
caption, header cells and rows) and saves a full-page screenshot (and, if asked, the printed PDF).

Playwright drives the system's browser (``executable_path``); its own browser download
(``playwright install``) is never used. Without a browser the tests are skipped with a reason, but
with ``QA_BROWSER_TESTS=1`` (set by ``.ci/run``) a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog
    from playwright.sync_api import Page as LivePage

CHROMIUM = Path("/usr/bin/chromium")
REQUIRED = "QA_BROWSER_TESTS"
NO_BROWSER = f"Kein Chromium gefunden ({CHROMIUM})"
SKIPPED = "; Browser-Tests übersprungen. CI installiert es."
ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

DOM_FACTS = """() => ({
  lang: document.documentElement.lang,
  title: document.title,
  h1: [...document.querySelectorAll("h1")].map((e) => e.textContent.trim()),
  scripts: document.querySelectorAll("script").length,
  horizontalOverflow: document.documentElement.scrollWidth > window.innerWidth,
  sideways: [...document.querySelectorAll(".table-wrap")]
    .filter((e) => e.scrollWidth > e.clientWidth + 1)
    .map((e) => e.getAttribute("aria-labelledby")),
  tables: [...document.querySelectorAll("table")].map((table) => ({
    caption: table.caption ? table.caption.textContent.trim() : null,
    headers: [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim()),
    scopes: [...table.querySelectorAll("thead th")].map((th) => th.getAttribute("scope")),
    rows: [...table.querySelectorAll("tbody tr")].map(
      (tr) => [...tr.cells].map((td) => td.textContent.trim())
    ),
  })),
})"""


@dataclass
class Table:
    caption: str | None
    headers: list[str]
    scopes: list[str | None]
    rows: list[list[str]]


@dataclass
class Page:
    """What a test may assert about one loaded page."""

    url: str
    lang: str
    title: str
    h1: list[str]
    scripts: int
    horizontal_overflow: bool
    sideways: list[str | None]  # the tables (by their heading's id) that scroll sideways
    tables: list[Table]
    screenshot: Path
    pdf: Path | None = None
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)  # anything but the page itself

    @property
    def problems(self) -> list[str]:
        return [
            *(f"Konsole: {text}" for text in self.console_errors),
            *(f"Seitenfehler: {text}" for text in self.page_errors),
            *(f"Anfrage fehlgeschlagen: {text}" for text in self.failed_requests),
            *(f"Anfrage nach außen: {text}" for text in self.outside_requests),
        ]


def find_chromium() -> Path | None:
    return CHROMIUM if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK) else None


def unavailable(problem: str) -> NoReturn:
    """Skip; or fail when the browser tests are mandatory (CI)."""
    if os.environ.get(REQUIRED) == "1":
        pytest.fail(f"{problem}, aber {REQUIRED}=1 verlangt die Browser-Tests.", pytrace=False)
    pytest.skip(problem + SKIPPED)


class Chromium:
    def __init__(self, browser: Browser) -> None:
        self._browser = browser

    def open(self, html: Path, screenshot: Path, *, pdf: Path | None = None) -> Page:
        """Load ``html`` from disk, wait until it settles, collect facts, take a screenshot."""
        context = self._browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
        page = context.new_page()
        url = html.resolve().as_uri()
        console: list[str] = []
        errors: list[str] = []
        failed: list[str] = []
        outside: list[str] = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
        page.on("request", lambda r: outside.append(r.url) if r.url != url else None)
        try:
            page.goto(url, wait_until="load")
            page.wait_for_load_state("networkidle")
            facts: dict[str, Any] = page.evaluate(DOM_FACTS)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
            if pdf is not None:
                page.emulate_media(media="print")
                page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        finally:
            context.close()
        return Page(
            url=url,
            lang=facts["lang"],
            title=facts["title"],
            h1=facts["h1"],
            scripts=facts["scripts"],
            horizontal_overflow=facts["horizontalOverflow"],
            sideways=facts["sideways"],
            tables=[Table(**table) for table in facts["tables"]],
            screenshot=screenshot,
            pdf=pdf,
            console_errors=console,
            page_errors=errors,
            failed_requests=failed,
            outside_requests=outside,
        )

    @contextmanager
    def live(self, html: Path, problems: list[str]) -> Iterator[LivePage]:
        """``html`` loaded in a context without network, to fill and click in; every console
        error, page error, dialog (a script that should not run) and request for anything but
        the page itself is appended to ``problems``."""
        context = self._browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="de-DE", offline=True
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        url = html.resolve().as_uri()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"Seitenfehler: {e}"))
        page.on("dialog", lambda d: _refuse(d, problems))
        page.on(
            "request",
            lambda r: (
                problems.append(f"Anfrage: {r.url}")
                if r.url != url and not r.url.startswith("blob:")
                else None
            ),
        )
        try:
            page.goto(url, wait_until="load")
            yield page
        finally:
            context.close()


def _refuse(dialog: Dialog, problems: list[str]) -> None:
    """A dialog (``alert``) the page was not meant to open: noted, then closed."""
    problems.append(f"Dialog: {dialog.message}")
    dialog.dismiss()


@contextmanager
def launch() -> Iterator[Chromium]:
    """The system's Chromium, headless; skips (or fails under ``QA_BROWSER_TESTS=1``) without."""
    if find_chromium() is None:
        unavailable(NO_BROWSER)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Das Python-Paket playwright fehlt (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        try:
            yield Chromium(browser)
        finally:
            browser.close()
