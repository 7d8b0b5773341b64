"""Classifying into a composite band set: the mean or sum of its inputs, or (with a gate) one
input banded on the band table the gate's criteria choose."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from rightsband.model.classification import Classification
from rightsband.model.exact import EXACT, SHOWN, exact_quotient
from rightsband.values import INPUTS, NO_BAND, OFF_STEP, OUTSIDE_SCALE, ValueProblem, ValueTypeError, is_missing_value

if TYPE_CHECKING:
    from rightsband.model.bandset import BandSet


def read_inputs(band_set: BandSet, raw: object) -> dict[str, Decimal] | None:
    """Every input of a composite set read on its own scale; None if any is missing.

    If any input is bad, the whole is a ValueProblem naming each bad input (a
    ValueTypeError if any is of a type that holds no number)."""
    if not isinstance(raw, Mapping):
        if is_missing_value(raw):
            return None
        if isinstance(raw, str):  # text, as the command line has it
            raise ValueProblem(f"{band_set.id} combines {band_set.input_names()}: give them as "
                               f"{band_set.input_example()}", kind=INPUTS)
        raise ValueTypeError(f"{band_set.id} combines {band_set.input_names()}: give them as a mapping such as "
                             f"{band_set.input_example_mapping()}, not a {type(raw).__name__}")
    if len(raw) != len(band_set.inputs) or any(item.name not in raw for item in band_set.inputs):
        # input names are distinct, so with all of them there is nothing else
        raise ValueProblem(f"{band_set.id} combines {band_set.input_names()}: give them as "
                           f"{band_set.input_example()}", kind=INPUTS)
    values: dict[str, Decimal] = {}
    problems: list[tuple[str, ValueProblem]] = []
    for item in band_set.inputs:
        try:
            value = item.read(raw[item.name])
        except ValueProblem as problem:
            problems.append((item.name, problem))
            continue
        if value is not None:
            values[item.name] = value
    if problems:
        kind = ValueTypeError if any(isinstance(p, ValueTypeError) for _, p in problems) else ValueProblem
        raise kind("; and ".join(f"{name}: {problem}" for name, problem in problems), kind=problems[0][1].kind)
    return values if len(values) == len(band_set.inputs) else None


def classify_gated(band_set: BandSet, raw: object, year: int | None) -> Classification | None:
    """Judge the gate on the inputs, then band its value input on the table the gate chose."""
    gate = band_set.gate
    assert gate is not None
    values = read_inputs(band_set, raw)
    if values is None:
        return None
    outcome = gate.judge(values)
    value = values[gate.value]
    if not band_set.scale.contains(value):
        raise ValueProblem(f"{gate.value} = {value} is outside the {band_set.id} scale ({band_set.describe_scale()})",
                           f"give a value from {band_set.scale.min} to {band_set.scale.max}", OUTSIDE_SCALE)
    return band_set.decide(value, str(value), year, outcome)


def classify_combined(band_set: BandSet, raw: object, year: int | None) -> Classification | None:
    """The mean or sum of the inputs, banded exactly (also when it has no finite decimal expansion)."""
    read = read_inputs(band_set, raw)
    if read is None:
        return None
    values = list(read.values())
    total = values[0]
    for value in values[1:]:
        total = EXACT.add(total, value)
    count = len(values) if band_set.combine == "mean" else 1
    mean = exact_quotient(total, count)
    if mean is not None:
        if not band_set.scale.contains(mean):
            raise ValueProblem(*_combined_off_scale(band_set, mean, mean))
        return band_set.decide(mean, str(mean), year)
    # No finite decimal expansion: never equal to a bound or on a step, so compare
    # total against count × bound, exactly.
    shown = SHOWN.divide(total, count)
    scale = band_set.scale
    if scale.step is not None or not EXACT.multiply(scale.min, count) < total < EXACT.multiply(scale.max, count):
        raise ValueProblem(*_combined_off_scale(band_set, shown, None))
    for position, band in enumerate(band_set.bands, start=1):
        if EXACT.multiply(band.lower, count) < total < EXACT.multiply(band.upper, count):
            return Classification(band_set, shown, band, position, year)
    raise ValueProblem(f"the {band_set.combine} {shown} (rounded) falls in no band of {band_set.id}",
                       "run `rightsband check` on its rules file", NO_BAND)


def _combined_off_scale(band_set: BandSet, shown: Decimal, exact: Decimal | None) -> tuple[str, str, str]:
    what = f"the {band_set.combine} {shown}" + (" (rounded)" if exact is None else "")
    scale = band_set.scale
    inside = exact is not None and scale.min <= exact <= scale.max
    if inside or (exact is None and scale.min < shown < scale.max):
        return f"{what} is not a valid value of the {band_set.id} scale ({band_set.describe_scale()})", "", OFF_STEP
    return f"{what} is outside the {band_set.id} scale ({band_set.describe_scale()})", "", OUTSIDE_SCALE
