"""Finding the bands near a number by bisection: a band set's look-up costs log(bands), not bands.

Rules files may hold tens of thousands of bands; an engine classifies one number per
interval between cut points, so a scan of every band per number would be quadratic.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise

from rightsband.model.parts import Band

#: A band with its position in its set (1 = best).
Placed = tuple[int, Band]


class BandIndex:
    """The bands of each band table, sorted by lower bound where they do not overlap (then a number
    is held or bounded by at most the two bands whose lower bounds come last at or below it)."""

    __slots__ = ("_tables", "has_cells")

    def __init__(self, bands: Sequence[Band]):
        tables: dict[str, list[Placed]] = {}
        for placed in enumerate(bands, start=1):
            tables.setdefault(placed[1].table, []).append(placed)
        self._tables = {table: _sorted(members) for table, members in tables.items()}
        self.has_cells = any(band.cells for band in bands)

    def near(self, value: Decimal, table: str = "") -> list[Placed]:
        """The bands of ``table`` that may hold ``value`` or have it as a bound, best first: every band
        of the table if its bands overlap, else at most two."""
        lowers, members = self._tables.get(table, (None, []))
        if lowers is None:
            return members
        at = bisect_right(lowers, value)
        return sorted(members[max(at - 2, 0):at])


def _sorted(members: list[Placed]) -> tuple[list[Decimal] | None, list[Placed]]:
    """The lower bounds and the bands sorted by them, if no two bands share more than a bound and
    none is a single point; else no lower bounds and the bands in their own order."""
    ordered = sorted(members, key=lambda placed: (placed[1].lower, placed[1].upper))
    bands = [band for _, band in ordered]
    apart = all(band.lower < band.upper for band in bands) and all(
        before.upper <= after.lower for before, after in pairwise(bands))
    return ([band.lower for band in bands], ordered) if apart else (None, members)
