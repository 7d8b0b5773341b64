"""The band model: scales, bands with explicit bound sides, band sets and results.

Every number here is a Decimal read exactly from the rules file or the input, so
comparisons are exact: no binary-float arithmetic decides which side of a bound a
value falls on.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow
from typing import Any

from rightsband.values import (
    INPUTS,
    NO_BAND,
    OFF_STEP,
    OUTSIDE_SCALE,
    PERCENT_SIGN,
    ValueProblem,
    ValueTypeError,
    is_missing_value,
    to_number,
    visible,
)

HIGHER = "higher-is-better"
LOWER = "lower-is-better"
COMBINE_RULES = ("mean", "sum")

#: What a band set reads: str, int, float, Decimal, NumPy scalars, or a missing value
#: (None, NaN, pandas.NA); other types raise ValueTypeError at run time, so any object may be passed.
RawValue = object
#: Addition, subtraction, multiplication, scaleb and integer division are exact in this
#: context, whatever the number of digits. (Never divide in it: an inexact quotient would
#: need MAX_PREC digits.)
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
#: Division that signals any rounding (Inexact): a quotient it returns is exact.
_DIVIDE = Context(prec=100, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact])
#: Only for showing a mean that has no finite decimal expansion (never to decide a band).
_SHOWN = Context(prec=28)


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
        return self.step is None or _EXACT.remainder(_EXACT.subtract(value, self.min), self.step) == 0

    def has_value_in(self, interval: Band) -> bool:
        """True if some valid value of the scale lies in the interval (a band, or a gap between bands)."""
        lower, lower_closed = interval.lower, interval.lower_closed
        upper, upper_closed = interval.upper, interval.upper_closed
        if lower < self.min:
            lower, lower_closed = self.min, True
        if upper > self.max:
            upper, upper_closed = self.max, True
        if self.step is not None:
            steps, rest = _EXACT.divmod(_EXACT.subtract(lower, self.min), self.step)
            first = _EXACT.add(self.min, _EXACT.multiply(_EXACT.add(steps, int(rest > 0)), self.step))
            if first == lower and not lower_closed:
                first = _EXACT.add(first, self.step)
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
    """

    __slots__ = ("label", "lower", "upper", "lower_closed", "upper_closed", "either", "value")

    def __init__(self, label: str, lower: Decimal, upper: Decimal, lower_closed: bool = True,
                 upper_closed: bool = False, either: tuple[str, ...] = (), value: Decimal | None = None):
        self.label, self.lower, self.upper = label, lower, upper
        self.lower_closed, self.upper_closed = lower_closed, upper_closed
        self.either, self.value = either, value

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


class Input(_Record):
    """A named input of a composite band set: a value of another band set, or (``take="band"``)
    the ``value`` of the band that value falls in."""

    __slots__ = ("name", "set", "take")

    def __init__(self, name: str, set: BandSet, take: str = "value"):
        self.name, self.set, self.take = name, set, take

    def read(self, raw: RawValue) -> Decimal | None:
        """The number this input contributes to the composite; None for a missing value."""
        value = self.set.read(raw)
        if value is None or self.take == "value":
            return value
        return self.set.band_for(value)[1].value


class Group(_Record):
    """Editions of one classification that apply to different years (e.g. RSF's map categories
    before and after its 2022 methodology); a year picks one."""

    __slots__ = ("id", "name", "editions", "notes")

    def __init__(self, id: str, name: str, editions: tuple[BandSet, ...], notes: str = ""):
        self.id, self.name, self.editions, self.notes = id, name, editions, notes

    def describe_editions(self) -> str:
        """The editions with their years, e.g. ``rsf-2013 (2013–2021), rsf-2022 (2022 onward)``."""
        return ", ".join(f"{e.id} ({e.years})" for e in self.editions)


class Classification(_Record):
    """The outcome of classifying one value: the band it falls in and where that band stands.

    ``value`` is the number on the set's scale: exact, except for the mean of a composite
    set that has no finite decimal expansion (e.g. 5/3 for three inputs), which is shown
    rounded to 28 significant digits (the band was chosen from the exact mean).
    ``year`` is the year it was classified for (``classify(..., year=)``), or None.
    """

    __slots__ = ("set", "value", "band", "position", "year")

    def __init__(self, set: BandSet, value: Decimal, band: Band, position: int, year: int | None = None):
        self.set, self.value, self.band = set, value, band
        self.position = position  # 1 = the best band
        self.year = year

    @property
    def undetermined(self) -> bool:
        """True if the publisher decided values in this band case by case (see ``Band.either``)."""
        return bool(self.band.either)

    @property
    def set_id(self) -> str:
        return self.set.id

    @property
    def label(self) -> str:
        return self.band.label

    @property
    def lower(self) -> Decimal:
        return self.band.lower

    @property
    def upper(self) -> Decimal:
        return self.band.upper


class BandSet(_Record):
    """A named, sourced set of bands over one scale, listed best band first.

    A composite set (``inputs`` non-empty) bands the ``combine`` of its inputs'
    values, each read and checked on its own set's scale first.
    """

    __slots__ = ("id", "name", "publisher", "citation", "scale", "unit", "direction", "bands", "url", "aliases",
                 "years", "notes", "published_as_fraction", "inputs", "combine", "origin", "publisher_classes")

    def __init__(self, id: str, name: str, publisher: str, citation: str, scale: Scale, unit: str, direction: str,
                 bands: tuple[Band, ...], url: str = "", aliases: tuple[str, ...] = (), years: Years | None = None,
                 notes: str = "", published_as_fraction: bool = False, inputs: tuple[Input, ...] = (),
                 combine: str | None = None, origin: str = "house", publisher_classes: tuple[str, ...] | None = None):
        self.id, self.name, self.publisher, self.citation, self.url = id, name, publisher, citation, url
        self.scale, self.unit, self.direction, self.bands = scale, unit, direction, bands
        self.aliases, self.years, self.notes = aliases, years, notes
        self.published_as_fraction, self.inputs, self.combine = published_as_fraction, inputs, combine
        self.origin = origin  # "publisher": the publisher's own classes; "house": someone else's bands
        # For house bands: the ids of sets with the publisher's own classes, () if it publishes none, None if unsaid.
        self.publisher_classes = publisher_classes

    def with_inputs(self, inputs: tuple[Input, ...]) -> BandSet:
        """A copy of this set reading the given inputs."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        return BandSet(**{**fields, "inputs": inputs})

    @property
    def names(self) -> tuple[str, ...]:
        """The id and the aliases: every name this set answers to."""
        return (self.id, *self.aliases)

    @property
    def is_composite(self) -> bool:
        return bool(self.inputs)

    @property
    def best(self) -> str:
        """The scale end that is best, e.g. ``0`` for a lower-is-better set."""
        return str(self.scale.min if self.direction == LOWER else self.scale.max)

    def describe_scale(self) -> str:
        """The scale in words, e.g. ``0–100, 0 best``."""
        return f"{self.scale}, {self.best} best"

    def read(self, raw: RawValue) -> Decimal | None:
        """Turn one input value into a number on this set's scale; None for a missing value.

        Raises ValueProblem for a value that is not a number or not on the scale, and
        ValueTypeError (a ValueProblem and a TypeError) for a type that holds no number;
        see :func:`rightsband.values.to_number` for the Python types read. A ``%`` sign
        is accepted where the set is in percent or its scale is 0–100 (a percent and a
        score are then the same number). In a set the publisher prints as a 0–1
        fraction, a bare number is that fraction.
        """
        try:
            read = to_number(raw)
        except ValueProblem as problem:
            kind = ValueTypeError if isinstance(problem, ValueTypeError) else ValueProblem
            raise kind(f"{problem.what} ({self.id}: {self.describe_scale()})", problem.fix, problem.kind) from None
        if read is None:
            return None
        number, percent = read
        if percent:
            if self.unit != "percent" and (self.scale.min != 0 or self.scale.max != 100):
                raise ValueProblem(
                    f'{_quoted(raw)} has a percent sign, but {self.id} is a {self.unit} ({self.describe_scale()})',
                    "type the value without %", PERCENT_SIGN,
                )
            value = number
        elif self.published_as_fraction:
            if not 0 <= number <= 1:
                hint = f'for a percent, type "{_shown(raw)}%"' if 1 < number <= 100 else ""
                raise ValueProblem(f"{_quoted(raw)} is outside 0–1, the fraction scale {self.id} is published on", hint,
                                   OUTSIDE_SCALE)
            value = _times_100(number)
        else:
            value = number
        if not self.scale.contains(value):
            raise ValueProblem(*self._off_scale(raw, value))
        return value

    def _off_scale(self, raw: RawValue, value: Decimal) -> tuple[str, str, str]:
        if self.scale.min <= value <= self.scale.max:
            return f"{_quoted(raw)} is not a valid {self.id} {self.unit} ({self.describe_scale()})", "", OFF_STEP
        return (f"{_quoted(raw)} is outside the {self.id} scale ({self.describe_scale()})",
                f"give a value from {self.scale.min} to {self.scale.max}", OUTSIDE_SCALE)

    def band_for(self, value: Decimal) -> tuple[int, Band]:
        """The position (1 = best) and band holding a value already on this scale."""
        for position, band in enumerate(self.bands, start=1):
            if value in band:
                return position, band
        raise ValueProblem(f"{value} falls in no band of {self.id}", "run `rightsband check` on its rules file",
                           NO_BAND)

    def classify(self, raw: RawValue | Mapping[str, RawValue], *, year: int | None = None) -> Classification | None:
        """Classify one value (for a composite set, a mapping of input name to value).

        Returns None for a missing value (empty, NA, n/a, .., -, None, NaN, pandas.NA)
        and raises ValueProblem for one that is not a number or not on the scale
        (ValueTypeError, also a TypeError, for a type that holds no number). A composite
        reads every input: if any is bad the whole is a ValueProblem naming it, else
        if any is missing the whole is missing.

        With ``year``, a set whose ``years`` do not cover it raises YearError
        (``Rules.for_year`` finds the edition that does); the year is kept in the
        Classification.
        """
        if year is not None:
            year = self._check_year(year)
        if self.inputs:
            return self._classify_combined(raw, year)
        value = self.read(raw)
        if value is None:
            return None
        position, band = self.band_for(value)
        return Classification(self, value, band, position, year)

    def _check_year(self, year: int) -> int:
        try:
            year = operator.index(year)
        except TypeError:
            raise TypeError(f"year must be an int, not {type(year).__name__}") from None
        if self.years is not None and not self.years.covers(year):
            raise YearError(f"{self.id} covers {self.years}, not {year}; Rules.for_year({self.id!r}, {year}) finds "
                            f"the edition that covers {year}, if there is one")
        return year

    def _classify_combined(self, raw: object, year: int | None) -> Classification | None:
        if not isinstance(raw, Mapping):
            if is_missing_value(raw):
                return None
            if isinstance(raw, str):  # text, as the command line has it
                raise ValueProblem(f"{self.id} combines {self.input_names()}: give them as {self.input_example()}",
                                   kind=INPUTS)
            raise ValueTypeError(f"{self.id} combines {self.input_names()}: give them as a mapping such as "
                                 f"{self.input_example_mapping()}, not a {type(raw).__name__}")
        if len(raw) != len(self.inputs):  # input names are distinct, so with all of them there is nothing else
            raise ValueProblem(f"{self.id} combines {self.input_names()}: give them as {self.input_example()}",
                               kind=INPUTS)
        values: list[Decimal] = []
        problems: list[tuple[str, ValueProblem]] = []
        for item in self.inputs:
            if item.name not in raw:
                raise ValueProblem(f"{self.id} combines {self.input_names()}: give them as {self.input_example()}",
                                   kind=INPUTS)
            try:
                value = item.read(raw[item.name])
            except ValueProblem as problem:
                problems.append((item.name, problem))
                continue
            if value is not None:
                values.append(value)
        if problems:
            kind = ValueTypeError if any(isinstance(p, ValueTypeError) for _, p in problems) else ValueProblem
            raise kind("; and ".join(f"{name}: {problem}" for name, problem in problems), kind=problems[0][1].kind)
        if len(values) < len(self.inputs):
            return None
        total = values[0]
        for value in values[1:]:
            total = _EXACT.add(total, value)
        count = len(values) if self.combine == "mean" else 1
        mean = _exact_quotient(total, count)
        if mean is not None:
            if not self.scale.contains(mean):
                raise ValueProblem(*self._combined_off_scale(mean, mean))
            position, band = self.band_for(mean)
            return Classification(self, mean, band, position, year)
        # No finite decimal expansion: never equal to a bound or on a step, so compare
        # total against count × bound, exactly.
        shown = _SHOWN.divide(total, count)
        scale = self.scale
        if scale.step is not None or not _EXACT.multiply(scale.min, count) < total < _EXACT.multiply(scale.max, count):
            raise ValueProblem(*self._combined_off_scale(shown, None))
        for position, band in enumerate(self.bands, start=1):
            if _EXACT.multiply(band.lower, count) < total < _EXACT.multiply(band.upper, count):
                return Classification(self, shown, band, position, year)
        raise ValueProblem(f"the {self.combine} {shown} (rounded) falls in no band of {self.id}",
                           "run `rightsband check` on its rules file", NO_BAND)

    def _combined_off_scale(self, shown: Decimal, exact: Decimal | None) -> tuple[str, str, str]:
        what = f"the {self.combine} {shown}" + (" (rounded)" if exact is None else "")
        inside = exact is not None and self.scale.min <= exact <= self.scale.max
        if inside or (exact is None and self.scale.min < shown < self.scale.max):
            return f"{what} is not a valid value of the {self.id} scale ({self.describe_scale()})", "", OFF_STEP
        return f"{what} is outside the {self.id} scale ({self.describe_scale()})", "", OUTSIDE_SCALE

    def input_names(self) -> str:
        return " and ".join(i.name for i in self.inputs)

    def input_example(self) -> str:
        return " ".join(f"{i.name}={i.set.scale.min}" for i in self.inputs)

    def input_example_mapping(self) -> str:
        return "{" + ", ".join(f'"{i.name}": {i.set.scale.min}' for i in self.inputs) + "}"


def _quoted(raw: object) -> str:
    """A user's value in double quotes, with control characters escaped."""
    return f'"{_shown(raw)}"'


def _shown(raw: object) -> str:
    try:
        return visible(str(raw))
    except ValueError:  # an int past Python's limit on digits to print
        return f"<{type(raw).__name__} too long to print>"


def _times_100(number: Decimal) -> Decimal:
    """``number`` × 100, exactly: the decimal point moved (``Decimal.scaleb`` rounds to the context)."""
    sign, digits, exponent = number.as_tuple()
    return Decimal((sign, digits, int(exponent) + 2))


def _exact_quotient(total: Decimal, count: int) -> Decimal | None:
    """``total / count`` exactly, or None if it has no finite decimal expansion.

    As Decimal division does when the quotient is exact, trailing zeros are dropped
    down to the dividend's exponent (``10 / 2`` is ``5``, ``11 / 2`` is ``5.5``).
    """
    if count == 1:
        return total
    try:
        return _DIVIDE.divide(total, count)  # the usual case: few digits, and exact
    except Inexact:  # no finite expansion, or more than 100 digits: decide with integers
        pass
    exponent = int(total.as_tuple().exponent)
    coefficient = int(_EXACT.scaleb(total, -exponent))  # signed; no str round trip (int digit limits)
    twos = fives = 0
    rest = count
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if abs(coefficient) % rest:
        return None
    shift = max(twos, fives)
    coefficient = coefficient // rest * (10**shift // (2**twos * 5**fives))
    quotient_exponent = exponent - shift
    while quotient_exponent < exponent and coefficient % 10 == 0:
        coefficient, quotient_exponent = coefficient // 10, quotient_exponent + 1
    quotient = _EXACT.scaleb(Decimal(coefficient), quotient_exponent)
    return quotient.copy_negate() if total.is_signed() and not quotient.is_signed() else quotient
