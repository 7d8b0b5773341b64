"""Every bound of every built-in band set, from both sides, against the scorecard's own tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

RSF = [
    ("0", "Largely free, diverse and independent"),
    ("14.99", "Largely free, diverse and independent"),
    ("14.995", "Largely free, diverse and independent"),
    ("15", "Mostly free, diverse and independent"),
    ("15.00", "Mostly free, diverse and independent"),
    ("24.99", "Mostly free, diverse and independent"),
    ("25", "Partially free, diverse and independent"),
    ("29.99", "Partially free, diverse and independent"),
    ("29.999", "Partially free, diverse and independent"),
    ("30", "Partially controlled, limited or intimidated"),
    ("39.99", "Partially controlled, limited or intimidated"),
    ("40", "Highly controlled, limited or intimidated"),
    ("53.46", "Highly controlled, limited or intimidated"),
    ("53,46", "Highly controlled, limited or intimidated"),
    ("100", "Highly controlled, limited or intimidated"),
]
TI = [
    ("100", "Very limited corruption"),
    ("80", "Very limited corruption"),
    ("79.99", "Limited corruption"),
    ("79", "Limited corruption"),
    ("60", "Limited corruption"),
    ("59", "Some corruption"),
    ("59.5", "Some corruption"),
    ("40", "Some corruption"),
    ("39", "Highly corrupt"),
    ("29", "Highly corrupt"),
    ("29%", "Highly corrupt"),
    ("20", "Highly corrupt"),
    ("19", "Extremely corrupt"),
    ("19.99", "Extremely corrupt"),
    ("0", "Extremely corrupt"),
]
FH_RATING = [("1", "Free"), ("2", "Free"), ("3", "Partly free"), ("5", "Partly free"), ("6", "Not free"),
             ("7", "Not free")]
GENDER_GAP = [
    ("1", "Almost equal rights"),
    ("0.8", "Almost equal rights"),
    ("80%", "Almost equal rights"),
    ("0.79999", "Somewhat unequal rights"),
    ("79.99%", "Somewhat unequal rights"),
    ("0.721", "Somewhat unequal rights"),
    ("72.1%", "Somewhat unequal rights"),
    ("0.7", "Somewhat unequal rights"),
    ("70%", "Somewhat unequal rights"),
    ("0.69999", "Very unequal rights"),
    ("69.9 %", "Very unequal rights"),
    ("0.57", "Very unequal rights"),
    ("0", "Very unequal rights"),
]
KIDSRIGHTS = [
    ("1", "Protected"),
    ("0.77", "Protected"),
    ("0.7", "Protected"),
    ("70%", "Protected"),
    ("0.6999", "Somewhat protected"),
    ("0.6", "Somewhat protected"),
    ("60%", "Somewhat protected"),
    ("0.5999", "Slightly vulnerable"),
    ("0.55", "Slightly vulnerable"),
    ("50%", "Slightly vulnerable"),
    ("0.45", "Slightly vulnerable"),
    ("0.4499", "Highly vulnerable"),
    ("0.3", "Highly vulnerable"),
    ("0,3", "Highly vulnerable"),
    ("0.2999", "Extremely vulnerable"),
    ("0", "Extremely vulnerable"),
]
CASES = (
    [("rsf", v, label) for v, label in RSF]
    + [("ti", v, label) for v, label in TI]
    + [("cpi", v, label) for v, label in TI[:2]]
    + [("fh-pr", v, label) for v, label in FH_RATING]
    + [("fh-cl", v, label) for v, label in FH_RATING]
    + [("gender-gap", v, label) for v, label in GENDER_GAP]
    + [("kidsrights", v, label) for v, label in KIDSRIGHTS]
)


@pytest.mark.parametrize(("set_id", "value", "label"), CASES)
def test_bound_sides(rules, set_id, value, label):
    assert rules.get(set_id).classify(value).label == label


# Freedom House's own rule: the mean of PR and CL; Free 1.0-2.5, Partly Free 3.0-5.0, Not Free 5.5-7.0.
def _fh_status(pr: int, cl: int) -> str:
    mean = (pr + cl) / 2
    return "Free" if mean <= 2.5 else "Partly Free" if mean <= 5.0 else "Not Free"


@pytest.mark.parametrize("pr", range(1, 8))
@pytest.mark.parametrize("cl", range(1, 8))
def test_fh_status_every_pair(rules, pr, cl):
    result = rules.get("fh-status").classify({"pr": str(pr), "cl": str(cl)})
    assert result.label == _fh_status(pr, cl)
    assert result.value == Decimal(pr + cl) / 2


def test_fh_status_brief_example(rules):
    assert rules.get("fh-status").classify({"pr": "6", "cl": "5"}).label == "Not Free"


def test_positions_count_from_the_best_band(rules):
    assert rules.get("rsf").classify("0").position == 1
    assert rules.get("rsf").classify("53.46").position == 5
    assert rules.get("ti").classify("100").position == 1
    assert rules.get("ti").classify("0").position == 5


def test_each_internal_bound_from_both_sides(rules):
    """Data-driven complement: at every internal bound, the value on it and just beyond it on
    the other side fall in adjacent bands, on the side the bound's inclusivity says."""
    tiny = Decimal("1e-9")
    for band_set in rules:
        if band_set.is_composite or band_set.scale.step is not None or band_set.label_only is not None:
            continue
        for band in band_set.bands:  # band_for takes the number banded (rounded, a distance), so on its ends
            edges = ((band.lower, band.lower_closed, -tiny), (band.upper, band.upper_closed, tiny))
            for bound, closed, outward in edges:
                if bound in band_set.banded_scale:
                    continue
                at = band_set.band_for(bound)[1]
                beyond = band_set.band_for(bound + outward)[1]
                inside = bound - outward
                assert band_set.band_for(inside)[1] == band
                assert (at == band) == closed, (band_set.id, band.label, bound)
                assert beyond != band


def test_kidsrights_note_says_what_changed(rules):
    notes = rules.get("kidsrights").notes
    assert "Changed from the printed source" in notes
    assert "50–60" in notes


def test_every_set_is_sourced(rules):
    for band_set in rules:
        assert band_set.citation and band_set.url.startswith("https://")
