"""label --summary where records' years are known: the counts per year, in text, csv and json."""

from __future__ import annotations

import csv
import io
import json

import pytest

from rightsband import batch, load_rules
from rightsband.batch import summary
from rightsband.mapping import Mapping

DATA = "country,year,score\nA,2014,10\nB,2014,30\nC,2015,50\nD,2015,NA\nE,2016,20\nF,,12\n"
BANDS = ["Largely free, diverse and independent", "Mostly free, diverse and independent",
         "Partially free, diverse and independent", "Partially controlled, limited or intimidated",
         "Highly controlled, limited or intimidated", "(missing)", "(bad)"]


def rows(run, fmt: str, data: str = DATA, *options: str) -> list[dict]:
    result = run("label", "-c", "score=rsf", "-q", "--summary", fmt, *options, input=data)
    if fmt == "json":
        return json.loads(result.stderr)
    return [{k: v for k, v in row.items()} for row in csv.DictReader(io.StringIO(result.stderr))]


def test_text_has_a_table_by_year(run):
    err = run("label", "-c", "score=rsf", "-q", "--summary", input=DATA).stderr
    lines = err.splitlines()
    assert lines[0] == "6 records"
    assert lines[lines.index("score_label  (score on rsf by year)") + 2].split() == ["#", "band", "records", "share"]
    table = lines[lines.index('by year (column "year")'):]
    assert table[2].split() == ["year", "records", "1", "2", "3", "4", "5", "(missing)", "(bad)"]
    assert [line.split() for line in table[4:8]] == [
        ["2014", "2", "1", "0", "0", "1", "0", "0", "0"], ["2015", "2", "0", "0", "0", "0", "1", "1", "0"],
        ["2016", "1", "0", "1", "0", "0", "0", "0", "0"], ["(missing)", "1", "0", "0", "0", "0", "0", "0", "1"]]


def test_text_of_one_year_says_so(run):
    data = "year,score\n2015,10\n2015,20\n"
    lines = run("label", "-c", "score=rsf", "-q", "--summary", input=data).stderr.splitlines()
    assert lines[:2] == ["2 records", 'all of year 2015 (column "year")'] and "by year" not in lines
    plain = run("label", "-c", "score=rsf", "-q", "--summary", "--no-year-column", input=data).stderr.splitlines()
    assert plain[:2] == ["2 records", "score_label  (score on rsf)"] and "#" not in plain[3]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_rows_per_year_after_the_rows_of_every_year(run, fmt):
    found = rows(run, fmt)
    blank = None if fmt == "json" else ""
    years = [2014, 2015, 2016, "(missing)"] if fmt == "json" else ["2014", "2015", "2016", "(missing)"]
    assert [row["year"] for row in found] == [y for y in [blank, *years] for _ in BANDS]
    assert [row["band"] for row in found] == BANDS * 5
    records = [int(row["records"]) for row in found]
    assert sum(records[:7]) == 6 and sum(records[7:]) == 6  # every year's rows, and the years', count each record once
    by = {(row["year"], row["band"]): (int(row["records"]), float(row["share"])) for row in found}
    assert by[(years[1], "(missing)")] == (1, 0.5) and by[(years[3], "(bad)")] == (1, 1.0)
    assert by[(blank, "(bad)")] == (1, 0.1667)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_no_year_column_keeps_one_row_per_band(run, fmt):
    found = rows(run, fmt, DATA, "--no-year-column")
    assert [row["band"] for row in found] == BANDS and {row["year"] for row in found} == {None if fmt == "json" else ""}


def test_a_span_and_a_written_year_count_under_their_year():
    assert [summary.year_key(text) for text in ("2015", " 2015 ", "2015.0", "2011-12", "", "NA", "soon")] == \
        ["2015", "2015", "2015", "2011-12", "(missing)", "(missing)", "soon"]


def test_blocks_of_a_labelling_run_count_years_too():
    rules = load_rules()
    run = batch.label_blocks(io.BytesIO(DATA.encode()), [Mapping.parse("score=rsf", rules)], chunk_size=16)
    kept = [len(block.kept) for block in run.blocks([0])]
    assert set(kept) == {1}  # the caller's columns only, not the run's own
    assert run.report.years is not None
    assert [(row.year, row.records) for row in run.report.years.rows()] == \
        [("2014", 2), ("2015", 2), ("2016", 1), ("(missing)", 1)]


def test_too_many_distinct_year_cells_are_not_broken_down(run, monkeypatch):
    monkeypatch.setattr(summary, "MAX_YEARS", 2)
    err = run("label", "-c", "score=rsf", "-q", "--summary", "--year-column", "country", input=DATA).stderr
    assert 'not counted by year: column "country" has more than 2 distinct cells' in err
    assert "by year (column" not in err


def test_a_breakdown_dropped_stays_dropped(monkeypatch):
    monkeypatch.setattr(summary, "MAX_YEARS", 3)
    run = batch.label_blocks(io.BytesIO(DATA.encode()), [Mapping.parse("score=rsf", load_rules())],
                             year_column="country", chunk_size=16)
    assert sum(len(block.records) for block in run.blocks()) == 6
    assert run.report.years is not None and run.report.years.dropped and run.report.years.rows() == []
