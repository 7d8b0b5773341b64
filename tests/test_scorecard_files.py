"""`rightsband scorecard FILE...`: cards from publishers' files through the panel (a line per measure, each
with its edition, the year it covers and its file and row; names on codes; --latest; --all per code), and a
names-only tidy table grouped by country keys. The shipped files are beside the repository
(../shared/data/shipped); their tests skip cleanly where they are absent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from rightsband.scorecard.files import _short

SHIPPED = REPO.parent / "shared" / "data" / "shipped"
FH = SHIPPED / "freedomhouse" / "Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx"
CPI = SHIPPED / "ti" / "CPI2023_GlobalResultsTrends.xlsx"
BTI = SHIPPED / "bti" / "BTI_2006-2020_Scores.xlsx"
RSF = SHIPPED / "rsf"
RSF_2020, RSF_2024 = REPO / "examples" / "rsf-2020-download.csv", REPO / "examples" / "rsf-2024-download.csv"
shipped = pytest.mark.skipif(not SHIPPED.is_dir(), reason=f"publishers' files not found at {SHIPPED}")
FORMATS = ("terminal", "markdown", "html")


def card(run, *args: object):
    result = run("scorecard", *map(str, args), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def lines(data: dict) -> dict[str, dict]:
    """The card's lines by measure."""
    return {line["origin"]["measure"]: line for section in data["sections"] for line in section["lines"]}


# -- the Done-when card: three publishers' files --------------------------------------------------------------


@shipped
@pytest.mark.parametrize("fmt", FORMATS)  # json: below
def test_kazakhstan_2020_from_three_publishers_files(run, fmt):
    result = run("scorecard", str(FH), str(CPI), str(RSF / "2020.csv"), "--country", "Kazakhstan", "--year", "2020",
                 "--format", fmt)
    assert (result.exit_code, result.stderr) == (0, "")
    text = result.stdout.replace("\\_", "_")  # markdown escapes the underscores of file names
    said = ["Kazakhstan", "KAZ", "Not Free", "Highly corrupt", "Difficult", "45,89", "CPI2023_GlobalResultsTrends.xlsx",
            "2020.csv"]
    said.append("edition 2021, covering 2020 (the year under review)")
    for words in said:
        assert words in " ".join(text.split()), words
    assert str(SHIPPED) not in text and "../" not in text  # file names, not paths


@shipped
def test_kazakhstan_2020_lines_editions_and_places(run):
    data = card(run, FH, CPI, RSF / "2020.csv", "--country", "kaz", "--year", "2020")
    assert (data["country"], data["code"], data["year"]) == ("Kazakhstan", "KAZ", 2020)
    assert data["source"] == ("Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx, "
                              "CPI2023_GlobalResultsTrends.xlsx, 2020.csv")
    assert [section["title"] for section in data["sections"]] == [
        "Freedom House", "Transparency International", "Reporters Without Borders (RSF)"]
    found = lines(data)
    assert {m: (line["label"], line["set_id"]) for m, line in found.items()} == {
        "fh-status": ("Not Free", "fh-status"), "fh-pr": ("Not free", "fh-pr"), "fh-cl": ("Partly free", "fh-cl"),
        "ti-cpi": ("Highly corrupt", "ti"), "rsf-score": ("Difficult", "rsf-2013-current")}
    status = found["fh-status"]
    assert [(s["name"], s["text"]) for s in status["scores"]] == [("pr", "7"), ("cl", "5")]
    assert (status["published"], status["verdict"]) == ("NF", "agree")
    assert status["origin"] == {"measure": "fh-status", "edition": "2021", "year": 2020,
                                "period": "the year under review", "latest": False,
                                "place": 'Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx, sheet '
                                         '"Country Ratings, Statuses ", row 93, column "PR,CL"'}
    assert found["rsf-score"]["rank"] == {"rank": "157", "of": "", "computed": False}
    assert found["ti-cpi"]["origin"]["place"].startswith('CPI2023_GlobalResultsTrends.xlsx, sheet "CPI Historical')


@shipped
def test_latest_takes_each_index_latest_edition_and_says_so(run):
    data = card(run, FH, CPI, RSF / "2020.csv", RSF / "2021.csv", "--country", "Kazakhstan", "--latest")
    assert data["year"] is None and data["year_note"].startswith("each index's latest edition in the files")
    found = lines(data)
    assert {m: (line["origin"]["edition"], line["origin"]["year"], line["origin"]["latest"])
            for m, line in found.items()} == {
        "fh-status": ("2024", 2023, True), "fh-pr": ("2024", 2023, True), "fh-cl": ("2024", 2023, True),
        "ti-cpi": ("2023", 2023, True), "rsf-score": ("2021", 2021, True)}
    assert found["rsf-score"]["origin"]["place"].startswith("2021.csv, row ")
    result = run("scorecard", str(CPI), str(RSF / "2021.csv"), "--country", "Kazakhstan", "--latest", "--format",
                 "markdown")
    assert result.stdout.count("the latest edition in the files") == 2


@shipped
def test_czechia_and_czech_republic_are_one_card_from_fh_and_rsf(run):
    # Freedom House writes "Czech Republic"; RSF's 2023 download "Czechia": one key, CZE, one card.
    data = card(run, FH, RSF / "2022.csv", RSF / "2023.csv", "--country", "Czechia", "--latest")
    assert (data["country"], data["code"]) == ("Czech Republic", "CZE")  # the name of the card's latest record
    found = lines(data)
    assert found["rsf-score"]["origin"]["place"].startswith("2023.csv")
    assert (found["fh-status"]["label"], found["fh-status"]["origin"]["year"]) == ("Free", 2023)


@shipped
def test_mostly_missing_year_exits_1_naming_each_index_years(run):
    result = run("scorecard", str(CPI), str(BTI), "--country", "Kazakhstan", "--year", "2021")
    assert result.exit_code == 1
    assert ("Kazakhstan 2021: 6 of 7 line(s) have no score for that year; the data has ti-cpi 2012–2023, "
            "bti-status-index 2006, 2008, 2010, 2012, 2014, 2016, 2018, 2020, ") in result.stderr
    assert result.stderr.rstrip().endswith("give --year YEAR, or --latest for each index's latest edition")


@shipped
def test_a_year_the_files_lack_for_the_country_exits_1_naming_the_years(run):
    result = run("scorecard", str(FH), str(CPI), str(RSF / "2020.csv"), "--country", "Kazakhstan", "--year", "2024")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "rightsband: Kazakhstan has no row for 2024 in Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx, "
        "CPI2023_GlobalResultsTrends.xlsx, 2020.csv; the files have fh-status 1991–2023, fh-pr 1991–2023, fh-cl "
        "1991–2023, ti-cpi 2012–2023, rsf-score 2020; give --year YEAR, or --latest for each index's latest edition\n")


# -- the repository's small RSF downloads: fast, always run ----------------------------------------------------


def test_czech_republic_2020_and_czechia_2024_are_one_card(run):
    data = card(run, RSF_2020, RSF_2024, "--country", "czech republic", "--latest")
    assert (data["country"], data["code"]) == ("Czechia", "CZE")
    line = lines(data)["rsf-score"]
    assert (line["label"], line["origin"]["year"], line["published"], line["verdict"]) == (
        "Satisfactory", 2024, "Situation plutôt bonne", "agree")
    assert card(run, RSF_2020, RSF_2024, "--country", "Czechia", "--year", "2020")["country"] == "Czech Republic"


def test_all_writes_one_file_per_code(run, tmp_path):
    folder = tmp_path / "cards"
    result = run("scorecard", str(RSF_2020), str(RSF_2024), "--all", "--latest", "-o", str(folder), "--format",
                 "json")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["cze.json", "index.json", "kaz.json", "nor.json", "swz.json"]
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert {row["code"]: row["country"] for row in index} == {
        "NOR": "Norway", "CZE": "Czechia", "SWZ": "Eswatini", "KAZ": "Kazakhstan"}
    eswatini = json.loads((folder / "swz.json").read_text(encoding="utf-8"))
    line = lines(eswatini)["rsf-score"]  # not in the 2024 file: the index's latest edition has no score for it
    assert (line["state"], line["origin"]["year"], line["origin"]["edition"]) == ("missing", 2024, "")


def test_conflicting_rows_refuse_the_card_naming_both(run, tmp_path):
    other = tmp_path / "other.csv"
    other.write_bytes(RSF_2020.read_bytes().replace(b"2020;NOR;1;92,16", b"2020;NOR;1;91,00"))
    result = run("scorecard", str(RSF_2020), str(other), "--country", "Norway", "--year", "2020")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("rightsband: Norway and Norway are both NOR in 2020, and rsf-score is 92,16 in "
                                    'rsf-2020-download.csv, row 2, column "Score N" but 91,00 in other.csv, row 2')
    assert "no card for Norway" in result.stderr
    same = tmp_path / "same.csv"
    shutil.copy(RSF_2020, same)  # the same scores twice: no conflict
    assert card(run, RSF_2020, same, "--country", "Norway", "--year", "2020")["code"] == "NOR"


@pytest.mark.parametrize(("args", "message"), [
    (("--country", "NOR", "--latest", "--year", "2020"), "give --year YEAR or --latest, not both"),
    (("--country", "NOR", "--rank", "a=b"), "--rank reads one tidy table"),
    (("--country", "NOR", "--sheet", "1"), "--sheet reads one tidy table"),
    (("--country", "NOR", "-c", "Score N=rsf-map-current"), "--column and --card read one tidy table"),
])
def test_usage_errors_with_publishers_files(run, args, message):
    result = run("scorecard", str(RSF_2020), str(RSF_2024), *args)
    assert result.exit_code == 2 and message in result.stderr


def test_latest_goes_with_publishers_files(run):
    result = run("scorecard", str(RSF_2020), "-c", "Score N=rsf-map-current", "--country", "NOR", "--latest")
    assert result.exit_code == 2 and "--latest goes with publishers' files" in result.stderr


def test_a_tidy_table_among_the_files_is_a_usage_error(run, tmp_path):
    tidy = tmp_path / "tidy.csv"
    tidy.write_text("country,year,score\nNorway,2020,90\n", encoding="utf-8")
    result = run("scorecard", str(RSF_2020), str(tidy), "--country", "NOR")
    assert result.exit_code == 2
    assert "tidy.csv: not a publisher's file rightsband recognises; a card from a tidy table names its lines" \
        in result.stderr


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_card_from_files_golden(run, snapshot, fmt):
    result = run("scorecard", str(RSF_2020), str(RSF_2024), "--country", "Kazakhstan", "--latest", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == snapshot


# -- one tidy table with names only: grouped by country keys ---------------------------------------------------


def test_names_only_table_groups_a_renamed_country(run, tmp_path):
    data = tmp_path / "scores.csv"
    data.write_text("country,year,score\nCzech Republic,2019,1\nCzech Republic,2020,2\nCzechia,2021,1\n"
                    "Czechoslovakia,1990,2\nSwaziland,2017,6\nEswatini,2020,7\n", encoding="utf-8")
    folder = tmp_path / "cards"
    result = run("scorecard", str(data), "-c", "score=fh-pr", "--all", "-o", str(folder), "--format", "json")
    assert result.exit_code == 0, result.stderr
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert sorted((row["country"], row["year"]) for row in index) == [
        ("Czechia", 2021), ("Czechoslovakia", 1990), ("Eswatini", 2020)]
    old = card(run, data, "-c", "score=fh-pr", "--country", "Czechia", "--year", "2020")
    assert (old["country"], old["record"]) == ("Czech Republic", "line 3")
    assert card(run, data, "-c", "score=fh-pr", "--country", "swaziland")["country"] == "Eswatini"
    assert card(run, data, "-c", "score=fh-pr", "--country", "SWZ")["year"] == 2020


def test_names_only_table_with_two_names_of_one_country_in_a_year_is_refused(run, tmp_path):
    data = tmp_path / "scores.csv"
    data.write_text("country,year,score\nCzech Republic,2020,54\nCzechia,2020,55\n", encoding="utf-8")
    result = run("scorecard", str(data), "-c", "score=fh-pr", "--country", "Czechia", "--year", "2020")
    assert result.exit_code == 1
    assert "has 2 records for 2020" in result.stderr and "keep one per country and year" in result.stderr


@pytest.mark.parametrize(("means", "short"), [
    ("the year under review (row 2 of the workbook), the survey edition's year minus one", "the year under review"),
    ("the CPI year (column Year): the index named for that year", "the CPI year"),
    ("the BTI edition year", "the BTI edition year"),
])
def test_short_period(means, short):
    assert _short(means) == short


def test_no_file_read_from_stdin_without_lines(run):
    result = run("scorecard", "--country", "NOR", input="a,b\n")
    assert result.exit_code == 2 and "give the publishers' FILEs" in result.stderr


def test_file_missing(run, tmp_path):
    result = run("scorecard", str(RSF_2020), str(tmp_path / "nope.csv"), "--country", "NOR")
    assert result.exit_code in (1, 2) and "nope.csv" in result.stderr


def test_paths_are_file_names_on_the_card(run):
    data = card(run, Path("examples") / "rsf-2020-download.csv" if Path("examples").is_dir() else RSF_2020,
                "--country", "NOR", "--year", "2020")
    assert data["source"] == "rsf-2020-download.csv"
