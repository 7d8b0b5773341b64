"""What :func:`rightsband.band` is given, read as aligned columns: one per input of the band set,
matched by name (any case) or else by position, pandas Series lined up by index, and a column of
years lined up with them."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

__all__ = ["Given", "aligned_years", "given_columns", "is_polars_series"]

#: A message about labels that do not line up names at most this many.
SHOWN = 5


class Given(NamedTuple):
    """The input columns in the set's input order, aligned; the row labels (a pandas index, or None);
    the kind of result (``pandas``, ``polars`` or ``list``); and the result's name."""

    columns: list[Any]
    row_labels: pd.Index | None
    kind: str
    name: Any


def given_columns(values: Any, set_id: str, inputs: Sequence[str]) -> Given:
    """``values`` as the columns of ``set_id``, whose inputs are ``inputs`` (none: one column).

    A DataFrame's columns or a mapping's keys are matched to the inputs by name, ignoring case
    and surrounding spaces, whenever any of them names an input (other columns are left alone);
    by position only when none does. Either way every input needs exactly one column: a
    ValueError says which way was tried and what was missing."""
    named, index, kind, name = _named_columns(values)
    columns = [column for _, column in named]
    if not inputs:
        if len(columns) != 1:
            raise ValueError(f"{set_id} bands one column; pass a Series, not {len(columns)} columns")
        return Given(columns, index, kind, name)
    return Given(_matched(named, set_id, inputs), index, kind, name)


def _matched(named: list[tuple[Any, Any]], set_id: str, inputs: Sequence[str]) -> list[Any]:
    """The columns for ``inputs``, by name if any column names one, else by position."""
    places: dict[str, list[int]] = {}
    for place, (name, _) in enumerate(named):
        places.setdefault(_folded(name), []).append(place)
    found = [places.get(_folded(name), []) for name in inputs]
    wanted = f"{set_id} combines {' and '.join(inputs)}"
    listed = ", ".join(repr(name) for name, _ in named) if any(name is not None for name, _ in named) \
        else f"{len(named)} without a name"
    if any(found):
        unnamed = [name for name, places in zip(inputs, found) if not places]
        doubled = [name for name, places in zip(inputs, found) if len(places) > 1]
        if unnamed or doubled:
            what = (f"no column for {', '.join(unnamed)}" if unnamed else "") + ("; " if unnamed and doubled else "") \
                + (f"several columns for {', '.join(doubled)}" if doubled else "")
            raise ValueError(f"{wanted}: matching the columns by name (any case), {what} (the columns: {listed}); "
                             f"give one column named after each input")
        return [named[places[0]][1] for places in found]
    if len(named) == len(inputs):
        return [column for _, column in named]
    raise ValueError(f"{wanted}: no column is named after an input (the columns: {listed}), and by position it "
                     f"takes {len(inputs)} columns, not {len(named)}; name the columns {', '.join(inputs)} "
                     f"(any case), or pass {len(inputs)} columns in that order")


def _folded(name: object) -> str:
    return str(name).strip().casefold()


def _named_columns(values: Any) -> tuple[list[tuple[Any, Any]], pd.Index | None, str, Any]:
    """The columns with their names, the row labels, the kind of result, and its name."""
    if isinstance(values, pd.Series):
        return [(values.name, values)], values.index, "pandas", values.name
    if isinstance(values, pd.DataFrame):
        return [(name, values.iloc[:, n]) for n, name in enumerate(values.columns)], values.index, "pandas", None
    if is_polars_series(values):
        return [(values.name, values.to_numpy())], None, "polars", values.name
    if _is_polars_frame(values):
        return [(column.name, column.to_numpy()) for column in values.get_columns()], None, "polars", None
    if isinstance(values, Mapping):
        return _mapping_columns(values)
    if isinstance(values, (np.ndarray, list, tuple)):
        return [(None, _array(values))], None, "list", None
    raise TypeError(f"values must be a pandas or polars Series or DataFrame, a mapping of input name to column, "
                    f"a NumPy array, a list or a tuple, not {type(values).__name__}")


def _mapping_columns(values: Mapping[Any, Any]) -> tuple[list[tuple[Any, Any]], pd.Index | None, str, Any]:
    """A mapping's columns, pandas Series lined up by index with the first one (as pandas lines up
    columns), the others by position; every column as long as the first."""
    first = next(iter(values.values()), None)
    index = next((column.index for column in values.values() if isinstance(column, pd.Series)), None)
    named = []
    for name, column in values.items():
        if isinstance(column, pd.Series) and index is not None:
            column = _lined_up(column, index, f"column {name!r}", "the first Series'")
        named.append((name, column.to_numpy() if is_polars_series(column) else _array(column)))
    lengths = [len(column) for _, column in named]
    if len(set(lengths)) > 1:
        listed = ", ".join(f"{name!r} {length:,}" for (name, _), length in zip(named, lengths))
        raise ValueError(f"the columns have different lengths ({listed}); give every column one value per row")
    kind = "pandas" if isinstance(first, pd.Series) else "polars" if is_polars_series(first) else "list"
    return named, index if kind == "pandas" else None, kind, None


def _lined_up(series: pd.Series, index: pd.Index, what: str, whose: str) -> pd.Series:
    """``series`` reordered to ``index``, when it holds the same labels; else a ValueError naming the
    labels that do not line up, as plain text."""
    if series.index.equals(index):
        return series
    if series.index.is_unique and index.is_unique and len(series.index) == len(index) \
            and not len(index.difference(series.index)):
        return series.reindex(index)
    unmatched = [*index.difference(series.index, sort=False).tolist(),
                 *series.index.difference(index, sort=False).tolist()]
    doubled = sorted({*index[index.duplicated()].tolist(), *series.index[series.index.duplicated()].tolist()}, key=str)
    problem = (f"labels in one index only: {_shown(unmatched)}" if unmatched else "") \
        + ("; " if unmatched and doubled else "") + (f"labels repeated: {_shown(doubled)}" if doubled else "")
    raise ValueError(f"the index of {what} does not line up with {whose} ({problem}); give both the same labels "
                     "(or pass plain arrays, which line up by position)")


def _shown(labels: list[Any]) -> str:
    """Index labels as plain text, the first few."""
    more = f" and {len(labels) - SHOWN:,} more" if len(labels) > SHOWN else ""
    return ", ".join(str(label) for label in labels[:SHOWN]) + more


def _array(values: Any) -> Any:
    """A column as it is (a Series or an array), or a list or tuple as an object array."""
    if isinstance(values, (pd.Series, np.ndarray)):
        return values
    return np.fromiter(values, dtype=object, count=len(values))


def aligned_years(year: Any, given: Given) -> Any:
    """A column of years as an array aligned with the values: a pandas Series by index when the
    values are pandas, anything else by position."""
    if isinstance(year, pd.Series) and given.row_labels is not None:
        return _lined_up(year, given.row_labels, "year", "the values'").to_numpy(dtype=object)
    array = year.to_numpy() if is_polars_series(year) else _array(year)
    size = len(given.columns[0])
    if len(array) != size:
        raise ValueError(f"year has {len(array):,} values and the scores {size:,}; pass one year per value")
    return array


def is_polars_series(value: Any) -> bool:
    """True for a polars Series (without importing polars)."""
    polars = sys.modules.get("polars")
    return polars is not None and isinstance(value, polars.Series)


def _is_polars_frame(value: Any) -> bool:
    polars = sys.modules.get("polars")
    return polars is not None and isinstance(value, polars.DataFrame)
