"""The publishers' own classes and their editions by year: bounds from both sides, undetermined
outcomes, ratings from aggregate scores, year selection, and `--year` / `--year-column`."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import set_toml
from rightsband import YearError, check_rules, load_rules
from rightsband.batch import Mapping, MappingError, label_csv

RULES = load_rules()

# The publishers' tables (reference/official-bands.md), each bound from both sides.
OFFICIAL = {
    "rsf-2013": [("0", "Good"), ("15", "Good"), ("15.00", "Good"), ("15.01", "Satisfactory"), ("25", "Satisfactory"),
                 ("25.01", "Problematic"), ("35", "Problematic"), ("35.01", "Difficult"), ("53.46", "Difficult"),
                 ("55", "Difficult"), ("55.01", "Very serious"), ("100", "Very serious")],
    "rsf-2013-current": [("100", "Good"), ("85", "Good"), ("84.99", "Satisfactory"), ("75", "Satisfactory"),
                         ("74.99", "Problematic"), ("65", "Problematic"), ("64.99", "Difficult"),
                         ("46.54", "Difficult"), ("45", "Difficult"), ("44.99", "Very serious"), ("0", "Very serious")],
    "rsf-2022": [("100", "Good"), ("85", "Good"), ("84.99", "Satisfactory"), ("70", "Satisfactory"),
                 ("69.99", "Problematic"), ("55", "Problematic"), ("54.99", "Difficult"), ("40", "Difficult"),
                 ("39.99", "Very serious"), ("0", "Very serious")],
    "hrmi-cpr": [("10", "Good"), ("8", "Good"), ("7.999", "Fair"), ("6", "Fair"), ("5.99", "Bad"), ("3.5", "Bad"),
                 ("3.49", "Very bad"), ("0", "Very bad")],
    "hrmi-esr": [("100", "Good"), ("95", "Good"), ("94.99", "Fair"), ("85", "Fair"), ("84.99", "Bad"), ("75", "Bad"),
                 ("74.99", "Very bad"), ("0", "Very bad")],
}
PR_TABLE = {1: (36, 40), 2: (30, 35), 3: (24, 29), 4: (18, 23), 5: (12, 17), 6: (6, 11), 7: (-4, 5)}
CL_TABLE = {1: (53, 60), 2: (44, 52), 3: (35, 43), 4: (26, 34), 5: (17, 25), 6: (8, 16), 7: (0, 7)}


@pytest.mark.parametrize(("set_id", "value", "label"), [(s, v, label) for s, cases in OFFICIAL.items()
                                                        for v, label in cases])
def test_official_bound_sides(set_id, value, label):
    assert RULES.get(set_id).classify(value).label == label


def _rating(table: dict[int, tuple[int, int]], score: int) -> int:
    return next(rating for rating, (low, high) in table.items() if low <= score <= high)


@pytest.mark.parametrize(("set_id", "table", "low", "high"), [("fh-pr-score", PR_TABLE, -4, 40),
                                                               ("fh-cl-score", CL_TABLE, 0, 60)])
def test_every_aggregate_score_gets_its_rating(set_id, table, low, high):
    band_set = RULES.get(set_id)
    for score in range(low, high + 1):
        result = band_set.classify(str(score))
        assert result.label == str(_rating(table, score)) and result.band.value == _rating(table, score)
    for outside in (low - 1, high + 1):
        with pytest.raises(ValueError, match="outside"):
            band_set.classify(str(outside))


def _status(mean: Decimal) -> str:
    return "Free" if mean <= Decimal("2.5") else "Partly Free" if mean <= 5 else "Not Free"


@pytest.mark.parametrize("pr", range(1, 8))
def test_pre_2003_status_is_undetermined_only_at_5_5(pr):
    for cl in range(1, 8):
        result = RULES.get("fh-status-1972").classify({"pr": str(pr), "cl": str(cl)})
        if pr + cl == 11:
            assert result.undetermined and result.band.either == ("Partly Free", "Not Free")
            assert result.label == "Partly Free or Not Free (undetermined)"
        else:
            assert not result.undetermined and result.label == _status(Decimal(pr + cl) / 2)


def test_status_from_aggregate_scores_goes_through_the_ratings():
    status = RULES.get("fh-status-scores")
    for pr in range(-4, 41):
        for cl in range(0, 61):
            mean = Decimal(_rating(PR_TABLE, pr) + _rating(CL_TABLE, cl)) / 2
            result = status.classify({"pr": str(pr), "cl": str(cl)})
            assert (result.label, result.value) == (_status(mean), mean)


@given(st.integers(min_value=0, max_value=10_000))
def test_current_downloads_mirror_the_published_scale(hundredths):
    """A 2013-2021 score as published (x) and as RSF's downloads give it now (100 - x) get the same category."""
    published = Decimal(hundredths) / 100
    assert RULES.get("rsf-2013").classify(str(published)).label == \
        RULES.get("rsf-2013-current").classify(str(100 - published)).label


@pytest.mark.parametrize(("name", "year", "expected"), [
    ("rsf-map", 2013, "rsf-2013"), ("rsf-map", 2021, "rsf-2013"), ("rsf-map", 2022, "rsf-2022"),
    ("rsf-map", 2025, "rsf-2022"), ("rsf-map-current", 2015, "rsf-2013-current"), ("RSF-MAP", 2030, "rsf-2022"),
    ("rsf-2013", 2015, "rsf-2013"), ("rsf-2013", 2023, "rsf-2022"), ("rsf-2013-current", 2023, "rsf-2022"),
    ("fh-status", 2002, "fh-status-1972"), ("fh-status", 2003, "fh-status"), ("freedom-status", 1972, "fh-status-1972"),
    ("fh-fiw-status", 2023, "fh-status"), ("fh-pr", 1950, "fh-pr"), ("rsf", 2021, "rsf"),
])
def test_a_year_picks_the_edition(name, year, expected):
    assert RULES.for_year(name, year).id == expected


@pytest.mark.parametrize(("name", "year", "message"), [
    ("rsf", 2023, "rsf covers 2013–2021, not 2023; for 2023 use rsf-2022"),
    ("rsf-2022", 2015, "rsf-2022 covers 2022 onward, not 2015, and 2 editions do; name the one your data are on: "
                       "rsf-2013: "),
    ("rsf-map", 2012, "rsf-map has no edition for 2012 (its editions: rsf-2013 (2013–2021), rsf-2022 (2022 onward)); "
                      "no band set here covers 2012"),
    ("fh-fiw-status", 1971, "fh-fiw-status has no edition for 1971"),
    ("fh-status-scores", 2005, "fh-status-scores covers 2012 onward, not 2005; for 2005 use fh-status ("),
])
def test_a_year_no_edition_covers_names_what_does(name, year, message):
    with pytest.raises(YearError) as error:
        RULES.for_year(name, year)
    assert message in str(error.value)


def test_a_group_needs_a_year():
    with pytest.raises(YearError, match=r"rsf-map has editions by year: rsf-2013 .2013–2021., rsf-2022"):
        RULES.get("rsf-map")
    mapping = Mapping.parse("Score=rsf-map", RULES)  # each record's year will pick the edition
    assert mapping.choose is not None and mapping.dated
    with pytest.raises(MappingError, match=r"rsf-map picks its edition by year .* the header has no year column"):
        label_csv(io.BytesIO(b"Score\n5\n"), io.BytesIO(), [mapping])
    assert Mapping.parse("Score=rsf-map", RULES, year=2024).set.id == "rsf-2022"
    assert Mapping.parse("Score=rsf-map", RULES, by_year=True).labels == [
        "Good", "Satisfactory", "Problematic", "Difficult", "Very serious"]


# -- the CLI -------------------------------------------------------------------------------------

def test_classify_year(run):
    assert run("classify", "rsf-map", "--year", "2015", "53.46", "7.52").stdout == "Difficult\nGood\n"
    assert run("classify", "rsf-map", "--year", "2024", "53.46").stdout == "Difficult\n"
    assert run("classify", "fh-status", "--year", "1999", "pr=6", "cl=5").stdout == \
        "Partly Free or Not Free (undetermined)\n"
    assert run("classify", "fh-status", "--year", "2003", "pr=6", "cl=5").stdout == "Not Free\n"
    result = run("classify", "rsf", "--year", "2023", "72")
    assert result.exit_code == 2 and "for 2023 use rsf-2022" in result.stderr and "Traceback" not in result.stderr
    result = run("classify", "rsf-map", "53.46")
    assert result.exit_code == 2 and "give --year or --year-column" in result.stderr


def test_explain_gives_provenance_and_the_choice(run):
    [record] = json.loads(run("classify", "rsf-map", "--year", "2015", "53.46", "--explain", "--format", "json").stdout)
    assert record["set"] == "rsf-2013" and record["chosen"] == "chosen for 2015 from rsf-map"
    assert (record["years"], record["origin"], record["direction"]) == ("2013–2021", "publisher", "lower-is-better")
    assert record["url"].startswith("https://") and "upper bound included" in record["source"]
    [record] = json.loads(run("classify", "fh-status-1972", "pr=6", "cl=5", "--explain", "--format", "json").stdout)
    assert record["undetermined"] is True and record["either"] == ["Partly Free", "Not Free"]
    text = run("classify", "rsf-2022", "90", "--explain").stdout
    assert "  years        2022 onward\n" in text and "  origin       the publisher's own classes" in text


@pytest.mark.parametrize(("set_id", "phrase"), [
    ("ti", "no publisher classes: Transparency International publishes no named categories"),
    ("gender-gap", "no publisher classes: World Economic Forum publishes no named categories"),
    ("kidsrights", "no publisher classes: KidsRights Foundation publishes no named categories"),
    ("rsf", "the publisher's own classes: rsf-2013, rsf-2013-current, rsf-2022"),
    ("rsf-2013", "edition in   rsf-map: rsf-2013 (2013–2021), rsf-2022 (2022 onward)"),
    ("fh-status-1972", "Partly Free or Not Free (undetermined)  (either Partly Free or Not Free)"),
    ("fh-pr-score", "[-4, 5]"),
])
def test_show_says_whose_classes_these_are(run, set_id, phrase):
    out = run("show", set_id, env={"COLUMNS": "250"}).stdout
    assert " ".join(phrase.split()) in " ".join(out.split())


def test_show_a_group(run):
    out = run("show", "rsf-map-current").stdout
    assert "rsf-2013-current" in out and "2022 onward" in out and "0–100, 100 best" in out
    assert json.loads(run("show", "fh-fiw-status", "--format", "json").stdout)[0]["editions"][0] == {
        "id": "fh-status-1972", "years": {"from": 1972, "to": 2002}}


MIXED = (b"Country,Year,Score\nNorway,2015,7.75\nNorway,2023,95.18\nKazakhstan,2015,53.46\n"
         b"Kazakhstan,2024,35.52\nX,1999,50\nY,abc,40\nZ,2024,NA\nW,2021-2022,50\n")


def test_label_year_column_picks_each_records_edition(run):
    result = run("label", "-", "--column", "Score=rsf-map:RSF", "--year-column", "Year", input=MIXED)
    assert result.stdout.splitlines() == [
        "Country,Year,Score,RSF", "Norway,2015,7.75,Good", "Norway,2023,95.18,Good", "Kazakhstan,2015,53.46,Difficult",
        "Kazakhstan,2024,35.52,Very serious", "X,1999,50,", "Y,abc,40,", "Z,2024,NA,", "W,2021-2022,50,"]
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'rightsband: line 6, column "Year": rsf-map has no edition for 1999 (its editions: rsf-2013 (2013–2021), '
        "rsf-2022 (2022 onward)); no band set here covers 1999 for Reporters Without Borders (RSF)",
        'rightsband: line 7, column "Year": "abc" (column "Year") is not a year; give a four-digit year '
        "from 1000 to 2999, such as 2015",
        'rightsband: line 9, column "Year": "2021-2022" (column "Year") spans editions (rsf-2013, rsf-2022); '
        "give one year per record",
        "rightsband: 3 problem(s) in 8 records (3 year); their labels are empty"]


def test_label_year_and_house_set(run):
    result = run("label", "-", "--column", "Score=rsf", "--year-column", "Year", input=MIXED)
    assert 'line 3, column "Year": rsf covers 2013–2021, not 2023; for 2023 use rsf-2022' in result.stderr
    result = run("label", "-", "-c", "Score=rsf-map", "--year", "2015", input=b"Score\n53.46\n15\n15.01\n")
    assert result.stdout == "Score,Score_label\n53.46,Difficult\n15,Good\n15.01,Satisfactory\n"


def test_label_year_usage_errors(run):
    both = run("label", "-", "-c", "Score=rsf-map", "--year", "2015", "--year-column", "Year", input=MIXED)
    assert both.exit_code == 2 and "give one of --year" in both.stderr
    none = run("label", "-", "-c", "Score=rsf-map", input=b"Country,Score\nNorway,7.75\n")
    assert none.exit_code == 2 and "the header has no year column" in none.stderr
    missing = run("label", "-", "-c", "Score=rsf-map", "--year-column", "Yaer", input=MIXED)
    assert missing.exit_code == 2 and 'did you mean "Year"' in missing.stderr


def test_label_year_column_with_a_composite(run):
    data = b"Year,PR,CL\n1999,6,5\n2003,6,5\n1975,3,3\n2010,,5\n"
    result = run("label", "-", "-c", "PR,CL=fh-status:Status", "--year-column", "Year", "--summary", input=data)
    assert result.stdout.splitlines() == ["Year,PR,CL,Status", '1999,6,5,Partly Free or Not Free (undetermined)',
                                          "2003,6,5,Not Free", "1975,3,3,Partly Free", "2010,,5,"]
    assert result.exit_code == 0 and "Partly Free or Not Free (undetermined)" in result.stderr


# -- the rules checker -----------------------------------------------------------------------------

BASE = set_toml("a", (("high", 5, 10), ("low", 0, 5)), direction="higher-is-better", scale="min = 0, max = 10",
                extra="years = { from = 2000, to = 2010 }\n")


@pytest.mark.parametrize(("extra", "message"), [
    ('[[group]]\nid = "g"\nname = "G"\neditions = ["a", "rsf-2022"]\n', None),
    ('[[group]]\nid = "g"\nname = "G"\neditions = ["a", "rsf-2013"]\n',
     "editions a (2000–2015) and rsf-2013 (2013–2021) overlap; a year must pick one"),
    ('[[group]]\nid = "g"\nname = "G"\neditions = ["a", "fh-pr"]\n', 'edition "fh-pr" declares no years'),
    ('[[group]]\nid = "g"\nname = "G"\neditions = ["a", "nope"]\n', 'edition "nope" is not a band set'),
    ('[[group]]\nid = "g"\nname = "G"\neditions = ["a", "fh-status"]\n', "editions must all read the same inputs"),
    ('[[group]]\nid = "rsf"\nname = "G"\neditions = ["a", "rsf-2022"]\n', 'group id "rsf" is already the id'),
    ('[[group]]\nid = "g"\nname = "G"\neditions = ["a"]\n', "'editions' must list the ids of two or more"),
])
def test_groups_are_checked(write_rules, extra, message):
    base = BASE.replace("to = 2010", "to = 2015") if "overlap" in (message or "") else BASE
    findings = check_rules(write_rules(base + extra))
    assert [f.message for f in findings if message and message in f.message] or (message is None and not findings)


@pytest.mark.parametrize(("change", "message"), [
    (('label = "low"', 'label = "low"\neither = ["high", "mid"]'), "'either' names 'mid'"),
    (('years = {', 'publisher_classes = ["rsf"]\nyears = {'), 'publisher_classes names "rsf"'),
    (('years = {', 'origin = "official"\nyears = {'), "'origin' is 'official'"),
])
def test_new_band_and_set_keys_are_checked(write_rules, change, message):
    findings = check_rules(write_rules(BASE.replace(*change)))
    assert any(message in f.message for f in findings), findings


def test_take_band_needs_band_values(write_rules):
    composite = BASE + set_toml("c", (("all", 0, 20),), direction="higher-is-better", scale="min = 0, max = 20",
                                extra='inputs = [{ name = "x", set = "a", take = "band" }, { name = "y", set = "a" }]\n'
                                      'combine = "sum"\n')
    assert any("not every band there has a value" in f.message for f in check_rules(write_rules(composite)))
