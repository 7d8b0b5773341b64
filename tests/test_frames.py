"""The DataFrame API: rightsband.band on pandas, polars, arrays and lists, and the pandas accessor."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import rightsband
import rightsband.pandas  # registers the accessor
from rightsband import BandError, YearError, band, load_rules

RSF = [b.label for b in load_rules().get("rsf").bands]
LARGELY, MOSTLY, PARTIALLY, CONTROLLED, HIGHLY = RSF
FH = ["Free", "Partly Free", "Not Free"]


def test_a_float_series_gives_an_ordered_categorical_best_band_first():
    scores = pd.Series([53.46, 12.0, None, 0.57 * 100, 100.0, 15.0, 14.999999999999998], index=list("abcdefg"),
                       name="Score")
    labels = band(scores, "rsf")
    assert isinstance(labels.dtype, pd.CategoricalDtype) and labels.dtype.ordered
    assert list(labels.cat.categories) == RSF  # best first: < means "better than"
    assert labels.name == "Score" and list(labels.index) == list("abcdefg")
    assert labels.tolist()[:2] == [HIGHLY, LARGELY] and pd.isna(labels["c"])
    assert labels["d"] == HIGHLY and labels["e"] == HIGHLY  # 0.57 * 100 is 57; the top of the scale is banded
    assert labels["f"] == MOSTLY and labels["g"] == MOSTLY  # binary noise below 15 does not cross the bound
    assert (labels < PARTIALLY).tolist() == [False, True, False, False, False, True, True]
    assert labels.min() == LARGELY


@pytest.mark.parametrize("dtype", ["float64", "Float64", "float32", "int64", "Int64", "object", "string", "category"])
def test_every_dtype_gives_the_labels_classify_gives(dtype):
    values = [53.46, 12.0, 30.0, 15.0, 99.5] if dtype not in ("int64", "Int64") else [53, 12, 30, 15, 99]
    series = pd.Series(values).astype(dtype) if dtype != "string" else pd.Series([str(v) for v in values],
                                                                                  dtype="string")
    rsf = load_rules().get("rsf")
    assert band(series, "rsf").tolist() == [rsf.classify(v).label for v in series.tolist()]


def test_nullable_missing_values_and_markers_give_missing_labels():
    assert band(pd.Series([1, None, 30], dtype="Int64"), "rsf").isna().tolist() == [False, True, False]
    assert band(pd.Series([1.5, None], dtype="Float64"), "rsf").isna().tolist() == [False, True]
    texts = pd.Series(["53,46", "NA", "n/a", "..", "-", "", None, pd.NA, float("nan"), "29%"], dtype=object)
    labels = band(texts, "rsf")
    assert labels.isna().tolist() == [False, *[True] * 8, False]
    assert labels.iloc[0] == HIGHLY and labels.iloc[-1] == PARTIALLY


def test_namibia_is_not_a_missing_value_when_read_as_text():
    frame = pd.DataFrame({"code": ["NA", "NO"], "score": ["53,46", "6,72"]}, dtype=object)
    assert band(frame["score"], "rsf").tolist() == [HIGHLY, LARGELY]


def test_decimal_objects_and_float32_are_read_as_classify_reads_them():
    assert band(pd.Series([Decimal("14.99999999999999999"), Decimal("15")]), "rsf").tolist() == [LARGELY, MOSTLY]
    assert band(pd.Series(np.array([14.99, 15.0], dtype=np.float32)), "rsf").tolist() == [LARGELY, MOSTLY]


def test_bools_are_refused_even_beside_the_numbers_they_equal():
    with pytest.raises(BandError, match=r"index 1: True is of type bool, not a number"):
        band(pd.Series([1, True], dtype=object), "rsf")
    assert band(pd.Series([1, True], dtype=object), "rsf", errors="coerce").isna().tolist() == [False, True]


def test_errors_raise_names_the_first_bad_values_with_their_index_labels_and_the_scale():
    scores = pd.Series(["101", "53", "abc", *[str(200 + n) for n in range(10)]], index=[f"c{n}" for n in range(13)])
    with pytest.raises(BandError) as caught:
        band(scores, "rsf")
    message = str(caught.value)
    assert message.startswith("12 value(s) cannot be banded on rsf: index 'c0': \"101\" is outside the rsf scale "
                              "(0–100, 0 best)")
    assert "index 'c2': \"abc\" is not a number" in message and "(and 7 more)" in message
    assert message.endswith('pass errors="coerce" to give them a missing label')
    assert len(caught.value.problems) == 12 and caught.value.problems[0][0] == "c0"
    assert isinstance(caught.value, ValueError)


def test_errors_coerce_gives_bad_values_a_missing_label_and_nothing_else():
    labels = band(pd.Series([101.0, 53.0, -0.5, float("inf")]), "rsf", errors="coerce")
    assert labels.isna().tolist() == [True, False, True, True]
    with pytest.raises(ValueError, match="errors must be one of 'raise', 'coerce'"):
        band(pd.Series([1.0]), "rsf", errors="ignore")


def test_a_composite_set_from_a_dataframe_or_a_mapping():
    frame = pd.DataFrame({"PR": [6, 1, None, 3, 7], "CL": [5, 1, 2, 9, None]}, index=list("vwxyz"))
    with pytest.raises(BandError, match=r"index 'y': cl: \"9.0\" is outside the fh-cl scale"):
        band(frame, "fh-status")
    labels = band(frame, "fh-status", errors="coerce")
    assert labels.tolist()[:2] == ["Not Free", "Free"] and labels.isna().tolist() == [False, False, True, True, True]
    assert list(labels.cat.categories) == FH and list(labels.index) == list("vwxyz")
    mapped = band({"cl": frame["CL"], "pr": frame["PR"]}, "fh-status", errors="coerce")
    assert mapped.equals(labels)
    with pytest.raises(ValueError, match=r"fh-status combines pr and cl: matching the columns by name \(any case\), "
                                         r"no column for cl \(the columns: 'pr', 'x'\)"):
        band({"pr": frame["PR"], "x": frame["CL"]}, "fh-status")
    with pytest.raises(ValueError, match=r"fh-status combines pr and cl: no column is named after an input .* by "
                                         r"position it takes 2 columns, not 1"):
        band(frame["PR"].rename("score"), "fh-status")
    assert band(frame[["PR", "CL"]].astype("Int64"), "fh-status", errors="coerce").equals(labels)


def test_a_bad_input_beside_a_missing_one_is_bad_as_classify_says():
    frame = pd.DataFrame({"pr": [None], "cl": ["abc"]}, dtype=object)
    with pytest.raises(BandError, match=r'cl: "abc" is not a number'):
        band(frame, "fh-status")


def test_a_scalar_year_picks_the_edition_and_a_series_of_years_each_rows():
    assert band(pd.Series([20.0]), "rsf-map", year=2015).tolist() == ["Satisfactory"]
    assert band(pd.Series([20.0]), "rsf-map", year=2023).tolist() == ["Very serious"]
    scores = pd.Series([20.0, 90.0, 50.0, 40.0, None], index=list("abcde"))
    years = pd.Series([2015, 2022, 2023, 2013, 2024], index=list("abcde"))
    assert band(scores, "rsf-map", year=years).tolist()[:4] == ["Satisfactory", "Good", "Difficult", "Difficult"]
    shuffled = years.iloc[::-1]  # aligned on the index, as pandas aligns
    assert band(scores, "rsf-map", year=shuffled).equals(band(scores, "rsf-map", year=years))
    as_text = years.astype(str).where(years != 2013, "2013.0")
    assert band(scores, "rsf-map", year=as_text).equals(band(scores, "rsf-map", year=years))


def test_year_refusals_are_the_clis():
    with pytest.raises(YearError, match=r"rsf-map picks its edition by year \(rsf-2013 \(2013–2021\), rsf-2022"):
        band(pd.Series([20.0]), "rsf-map")
    with pytest.raises(YearError, match="rsf covers 2013–2021, not 2023; for 2023 use rsf-2022"):
        band(pd.Series([20.0]), "rsf", year=2023)
    scores, years = pd.Series([20.0, 20.0, None]), pd.Series([2015, 2010, 2009])
    with pytest.raises(BandError, match=r'index 1: rsf-map has no edition for 2010'):
        band(scores, "rsf-map", year=years)
    assert band(scores, "rsf-map", year=years, errors="coerce").isna().tolist() == [False, True, True]
    with pytest.raises(BandError, match=r'"" \(year\) is not a year'):
        band(pd.Series([20.0]), "rsf-map", year=pd.Series([None]))
    with pytest.raises(BandError, match=r'"20015" \(column "Year"\) is not a year'):
        band(pd.Series([20.0]), "rsf-map", year=pd.Series(["20015"], name="Year"))
    with pytest.raises(TypeError, match="year must be a whole number"):
        band(pd.Series([20.0]), "rsf", year=2015.5)


def test_lists_tuples_and_arrays_give_lists():
    assert band([53.46, None, "12", "NA"], "rsf") == [HIGHLY, None, LARGELY, None]
    assert band((53.46,), "rsf") == [HIGHLY]
    assert band(np.array([53.46, np.nan]), "rsf") == [HIGHLY, None]
    assert band({"pr": [6, 1], "cl": [5, 1]}, "fh-status") == ["Not Free", "Free"]
    with pytest.raises(BandError, match="position 0"):
        band([101], "rsf")
    with pytest.raises(TypeError, match="values must be a pandas or polars Series"):
        band(53.46, "rsf")


@pytest.mark.threads
def test_polars_series_give_enum_series():
    pl = pytest.importorskip("polars")
    labels = band(pl.Series("Score", [53.46, None, 12.0]), "rsf")
    assert labels.dtype == pl.Enum(RSF) and labels.name == "Score"
    assert labels.to_list() == [HIGHLY, None, LARGELY]
    assert band(pl.Series(["53,46", "NA"]), "rsf").to_list() == [HIGHLY, None]
    assert band(pl.Series([6, None], dtype=pl.Int64), "fh-pr").to_list() == ["Not free", None]
    frame = pl.DataFrame({"score": [53.46, 20.0], "year": [2015, 2023]})
    years = frame.with_columns(pl.col("score").map_batches(lambda s: band(s, "rsf-map", year=frame["year"]),
                                                           return_dtype=pl.Enum(["Good", "Satisfactory", "Problematic",
                                                                                 "Difficult", "Very serious"])))
    assert years["score"].to_list() == ["Difficult", "Very serious"]


def test_the_series_accessor_and_the_frame_accessor():
    frame = pd.DataFrame({"Score": [53.46, 20.0], "year": [2015, 2023], "PR": [6, 1], "CL": [5, 1]})
    assert frame["Score"].rightsband.band("rsf").tolist() == [HIGHLY, MOSTLY]
    assert frame[["PR", "CL"]].rightsband.band("fh-status").tolist() == ["Not Free", "Free"]
    labelled = frame.rightsband.label("Score=rsf-map", "PR,CL=fh-status:Status")
    assert list(labelled.columns) == ["Score", "year", "PR", "CL", "Score_label", "Status"]
    assert labelled["Score_label"].tolist() == ["Difficult", "Very serious"]  # years from the "year" column
    assert labelled["Status"].dtype.ordered and "Score_label" not in frame  # a copy
    assert frame.rightsband.label("Score=rsf-map", year=2023)["Score_label"].tolist() == ["Difficult", "Very serious"]


def test_frame_accessor_usage_errors():
    frame = pd.DataFrame({"Score": [53.46], "Score_label": ["x"]})
    with pytest.raises(ValueError, match='a column "Score_label" is already there'):
        frame.rightsband.label("Score=rsf")
    with pytest.raises(ValueError, match='no column "score" in the header; did you mean "Score"'):
        frame.rightsband.label("score=rsf:x")
    with pytest.raises(ValueError, match="rsf-map picks its edition by year, and the frame has no year column"):
        frame.rightsband.label("Score=rsf-map:x")


def test_import_rightsband_imports_neither_pandas_nor_numpy():
    code = ("import sys, rightsband; rightsband.load_rules().get('rsf').classify('53.46'); "
            "print('pandas' in sys.modules, 'numpy' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == "False False\n"


def test_band_takes_other_rules(tmp_path):
    bands = tmp_path / "bands.toml"
    bands.write_text(Path(rightsband.builtin_path()).read_text(encoding="utf-8"), encoding="utf-8")
    assert band([12], "rsf", rules=rightsband.load_rules(bands)) == [LARGELY]


def test_repeated_calls_classify_each_distinct_value_once(monkeypatch):
    """Calls in a loop (or per Dask partition) reuse their engine: a value is classified once."""
    from rightsband.model import BandSet

    calls = []
    original = BandSet.classify
    monkeypatch.setattr(BandSet, "classify", lambda self, raw, **kw: calls.append(raw) or original(self, raw, **kw))
    rules = rightsband.load_rules()
    band(pd.Series(["3", "5"]), "fh-pr", rules=rules)
    first = len(calls)
    band(pd.Series(["5", "3", "3"]), "fh-pr", rules=rules)
    assert first == 2 and len(calls) == first
    band(pd.Series(["5"]), "fh-pr", rules=rightsband.load_rules())  # other rules: another engine
    assert len(calls) == first + 1
