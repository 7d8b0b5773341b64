"""The pandas accessor ``.rightsband``, registered by ``import rightsband.pandas``.

    >>> import rightsband.pandas
    >>> df["Score"].rightsband.band("rsf")               # an ordered Categorical Series
    >>> df.rightsband.label("Score=rsf", "PR,CL=fh-status:Status")   # a copy with label columns

``import rightsband`` alone never imports pandas; this module does, and registers the
accessor on Series and DataFrame (pandas' documented extension mechanism).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from rightsband.frames import band, builtin_rules
from rightsband.mapping import Mapping, MappingError, check_new_names, column_position, find_year_column
from rightsband.rules import Rules

__all__ = ["FrameAccessor", "SeriesAccessor"]

#: ``label(year_column=...)`` default: the frame's year column by the rule ``rightsband label`` uses.
FIND = "find"


@pd.api.extensions.register_series_accessor("rightsband")
class SeriesAccessor:
    """``series.rightsband.band(index, ...)``: :func:`rightsband.band` on this Series."""

    def __init__(self, series: pd.Series):
        self._series = series

    def band(self, index: str, *, year: Any = None, errors: str = "raise", rules: Rules | None = None) -> pd.Series:
        """The band labels of this Series on ``index`` (see :func:`rightsband.band`)."""
        labels: pd.Series = band(self._series, index, year=year, errors=errors, rules=rules)
        return labels


@pd.api.extensions.register_dataframe_accessor("rightsband")
class FrameAccessor:
    """``df.rightsband.band(index)`` for a composite set's input columns, and ``df.rightsband.label(...)``."""

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame

    def band(self, index: str, *, year: Any = None, errors: str = "raise", rules: Rules | None = None) -> pd.Series:
        """The band labels of a composite set from this frame's columns: those named after its inputs
        (any case), or all of them in input order when none is (see :func:`rightsband.band`)."""
        labels: pd.Series = band(self._frame, index, year=year, errors=errors, rules=rules)
        return labels

    def label(self, *specs: str, year: int | None = None, year_column: str | None = FIND, errors: str = "raise",
              rules: Rules | None = None) -> pd.DataFrame:
        """A copy of the frame with one label column per ``COLS=INDEX[:NEWNAME]`` mapping, as
        ``rightsband label --column`` takes them (new column ``COLS_label`` unless named).

        Years as ``label`` finds them: ``year`` for every row; else, where an INDEX has
        editions or declared years, the ``year_column`` (by default the frame's column whose
        name starts or ends with the word year, or edition); ``year_column=None`` assumes the
        set's years.
        """
        rules = rules if rules is not None else builtin_rules()
        header = [str(name) for name in self._frame.columns]
        try:
            mappings = [Mapping.parse(spec, rules, year=year) for spec in specs]
            for mapping in mappings:
                for column in mapping.columns:
                    column_position(header, column)  # a MappingError, with "did you mean", if it is not there
            check_new_names(header, mappings)
            if year is None and year_column == FIND:
                year_column = find_year_column(header) if any(m.dated for m in mappings) else None
            if year_column is None and any(m.choose is not None for m in mappings):
                first = next(m for m in mappings if m.choose is not None)
                raise MappingError(f"{first.index} picks its edition by year, and the frame has no year column; "
                                   "pass year_column= or year=")
        except MappingError as error:
            raise ValueError(str(error)) from None
        years = self._frame[year_column] if year_column is not None and year is None else None
        added = {}
        for mapping in mappings:
            values = self._frame[mapping.columns[0]] if len(mapping.columns) == 1 else \
                {i.name: self._frame[column] for i, column in zip(mapping.set.inputs, mapping.columns)}  # as named
            dated = years if mapping.dated else None
            added[mapping.name] = band(values, mapping.index, year=year if year is not None else dated,
                                       errors=errors, rules=rules)
        labelled: pd.DataFrame = self._frame.assign(**added)
        return labelled
