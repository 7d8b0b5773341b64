"""The engine: every outcome is classify's, floats by bisection exactly at every cut, memory bounded."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rightsband import ValueProblem, engine, load_rules
from rightsband.batch import Mapping, label_csv, labeller
from rightsband.engine import Engine
from rightsband.floats import _float_at, _ordinal, first_float, reading

RULES = load_rules()
WITH_CUTS = [s for s in RULES.sets if s.cut_points() is not None]


def label_of(band_set, value) -> str | None:
    try:
        result = band_set.classify(value)
    except ValueProblem:
        return "bad"
    return None if result is None else result.label


def engine_label(found: Engine, outcome: int) -> str | None:
    return "bad" if outcome == found.bad else found.label(outcome)


@pytest.mark.parametrize("band_set", WITH_CUTS, ids=lambda s: s.id)
def test_each_threshold_is_the_first_float_on_its_side_of_the_cut(band_set):
    for point in band_set.cut_points():
        for closed in (True, False):
            first = first_float(point, closed)
            before = _float_at(_ordinal(first) - 1)
            assert (reading(first) >= point) if closed else (reading(first) > point)
            assert not ((reading(before) >= point) if closed else (reading(before) > point))


@pytest.mark.parametrize("band_set", WITH_CUTS, ids=lambda s: s.id)
def test_floats_around_every_cut_get_classifys_outcome(band_set):
    values = []
    for point in band_set.cut_points():
        middle = float(point)
        for steps in range(-40, 41):
            values.append(_float_at(_ordinal(middle) + steps))
        values += [(middle / 100) * 100, middle * 1.1, middle / 3 * 3, -middle, math.nan, math.inf, -math.inf]
    found = Engine(band_set)
    outcomes = found.floats(np.array(values))
    assert [engine_label(found, o) for o in outcomes] == [label_of(band_set, v) for v in values]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(WITH_CUTS), st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), max_size=50))
def test_any_floats_get_classifys_outcome(band_set, values):
    found = Engine(band_set)
    outcomes = found.floats(np.array(values, dtype=np.float64))
    assert [engine_label(found, o) for o in outcomes] == [label_of(band_set, v) for v in values]


def test_sets_without_cut_points_are_not_bisected():
    assert Engine(RULES.get("fh-pr")).floats(np.array([3.0])) is None
    assert Engine(RULES.get("fh-status")).floats(np.array([3.0])) is None


def test_a_key_is_classified_once_and_its_issue_kept():
    found = Engine(RULES.get("rsf"))
    calls = []
    original = found._classify
    found._classify = lambda raws, token: calls.append(raws) or original(raws, token)
    assert found.values(["101", "101", "53,46", "53,46"]).tolist() == [found.bad, found.bad, 4, 4]
    assert [raws for raws in calls if isinstance(raws[0], str)] == [("101",), ("53,46",)]  # the rest: cut points
    assert found.issue(("101",)).message.startswith('"101" is outside the rsf scale')
    with pytest.raises(ValueError, match="is not a bad key"):
        found.issue(("53,46",))


def test_true_and_one_are_different_keys():
    found = Engine(RULES.get("rsf"))
    assert found.values([1, True, 1.0]).tolist() == [0, found.bad, 0]


def test_years_pick_editions_once_each():
    group = RULES.group("rsf-map")
    found = Engine(group.editions[0], choose=lambda year: RULES.for_year("rsf-map", year), index="rsf-map",
                   labels=[b.label for b in group.editions[0].bands])
    assert found.edition("2015") == found.edition(2015) == found.edition(2015.0) == 0
    assert found.edition("2023") == 1 and [e.id for e in found.editions] == ["rsf-2013", "rsf-2022"]
    assert found.edition("2011-12") == "2011-12" and found.edition(None) == ""
    assert found.outcome(("20",), "2011-12") == found.bad
    assert found.outcome(("NA",), "2011-12") == found.missing  # an empty record loses no label to the year


def test_memory_stays_bounded_however_many_distinct_values(monkeypatch):
    monkeypatch.setattr(engine, "REMEMBERED", 100)
    monkeypatch.setattr(labeller, "REMEMBERED", 100)
    found = Engine(RULES.get("rsf"))
    values = [f"{n / 1000:.3f}" for n in range(5000)]
    assert found.values(values).tolist() == [found.values([v])[0] for v in values]
    assert len(found._outcomes) <= 100
    text = "score\n" + "".join(f"{v}\n" for v in values)
    out = io.BytesIO()
    label_csv(io.BytesIO(text.encode()), out, [Mapping.parse("score=rsf", RULES)], chunk_size=4096)
    rsf = RULES.get("rsf")
    assert out.getvalue().decode().splitlines()[1:] == [f"{v},{_quoted(rsf.classify(v).label)}" for v in values]


def _quoted(label: str) -> str:
    return f'"{label}"' if "," in label else label
