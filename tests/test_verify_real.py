"""`rightsband verify` on the publishers' own labelled exports (../shared/data/real beside the repository).

Skipped cleanly where that folder is absent; a test on a set another build may not have yet
(hdi, gdi, bti-*, fotp) skips naming the set. Every count here is also in docs/howto/verify.md.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from rightsband import load_rules
from rightsband.cli import cli
from rightsband.model import YearError
from rightsband.rules import UnknownSetError

REAL = Path(__file__).parents[1] / ".." / "shared" / "data" / "real"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"publisher data not found at {REAL}")


def needs(*set_ids: str) -> None:
    rules = load_rules()
    for set_id in set_ids:
        try:
            rules.get(set_id)
        except UnknownSetError:
            pytest.skip(f"set {set_id!r} is not in this build's bands.toml yet")
        except YearError:  # a group of editions: it is there
            pass


def verify(name: str, *args: str) -> tuple[int, list[dict[str, object]], list[dict[str, object]]]:
    """Exit code, the counts per check, and every record that does not agree (ambiguous ones too)."""
    runner = CliRunner()
    path = str(REAL / name)
    counted = runner.invoke(cli, ["verify", path, *args, "--counts", "--format", "json", "-q"])
    listed = runner.invoke(cli, ["verify", path, *args, "--ambiguous", "--format", "jsonl", "-q"])
    assert counted.exit_code == listed.exit_code, counted.stderr
    return counted.exit_code, json.loads(counted.stdout), [json.loads(line) for line in listed.stdout.splitlines()]


def counts(check: dict[str, object]) -> tuple[object, ...]:
    return tuple(check[k] for k in ("agree", "disagree", "ambiguous", "missing", "refused"))


def test_freedom_house_1972_2023_statuses():
    """From 2003 every status agrees (4,407); before it, the old rule's 5.5 is ambiguous and FH's own 15
    departures from its stated ranges are listed, not hidden; South Africa 1972 holds two ratings a cell."""
    code, checks, listed = verify("freedomhouse_fiw_ratings_statuses_1972_2023.csv", "-c", "PR,CL=fh-fiw-status:Status",
                                  "--show", "Country/Territory", "--show", "Year(s) Under Review")
    assert code == 1
    assert counts(checks[0]) == (9293, 15, 502, 0, 1) and checks[0]["records"] == 9811
    years = [str(row["Year(s) Under Review"]) for row in listed]
    assert all(int(year[-4:]) < 2003 for year in years)  # so 2003-2023: all 4,407 agree
    kinds = Counter((row["outcome"], row["value"], row["published"]) for row in listed if row["outcome"] != "ambiguous")
    assert kinds == {("disagree", "pr=3 cl=2", "PF"): 5, ("disagree", "pr=2 cl=3", "PF"): 1,
                     ("disagree", "pr=3 cl=3", "F"): 4, ("disagree", "pr=6 cl=4", "NF"): 4,
                     ("disagree", "pr=5 cl=5", "NF"): 1, ("refused", "pr=2(5) cl=3(6)", "F (NF)"): 1}
    assert Counter(row["published"] for row in listed if row["outcome"] == "ambiguous") == {"NF": 321, "PF": 181}


def test_freedom_house_aggregate_scores_2013_2025():
    code, checks, listed = verify("freedomhouse_fiw_all_data_2013_2025_editions.csv", "-c", "PR=fh-pr-score:PR rating",
                                  "-c", "CL=fh-cl-score:CL rating", "-c", "PR,CL=fh-status-scores:Status")
    assert (code, listed) == (0, [])
    assert [counts(check) for check in checks] == [(2723, 0, 0, 0, 0)] * 3


def test_rsf_2024_situations():
    code, checks, listed = verify("rsf_wpfi_2022_2025.csv", "-c", "Score=rsf-map:Situation")
    assert code == 0 and counts(checks[0]) == (180, 0, 0, 540, 0)
    assert checks[0]["no_label"] == 540  # Situation is published for 2024 only
    assert listed == []


def test_hdi_and_gdi_groups_hdr_2021_22():
    needs("hdi", "gdi")
    code, checks, listed = verify("undp_hdr2021-22_hdi_gdi_groups.csv", "-c", "hdi=hdi:hdicode", "-c",
                                  "gdi=gdi:gdi_group")
    assert code == 0 and listed == []
    assert [counts(check) for check in checks] == [(191, 0, 0, 4, 0), (172, 0, 0, 23, 0)]
    assert all(check["no_value"] == check["missing"] for check in checks)  # no published group without a value


BTI = [
    "status_index_score=bti-status:status_index_category_label",
    "economy_status_score=bti-economy:economy_status_category_label",
    "governance_index_score=bti-governance:governance_index_category_label",
    "governance_performance_score=bti-governance-performance:governance_performance_category_label",
    "level_of_difficulty_score=bti-difficulty:level_of_difficulty_category_label",
    "democracy_status_score,q2_1_free_fair_elections,q2_2_effective_power,q2_3_association_assembly,"
    "q2_4_freedom_of_expression,q3_1_separation_of_powers,q3_4_civil_rights,state_failure"
    "=bti-democracy:democracy_status_category_label",
]


def test_bti_2006_2020_all_six_categories():
    needs("bti-status", "bti-economy", "bti-governance", "bti-governance-performance", "bti-difficulty",
          "bti-democracy")
    args = [arg for spec in BTI for arg in ("-c", spec)]
    code, checks, listed = verify("bti_2006_2020_categories.csv", *args)
    assert code == 0 and [row for row in listed if row["outcome"] != "missing"] == []
    assert [counts(check) for check in checks] == [
        (1024, 0, 0, 72, 0), (1024, 0, 0, 72, 0), (1023, 0, 0, 73, 0), (1023, 0, 0, 73, 0), (1024, 0, 0, 72, 0),
        (1024, 0, 0, 72, 0)]


def test_freedom_of_the_press_2002_2013_with_its_anomalies():
    """Every scored row agrees but Freedom House's own two anomalies, listed by name."""
    needs("fotp")
    code, checks, listed = verify("freedomhouse_fotp_2002_2013_editions.csv", "-c", "score=fotp:status",
                                  "--year-column", "year.reported", "--show", "country", "--show", "year.reported")
    assert code == 1 and counts(checks[0]) == (2330, 2, 0, 188, 0)
    assert [(row["country"], row["year.reported"], row["value"], row["published"], row["rule"]) for row in listed
            if row["outcome"] == "disagree"] == [("El Salvador", "2004", "42", "NF", "Partly Free"),
                                                 ("Kosovo", "2009", "0", "0", "Free")]
