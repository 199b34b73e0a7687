"""How wide a table will print, and how to cut one that is wider than an A4 page.

Chromium never breaks a table sideways onto another page: what is wider than the paper is cut off
(a quarterly report of eight quarters lost 2021-Q1…Q4 so). So before printing, each table's least
width is estimated from its text, as the browser lays it out: a column is at least as wide as its
longest word (a number, which never wraps, as a whole), in DejaVu Sans at the size the print CSS
gives the table (base.css), plus the cell's padding and rule. A table that fits an upright page
stays upright; one that fits across prints on a landscape page; a wider one is cut into parts
that each fit across, the first column (what the row is about) repeated in every part, and columns
that read one nested value (``zahlen.2020-Q1.*``: one quarter) kept together.

The estimate errs wide: the widths per character are measured maxima of German text, so a table
judged to fit does fit (tests/test_pdf.py checks every cell in the printed PDF).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

MM = 72 / 25.4  # points per millimetre
SIDE_MARGINS = 24 * MM  # base.css: @page margin 12 mm left and right
UPRIGHT_WIDTH = 210 * MM - SIDE_MARGINS
ACROSS_WIDTH = 297 * MM - SIDE_MARGINS
UPRIGHT_FONT = 8.5  # pt, base.css: table in print
ACROSS_FONT = 7.5  # pt, base.css: section.wide table in print
TEXT_EM = 0.62  # widest average advance of German words in DejaVu Sans, in em (measured)
BOLD_EM = 0.70  # the same for the bold header cells
CELL_EXTRA = 7.0  # pt: 3 pt padding either side and the 1 pt rule
# a break is possible at white space and after a hyphen that follows a letter ("Nord-Ost")
BREAKS = re.compile(r"\s+|(?<=[^\W\d_]-)")


class Fit(Enum):
    UPRIGHT = "hoch"
    ACROSS = "quer"
    CUT = "geteilt"  # in parts, each across


@dataclass(frozen=True, slots=True)
class Layout:
    fit: Fit
    parts: list[list[int]]  # column indices of each part (the first column in every part)


def _longest_word(text: str, whole: bool) -> int:
    if whole:
        return len(text)
    return max((len(word) for word in BREAKS.split(text)), default=0)


def least_widths(
    labels: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool], font: float
) -> list[float]:
    """Each column's least width in points at ``font`` pt (``numeric`` columns never wrap)."""
    widths = []
    for index, label in enumerate(labels):
        body = max((_longest_word(row[index], numeric[index]) for row in rows), default=0)
        head = _longest_word(label, False)
        widths.append(max(body * TEXT_EM, head * BOLD_EM) * font + CELL_EXTRA)
    return widths


def layout(
    keys: Sequence[str],
    labels: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool],
) -> Layout:
    """Upright if the table fits an upright page, across if it fits a landscape one, else cut."""
    every = list(range(len(keys)))
    if sum(least_widths(labels, rows, numeric, UPRIGHT_FONT)) <= UPRIGHT_WIDTH:
        return Layout(Fit.UPRIGHT, [every])
    widths = least_widths(labels, rows, numeric, ACROSS_FONT)
    if sum(widths) <= ACROSS_WIDTH or len(keys) < 3:
        return Layout(Fit.ACROSS, [every])
    return Layout(Fit.CUT, _parts(keys, widths))


def _families(keys: Sequence[str]) -> list[list[int]]:
    """Runs of neighbouring columns (after the first) that read the same nested value."""
    runs: list[list[int]] = []
    for index in range(1, len(keys)):
        family = keys[index].rpartition(".")[0]
        if runs and family and keys[runs[-1][-1]].rpartition(".")[0] == family:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _pieces(keys: Sequence[str], widths: Sequence[float], room: float) -> list[list[int]]:
    """The families, and a family wider than ``room`` column by column."""
    pieces: list[list[int]] = []
    for family in _families(keys):
        if sum(widths[i] for i in family) > room:
            pieces.extend([i] for i in family)
        else:
            pieces.append(family)
    return pieces


def _fill(pieces: list[list[int]], widths: Sequence[float], room: float) -> list[list[int]]:
    """Pieces in order into parts of at most ``room`` points (a lone wider piece stays whole)."""
    parts: list[list[int]] = [[]]
    used = 0.0
    for piece in pieces:
        need = sum(widths[i] for i in piece)
        if parts[-1] and used + need > room:
            parts.append([])
            used = 0.0
        parts[-1].extend(piece)
        used += need
    return parts


def _parts(keys: Sequence[str], widths: Sequence[float]) -> list[list[int]]:
    """As few landscape parts as fit, with the columns shared out evenly among them (no last
    part with a single column): the least room that needs no more parts than a full fill."""
    room = ACROSS_WIDTH - widths[0]
    pieces = _pieces(keys, widths, room)
    count = len(_fill(pieces, widths, room))
    low = max(sum(widths[i] for i in piece) for piece in pieces)
    high = room
    for _ in range(30):  # bisection to a fraction of a point
        middle = (low + high) / 2
        if len(_fill(pieces, widths, middle)) <= count:
            high = middle
        else:
            low = middle
    return [[0, *part] for part in _fill(pieces, widths, high)]
