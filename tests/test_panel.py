"""`rightsband panel` and `rightsband.read` / `rightsband.panel`: one country-year panel from publishers'
files (recognised layouts) and tidy tables (--column), labelled, checked against the published labels,
on one country key; conflicts and unmatched names reported, never a silent pick."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rightsband
from conftest import REPO
from rightsband.cli import cli
from rightsband.panels import COLUMNS, PanelError, build

EXAMPLES = REPO / "examples"
RSF_2020, RSF_2024 = str(EXAMPLES / "rsf-2020-download.csv"), str(EXAMPLES / "rsf-2024-download.csv")


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def panel(runner, *args: str):
    return runner.invoke(cli, ["panel", *args])


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def tidy(tmp_path: Path, lines: list[str], name: str = "scores.csv") -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


# --- publishers' files ------------------------------------------------------------------------


def test_publishers_downloads_make_one_panel(runner):
    result = panel(runner, RSF_2020, RSF_2024)
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result.stdout)
    assert list(rows[0]) == list(COLUMNS)
    kaz = {row["year"]: row for row in rows if row["code"] == "KAZ"}
    assert kaz["2020"]["score"] == "45,89" and kaz["2020"]["label"] == "Difficult" and kaz["2020"]["rank"] == "157"
    assert kaz["2024"]["published"] == "Situation difficile" and kaz["2024"]["set"] == "rsf-2022"
    assert kaz["2024"]["source"].endswith('rsf-2024-download.csv, row 4, column "Score"')
    assert "year: the index year" in result.stderr  # what year means, shown
    assert "3 agree, 0 disagree" in result.stderr


def test_renamed_country_is_one_code(runner):
    rows = rows_of(panel(runner, RSF_2020, RSF_2024).stdout)
    assert {row["country"] for row in rows if row["code"] == "CZE"} == {"Czech Republic", "Czechia"}


def test_wide_has_a_row_per_code_and_year(runner):
    result = panel(runner, RSF_2020, RSF_2024, "--wide")
    rows = rows_of(result.stdout)
    assert list(rows[0]) == ["code", "country", "year", "rsf-score", "rsf-score_label"]
    assert [(r["code"], r["year"]) for r in rows][:2] == [("CZE", "2020"), ("CZE", "2024")]


def test_a_label_that_disagrees_with_the_published_one_is_reported(runner, tmp_path):
    text = Path(RSF_2024).read_text(encoding="utf-8-sig").replace("Bonne situation", "Situation difficile")
    path = tmp_path / "download.csv"
    path.write_text(text, encoding="utf-8")
    problems = tmp_path / "problems.csv"
    result = panel(runner, str(path), "--problems", str(problems))
    assert result.exit_code == 1
    assert 'download.csv, row 2, column "Score": Norway 2024: the rule gives "Good" for 91,89 but the file ' \
           'publishes "Situation difficile"' in result.stderr
    listed = rows_of(problems.read_text(encoding="utf-8"))
    assert [(p["kind"], p["cell"], p["set"]) for p in listed] == [("disagree", "91,89", "rsf-2022")]
    assert rows_of(result.stdout)[0]["label"] == "Good"  # the row is kept, with the rule's label


@pytest.mark.parametrize("fmt", ["tsv", "json", "jsonl"])
def test_formats(runner, fmt):
    out = panel(runner, RSF_2024, "--format", fmt).stdout
    if fmt == "json":
        first = json.loads(out)[0]
    elif fmt == "jsonl":
        first = json.loads(out.splitlines()[0])
    else:
        first = dict(zip(out.splitlines()[0].split("\t"), out.splitlines()[1].split("\t")))
    assert first["code"] == "NOR" and str(first["year"]) == "2024"


def test_output_file_is_written_atomically(runner, tmp_path):
    out = tmp_path / "panel.csv"
    result = panel(runner, RSF_2024, "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == panel(runner, RSF_2024).stdout
    failed = panel(runner, RSF_2024, str(tmp_path / "nothing.csv"), "-o", str(tmp_path / "other.csv"))
    assert failed.exit_code == 1 and not (tmp_path / "other.csv").exists()
    assert failed.stderr.strip().endswith("nothing.csv: no such file")


# --- tidy tables (--column) ---------------------------------------------------------------------


def test_codes_of_renamed_former_and_territorial_names(runner, tmp_path):
    names = {"Czechia": "CZE", "Czech Republic": "CZE", "Swaziland": "SWZ", "Eswatini": "SWZ", "Turkey": "TUR",
             "Türkiye": "TUR", "Czechoslovakia": "CSHH", "USSR": "SUHH", "Yemen, S.": "YDYE",
             "Serbia and Montenegro": "CSXX", "Somaliland": "X-SOMALILAND", "Gaza Strip": "X-GAZA-STRIP",
             "Northern Cyprus": "X-NORTHERN-CYPRUS", "Hong Kong": "HKG", "Kosovo": "XKX", "Namibia": "NAM"}
    lines = ["country,year,score", *(f'"{name}",2015,20' for name in names)]
    result = panel(runner, tidy(tmp_path, lines), "-c", "score=rsf-2013")
    assert result.exit_code == 0, result.stderr
    assert {row["country"]: row["code"] for row in rows_of(result.stdout)} == names


def test_two_names_on_one_code_with_different_values_are_a_conflict(runner, tmp_path):
    path = tidy(tmp_path, ["country,year,score", "Czechia,2020,20", "Czech Republic,2020,30", "Czechia,2021,20"])
    result = panel(runner, path, "-c", "score=rsf-2013")
    assert result.exit_code == 1
    assert "CZE 2020 score: 'Czechia' (" in result.stderr and "line 2) has '20' but 'Czech Republic' (" in result.stderr
    assert len(rows_of(result.stdout)) == 3  # both kept, nothing picked
    wide = rows_of(panel(runner, path, "-c", "score=rsf-2013", "--wide", "-q").stdout)
    assert [(r["year"], r["score"]) for r in wide] == [("2020", ""), ("2021", "20")]  # the conflict left empty


def test_equal_values_under_two_names_are_no_conflict(runner, tmp_path):
    path = tidy(tmp_path, ["country,year,score", "Czechia,2020,20", "Czech Republic,2020,20"])
    assert panel(runner, path, "-c", "score=rsf-2013").exit_code == 0


def test_unmatched_name_keeps_its_row_and_names_the_closest(runner, tmp_path):
    path = tidy(tmp_path, ["country,year,score", "Kazachstan Republik,2020,20", "Norway,2020,10"])
    problems = tmp_path / "problems.csv"
    result = panel(runner, path, "-c", "score=rsf-2013", "--problems", str(problems))
    assert result.exit_code == 1
    assert "no country matches 'Kazachstan Republik' (closest known names:" in result.stderr
    assert [row["code"] for row in rows_of(result.stdout)] == ["", "NOR"]
    assert rows_of(problems.read_text(encoding="utf-8"))[0]["kind"] == "unmatched-country"
    countries = tmp_path / "countries.csv"
    countries.write_text("name,code\nKazachstan Republik,KAZ\n", encoding="utf-8")
    fixed = panel(runner, path, "-c", "score=rsf-2013", "--countries", str(countries))
    assert fixed.exit_code == 0 and rows_of(fixed.stdout)[0]["code"] == "KAZ"


def test_composite_set_and_named_measure(runner):
    result = panel(runner, str(EXAMPLES / "central-asia.csv"), "-c", "pr,cl=fh-status", "-c", "cpi_score=ti:cpi",
                   "--wide")
    rows = rows_of(result.stdout)
    assert list(rows[0])[3:] == ["fh-status", "fh-status_label", "cpi", "cpi_label"]


@pytest.mark.parametrize(("args", "option"), [
    (["-c", "score=nope"], "--column"),
    ([], "--column"),
    (["-c", "score=rsf-2013", "--year-column", "when"], "--column"),
])
def test_usage_errors_are_one_line_and_exit_2(runner, tmp_path, args, option):
    path = tidy(tmp_path, ["country,year,score", "Norway,2020,10"])
    result = panel(runner, path, *args)
    assert result.exit_code == 2 and option in result.stderr and "Traceback" not in result.stderr


def test_a_table_without_a_country_column_needs_one(runner, tmp_path):
    path = tidy(tmp_path, ["place,year,score", "Norway,2020,10"])
    result = panel(runner, path, "-c", "score=rsf-2013")
    assert result.exit_code == 2 and "--country-column" in result.stderr
    assert panel(runner, path, "-c", "score=rsf-2013", "--country-column", "place").exit_code == 0


def test_a_year_that_is_not_one(runner, tmp_path):
    path = tidy(tmp_path, ["country,year,score", "Norway,soon,10"])
    result = panel(runner, path, "-c", "score=rsf-2013")
    assert result.exit_code == 1 and '"soon" (column "year") is not a year' in result.stderr


YEARS = st.sampled_from(["2013", "2015", "2021", "2022", "2024"])
SCORES = st.one_of(st.decimals(0, 100, places=2).map(str), st.sampled_from(["", "n/a", "abc", "101"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.tuples(st.sampled_from(["Norway", "Kazakhstan", "Chile"]), YEARS, SCORES), min_size=1,
                        max_size=12))
def test_panel_of_a_tidy_table_labels_as_label_does(runner, tmp_path, records):
    """The panel's label of each record is the label `label` gives it (same engine, same years)."""
    path = tidy(tmp_path, ["country,year,score", *(",".join(record) for record in records)], "prop.csv")
    labelled = rows_of(runner.invoke(cli, ["label", path, "-c", "score=rsf-map", "-q"]).stdout)
    built = rows_of(runner.invoke(cli, ["panel", path, "-c", "score=rsf-map", "-q"]).stdout)
    assert [row["label"] for row in built] == [row["score_label"] for row in labelled]
    assert [row["score"] for row in built] == [row["score"] for row in labelled]


def test_golden_small_panel(runner, snapshot, monkeypatch):
    monkeypatch.chdir(REPO)
    long = panel(runner, "examples/rsf-2020-download.csv", "examples/rsf-2024-download.csv")
    wide = panel(runner, "examples/rsf-2020-download.csv", "examples/rsf-2024-download.csv", "--wide",
                 "--format", "jsonl")
    assert (long.stdout, long.stderr, wide.stdout) == snapshot


# --- Python --------------------------------------------------------------------------------------


def test_read_and_panel_give_dataframes():
    frame = rightsband.read(RSF_2024)
    assert list(frame.columns) == list(COLUMNS) and str(frame["year"].dtype) == "Int64"
    both = rightsband.panel([RSF_2020, RSF_2024], wide=True)
    assert both.set_index(["code", "year"]).loc[("KAZ", 2024), "rsf-score_label"] == "Difficult"
    assert {"read", "panel"} <= set(rightsband.__all__)


def test_read_warns_of_problems(tmp_path):
    path = tidy(tmp_path, ["country,year,score", "Atlantis,2020,10"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = rightsband.read(path, columns=["score=rsf-2013"])
    assert "no country matches 'Atlantis'" in frame.attrs["problems"][0]
    assert [w.category.__name__ for w in caught] == ["PanelWarning"]
    with pytest.raises(PanelError, match="not a publisher's file"):
        build([path])


def test_classify_imports_neither_pandas_nor_country_converter():
    code = ("import sys\nfrom rightsband.cli.app import run\nrun(['classify', 'rsf', '53.46'])\n"
            "print(sorted(m for m in ('pandas', 'country_converter') if m in sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip().splitlines()[-1] == "[]"
