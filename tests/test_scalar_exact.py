"""Exactness for any number of digits: the band chosen equals the band found with exact rationals.

Decimal arithmetic rounds to its context's precision (28 digits by default); nothing that
decides a band may. The reference here is ``fractions.Fraction``, which never rounds.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import set_toml
from rightsband import ValueProblem, load_rules
from rightsband.model import Band, BandSet, Input, Scale
from rightsband.model import exact_quotient as _exact_quotient
from rightsband.values import parse_number

EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
RULES = load_rules()
PLAIN = [s for s in RULES if not s.is_composite and s.label_only is None]
COMPOSITE = [s for s in RULES if s.is_composite and s.gate is None]


def half_up(value: Fraction, places: int) -> Fraction:
    """``value`` rounded half away from zero to ``places`` decimal places, in fractions (independent of Decimal)."""
    scaled = abs(value) * 10**places
    whole = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    return Fraction(whole if value >= 0 else -whole, 10**places)


def reference(band_set: BandSet, value: Fraction) -> str | None:
    """The label of the band holding ``value`` (on the set's scale), or None if it is not a valid value
    (or, where ties are ambiguous, exactly on a cut)."""
    scale = band_set.scale
    if not Fraction(scale.min) <= value <= Fraction(scale.max):
        return None
    if scale.step is not None and ((value - Fraction(scale.min)) / Fraction(scale.step)).denominator != 1:
        return None
    if band_set.rounding is not None:
        value = half_up(value, band_set.rounding)
    if band_set.distance_from is not None:
        value = abs(Fraction(band_set.distance_from) - value)
    holding = []
    for band in band_set.bands:
        lower, upper = Fraction(band.lower), Fraction(band.upper)
        above = lower < value or (band.lower_closed and value == lower)
        below = value < upper or (band.upper_closed and value == upper)
        if above and below:
            holding.append(band)
    assert len(holding) == 1, f"{value} in {len(holding)} bands of {band_set.id}"
    if band_set.ties == "ambiguous":
        on_bound = [b for b in band_set.bands if value in (Fraction(b.lower), Fraction(b.upper))]
        if len(on_bound) > 1:
            return None
    return holding[0].label


def outcome(band_set: BandSet, raw: object) -> str | None:
    try:
        result = band_set.classify(raw)
    except ValueProblem:
        return None
    assert result is not None
    return result.label


def bounds(band_set: BandSet) -> list[Decimal]:
    scale = band_set.scale
    points = {*(b.lower for b in band_set.bands), *(b.upper for b in band_set.bands)}
    if band_set.distance_from is not None:  # a two-sided set: its cuts on both sides of the centre
        centre = band_set.distance_from
        points = {p for d in points for p in (centre - d, centre + d) if scale.min <= p <= scale.max}
    return sorted({scale.min, scale.max, *points})


@st.composite
def near(draw: st.DrawFn, bound: Decimal, max_digits: int = 60) -> Decimal:
    """A decimal within a hair of ``bound``, of up to ``max_digits`` significant digits."""
    places = draw(st.integers(min_value=0, max_value=max_digits - 4))
    offset = draw(st.integers(min_value=-(10 ** draw(st.integers(0, 3))), max_value=10 ** draw(st.integers(0, 3))))
    return EXACT.add(bound, Decimal(offset).scaleb(-places, EXACT))


def as_read(number: Decimal) -> Decimal:
    """What text of this number reads as: every digit, unless it is a binary float's shortest text of
    16 or 17 significant digits (float noise such as 56.99999999999999), read at 15 digits as the float is."""
    if 15 < len(number.as_tuple().digits) <= 17 and Decimal(repr(float(number))) == number:
        return Decimal(format(float(number), ".15g"))
    return number


@st.composite
def set_and_text(draw: st.DrawFn) -> tuple[BandSet, str, Fraction]:
    band_set = draw(st.sampled_from(PLAIN))
    bound = draw(st.sampled_from(bounds(band_set)))
    as_percent = band_set.published_as_fraction and draw(st.booleans())
    if band_set.published_as_fraction and not as_percent:
        number = draw(near(bound.scaleb(-2, EXACT)))
        text, value = format(number, "f"), Fraction(as_read(number)) * 100
    else:
        number = draw(near(bound))
        text, value = format(number, "f"), Fraction(as_read(number))
        if as_percent or (band_set.unit == "percent" and draw(st.booleans())):
            text += "%"
    if draw(st.booleans()):
        text = text.replace(".", ",")
    return band_set, text, value


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(set_and_text())
def test_every_bound_of_every_builtin_set_is_exact(case):
    band_set, text, value = case
    # the one text not read with all its digits: a binary float's shortest text (16-17 digits), read as the float is
    assume(parse_number(text)[0] == Decimal(text.rstrip("%").replace(",", ".")))
    assert len(text.strip("-%").replace(",", "").replace(".", "").lstrip("0")) <= 60
    assert outcome(band_set, text) == reference(band_set, value), (band_set.id, text)


@settings(max_examples=300)
@given(set_and_text())
def test_decimals_are_as_exact_as_their_text(case):
    band_set, text, _ = case
    if text.endswith("%") or "," in text or as_read(Decimal(text)) != Decimal(text):
        return  # a Decimal keeps every digit, even those of float noise
    assert outcome(band_set, Decimal(text)) == outcome(band_set, text)


@pytest.mark.parametrize(("set_id", "text", "label"), [
    ("gender-gap", "0.79999999999999999999999999999", "Somewhat unequal rights"),
    ("gender-gap", "0.7999999999999999999999999999999999999999999999999999999999", "Somewhat unequal rights"),
    ("gender-gap", "0.80000000000000000000000000000", "Almost equal rights"),
    ("gender-gap", "0.69999999999999999999999999999999", "Very unequal rights"),
    ("kidsrights", "0.599999999999999999999999999999", "Slightly vulnerable"),
    ("rsf", "14.99999999999999999999999999999999", "Largely free, diverse and independent"),
    ("rsf-2013", "15.000000000000000000000000000000001", "Satisfactory"),
    ("rsf-2013", "15", "Good"),
])
def test_many_digits_near_a_bound(set_id, text, label):
    assert RULES.get(set_id).classify(text).label == label


def test_the_fraction_is_scaled_exactly():
    gender_gap = RULES.get("gender-gap")
    text = "0." + "7" * 80
    assert gender_gap.read(text) == Decimal("77." + "7" * 78)
    assert gender_gap.read("0.5") == Decimal(50)
    assert gender_gap.read("0") == 0 and gender_gap.read("1") == 100


# Composite sets: the built-in ones on every combination of their inputs' valid values.

@pytest.mark.parametrize("band_set", COMPOSITE, ids=lambda s: s.id)
def test_builtin_composites_on_every_input(band_set):
    grids = [range(int(i.set.scale.min) - 1, int(i.set.scale.max) + 2) for i in band_set.inputs]
    first, second = band_set.inputs
    for a in grids[0]:
        for b in grids[1]:
            values = []
            for item, raw in ((first, a), (second, b)):
                try:
                    number = item.set.read(raw)
                except ValueProblem:
                    break
                values.append(Fraction(number if item.take == "value" else item.set.band_for(number)[1].value))
            else:
                combined = sum(values, Fraction(0)) / (len(values) if band_set.combine == "mean" else 1)
                assert outcome(band_set, {first.name: a, second.name: b}) == reference(band_set, combined)
                continue
            with pytest.raises(ValueProblem):
                band_set.classify({first.name: a, second.name: b})


# A user composite of three inputs: means without a finite decimal expansion (1/3, 2/3).

THIRDS = "\n".join([
    set_toml("x", bands=[("all", 0, 100)], direction="higher-is-better"),
    set_toml("mean3", bands=[("high", "33.333333333333333333333333333333333", 100),
                             ("middle", "10.5", "33.333333333333333333333333333333333"), ("low", 0, "10.5")],
             direction="higher-is-better",
             extra='inputs = [{ name = "a", set = "x" }, { name = "b", set = "x" }, { name = "c", set = "x" }]\n'
                   'combine = "mean"\n'),
    set_toml("sum3", bands=[("high", "200.00000000000000000000000000000000001", 300),
                            ("low", 0, "200.00000000000000000000000000000000001")],
             scale="min = 0, max = 300", direction="higher-is-better",
             extra='inputs = [{ name = "a", set = "x" }, { name = "b", set = "x" }, { name = "c", set = "x" }]\n'
                   'combine = "sum"\n'),
    set_toml("mean3step", bands=[("high", 50, 100), ("low", 0, 50)], scale="min = 0, max = 100, step = 0.5",
             direction="higher-is-better",
             extra='inputs = [{ name = "a", set = "x" }, { name = "b", set = "x" }, { name = "c", set = "x" }]\n'
                   'combine = "mean"\n'),
])


@pytest.fixture(scope="module")
def thirds(tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / "thirds.toml"
    path.write_text(THIRDS, encoding="utf-8")
    return load_rules(path)


@st.composite
def three_values(draw: st.DrawFn) -> tuple[Decimal, Decimal, Decimal]:
    """Three values in 0–100 whose mean or sum lies within a hair of a bound of the sets above."""
    target = draw(st.sampled_from([Decimal("100"), Decimal("31.5"), Decimal("100.000000000000000000000000000000000001"),
                                   Decimal("200.00000000000000000000000000000000001"), Decimal(150), Decimal(0),
                                   Decimal(300), Decimal("150.5")]))
    a = draw(near(min(max(EXACT.divide_int(target, 3), Decimal(0)), Decimal(100)), max_digits=60))
    b = draw(near(min(max(EXACT.divide_int(target, 3), Decimal(0)), Decimal(100)), max_digits=60))
    c = EXACT.subtract(EXACT.subtract(target, a), b)
    c = draw(near(c, max_digits=60)) if draw(st.booleans()) else c
    return a, b, c


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(three_values())
def test_three_input_means_and_sums_are_exact(thirds, values):
    x = thirds.get("x")
    values = tuple(map(as_read, values))  # the text of float noise reads as the float
    raw = {name: format(value, "f") for name, value in zip("abc", values)}
    inputs_valid = all(reference(x, Fraction(v)) is not None for v in values)
    total = sum(map(Fraction, values), Fraction(0))
    for set_id, combined in (("mean3", total / 3), ("sum3", total), ("mean3step", total / 3)):
        band_set = thirds.get(set_id)
        expected = reference(band_set, combined) if inputs_valid else None
        assert outcome(band_set, raw) == expected, (set_id, raw)
        if expected is not None:
            result = band_set.classify(raw)
            if combined.denominator % 3:  # a finite decimal: reported exactly
                assert Fraction(result.value) == combined
            else:
                assert abs(Fraction(result.value) - combined) <= abs(combined) / 10**27


def test_a_mean_of_thirds_is_shown_rounded_and_banded_exactly(thirds):
    mean3 = thirds.get("mean3")
    result = mean3.classify({"a": 100, "b": 0, "c": 0})  # 33.333... (repeating) > the bound 33.3...3 (35 threes)
    assert result.label == "high"
    assert result.value == Decimal("33.33333333333333333333333333")
    assert mean3.classify({"a": 10, "b": 10, "c": "11.5"}).label == "middle"  # 31.5 / 3 = 10.5 exactly
    assert mean3.classify({"a": 10, "b": 10, "c": "11.5"}).value == Decimal("10.5")
    assert mean3.classify({"a": 10, "b": 10, "c": 11}).label == "low"  # 10.333...
    with pytest.raises(ValueProblem, match=r"the mean 0\.3333333333333333333333333333 \(rounded\) is not a valid value "
                                           r"of the mean3step scale"):
        thirds.get("mean3step").classify({"a": 1, "b": 0, "c": 0})
    assert thirds.get("mean3step").classify({"a": 1, "b": "0.5", "c": 0}).value == Decimal("0.5")


def test_combined_off_scale_messages(write_rules):
    text = "\n".join([
        set_toml("x", bands=[("all", 0, 100)], direction="higher-is-better"),
        set_toml("narrow", bands=[("all", 10, 20)], scale="min = 10, max = 20", direction="higher-is-better",
                 extra='inputs = [{ name = "a", set = "x" }, { name = "b", set = "x" }, { name = "c", set = "x" }]\n'
                       'combine = "mean"\n'),
        set_toml("stepped", bands=[("all", 0, 100)], scale="min = 0, max = 100, step = 2",
                 direction="higher-is-better",
                 extra='inputs = [{ name = "a", set = "x" }, { name = "b", set = "x" }]\ncombine = "mean"\n'),
    ])
    rules = load_rules(write_rules(text))
    with pytest.raises(ValueProblem, match=r"^the mean 3 is outside the narrow scale \(10–20, 20 best\)$"):
        rules.get("narrow").classify({"a": 3, "b": 3, "c": 3})
    with pytest.raises(ValueProblem, match=r"^the mean 3\.333333333333333333333333333 \(rounded\) is outside"):
        rules.get("narrow").classify({"a": 3, "b": 3, "c": 4})
    with pytest.raises(ValueProblem, match=r"^the mean 3 is not a valid value of the stepped scale"):
        rules.get("stepped").classify({"a": 3, "b": 3})
    assert rules.get("stepped").classify({"a": 3, "b": 5}).value == 4


def test_a_composite_whose_bands_leave_a_hole_says_so():
    x = BandSet("x", "X", "P", "c", Scale(Decimal(0), Decimal(10)), "score", "higher-is-better",
                (Band("all", Decimal(0), Decimal(10), upper_closed=True),))
    holed = BandSet("h", "H", "P", "c", Scale(Decimal(0), Decimal(10)), "score", "higher-is-better",
                    (Band("top", Decimal(5), Decimal(10), upper_closed=True), Band("bottom", Decimal(0), Decimal(4))),
                    inputs=(Input("a", x), Input("b", x), Input("c", x)), combine="mean")
    with pytest.raises(ValueProblem, match=r"the mean 4\.3333333333333333333333333+ \(rounded\) falls in no band of h"):
        holed.classify({"a": 4, "b": 4, "c": 5})
    with pytest.raises(ValueProblem, match=r"4\.5 falls in no band of h; run `rightsband check`"):
        holed.classify({"a": 4, "b": 4, "c": "5.5"})


# The helpers on their own.

@given(st.decimals(min_value=-10**30, max_value=10**30, allow_nan=False, allow_infinity=False)
       | st.integers(-10**70, 10**70).map(Decimal) | st.decimals(places=70, min_value=-1, max_value=1),
       st.integers(min_value=1, max_value=1000))
def test_exact_quotient_is_exact_or_none(total, count):
    quotient = _exact_quotient(total, count)
    exact = Fraction(total) / count
    if quotient is None:  # the denominator has a prime factor other than 2 and 5
        rest = exact.denominator
        for prime in (2, 5):
            while rest % prime == 0:
                rest //= prime
        assert rest != 1
    else:
        assert Fraction(quotient) == exact
        with decimal.localcontext(EXACT) as context:
            context.traps[decimal.Inexact] = True
            if total.adjusted() > -100:
                assert str(quotient) == str(total / count)  # the same exponent as Decimal division


def test_exact_quotient_of_huge_numbers():
    total = Decimal("3" * 6000 + ".5")  # beyond Python's int-to-str digit limit
    assert Fraction(_exact_quotient(total, 2)) == Fraction(total) / 2
    assert _exact_quotient(Decimal("-0"), 4).is_signed()
    assert _exact_quotient(Decimal("-7"), 7) == -1
    long = Decimal("12345678901234567890" * 8 + ".5")  # 161 digits: past the fast division's 100
    with decimal.localcontext(EXACT):
        assert str(_exact_quotient(long, 8)) == str(long / 8)
        assert str(_exact_quotient(long * 10, 5)) == str(long * 10 / 5)
        assert str(_exact_quotient(long * 3, 3)) == str(long * 3 / 3)
    for count in (3, 7, 11, 12, 13):
        quotient, exact = _exact_quotient(long, count), Fraction(long) / count
        assert Fraction(quotient) == exact if quotient is not None else exact.denominator % 3 == 0 or (
            exact.denominator % 7 == 0 or exact.denominator % 11 == 0 or exact.denominator % 13 == 0)
    assert _exact_quotient(long, 3) is None  # its digits sum to 725


@given(st.integers(-10**40, 10**40), st.integers(0, 80), st.integers(1, 10**40), st.integers(0, 80))
def test_has_value_in_is_exact(lower_digits, lower_places, width, step_places):
    step = Decimal(1).scaleb(-step_places)
    lower = Decimal(lower_digits).scaleb(-lower_places)
    upper = EXACT.add(lower, Decimal(width).scaleb(-lower_places))
    scale = Scale(Decimal(-(10**41)), Decimal(10**41), step)
    band = Band("b", lower, upper, lower_closed=False, upper_closed=False)
    lo, hi, s = Fraction(lower), Fraction(upper), Fraction(step)
    first = (lo / s).__floor__() + 1  # the first step strictly above lower
    assert scale.has_value_in(band) == (first * s < hi)
