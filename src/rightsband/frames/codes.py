"""Outcome codes of whole columns: each distinct value (or tuple of a composite set's inputs) classified
once by the engine, float64 columns by bisection; the codes are :class:`~rightsband.engine.Engine`'s."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rightsband.csvscan import combine_codes
from rightsband.engine import Engine, memo_key

__all__ = ["SMALL_RANGE", "band_codes", "factorize"]

#: Integer columns spanning at most this many values are coded by a table, not by hashing.
SMALL_RANGE = 1 << 16
#: What ``pandas.api.types.infer_dtype`` says of an object column whose equal values read alike
#: (one kind of number, or text): such a column is factorized by equality, in C.
_ONE_READING = ("string", "integer", "decimal", "empty")


def band_codes(engine: Engine, columns: Sequence[Any], years: Any = None) -> np.ndarray:
    """The engine's outcome codes for aligned input columns (one per input), with a column of years or not."""
    if years is None:
        return _codes(engine, columns, None)
    year_codes, year_uniques = factorize(np.asarray(years, dtype=object))
    tokens = [engine.edition(year) for year in year_uniques]
    by_token: dict[int | str, list[int]] = {}
    for code in np.unique(year_codes).tolist():  # -1: a missing year
        by_token.setdefault(tokens[code] if code >= 0 else engine.edition(None), []).append(code)
    if len(by_token) <= 1:
        return _codes(engine, columns, next(iter(by_token), None))
    out = np.empty(len(year_codes), dtype=np.intp)
    for token, codes in by_token.items():
        rows = np.flatnonzero(np.isin(year_codes, codes))
        out[rows] = _codes(engine, [_take(column, rows) for column in columns], token)
    return out


def _codes(engine: Engine, columns: Sequence[Any], token: int | str | None) -> np.ndarray:
    """Outcome codes of aligned columns: floats by bisection where the set allows, else each distinct
    value (or tuple of inputs) once."""
    if not len(columns[0]):
        return np.empty(0, dtype=engine.code_type())
    if len(columns) == 1:
        floats = _float64(columns[0])
        found = None if floats is None else engine.floats(floats, token)
        if found is not None:
            return found
        codes, uniques = factorize(columns[0])
        texts = all(isinstance(unique, str) for unique in uniques)
        per_unique = np.append(engine.texts(uniques, token) if texts else engine.values(uniques, token),
                               engine.missing).astype(engine.code_type())
        outcomes: np.ndarray = per_unique[codes]
        return outcomes
    factorized = [factorize(column, every_value=True) for column in columns]
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


def factorize(column: Any, every_value: bool = False) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for NaN, None, pd.NA) and the distinct values, as the scalars the column holds (a
    float32 stays a NumPy float32, read at its own precision). Values are distinct as the engine keys
    them (:func:`~rightsband.engine.memo_key`): ``True``, ``1`` and ``1.0``, or ``numpy.float32(40.0)``
    and ``39.999999``, are equal in Python but read differently, so they are never merged. With
    ``every_value``, the values of a small integer range may include some no row has."""
    dtype = getattr(column, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind != "O":
        column = np.asarray(column)
        if dtype.kind in "iu" and len(column):
            small = _small_integers(column, every_value)
            if small is not None:
                return small
    elif isinstance(dtype, np.dtype):  # objects: one reading per value, or keyed as the engine keys
        values = np.asarray(column, dtype=object)
        if not _one_reading(values):
            return _by_key(values)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.intp), list(uniques)


def _one_reading(values: np.ndarray) -> bool:
    """True if values of this object array that are equal in Python read alike: one kind of value."""
    kind = pd.api.types.infer_dtype(values, skipna=True)
    return kind in _ONE_READING or (kind == "floating" and len(set(map(type, values[~pd.isna(values)]))) == 1)


def _by_key(values: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Codes and distinct values of an object array by the engine's key: mixed types, or values that
    cannot be dict keys (a list in a cell), each kept apart as the engine reads them."""
    present = np.flatnonzero(~pd.isna(values))
    keys = np.fromiter(map(memo_key, values[present].tolist()), dtype=object, count=len(present))
    present_codes, _ = pd.factorize(keys)
    codes = np.full(len(values), -1, dtype=np.intp)
    codes[present] = present_codes
    firsts = np.unique(present_codes, return_index=True)[1]
    return codes, values[present[firsts]].tolist()
