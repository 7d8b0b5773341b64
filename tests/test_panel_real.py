"""`rightsband panel` on the publishers' files as they ship (../shared/data/shipped beside the repository),
cross-checked against the same data tidied (../shared/data/real); skipped cleanly where they are absent."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from click.testing import CliRunner

from conftest import REPO
from rightsband.cli import cli
from rightsband.panels import build

SHARED = REPO.parent / "shared" / "data"
SHIPPED, REAL = SHARED / "shipped", SHARED / "real"
pytestmark = pytest.mark.skipif(not SHIPPED.is_dir(), reason=f"publishers' files not found at {SHIPPED}")
FH = SHIPPED / "freedomhouse" / "Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx"
CPI = SHIPPED / "ti" / "CPI2023_GlobalResultsTrends.xlsx"


def shipped() -> list[str]:
    return sorted(str(p) for p in SHIPPED.glob("*/*") if p.suffix in (".csv", ".xlsx"))


@pytest.fixture(scope="module")
def everything():
    return build(shipped())


def test_every_shipped_file_is_read_with_every_name_matched_and_no_conflict(everything):
    sources = Counter(row.source.partition(",")[0] for row in everything.rows)
    assert set(sources) == set(shipped()) and min(sources.values()) >= 139
    kinds = Counter(problem.kind for problem in everything.findings.problems)
    assert kinds["unmatched-country"] == 0 and kinds["conflict"] == 0
    assert all(row.code for row in everything.rows)


def test_freedom_house_statuses_equal_the_published_ones_from_2003(everything):
    """Every status from 2003 agrees; before it the old rule's 5.5 is ambiguous (label left empty) and
    Freedom House's own 15 departures from its ranges are reported, as `verify` reports them."""
    statuses = [row for row in everything.rows if row.measure == "fh-status" and row.source.startswith(str(FH))]
    later = [row for row in statuses if row.year >= 2003 and row.published]
    assert len(later) > 4000 and all(row.label is not None for row in later)
    assert {(row.label, row.published) for row in later} == {("Free", "F"), ("Partly Free", "PF"),
                                                             ("Not Free", "NF")}
    disagree = [p for p in everything.findings.problems if p.kind == "disagree"]
    assert len(disagree) == 15 and all(str(FH) in p.source for p in disagree)
    assert everything.findings.verdicts["ambiguous"] == 502


def test_codes_of_renamed_former_and_territorial_names(everything):
    codes = {(row.country, row.code) for row in everything.rows}
    for pair in [("Czechoslovakia", "CSHH"), ("Czech Republic", "CZE"), ("Czechia", "CZE"), ("USSR", "SUHH"),
                 ("Somaliland", "X-SOMALILAND"), ("Gaza Strip", "X-GAZA-STRIP"), ("Eswatini", "SWZ"),
                 ("Serbia and Montenegro", "CSXX"), ("Yemen, S.", "YDYE")]:
        assert pair in codes


@pytest.mark.skipif(not REAL.is_dir(), reason="tidied data not found")
def test_rsf_scores_equal_the_tidied_ones(everything):
    with open(REAL / "rsf_wpfi_2022_2025.csv", encoding="utf-8") as file:
        tidied = {(row["ISO"], int(row["Year (N)"])): row["Score"] for row in csv.DictReader(file)}
    panel = {(row.file_code, row.year): row.score for row in everything.rows if row.measure == "rsf-score"
             and row.year >= 2022}
    assert len(panel) == len(tidied) and all(
        float(panel[key].replace(",", ".")) == float(value.replace(",", ".")) for key, value in tidied.items())


def test_done_when_command_writes_the_panel(tmp_path, monkeypatch):
    monkeypatch.chdir(SHIPPED)
    out = tmp_path / "panel.csv"
    files = [str(FH.relative_to(SHIPPED)), str(CPI.relative_to(SHIPPED)),
             *sorted(str(p.relative_to(SHIPPED)) for p in (SHIPPED / "rsf").glob("*.csv"))]
    result = CliRunner().invoke(cli, ["panel", *files, "-o", str(out)])
    # Freedom House's own 15 departures, South Africa 1972 and RSF's years before any rsf edition: exit 1, listed.
    assert result.exit_code == 1 and "15 disagree" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    kaz = {row["measure"]: row for row in rows if row["code"] == "KAZ" and row["year"] == "2020"}
    assert (kaz["fh-status"]["label"], kaz["fh-status"]["published"]) == ("Not Free", "NF")
    assert kaz["fh-status"]["edition"] == "2021"  # the year under review 2020 is the 2021 edition
    assert (kaz["ti-cpi"]["score"], kaz["rsf-score"]["label"]) == ("38", "Difficult")
