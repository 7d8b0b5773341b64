"""BandSet.classify(value, year=...): a set refuses a year it does not cover, and keeps the year."""

from __future__ import annotations

import numpy as np
import pytest

from rightsband import YearError, load_rules
from rightsband.model import YearError as ModelYearError

RULES = load_rules()


def test_without_a_year_nothing_changes():
    result = RULES.get("rsf").classify("53.46")
    assert result.label == "Highly controlled, limited or intimidated"
    assert result.year is None


@pytest.mark.parametrize(("set_id", "year"), [("rsf", 2013), ("rsf", 2021), ("rsf-2022", 2030), ("ti", 2012),
                                              ("fh-pr", 1950), ("gender-gap", 2006)])
def test_a_covered_year_is_kept(set_id, year):
    band_set = RULES.get(set_id)
    raw = "1" if band_set.scale.min >= 1 else "0.5"
    result = band_set.classify(raw, year=year)
    assert result.year == year
    assert result == band_set.classify(raw, year=year)
    assert result != band_set.classify(raw)  # the year is part of the outcome
    assert f"year={year}" in repr(result)


def test_a_year_outside_the_set_is_refused_with_the_way_to_the_right_edition():
    with pytest.raises(YearError) as error:
        RULES.get("rsf").classify("72.5", year=2023)
    message = str(error.value)
    assert message == ("rsf covers 2013–2021, not 2023; Rules.for_year('rsf', 2023) finds the edition that covers "
                       "2023, if there is one")
    assert RULES.for_year("rsf-map", 2023).classify("72.5", year=2023).label == "Satisfactory"
    assert isinstance(error.value, ModelYearError) and isinstance(error.value, LookupError)


@pytest.mark.parametrize(("set_id", "year", "years"), [("rsf-2022", 2021, "2022 onward"),
                                                        ("fh-status", 2002, "2003 onward"),
                                                        ("fh-status-1972", 2003, "1972–2002")])
def test_editions_refuse_each_others_years(set_id, year, years):
    band_set = RULES.get(set_id)
    raw = {"pr": 6, "cl": 5} if band_set.is_composite else "50"
    with pytest.raises(YearError, match=f"^{set_id} covers {years}, not {year}; Rules.for_year"):
        band_set.classify(raw, year=year)


def test_the_year_is_checked_before_the_value():
    # A wrong year is the caller's mistake whatever the value: missing or bad values do not hide it.
    for raw in ("NA", None, "abc"):
        with pytest.raises(YearError):
            RULES.get("rsf").classify(raw, year=2023)
    assert RULES.get("rsf").classify("NA", year=2015) is None


def test_composites_keep_the_year():
    result = RULES.get("fh-status-1972").classify({"pr": 6, "cl": 5}, year=1999)
    assert result.undetermined and result.year == 1999


def test_years_may_be_any_integer_type_but_not_text():
    assert RULES.get("rsf").classify("5", year=np.int64(2015)).year == 2015
    assert type(RULES.get("rsf").classify("5", year=np.int64(2015)).year) is int
    with pytest.raises(TypeError, match="year must be an int, not str"):
        RULES.get("rsf").classify("5", year="2015")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="year must be an int, not float"):
        RULES.get("rsf").classify("5", year=2015.0)  # type: ignore[arg-type]
