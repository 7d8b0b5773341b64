"""The DataFrame API in every input shape: composite inputs by name or position, groups' categories by
band position, coerce over years, index alignment, values equal in Python that read differently, and
the API errors that name what is wrong (issue 18)."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rightsband.pandas  # noqa: F401  (registers the accessor)
from rightsband import BandError, YearError, band, load_rules
from rightsband.engine import Engine, memo_key
from rightsband.mapping import Mapping
from rightsband.model import labels_by_position

RULES = load_rules()
RSF = [b.label for b in RULES.get("rsf").bands]
BTI_ROW = {"score": 4.0, "q2_1": 3.0, "q2_2": 4.0, "q2_3": 4.0, "q2_4": 4.0, "q3_1": 4.0, "q3_4": 4.0,
           "state_failure": 7.0}


# -- composite inputs by name --------------------------------------------------------------------

@pytest.mark.parametrize("order", [["pr", "cl"], ["cl", "pr"]])
def test_a_composite_dataframe_is_read_by_input_name_in_any_column_order(order):
    frame = pd.DataFrame({"pr": [0], "cl": [24]})[order]
    assert band(frame, "fh-status-scores").tolist() == ["Not Free"]
    assert frame.rightsband.band("fh-status-scores").tolist() == ["Not Free"]
    assert band({name: frame[name].tolist() for name in order}, "fh-status-scores") == ["Not Free"]


def test_names_match_ignoring_case_and_spaces_and_other_columns_are_left_alone():
    frame = pd.DataFrame({"country": ["KZ"], " CL ": [24], "Year": [2020], "Pr": [0]})
    assert band(frame, "fh-status-scores").tolist() == ["Not Free"]


def test_a_bti_frame_with_its_columns_in_any_order_gives_the_label_classify_gives():
    expected = RULES.get("bti-democracy-2020").classify(BTI_ROW).label
    assert expected == "Moderate autocracies"
    names = list(BTI_ROW)
    for order in (names, names[::-1], [names[1], names[0], *names[2:]]):
        frame = pd.DataFrame({name: [BTI_ROW[name]] for name in order})
        assert band(frame, "bti-democracy", year=2020).tolist() == [expected]


def test_columns_named_after_no_input_are_read_by_position():
    assert band(pd.DataFrame([[0, 24]]), "fh-status-scores").tolist() == ["Not Free"]
    assert band(pd.DataFrame({"a": [0], "b": [24]}), "fh-status-scores").tolist() == ["Not Free"]
    assert band({"political": [0], "civil": [24]}, "fh-status-scores") == ["Not Free"]


@pytest.mark.parametrize(("frame", "message"), [
    (pd.DataFrame({"pr": [1], "civil": [1]}), r"matching the columns by name \(any case\), no column for cl "
                                                r"\(the columns: 'pr', 'civil'\); give one column named after each"),
    (pd.DataFrame({"PR": [1], "pr": [1], "cl": [1]}), r"matching the columns by name \(any case\), several "
                                                       r"columns for pr"),
    (pd.DataFrame({"a": [1], "b": [1], "c": [1]}), r"no column is named after an input \(the columns: 'a', 'b', "
                                                     r"'c'\), and by position it takes 2 columns, not 3"),
    (pd.Series([1.0]), r"no column is named after an input \(the columns: 1 without a name\)"),
])
def test_a_frame_that_fits_neither_way_says_which_way_it_tried(frame, message):
    with pytest.raises(ValueError, match=f"fh-status combines pr and cl: {message}"):
        band(frame, "fh-status")


def test_the_accessor_label_takes_the_columns_its_spec_names_in_input_order():
    frame = pd.DataFrame({"cl": [24], "pr": [0], "x": [0], "y": [24]})
    assert frame.rightsband.label("pr,cl=fh-status-scores:a", "x,y=fh-status-scores:b")[["a", "b"]].values.tolist() \
        == [["Not Free", "Not Free"]]


@pytest.mark.threads
def test_a_polars_dataframe_for_a_composite_set():
    pl = pytest.importorskip("polars")
    labels = band(pl.DataFrame({"cl": [24, 60, None], "pr": [0, 40, 30]}), "fh-status-scores")
    assert isinstance(labels, pl.Series) and labels.to_list() == ["Not Free", "Free", None]
    mapped = band({"cl": pl.Series([24]), "pr": pl.Series([0])}, "fh-status-scores")
    assert mapped.to_list() == ["Not Free"]


# -- a group's categories ---------------------------------------------------------------------------

def test_a_groups_categorical_orders_every_wording_of_a_band_before_the_next_band():
    frame = pd.DataFrame([{**BTI_ROW, "score": 9.5, "q2_1": 10.0, "q2_2": 10.0, "q2_3": 10.0, "q2_4": 10.0,
                           "q3_1": 10.0, "q3_4": 10.0, "state_failure": 10.0}, BTI_ROW])
    labels = band(frame, "bti-democracy", year=[2018, 2020])
    assert labels.tolist() == ["Democracy in consolidation", "Moderate autocracies"]
    categories = list(labels.cat.categories)
    assert categories[:4] == ["Democracy in consolidation", "Democracies in consolidation", "Defective democracy",
                              "Defective democracies"]
    assert labels.min() == "Democracy in consolidation" and labels.max() == "Moderate autocracies"
    assert labels.sort_values(ascending=False).tolist() == ["Moderate autocracies", "Democracy in consolidation"]
    assert (labels < "Hard-line autocracy").tolist() == [True, True]
    assert categories == Mapping.parse(",".join(BTI_ROW) + "=bti-democracy", RULES).labels  # what Dask's meta reads


def _categories(index: str) -> list[str]:
    first = (RULES.group(index) or RULES).editions[0] if RULES.group(index) else RULES.get(index)
    names = [i.name for i in first.inputs]
    values = pd.DataFrame({name: pd.Series([], dtype=object) for name in names}) if names else \
        pd.Series([], dtype=object)
    return list(band(values, index, year=pd.Series([], dtype=object)).cat.categories)


DATED = [g.id for g in RULES.groups] + [s.id for s in RULES if s.years is not None]


@pytest.mark.parametrize("index", DATED)
def test_a_groups_categories_agree_with_band_positions(index):
    """Each edition's labels keep its order; across editions with as many bands, category i's position is at
    most category j's for i < j."""
    categories = _categories(index)
    place = {label: n for n, label in enumerate(categories)}
    editions = Mapping.parse(f"{','.join(i.name for i in _first(index).inputs) or 'x'}={index}", RULES,
                             by_year=True)
    sets = [RULES.for_year(index, year) for year in range(1970, 2030) if _covers(index, year)]
    assert set(categories) == {b.label for s in sets for b in s.bands} | set(editions.labels)
    for edition in sets:
        ranks = [place[b.label] for b in edition.bands]
        assert ranks == sorted(ranks), edition.id
    for one, other in itertools.product(sets, repeat=2):
        if len(one.bands) != len(other.bands):
            continue
        for (p, a), (q, b) in itertools.product(enumerate(one.bands), enumerate(other.bands)):
            if place[a.label] < place[b.label]:
                assert p <= q, (index, a.label, b.label)


def _first(index: str):
    group = RULES.group(index)
    return group.editions[0] if group else RULES.get(index)


def _covers(index: str, year: int) -> bool:
    try:
        RULES.for_year(index, year)
    except YearError:
        return False
    return True


# -- years ---------------------------------------------------------------------------------------------

def test_coerce_gives_a_year_no_edition_covers_a_missing_label():
    for year in (1960, 3000, [1960], pd.Series([1960])):
        assert band(pd.Series([50.0]), "rsf-map", year=year, errors="coerce").isna().all(), year
    assert band([50.0], "rsf", year=1960, errors="coerce") == [None]
    with pytest.raises(YearError, match="rsf-map has no edition for 1960"):
        band(pd.Series([50.0]), "rsf-map", year=1960)
    with pytest.raises(TypeError, match="year must be a whole number"):
        band(pd.Series([50.0]), "rsf-map", year="x", errors="coerce")


def test_a_year_series_lines_up_by_index_and_names_the_labels_that_do_not():
    scores = pd.Series([50.0, 10.0], index=[10, 11])
    assert band(scores, "rsf-map", year=pd.Series([2025, 2015], index=[11, 10])).tolist() == ["Difficult",
                                                                                                "Very serious"]
    with pytest.raises(ValueError, match=r"the index of year does not line up with the values' \(labels in one "
                                         r"index only: 11, 12\)"):
        band(scores, "rsf-map", year=pd.Series([2015, 2016], index=[10, 12]))
    with pytest.raises(ValueError, match="labels repeated: 10"):
        band(scores, "rsf-map", year=pd.Series([2015, 2016], index=[10, 10]))


def test_a_bad_value_under_an_integer_index_is_named_in_plain_text():
    with pytest.raises(BandError, match=r"index 11: \"101.0\" is outside") as raised:
        band(pd.Series([50.0, 101.0], index=[10, 11]), "rsf")
    assert type(raised.value.problems[0][0]) is int


# -- values equal in Python that read differently --------------------------------------------------------

def test_equal_values_that_read_differently_are_banded_apart():
    assert band([np.float32(40.0), 39.999999], "rsf") == [RSF[4], RSF[3]]
    assert band([39.999999, np.float32(40.0)], "rsf") == [RSF[3], RSF[4]]
    assert band([True, 1], "rsf", errors="coerce") == [None, RSF[0]]
    assert band([1, True], "rsf", errors="coerce") == [RSF[0], None]
    assert band(pd.Series([1.0, 1, True, np.int64(1)], dtype=object), "rsf", errors="coerce").isna().tolist() == \
        [False, False, True, False]


def test_raise_names_a_value_that_merged_with_an_equal_one_before():
    over = np.float32(100.00001)  # reads as 100 at float32's precision; as a float64 it is above the scale
    assert band([over], "rsf") == [RSF[4]]
    with pytest.raises(BandError, match=r"position 1: \"100.00000762939453\" is outside the rsf scale"):
        band([over, float(over)], "rsf")


# -- mappings ---------------------------------------------------------------------------------------------

def test_series_in_a_mapping_line_up_by_index():
    pr = pd.Series([1, 7], index=["a", "b"])
    cl = pd.Series([7, 1], index=["b", "a"])
    labels = band({"pr": pr, "cl": cl}, "fh-status")
    assert labels.to_dict() == {"a": "Free", "b": "Not Free"}
    assert band({"cl": cl, "pr": pr}, "fh-status").to_dict() == {"b": "Not Free", "a": "Free"}
    with pytest.raises(ValueError, match=r"the index of column 'cl' does not line up with the first Series' "
                                         r"\(labels in one index only: a, c\)"):
        band({"pr": pr, "cl": pd.Series([1, 1], index=["b", "c"])}, "fh-status")


def test_a_mapping_of_unequal_columns_names_their_lengths():
    with pytest.raises(ValueError, match=r"the columns have different lengths \('pr' 2, 'cl' 1\)"):
        band({"pr": [6, 1], "cl": [5]}, "fh-status")


def test_an_input_out_of_range_in_a_mapping_of_lists_is_a_band_error():
    with pytest.raises(BandError, match=r"position 1: pr: \"9\" is outside the fh-pr scale"):
        band({"pr": [6, 9], "cl": [5, 1]}, "fh-status")
    assert band({"pr": [6, 9], "cl": [5, 1]}, "fh-status", errors="coerce") == ["Not Free", None]


# -- shapes that used to fail inside -------------------------------------------------------------------------

def test_an_empty_frame_on_a_composite_set_gives_an_empty_result():
    for frame in (pd.DataFrame({"pr": [], "cl": []}), pd.DataFrame({"pr": pd.Series([], dtype="int64"),
                                                                   "cl": pd.Series([], dtype="int64")})):
        labels = band(frame, "fh-status")
        assert len(labels) == 0 and list(labels.cat.categories) == ["Free", "Partly Free", "Not Free"]
    assert band({"pr": [], "cl": []}, "fh-status") == []


def test_lists_and_dicts_in_a_column_are_bad_values():
    series = pd.Series([[1], {"a": 1}, 5, [1]], index=list("wxyz"))
    with pytest.raises(BandError, match=r"index 'w': \[1\] is of type list, not a number") as raised:
        band(series, "rsf")
    assert [label for label, _ in raised.value.problems] == ["w", "x", "z"]
    assert band(series, "rsf", errors="coerce").isna().tolist() == [True, True, False, True]
    frame = pd.DataFrame({"pr": [[6], 6], "cl": [5, {"x": 1}]})
    assert band(frame, "fh-status", errors="coerce").isna().tolist() == [True, True]


# -- properties ----------------------------------------------------------------------------------------------

CELL = st.one_of(st.integers(-1, 62), st.none(), st.sampled_from(["7", "x", "NA", " 3 ", "1.5"]),
                 st.floats(-1, 62), st.just(float("nan")))
COMPOSITES = ["fh-status", "fh-status-scores"]


@settings(max_examples=60, deadline=None)
@given(index=st.sampled_from(COMPOSITES), rows=st.lists(st.tuples(CELL, CELL), min_size=1, max_size=12),
       extra=st.booleans(), data=st.data())
def test_a_composite_frame_gives_classifys_labels_in_every_column_order(index, rows, extra, data):
    frame = pd.DataFrame(rows, columns=["pr", "cl"], dtype=object)
    if extra:
        frame["note"] = "x"
    order = data.draw(st.permutations(list(frame.columns)))
    names = data.draw(st.sampled_from([str.lower, str.upper, str.title]))
    shuffled = frame[order].rename(columns=names)
    labels = band(shuffled, index, errors="coerce")
    expected = [_classified(index, pr, cl) for pr, cl in rows]
    assert labels.astype(object).where(labels.notna(), None).tolist() == expected
    assert band(frame[["pr", "cl"]], index, errors="coerce").equals(labels)


def _classified(index: str, pr: object, cl: object) -> str | None:
    try:
        result = RULES.get(index).classify({"pr": pr, "cl": cl})
    except ValueError:
        return None
    return None if result is None else result.label


@pytest.mark.threads
@settings(max_examples=40, deadline=None)
@given(index=st.sampled_from(COMPOSITES),
       rows=st.lists(st.tuples(st.one_of(st.integers(-1, 62), st.none()), st.one_of(st.integers(-1, 62), st.none())),
                     min_size=1, max_size=12),
       reverse=st.booleans())
def test_polars_and_pandas_agree(index, rows, reverse):
    pl = pytest.importorskip("polars")
    columns = {"pr": [pr for pr, _ in rows], "cl": [cl for _, cl in rows]}
    if reverse:
        columns = {"cl": columns["cl"], "pr": columns["pr"]}
    from_pandas = band(pd.DataFrame(columns, dtype="Int64"), index, errors="coerce")
    from_polars = band(pl.DataFrame(columns, schema={name: pl.Int64 for name in columns}), index, errors="coerce")
    assert from_polars.to_list() == from_pandas.astype(object).where(from_pandas.notna(), None).tolist()


def test_labels_by_position_keeps_each_editions_order_and_breaks_a_cycle_by_first_place():
    def edition(*labels):
        return SimpleNamespace(bands=[SimpleNamespace(label=label) for label in labels])

    assert labels_by_position([edition("A", "B", "C"), edition("a", "b", "c")]) == ["A", "a", "B", "b", "C", "c"]
    assert labels_by_position([edition("Free", "Partly", "Undetermined", "Not"), edition("Free", "Partly", "Not")]) \
        == ["Free", "Partly", "Undetermined", "Not"]
    assert labels_by_position([edition("X", "Y", "Z"), edition("Y", "X")]) == ["X", "Y", "Z"]


def test_a_one_column_set_refuses_several_columns_and_a_year_column_of_another_length():
    with pytest.raises(ValueError, match="rsf bands one column; pass a Series, not 2 columns"):
        band(pd.DataFrame({"a": [1], "b": [2]}), "rsf")
    with pytest.raises(ValueError, match="year has 1 values and the scores 2; pass one year per value"):
        band([1, 2], "rsf-map", year=[2015])


def test_the_engine_keys_values_that_cannot_be_dict_keys_by_type_and_how_they_show():
    engine = Engine(RULES.get("rsf"))
    assert engine.values([[1], [1], {"a": 1}, 5]).tolist() == [engine.bad] * 3 + [0]
    assert "[1] is of type list" in engine.issue(([1],)).message
    assert memo_key([1]) == memo_key([1]) != memo_key([2])
    assert band([1.0], "rsf-map", year=[[2015]], errors="coerce").count(None) == 1
