"""The built-in sets on the publishers' own exports (../shared/data/real beside the repo).

Skipped cleanly where that folder is absent: the project installs and tests without it.
"""

from __future__ import annotations

import csv
import io
import subprocess
from collections import Counter

import pytest

from conftest import REAL_DATA, command
from rightsband import load_rules
from rightsband.batch import Mapping, label_csv

pytestmark = pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"publisher data not found at {REAL_DATA}")
STATUS = {"F": "Free", "PF": "Partly Free", "NF": "Not Free"}


def rows(name: str) -> list[dict[str, str]]:
    with open(REAL_DATA / name, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_fh_status_reproduces_freedom_house_from_2003(rules):
    """Every status Freedom House gave for years under review 2003-2023, from PR and CL alone."""
    status = rules.get("fh-status")
    checked = 0
    for row in rows("freedomhouse_fiw_ratings_statuses_1972_2023.csv"):
        year = row["Year(s) Under Review"]
        if year.isdigit() and int(year) >= 2003:
            assert status.classify({"pr": row["PR"], "cl": row["CL"]}).label == STATUS[row["Status"]], row
            checked += 1
    assert checked == 4407


def test_fh_status_on_the_2013_2025_editions(rules):
    status = rules.get("fh-status")
    data = rows("freedomhouse_fiw_all_data_2013_2025_editions.csv")
    for row in data:
        assert status.classify({"pr": row["PR rating"], "cl": row["CL rating"]}).label == STATUS[row["Status"]], row
    assert len(data) == 2723


def test_fh_ratings_are_all_on_the_rating_scale(rules):
    bands = Counter()
    for row in rows("freedomhouse_fiw_all_data_2013_2025_editions.csv"):
        bands[rules.get("fh-pr").classify(row["PR rating"]).label] += 1
        rules.get("fh-cl").classify(row["CL rating"])
    assert set(bands) == {"Free", "Partly free", "Not free"}


def test_rsf_scores_as_originally_published(rules):
    rsf = rules.get("rsf")
    published = [row for row in rows("rsf_wpfi_2002_2021.csv") if row["derived_score_as_originally_published"]]
    labels = {(row["ISO"], row["Year (N)"]): rsf.classify(row["derived_score_as_originally_published"]).label
              for row in published}
    assert {row["Year (N)"] for row in published} == {str(year) for year in range(2013, 2022)}
    assert len(labels) == len(published) > 1500
    assert labels[("KAZ", "2015")] == "Highly controlled, limited or intimidated"  # 53.46
    assert labels[("NOR", "2021")] == "Largely free, diverse and independent"  # 6.72


def test_cpi_scores(rules):
    data = rows("ti_cpi_2012_2023.csv")
    labels = Counter(rules.get("cpi").classify(row["CPI score"]).label for row in data)
    assert sum(labels.values()) == len(data) == 2132
    assert len(labels) == 5


@pytest.mark.parametrize(("name", "column", "count", "iceland"), [
    ("wef_gggi_2006_2021_gggr2021_appendix.csv", "gggi2021score", 156, "Almost equal rights"),  # 0.892
    ("wef_gggi_2006_2021_gggr2021_appendix.csv", "gggi2006score", 156, "Somewhat unequal rights"),  # 0.781
    ("wef_gggi_2024.csv", "GGGI Score", 146, "Almost equal rights"),  # 0.935
])
def test_gender_gap_fractions(rules, name, column, count, iceland):
    gender_gap = rules.get("gender-gap")
    results = [gender_gap.classify(row[column]) for row in rows(name)]
    assert len(results) == count
    missing = sum(r is None for r in results)
    assert missing == (41 if column == "gggi2006score" else 0)  # WEF's "-" markers
    row = next(row for row in rows(name) if row[next(iter(row))] == "Iceland")
    assert gender_gap.classify(row[column]).label == iceland


def test_kidsrights_overall_scores(rules):
    kidsrights = rules.get("kidsrights")
    data = rows("kidsrights_index_2013_2024.csv")
    labels = Counter(kidsrights.classify(row["Overall score"]).label for row in data)
    assert sum(labels.values()) == 2118
    assert set(labels) == {"Protected", "Somewhat protected", "Slightly vulnerable", "Highly vulnerable",
                           "Extremely vulnerable"}


def test_label_a_real_export_end_to_end(tmp_path):
    """`rightsband label` on RSF's own 2002-2021 export: every record byte-identical with one
    label cell added, each label the one `classify` gives, missing scores (before 2013) empty."""
    source = REAL_DATA / "rsf_wpfi_2002_2021.csv"
    target = tmp_path / "labelled.csv"
    result = subprocess.run([*command(), "label", str(source), "--column",
                             "derived_score_as_originally_published=rsf:band", "-o", str(target)],
                            capture_output=True, text=True)
    # the years come from the file's "Year (N)" column; the scores before 2013 are missing, so no year is refused
    assert (result.returncode, result.stderr) == (0, 'rightsband: years from column "Year (N)"; --no-year-column to '
                                                     "ignore it\n")
    original = source.read_bytes().splitlines(keepends=True)
    labelled = target.read_bytes().splitlines(keepends=True)
    assert len(labelled) == len(original)
    for before, after in zip(original, labelled):
        body = before.rstrip(b"\r\n")
        assert after.startswith(body + b",") and after.endswith(before[len(body):])
    rsf = load_rules().get("rsf")
    with open(target, encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            score = row["derived_score_as_originally_published"]
            assert row["band"] == (rsf.classify(score).label if score else "")


def test_label_freedom_house_statuses_from_two_columns():
    source = REAL_DATA / "freedomhouse_fiw_all_data_2013_2025_editions.csv"
    out = io.BytesIO()
    with open(source, "rb") as file:
        report = label_csv(file, out, [Mapping.parse("PR rating,CL rating=fh-status:computed", load_rules())])
    assert report.problems == 0 and report.records == 2723
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))
    assert all(row["computed"] == STATUS[row["Status"]] for row in rows)


# -- agreement with the publishers' own labels (issue 4) ---------------------------------------------

def _labelled(name: str, specs: list[str], year_column: str | None = None) -> tuple[list[dict[str, str]], list[str]]:
    """The rows of a real export labelled through the batch engine, and the problems it reported."""
    rules, problems, out = load_rules(), [], io.BytesIO()
    mappings = [Mapping.parse(spec, rules, by_year=year_column is not None) for spec in specs]
    with open(REAL_DATA / name, "rb") as file:
        label_csv(file, out, mappings, year_column=year_column, on_problem=lambda p: problems.append(str(p)))
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"), newline=""))), problems


def test_freedom_house_statuses_1972_2023_by_year():
    """Every row of FH's 1972-2023 workbook, each year's edition of the status rule picked by
    the year under review: all of 2003-2023 agree; before 2003 every difference is of a known kind."""
    data, problems = _labelled("freedomhouse_fiw_ratings_statuses_1972_2023.csv", ["PR,CL=fh-fiw-status:ours"],
                               year_column="Year(s) Under Review")
    assert len(data) == 9811
    kinds: Counter[tuple[str, str]] = Counter()
    for row in data:
        era = "2003-2023" if int(row["Year(s) Under Review"][-4:]) >= 2003 else "1972-2002"
        published, ours = STATUS.get(row["Status"], row["Status"]), row["ours"]
        if published == ours:
            kind = "agrees"
        elif ours == "Partly Free or Not Free (undetermined)" and published in ("Partly Free", "Not Free"):
            kind = f"mean 5.5, undetermined; published {row['Status']}"
        elif not ours:
            kind = f"not read: PR {row['PR']}, CL {row['CL']}"
        else:
            kind = f"mean {(int(row['PR']) + int(row['CL'])) / 2}: published {row['Status']}, rule says {ours}"
        kinds[era, kind] += 1
    assert kinds == {
        ("2003-2023", "agrees"): 4407,
        ("1972-2002", "agrees"): 4886,
        ("1972-2002", "mean 5.5, undetermined; published NF"): 321,
        ("1972-2002", "mean 5.5, undetermined; published PF"): 181,
        ("1972-2002", "mean 2.5: published PF, rule says Free"): 6,
        ("1972-2002", "mean 3.0: published F, rule says Partly Free"): 4,
        ("1972-2002", "mean 5.0: published NF, rule says Partly Free"): 5,
        ("1972-2002", "not read: PR 2(5), CL 3(6)"): 1,  # South Africa 1972: white and black ratings in one cell
    }
    assert len(problems) == 1 and '"2(5)" is not a number' in problems[0]


def test_freedom_house_2013_2025_from_aggregate_scores():
    """FH's 2013-2025 'all data' file: aggregate scores -> 1-7 ratings -> status, every row."""
    data, problems = _labelled("freedomhouse_fiw_all_data_2013_2025_editions.csv",
                               ["PR=fh-pr-score:pr", "CL=fh-cl-score:cl", "PR,CL=fh-status-scores:status"])
    assert (len(data), problems) == (2723, [])
    assert sum(row["pr"] == row["PR rating"] for row in data) == 2723
    assert sum(row["cl"] == row["CL rating"] for row in data) == 2723
    assert sum(row["status"] == STATUS[row["Status"]] for row in data) == 2723
    assert min(int(row["PR"]) for row in data) == -3  # a negative score, rated 7


RSF_SITUATIONS = {"Bonne situation": "Good", "Situation plutôt bonne": "Satisfactory",
                  "Situation problématique": "Problematic", "Situation difficile": "Difficult",
                  "Situation très grave": "Very serious"}


def test_rsf_2024_situations_from_the_scores():
    """RSF's own French 'Situation' labels (2024 only), from the score, the year picking rsf-2022."""
    data, problems = _labelled("rsf_wpfi_2022_2025.csv", ["Score=rsf-map:ours"], year_column="Year (N)")
    assert (len(data), problems) == (720, [])
    labelled = [row for row in data if row["Situation"]]
    assert len(labelled) == 180 and {row["Year (N)"] for row in labelled} == {"2024"}
    assert sum(RSF_SITUATIONS[row["Situation"]] == row["ours"] for row in labelled) == 180


def test_rsf_current_downloads_and_published_scores_agree():
    """2013-2021: RSF's current download (100 - published) on rsf-map-current gives the category
    the published score gives on rsf-map; before 2013 no edition applies, and it says so."""
    data, problems = _labelled("rsf_wpfi_2002_2021.csv", ["Score N=rsf-map-current:current",
                                                          "derived_score_as_originally_published=rsf-map:published"],
                               year_column="Year (N)")
    modern = [row for row in data if row["derived_score_as_originally_published"]]
    assert len(modern) == 1619
    assert all(row["current"] == row["published"] != "" for row in modern)
    old = [row for row in data if not row["derived_score_as_originally_published"]]
    assert all(row["current"] == "" for row in old)
    assert len(problems) == len(old) and all("no edition for" in p for p in problems)


def test_hrmi_scores_all_fall_in_a_grade(rules):
    """HRMI publishes no grade column; every published score must still get exactly one grade."""
    cpr, esr = rules.get("hrmi-cpr"), rules.get("hrmi-esr")
    grades = Counter(cpr.classify(row["mean"]).label for row in rows("hrmi_v3-1_cpr_scores_2017_2019.csv"))
    assert sum(grades.values()) == 796 and set(grades) == {"Good", "Fair", "Bad", "Very bad"}
    scores = [row[column] for row in rows("hrmi_v3-1_esr_scores_group_all.csv")
              for column in ("score_wrt_immediate_duty", "score_wrt_global_best")]
    results = [esr.classify(score) for score in scores]
    assert sum(r is not None for r in results) == 25_838 and {r.label for r in results if r} == {
        "Good", "Fair", "Bad", "Very bad"}
