"""Composite sets read every input: a bad one is never hidden by a missing one, in any order."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rightsband import ValueProblem, load_rules
from rightsband.values import ValueTypeError

RULES = load_rules()
FH = RULES.get("fh-status")


@pytest.mark.parametrize("missing", ["NA", "", None, float("nan")])
@pytest.mark.parametrize("bad", ["abc", "8", "4.5", "3%"])
def test_one_missing_and_one_bad_is_bad_in_either_order(missing, bad):
    for raw, name in (({"pr": bad, "cl": missing}, "pr"), ({"pr": missing, "cl": bad}, "cl"),
                      ({"cl": missing, "pr": bad}, "pr"), ({"cl": bad, "pr": missing}, "cl")):
        with pytest.raises(ValueProblem) as error:
            FH.classify(raw)
        assert str(error.value).startswith(f"{name}: ")


def test_the_examples_of_the_brief():
    with pytest.raises(ValueProblem, match=r'^pr: "abc" is not a number \(fh-pr: '):
        FH.classify({"pr": "abc", "cl": "NA"})
    with pytest.raises(ValueProblem, match=r'^cl: "abc" is not a number \(fh-cl: '):
        FH.classify({"pr": "NA", "cl": "abc"})


def test_every_bad_input_is_named_in_input_order():
    with pytest.raises(ValueProblem) as error:
        FH.classify({"cl": "x", "pr": "9"})
    assert str(error.value) == (
        'pr: "9" is outside the fh-pr scale (1–7 in steps of 1, 1 best); give a value from 1 to 7; '
        'and cl: "x" is not a number (fh-cl: 1–7 in steps of 1, 1 best); type a number such as 53.46 or 53,46, '
        "without thousands separators")
    assert not isinstance(error.value, TypeError)


def test_a_type_error_in_any_input_makes_the_whole_a_type_error():
    with pytest.raises(ValueTypeError, match=r"^pr: \"x\" is not a number .*; and cl: \[5\] is of type list"):
        FH.classify({"pr": "x", "cl": [5]})
    with pytest.raises(TypeError):
        FH.classify({"pr": "NA", "cl": b"5"})


def test_missing_only_when_nothing_is_bad():
    assert FH.classify({"pr": "NA", "cl": "NA"}) is None
    assert FH.classify({"pr": "NA", "cl": "3"}) is None
    assert FH.classify({"pr": 6, "cl": 5}).label == "Not Free"


def test_missing_take_band_inputs():
    scores = RULES.get("fh-status-scores")
    assert scores.classify({"pr": "NA", "cl": 30}) is None
    with pytest.raises(ValueProblem, match=r"^cl: "):
        scores.classify({"pr": "NA", "cl": 61})
    assert scores.classify({"pr": 36, "cl": 53}).label == "Free"


def test_the_shape_is_checked_first():
    for raw in ({"pr": "NA"}, {"pr": "NA", "cl": "abc", "x": 1}, {}, {"pr": "abc", "x": 1}, {"PR": 1, "cl": 1}):
        with pytest.raises(ValueProblem, match=r"^fh-status combines pr and cl: give them as pr=1 cl=1$"):
            FH.classify(raw)


CELLS = st.sampled_from(["NA", "", "-", None, float("nan"), "abc", "0", "8", "2.5", "1", "4", "7", "6,0", "3%", [1]])


@given(CELLS, CELLS)
def test_order_never_matters(pr, cl):
    def outcome(raw):
        try:
            result = FH.classify(raw)
        except ValueProblem as problem:
            return ("bad", type(problem), sorted(str(problem).split("; and ")))
        return None if result is None else result.label

    outcomes = {repr(outcome(dict(items))) for items in itertools.permutations([("pr", pr), ("cl", cl)])}
    assert len(outcomes) == 1
    bad = any(_is_bad(RULES.get(set_id), cell) for set_id, cell in (("fh-pr", pr), ("fh-cl", cl)))
    missing = any(_is_missing(RULES.get(set_id), cell) for set_id, cell in (("fh-pr", pr), ("fh-cl", cl)))
    result = outcome({"pr": pr, "cl": cl})
    if bad:
        assert isinstance(result, tuple) and result[0] == "bad"
    elif missing:
        assert result is None
    else:
        assert isinstance(result, str)


def _is_bad(band_set, cell):
    try:
        band_set.read(cell)
    except ValueProblem:
        return True
    return False


def _is_missing(band_set, cell):
    try:
        return band_set.read(cell) is None
    except ValueProblem:
        return False
