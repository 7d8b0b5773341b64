"""The scorecard's parts on their own: country columns and records, card definitions, the pictures
(palette, text colour, scale bar, history runs), the phrases, the JSON form and the terminal renderer."""

from __future__ import annotations

import dataclasses
import io
import json
import re

import pytest

from conftest import REPO
from rightsband.scorecard import Card, CountryError, build_card, from_specs, read_card, read_card_data
from rightsband.scorecard.card import (
    AGREE,
    AMBIGUOUS,
    BANDED,
    DISAGREE,
    MISSING,
    PROBLEM,
    Footnote,
    HistoryCell,
    Line,
    Rank,
    Score,
    Segment,
)
from rightsband.scorecard.data import find_country_columns, year_runs
from rightsband.scorecard.phrases import (
    band_text,
    card_heading,
    history_parts,
    history_text,
    printed_text,
    rank_text,
    score_text,
    year_text,
)
from rightsband.scorecard.pictures import _RDYLBU, GAP_COLOUR, band_colour, history_runs, scale_bar, text_colour
from rightsband.scorecard.terminal import render_terminal

EXAMPLES = REPO / "examples"
ANSI = re.compile(r"\x1b\[([0-9;]*)m")


def card_data(text: str, needed=(), **options):
    options.setdefault("delimiter", None)
    options.setdefault("encoding", "utf-8")
    return read_card_data(io.BytesIO(text.encode()), "data.csv", list(needed), **options)


def central_asia(needed):
    with open(EXAMPLES / "central-asia.csv", "rb") as stream:
        return read_card_data(stream, "central-asia.csv", list(needed), delimiter=None, encoding="utf-8")


@pytest.fixture(scope="module")
def kz_card():
    """Kazakhstan 2015 from the Central Asia example: a simple set, a composite, a group, with history."""
    from rightsband import load_rules

    rules = load_rules()
    definition = from_specs(("rsf_score=rsf-map", "pr,cl=fh-fiw-status:Freedom", "cpi_score=ti"),
                            ("rsf_score=rsf_rank",), rules, "Test card")
    data = central_asia([c for line in definition.lines for c in line.needed])
    return build_card(definition, data, data.find("kz"), rules, year=2015, history=True)


# -- country columns and records ------------------------------------------------------------------------


@pytest.mark.parametrize(("header", "names", "codes"), [
    (["Country/Territory", "C/T", "Year", "Score"], ["Country/Territory"], []),
    (["Overall Rank", "Country / Territory", "ISO", "Region"], ["Country / Territory"], ["ISO"]),
    (["EN_country", "ISO3", "Rank", "Score N"], ["EN_country"], ["ISO3"]),
    (["country_code", "country", "year"], ["country"], ["country_code"]),
    (["Country Name", "Country Code", "Region", "Income group"], ["Country Name"], ["Country Code"]),
    (["Economy", "iso2", "iso_a3"], ["Economy"], ["iso2", "iso_a3"]),
    (["Nation", "Country rank", "Country ID", "region"], ["Nation"], []),
    (["C/T", "Region", "Overall Rank", "Score"], [], []),
    (["Entity", "Code", "Year"], ["Entity"], ["Code"]),  # Our World in Data
    # BTI: a column that only mentions a state or an economy names no country, and its code is a category's
    (["edition", "country", "state_failure", "economy_status_category_code", "economy_status_category_label"],
     ["country"], []),
])
def test_find_country_columns(header, names, codes):
    assert find_country_columns(header) == (names, codes)


@pytest.mark.parametrize("column", ["C/T", "Region", "Region code", "Overall Rank", "Country rank", "Income group",
                                    "Score", "state_failure", "economy_status_category_code", "Country score"])
def test_not_a_country_column(column):
    assert find_country_columns([column]) == ([], [])


def test_records_grouped_by_country_any_case():
    data = card_data("Country,ISO3,Year,score\nKazakhstan,KAZ,2014,1\n KAZAKHSTAN ,KAZ,2015,2\nNamibia,NA,2015,3\n"
                     ",,2015,4\n\n", ["score"])
    assert (data.name_columns, data.code_columns, data.year_column) == (["Country"], ["ISO3"], "Year")
    assert len(data.countries) == 2  # a record with no country is left out
    kaz = data.find("Kazakhstan")
    assert data.find(" kaz ") == data.find("KAZAKHSTAN") == data.find("kazakhstan") == kaz
    assert [(r.line, r.year, r.cells["score"]) for r in data.countries[kaz]] == [(2, 2014, "1"), (3, 2015, "2")]
    assert data.name(kaz) == "KAZAKHSTAN"  # as its latest record writes it
    assert data.name(kaz, data.countries[kaz][0]) == "Kazakhstan"
    assert data.name(data.find("na")) == "Namibia"  # NA is a code here, not a missing value
    assert data.code(kaz) == "KAZ"
    assert data.years(kaz) == [2014, 2015]
    assert data.record(kaz, None)[0].line == 3
    assert data.record(kaz, None)[1] == "latest"
    assert data.record(kaz, 2014)[1] == "given"


def test_a_country_renamed_under_one_code_is_one_country():
    data = card_data("country,iso3,year,score\nTurkey,TUR,2021,1\nTürkiye,tur,2022,2\nGreece,GRC,2022,3\n", ["score"])
    tur = data.find("Turkey")
    assert data.find("türkiye") == data.find("TUR") == tur
    assert len(data.countries) == 2
    assert data.years(tur) == [2021, 2022]
    assert data.name(tur) == "Türkiye"
    assert data.name(tur, data.countries[tur][0]) == "Turkey"


def test_a_record_without_its_code_joins_its_country():
    data = card_data("country,iso3,year,score\nKazakhstan,KAZ,2014,1\nKazakhstan,,2015,2\n", ["score"])
    assert len(data.countries) == 1
    assert data.years(data.find("Kazakhstan")) == [2014, 2015]


def test_find_unknown_country_says_what_there_is():
    data = central_asia([])
    with pytest.raises(CountryError) as caught:
        data.find("Tadjikistan")
    message = str(caught.value)
    assert 'no country "Tadjikistan" in central-asia.csv (matched against columns "country", "iso2")' in message
    assert "did you mean Tajikistan" in message
    assert message.endswith("the countries are: Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan")
    assert "\n" not in message


def test_record_errors():
    data = card_data("country,year,score\nA,2001,1\nA,2002,1\nA,2002,2\nA,2004,3\nB,,1\n", ["score"])
    a, b = data.find("a"), data.find("b")
    with pytest.raises(CountryError, match=r"A has 2 records for 2002 in data.csv \(lines 3, 4\); keep one per"):
        data.record(a, 2002)
    with pytest.raises(CountryError, match=r"A has no record for 2003 in data\.csv; its years are 2001–2002, 2004$"):
        data.record(a, 2003)
    with pytest.raises(CountryError, match='B has no record with a year in column "year"'):
        data.record(b, None)


def test_no_year_column():
    data = card_data("country,score\nA,1\nA,2\nB,3\n", ["score"])
    assert data.year_column is None
    a, b = data.find("a"), data.find("b")
    with pytest.raises(CountryError, match=r"A has 2 records in data.csv \(lines 2, 3\) and no year column"):
        data.record(a, None)
    assert data.record(b, 2015) == (data.countries[b][0], "given")
    assert data.record(b, None)[1] == "none"
    assert [country for country, _ in data.of_year(None)] == [b]


def test_year_options_of_the_reader():
    text = "country,year,edition,score\nA,2001,2010,1\n"
    assert card_data(text, find_year=False).year_column is None
    assert only_record(card_data(text, year_column="edition")).year == 2010
    assert only_record(card_data("country,year,score\nA,2011-2012,1\n")).year == 2012
    assert only_record(card_data("country,year,score\nA,2015.0,1\n")).year == 2015


def only_record(data):
    [records] = data.countries.values()
    [record] = records
    return record


def test_record_year_of_a_two_year_span():
    assert only_record(card_data("country,year,score\nA,2011-12,1\n")).year == 2011


def test_country_columns_given():
    data = card_data("nombre,iso2,score\nKazajistán,KZ,1\n", ["score"], country_columns=["nombre"])
    assert (data.name_columns, data.code_columns) == (["nombre"], ["iso2"])
    assert data.find("kazajistán") == data.find("kz")
    assert data.name(data.find("kz")) == "Kazajistán"


def test_no_country_column_is_a_mapping_error():
    from rightsband.mapping import MappingError

    with pytest.raises(MappingError, match='name it with --country-column; the columns are: "name", "score"'):
        card_data("name,score\nA,1\n")


@pytest.mark.parametrize(("years", "text"), [
    ([], "none"), ([2015], "2015"), ([1991, 1992], "1991–1992"), ([1991, 1992, 1993, 1995, 1997, 1998],
                                                                  "1991–1993, 1995, 1997–1998"),
])
def test_year_runs(years, text):
    assert year_runs(years) == text


# -- definitions ------------------------------------------------------------------------------------------------


def test_from_specs(rules):
    definition = from_specs(("rsf_score=rsf:Press freedom", "pr,cl=fh-status", "x=rsf-map"), ("rsf_score=r",), rules,
                            "T")
    [section] = definition.sections
    assert section.title == ""
    first, composite, group = definition.lines
    assert (first.title, first.columns, first.index, first.rank) == ("Press freedom", ("rsf_score",), "rsf", "r")
    assert first.needed == ("rsf_score", "r")
    assert composite.columns == ("pr", "cl")
    assert composite.title == rules.get("fh-status").name
    assert group.title == rules.group("rsf-map").name


@pytest.mark.parametrize(("specs", "ranks", "message"), [
    (("rsf_score",), (), 'is not COLS=INDEX[:TITLE], e.g. "rsf_score=rsf:Press freedom"'),
    (("=rsf",), (), "is not COLS=INDEX"),
    (("rsf_score=",), (), "is not COLS=INDEX"),
    (("a=nope",), (), "unknown band set 'nope'"),
    (("pr=fh-status",), (), 'fh-status reads 2 column(s) (pr and cl), not 1: e.g. "PR,CL"'),
    (("a,b=ti",), (), "ti reads 1 column(s) (a score), not 2"),
    (("a=ti",), ("b=r",), '"b=r" is not SCORECOL=RANKCOL with SCORECOL a mapped --column, e.g. "a=rank"'),
    (("a=ti",), ("a",), '"a" is not SCORECOL=RANKCOL'),
])
def test_from_specs_errors(rules, specs, ranks, message):
    with pytest.raises(ValueError) as caught:
        from_specs(specs, ranks, rules, "T")
    assert message in str(caught.value)


def test_read_card_example(rules):
    card = read_card(str(EXAMPLES / "cjpme-scorecard.toml"), rules)
    assert (card.title, card.country_column, card.year_column) == ("Human rights scorecard", "country", "year")
    assert [s.title for s in card.sections] == ["Respect for Civil Liberties", "Respect for Political Rights"]
    rsf = card.lines[0]
    assert (rsf.columns, rsf.index, rsf.rank, rsf.rank_of, rsf.published) == (
        ("rsf_score",), "rsf", "rsf_rank", "rsf_ranked", "rsf_printed")
    assert rsf.needed == ("rsf_score", "rsf_rank", "rsf_ranked", "rsf_printed")
    assert card.lines[2].note.startswith("Banded as printed.")


def test_read_card_rank_of_number_and_default_title(rules, tmp_path):
    path = tmp_path / "card.toml"
    path.write_text('title = "T"\n[[section]]\n[[section.line]]\ncolumn = "s"\nindex = "ti"\nrank = "r"\n'
                    "rank_of = 180\n", encoding="utf-8")
    [line] = read_card(str(path), rules).lines
    assert (line.title, line.rank_of, line.needed) == (rules.get("ti").name, 180, ("s", "r"))


# -- pictures ---------------------------------------------------------------------------------------------------


def rgb(colour: str) -> tuple[int, int, int]:
    assert re.fullmatch(r"#[0-9a-f]{6}", colour), colour
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("count", range(2, 13))
def test_band_colour_best_blue_worst_red(count):
    colours = [band_colour(position, count) for position in range(1, count + 1)]
    best, worst = rgb(colours[0]), rgb(colours[-1])
    assert best[2] > best[0], "the best band is blue"
    assert worst[0] > worst[2], "the worst band is red"
    if count <= 11:
        assert len(set(colours)) == count
    else:
        assert len(set(colours)) == 11  # more bands than ColorBrewer classes: every class used
    # The colours run from the blue end to the red end of the palette, in its order.
    palette = _RDYLBU[min(max(count, 3), 11)]
    places = [palette.index(c) for c in colours]
    assert places == sorted(places)
    assert (places[0], places[-1]) == (0, len(palette) - 1)


def test_band_colour_uses_colorbrewer_class_counts():
    assert [band_colour(p, 5) for p in range(1, 6)] == list(_RDYLBU[5])
    assert [band_colour(p, 2) for p in (1, 2)] == [_RDYLBU[3][0], _RDYLBU[3][2]]
    assert [band_colour(p, 12) for p in (1, 12)] == [_RDYLBU[11][0], _RDYLBU[11][-1]]


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = map(channel, rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("background", sorted({c for palette in _RDYLBU.values() for c in palette} | {GAP_COLOUR}))
def test_text_colour_reads_on_every_band_colour(background):
    text = text_colour(background)
    assert text in ("#000000", "#ffffff")
    assert contrast(text, background) >= 4.5  # WCAG AA for normal text


@pytest.mark.parametrize(("background", "text"), [("#ffffff", "#000000"), ("#000000", "#ffffff"),
                                                  ("#ffffbf", "#000000"), ("#313695", "#ffffff"),
                                                  ("#a50026", "#ffffff"), ("#fdae61", "#000000")])
def test_text_colour_choice(background, text):
    assert text_colour(background) == text


def segments(*bands: tuple[float, float]) -> list[Segment]:
    """Segments of (start, width), best first."""
    return [Segment(n, f"band {n}", start, width, "", band_colour(n, len(bands)), False)
            for n, (start, width) in enumerate(bands, start=1)]


def test_scale_bar_even_bands():
    bar = scale_bar(segments((0, 0.25), (0.25, 0.25), (0.5, 0.25), (0.75, 0.25)), None, 40)
    assert len(bar) == 40
    assert "".join(c for c, _ in bar) == "1" * 10 + "2" * 10 + "3" * 10 + "4" * 10
    assert [b for _, b in bar] == [1] * 10 + [2] * 10 + [3] * 10 + [4] * 10


@pytest.mark.parametrize(("marker", "at"), [(0.0, 0), (0.53, 21), (0.999, 39), (1.0, 39)])
def test_scale_bar_marker(marker, at):
    bar = scale_bar(segments((0, 0.5), (0.5, 0.5)), marker, 40)
    assert [n for n, (c, _) in enumerate(bar) if c == "▲"] == [at]
    assert bar[at][1] == (1 if at < 20 else 2)  # the marker keeps its band
    assert len(bar) == 40


@pytest.mark.parametrize("width", [10, 20, 40, 41])
def test_scale_bar_width_and_single_value_band(width):
    # A band of one value (no width) between two wide ones still gets a character.
    bar = scale_bar(segments((0, 0.5), (0.5, 0.0), (0.5, 0.5)), None, width)
    assert len(bar) == width
    assert {b for _, b in bar} == {1, 2, 3}
    assert [b for _, b in bar] == sorted(b for _, b in bar)  # best to worst, left to right
    assert [c for c, b in bar if b == 2] == ["2"]


def test_scale_bar_single_value_bands_at_both_ends():
    bar = scale_bar(segments((0, 0), (0, 1), (1, 0)), 0.5, 40)
    assert bar[0] == ("1", 1) and bar[-1] == ("3", 3)
    assert bar[20] == ("▲", 2)


def test_scale_bar_ten_or_more_bands_show_their_last_digit():
    bar = scale_bar(segments(*((n / 12, 1 / 12) for n in range(12))), None, 48)
    assert {b for _, b in bar} == set(range(1, 13))
    assert {c for c, b in bar if b == 12} == {"2"} and {c for c, b in bar if b == 10} == {"0"}


def test_scale_bar_several_narrow_bands_each_show():
    bar = scale_bar(segments((0, 0.005), (0.005, 0.005), (0.01, 0.005), (0.015, 0.005), (0.02, 0.98)), None, 40)
    assert {b for _, b in bar} == {1, 2, 3, 4, 5}


def test_scale_bar_of_real_sets_shows_every_band(rules):
    from rightsband.scorecard.build import _scale

    checked = 0
    for band_set in rules.sets:
        if band_set.label_only is not None or band_set.inputs:
            continue
        for band in {b.table: b for b in band_set.bands}.values():
            found = type("Found", (), {"band": band, "banded": None, "value": None})()
            parts, _ = _scale(band_set, found)
            if not parts:
                continue
            bar = scale_bar(parts, None, 40)
            assert {b for _, b in bar} == {s.position for s in parts}, band_set.id
            checked += 1
    assert checked > 20


def cell(year, label, edition="e1", new=False, problem=""):
    position = None if label is None else ord(label) - ord("A") + 1
    return HistoryCell(year, label, position, GAP_COLOUR if label is None else "#000000", edition, new, problem)


def test_history_runs_split_at_gaps_bands_and_editions():
    cells = [cell(1991, "A"), cell(1992, "A"), cell(1993, None), cell(1994, None), cell(1995, "A"), cell(1996, "B"),
             cell(1997, "B", "e2", new=True), cell(1998, "B", "e2"), cell(1999, None, "e2", problem="bad"),
             cell(2000, None, "e2")]
    runs = history_runs(cells)
    assert [(first, last, c.label) for first, last, c in runs] == [
        (1991, 1992, "A"), (1993, 1994, None), (1995, 1995, "A"), (1996, 1996, "B"), (1997, 1998, "B"),
        (1999, 1999, None), (2000, 2000, None)]
    assert history_text(tuple(cells)) == ("1991–1992 A; 1993–1994 no data; 1995 A; 1996 B | 1997–1998 B; "
                                          "1999 problem: bad; 2000 no data")


def test_history_text_names_each_edition_with_its_footnote():
    cells = [cell(1990, None), *(dataclasses.replace(c, footnote=n) for c, n in (
        (cell(1991, "A"), 2), (cell(1992, "A"), 2), (cell(1993, "B", "e2", new=True), 1)))]
    assert history_parts(tuple(cells)) == [("e1", 2, "1990 no data; 1991–1992 A"), ("e2", 1, "1993 B")]
    assert history_text(tuple(cells)) == "1990 no data; 1991–1992 A (e1 [2]) | 1993 B (e2 [1])"


def test_history_runs_split_where_an_edition_change_is_flagged():
    runs = history_runs([cell(2001, "A"), cell(2002, "A", new=True), cell(2003, "A")])
    assert [(first, last) for first, last, _ in runs] == [(2001, 2001), (2002, 2003)]


def test_history_runs_split_where_years_jump():
    runs = history_runs([cell(2001, "A"), cell(2003, "A")])
    assert [(first, last) for first, last, _ in runs] == [(2001, 2001), (2003, 2003)]
    assert history_runs([]) == []


# -- the built card, its JSON and its phrases ------------------------------------------------------------------


def tuples_as_lists(value):
    if isinstance(value, (list, tuple)):
        return [tuples_as_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: tuples_as_lists(v) for k, v in value.items()}
    return value


def card_from_json(data: dict) -> Card:
    """A Card from its ``as_dict`` after a trip through JSON."""

    def line(item: dict) -> Line:
        item = {k: v for k, v in item.items() if k != "agrees"}  # a property, written for readers of the JSON
        return Line(**{**item, "scores": tuple(Score(**s) for s in item["scores"]),
                       "rank": Rank(**item["rank"]) if item["rank"] else None,
                       "segments": tuple(Segment(**s) for s in item["segments"]),
                       "history": tuple(HistoryCell(**h) for h in item["history"])})

    fields = {f.name for f in dataclasses.fields(Card)}
    rest = {k: v for k, v in data.items() if k in fields}
    return Card(**{**rest, "sections": tuple((s["title"], tuple(line(item) for item in s["lines"]))
                                             for s in data["sections"]),
                   "footnotes": tuple(Footnote(**f) for f in data["footnotes"]),
                   "history_years": tuple(data["history_years"])})


def test_as_dict_round_trip_through_json(kz_card):
    data = kz_card.as_dict()
    loaded = json.loads(json.dumps(data, ensure_ascii=False))
    assert loaded == tuples_as_lists(data)
    assert set(loaded) == {f.name for f in dataclasses.fields(Card)} | {"problems", "disagreements"}
    assert [set(line) for s in loaded["sections"] for line in s["lines"]] == [
        {f.name for f in dataclasses.fields(Line)} | {"agrees"}] * 3
    assert card_from_json(loaded) == kz_card


def test_built_card(kz_card):
    assert card_heading(kz_card) == "Test card: Kazakhstan (KZ), 2015"
    assert year_text(kz_card) == "Year 2015 (the year asked for). Data: central-asia.csv, line 26."
    rsf, freedom, cpi = kz_card.lines
    assert (rsf.state, rsf.set_id, rsf.label, rsf.rank) == (BANDED, "rsf-2013", "Difficult", Rank("160", "", False))
    assert rank_text(rsf) == "160"
    assert (freedom.title, score_text(freedom)) == ("Freedom", "PR 6 / 7 (1 = best), CL 5 / 7 (1 = best)")
    assert band_text(freedom) == "Not Free (3 of 3)"
    assert rank_text(cpi) == "1 of 5 in this file (computed)"
    assert kz_card.history_years == tuple(range(1991, 2026))
    assert [len(line.history) for line in kz_card.lines] == [35] * 3
    assert [c.new_edition for c in rsf.history if c.new_edition] == [True]  # 2022: rsf-2013 → rsf-2022
    assert next(c.year for c in rsf.history if c.new_edition) == 2022
    assert [n.number for n in kz_card.footnotes] == list(range(1, len(kz_card.footnotes) + 1))
    assert {n.set_id for n in kz_card.footnotes} >= {"rsf-2013", "rsf-2022", "fh-status", "fh-status-1972", "ti"}
    for line in kz_card.lines:
        # A label has one colour along the history, whichever edition gave it.
        colours = {(c.label, c.colour) for c in line.history if c.label}
        assert len(colours) == len({label for label, _ in colours})
        assert line.colour == band_colour(line.position, line.bands)
        assert [s.position for s in line.segments] == list(range(1, line.bands + 1))
        assert [s.current for s in line.segments].count(True) == 1
        starts = [s.start for s in line.segments]
        assert starts == sorted(starts) and starts[0] == 0
        assert all(s.start >= 0 and s.start + s.width <= 1 + 1e-9 for s in line.segments)
        assert 0 <= line.marker <= 1


def phrase_line(**changes) -> Line:
    base = dict(title="T", index="ti", state=BANDED, scores=(Score("s", "", "29", "/ 100"),), rank=None,
                label="Highly corrupt", position=4, bands=5, undetermined=False, set_id="ti", set_years="2012 onward",
                problem="", published=None, verdict="", footnote=1, segments=(), marker=None, banded="29",
                colour="#fdae61")
    return Line(**{**base, **changes})


def test_phrases():
    assert score_text(phrase_line()) == "29 / 100"
    assert score_text(phrase_line(scores=(Score("s", "", " ", "/ 100"),))) == "missing"
    assert score_text(phrase_line(scores=(Score("pr", "pr", "6", "/ 7"), Score("cl", "cl", "", "/ 7")))) == \
        "PR 6 / 7, CL missing"
    assert rank_text(phrase_line(rank=Rank("3", "5", True))) == "3 of 5 in this file (computed)"
    assert rank_text(phrase_line(rank=Rank("126", "175", False))) == "126 / 175"
    assert rank_text(phrase_line(rank=Rank("126", "", False))) == "126"
    assert rank_text(phrase_line()) == ""
    assert band_text(phrase_line()) == "Highly corrupt (4 of 5)"
    assert band_text(phrase_line(state=MISSING)) == "missing: no score, no band"
    assert band_text(phrase_line(state=PROBLEM, problem="bad")) == "cannot be banded: bad"


@pytest.mark.parametrize(("verdict", "agrees", "text"), [
    (AGREE, True, 'Printed label "P" agrees with the bands.'),
    (DISAGREE, False, 'Printed label "P" disagrees: the bands give "Highly corrupt" for 29 / 100.'),
    (AMBIGUOUS, None, 'Printed label "P" is one of the bands the value stands between; the bands leave it '
                      'undetermined ("Highly corrupt").'),
    ("", None, 'Printed label "P"; the bands give none.'),
])
def test_printed_label_verdicts(verdict, agrees, text):
    line = phrase_line(published="P", verdict=verdict)
    assert (line.agrees, printed_text(line)) == (agrees, text)
    assert printed_text(phrase_line(verdict=verdict)) == ""  # no printed label, nothing to say


# -- terminal -------------------------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture()
def clean_environment(monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "COLORTERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    return monkeypatch


def colour_codes(text: str) -> list[str]:
    """The SGR codes that set a colour (foreground or background)."""
    codes = [code for params in ANSI.findall(text) for code in params.split(";") if code]
    return [c for c in codes if c in {"38", "48"} or re.fullmatch(r"(3|4|9|10)[0-7]", c)]


def test_plain_text_off_a_terminal(kz_card, clean_environment):
    for environment in ({}, {"FORCE_COLOR": "1"}):
        for name, value in environment.items():
            clean_environment.setenv(name, value)
        out = io.StringIO()
        render_terminal(kz_card, out)
        text = out.getvalue()
        assert "\x1b" not in text
        assert all(line == line.rstrip() for line in text.splitlines())
        assert max(map(len, text.splitlines())) <= 100
        assert text.startswith("Test card: Kazakhstan (KZ), 2015\n")
        assert "  best 111111222233334444444▲555555555555555555 worst\n" in text


def test_colour_on_a_terminal(kz_card, clean_environment):
    out = Terminal()
    render_terminal(kz_card, out)
    assert colour_codes(out.getvalue())
    assert "Test card: Kazakhstan (KZ), 2015" in ANSI.sub("", out.getvalue())


def test_no_color_on_a_terminal(kz_card, clean_environment):
    clean_environment.setenv("NO_COLOR", "1")
    out = Terminal()
    render_terminal(kz_card, out)
    assert colour_codes(out.getvalue()) == []
    assert "▲" in out.getvalue()  # the bar still reads, by its digits and marker


def test_colour_argument_overrides_the_stream(kz_card, clean_environment):
    out = Terminal()
    render_terminal(kz_card, out, colour=False)
    assert "\x1b" not in out.getvalue()
    out = io.StringIO()
    render_terminal(kz_card, out, colour=True)
    assert colour_codes(out.getvalue())


# -- lines on sets with constructs: two-sided, cells without a score, labels only ------------------------------


def test_lines_on_sets_with_constructs():
    from rightsband import load_rules

    rules = load_rules()
    definition = from_specs(("gdi=gdi", "ghi=ghi-2015", "civicus=civicus", "hdi=hdi"), (), rules, "Constructs")
    data = card_data("country,year,gdi,ghi,civicus,hdi\nA,2020,1.025,<5,Open,0.7995\nB,2020,0.9,12.5,,0.5\n",
                     ["gdi", "ghi", "civicus", "hdi"])
    gdi, ghi, civicus, hdi = build_card(definition, data, data.find("A"), rules).lines
    # two-sided: banded on the distance from parity, drawn from the best end (0 distance)
    assert gdi.label.startswith("Group 1: ")
    assert (gdi.banded, gdi.scores[0].scale) == ("1.025, banded as 0.025", "/ 2 (1 = best)")
    assert gdi.marker is not None and gdi.marker < 0.05
    assert gdi.rank == Rank("1", "2", True)  # |1 − 1.025| beats |1 − 0.9|
    # a cell that names the band without a score: a band, no marker, no rank
    assert (ghi.label, ghi.marker, ghi.banded, ghi.rank) == ("Low", None, "the cell '<5' names the band", None)
    assert ghi.segments and ghi.state == "banded"
    # labels only: no score rule, so a value is a problem naming the set, and no scale is drawn
    assert (civicus.state, civicus.scores[0].scale, civicus.segments) == ("problem", "", ())
    assert "civicus has labels only" in civicus.problem
    # rounded before banding: the banded value says so
    assert hdi.banded == "0.7995, banded as 0.8"
    assert hdi.label == rules.get("hdi").classify("0.7995").label
