"""Value parsing and exactness: decimal commas, percents, fractions, floats, missing markers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import set_toml
from rightsband import ValueProblem, is_missing, load_rules, parse_number
from rightsband.values import to_number

decimals = st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False, allow_infinity=False)


@given(decimals, st.sampled_from([".", ","]), st.text(" \t", max_size=2), st.text(" \t", max_size=2))
def test_point_or_comma_and_whitespace_give_the_same_exact_number(number, separator, before, after):
    text = before + format(number, "f").replace(".", separator) + after
    assert parse_number(text) == (number, False)


@given(decimals, st.sampled_from(["%", " %"]))
def test_percent_sign_is_reported_not_applied(number, sign):
    assert parse_number(format(number, "f") + sign) == (number, True)


@pytest.mark.parametrize("text", ["abc", "nan", "NaN", "inf", "-inf", "Infinity", "1,000.5", "1.2.3", "1e3", "5 5",
                                  "%", "", "12a", "0x10", "1_000"])
def test_not_numbers(text):
    with pytest.raises(ValueProblem, match="is not a number"):
        parse_number(text)


def test_unicode_minus_is_a_minus():
    assert parse_number("\u22123") == (Decimal(-3), False)


@pytest.mark.parametrize("text", ["", "  ", "NA", "na", "N/A", "n/a", "..", "-", " - "])
def test_missing_markers(text):
    assert is_missing(text)


@pytest.mark.parametrize("text", ["0", "NAM", "none", "--", "."])
def test_not_missing(text):
    assert not is_missing(text)


def test_floats_from_python_lose_their_binary_noise():
    assert to_number(0.57 * 100) == (Decimal(57), False)
    assert to_number(0.1 + 0.2) == (Decimal("0.3"), False)


@pytest.mark.parametrize("value", [float("inf"), True, [1]])
def test_python_non_numbers(value):
    with pytest.raises(ValueProblem):
        to_number(value)


@pytest.mark.parametrize("value", [float("nan"), None, "NA", " n/a ", Decimal("NaN")])
def test_python_missing_values(value):
    assert to_number(value) is None


def test_float_noise_never_crosses_a_bound(write_rules):
    path = write_rules(set_toml("p", bands=[("high", 57, 100), ("low", 0, 57)], unit="percent",
                                direction="higher-is-better"))
    band_set = load_rules(path).get("p")
    assert 0.57 * 100 < 57  # the noise is real
    assert band_set.classify(0.57 * 100).label == "high"
    assert band_set.classify("57").label == "high"
    assert band_set.classify("56.9999").label == "low"


def test_a_fraction_is_exactly_its_percent(rules):
    gender_gap = rules.get("gender-gap")
    assert gender_gap.read("0.57") == Decimal(57)
    assert gender_gap.classify(0.1 + 0.6).label == "Somewhat unequal rights"  # 0.7 exactly, 70 %


@given(st.decimals(min_value=0, max_value=1, places=4))
def test_fraction_and_percent_forms_agree(fraction):
    rules = load_rules()
    for set_id in ("gender-gap", "kidsrights"):
        band_set = rules.get(set_id)
        as_fraction = band_set.classify(format(fraction, "f"))
        as_percent = band_set.classify(format(fraction * 100, "f") + "%")
        assert as_fraction.band == as_percent.band
        assert as_fraction.value == as_percent.value


@pytest.mark.parametrize(("set_id", "value", "message"), [
    ("gender-gap", "72.1", 'outside 0–1, the fraction scale gender-gap is published on; for a percent, type "72.1%"'),
    ("kidsrights", "-0.1", "outside 0–1"),
    ("rsf", "100.5", "outside the rsf scale (0–100, 0 best); give a value from 0 to 100"),
    ("rsf", "-1", "outside the rsf scale"),
    ("fh-pr", "8", "outside the fh-pr scale (1–7 in steps of 1, 1 best)"),
    ("fh-pr", "2.7", "not a valid fh-pr rating (1–7 in steps of 1, 1 best)"),
    ("fh-pr", "3.00000000000000000000000000001", "not a valid fh-pr rating"),  # beyond 28 digits, still exact
    ("fh-pr", "0", "outside the fh-pr scale"),
    ("fh-pr", "3%", "has a percent sign, but fh-pr is a rating"),
    ("rsf", "abc", '"abc" is not a number (rsf: 0–100, 0 best)'),
    ("ti", "nan", '"nan" is not a number (ti: 0–100, 100 best)'),
    ("ti", "inf", '"inf" is not a number'),
    ("kidsrights", "101%", "outside the kidsrights scale"),
])
def test_bad_values_name_the_value_and_the_scale(rules, set_id, value, message):
    with pytest.raises(ValueProblem) as error:
        rules.get(set_id).classify(value)
    assert message in str(error.value)


@pytest.mark.parametrize("value", ["", "NA", "n/a", "..", "-"])
def test_missing_values_classify_to_none(rules, value):
    assert rules.get("rsf").classify(value) is None
    assert rules.get("fh-status").classify({"pr": value, "cl": "3"}) is None


@pytest.mark.parametrize(("raw", "message"), [
    ({"pr": "6"}, "fh-status combines pr and cl"),
    ({"pr": "6", "cl": "5", "x": "1"}, "fh-status combines pr and cl"),
    ("6", "fh-status combines pr and cl"),
    ({"pr": "8", "cl": "5"}, "pr: \"8\" is outside the fh-pr scale"),
    ({"pr": "6", "cl": "4.5"}, "cl: \"4.5\" is not a valid fh-cl rating"),
])
def test_composite_problems(rules, raw, message):
    with pytest.raises(ValueProblem, match=message):
        rules.get("fh-status").classify(raw)
