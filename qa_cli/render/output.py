"""Write a report to a file or stdout in the format asked for, or the one its name implies."""

from __future__ import annotations

import io
import sys
from enum import StrEnum
from pathlib import Path

from qa_cli.atomic import WriteError, is_stdout, write_bytes, write_text
from qa_cli.german import os_error
from qa_cli.render.report import Report
from qa_cli.render.tabular import write_csv, write_excel_csv, write_json, write_markdown
from qa_cli.render.xlsx import write_xlsx


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    pdf = "pdf"


SUFFIXES = {
    ".md": ReportFormat.md,
    ".markdown": ReportFormat.md,
    ".html": ReportFormat.html,
    ".htm": ReportFormat.html,
    ".csv": ReportFormat.csv,
    ".json": ReportFormat.json,
    ".xlsx": ReportFormat.xlsx,
    ".pdf": ReportFormat.pdf,
}


class OutputError(Exception):
    """The format and file name do not fit; the message is German."""


def infer_format(
    output: Path | None, asked: ReportFormat | None, default: ReportFormat
) -> ReportFormat:
    """``--format`` wins; else the file's ending; else ``default`` (also for ``-o -``)."""
    if asked is not None:
        return asked
    if is_stdout(output):
        return default
    assert output is not None
    found = SUFFIXES.get(output.suffix.lower())
    if found is None:
        endings = ", ".join(sorted(SUFFIXES))
        raise OutputError(
            f"Aus der Endung von „{output.name}“ folgt kein Format (bekannt: {endings}); "
            "--format angeben."
        )
    return found


def write_report(
    report: Report, fmt: ReportFormat, output: Path | None, *, excel: bool = False
) -> None:
    """The report into ``output`` (``None`` or ``-``: standard output), whole or not at all;
    ``OutputError`` for a wrong call, ``WriteError`` when writing fails."""
    if fmt in (ReportFormat.xlsx, ReportFormat.pdf) and (
        output is None or (is_stdout(output) and sys.stdout.isatty())
    ):
        raise OutputError(
            f"{fmt.value.upper()} ist binär: bitte mit -o DATEI.{fmt.value} in eine Datei "
            "schreiben (oder mit -o - in eine Pipe)."
        )
    if fmt is ReportFormat.pdf:
        write_bytes(output, _pdf(report))
    elif fmt is ReportFormat.xlsx:
        buffer = io.BytesIO()
        try:
            write_xlsx(report, buffer)  # openpyxl stages each sheet in a temporary file
        except OSError as error:
            raise WriteError(f"„{output}“ lässt sich nicht schreiben: {os_error(error)}.") from None
        write_bytes(output, buffer.getvalue())
    else:
        write_text(output, _text(report, fmt, excel), encoding="utf-8-sig" if excel else "utf-8")


def _pdf(report: Report) -> bytes:
    """The HTML page printed by Chromium; a missing or failing browser is a ``WriteError``
    (exit 1: the call was right, this machine cannot carry it out)."""
    from qa_cli.render.html import write_html
    from qa_cli.render.pdf import PdfError, html_to_pdf

    page = io.StringIO()
    write_html(report, page)
    try:
        return html_to_pdf(page.getvalue(), report.stand.made_at if report.stand else None)
    except PdfError as error:
        raise WriteError(str(error)) from None


def _text(report: Report, fmt: ReportFormat, excel: bool) -> str:
    buffer = io.StringIO()
    if fmt is ReportFormat.html:
        from qa_cli.render.html import write_html

        write_html(report, buffer)
    elif fmt is ReportFormat.csv:
        (write_excel_csv if excel else write_csv)(report, buffer)
    elif fmt is ReportFormat.json:
        write_json(report, buffer)
    else:
        write_markdown(report, buffer)
    return buffer.getvalue()
