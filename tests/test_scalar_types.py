"""The scalar API takes what Python code holds: numbers, NumPy and pandas scalars, missing values."""

from __future__ import annotations

import pickle
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rightsband import ValueProblem
from rightsband.values import FLOAT_DIGITS, ValueTypeError, is_missing_value, to_number

MISSING = [None, float("nan"), -float("nan"), np.nan, np.float64("nan"), np.float32("nan"), np.float16("nan"),
           Decimal("NaN"), Decimal("-NaN"), Decimal("sNaN"), pd.NA, pd.NaT, "", "NA", " n/a ", "..", "-"]


@pytest.mark.parametrize("value", MISSING, ids=repr)
def test_missing_values_are_none_everywhere(rules, value):
    assert to_number(value) is None
    assert is_missing_value(value)
    for set_id in ("rsf", "gender-gap", "fh-pr", "fh-pr-score"):
        assert rules.get(set_id).classify(value) is None
        assert rules.get(set_id).read(value) is None


@pytest.mark.parametrize("value", MISSING, ids=repr)
def test_a_missing_input_makes_a_composite_missing(rules, value):
    assert rules.get("fh-status").classify({"pr": value, "cl": 3}) is None
    assert rules.get("fh-status").classify({"pr": 3, "cl": value}) is None
    assert rules.get("fh-status-scores").classify({"pr": value, "cl": 30}) is None


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, "NA"], ids=repr)
def test_a_missing_whole_composite_is_none(rules, value):
    assert rules.get("fh-status").classify(value) is None


@pytest.mark.parametrize("value", [0, 5.5, "5", Decimal(1), np.int64(3), [], object()], ids=repr)
def test_not_missing(value):
    assert not is_missing_value(value)


@pytest.mark.parametrize(("value", "expected"), [
    (np.int64(53), Decimal(53)), (np.int32(-4), Decimal(-4)), (np.uint8(255), Decimal(255)),
    (np.int8(-128), Decimal(-128)), (np.uint64(2**64 - 1), Decimal(2**64 - 1)), (10**40 + 1, Decimal(10**40 + 1)),
    (np.float64(53.46), Decimal("53.46")), (np.float64(0.57) * 100, Decimal(57)),
    (np.float32(53.46), Decimal("53.46")), (np.float32(0.1), Decimal("0.1")), (np.float32(14.99), Decimal("14.99")),
    (np.float16(15), Decimal(15)), (np.float16(0.1), Decimal("0.1")), (np.float16(53.46), Decimal("53.5")),
    (np.longdouble("7.75"), Decimal("7.75")),
    (Decimal("53.4600000000000000000000000000001"), Decimal("53.4600000000000000000000000000001")),
    (0.1 + 0.2, Decimal("0.3")), (-0.0, Decimal(0)),
], ids=repr)
def test_numbers_python_holds(value, expected):
    number, percent = to_number(value)
    assert number == expected and not percent
    assert type(number) is Decimal


def test_float_digits_per_type():
    # float and float64: 15 significant digits; float32: 6; float16: 3.
    assert to_number(1 / 3)[0] == Decimal("0." + "3" * FLOAT_DIGITS)
    assert to_number(np.float64(1 / 3))[0] == Decimal("0." + "3" * FLOAT_DIGITS)
    assert to_number(np.float32(1 / 3))[0] == Decimal("0.333333")
    assert to_number(np.float16(1 / 3))[0] == Decimal("0.333")


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_a_float32_score_comes_back_as_typed(score):
    # Scores of up to six significant digits survive being stored as float32.
    assert to_number(np.float32(str(score)))[0] == score


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_numpy_and_pandas_scores_classify_as_their_text(rules, score):
    for set_id in ("rsf", "ti", "hrmi-cpr"):
        band_set = rules.get(set_id)
        try:
            expected = band_set.classify(str(score))
        except ValueProblem:
            continue
        for array in (np.array([str(score)], dtype=np.float64), np.array([str(score)], dtype=np.float32)):
            assert band_set.classify(array[0]) == expected
        assert band_set.classify(pd.Series([float(score)]).iloc[0]) == expected


REFUSED = [True, False, np.bool_(True), np.False_, [1], (1,), {"a": 1}, {1}, b"53", bytearray(b"5"), 1j,
           np.complex128(1), object(), Fraction(1, 2), np.datetime64("2015"), np.array([1.0]), type]


@pytest.mark.parametrize("value", REFUSED, ids=repr)
def test_other_types_are_refused_as_type_errors(rules, value):
    with pytest.raises(ValueTypeError) as error:
        rules.get("rsf").classify(value)
    assert isinstance(error.value, TypeError) and isinstance(error.value, ValueProblem)
    message = str(error.value)
    assert "is of type " in message and ", not a number (rsf: 0–100, 0 best)" in message
    assert "pass a str, int, float or Decimal" in message
    with pytest.raises(TypeError):
        to_number(value)


@pytest.mark.parametrize(("value", "type_name"), [
    (True, "bool"), (np.True_, "numpy.bool"), ([1], "list"), (b"53", "bytes"), (1j, "complex"),
    (Fraction(1, 2), "fractions.Fraction"), (np.complex64(1), "numpy.complex64"), ({}, "dict"),
])
def test_the_message_names_the_type(value, type_name):
    with pytest.raises(ValueTypeError, match=f"is of type {type_name}, not a number"):
        to_number(value)


def test_bool_and_bytes_get_a_word_of_advice():
    with pytest.raises(ValueTypeError, match="a bool is not a score"):
        to_number(True)
    with pytest.raises(ValueTypeError, match="decode bytes to a str first"):
        to_number(b"53")


def test_a_long_or_broken_repr_is_cut_short():
    class Broken:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    with pytest.raises(ValueTypeError, match=r"<.*Broken object> is of type "):
        to_number(Broken())
    with pytest.raises(ValueTypeError) as error:
        to_number(list(range(100)))
    assert "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11..." in str(error.value)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), np.float32("inf"), np.float64("-inf"),
                                   Decimal("Infinity"), Decimal("-Infinity")], ids=repr)
def test_infinities_are_not_numbers(rules, value):
    with pytest.raises(ValueProblem, match="is not a number") as error:
        rules.get("rsf").classify(value)
    assert not isinstance(error.value, TypeError)


def test_composite_inputs_follow_the_same_rules(rules):
    fh = rules.get("fh-status")
    assert fh.classify({"pr": np.int64(6), "cl": np.float32(5)}).label == "Not Free"
    assert fh.classify({"pr": Decimal(2), "cl": 3.0}).label == "Free"
    with pytest.raises(ValueTypeError, match=r"cl: True is of type bool"):
        fh.classify({"pr": 2, "cl": True})
    with pytest.raises(ValueTypeError, match=r'give them as a mapping such as \{"pr": 1, "cl": 1\}, not a tuple'):
        fh.classify((6, 5))
    with pytest.raises(ValueProblem, match="give them as pr=1 cl=1"):
        fh.classify("6 5")


def test_problems_pickle_with_their_parts():
    for problem in (ValueProblem("what", "fix"), ValueTypeError("x is of type y", "pass z"), ValueProblem("only")):
        copy = pickle.loads(pickle.dumps(problem))
        assert type(copy) is type(problem)
        assert (str(copy), copy.what, copy.fix) == (str(problem), problem.what, problem.fix)
    assert str(ValueProblem("what", "fix")) == "what; fix"


def test_a_look_up_imports_neither_numpy_nor_pandas():
    code = ("import sys, rightsband; s = rightsband.load_rules().get('rsf'); "
            "s.classify(5.0); s.classify(None); s.classify(float('nan')); "
            "assert not {'numpy', 'pandas', 'rich'} & set(sys.modules), sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)
    refused = "import rightsband.values as v\ntry: v.to_number([1])\nexcept TypeError: pass\nimport sys\n" \
              "assert 'numpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", refused], check=True)


@pytest.mark.parametrize(("set_id", "raw", "kind"), [
    ("rsf", "abc", "not-a-number"), ("rsf", float("inf"), "not-a-number"),
    ("rsf", Decimal("-Infinity"), "not-a-number"),
    ("rsf", "٥٣", "non-ascii-digits"), ("rsf", [1], "type"), ("rsf", True, "type"), ("fh-pr", "3%", "percent-sign"),
    ("rsf", "101", "outside-scale"), ("gender-gap", "72.1", "outside-scale"), ("fh-pr", "2.5", "off-step"),
    ("fh-status", "6 5", "composite-inputs"), ("fh-status", {"pr": 6}, "composite-inputs"),
    ("fh-status", (6, 5), "type"),
    ("fh-status", {"pr": "NA", "cl": "abc"}, "not-a-number"), ("fh-status", {"pr": "9", "cl": [1]}, "outside-scale"),
])
def test_each_problem_has_a_kind(rules, set_id, raw, kind):
    with pytest.raises(ValueProblem) as error:
        rules.get(set_id).classify(raw)
    assert error.value.kind == kind
    assert pickle.loads(pickle.dumps(error.value)).kind == kind


def test_a_problem_made_elsewhere_is_of_kind_value():
    assert ValueProblem("something").kind == "value"
    assert ValueTypeError("x").kind == "type"


def test_an_int_too_long_to_print_is_still_a_value_problem(rules):
    with pytest.raises(ValueProblem, match=r'^"<int too long to print>" is outside the rsf scale'):
        rules.get("rsf").classify(10**5000)
    with pytest.raises(ValueProblem, match=r'^"<int too long to print>" is outside 0–1'):
        rules.get("gender-gap").classify(10**5000)
    assert rules.get("rsf").classify(Decimal(10) ** -5000).label == "Largely free, diverse and independent"
