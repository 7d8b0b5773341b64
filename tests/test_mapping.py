"""Column mappings and the year column: which header names a year, and what label_csv does with it."""

from __future__ import annotations

import io

import pytest

from rightsband import load_rules
from rightsband.batch import FIND_YEAR_COLUMN, Mapping, MappingError, label_csv
from rightsband.mapping import find_year_column
from rightsband.problems import ProblemLog

RULES = load_rules()


@pytest.mark.parametrize(("header", "found"), [
    (["Country", "Year", "Score"], "Year"),
    (["year", "score"], "year"),
    (["YEAR", "score"], "YEAR"),
    (["Year (N)", "ISO", "Score"], "Year (N)"),
    (["data_year", "hdi"], "data_year"),
    (["Country/Territory", "Survey Edition", "Year(s) Under Review", "PR"], "Year(s) Under Review"),
    (["edition", "country"], "edition"),
    (["Country", "Edition", "PR"], "Edition"),
    (["country", "score"], None),
    (["Yearly change", "score"], None),
    (["gggi2006rank", "gggi2006score"], None),
])
def test_the_year_column_rule(header, found):
    assert find_year_column(header) == found


@pytest.mark.parametrize("header", [["year.collected", "year.reported", "score"], ["Edition", "Survey Edition"]])
def test_two_year_columns_are_ambiguous(header):
    with pytest.raises(MappingError, match=f'several columns may hold the year: "{header[0]}", "{header[1]}"'):
        find_year_column(header)


def _label(data: bytes, spec: str, **options):
    out, notices, problems = io.BytesIO(), [], []
    report = label_csv(io.BytesIO(data), out, [Mapping.parse(spec, RULES)], on_notice=notices.append,
                       on_problem=problems.append, **options)
    return out.getvalue().decode(), notices, problems, report


def test_a_year_column_is_found_by_default_and_checks_every_record():
    text, notices, problems, report = _label(b"Country,Year,Score\nNorway,2022,92.65\nKazakhstan,2015,53.46\n",
                                             "Score=rsf")
    assert notices == ['years from column "Year"']
    assert report.year_column == "Year"
    assert text.splitlines()[1:] == ["Norway,2022,92.65,",
                                     'Kazakhstan,2015,53.46,"Highly controlled, limited or intimidated"']
    [problem] = problems
    assert (problem.line, problem.record, problem.column, problem.cell, problem.set_id, problem.kind) == \
        (2, 1, "Year", "2022", "rsf", "year")
    assert "rsf covers 2013–2021, not 2022" in problem.message and "rsf-2022" in problem.message


def test_a_group_picks_each_records_edition_from_the_found_column():
    text, _, problems, _ = _label(b"Country,Year,Score\nNorway,2022,92.65\nKazakhstan,2015,53.46\n", "Score=rsf-map")
    assert text.splitlines()[1:] == ["Norway,2022,92.65,Good", "Kazakhstan,2015,53.46,Difficult"]
    assert problems == []


def test_without_a_year_column_the_assumed_years_are_said():
    text, notices, problems, report = _label(b"Country,Score\nNorway,92.65\n", "Score=rsf")
    assert notices == ["no year column: labels on rsf assume its years, 2013–2021"]
    assert report.year_column is None and problems == []
    assert text.splitlines()[1] == 'Norway,92.65,"Highly controlled, limited or intimidated"'


def test_the_search_can_be_turned_off_and_a_given_year_is_kept():
    data = b"Country,Year,Score\nNorway,2022,92.65\n"
    _, notices, problems, report = _label(data, "Score=rsf", year_column=None)
    assert report.year_column is None and problems == []
    assert notices == ["no year column: labels on rsf assume its years, 2013–2021"]
    out = io.BytesIO()
    report = label_csv(io.BytesIO(data), out, [Mapping.parse("Score=rsf-map", RULES, year=2015)])
    assert report.year_column is None  # the year given wins over the column
    assert out.getvalue().decode().splitlines()[1] == "Norway,2022,92.65,Very serious"  # on the 2015 edition


def test_a_set_without_years_needs_no_year_column():
    rules = load_rules()
    mapping = Mapping(("score",), rules.get("rsf").with_inputs(()), "label")
    mapping.set.years = None
    notices: list[str] = []
    label_csv(io.BytesIO(b"year,score\n2030,5\n"), io.BytesIO(), [mapping], on_notice=notices.append)
    assert notices == [] and not mapping.dated


def test_a_group_without_a_year_column_is_a_mapping_error():
    with pytest.raises(MappingError, match=r"rsf-map picks its edition by year .*rsf-2013 .2013–2021."):
        _label(b"Country,Score\nNorway,7\n", "Score=rsf-map")
    with pytest.raises(MappingError, match="several columns may hold the year"):
        _label(b"year.collected,year.reported,Score\n2015,2016,7\n", "Score=rsf")
    assert FIND_YEAR_COLUMN is not None and repr(FIND_YEAR_COLUMN) == "FIND_YEAR_COLUMN"


def test_problem_log_counts_kinds_and_writes_every_row():
    out = io.StringIO()
    log = ProblemLog(out)
    _, _, problems, _ = _label(b"Year,Score\n2015,abc\n2015,200\n2030,5\n2015,xyz\n", "Score=rsf")
    for problem in problems:
        log.add(problem)
    assert log.summary() == "2 not-a-number, 1 outside-scale, 1 year"
    rows = out.getvalue().splitlines()
    assert rows[0] == "line,record,column,cell,set,kind,message"
    assert rows[1].startswith("2,1,Score,abc,rsf,not-a-number,")
    assert len(rows) == 5
