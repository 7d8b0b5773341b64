"""The DataFrame API on the publishers' own exports: the agreement counts the CLI reproduces.

Read as a pandas user reads them (``pd.read_csv`` with its defaults, and as text);
skipped cleanly where ../shared/data/real is absent.
"""

from __future__ import annotations

import pandas as pd
import pytest

import rightsband.pandas  # registers the accessor
from conftest import REAL_DATA
from rightsband import band

pytestmark = pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"publisher data not found at {REAL_DATA}")
STATUS = {"F": "Free", "PF": "Partly Free", "NF": "Not Free"}
SITUATIONS = {"Bonne situation": "Good", "Situation plutôt bonne": "Satisfactory",
              "Situation problématique": "Problematic", "Situation difficile": "Difficult",
              "Situation très grave": "Very serious"}


@pytest.mark.parametrize("as_text", [False, True])
def test_freedom_house_statuses_from_2003(as_text):
    options = {"dtype": str, "keep_default_na": False} if as_text else {}
    frame = pd.read_csv(REAL_DATA / "freedomhouse_fiw_ratings_statuses_1972_2023.csv", **options)
    recent = frame[pd.to_numeric(frame["Year(s) Under Review"], errors="coerce") >= 2003]
    labels = band(recent[["PR", "CL"]], "fh-status")
    assert (labels == recent["Status"].map(STATUS)).sum() == len(recent) == 4407


def test_rsf_2024_situations_year_by_year_in_one_call():
    frame = pd.read_csv(REAL_DATA / "rsf_wpfi_2022_2025.csv")
    labels = band(frame["Score"], "rsf-map", year=frame["Year (N)"])
    published = frame["Situation"].map(SITUATIONS)
    assert published.notna().sum() == 180
    assert (labels[published.notna()] == published[published.notna()]).sum() == 180
    assert labels.notna().all() and len(labels) == 720


def test_freedom_house_aggregate_scores_to_ratings_and_status():
    frame = pd.read_csv(REAL_DATA / "freedomhouse_fiw_all_data_2013_2025_editions.csv")
    labelled = frame.rightsband.label("PR=fh-pr-score:pr", "CL=fh-cl-score:cl", "PR,CL=fh-status-scores:status")
    assert len(labelled) == 2723
    assert (labelled["pr"].astype(int) == labelled["PR rating"]).sum() == 2723
    assert (labelled["cl"].astype(int) == labelled["CL rating"]).sum() == 2723
    assert (labelled["status"] == labelled["Status"].map(STATUS)).sum() == 2723


def test_rsf_2013_2021_scores_as_the_cli_labels_them():
    frame = pd.read_csv(REAL_DATA / "rsf_wpfi_2002_2021.csv")
    labels = frame.rightsband.label("derived_score_as_originally_published=rsf:band")["band"]
    rsf = rightsband.load_rules().get("rsf")
    expected = [rsf.classify(s).label if pd.notna(s) else None for s in frame["derived_score_as_originally_published"]]
    assert labels.astype(object).where(labels.notna(), None).tolist() == expected
    assert labels.notna().sum() > 1500
