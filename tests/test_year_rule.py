"""One rule for what a year is, at every door: a year cell, --year, year= and BandSet.classify(year=)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rightsband import YearError, band, load_rules
from rightsband.values import FIRST_YEAR, LAST_YEAR, ValueProblem, one_year, years_named

RULES = load_rules()


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_a_whole_number_is_a_year_in_the_range_and_only_there(number):
    inside = FIRST_YEAR <= number <= LAST_YEAR
    assert years_named(number) == ([number] if inside else [])
    assert years_named(float(number)) == years_named(number)
    if number >= 0:  # in text a leading "-" is a separator (2011-12), not a sign
        assert years_named(str(number)) == years_named(number)


@pytest.mark.parametrize("year", [3000, 10000, 999])
def test_every_door_refuses_what_is_not_a_year(run, year):
    with pytest.raises(ValueProblem, match=f'"{year}" is not a year'):
        one_year(year)
    result = run("classify", "ti", "50", "--year", str(year))
    assert result.exit_code == 2 and f'"{year}" is not a year' in result.stderr
    with pytest.raises(YearError, match=f'"{year}" is not a year'):
        band([50], "ti", year=year)
    with pytest.raises(YearError, match=f"{year} is not a year"):
        RULES.get("ti").classify("50", year=year)
    labelled = run("label", "-", "-c", "score=ti", input=f"year,score\n{year},50\n")
    assert labelled.exit_code == 1 and f'"{year}" (column "year") is not a year' in labelled.stderr
    assert labelled.stdout.splitlines()[1] == f"{year},50,"


def test_every_door_bands_a_year(run):
    assert run("classify", "ti", "50", "--year", "2015").stdout == "Some corruption\n"
    assert band([50], "ti", year=2015) == ["Some corruption"]
    assert RULES.get("ti").classify("50", year=2015).label == "Some corruption"
    assert run("label", "-", "-c", "score=ti", input="year,score\n2015,50\n").stdout.endswith(",Some corruption\n")


def test_the_option_takes_whole_numbers_only(run):
    result = run("classify", "ti", "50", "--year", "2015.5")
    assert result.exit_code == 2 and '"2015.5" is not a year' in result.stderr
