"""Checks of single values in a rules file: numbers, years, one-line names and prose.

Each check returns the problem as a message (None when the value is fine), so the
reader reports it at the value's own line. Numbers are limited to 15 integer digits
and 40 decimal places, and a scale to 10^9 steps: far beyond any index's scale,
and small enough that exact arithmetic on bounds and steps (a difference of two
bounds, a count of steps: at most 56 digits) is cheap and cannot overflow a decimal
context, in ``check`` or in ``model.Scale``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from rightsband.rules.findings import line_breaking
from rightsband.values import FIRST_YEAR, LAST_YEAR

#: Every number in a rules file has at most this many digits before the decimal point ...
MAX_INTEGER_DIGITS = 15
_LIMIT = 10**MAX_INTEGER_DIGITS
#: ... and has at most this many decimal places (trailing zeros aside).
MAX_PLACES = 40
NUMBER_RULE = (f"numbers in a rules file must lie between -10^{MAX_INTEGER_DIGITS} and 10^{MAX_INTEGER_DIGITS} "
               f"(exclusive) and have at most {MAX_PLACES} decimal places")
#: A scale with a step has at most this many steps from min to max (a finer one is continuous in all but name).
MAX_STEPS = 10**9


def shown(value: Any, limit: int = 40) -> str:
    """A short, one-line rendering of a value for a message."""
    try:
        text = str(value) if isinstance(value, Decimal) else repr(value)
    except ValueError:  # an int too long for Python to turn into digits
        text = "an integer too long to print"
    except RecursionError:  # arrays or tables nested hundreds of levels deep
        text = "a value nested too deeply to print"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def number(value: Any, what: str) -> tuple[Decimal | None, str | None]:
    """``value`` as an exact Decimal, or the problem with it: not a number (a bool is not one),
    not finite, or outside :data:`NUMBER_RULE`."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None, f"{what} must be a finite number, not {shown(value)}"
    if isinstance(value, int):
        if -_LIMIT < value < _LIMIT:
            return Decimal(value), None
    elif not value.is_finite():
        return None, f"{what} must be a finite number, not {shown(value)}"
    elif value.adjusted() < MAX_INTEGER_DIGITS and _places(value) <= MAX_PLACES:
        return value, None
    return None, f"{what} is {shown(value)}, but {NUMBER_RULE}"


def _places(value: Decimal) -> int:
    """Decimal places of a finite ``value``, trailing zeros not counted (``1.50`` has 1; zero has none)."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent >= -MAX_PLACES:  # the common case: few places as written
        return -exponent
    if not value:
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(-(exponent + trailing), 0)


def year(value: Any, what: str) -> str | None:
    """The problem with ``value`` as a year (an integer from FIRST_YEAR to LAST_YEAR, as every door reads a
    year: :mod:`rightsband.values`; a bool is not one)."""
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
        return f"{what} must be a year from {FIRST_YEAR} to {LAST_YEAR}, not {shown(value)}"
    return None


def name(value: Any, what: str) -> str | None:
    """The problem with ``value`` as an id, alias or label: a non-empty string on one line,
    with no control characters and no spaces at either end (``"Free "`` is not ``"Free"``)."""
    if not isinstance(value, str) or not value.strip():
        return f"{what} must be a non-empty string"
    bad = line_breaking(value)
    if bad is not None:
        return f"{what} {shown(value)} holds U+{ord(bad):04X}; it must be one line without control characters"
    if value != value.strip():
        return f"{what} {shown(value)} starts or ends with white space; remove it"
    return None


def prose(value: Any, what: str, allow_empty: bool = False) -> str | None:
    """The problem with ``value`` as a name or notes: a string (non-empty unless allowed) that may
    hold line breaks and tabs but no other control characters."""
    if not isinstance(value, str) or not (value.strip() or allow_empty):
        return f"{what} must be a non-empty string"
    bad = line_breaking(value.replace("\n", "").replace("\t", ""))
    if bad is not None:
        return f"{what} holds the control character U+{ord(bad):04X}; remove it"
    return None


def reflow(text: str) -> str:
    """Prose as written in TOML, with line breaks inside a paragraph undone (blank lines kept)."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
