"""Value parsing: turn what people copy out of reports, and what Python code holds, into exact Decimals.

Text: ``53.46``, ``53,46`` (one decimal comma), ``29%``, ``62.1 %``, a leading
``+``/``-``/U+2212 minus, in the ASCII digits 0-9, read exactly; except that the text of a
binary float's noise (``56.99999999999999``, which is how ``0.57 * 100`` is written) is read
as that float is read, at 15 significant digits (:func:`parse_number`). Refused: thousands separators,
exponents, ``nan``/``inf``, other scripts' digits (``٥٣``, ``５３``).

Python values (:func:`to_number`): int, float, Decimal and NumPy's integer and float
scalars; ``None``, NaN (float, NumPy or Decimal), ``pandas.NA`` and ``pandas.NaT`` are
missing. Anything else (``bool``, lists, bytes, complex, ...) raises
:class:`ValueTypeError`. NumPy and pandas are never imported here: a value can only be
one of their scalars if the caller has imported them already.

Nothing here knows about bands; a band set decides what a percent sign means.
"""

from __future__ import annotations

import numbers
import re
import sys
from decimal import Decimal

#: Cells that mean "no value" (compared after stripping, case-insensitively).
MISSING_MARKERS = frozenset({"", "na", "n/a", "..", "-"})

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
#: Floats are read at this many significant digits (DBL_DIG): enough for every
#: published score, few enough that binary noise such as 0.57 * 100 disappears.
#: Narrower NumPy floats are read at their own decimal precision (float32: 6, float16: 3).
FLOAT_DIGITS = 15

#: What to type instead of text that is not a number.
NUMBER_FIX = "type a number such as 53.46 or 53,46, without thousands separators"
_INFINITIES = (float("inf"), float("-inf"))
_FINITE_FIX = "pass a finite number, or NaN or None for a missing value"
_TYPE_FIX = "pass a str, int, float or Decimal (None or NaN for a missing value)"

#: Characters a message never shows raw: C0 controls, DEL, C1 controls, the line and
#: paragraph separators and the bidi controls (marks, embeddings, overrides, isolates).
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


#: Kinds of ValueProblem (``ValueProblem.kind``), for counting problems.
NOT_A_NUMBER = "not-a-number"
NON_ASCII_DIGITS = "non-ascii-digits"
WRONG_TYPE = "type"
PERCENT_SIGN = "percent-sign"
OUTSIDE_SCALE = "outside-scale"
OFF_STEP = "off-step"
NO_BAND = "no-band"
INPUTS = "composite-inputs"
NOT_A_YEAR = "not-a-year"


class ValueProblem(ValueError):
    """A value that cannot be classified; the message names it and says what to type.

    ``what`` is the problem and ``fix`` what to type instead ("" if not said);
    the message is ``"{what}; {fix}"``. ``kind`` says which problem it is (one of
    the kinds above; ``"value"`` if not said).
    """

    kind = "value"

    def __init__(self, what: str, fix: str = "", kind: str | None = None) -> None:
        super().__init__(f"{what}; {fix}" if fix else what)
        self.what, self.fix = what, fix
        if kind is not None:
            self.kind = kind

    def __reduce__(self) -> tuple[type[ValueProblem], tuple[str, str, str]]:
        return type(self), (self.what, self.fix, self.kind)


class ValueTypeError(ValueProblem, TypeError):
    """A value of a type that holds no score (a bool, a list, bytes, ...): a TypeError too."""

    kind = WRONG_TYPE


#: A value quoted in a message is cut to this many characters (a 200 MB cell stays a one-line message).
SHOWN_CHARACTERS = 200


def shown(text: str) -> str:
    """A user's text as a message quotes it: :func:`visible`, and cut short if very long."""
    if len(text) <= SHOWN_CHARACTERS:
        return visible(text)
    return f"{visible(text[:SHOWN_CHARACTERS])}... ({len(text):,} characters)"


def visible(text: str) -> str:
    r"""``text`` with control characters shown as escapes, safe to print in a message.

    C0 controls, DEL, C1 controls (U+0080-U+009F), U+2028/U+2029 and the bidi controls
    (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) become ``\x0d`` or
    ``\u2028``; everything else is kept.
    """
    return _INVISIBLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def normalised(label: str) -> str:
    """A label as compared: case-folded, runs of white space as one space, none at either end."""
    return " ".join(label.split()).casefold()


def is_missing(text: str) -> bool:
    """True for an empty cell or one of the missing markers (NA, n/a, .., -)."""
    return text.strip().casefold() in MISSING_MARKERS


#: What a year is, at every door (a year cell, ``--year``, ``year=``, ``BandSet.classify(year=)``):
#: a whole number from FIRST_YEAR to LAST_YEAR, which a cell writes with four digits.
FIRST_YEAR, LAST_YEAR = 1000, 2999
#: What to give instead of something that is not a year.
YEAR_FIX = f"give a four-digit year from {FIRST_YEAR} to {LAST_YEAR}, such as 2015"

_YEAR = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")


def parse_years(text: str) -> list[int]:
    """The years a year cell names: ``2015``, ``2015.0``, ``2011-12`` (2011),
    ``Nov.1983-Nov.1984`` (1983 and 1984); empty if none (``3000`` is not a year)."""
    return [year for year in map(int, _YEAR.findall(text)) if FIRST_YEAR <= year <= LAST_YEAR]


def years_named(value: object) -> list[int]:
    """The years a year value names, the one reading of years every door shares: text as
    :func:`parse_years` reads it; a whole number (int, NumPy integer, a float such as 2015.0)
    in the year range as itself; a date or timestamp its year; anything else (bool, missing) none."""
    if isinstance(value, str):
        return parse_years(value)
    if isinstance(value, bool) or is_missing_value(value):
        return []
    found: object
    if isinstance(value, numbers.Integral):
        found = int(value)
    elif isinstance(value, (numbers.Real, Decimal)):
        number = float(value)
        found = int(number) if number.is_integer() else None
    else:
        found = getattr(value, "year", None)  # a date or timestamp
    return [found] if isinstance(found, int) and FIRST_YEAR <= found <= LAST_YEAR else []


def one_year(value: object) -> int:
    """The one year ``value`` names (as :func:`years_named` reads it); a ValueProblem otherwise."""
    years = years_named(value)
    if len(years) != 1:
        raise ValueProblem(f'"{visible(str(value))}" is not a year', YEAR_FIX, NOT_A_YEAR)
    return years[0]


def parse_number(text: str) -> tuple[Decimal, bool]:
    """Read ``text`` as an exact number; return it and whether it carried a ``%`` sign.

    Every digit counts, except in the text of a binary float's noise: 16 or 17 significant
    digits that are exactly a float's shortest text (``56.99999999999999``) are read as
    the float is, at 15 significant digits (57). Only the ASCII digits 0-9 are read: text
    in other digits (Arabic-Indic ``٥٣``, fullwidth ``５３``) is refused with a message saying so.
    """
    s = text.strip().replace("\u2212", "-")
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    if not _NUMBER.fullmatch(s):
        if not text.isascii() and any(c.isdigit() and not c.isascii() for c in text):
            raise ValueProblem(f'"{shown(text)}" uses non-ASCII digits', "type the digits 0-9", NON_ASCII_DIGITS)
        raise ValueProblem(f'"{shown(text)}" is not a number', NUMBER_FIX, NOT_A_NUMBER)
    return _unless_float_noise(Decimal(s.replace(",", "."))), percent


def _unless_float_noise(number: Decimal) -> Decimal:
    """A number written with 16 or 17 significant digits that is exactly how a binary float is written
    (its shortest round-trip text, as Python, pandas, R and JavaScript write it) is read as that float
    is read, at :data:`FLOAT_DIGITS`: ``56.99999999999999`` is ``0.57 * 100`` written out, so 57, and
    a CSV written from a DataFrame labels as the DataFrame bands. Any other text is read with all its digits."""
    if not FLOAT_DIGITS < len(number.as_tuple().digits) <= 17:
        return number
    binary = float(number)
    return Decimal(format(binary, f".{FLOAT_DIGITS}g")) if Decimal(repr(binary)) == number else number


def is_missing_value(value: object) -> bool:
    """True for what :func:`to_number` reads as missing: None, NaN (float, NumPy or
    Decimal), ``pandas.NA``, ``pandas.NaT`` and the missing-marker strings."""
    if isinstance(value, str):
        return is_missing(value)
    if value is None or _is_pandas_missing(value):
        return True
    if isinstance(value, float):
        return value != value
    if isinstance(value, Decimal):
        return value.is_nan()
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.floating) and bool(value != value)


def _is_pandas_missing(value: object) -> bool:
    pandas = sys.modules.get("pandas")
    return pandas is not None and (value is getattr(pandas, "NA", None) or value is getattr(pandas, "NaT", None))


def to_number(value: object) -> tuple[Decimal, bool] | None:
    """Like :func:`parse_number`, but also take the values a Python caller holds; None if missing.

    - ``str``: read as :func:`parse_number` reads it; the missing markers give None.
    - ``int`` and NumPy integers: exactly. ``Decimal``: as it is (all its digits).
    - ``float`` (and ``numpy.float64``): at :data:`FLOAT_DIGITS` (15) significant digits,
      so ``0.57 * 100`` is 57 and never lands below a bound at 57; pass strings or
      Decimals to keep more digits. ``numpy.float32`` at 6 and ``numpy.float16`` at 3
      significant digits (their decimal precision, ``numpy.finfo(t).precision``): every
      number of that many digits comes back as it was typed before it was stored.
    - missing (None): ``None``, float/NumPy/Decimal NaN, ``pandas.NA``, ``pandas.NaT``.
    - infinite floats and Decimals: a ValueProblem (not a number).
    - anything else, ``bool`` and ``numpy.bool_`` included: :class:`ValueTypeError`.
    """
    if isinstance(value, str):
        return None if is_missing(value) else parse_number(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise _type_problem(value)
    if isinstance(value, int):
        return Decimal(value), False
    if isinstance(value, float):
        return _float(value, value, FLOAT_DIGITS)
    if isinstance(value, Decimal):
        if value.is_nan():
            return None
        if value.is_infinite():
            raise ValueProblem(f'"{value}" is not a number', _FINITE_FIX, NOT_A_NUMBER)
        return value, False
    if _is_pandas_missing(value):
        return None
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.floating):
        return _float(value, float(value), min(int(numpy.finfo(type(value)).precision), FLOAT_DIGITS))
    if isinstance(value, numbers.Integral):  # NumPy integers (numpy.bool_ is not Integral)
        return Decimal(int(value)), False
    raise _type_problem(value)


def _float(value: object, number: float, digits: int) -> tuple[Decimal, bool] | None:
    if number != number:
        return None
    if number in _INFINITIES:
        raise ValueProblem(f'"{visible(str(value))}" is not a number', _FINITE_FIX, NOT_A_NUMBER)
    return Decimal(format(number, f".{digits}g")), False


def _type_problem(value: object) -> ValueTypeError:
    """The problem of a value whose type holds no number: names the type, says what to pass."""
    cls = type(value)
    package = cls.__module__.partition(".")[0]
    name = cls.__name__ if package == "builtins" else f"{package}.{cls.__name__}"
    try:
        shown = repr(value)
    except Exception:  # a broken __repr__ must not hide the problem
        shown = f"<{cls.__name__} object>"
    if len(shown) > 40:
        shown = shown[:37] + "..."
    fix = _TYPE_FIX
    if isinstance(value, (bytes, bytearray)):
        fix += "; decode bytes to a str first"
    elif isinstance(value, bool) or name.endswith(".bool") or name.endswith(".bool_"):
        fix += "; a bool is not a score"
    return ValueTypeError(f"{visible(shown)} is of type {visible(name)}, not a number", fix)
