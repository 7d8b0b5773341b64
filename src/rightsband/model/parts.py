"""The parts of the band model: scales, bands with explicit bound sides, edition years.

Every number here is a Decimal read exactly from the rules file or the input, so
comparisons are exact: no binary-float arithmetic decides which side of a bound a
value falls on.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rightsband.model.exact import EXACT

HIGHER = "higher-is-better"
LOWER = "lower-is-better"
COMBINE_RULES = ("mean", "sum")


class YearError(LookupError):
    """No single band set applies to this year (or a group was named without one); the message says which does."""


class _Record:
    """Plain value objects: equality and repr over ``__slots__``.

    Hand-written instead of dataclasses, which cost milliseconds to create at
    import, on the path of every single look-up.
    """

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({args})"


class Scale(_Record):
    """The closed range ``[min, max]`` of valid values, optionally only every ``step``."""

    __slots__ = ("min", "max", "step")

    def __init__(self, min: Decimal, max: Decimal, step: Decimal | None = None):
        self.min, self.max, self.step = min, max, step

    def contains(self, value: Decimal) -> bool:
        """True if ``value`` is a valid value of this scale (inside it and on a step)."""
        if not self.min <= value <= self.max:
            return False
        return self.step is None or EXACT.remainder(EXACT.subtract(value, self.min), self.step) == 0

    def has_value_in(self, interval: Band) -> bool:
        """True if some valid value of the scale lies in the interval (a band, or a gap between bands)."""
        lower, lower_closed = interval.lower, interval.lower_closed
        upper, upper_closed = interval.upper, interval.upper_closed
        if lower < self.min:
            lower, lower_closed = self.min, True
        if upper > self.max:
            upper, upper_closed = self.max, True
        if self.step is not None:
            steps, rest = EXACT.divmod(EXACT.subtract(lower, self.min), self.step)
            first = EXACT.add(self.min, EXACT.multiply(EXACT.add(steps, int(rest > 0)), self.step))
            if first == lower and not lower_closed:
                first = EXACT.add(first, self.step)
            lower, lower_closed = first, True
        return lower < upper or (lower == upper and lower_closed and upper_closed)

    def __str__(self) -> str:
        text = f"{self.min}–{self.max}"
        return f"{text} in steps of {self.step}" if self.step is not None else text


class Band(_Record):
    """One labelled interval; ``lower_closed``/``upper_closed`` say which side each bound is on.

    ``either`` names the other bands a value here could belong to, when the publisher
    decided such values case by case (the band is then an undetermined outcome);
    ``value`` is the number the band stands for when a composite set takes it as input
    (e.g. the 1–7 rating of a range of Freedom House scores).
    ``aliases`` are the publisher's other spellings and codes of this band (``Very High``,
    ``F``, a singular wording, ``1``), matched case-insensitively against published labels;
    ``cells`` are texts a publisher prints in place of a score to mean this band (``<5``);
    ``table`` names the band table of a gated set the band belongs to ("" otherwise).
    """

    __slots__ = ("label", "lower", "upper", "lower_closed", "upper_closed", "either", "value", "aliases", "cells",
                 "table")

    def __init__(self, label: str, lower: Decimal, upper: Decimal, lower_closed: bool = True,
                 upper_closed: bool = False, either: tuple[str, ...] = (), value: Decimal | None = None,
                 aliases: tuple[str, ...] = (), cells: tuple[str, ...] = (), table: str = ""):
        self.label, self.lower, self.upper = label, lower, upper
        self.lower_closed, self.upper_closed = lower_closed, upper_closed
        self.either, self.value = either, value
        self.aliases, self.cells, self.table = aliases, cells, table

    @property
    def names(self) -> tuple[str, ...]:
        """The label and its aliases: every spelling a publisher gives this band."""
        return (self.label, *self.aliases)

    def __contains__(self, value: Decimal) -> bool:
        above = self.lower < value or (self.lower_closed and value == self.lower)
        below = value < self.upper or (self.upper_closed and value == self.upper)
        return above and below

    @property
    def interval(self) -> str:
        """The band in interval notation, e.g. ``[15, 25)``."""
        left = "[" if self.lower_closed else "("
        right = "]" if self.upper_closed else ")"
        return f"{left}{self.lower}, {self.upper}{right}"


class Years(_Record):
    """The edition years a band set applies to; ``last`` is None while it still applies."""

    __slots__ = ("first", "last")

    def __init__(self, first: int, last: int | None = None):
        self.first, self.last = first, last

    def __str__(self) -> str:
        return f"{self.first}–{self.last}" if self.last is not None else f"{self.first} onward"

    def covers(self, year: int) -> bool:
        return self.first <= year and (self.last is None or year <= self.last)

    def overlaps(self, other: Years) -> bool:
        return (self.last is None or other.first <= self.last) and (other.last is None or self.first <= other.last)
