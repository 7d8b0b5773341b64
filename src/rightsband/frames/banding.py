"""Band whole columns (pandas, polars, NumPy arrays, lists) on the one engine: :func:`band`, :class:`BandError`.

:func:`band` turns a column of scores into a column of band labels: a pandas Series
gives an ordered Categorical Series, a polars Series an ``Enum`` Series, anything else
a list. Each distinct value is classified once (:mod:`rightsband.engine`); a float64
column on a plain set is classified by bisection, with no per-value Python. Reading the
input shapes is :mod:`rightsband.frames.inputs`; the codes, :mod:`rightsband.frames.codes`.
"""

from __future__ import annotations

import functools
import os
import weakref
from typing import Any

import numpy as np
import pandas as pd

from rightsband.engine import Engine, Issue
from rightsband.frames.codes import band_codes
from rightsband.frames.inputs import Given, aligned_years, given_columns, is_polars_series
from rightsband.mapping import Mapping, MappingError
from rightsband.model import BandSet, YearError
from rightsband.rules import Rules, builtin_path, load_rules
from rightsband.values import ValueProblem, one_year

__all__ = ["ERRORS", "BandError", "band", "builtin_rules"]

#: What ``errors=`` takes: ``raise`` (one BandError naming the first bad values) or ``coerce`` (a missing label).
ERRORS = ("raise", "coerce")
#: A BandError's message names this many bad values (all are in ``BandError.problems``).
NAMED = 5


class BandError(ValueError):
    """Values that cannot be banded; ``problems`` holds (index label, :class:`~rightsband.engine.Issue`) for each."""

    def __init__(self, message: str, problems: list[tuple[Any, Issue]]):
        super().__init__(message)
        self.problems = problems

    def __reduce__(self) -> tuple[type[BandError], tuple[str, list[tuple[Any, Issue]]]]:
        return type(self), (str(self), self.problems)  # pickled whole, e.g. from a worker process


#: Its public home: tracebacks, pickles and the docs name it ``rightsband.frames.BandError``.
BandError.__module__ = "rightsband.frames"


def band(values: Any, index: str, *, year: Any = None, errors: str = "raise", rules: Rules | None = None) -> Any:
    """Band a column of scores on the band set (or group of editions) ``index``.

    ``values``: a pandas Series (any numeric dtype, nullable ``Int64``/``Float64``, text as
    people type it, ``Decimal`` objects), a polars Series, a NumPy array, a list or a tuple.
    A composite set (``fh-status``) takes a DataFrame (pandas or polars) or a mapping of
    name to column: by name, ignoring case, whenever a column is named after one of its
    inputs (other columns are left alone); in order only when none is. Series in a mapping
    line up by index, as pandas lines up columns.

    Returns, aligned with the input: for pandas an ordered Categorical Series (same index
    and name) whose categories are the labels **best band first**, so ``<`` means "better
    than" and ``.min()`` is the best band present; for polars an ``Enum`` Series in the same
    order; otherwise a list of labels. Missing values (NaN, None, ``pd.NA``, empty, NA, n/a,
    .., -) give a missing label. A group's categories are every edition's labels by band
    position: each edition's wording of the best band, then of the next, and so on
    (``Democracy in consolidation``, ``Democracies in consolidation``, ``Defective
    democracy``, ...), so ``<``, ``min`` and sorting compare bands across editions, while
    ``value_counts`` counts each wording apart.

    ``year``: one year picks the edition; a column of years picks each row's (a pandas
    Series lined up by index). A group of editions (``rsf-map``) needs one or the other. A
    year no edition covers is a bad value.

    ``errors="raise"`` raises :class:`BandError` naming the first bad values with their
    index labels; ``"coerce"`` gives every bad value, and every value of a year no edition
    covers, a missing label. No value is ever put in a band it does not belong to.
    """
    if errors not in ERRORS:
        raise ValueError(f"errors must be one of {', '.join(map(repr, ERRORS))}, not {errors!r}")
    rules = rules if rules is not None else builtin_rules()
    first = _first_set(rules, index)
    given = given_columns(values, first.id, [i.name for i in first.inputs])
    scalar = year is None or _is_scalar(year)
    try:
        engine = _cached_engine(rules, index, year)
    except YearError:
        if errors != "coerce" or year is None or not scalar:
            raise
        year, scalar = [year] * len(given.columns[0]), False  # a year no edition covers, for each row
        engine = _cached_engine(rules, index, year)
    years = None if scalar else aligned_years(year, given)
    codes = band_codes(engine, given.columns, years)
    bad = np.flatnonzero(codes == engine.bad)
    if len(bad):
        if errors == "raise":
            raise _band_error(engine, given, years, bad)
        codes[bad] = engine.missing
    return _result(engine.labels, codes, engine.missing, given)


def _first_set(rules: Rules, index: str) -> BandSet:
    """The set ``index`` names, or its group's first edition (UnknownSetError names the sets)."""
    group = rules.group(index)
    return group.editions[0] if group else rules.get(index)


def builtin_rules() -> Rules:
    """The built-in rules, read once per process (again if the file changes): ``band`` is called
    in loops and in every partition of a Dask frame, and reading the rules costs milliseconds."""
    path = builtin_path()
    stat = os.stat(path)
    return _rules_of(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1)
def _rules_of(path: str, mtime: int, size: int) -> Rules:
    return load_rules()  # the built-in file is ``path``: the arguments only key the cache


def _is_scalar(year: Any) -> bool:
    return not isinstance(year, (pd.Series, np.ndarray, list, tuple)) and not is_polars_series(year)


#: Engines kept per rules object (the most recently used), so that calls in a loop or per
#: partition classify each distinct value once, not once per call.
ENGINES_KEPT = 16
_engines: weakref.WeakKeyDictionary[Rules, dict[tuple[Any, ...], Engine]] = weakref.WeakKeyDictionary()


def _cached_engine(rules: Rules, index: str, year: Any) -> Engine:
    """:func:`_engine`, remembered per rules object, set or group, and year (one year, or a column of
    years and its name)."""
    scalar = year is None or _is_scalar(year)
    key = (index, year if scalar else None, not scalar, None if scalar else getattr(year, "name", None))
    try:
        hash(key)
    except TypeError:  # an unhashable year or name: nothing to remember it by
        return _engine(rules, index, year)
    kept = _engines.setdefault(rules, {})
    engine = kept.pop(key, None) or _engine(rules, index, year)
    kept[key] = engine  # the most recently used last
    while len(kept) > ENGINES_KEPT:
        del kept[next(iter(kept))]
    return engine


def _engine(rules: Rules, index: str, year: Any) -> Engine:
    """The engine for ``index``: its edition for a scalar year, choosing by year for a column of years."""
    group = rules.group(index)
    first = _first_set(rules, index)
    scalar = year is not None and _is_scalar(year)
    spec = f"{','.join(i.name for i in first.inputs) or 'value'}={index}"
    try:
        mapping = Mapping.parse(spec, rules, year=_year(year) if scalar else None, by_year=year is not None)
    except MappingError as error:
        raise YearError(str(error)) from None
    if mapping.choose is not None and year is None:
        raise YearError(f"{index} picks its edition by year ({group.describe_editions() if group else first.id}); "
                        "pass year= a year, or a column of years aligned with the values")
    name = getattr(year, "name", None)  # a Series of years: messages name it as a column
    return Engine(mapping.set, labels=mapping.labels, choose=mapping.choose, index=index,
                  year_column=None if scalar or name is None else str(name))


def _year(year: Any) -> int:
    """A scalar ``year=``: a whole number (TypeError otherwise) that is a year as every door reads one."""
    try:
        whole = not isinstance(year, bool) and float(year).is_integer()
    except (TypeError, ValueError):
        whole = False
    if not whole:
        raise TypeError(f"year must be a whole number such as 2015, or a column of years, not {year!r}")
    try:
        return one_year(year)
    except ValueProblem as problem:
        raise YearError(f"year={year!r}: {problem}") from None


def _band_error(engine: Engine, given: Given, years: Any, bad: np.ndarray) -> BandError:
    """One exception naming the first bad values with their index labels; all are in ``problems``."""
    rows = given.row_labels
    labels = rows.take(bad).tolist() if rows is not None else bad.tolist()  # plain Python labels (10, not np.int64)
    problems = []
    for label, row in zip(labels, bad.tolist()):
        raws = tuple(_raw(column, row) for column in given.columns)
        token = engine.edition(years[row]) if years is not None else None
        problems.append((label, engine.issue(raws, token)))
    where = "index" if given.row_labels is not None else "position"
    named = "; ".join(f"{where} {label!r}: {issue.message}" for label, issue in problems[:NAMED])
    more = f" (and {len(problems) - NAMED:,} more)" if len(problems) > NAMED else ""
    what = f"{len(problems):,} value(s) cannot be banded on {engine.index}"
    return BandError(f"{what}: {named}{more}; pass errors=\"coerce\" to give them a missing label", problems)


def _raw(column: Any, row: int) -> object:
    value = column.iloc[row] if isinstance(column, pd.Series) else column[row]
    return None if value is pd.NA else value


def _result(labels: list[str], codes: np.ndarray, missing: int, given: Given) -> Any:
    """The labels as the input's kind of column: missing codes (and only they) give a missing label."""
    if given.kind == "pandas":
        places = codes.astype(np.int8 if missing < 1 << 7 else np.int16 if missing < 1 << 15 else np.int32)
        places[codes >= missing] = -1
        categorical = pd.Categorical.from_codes(places, categories=pd.Index(labels),
                                                ordered=True, validate=False)
        return pd.Series(categorical, index=given.row_labels, name=given.name)
    if given.kind == "polars":
        import polars as pl

        gaps = np.where(codes >= missing, np.nan, codes)  # NaN: a missing label, null in polars
        positions = pl.Series(gaps, nan_to_null=True).cast(pl.UInt32)
        return pl.Series(given.name, labels, dtype=pl.Enum(labels)).gather(positions).alias(given.name or "")
    table = np.array([*labels, None, None], dtype=object)
    return table[codes].tolist()
