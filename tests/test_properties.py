"""Properties of every built-in band set: one band per valid value, and better never bands worse."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from rightsband import ValueProblem, load_rules
from rightsband.model import AMBIGUOUS_TIE, LOWER, Band, Scale, round_half_up

RULES = load_rules()
PLAIN = [s for s in RULES if not s.is_composite and s.label_only is None]


def banded(band_set, value: Decimal) -> Decimal:
    """The number the bands are on: the value rounded where the set rounds, its distance from the centre
    of a two-sided set."""
    if band_set.rounding is not None:
        value = round_half_up(value, band_set.rounding)
    if band_set.distance_from is not None:
        value = abs(band_set.distance_from - value)
    return value


@st.composite
def on_scale(draw, band_set):
    """A valid value of the set's scale (on a step where the scale has one)."""
    scale = band_set.scale
    if scale.step is not None:
        steps = int((scale.max - scale.min) / scale.step)
        return scale.min + draw(st.integers(0, steps)) * scale.step
    return draw(st.decimals(min_value=scale.min, max_value=scale.max, places=4))


@st.composite
def set_and_values(draw, count):
    band_set = draw(st.sampled_from(PLAIN))
    return band_set, [draw(on_scale(band_set)) for _ in range(count)]


@given(set_and_values(1))
def test_each_valid_value_gets_exactly_one_band(case):
    band_set, (value,) = case
    number = banded(band_set, value)
    holding = [band for band in band_set.bands if number in band]
    assert len(holding) == 1
    try:
        result = band_set.classify(format(value, "f") + ("%" if band_set.published_as_fraction else ""))
    except ValueProblem as problem:  # a tie where ties are ambiguous: exactly on a bound two bands share
        assert problem.kind == AMBIGUOUS_TIE and band_set.ties == "ambiguous"
        assert sum(number in (band.lower, band.upper) for band in band_set.bands) == 2
        return
    assert result.band == holding[0]


@given(set_and_values(2))
def test_a_better_value_never_gets_a_worse_band(case):
    band_set, (a, b) = case
    a, b = banded(band_set, a), banded(band_set, b)
    lower_is_better = band_set.direction == LOWER or band_set.distance_from is not None
    better, worse = (min(a, b), max(a, b)) if lower_is_better else (max(a, b), min(a, b))
    assert band_set.band_for(better)[0] <= band_set.band_for(worse)[0]


@given(st.integers(1, 7), st.integers(1, 7), st.integers(1, 7), st.integers(1, 7))
def test_composite_is_monotone_in_each_input(pr, cl, pr2, cl2):
    status = RULES.get("fh-status")
    if pr <= pr2 and cl <= cl2:  # at least as free on both ratings
        first = status.classify({"pr": str(pr), "cl": str(cl)})
        second = status.classify({"pr": str(pr2), "cl": str(cl2)})
        assert first.position <= second.position


def test_the_scale_ends_are_inside_a_band():
    for band_set in PLAIN:
        for end in (band_set.scale.min, band_set.scale.max):
            assert band_set.band_for(banded(band_set, Decimal(end)))


@given(st.decimals(min_value=-2, max_value=9, places=3), st.booleans(),
       st.decimals(min_value=-2, max_value=9, places=3), st.booleans())
def test_a_stepped_scale_finds_a_value_in_an_interval_exactly_when_one_exists(lower, lower_closed, upper, upper_closed):
    scale = Scale(Decimal(1), Decimal(7), Decimal("0.5"))
    points = [Decimal(1) + k * Decimal("0.5") for k in range(13)]
    inside = [p for p in points
              if (lower < p or (lower_closed and p == lower)) and (p < upper or (upper_closed and p == upper))]
    assert scale.has_value_in(Band("", lower, upper, lower_closed, upper_closed)) == bool(inside)
