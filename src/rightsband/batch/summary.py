"""The counts of a labelling run (what ``label --summary`` prints): records per band of each mapping,
and the same per year where each record's year is known.

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

from rightsband.csvscan import NO_CELL, Block
from rightsband.mapping import Mapping
from rightsband.values import is_missing, years_named

__all__ = ["MAX_YEARS", "NO_YEAR", "Kept", "Report", "Tally", "YearCounts", "YearRow", "year_key"]

#: A kept column of a block: a code per record (``NO_CELL`` for none) and the distinct cell texts.
Kept = tuple[np.ndarray, list[str]]

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


class Tally:
    """Per mapping: records per band, missing values and bad cells."""

    __slots__ = ("mapping", "bands", "missing", "bad")

    def __init__(self, mapping: Mapping):
        self.mapping = mapping
        self.bands = [0] * len(mapping.labels)  # records per label of mapping.labels
        self.missing = 0
        self.bad = 0


class Report:
    """What a run did: records read, blank lines kept, problems, a tally per mapping (as run:
    a mapping switched to choosing by year has every edition's labels), and the year column used;
    with a year column, the same counts per year (``years``, :class:`~rightsband.batch.summary.YearCounts`)."""

    def __init__(self, mappings: Sequence[Mapping], year_column: str | None = None):
        self.year_column = year_column
        self.records = 0
        self.blank = 0
        self.problems = 0
        self.tallies = [Tally(m) for m in mappings]
        self.years = None if year_column is None else YearCounts([len(m.labels) + 2 for m in mappings])

    def count(self, block: Block, outcomes: Sequence[np.ndarray], problems: int, years: Kept | None = None) -> None:
        """Add one block: its records, blank lines, problems, the outcomes per mapping and each record's
        year cell (``years``, blank lines included, as in the block)."""
        blank = int(block.blank.sum())
        if blank:
            outcomes = [outcome[~block.blank] for outcome in outcomes]
            years = None if years is None else (years[0][~block.blank], years[1])
        self.add(len(block) - blank, blank, outcomes, problems, years)

    def add(self, records: int, blank: int, outcomes: Sequence[np.ndarray], problems: int,
            years: Kept | None = None) -> None:
        """Add records (their outcomes per mapping and year cells, blank lines left out), blank lines and problems."""
        self.records += records
        self.blank += blank
        self.problems += problems
        if self.years is not None and years is not None:
            self.years.add(years[0], years[1], outcomes)
        for tally, outcome in zip(self.tallies, outcomes):
            missing = len(tally.bands)
            counts = np.bincount(outcome, minlength=missing + 2).tolist()
            tally.bands = [a + b for a, b in zip(tally.bands, counts[:missing])]
            tally.missing += counts[missing]
            tally.bad += counts[missing + 1]
