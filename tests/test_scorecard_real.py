"""Scorecards drawn from the publishers' own exports in ../shared/data/real (see SOURCES.md there).

Each check compares the card with what the publisher printed beside the score: Freedom House's
``Status`` (F / PF / NF), RSF's 2024 ``Situation`` and the ranks TI and RSF publish. The
checks skip when a file is absent.

What these files showed (kept here, as the tests pin it):

- TI's CPI ``Rank`` is a competition rank ("1224": tied scores share a rank and the next rank
  is skipped). The card's computed rank (1 + the number of better scores among the file's records
  of the year) is the same rule, so it equals the published rank for every country of every year
  2012-2023, ties included, not only where scores are unique.
- Freedom House's ratings file has no year under review 1981 (edition 1982 covers Jan. 1981 to
  Aug. 1982, read as 1982): a gap in every history that spans it. Hong Kong is on both the
  country and the territory sheet, so it has two records a year and no card.
- RSF's file renames 15 countries between editions under one ISO code (Turkey/Türkiye, Czech
  Republic/Czechia, ...): each is one country, found by its code.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from rightsband.rules import load_rules
from rightsband.scorecard import CountryError, build_card, from_specs, read_card, read_card_data
from rightsband.scorecard.card import BANDED, PROBLEM, HistoryCell
from rightsband.scorecard.phrases import history_text
from rightsband.scorecard.pictures import GAP_COLOUR

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "real"
FH_RATINGS = "freedomhouse_fiw_ratings_statuses_1972_2023.csv"
FH_AGGREGATE = "freedomhouse_fiw_all_data_2013_2025_editions.csv"
RSF = "rsf_wpfi_2022_2025.csv"
TI = "ti_cpi_2012_2023.csv"

#: Freedom House's status codes as the card's bands name them.
FH_STATUS = {"F": "Free", "PF": "Partly Free", "NF": "Not Free"}
#: RSF's 2024 ``Situation`` labels (French, as published) and the English band names (SOURCES.md).
RSF_SITUATION = {"Bonne situation": "Good", "Situation plutôt bonne": "Satisfactory",
                 "Situation problématique": "Problematic", "Situation difficile": "Difficult",
                 "Situation très grave": "Very serious"}
UNDETERMINED = "Partly Free or Not Free (undetermined)"


def real(name: str) -> Path:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {REAL.resolve()}")
    return path


def rows(name: str) -> list[dict[str, str]]:
    with real(name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def card_file(directory: Path, columns: list[str], index: str, published: str) -> Path:
    """A one-line card file whose line compares the band with the publisher's label column."""
    path = directory / f"{index}.toml"
    path.write_text(f'title = "Real data"\n\n[[section]]\ntitle = "{index}"\n\n[[section.line]]\n'
                    f"columns = {json.dumps(columns)}\nindex = {json.dumps(index)}\n"
                    f"published = {json.dumps(published)}\n", encoding="utf-8")
    return path


def card_data(path: Path, definition):
    needed = [column for line in definition.lines for column in line.needed]
    with path.open("rb") as stream:
        return read_card_data(stream, str(path), needed, delimiter=None, encoding="utf-8")


@pytest.fixture(scope="module")
def fh_ratings(rules, tmp_path_factory):
    """The ratings file 1972-2023 on fh-fiw-status, each line compared with ``Status``."""
    path = real(FH_RATINGS)
    definition = read_card(str(card_file(tmp_path_factory.mktemp("fh"), ["PR", "CL"], "fh-fiw-status", "Status")),
                           rules)
    return definition, card_data(path, definition)


@pytest.fixture(scope="module")
def fh_aggregate(rules, tmp_path_factory):
    path = real(FH_AGGREGATE)
    definition = read_card(str(card_file(tmp_path_factory.mktemp("fh-all"), ["PR rating", "CL rating"], "fh-status",
                                         "Status")), rules)
    return definition, card_data(path, definition)


@pytest.fixture(scope="module")
def rsf(rules):
    path = real(RSF)
    definition = from_specs(("Score=rsf-map",), ("Score=Rank",), rules, "RSF")
    return definition, card_data(path, definition)


@pytest.fixture(scope="module")
def rsf_situation(rules, tmp_path_factory):
    path = real(RSF)
    definition = read_card(str(card_file(tmp_path_factory.mktemp("rsf"), ["Score"], "rsf-map", "Situation")), rules)
    return definition, card_data(path, definition)


@pytest.fixture(scope="module")
def ti(rules):
    path = real(TI)
    definition = from_specs(("CPI score=ti",), (), rules, "TI")
    return definition, card_data(path, definition)


def history_of(card) -> dict[int, object]:
    return {cell.year: cell for cell in card.lines[0].history}


# --- Freedom House, ratings and statuses 1972-2023 ------------------------------------------------------------


def test_fh_kazakhstan_history_from_the_command_line(run):
    """``-c PR,CL=fh-fiw-status --history`` for Kazakhstan: its years to 2023, the rule change at 2003,
    the undetermined 5.5 of 1994-2002, and every band as the published status gives it."""
    path = real(FH_RATINGS)
    result = run("scorecard", str(path), "--country", "kazakhstan", "-c", "PR,CL=fh-fiw-status", "--history",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    card = json.loads(result.stdout)
    assert (card["country"], card["year"], card["year_note"]) == ("Kazakhstan", 2023,
                                                                  "the latest year in the file for Kazakhstan")
    line = card["sections"][0]["lines"][0]
    assert (line["state"], line["label"], line["set_id"]) == (BANDED, "Not Free", "fh-status")
    assert [(s["name"], s["text"]) for s in line["scores"]] == [("pr", "7"), ("cl", "5")]

    published = {int(r["Year(s) Under Review"]): r for r in rows(FH_RATINGS) if r["Country/Territory"] == "Kazakhstan"}
    years = [cell["year"] for cell in line["history"]]
    assert years[0] in (1972, min(published)) and years[-1] == 2023 == max(published)
    assert years == list(range(years[0], 2024)) == card["history_years"]
    for cell in line["history"]:
        year = cell["year"]
        assert cell["edition"] == ("fh-status-1972" if year < 2003 else "fh-status"), year
        assert cell["new_edition"] is (year == 2003), year
        if year not in published:  # a year Kazakhstan has no record: a gap, never a band
            assert (cell["label"], cell["position"], cell["problem"]) == (None, None, ""), year
            continue
        status = published[year]["Status"]
        if 1994 <= year <= 2002:  # PR 6, CL 5: a mean of 5.5, Partly Free or Not Free before 2003 (published NF)
            assert (published[year]["PR"], published[year]["CL"], status) == ("6", "5", "NF")
            assert cell["label"] == UNDETERMINED, year
        else:
            assert cell["label"] == FH_STATUS[status], year
    assert "1991–1993 Partly Free; 1994–2002 Partly Free or Not Free (undetermined) (fh-status-1972 [2]) | " \
           "2003–2023 Not Free (fh-status [1])" in history_text_of(line)


def history_text_of(line: dict) -> str:
    return history_text(tuple(HistoryCell(**cell) for cell in line["history"]))


def test_fh_kazakhstan_1994_is_undetermined(fh_ratings, rules):
    definition, data = fh_ratings
    line = build_card(definition, data, data.find("Kazakhstan"), rules, year=1994).lines[0]
    assert (line.state, line.set_id, line.label, line.undetermined) == (BANDED, "fh-status-1972", UNDETERMINED, True)
    assert [score.text for score in line.scores] == ["6", "5"]
    assert line.published == "NF"


def test_fh_published_nf_does_not_contradict_the_undetermined_band(fh_ratings, rules):
    definition, data = fh_ratings
    line = build_card(definition, data, data.find("Kazakhstan"), rules, year=1994).lines[0]
    assert line.agrees is not False


@pytest.mark.parametrize(("country", "gaps"), [
    ("Kazakhstan", set()),
    ("Norway", {1981}),
    ("Andorra", set(range(1977, 1993))),
])
def test_fh_history_gaps_are_the_years_without_a_record(fh_ratings, rules, country, gaps):
    definition, data = fh_ratings
    card = build_card(definition, data, data.find(country), rules, history=True)
    mine = {int(r["Year(s) Under Review"]) for r in rows(FH_RATINGS)
            if r["Country/Territory"] == country and r["Year(s) Under Review"].isdigit()}
    cells = history_of(card)
    assert card.history_years[-1] == 2023
    assert card.history_years[0] in (1972, min(data.years(data.find(country))))
    found = {year for year, cell in cells.items() if cell.label is None}
    assert found == gaps | (set(card.history_years) - set(data.years(data.find(country))))
    for year in gaps:
        cell = cells[year]
        assert (cell.label, cell.position, cell.colour, cell.problem) == (None, None, GAP_COLOUR, ""), year
    assert all(cells[year].label is not None for year in mine & set(cells)), country


@pytest.mark.parametrize("year", [2005, 2015, 2023])
@pytest.mark.parametrize("country", ["Norway", "Kazakhstan", "Brazil", "Turkey"])
def test_fh_status_agrees_with_the_published_status(fh_ratings, rules, country, year):
    definition, data = fh_ratings
    published = next(r for r in rows(FH_RATINGS)
                     if r["Country/Territory"] == country and r["Year(s) Under Review"] == str(year))
    card = build_card(definition, data, data.find(country), rules, year=year)
    line = card.lines[0]
    assert card.year == year
    assert [score.text for score in line.scores] == [published["PR"], published["CL"]]
    assert (line.set_id, line.label, line.published, line.agrees) == ("fh-status", FH_STATUS[published["Status"]],
                                                                      published["Status"], True)
    assert card.disagreements == 0


def test_fh_every_status_of_three_years_agrees(fh_ratings, rules):
    """Every country and territory (one record a year) in 2005, 2015 and 2023: band = published status."""
    definition, data = fh_ratings
    checked = 0
    for year in (2005, 2015, 2023):
        records = data.of_year(year)
        twice = {country for country, _ in records if sum(c == country for c, _ in records) > 1}
        assert {data.name(country) for country in twice} == {"Hong Kong"}  # on the country and the territory sheet
        for country, record in records:
            if country in twice:
                continue
            line = build_card(definition, data, country, rules, year=year).lines[0]
            assert (line.label, line.agrees) == (FH_STATUS[record.cells["Status"]], True), (country, year)
            checked += 1
    assert checked > 600


def test_fh_publisher_exception_is_shown_as_a_contradiction(fh_ratings, rules):
    """Mali 1998, PR 3 and CL 3 (mean 3.0), published Free: the band is Partly Free, and the card says so."""
    definition, data = fh_ratings
    card = build_card(definition, data, data.find("Mali"), rules, year=1998)
    line = card.lines[0]
    assert (line.label, line.published, line.agrees, card.disagreements) == ("Partly Free", "F", False, 1)


def test_fh_a_cell_that_is_not_a_rating_is_a_problem(fh_ratings, rules):
    """South Africa, edition Jan.-Feb. 1973: PR ``2(5)``, CL ``3(6)`` (white and black South Africa)."""
    definition, data = fh_ratings
    card = build_card(definition, data, data.find("south africa"), rules, year=1972, history=True)
    line = card.lines[0]
    assert (line.state, line.label, card.problems) == (PROBLEM, None, 1)
    assert '"2(5)" is not a number' in line.problem and '"3(6)" is not a number' in line.problem
    first = history_of(card)[1972]
    assert first.label is None and '"2(5)"' in first.problem


def test_fh_two_records_a_year_is_refused(fh_ratings, rules):
    definition, data = fh_ratings
    with pytest.raises(CountryError, match=r"Hong Kong has 2 records for 2023 .*keep one per country and year"):
        build_card(definition, data, data.find("HONG KONG"), rules)


# --- Freedom House, aggregate scores, editions 2013-2025 ------------------------------------------------------


def test_fh_aggregate_statuses_agree(fh_aggregate, rules):
    """``-c "PR rating,CL rating=fh-status"`` on every record of the first, a middle and the last edition
    (SOURCES.md: all 2,723 records of editions 2013-2025 agree)."""
    definition, data = fh_aggregate
    assert data.year_column == "Edition"
    checked = 0
    for edition in (2013, 2019, 2025):
        records = data.of_year(edition)
        assert len(records) >= 208, edition
        for country, record in records:
            line = build_card(definition, data, country, rules, year=edition).lines[0]
            assert (line.set_id, line.label, line.agrees) == ("fh-status", FH_STATUS[record.cells["Status"]], True), \
                (country, edition)
            checked += 1
    assert checked == sum(r["Edition"] in ("2013", "2019", "2025") for r in rows(FH_AGGREGATE))


def test_fh_aggregate_kazakhstan_from_the_command_line(run):
    path = real(FH_AGGREGATE)
    result = run("scorecard", str(path), "--country", "Kazakhstan", "-c", "PR rating,CL rating=fh-status",
                 "--history", "--format", "json")
    assert result.exit_code == 0, result.stderr
    card = json.loads(result.stdout)
    line = card["sections"][0]["lines"][0]
    assert (card["year"], line["label"], line["set_id"]) == (2025, "Not Free", "fh-status")
    assert [(c["year"], c["label"], c["new_edition"]) for c in line["history"]] == \
        [(year, "Not Free", False) for year in range(2013, 2026)]


# --- RSF World Press Freedom Index 2022-2025 -------------------------------------------------------------------


def test_rsf_every_2024_band_agrees_with_the_published_situation(rsf_situation, rules):
    definition, data = rsf_situation
    records = data.of_year(2024)
    assert len(records) == 180
    for country, record in records:
        line = build_card(definition, data, country, rules, year=2024).lines[0]
        situation = record.cells["Situation"]
        assert (line.set_id, line.label, line.published, line.agrees) == (
            "rsf-2022", RSF_SITUATION[situation], situation, True), country


@pytest.mark.parametrize(("country", "score", "rank", "band"), [
    ("NOR", "91.89", "1", "Good"),
    ("Tonga", "70.11", "45", "Satisfactory"),
    ("ita", "69.8", "46", "Problematic"),
    ("Zambia", "55.38", "95", "Problematic"),
    ("TCD", "54.81", "96", "Difficult"),
    ("kaz", "41.11", "142", "Difficult"),
])
def test_rsf_2024_bands_near_the_cut_points(rsf, rules, country, score, rank, band):
    definition, data = rsf
    line = build_card(definition, data, data.find(country), rules, year=2024).lines[0]
    assert [s.text for s in line.scores] == [score]
    assert (line.label, line.set_id) == (band, "rsf-2022")
    assert (line.rank.rank, line.rank.computed) == (rank, False)
    published = next(r for r in rows(RSF) if r["Year (N)"] == "2024" and r["Score"] == score)
    assert RSF_SITUATION[published["Situation"]] == band


def test_rsf_kazakhstan_by_iso3_code_from_the_command_line(run):
    path = real(RSF)
    result = run("scorecard", str(path), "--country", "kaz", "-c", "Score=rsf-map", "--rank", "Score=Rank",
                 "--history", "--format", "json")
    assert result.exit_code == 0, result.stderr
    card = json.loads(result.stdout)
    line = card["sections"][0]["lines"][0]
    assert (card["country"], card["code"], card["year"]) == ("Kazakhstan", "KAZ", 2025)
    assert (line["scores"][0]["text"], line["rank"], line["label"]) == (
        "39.34", {"rank": "141", "of": "", "computed": False}, "Very serious")
    assert [(c["year"], c["label"], c["edition"]) for c in line["history"]] == [
        (2022, "Difficult", "rsf-2022"), (2023, "Difficult", "rsf-2022"), (2024, "Difficult", "rsf-2022"),
        (2025, "Very serious", "rsf-2022")]


def test_rsf_a_renamed_country_is_one_country_by_its_code(rsf, rules):
    definition, data = rsf
    card = build_card(definition, data, data.find("TUR"), rules, history=True)
    assert card.year == 2025
    assert [(c.year, c.label) for c in card.lines[0].history] == [
        (2022, "Difficult"), (2023, "Very serious"), (2024, "Very serious"), (2025, "Very serious")]


# --- TI Corruption Perceptions Index 2012-2023 -----------------------------------------------------------------


@pytest.mark.parametrize(("country", "rank", "band"), [
    ("Denmark", "1", "Very limited corruption"),
    ("NOR", "4", "Very limited corruption"),
    ("kaz", "93", "Highly corrupt"),
    ("Brazil", "104", "Highly corrupt"),
    ("Somalia", "180", "Extremely corrupt"),
])
def test_ti_computed_rank_is_the_published_rank(ti, rules, country, rank, band):
    definition, data = ti
    card = build_card(definition, data, data.find(country), rules, year=2023)
    line = card.lines[0]
    published = next(r for r in rows(TI) if r["Year"] == "2023" and r["ISO3"] == card.code)
    assert published["Rank"] == rank
    assert (line.rank.rank, line.rank.of, line.rank.computed) == (rank, "180", True)
    assert (line.label, line.set_id) == (band, "ti")


def test_ti_computed_rank_equals_published_rank_for_every_country_ties_included(ti, rules):
    definition, data = ti
    year = 2023
    published = {r["ISO3"]: r for r in rows(TI) if r["Year"] == str(year)}
    scores = [r["CPI score"] for r in published.values()]
    tied = {code for code, r in published.items() if scores.count(r["CPI score"]) > 1}
    assert tied, "the year has tied scores, so the check covers them"
    for country, _ in data.of_year(year):
        card = build_card(definition, data, country, rules, year=year)
        rank = card.lines[0].rank
        assert (rank.rank, rank.of, rank.computed) == (published[card.code]["Rank"], str(len(published)), True), \
            country
