"""The publishers' files as they ship: every shipped file recognised by its content and read, its
observations equal to the tidy copy in ../shared/data/real (skipped cleanly where absent)."""

from __future__ import annotations

import contextlib
import csv
import functools
import math
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REAL_DATA, REPO
from rightsband import load_rules
from rightsband.publishers import (
    Layout,
    LayoutError,
    Observation,
    builtin_layouts,
    cells,
    load_layouts,
    read,
    recognise,
)
from rightsband.publishers.cells import csv_rows, decode, year_of
from rightsband.publishers.layouts import layouts_path
from rightsband.readers.workbook import number_text
from rightsband.values import parse_number

SHIPPED = REPO.parent / "shared" / "data" / "shipped"
FH = SHIPPED / "freedomhouse" / "Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx"
FH_ALL = SHIPPED / "freedomhouse" / "All_data_FIW_2013-2024.xlsx"
CPI = SHIPPED / "ti" / "CPI2023_GlobalResultsTrends.xlsx"
BTI = SHIPPED / "bti" / "BTI_2006-2020_Scores.xlsx"
RSF = sorted((SHIPPED / "rsf").glob("*.csv")) if SHIPPED.is_dir() else []
shipped = pytest.mark.skipif(not (SHIPPED.is_dir() and REAL_DATA.is_dir()),
                             reason=f"publisher files not found at {SHIPPED}")


@functools.cache
def observations(path: Path, layout: str | None = None) -> tuple[Observation, ...]:
    chosen = None if layout is None else next(x for x in builtin_layouts() if x.id == layout)
    return tuple(read(str(path), chosen))


def real(name: str) -> list[dict[str, str]]:
    with open(REAL_DATA / name, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def point(score: str) -> str:
    return score.replace(",", ".")


# --- the layouts file -----------------------------------------------------------------------

def test_every_measure_names_a_set_or_group_in_bands_toml():
    rules = load_rules()
    for layout in builtin_layouts():
        assert layout.year_means and layout.edition_means
        for measure in layout.measures:
            assert rules.group(measure.set_id) is not None or rules.get(measure.set_id).id == measure.set_id


def test_the_layouts_file_ships_in_the_wheel_beside_bands_toml():
    assert '"publishers.toml" = "rightsband/publishers.toml"' in (REPO / "pyproject.toml").read_text()
    assert layouts_path() == str(REPO / "publishers.toml")



@pytest.mark.parametrize(("text", "message"), [
    ("", "schema = 1"),
    ("schema = 1\n[[layout]]\nid = 'x'\npublisher = 'p'\nname = 'n'\nyear_means = 'y'\nedition_means = 'e'\n"
     "[[layout.table]]\nshape = 'diagonal'\nheader = ['a']\n[[layout.measure]]\nname = 'm'\nset = 's'\nscore = 'a'",
     "shape 'diagonal' is not one of"),
    ("schema = 1\n[[layout]]\nid = 'x'\npublisher = 'p'\nname = 'n'\nedition_means = 'e'\n"
     "[[layout.table]]\nshape = 'long'\nheader = ['a']\n[[layout.measure]]\nname = 'm'\nset = 's'\nscore = 'a'",
     "year_means must say"),
    ("schema = 1\n[[layout]]\nid = 'x'\npublisher = 'p'\nname = 'n'\nyear_means = 'y'\nedition_means = 'e'\n"
     "[[layout.table]]\nshape = 'long'\nheader = ['a']\n[[layout.measure]]\nname = 'm'\nset = 's'",
     "measure 'm': give score or inputs"),
    ("schema = 1\n[[layout]]\nid = 'x'\npublisher = 'p'\nname = 'n'\nyear_means = 'y'\nedition_means = 'e'\n"
     "[[layout.table]]\nshape = 'long'\nheader = ['a']\n[[layout.measure]]\nname = 'm'\nset = 's'\n"
     "score = { index = 1, offset = 2 }", "the score column is a header pattern"),
    ("schema = 1\n[[layout]]\nid = 'x'\npublisher = 'p'\nname = 'n'\nyear_means = 'y'\nedition_means = 'e'\n"
     "year = { take = 'middle' }\n[[layout.table]]\nshape = 'long'\nheader = ['a']\n", "take 'middle'"),
    ("schema = 1\n[[layout]]\nid = 'x'\npublisher = 'p'\nname = 'n'\nyear_means = 'y'\nedition_means = 'e'\n"
     "[[layout.table]]\nshape = 'long'\nsheet = 'S'\nheader = ['a']\n[[layout.table]]\nshape = 'long'\n"
     "header = ['a']\n", "all sheets or one CSV"),
    ("schema = [", "publishers.toml"),
])
def test_a_bad_layouts_file_is_one_line_naming_the_place(tmp_path, text, message):
    path = tmp_path / "publishers.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LayoutError, match=message.replace("(", r"\(")):
        load_layouts(str(path))


# --- recognition ------------------------------------------------------------------------------

@shipped
@pytest.mark.parametrize(("path", "layout"), [
    (FH, "fh-ratings"), (FH_ALL, "fh-all-data"), (CPI, "ti-cpi-historical"), (BTI, "bti"),
    *((path, "rsf-2002" if int(path.stem) < 2022 else "rsf-2022") for path in RSF),
])
def test_every_shipped_file_is_recognised_by_its_content(tmp_path, path, layout):
    found = recognise(str(path))
    assert found is not None and found.id == layout
    neutral = tmp_path / "download"  # no name, no extension: content alone decides
    shutil.copyfile(path, neutral)
    assert recognise(str(neutral)) == found


def test_rsf_files_cover_every_year_but_2011():
    if not RSF:
        pytest.skip("publisher files absent")
    assert [int(p.stem) for p in RSF] == [y for y in range(2002, 2026) if y != 2011]


def test_an_unknown_csv_or_workbook_is_not_recognised(tmp_path):
    import openpyxl

    text = tmp_path / "table.csv"
    text.write_text("country,year,score\nNorway,2020,7.8\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append(["Country / Territory", "ISO3", "Year", "CPI score"])  # CPI-like, not CPI's sheet
    book.save(tmp_path / "book.xlsx")
    binary = tmp_path / "blob"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    archive = tmp_path / "a.zip"
    import zipfile

    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("data.csv", "a,b\n")
    for path in (text, tmp_path / "book.xlsx", binary, archive):
        assert recognise(str(path)) is None
    with pytest.raises(LayoutError, match="not a publisher's file rightsband recognises; name its columns"):
        list(read(str(text)))


# --- Freedom House ------------------------------------------------------------------------------

@shipped
def test_fh_ratings_equal_the_tidy_table():
    got = Counter()
    for o in observations(FH):
        if o.measure == "status" and o.problem is None:
            got[(o.country, o.kind, o.edition, o.inputs["pr"], o.inputs["cl"], o.published)] += 1
    want = Counter((r["Country/Territory"], r["C/T"], r["Survey Edition"], r["PR"], r["CL"], r["Status"])
                   for r in real("freedomhouse_fiw_ratings_statuses_1972_2023.csv")
                   if r["Country/Territory"] != "South Africa" or r["Year(s) Under Review"] != "1972")
    assert got == want
    assert Counter(o.kind for o in observations(FH) if o.measure == "status") == {"c": 9294, "t": 517}
    by_measure = Counter(o.measure for o in observations(FH))
    assert by_measure == {"status": 9811, "pr": 9811, "cl": 9811}


@shipped
def test_fh_years_are_years_under_review_with_the_1980s_periods_counted_by_their_start():
    rows = {(r["Country/Territory"], r["Survey Edition"]): r["Year(s) Under Review"]
            for r in real("freedomhouse_fiw_ratings_statuses_1972_2023.csv")}
    for o in observations(FH):
        assert o.year == year_of(rows[(o.country, o.edition)], "first")
    afghanistan = [o.year for o in observations(FH) if o.country == "Afghanistan" and o.measure == "pr"]
    assert afghanistan == sorted(set(afghanistan)) == [y for y in range(1972, 2024) if y != 1989]
    periods = {o.edition: o.year for o in observations(FH) if o.country == "Afghanistan"}
    assert periods["1982"] == 1981 and periods["1988-89"] == 1987 and periods["1989-90"] == 1988
    assert periods["1990-91"] == 1990 and periods["Jan.-Feb. 1973"] == 1972 and periods["2024"] == 2023


@shipped
def test_fh_names_lose_their_trailing_spaces_and_territories_keep_their_kind():
    countries = {o.country for o in observations(FH)}
    assert {"Germany, E.", "Germany, W.", "Czechoslovakia", "USSR"} <= countries
    assert not any(name != name.strip() for name in countries)
    somaliland = {o.kind for o in observations(FH) if o.country == "Somaliland"}
    assert somaliland == {"t"}
    assert {o.kind for o in observations(FH) if o.country == "Hong Kong" and o.year == 1972} == {"c", "t"}


@shipped
def test_south_africa_1972_is_refused_with_the_reason_and_its_place():
    refused = [o for o in observations(FH) if o.problem is not None]
    assert {(o.country, o.year, o.measure, o.score) for o in refused} == {
        ("South Africa", 1972, "status", "2(5),3(6)"), ("South Africa", 1972, "pr", "2(5)"),
        ("South Africa", 1972, "cl", "3(6)")}
    status = next(o for o in refused if o.measure == "status")
    assert status.published == "F (NF)" and "white and black South Africa" in status.problem
    assert str(status.source).endswith('sheet "Country Ratings, Statuses ", row 166, column "PR,CL"')


@shipped
def test_fh_statuses_from_pr_and_cl_equal_the_published_ones_from_2003():
    rules = load_rules()
    checked = 0
    for path in (FH, FH_ALL):
        for o in observations(path):
            if o.measure == "status" and o.year >= 2003:
                result = rules.for_year(o.set_id, o.year).classify(o.value, year=o.year)
                assert result is not None and o.published in (result.label, *result.band.aliases), o
                checked += 1
    assert checked == 4407 + 2723


@shipped
def test_fh_all_data_equals_the_tidy_table():
    got = {}
    for o in observations(FH_ALL):
        got.setdefault((o.country, o.edition), {"kind": o.kind, "year": o.year})[o.measure] = o
    rows = real("freedomhouse_fiw_all_data_2013_2025_editions.csv")
    assert len(got) == len(rows) == 2723
    for r in rows:
        o = got[(r["Country/Territory"], r["Edition"])]
        assert (o["kind"], o["year"]) == (r["C/T"], int(r["Edition"]) - 1)
        assert o["status"].inputs == {"pr": r["PR rating"], "cl": r["CL rating"]}
        assert o["status"].published == r["Status"]
        assert (o["pr-score"].score, o["cl-score"].score) == (r["PR"], r["CL"])


# --- RSF ------------------------------------------------------------------------------------------

@shipped
def test_rsf_2002_2021_downloads_equal_the_tidy_table():
    got = Counter()
    for path in RSF[:19]:
        for o in observations(path):
            assert o.set_id == "rsf-map-current" and o.published is None
            got[(o.edition, o.code, o.country, o.rank, point(o.score))] += 1
    want = Counter((r["Year (N)"], r["ISO"], r["EN_country"], r["Rank N"], r["Score N"])
                   for r in real("rsf_wpfi_2002_2021.csv"))
    assert got == want and sum(want.values()) == 3300
    assert {o.year for o in observations(SHIPPED / "rsf" / "2012.csv")} == {2012}


@shipped
def test_rsf_2022_on_downloads_equal_the_tidy_table_in_every_encoding_and_line_end():
    got = Counter()
    for path in RSF[19:]:
        for o in observations(path):
            got[(str(o.year), o.code, o.country, point(o.score), o.rank, o.published or "")] += 1
    want = Counter((r["Year (N)"], r["ISO"], r["Country_EN"], r["Score"], r["Rank"], r["Situation"])
                   for r in real("rsf_wpfi_2022_2025.csv"))
    assert got == want and sum(want.values()) == 720
    assert "Côte d'Ivoire" in {o.country for o in observations(SHIPPED / "rsf" / "2025.csv")}  # cp1252


@shipped
def test_rsf_2024_situations_are_the_labels_of_the_scores():
    rules = load_rules()
    situations = [o for o in observations(SHIPPED / "rsf" / "2024.csv")]
    assert len(situations) == 180
    for o in situations:
        band = rules.for_year(o.set_id, o.year).classify(o.value).band
        assert o.published in band.aliases


# --- Transparency International ----------------------------------------------------------------

@shipped
def test_cpi_historical_sheet_equals_the_tidy_table():
    got = Counter((o.country, o.code, o.year, o.score, o.rank, o.edition) for o in observations(CPI))
    want = Counter((r["Country / Territory"], r["ISO3"], int(r["Year"]), r["CPI score"], r["Rank"], r["Year"])
                   for r in real("ti_cpi_2012_2023.csv"))
    assert got == want and sum(want.values()) == 2132


@shipped
@pytest.mark.parametrize("layout", ["ti-cpi-timeseries", "ti-cpi-current"])
def test_cpi_time_series_and_current_year_sheets_give_the_same_scores(layout):
    historical = {(o.code, o.year): (o.score, o.rank) for o in observations(CPI)}
    other = observations(CPI, layout)
    for o in other:  # the time series has no ranks before 2017
        score, rank = historical[(o.code, o.year)]
        assert (o.score, o.rank) == (score, rank if o.year >= 2017 else None)
    years = {o.year for o in other}
    assert years == (set(range(2012, 2024)) if layout == "ti-cpi-timeseries" else {2023})
    left_out = {key for key in historical if key[1] in years} - {(o.code, o.year) for o in other}
    assert len(other) == len({(o.code, o.year) for o in other})
    assert left_out == ({("PRI", 2012), ("PRI", 2013), ("PRI", 2014)} if layout == "ti-cpi-timeseries" else set())


# --- BTI -----------------------------------------------------------------------------------------

BTI_MEASURES = {"status-index": "status_index", "democracy-status": "democracy_status",
                "economy-status": "economy_status", "governance-index": "governance_index",
                "level-of-difficulty": "level_of_difficulty", "governance-performance": "governance_performance"}


@shipped
def test_bti_scores_and_categories_equal_the_tidy_table():
    got = {(o.year, o.country, o.measure): o for o in observations(BTI)}
    want = 0
    for r in real("bti_2006_2020_categories.csv"):
        for measure, column in BTI_MEASURES.items():
            if r[f"{column}_score"] in ("", "-"):
                assert (int(r["edition"]), r["country"], measure) not in got
                continue
            want += 1
            o = got[(int(r["edition"]), r["country"], measure)]
            # the tidy copy wrote a few floats a digit longer (4.6499999999999995 for the workbook's
            # 4.649999999999999): the same number once float noise is read as rightsband reads it
            assert parse_number(o.score) == parse_number(r[f"{column}_score"])
            assert (o.published, o.edition) == (r[f"{column}_category_label"], f"BTI {r['edition']}")
    assert want == len(got) == 6142
    gate = got[(2020, "Afghanistan", "democracy-status")]
    assert gate.inputs == {"score": "3.28", "q2_1": "4", "q2_2": "2", "q2_3": "5", "q2_4": "4", "q3_1": "4",
                           "q3_4": "2", "state_failure": "3"}
    assert gate.rank == "118"


@shipped
def test_bti_categories_are_the_labels_of_the_scores():
    rules = load_rules()
    for o in observations(BTI):
        result = rules.for_year(o.set_id, o.year).classify(o.value, year=o.year)
        assert result is not None
        assert o.published.casefold() in {result.label.casefold(), *(a.casefold() for a in result.band.aliases)}, o


# --- a release that differs from its layout --------------------------------------------------

def _layout(tmp_path: Path, body: str) -> Layout:
    path = tmp_path / "publishers.toml"
    path.write_text("schema = 1\n[[layout]]\nid = 'x'\npublisher = 'p'\nname = 'n'\nyear_means = 'y'\n"
                    "edition_means = 'e'\n" + body, encoding="utf-8")
    return load_layouts(str(path))[0]


CSV_LAYOUT = """[layout.country]\nheader = '^Country$'\n[layout.year]\ncolumn = '^Year$'\n
[[layout.table]]\nshape = 'file-per-year'\ndelimiter = ';'\nheader = ['^Country$', '^Year$']\n
[[layout.measure]]\nname = 'm'\nset = 'fh-status'\ninputs = { pr = '^PR$', cl = '^CL$' }\n"""


@pytest.mark.parametrize(("content", "message"), [
    ("Title\nCountry;Year;PR\nNorway;2020;1\n", r"the columns of m \(cl\) are not in the header"),
    ("Country;Year;Other\nNorway;2020;1\n", "none of the measures of x is in the header"),
    ("Country;Year;PR;CL\nNorway;soon;1;1\n", r'row 2: the year cell "soon" names no year'),
    ("nothing\n", "the header of x is not in the first 10 rows"),
])
def test_a_file_that_differs_from_its_layout_stops_with_the_place(tmp_path, content, message):
    layout = _layout(tmp_path, CSV_LAYOUT)
    path = tmp_path / "file.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LayoutError, match=message):
        list(read(str(path), layout))


def test_a_csv_layout_reads_a_cp1252_file_with_bare_cr_line_ends(tmp_path):
    layout = _layout(tmp_path, CSV_LAYOUT)
    path = tmp_path / "file.csv"
    path.write_bytes("Country;Year;PR;CL\rCôte d'Ivoire;2020-21;-;-\rSão Tomé;2020;1;2\r;2020;1;1\r".encode("cp1252"))
    assert recognise(str(path), [layout]) == layout
    (o,) = read(str(path), layout)
    assert (o.country, o.year, o.score, o.source.row) == ("São Tomé", 2020, "1,2", 3)


def test_a_sheet_of_the_wide_shape_without_its_year_row_stops(tmp_path):
    import openpyxl

    layout = _layout(tmp_path, "[[layout.table]]\nsheet = '^R$'\nshape = 'wide-by-edition'\nheader = ['^Ed$']\n"
                               "[[layout.measure]]\nname = 'pr'\nset = 'fh-pr'\nscore = '^PR$'\n")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "R"
    for row in (["Ed", "2020"], ["Years", "later"], [None, "PR"], ["Norway", 1]):
        sheet.append(row)
    book.save(tmp_path / "w.xlsx")
    with pytest.raises(LayoutError, match=r'row 2, column 2: the year cell "later" names no year'):
        list(read(str(tmp_path / "w.xlsx"), layout))
    sheet.delete_rows(2, 3)
    book.save(tmp_path / "w.xlsx")
    with pytest.raises(LayoutError, match="edition, year and measure rows of x are not in the first 10 rows"):
        list(read(str(tmp_path / "w.xlsx"), layout))


# --- the pieces ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "first", "last"), [
    ("2011-12", 2011, 2012), ("Jan.1981-Aug. 1982", 1981, 1982), ("1999-2000", 1999, 2000), ("1999-00", 1999, 2000),
    (2024, 2024, 2024), ("Nov.1988-Dec.1989", 1988, 1989), ("soon", None, None), (None, None, None)])
def test_year_of_a_cell_takes_the_first_or_the_last_year_named(cell, first, last):
    assert (year_of(cell, "first"), year_of(cell, "last")) == (first, last)


CELL = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8).filter(
    lambda s: not any(c in s for c in ';"\u2028\u2029\x85'))


@given(st.lists(st.lists(CELL, min_size=2, max_size=2), min_size=1, max_size=5),
       st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_csv_text_reads_back_in_any_encoding_and_line_end(rows, end, encoding):
    text = "".join(";".join(row) + end for row in rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    if encoding == "cp1252" and data != text.encode("utf-8"):
        with contextlib.suppress(UnicodeDecodeError):
            data.decode("utf-8")
            return  # Windows-1252 bytes that are also UTF-8 are read as UTF-8, as most downloads are
    assert list(csv_rows(decode(data), ";")) == rows


@shipped
def test_a_layout_given_for_the_wrong_kind_of_file_stops():
    layouts = {layout.id: layout for layout in builtin_layouts()}
    with pytest.raises(LayoutError, match="layout rsf-2022 is for a CSV file"):
        list(read(str(CPI), layouts["rsf-2022"]))
    with pytest.raises(LayoutError, match="layout bti is for a workbook"):
        list(read(str(RSF[0]), layouts["bti"]))
    with pytest.raises(LayoutError, match="no sheet has the name and header of layout bti"):
        list(read(str(CPI), layouts["bti"]))


def test_a_row_without_a_year_needs_a_year_column(tmp_path):
    layout = _layout(tmp_path, "[[layout.table]]\nshape = 'long'\nheader = ['^Country$']\n"
                               "[[layout.measure]]\nname = 'm'\nset = 'ti'\nscore = '^Score$'\n")
    path = tmp_path / "file.csv"
    path.write_text("Country,Score\nNorway,84\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="x names no year column and the score header names no year"):
        list(read(str(path), layout))


def test_a_wide_sheet_without_its_country_column_stops(tmp_path):
    import openpyxl

    layout = _layout(tmp_path, "[layout.country]\nheader = '^Name$'\n[[layout.table]]\nsheet = '^R$'\n"
                               "shape = 'wide-by-edition'\nheader = ['^Ed$']\n"
                               "[[layout.measure]]\nname = 'pr'\nset = 'fh-pr'\nscore = '^PR$'\n")
    book = openpyxl.Workbook()
    book.active.title = "R"
    for row in (["Ed", "2020"], ["Years", 2019], [None, "PR"], ["Norway", 1]):
        book.active.append(row)
    book.save(tmp_path / "w.xlsx")
    with pytest.raises(LayoutError, match="the country column of x is not in row 3"):
        list(read(str(tmp_path / "w.xlsx"), layout))


@given(st.lists(st.one_of(st.floats(), st.integers(), st.just(-0.0)), max_size=40), st.sampled_from([0, 1 << 16]))
def test_a_numbers_text_is_the_same_however_often_it_is_met(values, remembered):
    """Each float's text is kept (up to REMEMBERED_FLOATS): the float's own text, never an equal int's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cells, "REMEMBERED_FLOATS", remembered)
        for value in [*values, *values, *(int(v) for v in values if isinstance(v, float) and math.isfinite(v))]:
            assert cells.text(value) == number_text(value)
