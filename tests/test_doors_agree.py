"""The three doors agree: for any values, ``classify`` (the scalar API every look-up uses), the
DataFrame API and ``label`` on a CSV give the same label, or the same problem, for the same value.

Values are drawn where doors could part: decimal commas, ``%``, fractions, missing markers,
values off the scale, text that is not a number, and floats a hair either side of every cut
point (``0.57 * 100`` is 57), given to ``label`` as the text Python and pandas write for them.
"""

from __future__ import annotations

import csv
import io
import math
import subprocess
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import command
from rightsband import BandError, ValueProblem, band, load_rules
from rightsband.batch import Mapping, label_csv, prefetch

RULES = load_rules()
PLAIN = [s for s in RULES.sets if not s.is_composite]
STATUS = RULES.get("fh-status")
MARKERS = ["", "NA", "n/a", "..", "-", " na "]


@pytest.fixture(scope="module", autouse=True)
def in_line():
    """``label`` in line: a forked helper per example would be slow (both ways are tested elsewhere)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prefetch, "_single_threaded", lambda: False)
        yield


def cuts(band_set) -> list[Decimal]:
    """Every number at which the set's outcome may change, on the scale a plain input is typed in."""
    scale = band_set.scale
    points = {scale.min, scale.max, *(b.lower for b in band_set.bands), *(b.upper for b in band_set.bands)}
    if band_set.published_as_fraction:
        points |= {p.scaleb(-2) for p in points}
    return sorted(points)


@st.composite
def near_a_cut(draw, band_set) -> float:
    """A float at, or a few binary steps from, a cut point; or the cut reached through float arithmetic."""
    point = float(draw(st.sampled_from(cuts(band_set))))
    how = draw(st.sampled_from(["steps", "scaled", "plain"]))
    if how == "scaled":  # the way a fraction becomes a percent in a spreadsheet: 0.57 * 100
        return (point / 100) * 100
    if how == "steps":
        for _ in range(draw(st.integers(1, 4))):
            point = math.nextafter(point, math.inf if draw(st.booleans()) else -math.inf)
    return point


@st.composite
def a_value(draw, band_set) -> object:
    """A value as someone passes it: a float, or text as typed or exported."""
    kind = draw(st.sampled_from(["float", "text-of-float", "typed", "marker", "junk"]))
    if kind in ("float", "text-of-float"):
        # Python writes floats below 1e-4 with an exponent, which text never has (rightsband refuses it)
        number = draw(near_a_cut(band_set).filter(lambda f: "e" not in repr(f)))
        return number if kind == "float" else repr(number)
    if kind == "marker":
        return draw(st.sampled_from(MARKERS))
    if kind == "junk":
        return draw(st.text(alphabet="0123456789.,%-+ eNa", min_size=1, max_size=7))
    point = draw(st.sampled_from(cuts(band_set)))
    offset = Decimal(draw(st.integers(-3, 3))).scaleb(-draw(st.integers(0, 4)))
    text = format(point + offset, "f")
    if draw(st.booleans()):
        text = text.replace(".", ",")
    if draw(st.booleans()):
        text += draw(st.sampled_from(["%", " %"]))
    return text


def by_classify(band_set, value: object) -> tuple[str, str]:
    try:
        result = band_set.classify(value)
    except ValueProblem as problem:
        return "problem", str(problem)
    return ("label", result.label) if result is not None else ("missing", "")


def by_frames(band_set_id: str, values) -> list[tuple[str, str]]:
    """Each value's outcome from the DataFrame API: the labels, and the problems of the bad ones."""
    labels = band(values, band_set_id, errors="coerce")
    try:
        band(values, band_set_id)
        problems = {}
    except BandError as error:
        problems = {label: issue.message for label, issue in error.problems}
    return [("problem", problems[n]) if n in problems else ("missing", "") if pd.isna(label) else ("label", label)
            for n, label in enumerate(labels)]


def by_label(spec: str, header: list[str], rows: list[list[str]]) -> list[tuple[str, str]]:
    """Each record's outcome from ``label`` on a CSV of those cells."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([header, *rows])
    out, problems = io.BytesIO(), {}
    label_csv(io.BytesIO(text.getvalue().encode()), out, [Mapping.parse(spec, RULES)], year_column=None,
              on_problem=lambda p: problems.__setitem__(p.record - 1, p.message))
    records = list(csv.reader(io.StringIO(out.getvalue().decode(), newline="")))[1:]
    return [("problem", problems[n]) if n in problems else ("label", row[-1]) if row[-1] else ("missing", "")
            for n, row in enumerate(records)]


def as_csv_cell(value: object) -> str:
    """A value as Python and pandas write it to a CSV."""
    return value if isinstance(value, str) else repr(value)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_classify_frames_and_label_agree_on_one_input_sets(data):
    band_set = data.draw(st.sampled_from(PLAIN))
    values = data.draw(st.lists(a_value(band_set), min_size=1, max_size=12))
    expected = [by_classify(band_set, v) for v in values]
    assert by_frames(band_set.id, pd.Series(values, dtype=object)) == expected, (band_set.id, values)
    floats = [v for v in values if isinstance(v, float)]
    if floats:  # a float64 column: the bisection path
        assert by_frames(band_set.id, pd.Series(floats, dtype=np.float64)) == \
            [by_classify(band_set, v) for v in floats], (band_set.id, floats)
    assert by_label(f"score={band_set.id}", ["score"], [[as_csv_cell(v)] for v in values]) == \
        [by_classify(band_set, as_csv_cell(v)) for v in values], (band_set.id, values)
    assert [by_classify(band_set, as_csv_cell(v)) for v in values] == expected, (band_set.id, values)


RATING = st.one_of(st.integers(0, 8), st.sampled_from(["3", "3,0", "7.5", "NA", "", "x", "2%"]),
                   st.floats(0, 8).map(lambda f: round(f, 1)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(RATING, RATING), min_size=1, max_size=10))
def test_classify_frames_and_label_agree_on_a_composite_set(pairs):
    expected = [by_classify(STATUS, {"pr": pr, "cl": cl}) for pr, cl in pairs]
    frame = pd.DataFrame(pairs, columns=["pr", "cl"], dtype=object)
    assert by_frames("fh-status", frame) == expected, pairs
    cells = [[as_csv_cell(pr), as_csv_cell(cl)] for pr, cl in pairs]
    texts = [by_classify(STATUS, {"pr": pr, "cl": cl}) for pr, cl in cells]
    assert by_label("pr,cl=fh-status", ["pr", "cl"], cells) == texts, pairs
    assert texts == expected, pairs


def test_the_classify_command_agrees_line_for_line():
    """``rightsband classify SET -`` over many values (the engine's path) prints classify's label or
    message for each, repeats included, and the problems in order on stderr."""
    rsf = RULES.get("rsf")
    values = ["53,46", "56.99999999999999", "15", "14.999999999999998", "NA", "101", "abc", "29%", "", "53,46",
              "101", *(f"{n / 7:.3f}" for n in range(0, 700, 13))]
    result = subprocess.run([*command(), "classify", "rsf", "-"], input="\n".join(values) + "\n",
                            capture_output=True, text=True)
    expected = [by_classify(rsf, v) for v in values]
    assert result.stdout.splitlines() == [text if kind == "label" else "" for kind, text in expected]
    problems = [f"rightsband: stdin line {n}: {text}"
                for n, (kind, text) in enumerate(expected, start=1) if kind == "problem"]
    assert result.stderr.splitlines() == problems and result.returncode == 1
