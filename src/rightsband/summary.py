"""Per-year band counts of a labelling run: what ``label --summary`` adds where each record's year is known.

A record's year is its year cell as the year column writes it: a cell that names one year
counts under that year (``2015``, ``2015.0``, `` 2015 ``), anything else under itself as
written (a span, ``2011-12``), an empty or missing cell under :data:`NO_YEAR`. Years are few; a column with
more than :data:`MAX_YEARS` distinct cells is not a year column to break counts down by, and
the breakdown is dropped (:attr:`YearCounts.dropped`), never cut short silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from rightsband.csvscan import NO_CELL
from rightsband.values import is_missing, years_named

__all__ = ["MAX_YEARS", "NO_YEAR", "YearCounts", "YearRow", "year_key"]

#: The most distinct year cells broken down by.
MAX_YEARS = 300
_ONE_YEAR = re.compile(r"[0-9]{4}(?:\.0*)?")
#: The year of a record whose year cell is empty or missing.
NO_YEAR = "(missing)"


def year_key(text: str) -> str:
    """The year a record counts under, from its year cell."""
    stripped = text.strip()
    if is_missing(stripped):
        return NO_YEAR
    years = years_named(stripped)
    return str(years[0]) if len(years) == 1 and _ONE_YEAR.fullmatch(stripped) else stripped


def _order(key: str) -> tuple[int, int, str]:
    """Years in time order (a span at its first year), other cells after them, the missing ones last."""
    if key == NO_YEAR:
        return 2, 0, key
    years = years_named(key)
    return (0, years[0], key) if years else (1, 0, key)


class YearRow:
    """One year of a run: its records, and per mapping the records per outcome (bands, missing, bad)."""

    __slots__ = ("year", "records", "counts")

    def __init__(self, year: str, widths: Sequence[int]):
        self.year, self.records = year, 0
        self.counts = [[0] * width for width in widths]

    @property
    def number(self) -> int | str:
        """The year as a program reads it: an int for one year, else the text shown (a span, :data:`NO_YEAR`)."""
        return int(self.year) if self.year.isdigit() else self.year


class YearCounts:
    """Per year: records, and per mapping (of ``widths`` outcomes each) the records per outcome."""

    def __init__(self, widths: Sequence[int]):
        self.widths = list(widths)
        self.dropped = False  # more than MAX_YEARS distinct year cells: no breakdown
        self._rows: dict[str, YearRow] = {}
        self._keys: dict[str, str] = {}  # year cell -> year key, each cell read once

    def add(self, codes: np.ndarray, texts: Sequence[str], outcomes: Sequence[np.ndarray]) -> None:
        """Count records: each one's year cell (a code into ``texts``, ``NO_CELL`` for none) and its
        outcome per mapping."""
        if self.dropped:
            return
        keys = [self._keys.setdefault(text, year_key(text)) for text in texts]
        distinct = list(dict.fromkeys([*keys, NO_YEAR]))
        if len(self._rows.keys() | set(distinct)) > MAX_YEARS:
            self.dropped, self._rows = True, {}
            return
        place = {key: n for n, key in enumerate(distinct)}
        slots = np.array([*map(place.__getitem__, keys), place[NO_YEAR]], dtype=np.intp)
        per_record = slots[np.where(codes == NO_CELL, len(keys), codes)]
        records = np.bincount(per_record, minlength=len(distinct)).tolist()
        tables = [np.bincount(per_record * width + outcome, minlength=len(distinct) * width).reshape(-1, width)
                  for width, outcome in zip(self.widths, outcomes)]
        for n, key in enumerate(distinct):
            if not records[n]:
                continue
            row = self._rows.setdefault(key, YearRow(key, self.widths))
            row.records += records[n]
            for counts, table in zip(row.counts, tables):
                counts[:] = [a + b for a, b in zip(counts, table[n].tolist())]

    def rows(self) -> list[YearRow]:
        """The years counted, in time order (see :func:`_order`)."""
        return [self._rows[key] for key in sorted(self._rows, key=_order)]
