"""The DataFrame API: band whole columns (pandas, polars, NumPy arrays, lists) on the one engine.

:func:`band` turns a column of scores into a column of band labels: a pandas Series
gives an ordered Categorical Series, a polars Series an ``Enum`` Series, anything else
a list. Each distinct value is classified once (:mod:`rightsband.engine`); a float64
column on a plain set is classified by bisection, with no per-value Python.
"""

from __future__ import annotations

import functools
import math
import os
import sys
import weakref
from collections.abc import Mapping as MappingABC
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rightsband.csvscan import combine_codes
from rightsband.engine import Engine, Issue
from rightsband.mapping import Mapping, MappingError
from rightsband.model import YearError
from rightsband.rules import Rules, builtin_path, load_rules
from rightsband.values import ValueProblem, one_year

__all__ = ["ERRORS", "BandError", "band", "band_codes", "builtin_rules"]

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


def band(values: Any, index: str, *, year: Any = None, errors: str = "raise", rules: Rules | None = None) -> Any:
    """Band a column of scores on the band set (or group of editions) ``index``.

    ``values``: a pandas Series (any numeric dtype, nullable ``Int64``/``Float64``, text as
    people type it, ``Decimal`` objects), a polars Series, a NumPy array, a list or a tuple.
    A composite set (``fh-status``) takes a DataFrame whose columns are its inputs in order,
    or a mapping of input name to column.

    Returns, aligned with the input: for pandas an ordered Categorical Series (same index
    and name) whose categories are the labels **best band first**, so ``<`` means "better
    than" and ``.min()`` is the best band present; for polars an ``Enum`` Series in the same
    order; otherwise a list of labels. Missing values (NaN, None, ``pd.NA``, empty, NA, n/a,
    .., -) give a missing label.

    ``year``: one year picks the edition; a column of years picks each row's. A group of
    editions (``rsf-map``) needs one or the other. A year no edition covers is a bad value.

    ``errors="raise"`` raises :class:`BandError` naming the first bad values with their
    index labels; ``"coerce"`` gives them a missing label. No value is ever put in a band
    it does not belong to.
    """
    if errors not in ERRORS:
        raise ValueError(f"errors must be one of {', '.join(map(repr, ERRORS))}, not {errors!r}")
    rules = rules if rules is not None else builtin_rules()
    columns, labels_index, kind, name = _columns(values)
    engine = _cached_engine(rules, index, year, len(columns))
    if isinstance(values, MappingABC):
        columns = _in_input_order(values, columns, engine)
    years = None if year is None or _is_scalar(year) else _aligned(year, values, len(columns[0]))
    codes = band_codes(engine, columns, years)
    bad = np.flatnonzero(codes == engine.bad)
    if len(bad):
        if errors == "raise":
            raise _band_error(engine, columns, years, bad, labels_index)
        codes[bad] = engine.missing
    return _result(engine.labels, codes, engine.missing, kind, labels_index, name)


def builtin_rules() -> Rules:
    """The built-in rules, read once per process (again if the file changes): ``band`` is called
    in loops and in every partition of a Dask frame, and reading the rules costs milliseconds."""
    path = builtin_path()
    stat = os.stat(path)
    return _rules_of(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1)
def _rules_of(path: str, mtime: int, size: int) -> Rules:
    return load_rules()  # the built-in file is ``path``: the arguments only key the cache


def band_codes(engine: Engine, columns: Sequence[Any], years: Any = None) -> np.ndarray:
    """The engine's outcome codes for aligned input columns (one per input), with a column of years or not."""
    if years is None:
        return _codes(engine, columns, None)
    year_codes, year_uniques = pd.factorize(np.asarray(years, dtype=object), use_na_sentinel=True)
    tokens = [engine.edition(year) for year in year_uniques.tolist()]
    by_token: dict[int | str, list[int]] = {}
    for code in np.unique(year_codes).tolist():  # -1: a missing year
        by_token.setdefault(tokens[code] if code >= 0 else engine.edition(None), []).append(code)
    if len(by_token) == 1:
        return _codes(engine, columns, next(iter(by_token)))
    out = np.empty(len(year_codes), dtype=np.intp)
    for token, codes in by_token.items():
        rows = np.flatnonzero(np.isin(year_codes, codes))
        out[rows] = _codes(engine, [_take(column, rows) for column in columns], token)
    return out


def _codes(engine: Engine, columns: Sequence[Any], token: int | str | None) -> np.ndarray:
    """Outcome codes of aligned columns: floats by bisection where the set allows, else each distinct
    value (or tuple of inputs) once."""
    if len(columns) == 1:
        floats = _float64(columns[0])
        found = None if floats is None else engine.floats(floats, token)
        if found is not None:
            return found
        codes, uniques = _factorize(columns[0])
        texts = all(isinstance(unique, str) for unique in uniques)
        per_unique = np.append(engine.texts(uniques, token) if texts else engine.values(uniques, token),
                               engine.missing).astype(engine.code_type())
        outcomes: np.ndarray = per_unique[codes]
        return outcomes
    factorized = [_factorize(column, every_value=True) for column in columns]
    widths = [len(uniques) + 1 for _, uniques in factorized]  # each input's values, and a slot for "missing"
    if math.prod(widths) > max(4 * len(factorized[0][0]), SMALL_RANGE):
        return _tuples(engine, factorized, token)
    kind = np.int32 if math.prod(widths) < 1 << 31 else np.int64
    combined: np.ndarray | None = None
    for (codes, _), width in zip(factorized, widths):
        if codes.dtype.kind == "i" and codes.min() < 0:  # -1, missing: the last slot
            codes = np.where(codes < 0, width - 1, codes)
        if combined is None:
            combined = codes.astype(kind)
        else:
            combined *= width
            combined += codes
    assert combined is not None
    present = np.flatnonzero(np.bincount(combined, minlength=math.prod(widths)))
    keys = []
    for combination in present.tolist():  # each tuple of inputs that occurs, decoded, once
        key = []
        for (_, uniques), width in zip(reversed(factorized), reversed(widths)):
            combination, place = divmod(combination, width)
            key.append(uniques[place] if place < width - 1 else None)
        keys.append(tuple(reversed(key)))
    table = np.full(math.prod(widths), engine.missing, dtype=engine.code_type())
    table[present] = engine.outcomes(keys, token)
    labelled: np.ndarray = table[combined]
    return labelled


def _tuples(engine: Engine, factorized: list[tuple[np.ndarray, list[Any]]], token: int | str | None) -> np.ndarray:
    """Outcome codes of several inputs with many distinct values: each distinct tuple classified once
    (a missing input is a value of its own, None, so a tuple with a bad input is bad, as classify says)."""
    slotted = [(np.where(codes < 0, len(uniques), codes), [*uniques, None]) for codes, uniques in factorized]
    combined, holders = combine_codes([(codes, len(uniques)) for codes, uniques in slotted], len(slotted[0][0]))
    keys = zip(*([uniques[code] for code in codes[holders].tolist()] for codes, uniques in slotted))
    outcomes: np.ndarray = engine.outcomes(keys, token).astype(engine.code_type())[combined]
    return outcomes


def _raw(column: Any, row: int) -> object:
    value = column.iloc[row] if isinstance(column, pd.Series) else column[row]
    return None if value is pd.NA else value


#: Integer columns spanning at most this many values are coded by a table, not by hashing.
SMALL_RANGE = 1 << 16


def _small_integers(column: np.ndarray, every_value: bool) -> tuple[np.ndarray, list[Any]] | None:
    """Codes and values of an integer array spanning few values (ratings, whole-number scores), by
    counting instead of hashing: the code is the offset from the smallest value. Unless
    ``every_value`` is asked for, an offset no row has stands for None, so it is never classified."""
    low, high = int(column.min()), int(column.max())
    if high - low >= SMALL_RANGE:
        return None
    # Offsets below 2**16, computed in uint16: wrapping arithmetic gives each one exactly, in a quarter of the memory.
    codes = np.subtract(column, np.array(low).astype(column.dtype), dtype=np.uint16, casting="unsafe")
    values = np.arange(low, high + 1).astype(column.dtype)
    if every_value:
        return codes, list(values)
    counts = np.bincount(codes, minlength=high - low + 1)
    return codes, [value if count else None for value, count in zip(values, counts.tolist())]


def _take(column: Any, rows: np.ndarray) -> Any:
    return column.iloc[rows] if isinstance(column, pd.Series) else column[rows]


def _float64(column: Any) -> np.ndarray | None:
    """The column as float64 with NaN for missing, if it holds float64 (or nullable Float64) values."""
    dtype = getattr(column, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype == np.float64:
        return np.asarray(column, dtype=np.float64)
    if isinstance(dtype, pd.Float64Dtype):
        return np.asarray(column.to_numpy(dtype=np.float64, na_value=np.nan))
    return None


def _factorize(column: Any, every_value: bool = False) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for NaN, None, pd.NA) and the distinct values, as the scalars the column holds
    (a float32 stays a NumPy float32, read at its own precision), bools kept apart from the numbers
    they equal (``True == 1`` in Python; only the number is a score). With ``every_value``, the
    values of a small integer range may include some no row has."""
    dtype = getattr(column, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind != "O":
        column = np.asarray(column)
        if dtype.kind in "iu" and len(column):
            small = _small_integers(column, every_value)
            if small is not None:
                return small
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.intp)
    listed = list(uniques)
    if isinstance(dtype, np.dtype) and dtype.kind == "O" and pd.api.types.infer_dtype(column, skipna=True) not in (
            "string", "floating", "integer", "decimal", "empty"):
        values = np.asarray(column, dtype=object)
        flags = np.fromiter((isinstance(v, (bool, np.bool_)) for v in values), dtype=bool, count=len(values))
        if flags.any():
            bool_codes, bool_uniques = pd.factorize(values[flags])
            codes[flags] = len(listed) + bool_codes
            listed += list(bool_uniques)
    return codes, listed


def _is_scalar(year: Any) -> bool:
    return not isinstance(year, (pd.Series, np.ndarray, list, tuple)) and not _is_polars_series(year)


#: Engines kept per rules object (the most recently used), so that calls in a loop or per
#: partition classify each distinct value once, not once per call.
ENGINES_KEPT = 16
_engines: weakref.WeakKeyDictionary[Rules, dict[tuple[Any, ...], Engine]] = weakref.WeakKeyDictionary()


def _cached_engine(rules: Rules, index: str, year: Any, inputs: int) -> Engine:
    """:func:`_engine`, remembered per rules object, set or group, year (one year, or a column of
    years and its name) and number of inputs."""
    scalar = year is None or _is_scalar(year)
    key = (index, year if scalar else None, not scalar, None if scalar else getattr(year, "name", None), inputs)
    try:
        hash(key)
    except TypeError:  # an unhashable year or name: nothing to remember it by
        return _engine(rules, index, year, inputs)
    kept = _engines.setdefault(rules, {})
    engine = kept.pop(key, None) or _engine(rules, index, year, inputs)
    kept[key] = engine  # the most recently used last
    while len(kept) > ENGINES_KEPT:
        del kept[next(iter(kept))]
    return engine


def _engine(rules: Rules, index: str, year: Any, inputs: int) -> Engine:
    """The engine for ``index``: its edition for a scalar year, choosing by year for a column of years."""
    group = rules.group(index)
    first = group.editions[0] if group else rules.get(index)  # UnknownSetError names the sets
    wanted = max(len(first.inputs), 1)
    if inputs != wanted:
        raise ValueError(f"{first.id} combines {first.input_names()}: pass a DataFrame with those {wanted} "
                         "columns in that order, or a mapping of input name to column"
                         if first.inputs else f"{first.id} bands one column; pass a Series, not {inputs} columns")
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


def _columns(values: Any) -> tuple[list[Any], Any, str, Any]:
    """The input columns, the row labels (index) for messages, the kind of result, and its name."""
    if isinstance(values, pd.Series):
        return [values], values.index, "pandas", values.name
    if isinstance(values, pd.DataFrame):
        return [values.iloc[:, n] for n in range(values.shape[1])], values.index, "pandas", None
    if _is_polars_series(values):
        return [values.to_numpy()], None, "polars", values.name
    if isinstance(values, MappingABC):
        columns = list(values.values())
        first = columns[0] if columns else None
        kind = "pandas" if isinstance(first, pd.Series) else "polars" if _is_polars_series(first) else "list"
        converted = [c.to_numpy() if _is_polars_series(c) else _array(c) for c in columns]
        return converted, getattr(first, "index", None), kind, None
    if isinstance(values, (np.ndarray, list, tuple)):
        return [_array(values)], None, "list", None
    raise TypeError(f"values must be a pandas or polars Series, a DataFrame, a mapping of input name to column, "
                    f"a NumPy array, a list or a tuple, not {type(values).__name__}")


def _array(values: Any) -> Any:
    """A column as it is (a Series or an array), or a list or tuple as an object array."""
    if isinstance(values, (pd.Series, np.ndarray)):
        return values
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def _in_input_order(values: MappingABC[Any, Any], columns: list[Any], engine: Engine) -> list[Any]:
    """The columns of a mapping of input name to column, in the set's input order."""
    names = [i.name for i in engine.set.inputs]
    given = list(values)
    if sorted(map(str, given)) != sorted(names):
        raise ValueError(f"{engine.set.id} combines {engine.set.input_names()}: the mapping has "
                         f"{', '.join(map(repr, given))}; give one column for each of {', '.join(map(repr, names))}")
    place = {name: n for n, name in enumerate(map(str, given))}
    return [columns[place[name]] for name in names]


def _is_polars_series(value: Any) -> bool:
    polars = sys.modules.get("polars")
    return polars is not None and isinstance(value, polars.Series)


def _aligned(year: Any, values: Any, size: int) -> Any:
    """A column of years as an array aligned with the values (a pandas Series by index)."""
    if isinstance(year, pd.Series) and isinstance(values, (pd.Series, pd.DataFrame)):
        if not year.index.equals(values.index):
            year = year.reindex(values.index)
        return year.to_numpy(dtype=object, na_value=None)
    array = year.to_numpy() if _is_polars_series(year) else np.asarray(year, dtype=object)
    if len(array) != size:
        raise ValueError(f"year has {len(array)} values and the scores {size}; pass one year per value")
    return array


def _band_error(engine: Engine, columns: Sequence[Any], years: Any, bad: np.ndarray, labels: Any) -> BandError:
    """One exception naming the first bad values with their index labels; all are in ``problems``."""
    problems = []
    for row in bad.tolist():
        raws = tuple(_raw(column, row) for column in columns)
        token = engine.edition(years[row]) if years is not None else None
        problems.append((labels[row] if labels is not None else row, engine.issue(raws, token)))
    where = "index" if labels is not None else "position"
    named = "; ".join(f"{where} {label!r}: {issue.message}" for label, issue in problems[:NAMED])
    more = f" (and {len(problems) - NAMED:,} more)" if len(problems) > NAMED else ""
    what = f"{len(problems):,} value(s) cannot be banded on {engine.index}"
    return BandError(f"{what}: {named}{more}; pass errors=\"coerce\" to give them a missing label", problems)


def _result(labels: list[str], codes: np.ndarray, missing: int, kind: str, index: Any, name: Any) -> Any:
    """The labels as the input's kind of column: missing codes (and only they) give a missing label."""
    if kind == "pandas":
        places = codes.astype(np.int8 if missing < 1 << 7 else np.int16 if missing < 1 << 15 else np.int32)
        places[codes >= missing] = -1
        categorical = pd.Categorical.from_codes(places, categories=pd.Index(labels),
                                                ordered=True, validate=False)
        return pd.Series(categorical, index=index, name=name)
    if kind == "polars":
        import polars as pl

        gaps = np.where(codes >= missing, np.nan, codes)  # NaN: a missing label, null in polars
        positions = pl.Series(gaps, nan_to_null=True).cast(pl.UInt32)
        return pl.Series(name, labels, dtype=pl.Enum(labels)).gather(positions).alias(name or "")
    table = np.array([*labels, None, None], dtype=object)
    return table[codes].tolist()
