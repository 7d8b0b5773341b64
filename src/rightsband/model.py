"""The band model: scales, bands with explicit bound sides, band sets and results.

Every number here is a Decimal read exactly from the rules file or the input, so
comparisons are exact: no binary-float arithmetic decides which side of a bound a
value falls on.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from typing import Any

from rightsband.values import ValueProblem, is_missing, to_number

HIGHER = "higher-is-better"
LOWER = "lower-is-better"
COMBINE_RULES = ("mean", "sum")

RawValue = str | int | float | Decimal
#: Subtraction and integer division are exact in this context, whatever the number of digits.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


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
        return type(other) is type(self) and self._fields() == other._fields()  # type: ignore[attr-defined]

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
        lower, lower_closed, upper, upper_closed = interval.lower, interval.lower_closed, interval.upper, interval.upper_closed
        if lower < self.min:
            lower, lower_closed = self.min, True
        if upper > self.max:
            upper, upper_closed = self.max, True
        if self.step is not None:
            steps, rest = _EXACT.divmod(_EXACT.subtract(lower, self.min), self.step)
            first = _EXACT.add(self.min, _EXACT.multiply(steps + (rest > 0), self.step))
            lower, lower_closed = (first + self.step, True) if first == lower and not lower_closed else (first, True)
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

    def read(self, raw: RawValue) -> Decimal:
        """The number this input contributes to the composite."""
        value = self.set.read(raw)
        return value if self.take == "value" else self.set.band_for(value)[1].value  # type: ignore[return-value]


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
    """The outcome of classifying one value: the band it falls in and where that band stands."""

    __slots__ = ("set", "value", "band", "position")

    def __init__(self, set: BandSet, value: Decimal, band: Band, position: int):
        self.set, self.value, self.band = set, value, band
        self.position = position  # 1 = the best band

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

    def read(self, raw: RawValue) -> Decimal:
        """Turn one input value into a number on this set's scale, or raise ValueProblem.

        A ``%`` sign is accepted where the set is in percent or its scale is 0–100
        (a percent and a score are then the same number). In a set the publisher
        prints as a 0–1 fraction, a bare number is that fraction.
        """
        try:
            number, percent = to_number(raw)
        except ValueProblem as problem:
            raise ValueProblem(
                f"{problem} ({self.id}: {self.describe_scale()}); type a number such as 53.46 or 53,46, "
                "without thousands separators"
            ) from None
        if percent:
            if self.unit != "percent" and (self.scale.min, self.scale.max) != (0, 100):
                raise ValueProblem(
                    f'"{raw}" has a percent sign, but {self.id} is a {self.unit} ({self.describe_scale()}); '
                    "type the value without %"
                )
            value = number
        elif self.published_as_fraction:
            if not 0 <= number <= 1:
                hint = f'; for a percent, type "{raw}%"' if 1 < number <= 100 else ""
                raise ValueProblem(f'"{raw}" is outside 0–1, the fraction scale {self.id} is published on{hint}')
            value = number.scaleb(2)  # exact: moves the decimal point
        else:
            value = number
        if not self.scale.contains(value):
            raise ValueProblem(self._off_scale(raw, value))
        return value

    def _off_scale(self, raw: RawValue, value: Decimal) -> str:
        if self.scale.min <= value <= self.scale.max:
            return f'"{raw}" is not a valid {self.id} {self.unit} ({self.describe_scale()})'
        return f'"{raw}" is outside the {self.id} scale ({self.describe_scale()}); give a value from {self.scale.min} to {self.scale.max}'

    def band_for(self, value: Decimal) -> tuple[int, Band]:
        """The position (1 = best) and band holding a value already on this scale."""
        for position, band in enumerate(self.bands, start=1):
            if value in band:
                return position, band
        raise ValueProblem(f"{value} falls in no band of {self.id}; run `rightsband check` on its rules file")

    def classify(self, raw: RawValue | Mapping[str, RawValue]) -> Classification | None:
        """Classify one value (for a composite set, a mapping of input name to value).

        Returns None for a missing value (empty, NA, n/a, .., -) and raises
        ValueProblem for one that is not a number or not on the scale.
        """
        if self.is_composite:
            if not isinstance(raw, Mapping):
                raise ValueProblem(f"{self.id} combines {self.input_names()}: give them as {self.input_example()}")
            value = self._combine(raw)
            if value is None:
                return None
        else:
            if isinstance(raw, str) and is_missing(raw):
                return None
            value = self.read(raw)
        position, band = self.band_for(value)
        return Classification(self, value, band, position)

    def _combine(self, raw: Mapping[str, RawValue]) -> Decimal | None:
        names = [i.name for i in self.inputs]
        unknown = [k for k in raw if k not in names]
        absent = [n for n in names if n not in raw]
        if unknown or absent:
            raise ValueProblem(f"{self.id} combines {self.input_names()}: give them as {self.input_example()}")
        values = []
        for item in self.inputs:
            text = raw[item.name]
            if isinstance(text, str) and is_missing(text):
                return None
            try:
                values.append(item.read(text))
            except ValueProblem as problem:
                raise ValueProblem(f"{item.name}: {problem}") from None
        total = sum(values, Decimal(0))
        combined = total / len(values) if self.combine == "mean" else total
        if not self.scale.contains(combined):
            raise ValueProblem(f"the {self.combine} {combined} is outside the {self.id} scale ({self.describe_scale()})")
        return combined

    def input_names(self) -> str:
        return " and ".join(i.name for i in self.inputs)

    def input_example(self) -> str:
        return " ".join(f"{i.name}={i.set.scale.min}" for i in self.inputs)
