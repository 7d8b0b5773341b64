"""Band sets and what classifying into them gives: a named, sourced set of bands over one
scale (or combining other sets' values), its groups of editions, and classifications."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from rightsband.model.classification import Classification
from rightsband.model.constructs import AMBIGUOUS_TIE, LABEL_ONLY, GateOutcome, cell_key, distance, round_half_up
from rightsband.model.exact import EXACT, times_100
from rightsband.model.lookup import BandIndex
from rightsband.model.parts import LOWER, Band, Scale, YearError, Years, _Record
from rightsband.values import (
    NO_BAND,
    OFF_STEP,
    OUTSIDE_SCALE,
    PERCENT_SIGN,
    YEAR_FIX,
    ValueProblem,
    ValueTypeError,
    is_missing_value,
    shown,
    to_number,
    years_named,
)

if TYPE_CHECKING:
    from rightsband.model.constructs import Gate

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
        return self.set.decide(value, str(value), None).band.value


class Group(_Record):
    """Editions of one classification that apply to different years (e.g. RSF's map categories
    before and after its 2022 methodology); a year picks one."""

    __slots__ = ("id", "name", "editions", "notes", "topic")

    def __init__(self, id: str, name: str, editions: tuple[BandSet, ...], notes: str = "", topic: str = ""):
        self.id, self.name, self.editions, self.notes = id, name, editions, notes
        self.topic = topic  # what the classification is about ("Press and expression"), for search and the catalogue

    def describe_editions(self) -> str:
        """The editions with their years, e.g. ``rsf-2013 (2013–2021), rsf-2022 (2022 onward)``."""
        return ", ".join(f"{e.id} ({e.years})" for e in self.editions)


class _Indexed(_Record):
    """A record with a look-up index made on first use: not one of its fields, so equality, repr,
    copies and pickles leave it out."""

    __slots__ = ("_index",)
    _index: BandIndex

    def __getstate__(self) -> tuple[None, dict[str, object]]:
        return None, {name: getattr(self, name) for name in self.__slots__}


class BandSet(_Indexed):
    """A named, sourced set of bands over one scale, listed best band first.

    A composite set (``inputs`` non-empty) bands the ``combine`` of its inputs'
    values, each read and checked on its own set's scale first.
    """

    __slots__ = ("id", "name", "publisher", "citation", "scale", "unit", "direction", "bands", "url", "aliases",
                 "years", "notes", "published_as_fraction", "inputs", "combine", "origin", "publisher_classes",
                 "rounding", "distance_from", "ties", "ties_reason", "gate", "label_only", "confidence", "verified",
                 "unconfirmed", "topic", "index_name")

    def __init__(self, id: str, name: str, publisher: str, citation: str, scale: Scale, unit: str, direction: str,
                 bands: tuple[Band, ...], url: str = "", aliases: tuple[str, ...] = (), years: Years | None = None,
                 notes: str = "", published_as_fraction: bool = False, inputs: tuple[Input, ...] = (),
                 combine: str | None = None, origin: str = "house", publisher_classes: tuple[str, ...] | None = None,
                 rounding: int | None = None, distance_from: Decimal | None = None, ties: str = "banded",
                 ties_reason: str = "", gate: Gate | None = None, label_only: str | None = None,
                 confidence: str | None = None, verified: str = "", unconfirmed: str = "", topic: str = "",
                 index_name: str = ""):
        self.id, self.name, self.publisher, self.citation, self.url = id, name, publisher, citation, url
        self.scale, self.unit, self.direction, self.bands = scale, unit, direction, bands
        self.aliases, self.years, self.notes = aliases, years, notes
        self.published_as_fraction, self.inputs, self.combine = published_as_fraction, inputs, combine
        self.origin = origin  # "publisher": the publisher's own classes; "house": someone else's bands
        # For house bands: the ids of sets with the publisher's own classes, () if it publishes none, None if unsaid.
        self.publisher_classes = publisher_classes
        self.rounding = rounding  # decimal places the value is rounded to (half up) before banding
        self.distance_from = distance_from  # two-sided: the band is chosen on |distance_from − value|
        self.ties, self.ties_reason = ties, ties_reason  # "ambiguous": a value exactly on a cut gets no label
        self.gate = gate  # criteria on the inputs that choose the band table
        self.label_only = label_only  # how the publisher assigns its labels, for a set with no score rule
        self.confidence, self.verified, self.unconfirmed = confidence, verified, unconfirmed
        self.topic = topic  # what the index is about ("Press and expression"), for search and the catalogue
        self.index_name = index_name  # the publisher's index it bands ("World Press Freedom Index"), for the docs

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
        """The scale end that is best, e.g. ``0`` for a lower-is-better set (a two-sided set: its centre)."""
        if self.distance_from is not None:
            return str(self.distance_from)
        return str(self.scale.min if self.direction == LOWER else self.scale.max)

    def describe_scale(self) -> str:
        """The scale in words, e.g. ``0–100, 0 best``."""
        if self.label_only is not None:
            return "labels only, no score"
        return f"{self.scale}, {self.best} best"

    def describe_origin(self) -> str:
        """Whose bands these are, in words, naming the publisher's own classes beside house bands."""
        if self.origin == "publisher":
            return f"the publisher's own classes ({self.publisher})"
        text = "house bands, not the publisher's"
        if self.publisher_classes == ():
            return f"{text}; no publisher classes: {self.publisher} publishes no named categories"
        if self.publisher_classes:
            return f"{text}; the publisher's own classes: {', '.join(self.publisher_classes)}"
        return text

    @property
    def banded_scale(self) -> tuple[Decimal, Decimal]:
        """The ends of the numbers the bands are on: the scale's, or for a two-sided set the distances
        from its centre (0 to the farther end)."""
        low, high = self.scale.min, self.scale.max
        if self.distance_from is None:
            return low, high
        return Decimal(0), max(distance(low, self.distance_from), distance(high, self.distance_from))

    @property
    def has_cells(self) -> bool:
        """True if some band may be named by a cell without a score (``<5``)."""
        return self._lookup().has_cells

    def _lookup(self) -> BandIndex:
        try:
            return self._index
        except AttributeError:
            self._index = BandIndex(self.bands)
            return self._index

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
        (Under ``ties = "ambiguous"`` a value equal to a bound is refused: still one outcome
        for that point.) None where that does not hold: a composite or gated set, a stepped
        scale, rounding before banding, a two-sided set, a label-only set, bands named by
        cells without a score (any rule under which the outcome is not decided by comparing
        the value read with fixed numbers).
        """
        if (self.inputs or self.scale.step is not None or self.rounding is not None or self.distance_from is not None
                or self.gate is not None or self.label_only is not None or self.has_cells):
            return None
        points = {self.scale.min, self.scale.max, *(b.lower for b in self.bands), *(b.upper for b in self.bands)}
        if self.published_as_fraction:  # read as a 0–1 fraction, then moved two places
            points = {Decimal(0), Decimal(1), *(EXACT.scaleb(p, -2) for p in points)}
        return tuple(sorted(points))

    def band_for(self, value: Decimal, table: str = "") -> tuple[int, Band]:
        """The position (1 = best) and band holding a number the bands are on (of band table ``table``
        in a gated set)."""
        for position, band in self._lookup().near(value, table):
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
        if any is missing the whole is missing. A value exactly on a cut of a set whose
        ties are ambiguous, and any value of a label-only set, is a ValueProblem too
        (kinds ``ambiguous-tie``, ``label-only``).

        With ``year``, a set whose ``years`` do not cover it raises YearError
        (``Rules.for_year`` finds the edition that does); the year is kept in the
        Classification.
        """
        if year is not None:
            year = self._check_year(year)
        if self.label_only is not None:
            if is_missing_value(raw):
                return None
            raise ValueProblem(f"{self.id} has labels only: {self.label_only}; no label can be derived from "
                               f"{_quoted(raw)}", "check published labels with `rightsband verify`", LABEL_ONLY)
        if self.inputs:
            from rightsband.model.combined import classify_combined, classify_gated

            return (classify_gated if self.gate is not None else classify_combined)(self, raw, year)
        if self.has_cells and isinstance(raw, str):
            found = self._cell(raw)
            if found is not None:
                return found if year is None else Classification(found.set, None, found.band, found.position, year,
                                                                 cell=found.cell)
        value = self.read(raw)
        if value is None:
            return None
        return self.decide(value, _shown(raw), year)

    def _cell(self, raw: str) -> Classification | None:
        key = cell_key(raw)
        for position, band in enumerate(self.bands, start=1):
            if any(cell_key(cell) == key for cell in band.cells):
                return Classification(self, None, band, position, cell=raw.strip())
        return None

    def decide(self, value: Decimal, shown_as: str, year: int | None = None,
               gate: GateOutcome | None = None) -> Classification:
        """Band a number already read onto this set's scale: rounded and turned into a distance where
        the set says so, on the band table a gate chose; refused exactly on a cut where ties are
        ambiguous (``shown_as``: the value as a message quotes it)."""
        banded = value
        if self.rounding is not None:
            banded = round_half_up(banded, self.rounding)
        if self.distance_from is not None:
            banded = distance(banded, self.distance_from)
        table = "" if gate is None else gate.table
        position, band = self.band_for(banded, table)
        if self.ties == "ambiguous":
            self._refuse_tie(banded, (position, band), shown_as, table)
        return Classification(self, value, band, position, year, None if banded is value else banded, gate)

    def _refuse_tie(self, banded: Decimal, holder: tuple[int, Band], shown_as: str, table: str) -> None:
        """A value on a cut is a bound of the band holding it and of another band of the same table."""
        band = holder[1]
        if banded not in (band.lower, band.upper):
            return
        other = next((placed for placed in self._lookup().near(banded, table)
                      if placed[1] is not band and banded in (placed[1].lower, placed[1].upper)), None)
        if other is None:
            return
        (_, first), (_, second) = sorted((holder, other))
        between = f'"{first.label}" {first.interval} and "{second.label}" {second.interval}'
        what = "the distance" if self.distance_from is not None else "rounded" if self.rounding is not None else ""
        at = f" ({what} {banded})" if what and str(banded) != shown_as else ""
        reason = self.ties_reason or "the published score does not decide a value exactly on a cut"
        raise ValueProblem(f'"{shown_as}"{at} is exactly on the {self.id} cut between {between}: {reason}',
                           "no label is given; check the publisher's own label", AMBIGUOUS_TIE)

    def _check_year(self, year: int) -> int:
        try:
            year = operator.index(year)
        except TypeError:
            raise TypeError(f"year must be an int, not {type(year).__name__}") from None
        if not years_named(year):
            raise YearError(f"{year} is not a year; {YEAR_FIX}")
        if self.years is not None and not self.years.covers(year):
            raise YearError(f"{self.id} covers {self.years}, not {year}; Rules.for_year({self.id!r}, {year}) finds "
                            f"the edition that covers {year}, if there is one")
        return year

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
