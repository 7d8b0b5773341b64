"""Value parsing: turn what people copy out of reports into exact Decimals.

Accepted: ``53.46``, ``53,46`` (one decimal comma), ``29%``, ``62.1 %``, a leading
``+``/``-``/U+2212 minus. Refused: thousands separators, exponents, ``nan``/``inf``.
Nothing here knows about bands; a band set decides what a percent sign means.
"""

from __future__ import annotations

import re
from decimal import Decimal

#: Cells that mean "no value" (compared after stripping, case-insensitively).
MISSING_MARKERS = frozenset({"", "na", "n/a", "..", "-"})

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
#: Floats are read at this many significant digits (DBL_DIG): enough for every
#: published score, few enough that binary noise such as 0.57 * 100 disappears.
FLOAT_DIGITS = 15


class ValueProblem(ValueError):
    """A value that cannot be classified; the message names it and says what to type."""


def is_missing(text: str) -> bool:
    """True for an empty cell or one of the missing markers (NA, n/a, .., -)."""
    return text.strip().casefold() in MISSING_MARKERS


_YEAR = re.compile(r"(?<!\d)[12]\d{3}(?!\d)")


def parse_years(text: str) -> list[int]:
    """The four-digit years a year cell names: ``2015``, ``2015.0``, ``2011-12`` (2011),
    ``Nov.1983-Nov.1984`` (1983 and 1984); empty if none."""
    return [int(year) for year in _YEAR.findall(text)]


def parse_number(text: str) -> tuple[Decimal, bool]:
    """Read ``text`` as an exact number; return it and whether it carried a ``%`` sign."""
    s = text.strip().replace("\u2212", "-")
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    if not _NUMBER.fullmatch(s):
        raise ValueProblem(f'"{text}" is not a number')
    return Decimal(s.replace(",", ".")), percent


def to_number(value: str | int | float | Decimal) -> tuple[Decimal, bool]:
    """Like :func:`parse_number`, but also take the numbers a Python caller has.

    Floats are read at :data:`FLOAT_DIGITS` significant digits, so ``0.57 * 100``
    is 57 and never lands below a bound at 57; pass strings or Decimals to keep
    every digit.
    """
    if isinstance(value, str):
        return parse_number(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueProblem(f"{value!r} is not a number; pass a str, int, float or Decimal")
    number = Decimal(format(value, f".{FLOAT_DIGITS}g")) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueProblem(f'"{value}" is not a number')
    return number, False
