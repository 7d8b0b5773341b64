"""A scorecard says what the data does not give: a card mostly without scores for its year, a year cell
that spans editions (as `label` says it), the data named by its file name only, file names that keep a
country's letters, and `--all` that writes every card or none."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rightsband.cli.scorecard import _TAKEN, _file_name

#: Three publishers; only RSF has 2025.
MIXED = ("country,iso3,year,pr,cl,rsf,cpi\n"
         "Kazakhstan,KAZ,2023,6,5,55.41,39\n"
         "Kazakhstan,KAZ,2024,,,54.98,40\n"
         "Kazakhstan,KAZ,2025,,,38.44,\n")
LINES = ("-c", "pr,cl=fh-fiw-status", "-c", "rsf=rsf-map", "-c", "cpi=ti")
THIN = ("rightsband: Kazakhstan 2025: 2 of 3 line(s) have no score for that year; the data has fh-fiw-status 2023, "
        "rsf-map 2023–2025, ti 2023–2024; give --year YEAR\n")
SPANS = '"2021-2022" (column "year") spans editions (rsf-2013, rsf-2022); give one year per record'


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


# -- most lines without a score for the year -----------------------------------------------------------------


def test_a_card_mostly_without_scores_exits_1_naming_each_lines_years_and_is_written(run, tmp_path):
    data = write(tmp_path / "mixed.csv", MIXED)
    target = tmp_path / "kz.json"
    result = run("scorecard", data, "--country", "KAZ", *LINES, "-o", str(target), "-q")
    assert (result.exit_code, result.stderr) == (1, THIN)
    card = json.loads(target.read_text(encoding="utf-8"))
    assert (card["year"], card["problems"]) == (2025, 0)
    assert [line["state"] for s in card["sections"] for line in s["lines"]] == ["missing", "banded", "missing"]


def test_a_year_asked_for_is_judged_alike(run, tmp_path):
    data = write(tmp_path / "mixed.csv", MIXED)
    result = run("scorecard", data, "--country", "KAZ", *LINES, "--year", "2025", "-q")
    assert (result.exit_code, result.stderr) == (1, THIN)


def test_half_the_lines_missing_is_not_most(run, tmp_path):
    data = write(tmp_path / "mixed.csv", MIXED)
    result = run("scorecard", data, "--country", "KAZ", *LINES, "--year", "2024", "-q")  # 1 of 3 missing
    assert (result.exit_code, result.stderr) == (0, "")
    two = run("scorecard", data, "--country", "KAZ", "-c", "rsf=rsf-map", "-c", "cpi=ti", "-q")  # 1 of 2 missing
    assert (two.exit_code, two.stderr) == (0, "")


def test_a_line_the_data_never_scores_says_none_and_a_repeated_index_names_its_columns(run, tmp_path):
    data = write(tmp_path / "d.csv", "country,year,a,b,c\nKazakhstan,2020,10,,\nKazakhstan,2021,,,\n")
    result = run("scorecard", data, "--country", "Kazakhstan", "-c", "a=ti", "-c", "b=ti", "-c", "c=rsf-map", "-q")
    assert (result.exit_code, result.stderr) == (1, "rightsband: Kazakhstan 2021: 3 of 3 line(s) have no score for "
                                                    "that year; the data has ti (a) 2020, ti (b) none, rsf-map "
                                                    "none; give --year YEAR\n")


def test_without_a_year_column_a_card_mostly_without_scores_is_not_about_years(run, tmp_path):
    data = write(tmp_path / "d.csv", "country,score\nKazakhstan,\n")
    result = run("scorecard", data, "--country", "Kazakhstan", "-c", "score=ti", "-q")
    assert (result.exit_code, result.stderr) == (0, "")


def test_all_reports_each_card_mostly_without_scores_and_writes_every_card(run, tmp_path):
    data = write(tmp_path / "mixed.csv", MIXED + "Kyrgyzstan,KGZ,2023,5,5,47.1,27\n")
    folder = tmp_path / "cards"
    result = run("scorecard", data, "--all", "-o", str(folder), *LINES, "-q")
    assert (result.exit_code, result.stderr) == (1, THIN)
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "kaz.html", "kgz.html"]


# -- a year cell spanning editions ----------------------------------------------------------------------------


def test_a_year_cell_spanning_editions_is_the_problem_label_gives(run, tmp_path):
    data = write(tmp_path / "s.csv", "country,iso3,year,score\nKazakhstan,KAZ,2021-2022,30\n")
    label = run("label", data, "-c", "score=rsf-map")
    assert label.exit_code == 1 and SPANS in label.stderr
    result = run("scorecard", data, "--country", "KAZ", "-c", "score=rsf-map", "-q", "--format", "json")
    assert result.exit_code == 1
    [line] = json.loads(result.stdout)["sections"][0]["lines"]
    assert (line["state"], line["problem"], line["label"]) == ("problem", SPANS, None)
    assert "Very serious" not in result.stdout


def test_a_year_cell_spanning_editions_is_a_problem_in_the_history(run, tmp_path):
    data = write(tmp_path / "s.csv", "country,iso3,year,score\nKazakhstan,KAZ,2020,30\nKazakhstan,KAZ,2021-2022,30\n"
                                     "Kazakhstan,KAZ,2023,30\n")
    result = run("scorecard", data, "--country", "KAZ", "-c", "score=rsf-map", "--history", "--year", "2023",
                 "-q", "--format", "json")
    [line] = json.loads(result.stdout)["sections"][0]["lines"]
    cells = {cell["year"]: cell for cell in line["history"]}
    assert (cells[2022]["label"], cells[2022]["problem"]) == (None, SPANS)
    assert cells[2020]["label"] and cells[2023]["label"]
    assert result.exit_code == 0  # the card's own record, 2023, is banded


def test_a_year_cell_within_one_edition_is_banded_as_label_bands_it(run, tmp_path):
    data = write(tmp_path / "s.csv", "country,iso3,year,score\nKazakhstan,KAZ,2022-2023,30\n")
    label = run("label", data, "-c", "score=rsf-map", "-q", "--format", "jsonl")
    result = run("scorecard", data, "--country", "KAZ", "-c", "score=rsf-map", "-q", "--format", "json")
    [line] = json.loads(result.stdout)["sections"][0]["lines"]
    assert result.exit_code == 0
    assert line["label"] == json.loads(label.stdout.splitlines()[0])["score_label"] == "Very serious"


# -- the data named by its file name ---------------------------------------------------------------------------


def test_a_published_card_names_the_data_by_its_file_name_in_every_format(run, tmp_path):
    folder = tmp_path / "private-home" / "data"
    folder.mkdir(parents=True)
    data = write(folder / "scores.csv", MIXED)
    for fmt in ("terminal", "markdown", "html", "json"):
        result = run("scorecard", data, "--country", "KAZ", "-c", "rsf=rsf-map", "--format", fmt, "-q")
        assert result.exit_code == 0, result.stderr
        assert "private-home" not in result.stdout
        assert "scores.csv" in result.stdout
    card = json.loads(run("scorecard", data, "--country", "KAZ", "-c", "rsf=rsf-map", "--format", "json").stdout)
    assert card["source"] == "scores.csv"


# -- --all file names ------------------------------------------------------------------------------------------


def test_all_file_names_keep_letters_beyond_ascii_and_never_overwrite(run, tmp_path):
    # Two names of one slug that match no country (Côte d'Ivoire's two spellings would be one country, CIV).
    data = write(tmp_path / "d.csv", "country,year,score\nCôte d'Azur,2020,40\nCôte-d’Azur,2020,50\n"
                                     "São Tomé and Príncipe,2020,60\nCON,2020,70\nIndex,2020,80\n")
    folder = tmp_path / "cards"
    result = run("scorecard", data, "--all", "-o", str(folder), "-c", "score=ti", "--format", "json", "-q")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["côte-d-azur.json", "côte-d-azur-2.json", "são-tomé-and-príncipe.json",
                            "con-2.json", "index-2.json", "index.json"])
    scores = {json.loads((folder / n).read_text(encoding="utf-8"))["sections"][0]["lines"][0]["scores"][0]["text"]
              for n in names if n != "index.json"}
    assert scores == {"40", "50", "60", "70", "80"}  # no card overwrote another


def test_file_names_are_nfc_and_lower_case():
    taken: set[str] = set()
    assert _file_name("Co\u0302te d'Ivoire", taken) == "côte-d-ivoire"  # written decomposed
    assert _file_name("CÔTE D'IVOIRE", taken) == "côte-d-ivoire-2"
    assert _file_name("Ελλάδα", taken) == "ελλάδα"
    assert _file_name("  ", taken) == "country"


_UNSAFE = set('/\\:*?"<>|#%&+=;,\'`^~[]{}() ') | {chr(c) for c in range(32)} | {"\x7f"}


@settings(max_examples=300)
@given(st.lists(st.text(min_size=0, max_size=80), min_size=1, max_size=20))
def test_file_names_are_safe_distinct_and_keep_every_letter(names):
    taken = set(_TAKEN)
    found = [_file_name(name, taken) for name in names]
    assert len({f.casefold() for f in found}) == len(found)
    for name, file in zip(names, found):
        assert file and not set(file) & _UNSAFE and not file.startswith("-")
        assert file == unicodedata.normalize("NFC", file) == file.lower()
        assert file.casefold() not in _TAKEN
        text = unicodedata.normalize("NFC", name.lower())
        kept = [c for c in text if unicodedata.category(c)[0] in "LMN"]
        assert "".join(kept)[:30] in file.replace("-", "")  # every letter and digit kept, in order (60 characters)


# -- --all writes every card or none -----------------------------------------------------------------------------


def test_all_checks_every_target_first_and_writes_nothing_when_one_cannot_be_written(run, tmp_path):
    data = write(tmp_path / "d.csv", "country,iso2,year,score\nKazakhstan,KZ,2020,40\nUzbekistan,UZ,2020,30\n")
    folder = tmp_path / "cards"
    (folder / "uz.html").mkdir(parents=True)  # the second card's file name is a folder
    (folder / "kz.html").write_text("old\n", encoding="utf-8")
    result = run("scorecard", data, "--all", "-o", str(folder), "-c", "score=ti")
    assert (result.exit_code, result.stdout) == (2, "")
    assert f"{str(folder / 'uz.html')!r} is a directory, so uz.html cannot be written; nothing was written" in \
        result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["kz.html", "uz.html"]
    assert (folder / "kz.html").read_text(encoding="utf-8") == "old\n"


def test_all_where_the_index_is_a_folder_writes_nothing(run, tmp_path):
    data = write(tmp_path / "d.csv", "country,iso2,year,score\nKazakhstan,KZ,2020,40\n")
    folder = tmp_path / "cards"
    (folder / "index.md").mkdir(parents=True)
    result = run("scorecard", data, "--all", "-o", str(folder), "-c", "score=ti", "--format", "markdown")
    assert result.exit_code == 2
    assert "index.md cannot be written; nothing was written" in result.stderr
    assert os.listdir(folder) == ["index.md"]


def test_all_where_the_directory_cannot_be_made_is_one_line(run, tmp_path):
    data = write(tmp_path / "d.csv", "country,iso2,year,score\nKazakhstan,KZ,2020,40\n")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run("scorecard", data, "--all", "-o", str(tmp_path / "file" / "cards"), "-c", "score=ti")
    assert result.exit_code == 2
    assert "cannot make the directory" in result.stderr and "Traceback" not in result.stderr
