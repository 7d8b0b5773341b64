"""The pictures on a card, as numbers and colours any renderer can draw: a band's colour from a
colour-blind-safe ordinal palette, the bar of a band scale in text, and a history strip's runs.

The palette is ColorBrewer's RdYlBu (rated colour-blind safe), reversed so the best band is
blue and the worst red, with the ColorBrewer class count matching the set's band count. Colour
never carries the band alone: every renderer writes the label and its place beside it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from rightsband.scorecard.card import HistoryCell, Segment

__all__ = ["GAP_COLOUR", "band_colour", "history_runs", "scale_bar", "text_colour"]

#: ColorBrewer RdYlBu, n classes (3-11), best (blue) first.
_RDYLBU = {
    3: ("#91bfdb", "#ffffbf", "#fc8d59"),
    4: ("#2c7bb6", "#abd9e9", "#fdae61", "#d7191c"),
    5: ("#2c7bb6", "#abd9e9", "#ffffbf", "#fdae61", "#d7191c"),
    6: ("#4575b4", "#91bfdb", "#e0f3f8", "#fee090", "#fc8d59", "#d73027"),
    7: ("#4575b4", "#91bfdb", "#e0f3f8", "#ffffbf", "#fee090", "#fc8d59", "#d73027"),
    8: ("#4575b4", "#74add1", "#abd9e9", "#e0f3f8", "#fee090", "#fdae61", "#f46d43", "#d73027"),
    9: ("#4575b4", "#74add1", "#abd9e9", "#e0f3f8", "#ffffbf", "#fee090", "#fdae61", "#f46d43", "#d73027"),
    10: ("#313695", "#4575b4", "#74add1", "#abd9e9", "#e0f3f8", "#fee090", "#fdae61", "#f46d43", "#d73027",
         "#a50026"),
    11: ("#313695", "#4575b4", "#74add1", "#abd9e9", "#e0f3f8", "#ffffbf", "#fee090", "#fdae61", "#f46d43",
         "#d73027", "#a50026"),
}
#: The colour of a gap (no record, no score) and of a value that cannot be banded.
GAP_COLOUR = "#ffffff"


def band_colour(position: int, count: int) -> str:
    """The colour of band ``position`` (1 = best) of ``count`` bands."""
    if count <= 2:
        return _RDYLBU[3][0 if position == 1 else 2]
    if count in _RDYLBU:
        return _RDYLBU[count][position - 1]
    palette = _RDYLBU[11]  # more bands than ColorBrewer has classes: spread them over its 11
    return palette[round((position - 1) * 10 / (count - 1))]


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#rrggbb``)."""
    red, green, blue = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#ffffff"


def scale_bar(segments: Sequence[Segment], marker: float | None, width: int = 40) -> list[tuple[str, int]]:
    """A band scale as ``width`` characters: per character, its text and the band it shows.

    Each band gets characters in proportion to its width, at least one (so a band of a single
    value shows); each character is its band's number, so the bar reads without colour; the
    character at the score is ``▲``, inside the band that holds the score.
    """
    ordered = sorted(segments, key=lambda s: s.start)
    if not ordered:
        return []
    # Each band's share of the bar runs to the middle of the gap before the next band.
    bounds = [0.0, *((a.start + a.width + b.start) / 2 for a, b in itertools.pairwise(ordered)), 1.0]
    counts = [max(1, round(bounds[n + 1] * width) - round(bounds[n] * width)) for n in range(len(ordered))]
    while sum(counts) > width and max(counts) > 1:
        counts[counts.index(max(counts))] -= 1
    while sum(counts) < width:
        counts[counts.index(max(counts))] += 1
    cells = [(str(s.position % 10), s.position) for s, count in zip(ordered, counts) for _ in range(count)]
    if marker is not None:
        holding = [n for n, s in enumerate(ordered) if s.start <= marker <= s.start + s.width]
        n = next((n for n in holding if ordered[n].current), holding[0] if holding else
                 min(range(len(ordered)), key=lambda n: abs(ordered[n].start - marker)))
        first = sum(counts[:n])
        at = min(first + counts[n] - 1, max(first, int(marker * width)))
        cells[at] = ("▲", cells[at][1])
    return cells


def history_runs(cells: Sequence[HistoryCell]) -> list[tuple[int, int, HistoryCell]]:
    """Consecutive years with the same band and edition, as (first year, last year, cell); a gap is a run too."""
    runs: list[tuple[int, int, HistoryCell]] = []
    for cell in cells:
        if runs:
            first, last, seen = runs[-1]
            same = (seen.label, seen.edition, seen.problem) == (cell.label, cell.edition, cell.problem)
            if same and cell.year == last + 1 and not cell.new_edition:
                runs[-1] = (first, cell.year, seen)
                continue
        runs.append((cell.year, cell.year, cell))
    return runs
