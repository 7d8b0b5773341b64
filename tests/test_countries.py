"""Countries on one key: coco under rightsband's rules, user overrides, unmatched names, conflicts,
and every name in the publishers' files (skipped when ../shared is absent)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO
from rightsband.countries import (
    CountriesError,
    CountryMatcher,
    Observation,
    builtin_rules,
    coco,
    find_conflicts,
    load_country_rules,
    normalise,
)

SHARED = REPO.parent / "shared" / "data"


@pytest.fixture(scope="module")
def matcher() -> CountryMatcher:
    return CountryMatcher()


# --- Names that must match, and names that must stay apart ------------------------------------


@pytest.mark.parametrize(("name", "code"), [
    ("Namibia", "NAM"), ("Kosovo", "XKX"), ("Czech Republic", "CZE"), ("Czechia", "CZE"),
    ("Swaziland", "SWZ"), ("Eswatini", "SWZ"), ("Turkey", "TUR"), ("Türkiye", "TUR"),
    ("Kyrgyz", "KGZ"), ("Korea, Rep.", "KOR"), ("GuineaBissau", "GNB"), ("USA", "USA"),
    ("Czechoslovakia", "CSHH"), ("USSR", "SUHH"), ("Yugoslavia", "YUCS"), ("Serbia and Montenegro", "CSXX"),
    ("Serbia-Montenegro", "CSXX"), ("SCG", "CSXX"), ("Germany, E. ", "DDDE"), ("Germany, W. ", "X-WEST-GERMANY"),
    ("Yemen, S.", "YDYE"), ("Yemen, N.", "X-NORTH-YEMEN"), ("Vietnam, N.", "VDVN"), ("Vietnam, S.", "X-SOUTH-VIETNAM"),
    ("Somaliland", "X-SOMALILAND"), ("Northern Cyprus", "X-NORTHERN-CYPRUS"), ("Cyprus North", "X-NORTHERN-CYPRUS"),
    ("Indian Kashmir", "X-INDIAN-KASHMIR"), ("Gaza Strip", "X-GAZA-STRIP"), ("West Bank", "X-WEST-BANK"),
    ("Palestine", "PSE"), ("State of Palestine", "PSE"), ("Hong Kong", "HKG"), ("Puerto Rico", "PRI"),
    ("Morocco / Western Sahara ", "MAR"), ("X-TIBET", "X-TIBET"),
])
def test_names_and_their_keys(matcher, name, code):
    assert matcher.code(name) == code


@pytest.mark.parametrize(("name", "merged_into"), [
    ("Czechoslovakia", "CZE"), ("Yemen, N.", "YEM"), ("Yemen, S.", "YEM"), ("Somaliland", "SOM"),
    ("Northern Cyprus", "CYP"), ("Indian Kashmir", "IND"), ("Gaza Strip", "PSE"), ("West Bank", "PSE"),
])
def test_what_coco_alone_merges_stays_apart(matcher, name, merged_into):
    """coco's patterns give these a current country's code; the rules keep each on its own key."""
    assert coco.codes_for([name]) == [(merged_into,)]
    assert matcher.code(name) not in (None, merged_into)


def test_former_and_split_states_stay_apart_from_each_other(matcher):
    codes = matcher.match(["Yemen", "Yemen, N.", "Yemen, S.", "Germany", "Germany, E.", "Germany, W.",
                           "Vietnam", "Vietnam, N.", "Vietnam, S.", "Gaza Strip", "West Bank", "Palestine"])
    for group in (["Yemen", "Yemen, N.", "Yemen, S."], ["Germany", "Germany, E.", "Germany, W."],
                  ["Vietnam", "Vietnam, N.", "Vietnam, S."], ["Gaza Strip", "West Bank", "Palestine"]):
        assert len({codes[name] for name in group}) == 3, group


def test_namibia_under_pandas_3():
    """coco's table is read with ``keep_default_na=False``: ``NA`` (Namibia's ISO2) is not a missing value."""
    assert coco.codes_for(["Namibia"]) == [("NAM",)]
    assert "NAM" in coco.current_codes()


# --- The rules file ---------------------------------------------------------------------------


def test_no_former_state_or_territory_takes_another_countrys_code():
    current = coco.current_codes()
    for place in builtin_rules().places:
        own_key = place.key.startswith("X-")
        if place.kind == "former":
            assert (own_key or len(place.key) == 4) and not {place.key, *place.codes} & current, place
        elif place.kind == "territory" and not own_key:  # its own ISO code, the one coco gives its name
            assert coco.codes_for([place.names[0]]) == [(place.key,)], place
        elif place.kind == "spelling":
            assert place.key in current, place


@pytest.mark.parametrize(("text", "message"), [
    ("schema = 2\n", "schema = 1"),
    ("schema = 1\n[[place]]\nkey = 'CSHH'\nkind = 'gone'\nnames = ['A']\n", "not one of former, territory, spelling"),
    ("schema = 1\n[[place]]\nkey = 'CZE'\nkind = 'former'\nnames = ['A']\n", "never a current ISO 3166-1 code"),
    ("schema = 1\n[[place]]\nkey = 'SOM'\nkind = 'territory'\nnames = ['A']\nnotes = ''\n", "unknown field 'notes'"),
    ("schema = 1\n[[place]]\nkey = 'somaliland'\nkind = 'territory'\nnames = ['A']\n", "is not a key"),
    ("schema = 1\n[[place]]\nkey = 'X-A'\nkind = 'territory'\nnames = []\n", "names must be a list"),
    ("schema = 1\n[[place]]\nkey = 'X-A'\nkind = 'territory'\nnames = ['A']\ncodes = ['X-B']\n", "codes must be"),
    ("schema = 1\n[[place]]\nkey = 'X-A'\nkind = 'spelling'\nnames = ['A']\n", "a spelling names a current country"),
    ("schema = 1\n[[place]]\nkey = 'X-A'\nkind = 'territory'\nnames = ['A']\n"
     "[[place]]\nkey = 'X-B'\nkind = 'territory'\nnames = ['a.']\n", 'name "a." is given to X-A and X-B'),
    ("schema = 1\nplace = 3\n", "write each as [[place]]"),
    ("schema = 1\nplace = [3]\n", "[[place]] 1: not a table"),
    ("schema = 1\n[[place]]\nkey = 'X-A'\nkind = 'territory'\nnames = ['A']\nnote = 1\n", "note must be text"),
    ("schema = 1\n[[place]]\nkey = 'CSHH'\nkind = 'former'\nnames = ['A']\n"
     "[[place]]\nkey = 'X-B'\nkind = 'former'\nnames = ['B']\ncodes = ['CSHH']\n",
     'code "CSHH" is given to CSHH and X-B'),
    ("schema = 1\n[[place]\n", "not valid TOML"),
])
def test_a_bad_rules_file_is_one_line_naming_the_fix(tmp_path, text, message):
    path = tmp_path / "countries.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CountriesError) as error:
        load_country_rules(path)
    assert message in str(error.value) and "\n" not in str(error.value) and str(path) in str(error.value)


def test_a_missing_rules_file(tmp_path):
    with pytest.raises(CountriesError, match=r"missing\.toml: cannot read the countries rules"):
        load_country_rules(tmp_path / "missing.toml")


# --- A user's overrides -----------------------------------------------------------------------


def test_overrides_add_and_override_matches(tmp_path):
    path = tmp_path / "countries.csv"
    text = '\ufeffname,code\n\nKazakstan Republic,kaz\n"Yemen, N.",YEM\nAtlantis,X-ATLANTIS\n'
    path.write_text(text, encoding="utf-8")
    matcher = CountryMatcher(path)
    assert matcher.match(["kazakstan  republic", "Yemen, N. ", "ATLANTIS", "X-ATLANTIS", "Yemen, S."]) == {
        "kazakstan  republic": "KAZ", "Yemen, N. ": "YEM", "ATLANTIS": "X-ATLANTIS", "X-ATLANTIS": "X-ATLANTIS",
        "Yemen, S.": "YDYE",
    }


@pytest.mark.parametrize(("text", "message"), [
    ("name,code\nA,B,C\n", "line 2: 3 fields ('A,B,C'); write one name and one code: NAME,CODE"),
    ("name,code\n,KAZ\n", "line 2: no name before the code"),
    ("Kazakstan,KZA\n", "line 1: 'KZA' is not a country code rightsband knows; use an ISO 3166-1 alpha-3 code"),
    ("Kazakstan,KZ\n", "line 1: 'KZ' is not a country code"),
    ("Kazakstan,KAZ\n\nkazakstan.,UZB\n", "line 3: 'kazakstan.' is UZB here but KAZ on line 1; keep one"),
])
def test_a_bad_overrides_file_is_one_line_naming_line_value_and_fix(tmp_path, text, message):
    path = tmp_path / "countries.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CountriesError) as error:
        CountryMatcher(path)
    assert str(error.value) == f"{path}, {message}" or f"{path}, {message}" in str(error.value)
    assert "\n" not in str(error.value)


def test_an_unreadable_overrides_file(tmp_path):
    with pytest.raises(CountriesError, match="cannot read the countries file"):
        CountryMatcher(tmp_path / "missing.csv")
    (tmp_path / "latin1.csv").write_bytes("Côte,CIV\n".encode("latin-1"))
    with pytest.raises(CountriesError, match=r"not UTF-8 text \(byte 2\); save the file as UTF-8"):
        CountryMatcher(tmp_path / "latin1.csv")


# --- Names nothing matches --------------------------------------------------------------------


def test_an_unmatched_name_gets_the_closest_known_names(matcher):
    assert matcher.code("Swizerland") is None and matcher.code("") is None
    assert matcher.closest("Swizerland", n=1) == ["Switzerland"]
    assert matcher.problem(" Swizerland") == (
        "no country matches 'Swizerland' (closest known names: 'Switzerland', 'Ireland', 'Iceland'); "
        "add a line 'Swizerland',CODE to a countries file (--countries FILE)"
    )
    assert matcher.problem("Qqqqqq") == "no country matches 'Qqqqqq'; add a line 'Qqqqqq',CODE to a countries file " \
        "(--countries FILE)"
    assert matcher.problem("Somalia") == ""


def test_a_name_that_matches_two_countries_is_unmatched_and_says_which(matcher):
    assert matcher.code("Russia and Ukraine") is None
    assert matcher.candidates("Russia and Ukraine") == ("RUS", "UKR")
    problem = matcher.problem("Russia and Ukraine")
    assert problem.startswith("'Russia and Ukraine' names more than one country (RUS, UKR); add a line")


def test_each_distinct_name_is_matched_once(monkeypatch):
    asked: list[list[str]] = []
    real = coco.codes_for

    def counting(names):
        asked.append(list(names))
        return real(names)

    monkeypatch.setattr(coco, "codes_for", counting)
    matcher = CountryMatcher()
    rows = ["Kazakhstan", "kazakhstan ", "Czechoslovakia", "Kazakhstan", "Chile"] * 1000
    assert matcher.match(rows)["kazakhstan "] == "KAZ"
    assert matcher.code("Chile") == "CHL"
    assert asked == [["kazakhstan", "chile"]]


def test_rules_alone_load_neither_pandas_nor_coco():
    code = ("import sys\nfrom rightsband.countries import CountryMatcher\n"
            "m = CountryMatcher()\nassert m.match(['Czechoslovakia', 'Gaza Strip', '']) == "
            "{'Czechoslovakia': 'CSHH', 'Gaza Strip': 'X-GAZA-STRIP', '': None}\n"
            "print(sorted(m for m in ('pandas', 'country_converter') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"


# --- Properties ------------------------------------------------------------------------------

_NAMES = ["Czech Republic", "Czechoslovakia", "Yemen, N.", "Germany, E.", "Côte d'Ivoire", "Korea, Rep.", "Türkiye",
          "Somaliland", "Namibia", "Bosnia and Herzegovina", "St. Kitts and Nevis", "Atlantis", "KAZ", "X-TIBET"]


@st.composite
def _variant(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(_NAMES))
    cased = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in name)
    spaces = st.sampled_from(["", " ", "  ", "\t", "\u00a0"])
    spaced = " ".join(cased.split(" ")).replace(" ", draw(st.sampled_from([" ", "  ", " \t"])))
    return name, draw(spaces) + spaced + draw(spaces)


@given(_variant())
def test_code_is_the_same_under_case_and_white_space(matcher, pair):
    name, variant = pair
    assert matcher.code(variant) == matcher.code(name)
    assert normalise(variant) == normalise(name)


@given(st.sampled_from(_NAMES))
def test_code_of_a_code_is_that_code(matcher, name):
    code = matcher.code(name)
    assert code is None or matcher.code(code) == code


# --- Conflicts -------------------------------------------------------------------------------


def test_two_values_on_one_key_and_year_are_a_conflict_naming_both():
    rows = [
        Observation("CZE", 2020, "score", "76", "Czech Republic", "a.csv line 5"),
        Observation("CZE", 2020, "score", "76", "Czechia", "b.csv line 9"),  # same value: no conflict
        Observation("CZE", 2020, "score", "78", "Czechia", "c.csv line 2"),
        Observation("CZE", 2021, "score", "1", "Czechia", "c.csv line 3"),  # another year
        Observation("CZE", 2020, "rank", "1", "Czechia", "c.csv line 2"),  # another measure
        Observation(None, 2020, "score", "9", "Atlantis", "c.csv line 4"),  # no key: never in conflict
        Observation(None, 2020, "score", "8", "Lemuria", "c.csv line 5"),
    ]
    conflicts = find_conflicts(rows)
    assert [(c.first, c.second) for c in conflicts] == [(rows[0], rows[2])]
    assert str(conflicts[0]) == (
        "CZE 2020 score: 'Czech Republic' (a.csv line 5) has '76' but 'Czechia' (c.csv line 2) has '78'; "
        "keep one of the two, or give one name another code with --countries FILE"
    )


# --- Every name in the publishers' files ------------------------------------------------------

#: Codes in the files' own ISO columns that are not ISO codes, with the key their names take.
#: RSF codes Northern Cyprus CTU, Kosovo XKO, the OECS XCD, and its ratings of Israel and the
#: United States inside and outside their territory ISR1-3, USA1-2 and USA_I.
FILE_CODES = {
    "CTU": "X-NORTHERN-CYPRUS", "XCD": "X-OECS", "CSS": "X-OECS", "ISR1": "ISR", "ISR2": "X-ISRAEL-EXTRATERRITORIAL",
    "ISR3": "X-ISRAEL-EXTRATERRITORIAL", "USA2": "USA", "USA1": "X-USA-EXTRATERRITORIAL",
    "USA_I": "X-USA-EXTRATERRITORIAL",
}


#: The rows of the files that name no country: the first column of TI's "CPI 2023 Regional Averages"
#: sheet (region codes, regime types, a total, yes/no of electoral democracy) and its footnotes ("* ...").
#: Each must stay unmatched (``AP``, ``ECA`` or ``MENA`` taken for a country would be silently wrong).
NOT_COUNTRIES = {
    "AME", "AP", "ECA", "MENA", "SSA", "WE/EU", "TOTAL", "Regime Type*", "Full democracy", "Flawed democracy",
    "Hybrid Regime", "Authoritarian regime", "Electoral democracy*", "Yes", "No",
}


def _not_a_country(name: str) -> bool:
    return name in NOT_COUNTRIES or name.startswith("* ")


def _csv_names(path: Path, columns: list[str], code: str | None = None, sep: str = ",") -> Iterator[tuple]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:  # RSF 2025 is Windows-1252
        text = data.decode("cp1252")
    for line, row in enumerate(csv.DictReader(io.StringIO(text, newline=""), delimiter=sep), 2):
        for column in columns:
            if (row.get(column) or "").strip():
                yield row[column], row.get(code) if code else None, f"{path.name} line {line}"


def _sheet_names(path: Path, sheets: str, header_row: int) -> Iterator[tuple]:
    """Column A below the header of every sheet whose title holds ``sheets``, with column B where its
    header is ``ISO3``."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        if sheets in sheet.title:
            rows = sheet.iter_rows(min_row=header_row, values_only=True)
            code = next(rows)[1] == "ISO3"
            for line, row in enumerate(rows, header_row + 1):
                if row and row[0] is not None:
                    yield str(row[0]), row[1] if code else None, f"{path.name} [{sheet.title}] {line}"


def _publisher_names() -> Iterator[tuple]:
    real, shipped = SHARED / "real", SHARED / "shipped"
    for name, columns, code in [
        ("bti_2006_2020_categories.csv", ["country"], None),
        ("freedomhouse_fiw_all_data_2013_2025_editions.csv", ["Country/Territory"], None),
        ("freedomhouse_fiw_ratings_statuses_1972_2023.csv", ["Country/Territory"], None),
        ("freedomhouse_fotp_2002_2013_editions.csv", ["country"], None),
        ("kidsrights_index_2013_2024.csv", ["Country"], None),
        ("rsf_wpfi_2002_2021.csv", ["EN_country"], "ISO"),
        ("rsf_wpfi_2022_2025.csv", ["Country_EN"], "ISO"),
        ("ti_cpi_2012_2023.csv", ["Country / Territory"], "ISO3"),
        ("undp_hdr2021-22_hdi_gdi_groups.csv", ["country"], "iso3"),
        ("wef_gggi_2006_2021_gggr2021_appendix.csv", ["country"], None),
        ("wef_gggi_2024.csv", ["Country"], None),
    ]:
        yield from _csv_names(real / name, columns, code)
    for path in sorted((shipped / "rsf").glob("*.csv")):
        yield from _csv_names(path, ["EN_country", "Country_EN"], "ISO", sep=";")
    fh = shipped / "freedomhouse"
    yield from _sheet_names(fh / "Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx", "Ratings", 3)
    yield from _sheet_names(fh / "All_data_FIW_2013-2024.xlsx", "FIW", 2)
    yield from _sheet_names(shipped / "ti" / "CPI2023_GlobalResultsTrends.xlsx", "CPI", 4)  # ISO3 in column B
    yield from _sheet_names(shipped / "bti" / "BTI_2006-2020_Scores.xlsx", "BTI", 1)


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"publisher data not found at {SHARED}")
@pytest.mark.filterwarnings("ignore:Conditional Formatting")
def test_every_publisher_name_matches_and_agrees_with_the_files_own_codes(matcher):
    """Every country name in the publishers' files (shipped and tidied) has a key, every row that
    names no country (NOT_COUNTRIES) has none, and where the file has an ISO column, the key is that
    code's (FILE_CODES for RSF's own codes)."""
    rows = list(_publisher_names())
    names = {name for name, _, _ in rows}
    assert len(names) > 300
    codes = matcher.match(names)
    unmatched = sorted(name for name, code in codes.items() if code is None and not _not_a_country(name))
    assert unmatched == [], [matcher.problem(name) for name in unmatched]
    assert {name for name in names if _not_a_country(name)} >= NOT_COUNTRIES
    assert {name: codes[name] for name in names if _not_a_country(name) and codes[name]} == {}
    disagree = {
        (name, file_code, codes[name], where) for name, file_code, where in rows
        if file_code and FILE_CODES.get(file_code, matcher.code(file_code)) != codes[name]
    }
    assert disagree == set()
