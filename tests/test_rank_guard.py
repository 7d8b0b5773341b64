"""The scale guard: a rank column beside a mapped score must run the way the set's direction says."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO
from rightsband import batch, load_rules
from rightsband.mapping import Mapping
from rightsband.model.parts import HIGHER, LOWER
from rightsband.rankguard import MIN_PAIRS, RankDirectionError, check, rank_column, runs_against

RSF_2015 = REPO.parent / "shared" / "data" / "shipped" / "rsf" / "2015.csv"
needs_shipped = pytest.mark.skipif(not RSF_2015.exists(), reason=f"publishers' files not found at {RSF_2015}")
RULES = load_rules()


def ranked(scores: list[float], direction: str) -> list[int]:
    """Competition ranks (1, 1, 3) with the best score first on ``direction``."""
    sign = -1 if direction == HIGHER else 1
    return [1 + sum(sign * other < sign * score for other in scores) for score in scores]


@needs_shipped
def test_rsf_current_download_on_rsf_map_stops(run, tmp_path):
    out = tmp_path / "out.csv"
    result = run("label", str(RSF_2015), "-c", "Score N=rsf-map", "-o", str(out))
    assert result.exit_code == 1 and result.stdout == "" and not out.exists()
    [line] = [line for line in result.stderr.splitlines() if "Rank N" in line]
    assert line.startswith(f"rightsband: {RSF_2015}: ")
    assert '"Rank N" ranks "Score N" with 100 best (rank 1 scores 92,48)' in line
    assert "rsf-2013, has 0 best; use rsf-map-current" in line and "--no-rank-check" in line


@needs_shipped
def test_rsf_current_download_to_stdout_writes_nothing(run):
    result = run("label", str(RSF_2015), "-c", "Score N=rsf-2013", "-q")
    assert result.exit_code == 1 and result.stdout == ""
    assert "use rsf-2013-current" in result.stderr


@needs_shipped
@pytest.mark.parametrize("spec", ["Score N=rsf-map-current", "Score N=rsf-2013-current"])
def test_the_set_named_passes(run, spec):
    result = run("label", str(RSF_2015), "-c", spec, "-q")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].endswith(";Good")


@needs_shipped
def test_no_rank_check_lets_the_user_decide(run):
    result = run("label", str(RSF_2015), "-c", "Score N=rsf-map", "-q", "--no-rank-check")
    assert result.exit_code == 0 and result.stdout.splitlines()[1].endswith(";Very serious")


@needs_shipped
def test_verify_stops_too(run):
    result = run("verify", str(RSF_2015), "-c", "Score N=rsf-map:Zone", "--counts", "-q")
    assert result.exit_code == 1 and result.stdout == "" and "use rsf-map-current" in result.stderr


@needs_shipped
def test_house_bands_name_the_publishers_classes(run):
    result = run("label", str(RSF_2015), "-c", "Score N=rsf", "-q")
    assert result.exit_code == 1
    assert "no set here has rsf's bands the other way round" in result.stderr
    assert "rsf-2013-current" in result.stderr


def test_a_small_file_on_stdin(run):
    rows = "".join(f"C{n},{n},{90 - 5 * n}\n" for n in range(1, 9))
    result = run("label", "-c", "score=rsf-2013", input="country,rank,score\n" + rows)
    assert result.exit_code == 1 and result.stdout == ""
    assert '"rank" ranks "score" with 100 best (rank 1 scores 85)' in result.stderr
    assert run("label", "-c", "score=rsf-2013-current", input="country,rank,score\n" + rows).exit_code == 0


def test_the_library_raises_before_writing():
    data = "Rank,Score\n" + "".join(f"{n},{10 * n}\n" for n in range(1, 9))
    out = io.BytesIO()
    with pytest.raises(RankDirectionError, match=r'"Rank" ranks "Score" with 0 best.*has 100 best'):
        batch.label_csv(io.BytesIO(data.encode()), out, [Mapping.parse("Score=rsf-2022", RULES)])
    assert out.getvalue() == b""
    batch.label_csv(io.BytesIO(data.encode()), out, [Mapping.parse("Score=rsf-2022", RULES)], rank_check=False)
    assert out.getvalue().startswith(b"Rank,Score,Score_label\n")


@pytest.mark.parametrize(("header", "score", "rank"), [
    (["Rank N", "Score N", "Rank N-1", "Score N-1"], "Score N", "Rank N"),
    (["Rank N", "Score N", "Rank N-1", "Score N-1"], "Score N-1", "Rank N-1"),
    (["Score", "Rank", "Rank_Pol", "Political Context"], "Score", "Rank"),
    (["Score 2025", "Rank", "Rank_Pol"], "Score 2025", "Rank"),
    (["Pays", "Score", "Rang"], "Score", "Rang"),
    (["rsf_score", "rsf_rank", "rank"], "rsf_score", "rsf_rank"),
    (["Safety", "Safety rank", "Rank"], "Safety", "Safety rank"),
    (["Score", "Rank 2023"], "Score", "Rank 2023"),
    (["Score", "Rank", "Political Context"], "Political Context", None),
    (["Score", "Ranking", "Rank"], "Score", "Rank"),  # the first rank word of RANK_WORDS
    (["Score", "Rank evolution"], "Score", None),
])
def test_the_rank_column_by_header(header, score, rank):
    assert rank_column(header, score) == rank


scores = st.lists(st.integers(0, 100), min_size=MIN_PAIRS, max_size=60).filter(lambda s: len(set(s)) > 1)


@given(scores, st.sampled_from([HIGHER, LOWER]))
def test_ranks_from_the_scores_never_stop_reversed_always_do(values, direction):
    other = LOWER if direction == HIGHER else HIGHER
    assert not runs_against(ranked(values, direction), values, direction)
    assert runs_against(ranked(values, other), values, direction)


def test_ties_in_both_columns():
    values = [90, 90, 90, 80, 80, 70, 70, 70]
    ranks = ranked(values, HIGHER)
    assert ranks == [1, 1, 1, 4, 4, 6, 6, 6]
    assert not runs_against(ranks, values, HIGHER) and runs_against(ranks, values, LOWER)
    assert not runs_against([1] * 8, values, LOWER)  # ranks that say nothing stop nothing


def test_missing_and_written_ranks():
    values = ["92,48", "90", "NA", "85.5", "80", "", "70", "60", "50"]
    ranks = ["1", "=2", "3", "", "5", "6", "7=", "n/a", "9"]
    assert runs_against(ranks, values, LOWER) and not runs_against(ranks, values, HIGHER)
    assert not runs_against(ranks[:4], values[:4], LOWER)  # too few records with both


def test_noisy_ranks_stop_unrelated_ones_do_not():
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    ranks = [3, 1, 2, 6, 4, 5, 9, 7, 8, 10]  # against a higher-is-better set, with some noise
    assert runs_against(ranks, values, HIGHER)
    assert not runs_against([5, 2, 9, 1, 10, 3, 8, 4, 7, 6], values, HIGHER)


def test_check_by_year_picks_each_edition():
    """rsf-map by year: 2020 is 0 best (rsf-2013), 2022 is 100 best (rsf-2022); each year checked on its own."""
    mapping = Mapping.parse("Score=rsf-map", RULES).by_year()
    years = ["2022"] * 6 + ["2020"] * 6
    values = [95, 90, 85, 80, 75, 70, 10, 20, 30, 40, 50, 60]
    cells = {"Year": years, "Rank": [1, 2, 3, 4, 5, 6] * 2, "Score": values}
    check(["Year", "Rank", "Score"], cells, [mapping], year_column="Year")
    cells["Score"] = values[:6] + values[6:][::-1]
    with pytest.raises(RankDirectionError, match=r"^panel\.csv: .*rsf-map's edition for 2020, rsf-2013"):
        check(["Year", "Rank", "Score"], cells, [mapping], year_column="Year", source="panel.csv")


def test_composites_and_unranked_scores_are_not_checked():
    cells = {"PR": [1, 2, 3, 4, 5, 6], "CL": [1, 2, 3, 4, 5, 6], "Rank": [6, 5, 4, 3, 2, 1]}
    check(["PR", "CL", "Rank"], cells, [Mapping.parse("PR,CL=fh-status", RULES)])


def test_a_header_alone_and_a_workbook_are_written_once_checked(tmp_path):
    out = io.BytesIO()
    batch.label_csv(io.BytesIO(b"Rank,Score\n"), out, [Mapping.parse("Score=rsf-2022", RULES)])
    assert out.getvalue() == b"Rank,Score,Score_label\n"
    data = "Rank,Score\n" + "".join(f"{n},{100 - 10 * n}\n" for n in range(1, 9))
    with (tmp_path / "out.xlsx").open("wb") as book:
        batch.label_csv(io.BytesIO(data.encode()), book, [Mapping.parse("Score=rsf-2022", RULES)], fmt="xlsx")
    assert (tmp_path / "out.xlsx").read_bytes()[:2] == b"PK"


def test_cells_that_are_not_numbers_or_years_are_left_out():
    mapping = Mapping.parse("Score=rsf-map", RULES).by_year()
    cells = {"Year": ["2015"] * 6 + ["soon", "1990"], "Rank": ["1", "2", "3", "4", "5", "6", "7", "8"],
             "Score": ["abc", "10", "20", "30", "40", "50", "1", "2"]}
    check(["Year", "Rank", "Score"], cells, [mapping], year_column="Year")  # 0 best, ranks with the scores
    cells["Score"] = ["abc", "50", "40", "30", "20", "10", "1", "2"]
    with pytest.raises(RankDirectionError, match="rank 1 scores abc"):  # rank 1's cell, as written
        check(["Year", "Rank", "Score"], cells, [mapping], year_column="Year")
    check(["Year", "Rank", "Score"], {"Score": cells["Score"]}, [mapping])  # the rank column not given: no check


def test_a_mapping_without_rules_names_no_set():
    band_set = RULES.get("rsf-2013")
    cells = {"Rank": [1, 2, 3, 4, 5], "Score": [90, 80, 70, 60, 50]}
    with pytest.raises(RankDirectionError, match="has 0 best; check the file's scale, or --no-rank-check"):
        check(["Rank", "Score"], cells, [Mapping(("Score",), band_set, "label")])
