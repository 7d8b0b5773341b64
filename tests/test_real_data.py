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
    row = next(row for row in rows(name) if row[list(row)[0]] == "Iceland")
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
    result = subprocess.run([*command(), "label", str(source), "--column", "derived_score_as_originally_published=rsf:band",
                             "-o", str(target)], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
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
