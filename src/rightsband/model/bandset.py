"""Band sets and what classifying into them gives: a named, sourced set of bands over one
scale (or combining other sets' values), its groups of editions, and classifications."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from decimal import Decimal

from rightsband.model.exact import EXACT, SHOWN, exact_quotient, times_100
from rightsband.model.parts import LOWER, Band, Scale, YearError, Years, _Record
from rightsband.values import (
    INPUTS,
    NO_BAND,
    OFF_STEP,
    OUTSIDE_SCALE,
    PERCENT_SIGN,
    ValueProblem,
    ValueTypeError,
    is_missing_value,
    shown,
    to_number,
)

#: What a band set reads: str, int, float, Decimal, NumPy scalars, or a missing value
#: (None, NaN, pandas.NA); other types raise ValueTypeError at run time, so any object may be passed.
RawValue = object


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
            value = times_100(number)
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

    def cut_points(self) -> tuple[Decimal, ...] | None:
        """The numbers, as read from one plain input (before a fraction is scaled to percent), at which
        this set's outcome can change: the scale's ends and every band bound, sorted.

        Every number strictly between two consecutive cut points, and every number equal to
        one, has the outcome of any other such number, so a float array can be classified
        by bisection with one :meth:`classify` per interval (:mod:`rightsband.engine`).
        None where that does not hold: a composite set, a stepped scale (or any rule under
        which the outcome is not decided by comparisons with fixed numbers).
        """
        if self.inputs or self.scale.step is not None:
            return None
        points = {self.scale.min, self.scale.max, *(b.lower for b in self.bands), *(b.upper for b in self.bands)}
        if self.published_as_fraction:  # read as a 0–1 fraction, then moved two places
            points = {Decimal(0), Decimal(1), *(EXACT.scaleb(p, -2) for p in points)}
        return tuple(sorted(points))

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
            total = EXACT.add(total, value)
        count = len(values) if self.combine == "mean" else 1
        mean = exact_quotient(total, count)
        if mean is not None:
            if not self.scale.contains(mean):
                raise ValueProblem(*self._combined_off_scale(mean, mean))
            position, band = self.band_for(mean)
            return Classification(self, mean, band, position, year)
        # No finite decimal expansion: never equal to a bound or on a step, so compare
        # total against count × bound, exactly.
        shown = SHOWN.divide(total, count)
        scale = self.scale
        if scale.step is not None or not EXACT.multiply(scale.min, count) < total < EXACT.multiply(scale.max, count):
            raise ValueProblem(*self._combined_off_scale(shown, None))
        for position, band in enumerate(self.bands, start=1):
            if EXACT.multiply(band.lower, count) < total < EXACT.multiply(band.upper, count):
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
        return shown(str(raw))
    except ValueError:  # an int past Python's limit on digits to print
        return f"<{type(raw).__name__} too long to print>"
