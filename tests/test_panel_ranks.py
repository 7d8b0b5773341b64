"""The scale guard in `rightsband panel`: ranks beside a score must run the way its set's direction says,
for a publisher's file read by its layout and for a tidy table read with --column alike."""

from __future__ import annotations

import csv
import dataclasses
import importlib
import io
import shutil

import pytest

from conftest import REPO
from rightsband.panels import PanelError, build
from rightsband.publishers import builtin_layouts

recognising = importlib.import_module("rightsband.publishers.recognise")  # the module, not its function
SHIPPED_RSF = REPO.parent / "shared" / "data" / "shipped" / "rsf"
needs_shipped = pytest.mark.skipif(not (SHIPPED_RSF / "2015.csv").exists(),
                                   reason=f"publishers' files not found at {SHIPPED_RSF}")


@pytest.fixture()
def rsf_on_rsf_map(monkeypatch):
    """The shipped layouts, with RSF's 2002–2021 downloads (100 = best) pointed at rsf-map (0 = best to 2021)."""
    def relabelled(layout):
        if layout.id != "rsf-2002":
            return layout
        return dataclasses.replace(layout, measures=tuple(dataclasses.replace(m, set_id="rsf-map")
                                                          for m in layout.measures))

    layouts = tuple(relabelled(layout) for layout in builtin_layouts())
    monkeypatch.setattr(recognising, "builtin_layouts", lambda: layouts)


@needs_shipped
def test_a_layout_on_the_wrong_set_stops(run, rsf_on_rsf_map, tmp_path):
    copy = tmp_path / "rsf-2015-download.csv"
    shutil.copyfile(SHIPPED_RSF / "2015.csv", copy)
    out = tmp_path / "panel.csv"
    result = run("panel", str(copy), "-o", str(out))
    assert result.exit_code == 1 and result.stdout == "" and not out.exists()
    [line] = result.stderr.splitlines()
    assert line.startswith(f"rightsband: {copy}: ")
    assert '"Rank N" ranks "Score N" with 100 best (rank 1 scores 92,48)' in line
    assert "rsf-map's edition for 2015, rsf-2013, has 0 best; use rsf-map-current" in line
    assert 'set = "rsf-map-current" for measure score of layout rsf-2002 in publishers.toml' in line
    assert "--no-rank-check" in line


@needs_shipped
def test_no_rank_check_lets_it_through(run, rsf_on_rsf_map):
    result = run("panel", str(SHIPPED_RSF / "2015.csv"), "--no-rank-check", "-q")
    assert result.exit_code == 0
    finland = next(row for row in csv.DictReader(io.StringIO(result.stdout)) if row["code"] == "FIN")
    assert finland["label"] == "Very serious"  # mirrored: the user's call


@needs_shipped
def test_the_shipped_files_pass():
    paths = sorted(SHIPPED_RSF.glob("*.csv"))
    built = build(paths)
    assert {row.set_id for row in built.rows if row.year == 2015} == {"rsf-2013-current"}


def test_the_library_raises_panel_error(tmp_path, rsf_on_rsf_map):
    rows = "".join(f"{2015};ISO{n};{n};{90 - 5 * n};C{n}\n" for n in range(1, 9))
    path = tmp_path / "rsf.csv"
    path.write_text("Year (N);ISO;Rank N;Score N;EN_country\n" + rows)
    with pytest.raises(PanelError, match=r"rsf\.csv: \"Rank N\" ranks \"Score N\" with 100 best"):
        build([path])
    assert len(build([path], rank_check=False).rows) == 8


def test_a_tidy_table_is_checked_as_label_checks_it(run, tmp_path):
    path = tmp_path / "tidy.csv"
    path.write_text("country,year,rank,score\n" + "".join(f"C{n},2015,{n},{90 - 5 * n}\n" for n in range(1, 9)))
    result = run("panel", str(path), "-c", "score=rsf-2013")
    assert result.exit_code == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"rightsband: {path}: ") and '"rank" ranks "score" with 100 best' in line
    assert 'use rsf-2013-current (-c "score=rsf-2013-current")' in line
    assert run("panel", str(path), "-c", "score=rsf-2013", "--no-rank-check", "-q").exit_code == 1  # names: C1..
    assert "ranks" not in run("panel", str(path), "-c", "score=rsf-2013", "--no-rank-check").stderr
