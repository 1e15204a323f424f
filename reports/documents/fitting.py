"""Which cells of a report's table hold a word wider than their column, measured on the report's typeface.

A cell lets WeasyPrint break a word inside (`overflow-wrap: break-word`) only where a word cannot fit its column at
all: a long link, a long number or a long word in a narrow column. Elsewhere the property costs every line of every
cell a Pango attribute list (measured at 7 % of rendering the execution report) and changes nothing, since words that
fit are never broken. The widths are the typeface's own advance widths (Liberation Serif, metric-compatible with
Tinos and Times New Roman, which the stylesheet falls back to), summed over each run of characters between spaces:
a run is wider than any line Pango could cut it into, so the test errs only towards breaking. Without the typeface
(no fontconfig, no file) every cell may break words, as before.
"""

from __future__ import annotations

import functools
import re
import subprocess
from dataclasses import dataclass

from fontTools.ttLib import TTFont

MM = 72 / 25.4  # points in a millimetre

# The execution report's table (static/reports/pdf.css): A4 landscape, 297 mm less the 20 and 12 mm side margins;
# each column's share of it in percent; the cells' 1.2 mm side padding and 0.5 pt collapsed borders; 10 pt text.
TABLE_WIDTH_PT = (297 - 20 - 12) * MM
EXECUTION_COLUMNS = {
    "task": 12,
    "content": 16,
    "deadline": 8.5,
    "units": 11.5,
    "audience": 13,
    "indicator": 13,
    "status": 26,
}
CELL_INSET_PT = 2 * 1.2 * MM + 0.5
TABLE_FONT_PT = 10
# Kerning and Pango's rounding may make a run a little wider than its advances: runs within this share of the
# column's width count as too wide.
MARGIN = 0.97

_RUNS = re.compile(r"\S+")


@dataclass(frozen=True)
class Face:
    """A typeface's advance widths in ems, by character; `widest` for a character it has no glyph for (another
    typeface draws it: assumed as wide as this one's widest glyph)."""

    advances: dict[int, float]
    widest: float

    def width_em(self, text: str) -> float:
        advances, widest = self.advances, self.widest
        return sum(advances.get(ord(character), widest) for character in text)


def _font_file(pattern: str) -> str | None:
    try:
        found = subprocess.run(
            ["fc-match", "--format=%{file}", pattern], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return found if "LiberationSerif" in found else None


@functools.cache
def face(*, bold: bool = False) -> Face | None:
    """Liberation Serif's regular or bold advance widths, or None when fontconfig does not find the typeface."""
    path = _font_file("Liberation Serif:bold" if bold else "Liberation Serif")
    if path is None:
        return None
    font = TTFont(path, lazy=True)
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    advances = {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}
    return Face(advances=advances, widest=font["hhea"].advanceWidthMax / units)


def column_width_pt(percent: float) -> float:
    """The width of a cell's text in a column taking `percent` of the execution report's table."""
    return TABLE_WIDTH_PT * percent / 100 - CELL_INSET_PT


def has_unfitting_word(text: str, column: str, *, bold: bool = False, size_pt: float = TABLE_FONT_PT) -> bool:
    """Whether `text` holds a run of characters between spaces too wide for a cell of the execution report's
    `column`; True whenever the typeface cannot be measured."""
    measured = face(bold=bold)
    if measured is None:
        return True
    room_em = column_width_pt(EXECUTION_COLUMNS[column]) * MARGIN / size_pt
    return any(
        (_word_width_em(run, bold) if len(run) <= WORD_KEPT_MAX else measured.width_em(run)) > room_em
        for run in _RUNS.findall(text)
    )


# Words up to this long have their width kept; longer runs (a pasted link, a blob) are measured each time.
WORD_KEPT_MAX = 64


@functools.lru_cache(maxsize=1 << 16)
def _word_width_em(run: str, bold: bool) -> float:
    """A word's width, kept: a report's words recur in row after row (measured: 219,000 characters summed for a
    300-measure report, 40 % of building its page)."""
    return face(bold=bold).width_em(run)
