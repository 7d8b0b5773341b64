"""`rightsband scorecard` and `rightsband check-card`, end to end in-process: country and year
choice, what each line shows, the formats and output files, and card files with their line numbers."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import REPO

EXAMPLES = REPO / "examples"
CENTRAL_ASIA = str(EXAMPLES / "central-asia.csv")
CJPME_CSV = str(EXAMPLES / "kazakhstan-cjpme.csv")
CJPME_CARD = str(EXAMPLES / "cjpme-scorecard.toml")
COUNTRIES = "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan"
RSF_HIGH = "Highly controlled, limited or intimidated"
ANSI = re.compile(r"\x1b\[")


def scorecard(run, *args: str, data: str = CENTRAL_ASIA, env: dict[str, str] | None = None):
    return run("scorecard", data, *args, env=env)


def as_json(result) -> dict:
    return json.loads(result.stdout)


def lines_of(card: dict) -> list[dict]:
    return [line for section in card["sections"] for line in section["lines"]]


def flat(text: str) -> str:
    """Text with each run of white space one space: the terminal card wraps long lines at 100 columns."""
    return " ".join(text.split())


def one_line(result, exit_code: int = 1) -> str:
    """The single stderr line of a run that failed with ``exit_code`` and wrote nothing on stdout."""
    assert (result.exit_code, result.stdout) == (exit_code, ""), result.stderr
    [line] = result.stderr.splitlines()
    assert "Traceback" not in line
    return line


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def card_text(*lines: str) -> str:
    """A card file's text, one argument a line (so a test can count its lines)."""
    return "\n".join(lines) + "\n"


def temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".rightsband-")]


# -- country matching ----------------------------------------------------------------------------------


@pytest.mark.parametrize("wanted", ["Kazakhstan", "kazakhstan", "KAZAKHSTAN", "KZ", "kz", "  kZ  ", "\tKazakhstan "])
def test_country_by_name_or_code_any_case_and_spaces(run, wanted):
    result = scorecard(run, "--country", wanted, "-c", "cpi_score=ti", "--year", "2015")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("Scorecard: Kazakhstan (KZ), 2015\n")
    assert "line 26." in flat(result.stdout)


def test_unknown_country_is_one_line_with_suggestions_and_the_list(run):
    line = one_line(scorecard(run, "--country", "Kazakstan", "-c", "cpi_score=ti"))
    assert line.startswith(f'rightsband: no country "Kazakstan" in {CENTRAL_ASIA} (matched against columns '
                           '"country", "iso2"); did you mean Kazakhstan')
    assert line.endswith(f"the countries are: {COUNTRIES}")


def test_unknown_code_without_close_match_still_lists_the_countries(run):
    line = one_line(scorecard(run, "--country", "ZZ", "-c", "cpi_score=ti"))
    assert "did you mean" not in line
    assert line.endswith(f'; the countries are: {COUNTRIES}')


def test_country_column_names_the_name_column_and_codes_are_still_found(run, tmp_path):
    data = write(tmp_path / "names.csv", "nombre,iso2,year,score\nKazajistán,KZ,2015,29\nKirguistán,KG,2015,28\n")
    for wanted in ("kazajistán", "KZ", " kz "):
        result = run("scorecard", data, "--country-column", "nombre", "--country", wanted, "-c", "score=ti")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("Scorecard: Kazajistán (KZ), 2015\n")
    # Without --country-column only the code column is found: the country is known by its code.
    result = run("scorecard", data, "--country", "kz", "-c", "score=ti")
    assert result.stdout.startswith("Scorecard: KZ, 2015\n")
    line = one_line(run("scorecard", data, "--country", "Kazajistán", "-c", "score=ti"))
    assert 'matched against columns "iso2"' in line


def test_no_country_like_column_is_a_usage_error_naming_country_column(run, tmp_path):
    data = write(tmp_path / "plain.csv", "name,score\nKZ,3\n")
    result = run("scorecard", data, "--country", "KZ", "-c", "score=ti")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "reads as a country name or code" in result.stderr
    assert "name it with --country-column" in result.stderr
    assert 'the columns are: "name", "score"' in result.stderr
    named = run("scorecard", data, "--country", "KZ", "-c", "score=ti", "--country-column", "name")
    assert named.exit_code == 0
    assert named.stdout.startswith("Scorecard: KZ\nThe data has no year column.")


def test_no_country_column_error_does_not_blame_column(run, tmp_path):
    data = write(tmp_path / "plain.csv", "name,score\nKZ,3\n")
    result = run("scorecard", data, "--country", "KZ", "-c", "score=ti")
    assert "Invalid value for --column" not in result.stderr


def test_country_found_by_a_code_only_later_records_have(run, tmp_path):
    data = write(tmp_path / "late.csv", "country,iso2,year,score\nKazakhstan,,2014,29\nKazakhstan,KZ,2015,30\n")
    result = run("scorecard", data, "--country", "KZ", "-c", "score=ti")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Scorecard: Kazakhstan (KZ), 2015\n")


def test_a_renamed_country_is_one_country_by_its_code(run, tmp_path):
    data = write(tmp_path / "renamed.csv", "country,iso3,year,score\nTurkey,TUR,2021,38\nTürkiye,TUR,2022,36\n")
    for wanted in ("Turkey", "türkiye", "tur"):
        result = run("scorecard", data, "--country", wanted, "-c", "score=ti")
        assert result.exit_code == 0
        assert result.stdout.startswith("Scorecard: Türkiye (TUR), 2022\n")
    old = run("scorecard", data, "--country", "Türkiye", "-c", "score=ti", "--year", "2021")
    assert old.stdout.startswith("Scorecard: Turkey (TUR), 2021\n")  # named as that year's record names it


def test_a_record_with_a_blank_code_is_still_its_countrys(run, tmp_path):
    data = write(tmp_path / "blank.csv", "country,iso2,year,score\nKazakhstan,KZ,2014,29\nKazakhstan,,2015,30\n")
    result = run("scorecard", data, "--country", "Kazakhstan", "-c", "score=ti")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Scorecard: Kazakhstan, 2015\n") or \
        result.stdout.startswith("Scorecard: Kazakhstan (KZ), 2015\n")


def test_all_writes_one_card_for_a_country_with_a_blank_code(run, tmp_path):
    data = write(tmp_path / "blank.csv", "country,iso2,year,score\nKazakhstan,,2014,29\nKazakhstan,KZ,2015,30\n")
    folder = tmp_path / "cards"
    result = run("scorecard", data, "--all", "-o", str(folder), "-c", "score=ti", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads((folder / "index.json").read_text(encoding="utf-8"))) == 1


# -- the year ------------------------------------------------------------------------------------------


def test_default_year_is_the_countrys_latest_and_the_card_says_so(run):
    result = scorecard(run, "--country", "uz", "-c", "rsf_score=rsf-map")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Scorecard: Uzbekistan (UZ), 2025\n")
    assert "Year 2025 (the latest year in the file for Uzbekistan). Data: central-asia.csv, line 176." in flat(
        result.stdout)
    card = as_json(scorecard(run, "--country", "uz", "-c", "rsf_score=rsf-map", "--format", "json"))
    assert (card["year"], card["year_note"], card["record"]) == (2025, "the latest year in the file for Uzbekistan",
                                                                 "line 176")
    [line] = lines_of(card)
    assert (line["set_id"], line["scores"][0]["text"]) == ("rsf-2022", "35.24")


def test_year_picks_the_record_and_the_edition(run):
    card = as_json(scorecard(run, "--country", "KZ", "-c", "rsf_score=rsf-map", "--year", "2015", "--format", "json"))
    assert (card["year"], card["year_note"], card["record"]) == (2015, "the year asked for", "line 26")
    [line] = lines_of(card)
    assert (line["set_id"], line["scores"][0]["text"], line["state"]) == ("rsf-2013", "53.46", "banded")


def test_a_year_the_country_lacks_names_its_years_as_runs(run, tmp_path):
    line = one_line(scorecard(run, "--country", "KZ", "-c", "cpi_score=ti", "--year", "1980"))
    assert line == f"rightsband: Kazakhstan has no record for 1980 in {CENTRAL_ASIA}; its years are 1991–2025"
    data = write(tmp_path / "gaps.csv", "country,year,score\n" + "".join(
        f"Kazakhstan,{year},30\n" for year in (2001, 2002, 2003, 2005, 2008, 2009)))
    line = one_line(run("scorecard", data, "--country", "kazakhstan", "-c", "score=ti", "--year", "2004"))
    assert line.endswith("its years are 2001–2003, 2005, 2008–2009")


def test_two_records_for_one_country_year_name_the_lines(run, tmp_path):
    data = write(tmp_path / "dup.csv", "country,year,score\nKazakhstan,2015,29\nKazakhstan,2016,30\n"
                                       "kazakhstan ,2015,31\n")
    line = one_line(run("scorecard", data, "--country", "Kazakhstan", "-c", "score=ti", "--year", "2015"))
    assert line == (f"rightsband: Kazakhstan has 2 records for 2015 in {data} (lines 2, 4); keep one per country "
                    "and year")
    # Another year of the same country is fine.
    assert run("scorecard", data, "--country", "Kazakhstan", "-c", "score=ti", "--year", "2016").exit_code == 0


def test_no_year_column_and_several_records_per_country_is_an_error(run, tmp_path):
    data = write(tmp_path / "noyear.csv", "country,score\nKazakhstan,29\nKazakhstan,30\nKyrgyzstan,28\n")
    line = one_line(run("scorecard", data, "--country", "Kazakhstan", "-c", "score=ti"))
    assert line == (f"rightsband: Kazakhstan has 2 records in {data} (lines 2, 3) and no year column tells them "
                    "apart; give --year-column COL")
    # A country with one record is fine, and the card says there is no year.
    result = run("scorecard", data, "--country", "Kyrgyzstan", "-c", "score=ti")
    assert result.exit_code == 0
    assert result.stdout.startswith("Scorecard: Kyrgyzstan\n")
    assert "The data has no year column. Data: noyear.csv, line 4." in flat(result.stdout)


def test_no_year_column_option(run, tmp_path):
    line = one_line(scorecard(run, "--country", "KZ", "-c", "cpi_score=ti", "--no-year-column"))
    assert "Kazakhstan has 35 records" in line and "(lines 2, 3, 4, 5, 6)" in line
    data = write(tmp_path / "one.csv", "country,year,score\nKazakhstan,2015,29\n")
    card = as_json(run("scorecard", data, "--country", "kazakhstan", "-c", "score=ti", "--no-year-column",
                       "--format", "json"))
    assert (card["year"], card["year_note"]) == (None, "the data has no year column")
    assert run("scorecard", data, "--country", "Kazakhstan", "-c", "score=ti").stdout.startswith(
        "Scorecard: Kazakhstan, 2015\n")


def test_year_column_option_names_a_column_not_found_by_itself(run, tmp_path):
    data = write(tmp_path / "when.csv", "country,when,score\nKazakhstan,2014,29\nKazakhstan,2015,45\n")
    line = one_line(run("scorecard", data, "--country", "Kazakhstan", "-c", "score=ti"))
    assert "no year column tells them apart; give --year-column COL" in line
    result = run("scorecard", data, "--country", "Kazakhstan", "-c", "score=ti", "--year-column", "when")
    assert result.exit_code == 0
    assert result.stdout.startswith("Scorecard: Kazakhstan, 2015\n")
    assert "Year 2015 (the latest year in the file for Kazakhstan). Data: when.csv, line 3." in flat(result.stdout)
    assert "Some corruption (3 of 5)" in result.stdout


def test_card_file_year_column(run, tmp_path):
    data = write(tmp_path / "when.csv", "country,when,score\nKazakhstan,2014,29\nKazakhstan,2015,45\n")
    card = write(tmp_path / "when.toml", card_text('title = "T"', 'year_column = "when"', "[[section]]",
                                                   'title = "S"', "[[section.line]]", 'column = "score"',
                                                   'index = "ti"'))
    result = run("scorecard", data, "--card", card, "--country", "Kazakhstan", "--year", "2014")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("T: Kazakhstan, 2014\n")
    assert "Year 2014 (the year asked for). Data: when.csv, line 2." in flat(result.stdout)


def test_year_column_and_year_together(run, tmp_path):
    data = write(tmp_path / "when.csv", "country,when,score\nKazakhstan,2014,29\nKazakhstan,2015,45\n")
    result = run("scorecard", data, "--country", "Kazakhstan", "-c", "score=ti", "--year-column", "when",
                 "--year", "2014")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Scorecard: Kazakhstan, 2014\n")


# -- what a line shows -----------------------------------------------------------------------------------


def test_missing_score_shows_missing_and_no_band(run):
    result = scorecard(run, "--country", "KZ", "-c", "cpi_score=ti")  # 2025: no CPI score yet
    assert (result.exit_code, result.stderr) == (1, "rightsband: Kazakhstan 2025: 1 of 1 line(s) have no score for "
                                                    "that year; the data has ti 2012–2023; give --year YEAR\n")
    assert "  Score missing\n  missing: no score, no band [1]\n" in result.stdout
    assert "best " not in result.stdout  # no scale picture without a score
    [line] = lines_of(as_json(scorecard(run, "--country", "KZ", "-c", "cpi_score=ti", "--format", "json")))
    assert (line["state"], line["label"], line["position"], line["rank"], line["segments"]) == (
        "missing", None, None, None, [])


@pytest.mark.parametrize(("cells", "index", "fragment"), [
    ("abc", "ti", 'cannot be banded: "abc" is not a number (ti: 0–100, 100 best)'),
    ("150", "ti", 'cannot be banded: "150" is outside the ti scale'),
    ("-3", "rsf", 'cannot be banded: "-3" is outside the rsf scale (0–100, 0 best)'),
])
def test_bad_value_shows_its_problem_and_exits_1(run, tmp_path, cells, index, fragment):
    data = write(tmp_path / "bad.csv", f"country,year,score,other\nKazakhstan,2015,{cells},29\n")
    result = run("scorecard", data, "--country", "Kazakhstan", "-c", f"score={index}", "-c", "other=ti")
    assert result.exit_code == 1
    assert fragment in flat(result.stdout)
    assert "Highly corrupt (4 of 5)" in result.stdout  # the other line is still banded
    assert result.stdout.rstrip().endswith("1 line(s) cannot be banded: see above.")
    assert result.stderr == "rightsband: 1 line(s) cannot be banded; the card shows why\n"
    card = as_json(run("scorecard", data, "--country", "Kazakhstan", "-c", f"score={index}", "-c", "other=ti",
                       "--format", "json"))
    assert [line["state"] for line in lines_of(card)] == ["problem", "banded"]
    assert card["problems"] == 1


def test_group_without_any_year_is_a_problem_line(run, tmp_path):
    data = write(tmp_path / "one.csv", "country,iso3,score\nKazakhstan,KAZ,\"53,46\"\n")
    result = run("scorecard", data, "--country", "kaz", "-c", "score=rsf-map", "--format", "json")
    assert result.exit_code == 1
    [line] = lines_of(as_json(result))
    assert line["state"] == "problem"
    assert line["problem"].startswith("rsf-map picks its edition by year (rsf-2013 (2013–2021), rsf-2022 (2022 "
                                      "onward)) and the data has no year column; give --year or --year-column")
    assert (line["set_id"], line["footnote"]) == ("", 0)
    # --year gives it the edition.
    with_year = run("scorecard", data, "--country", "kaz", "-c", "score=rsf-map", "--year", "2015")
    assert with_year.exit_code == 0
    assert "  Score 53,46 / 100 (0 = best)\n  Difficult (4 of 5) [1]\n  rsf-2013 (2013–2021), year 2015\n" in \
        with_year.stdout


def test_a_year_the_set_does_not_cover_names_the_set_that_does(run):
    result = scorecard(run, "--country", "KZ", "-c", "rsf_score=rsf", "--year", "2022")
    assert result.exit_code == 1
    text = flat(result.stdout)
    assert "cannot be banded: rsf covers 2013–2021, not 2022; for 2022 use rsf-2022" in text
    assert "rsf-map" in text
    assert result.stderr.endswith("1 line(s) cannot be banded; the card shows why\n")


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html", "json"])
def test_decimal_comma_is_kept_as_written_in_every_format(run, fmt):
    result = run("scorecard", CJPME_CSV, "--country", "KZ", "-c", "rsf_score=rsf", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        [line] = lines_of(as_json(result))
        assert line["scores"][0]["text"] == "53,46"
        assert line["label"] == RSF_HIGH
    elif fmt == "html":
        assert "<dd>53,46 / 100 (0 = best)</dd>" in result.stdout
    elif fmt == "markdown":
        assert "| 53,46 / 100 (0 = best) |" in result.stdout
    else:
        assert "  Score 53,46 / 100 (0 = best)\n" in result.stdout


def test_composite_line_shows_both_scores(run):
    result = scorecard(run, "--country", "KZ", "-c", "pr,cl=fh-status", "--year", "2015")
    assert result.exit_code == 0
    assert "  Score PR 6 / 7 (1 = best), CL 5 / 7 (1 = best)\n  Not Free (3 of 3) [1]\n" in result.stdout
    [line] = lines_of(as_json(scorecard(run, "--country", "KZ", "-c", "pr,cl=fh-status", "--year", "2015",
                                        "--format", "json")))
    assert [(s["column"], s["name"], s["text"]) for s in line["scores"]] == [("pr", "pr", "6"), ("cl", "cl", "5")]
    assert line["rank"] is None  # no ranking of a composite


def test_composite_with_the_wrong_number_of_columns_is_a_usage_error(run):
    result = scorecard(run, "--country", "KZ", "-c", "pr=fh-status")
    assert (result.exit_code, result.stdout) == (2, "")
    assert 'fh-status reads 2 column(s) (pr and cl), not 1: e.g. "PR,CL"' in result.stderr


def computed_ranks(run, column: str, year: str = "2015") -> dict[str, str]:
    ranks = {}
    for code in ("KZ", "KG", "TJ", "TM", "UZ"):
        [line] = lines_of(as_json(scorecard(run, "--country", code, "-c", column, "--year", year, "--format", "json")))
        rank = line["rank"]
        assert rank is None or rank["computed"] is True
        ranks[code] = None if rank is None else f"{rank['rank']} of {rank['of']}"
    return ranks


def test_computed_rank_lower_is_better(run):
    # RSF 2015: KG 30.69, TJ 36.19, KZ 53.46, UZ 61.14, TM 80.83 (lower is better).
    assert computed_ranks(run, "rsf_score=rsf") == {"KG": "1 of 5", "TJ": "2 of 5", "KZ": "3 of 5", "UZ": "4 of 5",
                                                     "TM": "5 of 5"}


def test_computed_rank_higher_is_better_with_ties(run):
    # CPI 2015: KZ 28, KG 28, TJ 26, UZ 19, TM 18 (higher is better): KZ and KG share first place.
    assert computed_ranks(run, "cpi_score=ti") == {"KZ": "1 of 5", "KG": "1 of 5", "TJ": "3 of 5", "UZ": "4 of 5",
                                                   "TM": "5 of 5"}
    # 2025 has no CPI scores: nothing to rank.
    assert set(computed_ranks(run, "cpi_score=ti", "2025").values()) == {None}


def test_computed_rank_counts_only_values_that_can_be_ranked(run, tmp_path):
    data = write(tmp_path / "ties.csv", "country,year,score\nA,2015,10\nB,2015,10\nC,2015,5\nD,2015,\nE,2015,abc\n"
                                        "F,2015,150\nA,2014,90\nB,2014,1\n")
    out = run("scorecard", data, "--country", "A", "-c", "score=rsf").stdout
    assert "  Score 10 / 100 (0 = best) · Rank 2 of 3 in this file (computed)\n" in out
    out = run("scorecard", data, "--country", "C", "-c", "score=rsf").stdout
    assert "Rank 1 of 3 in this file (computed)" in out
    out = run("scorecard", data, "--country", "B", "-c", "score=ti").stdout
    assert "Rank 1 of 3 in this file (computed)" in out
    assert "Rank" not in run("scorecard", data, "--country", "D", "-c", "score=rsf").stdout
    # One rankable record is no ranking.
    alone = write(tmp_path / "alone.csv", "country,year,score\nA,2015,10\nB,2015,\n")
    assert "Rank" not in run("scorecard", alone, "--country", "A", "-c", "score=rsf").stdout


def test_mapped_rank(run):
    result = scorecard(run, "--country", "KZ", "-c", "rsf_score=rsf", "-c", "cpi_score=ti", "--rank",
                       "rsf_score=rsf_rank", "--year", "2015")
    assert result.exit_code == 0
    assert "  Score 53.46 / 100 (0 = best) · Rank 160\n" in result.stdout
    assert "  Score 28 / 100 · Rank 1 of 5 in this file (computed)\n" in result.stdout
    rsf, _ = lines_of(as_json(scorecard(run, "--country", "KZ", "-c", "rsf_score=rsf", "-c", "cpi_score=ti",
                                        "--rank", "rsf_score=rsf_rank", "--year", "2015", "--format", "json")))
    assert rsf["rank"] == {"rank": "160", "of": "", "computed": False}


@pytest.mark.parametrize("rank", ["pr=rsf_rank", "rsf_rank", "rsf_score="])
def test_rank_for_an_unmapped_column_is_a_usage_error(run, rank):
    result = scorecard(run, "--country", "KZ", "-c", "rsf_score=rsf", "--rank", rank)
    assert (result.exit_code, result.stdout) == (2, "")
    assert f'"{rank}" is not SCORECOL=RANKCOL with SCORECOL a mapped --column, e.g. "rsf_score=rank"' in result.stderr


def test_rank_usage_error_names_rank(run):
    result = scorecard(run, "--country", "KZ", "-c", "rsf_score=rsf", "--rank", "pr=rsf_rank")
    assert "Invalid value for --rank" in result.stderr


def test_rank_with_a_card_file_is_a_usage_error(run):
    result = run("scorecard", CJPME_CSV, "--card", CJPME_CARD, "--country", "KZ", "--rank", "rsf_score=rsf_rank")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "--rank goes with --column" in result.stderr


@pytest.mark.parametrize(("rank_of", "shown"), [("180", "160 / 180"), ("999", "160 / 999"),
                                                 ('"rsf_ranked"', "160 / 180"), ('"cpi_ranked"', "160 / 175")])
def test_card_rank_of_as_number_or_column(run, tmp_path, rank_of, shown):
    card = write(tmp_path / "rank.toml", card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]",
                                                   'column = "rsf_score"', 'index = "rsf"', 'rank = "rsf_rank"',
                                                   f"rank_of = {rank_of}"))
    result = run("scorecard", CJPME_CSV, "--card", card, "--country", "KZ")
    assert result.exit_code == 0, result.stderr
    assert f"  Score 53,46 / 100 (0 = best) · Rank {shown}\n" in result.stdout
    [line] = lines_of(as_json(run("scorecard", CJPME_CSV, "--card", card, "--country", "KZ", "--format", "json")))
    assert line["rank"] == {"rank": "160", "of": shown.split(" / ")[1], "computed": False}


def test_the_cjpme_card(run):
    result = run("scorecard", CJPME_CSV, "--card", CJPME_CARD, "--country", "KZ")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Human rights scorecard: Kazakhstan (KZ), 2015\n")
    for text in ("Respect for Civil Liberties\n", "Respect for Political Rights\n",
                 "Score 53,46 / 100 (0 = best) · Rank 160 / 180\n", f"{RSF_HIGH} (5 of 5) [1]\n",
                 "Score 62.1% · Rank 43 / 142\n", "Very unequal rights (3 of 3) [3]\n",
                 'Printed label "Somewhat unequal rights" disagrees: the bands give "Very unequal rights" for 62.1%.',
                 "Score 77% · Rank 37 / 165\n", "Score 29 / 100 · Rank 126 / 175\n", "Highly corrupt (4 of 5) [6]\n"):
        assert text in out
    assert result.stderr == "rightsband: 1 printed label(s) disagree with the bands; the card shows each\n"
    quiet = run("scorecard", CJPME_CSV, "--card", CJPME_CARD, "--country", "KZ", "-q")
    assert (quiet.exit_code, quiet.stderr, quiet.stdout) == (0, "", out)
    card = as_json(run("scorecard", CJPME_CSV, "--card", CJPME_CARD, "--country", "KZ", "--format", "json"))
    assert [s["title"] for s in card["sections"]] == ["Respect for Civil Liberties", "Respect for Political Rights"]
    assert [line["agrees"] for line in lines_of(card)] == [True, True, False, None, None, None]
    assert (card["problems"], card["disagreements"]) == (0, 1)
    assert [n["set_id"] for n in card["footnotes"]] == ["rsf", "fh-cl", "gender-gap", "kidsrights", "fh-pr", "ti"]


def test_history_strip(run):
    result = scorecard(run, "--country", "KZ", "-c", "pr,cl=fh-fiw-status", "--year", "2015", "--history")
    assert result.exit_code == 0
    text = flat(result.stdout)
    assert "1991 222333333333|333333333333333333333·· 2025" in text
    assert ("History: 1991–1993 Partly Free; 1994–2002 Partly Free or Not Free (undetermined) (fh-status-1972 [2]) "
            "| 2003–2023 Not Free; 2024–2025 no data (fh-status [1])") in text


# -- formats and output files ------------------------------------------------------------------------------


KZ_2015 = ("--country", "KZ", "-c", "rsf_score=rsf", "-c", "cpi_score=ti", "--year", "2015")


def test_terminal_off_a_tty_is_plain_text(run):
    for env in ({}, {"FORCE_COLOR": "1"}, {"NO_COLOR": "1"}):
        result = scorecard(run, *KZ_2015, "--history", env=env)
        assert result.exit_code == 0
        assert not ANSI.search(result.stdout)
        assert all(line == line.rstrip() for line in result.stdout.splitlines())
        assert max(map(len, result.stdout.splitlines())) <= 100
        assert "  best 111111222233444455555▲555555555555555555 worst\n" in result.stdout


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html", "json"])
def test_formats(run, fmt):
    result = scorecard(run, *KZ_2015, "--format", fmt)
    assert (result.exit_code, result.stderr) == (0, "")
    out = result.stdout
    if fmt == "json":
        card = json.loads(out)
        assert (card["country"], card["code"], card["year"], card["title"]) == ("Kazakhstan", "KZ", 2015, "Scorecard")
        assert [line["label"] for line in lines_of(card)] == [RSF_HIGH, "Highly corrupt"]
    elif fmt == "html":
        assert out.startswith("<!DOCTYPE html>")
        assert "<h1>Scorecard: Kazakhstan (KZ), 2015</h1>" in out
        assert "<script" not in out
        assert f"<strong>{RSF_HIGH} (5 of 5)</strong>" in out
    elif fmt == "markdown":
        assert out.startswith("# Scorecard: Kazakhstan (KZ), 2015\n")
        assert f"| **{RSF_HIGH} (5 of 5)**[^1] |" in out
        assert "| 28 / 100 | 1 of 5 in this file (computed) | **Highly corrupt (4 of 5)**[^2] |" in out
        assert "[^2]: Transparency International" in out
    else:
        assert out.startswith("Scorecard: Kazakhstan (KZ), 2015\n")
        assert f"  {RSF_HIGH} (5 of 5) [1]\n" in out


def sniff(text: str) -> str:
    if text.startswith("<!DOCTYPE html>"):
        return "html"
    if text.startswith("{"):
        json.loads(text)
        return "json"
    if text.startswith("# "):
        return "markdown"
    return "terminal"


@pytest.mark.parametrize(("name", "fmt"), [("card.html", "html"), ("card.HTM", "html"), ("card.md", "markdown"),
                                           ("card.markdown", "markdown"), ("card.json", "json"),
                                           ("card.txt", "terminal"), ("card", "terminal")])
def test_format_from_the_output_suffix(run, tmp_path, name, fmt):
    target = tmp_path / name
    result = scorecard(run, *KZ_2015, "-o", str(target))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert sniff(target.read_text(encoding="utf-8")) == fmt
    assert temporaries(tmp_path) == []


def test_format_option_wins_over_the_suffix(run, tmp_path):
    target = tmp_path / "card.html"
    assert scorecard(run, *KZ_2015, "-o", str(target), "--format", "json").exit_code == 0
    assert sniff(target.read_text(encoding="utf-8")) == "json"


def test_output_dash_is_stdout(run):
    result = scorecard(run, *KZ_2015, "-o", "-", "--format", "json")
    assert json.loads(result.stdout)["country"] == "Kazakhstan"


def test_output_replaces_an_existing_file_on_success(run, tmp_path):
    target = tmp_path / "card.md"
    target.write_text("old\n", encoding="utf-8")
    assert scorecard(run, *KZ_2015, "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Scorecard: Kazakhstan (KZ), 2015\n")
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("args", [
    ("--country", "Kazakstan", "-c", "cpi_score=ti"),
    ("--country", "KZ", "-c", "cpi_score=ti", "--year", "1980"),
    ("--country", "KZ", "-c", "cpi_score=ti", "--no-year-column"),
])
def test_a_failed_run_leaves_an_existing_output_untouched(run, tmp_path, args):
    target = tmp_path / "card.html"
    target.write_text("old\n", encoding="utf-8")
    result = scorecard(run, *args, "-o", str(target))
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8") == "old\n"
    assert temporaries(tmp_path) == []


def test_a_bad_card_file_leaves_an_existing_output_untouched(run, tmp_path):
    card = write(tmp_path / "bad.toml", 'title = "T"\n')
    target = tmp_path / "card.html"
    target.write_text("old\n", encoding="utf-8")
    assert run("scorecard", CJPME_CSV, "--card", card, "--country", "KZ", "-o", str(target)).exit_code == 1
    assert target.read_text(encoding="utf-8") == "old\n"
    assert temporaries(tmp_path) == []


def test_a_render_that_fails_midway_leaves_the_output_untouched(run, tmp_path, monkeypatch):
    from rightsband.scorecard import render as rendering

    def broken(card, fmt, out):
        out.write("<!DOCTYPE html> half a card")
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(rendering, "render", broken)  # the command imports it when it runs
    target = tmp_path / "card.html"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="renderer broke"):
        scorecard(run, *KZ_2015, "-o", str(target))
    assert target.read_text(encoding="utf-8") == "old\n"
    assert temporaries(tmp_path) == []


def test_a_card_with_a_problem_is_still_written_and_exits_1(run, tmp_path):
    target = tmp_path / "card.json"
    result = scorecard(run, "--country", "KZ", "-c", "rsf_score=rsf", "--year", "2022", "-o", str(target))
    assert result.exit_code == 1
    card = json.loads(target.read_text(encoding="utf-8"))
    assert card["problems"] == 1
    assert temporaries(tmp_path) == []


def test_all_writes_a_card_per_country_and_an_index(run, tmp_path):
    folder = tmp_path / "cards"
    result = scorecard(run, "--all", "-o", str(folder), "-c", "cpi_score=ti", "--year", "2015")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"rightsband: 5 card(s) and index.html written in {folder}\n"
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "kg.html", "kz.html", "tj.html", "tm.html",
                                                        "uz.html"]
    index = (folder / "index.html").read_text(encoding="utf-8")
    for code, name in (("kz", "Kazakhstan"), ("kg", "Kyrgyzstan"), ("uz", "Uzbekistan")):
        assert f'<li><a href="{code}.html">Scorecard: {name} ({code.upper()}), 2015</a></li>' in index
        page = (folder / f"{code}.html").read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>")
        assert f"<h1>Scorecard: {name} ({code.upper()}), 2015</h1>" in page
    assert "1 of 5 in this file (computed)" in (folder / "kg.html").read_text(encoding="utf-8")


def test_all_in_markdown(run, tmp_path):
    folder = tmp_path / "md"
    result = scorecard(run, "--all", "-o", str(folder), "-c", "cpi_score=ti", "--year", "2015", "--format", "markdown")
    assert result.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["index.md", "kg.md", "kz.md", "tj.md", "tm.md", "uz.md"]
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert index.startswith("# Scorecard\n\n- [Scorecard: Kazakhstan (KZ), 2015](<kz.md>)\n")
    assert (folder / "tm.md").read_text(encoding="utf-8").startswith("# Scorecard: Turkmenistan (TM), 2015\n")


def test_all_in_json_and_a_country_without_the_year(run, tmp_path):
    data = write(tmp_path / "some.csv", "country,iso2,year,score\nKazakhstan,KZ,2015,29\nKyrgyzstan,KG,2014,28\n")
    folder = tmp_path / "json"
    result = run("scorecard", data, "--all", "-o", str(folder), "-c", "score=ti", "--year", "2015", "--format", "json")
    assert result.exit_code == 1  # Kyrgyzstan has no 2015 record: no card
    assert f"Kyrgyzstan has no record for 2015 in {data}; its years are 2014" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["index.json", "kz.json"]
    assert json.loads((folder / "index.json").read_text(encoding="utf-8")) == [
        {"country": "Kazakhstan", "code": "KZ", "year": 2015, "file": "kz.json", "problems": 0}]


@pytest.mark.parametrize(("args", "message"), [
    (("--all", "-c", "cpi_score=ti"), "--all writes one file per country: give -o DIR"),
    (("--all", "-o", "-", "-c", "cpi_score=ti"), "--all writes one file per country: give -o DIR"),
    (("--all", "--country", "KZ", "-o", "DIR", "-c", "cpi_score=ti"), "give --country NAME|CODE, or --all with -o DIR"),
    (("-c", "cpi_score=ti",), "give --country NAME|CODE, or --all with -o DIR"),
    (("--country", "KZ", "-c", "cpi_score=ti", "--card", CJPME_CARD), "--column COLS=INDEX[:TITLE], or a --card FILE"),
    (("--country", "KZ"), "not a publisher's file rightsband recognises; a card from a tidy table names its "
                          "lines with --column COLS=INDEX[:TITLE] or a --card FILE"),
    (("--country", "KZ", "-c", "cpi_score"), '"cpi_score" is not COLS=INDEX[:TITLE]'),
    (("--country", "KZ", "-c", "cpi_score=nope"), "unknown band set 'nope'"),
    (("--country", "KZ", "-c", "nosuch=ti"), 'no column "nosuch" in the header'),
    (("--country", "KZ", "-c", "cpi_score=ti", "--year-column", "year", "--no-year-column"),
     "give --year-column or --no-year-column, not both"),
])
def test_usage_errors(run, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = scorecard(run, *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert os.listdir(tmp_path) == []  # DIR was not made


def test_all_into_an_existing_file_is_a_usage_error(run, tmp_path):
    target = tmp_path / "file.html"
    target.write_text("old\n", encoding="utf-8")
    result = scorecard(run, "--all", "-o", str(target), "-c", "cpi_score=ti")
    assert result.exit_code == 2
    assert "is not a directory" in result.stderr
    assert target.read_text(encoding="utf-8") == "old\n"


# -- card files -------------------------------------------------------------------------------------------------


def test_check_card_accepts_the_example(run):
    result = run("check-card", CJPME_CARD)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"rightsband: {CJPME_CARD}: 0 error(s)\n")


BAD_CARDS = {
    "unknown top key": (card_text('title = "T"', 'colour = "red"', "[[section]]", 'title = "S"', "[[section.line]]",
                                  'column = "a"', 'index = "ti"'),
                        [(2, 'the card: unknown key "colour"; the keys are country_column, section, subtitle, title, '
                             "year_column")]),
    "unknown section key": (card_text('title = "T"', "", "[[section]]", 'title = "S"', "shade = 1", "",
                                      "[[section.line]]", 'column = "a"', 'index = "ti"'),
                            [(5, 'section 1: unknown key "shade"; the keys are line, title')]),
    "unknown line key": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]", 'column = "a"',
                                   'index = "ti"', "", "[[section.line]]", 'column = "b"', 'index = "ti"',
                                   'colour = "red"'),
                         [(11, 'section 1, line 2: unknown key "colour"; the keys are column, columns, index, note, '
                               "published, rank, rank_of, title")]),
    "missing title": (card_text('subtitle = "x"', "[[section]]", 'title = "S"', "[[section.line]]", 'column = "a"',
                                'index = "ti"'),
                      [(1, "the card has no title")]),
    "empty title": (card_text("", 'title = ""', "[[section]]", 'title = "S"', "[[section.line]]", 'column = "a"',
                              'index = "ti"'),
                    [(2, "the card: title is a non-empty text, not ''")]),
    "missing index": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]", 'column = "a"',
                                'index = "ti"', "[[section.line]]", 'title = "no index"', 'column = "b"'),
                      [(7, "section 1, line 2 has no index")]),
    "missing column": (card_text('title = "T"', "[[section]]", 'title = "S"', "", "[[section.line]]",
                                 'index = "ti"'),
                       [(5, "section 1, line 1 has no column")]),
    "unknown index": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]", 'column = "a"',
                                'index = "nope"'),
                      [(6, "section 1, line 1: unknown band set 'nope'. Known sets: rsf, ti, fh-pr")]),
    "one column for a composite": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]",
                                             'column = "pr"', 'index = "fh-status"'),
                                   [(6, 'section 1, line 1: fh-status reads 2 column(s) (pr and cl), not 1: '
                                        'e.g. "PR,CL"')]),
    "three columns for a composite": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]",
                                                'columns = ["pr", "cl", "x"]', 'index = "fh-status"'),
                                      [(6, "section 1, line 1: fh-status reads 2 column(s) (pr and cl), not 3")]),
    "column and columns": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]",
                                     'column = "pr"', 'columns = ["pr", "cl"]', 'index = "fh-status"'),
                           [(6, "section 1, line 1: give column or columns, not both")]),
    "columns not a list of names": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]",
                                              'columns = ["pr", 3]', 'index = "fh-status"'),
                                    [(5, "section 1, line 1: columns is a list of column names")]),
    "rank_of 0": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]", 'column = "a"',
                            'index = "ti"', 'rank = "r"', "rank_of = 0"),
                  [(8, "section 1, line 1: rank_of is a column name or a whole number of at least 1, not 0")]),
    "rank_of true": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]", 'column = "a"',
                               "rank_of = true", 'index = "ti"'),
                     [(6, "rank_of is a column name or a whole number of at least 1, not True")]),
    "rank_of 1.5": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]", "rank_of = 1.5",
                              'column = "a"', 'index = "ti"'),
                    [(5, "rank_of is a column name or a whole number of at least 1, not 1.5")]),
    "section without lines": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]",
                                        'column = "a"', 'index = "ti"', "", "[[section]]", 'title = "Empty"'),
                              [(8, "section 2 has no [[section.line]] tables")]),
    "no sections": (card_text('title = "T"', 'subtitle = "no sections"'),
                    [(1, "a card needs at least one [[section]] with [[section.line]] tables")]),
    "multi-line string before a key": (card_text('title = "T"', 'subtitle = """', "[[section]]", 'colour = "x"',
                                                 '"""', "[[section]]", 'title = "S"', "[[section.line]]",
                                                 'column = "a"', 'index = "ti"', "rank_of = 0"),
                                       [(11, "rank_of is a column name or a whole number of at least 1")]),
    "several problems": (card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]", 'column = "a"',
                                   'index = "ti"', "[[section]]", 'title = "S2"', "[[section.line]]",
                                   'column = "a"', 'index = "ti"', "[[section.line]]", 'column = "pr"',
                                   'index = "fh-status"', "rank_of = 0"),
                         [(15, "section 2, line 2: rank_of is"), (14, "section 2, line 2: fh-status reads 2")]),
}


def check_findings(findings: list[str], path: str, expected: list[tuple[int, str]]) -> None:
    assert len(findings) == len(expected), findings
    for finding, (line, fragment) in zip(findings, expected):
        assert finding.startswith(f"{path}:{line}: error: "), (finding, line)
        assert fragment in finding, (finding, fragment)


@pytest.mark.parametrize("name", list(BAD_CARDS))
def test_check_card_reports_each_problem_on_its_line(run, tmp_path, name):
    text, expected = BAD_CARDS[name]
    path = write(tmp_path / "card.toml", text)
    result = run("check-card", path)
    assert result.exit_code == 1
    check_findings(result.stdout.splitlines(), path, expected)
    assert result.stderr == f"rightsband: {path}: {len(expected)} error(s)\n"


@pytest.mark.parametrize("name", list(BAD_CARDS))
def test_check_card_api_agrees_with_the_command(rules, tmp_path, name):
    from rightsband.scorecard import CardError, check_card, read_card

    text, expected = BAD_CARDS[name]
    path = write(tmp_path / "card.toml", text)
    findings = check_card(path, rules)
    check_findings([str(f) for f in findings], path, expected)
    assert [f.line for f in findings] == [line for line, _ in expected]
    with pytest.raises(CardError) as caught:
        read_card(path, rules)
    assert [str(f) for f in caught.value.findings] == [str(f) for f in findings]


def test_invalid_toml_gives_the_parsers_line(run, tmp_path):
    path = write(tmp_path / "card.toml", card_text('title = "T"', "", "[[section]", 'title = "S"'))
    result = run("check-card", path)
    assert result.exit_code == 1
    [finding] = result.stdout.splitlines()
    assert finding.startswith(f"{path}:3: error: not valid TOML: ")
    path = write(tmp_path / "card2.toml", card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]",
                                                    'column = "a"', 'index = "ti"', "note = unquoted"))
    [finding] = run("check-card", path).stdout.splitlines()
    assert finding.startswith(f"{path}:7: error: not valid TOML: ")


def test_unreadable_card_file(run, tmp_path):
    missing = str(tmp_path / "missing.toml")
    result = run("check-card", missing)
    assert result.exit_code == 1
    assert result.stdout == f"{missing}:1: error: cannot read the card file: No such file or directory\n"
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"title = \"\xff\xfe\"\n")
    result = run("check-card", str(binary))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{binary}:1: error: cannot read the card file: 'utf-8' codec can't decode")


def test_a_card_with_a_bom_and_crlf_is_read(run, tmp_path):
    text = card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]", 'column = "cpi_score"',
                     'index = "ti"', "rank_of = 0").replace("\n", "\r\n")
    path = tmp_path / "card.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    [finding] = run("check-card", str(path)).stdout.splitlines()
    assert finding.startswith(f"{path}:7: error: section 1, line 1: rank_of is")


def test_scorecard_with_a_bad_card_names_the_first_finding_and_check_card(run, tmp_path):
    path = write(tmp_path / "bad.toml", BAD_CARDS["several problems"][0])
    line = one_line(run("scorecard", CJPME_CSV, "--card", path, "--country", "KZ"))
    assert line.startswith(f"rightsband: {path}:15: error: section 2, line 2: rank_of is a column name")
    assert line.endswith(f" (and 1 more); run `rightsband check-card {path}`")
    path = write(tmp_path / "one.toml", BAD_CARDS["unknown top key"][0])
    line = one_line(run("scorecard", CJPME_CSV, "--card", path, "--country", "KZ"))
    assert line == (f'rightsband: {path}:2: error: the card: unknown key "colour"; the keys are country_column, '
                    f"section, subtitle, title, year_column; run `rightsband check-card {path}`")


def test_literal_multi_line_string_does_not_hide_the_line(run, tmp_path):
    path = write(tmp_path / "card.toml", card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]",
                                                   "note = '''", "rank_of = 5", "'''", 'column = "a"',
                                                   'index = "ti"', "rank_of = 0"))
    [finding] = run("check-card", path).stdout.splitlines()
    assert finding.startswith(f"{path}:10: error: ")


def test_a_card_column_the_data_lacks_is_a_usage_error(run, tmp_path):
    path = write(tmp_path / "card.toml", card_text('title = "T"', "[[section]]", 'title = "S"', "[[section.line]]",
                                                   'column = "nosuch"', 'index = "ti"'))
    result = run("scorecard", CJPME_CSV, "--card", path, "--country", "KZ")
    assert (result.exit_code, result.stdout) == (2, "")
    assert 'no column "nosuch" in the header' in result.stderr
