"""``rightsband scorecard`` with hostile text in the data, the card file and a band set: every format
shows it as text.

``tests/fixtures/scorecard/hostile.csv`` names countries ``<script>``, ``<img onerror>``, rich markup,
an ANSI escape sequence, BEL and CR, Markdown markup (``|``, ``*``, ``[^1]``, backticks), an entity,
``<>``, a right-to-left override, codes ``../../etc`` and ``INDEX``, and a score cell holding markup;
``hostile-card.toml`` puts markup in the title, subtitle, section title, line title and note;
``hostile-bands.toml`` in a band set's name, labels and citation, with a ``javascript:`` URL.

Checked: the HTML parses to the template's own elements only (no tag, event handler or link from
the data) and its texts read back exactly; the Markdown has no raw ``<``, every table row keeps its
five cells, and a CommonMark parser reads the texts back as plain text; the terminal card (plain,
and with colour forced) holds no control character from the data, only rich's own SGR codes, and
rich markup stays literal; JSON round-trips every text exactly; ``--all -o DIR`` writes safe,
unique file names inside DIR, an index linking each, and every page escaped.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from conftest import REPO
from rightsband.scorecard import Card, build_card, from_specs, read_card_data
from rightsband.scorecard.terminal import render_terminal
from test_scorecard_render import Page, active_markup, table_cells

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "scorecard"
HOSTILE = FIXTURES / "hostile.csv"
CARD_FILE = FIXTURES / "hostile-card.toml"
BANDS_FILE = FIXTURES / "hostile-bands.toml"
DATA = "tests/fixtures/scorecard/hostile.csv"  # as the cards name it (the tests run from the repository)

SPEC = "score=ti:<b>Title</b> | x"
LINE_TITLE = "<b>Title</b> | x"
TITLE = "[bold]T[/bold] <b>x</b> | *t* `c`"
FORMATS = ("terminal", "markdown", "html", "json")

#: Every country of hostile.csv (the name as written) and its code; all scored 2020.
COUNTRIES = {
    "<script>alert(1)</script>": "../../etc",
    "<img src=x onerror=alert(1)>": "",
    "[bold red]Rich markup[/bold red]": "",
    "\x1b[31mRed\x1b[0m": "",
    "Bell\x07 and\rCR": "",
    "Pipe | and *stars* and [^1] and `backtick`": "",
    "&amp; entity": "",
    "<>": "",
    "Right\u202eto left": "",
    "Etc Land": "ETC",
    "Indexland": "INDEX",
    "Scoreless": "QQ",
    "Norway": "NO",
}
HOSTILE_NAMES = list(COUNTRIES)[:9]
#: The country whose score cell is markup: its line cannot be banded.
SCORELESS, SCORELESS_CELL = "Scoreless", "<i>1|2</i> *x*"
#: The file each country's card gets with --all: its code (else its name) as [a-z0-9-], unique, never "index".
FILE_NAMES = {
    "<script>alert(1)</script>": "etc", "<img src=x onerror=alert(1)>": "img-src-x-onerror-alert-1",
    "[bold red]Rich markup[/bold red]": "bold-red-rich-markup-bold-red", "\x1b[31mRed\x1b[0m": "31mred-0m",
    "Bell\x07 and\rCR": "bell-and-cr",
    "Pipe | and *stars* and [^1] and `backtick`": "pipe-and-stars-and-1-and-backtick",
    "&amp; entity": "amp-entity", "<>": "country", "Right\u202eto left": "right-to-left", "Etc Land": "etc-2",
    "Indexland": "index-2", "Scoreless": "qq", "Norway": "no",
}
SUFFIXES = {"terminal": ".txt", "markdown": ".md", "html": ".html", "json": ".json"}

#: The elements the card and index templates write; anything else came from the data.
CARD_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "header", "h1", "p", "section", "h2",
             "article", "h3", "dl", "div", "dt", "dd", "span", "strong", "sup", "a", "figure", "svg", "rect",
             "text", "polygon", "line", "figcaption", "footer", "ol", "li"}
INDEX_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "ul", "li", "a", "span"}

_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")
#: A control character of any kind (C0 but LF, DEL, C1, bidi, line and paragraph separators).
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def shown(text: str) -> str:
    r"""Data text as every card prints it: each control character as a visible escape (``\x1b``, ``\u202e``)."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else
                   f"\\u{ord(c):04x}" if c in _BIDI else c for c in text)


def heading(name: str, title: str = TITLE) -> str:
    code = COUNTRIES.get(name, "")
    return f"{title}: {shown(name)}{f' ({code})' if code else ''}, 2020"


def words(text: str) -> str:
    return " ".join(text.split())


# Markdown read back by a CommonMark parser (markdown-it-py, which rich depends on) ----------------------------------

_MARKDOWN = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def markdown_tokens(text: str) -> list[Token]:
    """Every token of the document, the inline ones' children included."""
    tokens = []
    for token in _MARKDOWN.parse(text):
        tokens.append(token)
        tokens.extend(token.children or ())
    return tokens


def plain_inline(token: Token) -> str:
    """An inline token's text, checking it is text only (no emphasis, code, link or HTML)."""
    kinds = {child.type for child in token.children or ()}
    assert kinds <= {"text", "softbreak"}, (kinds, token.content)
    return "".join(child.content for child in token.children or ())


def markdown_headings(text: str) -> list[tuple[str, str]]:
    """The (tag, text) of every heading, wherever it is (a list item's too)."""
    tokens = _MARKDOWN.parse(text)
    return [(token.tag, plain_inline(tokens[n + 1])) for n, token in enumerate(tokens) if token.type == "heading_open"]


def check_markdown_is_text(text: str, index: bool = False) -> None:
    """No raw HTML anywhere (every ``<`` opens an https autolink, or in an index a card file's link), no
    link but those, table rows whole, no control character."""
    target = r"https://[^\s<>]+|[a-z0-9-]+\.md" if index else r"https://[^\s<>]+"
    bare = re.sub(rf"<(?:{target})>", "", text)
    assert "<" not in bare and ">" not in bare
    tokens = markdown_tokens(text)
    assert not [t for t in tokens if t.type in {"html_block", "html_inline", "image"}]
    for link in (t for t in tokens if t.type == "link_open"):
        assert re.fullmatch(target, str(link.attrs.get("href", ""))), link.attrs
    for line in text.splitlines():
        if line.startswith("|"):
            assert len(table_cells(line)) == 5, line
    assert not CONTROL.search(text)


def check_html_is_text(page: Page, tags: set[str] = CARD_TAGS) -> None:
    assert {e.tag for e in page.elements} <= tags, {e.tag for e in page.elements} - tags
    assert active_markup(page) == []
    assert (page.unclosed, page.stray_end_tags, page.comments) == ([], [], [])
    assert len(page.find("h1")) == 1 and len(page.find("style")) == 1 and len(page.find("main")) == 1
    for data, _ in page.texts:
        assert not CONTROL.search(data), data


# Running -------------------------------------------------------------------------------------------------------


@pytest.fixture()
def scorecard(run, monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("RIGHTSBAND_BANDS", raising=False)

    def invoke(*args: str):
        return run("scorecard", *args)

    return invoke


@pytest.fixture()
def card_of(scorecard):
    """The card of a country of hostile.csv, with the hostile line title and card title, in a format."""

    def render(name: str, fmt: str, *extra: str) -> str:
        result = scorecard(DATA, "-c", SPEC, "--title", TITLE, "--country", name, "--format", fmt, *extra)
        assert result.exit_code == (1 if name == SCORELESS else 0), result.output
        assert "Traceback" not in result.stderr
        return result.stdout

    return render


def build(name: str, rules) -> Card:
    """The built card of a country of hostile.csv (the library, without the command)."""
    definition = from_specs((SPEC,), (), rules, TITLE)
    needed = [column for line in definition.lines for column in line.needed]
    with HOSTILE.open("rb") as stream:
        data = read_card_data(stream, DATA, needed, delimiter=None, encoding="utf-8")
    return build_card(definition, data, data.find(name), rules)


# The fixtures hold what they should -------------------------------------------------------------------------------


def test_the_fixture_holds_the_hostile_names():
    """An editor that strips ESC, BEL or CR from the fixture would quietly weaken every test here."""
    import csv

    with HOSTILE.open(encoding="utf-8", newline="") as stream:
        records = list(csv.DictReader(stream))
    assert {r["country"]: r["iso2"] for r in records} == COUNTRIES
    assert {r["year"] for r in records} == {"2020"}
    assert next(r["score"] for r in records if r["country"] == SCORELESS) == SCORELESS_CELL
    card = tomllib.loads(CARD_FILE.read_text(encoding="utf-8"))
    assert "\x1b" in card["subtitle"] and "\x07" in card["section"][0]["line"][0]["note"]


# HTML ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_html_shows_the_names_as_text(card_of, name):
    text = card_of(name, "html")
    page = Page(text)
    check_html_is_text(page)
    [h1] = page.find("h1")
    assert h1.text == heading(name)
    [head_title] = [t for t in page.find("title") if t.parent and t.parent.tag == "head"]
    assert head_title.text == heading(name)
    [h3] = page.find("h3")
    assert h3.text == LINE_TITLE
    assert f"the latest year in the file for {shown(name)})" in page.root.text
    assert "<script" not in text.lower() and "<img" not in text.lower() and "<b>" not in text
    assert not re.search(r"<[^>]*\sonerror=", text)


def test_html_escapes_the_script_name(card_of):
    text = card_of("<script>alert(1)</script>", "html")
    assert "<h1>[bold]T[/bold] &lt;b&gt;x&lt;/b&gt; | *t* `c`: &lt;script&gt;alert(1)&lt;/script&gt; (../../etc), " \
           "2020</h1>" in text


def test_html_entity_name_is_not_decoded(card_of):
    """A name written ``&amp; entity`` shows those characters, not ``& entity``."""
    text = card_of("&amp; entity", "html")
    assert "&amp;amp; entity" in text
    assert Page(text).find("h1")[0].text.endswith(": &amp; entity, 2020")


def test_html_card_file_texts(scorecard):
    definition = tomllib.loads(CARD_FILE.read_text(encoding="utf-8"))
    line = definition["section"][0]["line"][0]
    result = scorecard(DATA, "--card", str(CARD_FILE), "--country", "<img src=x onerror=alert(1)>", "--format", "html")
    assert result.exit_code == 0, result.output
    page = Page(result.stdout)
    check_html_is_text(page)
    assert page.find("h1")[0].text == heading("<img src=x onerror=alert(1)>", definition["title"])
    [subtitle] = [p for p in page.find("p") if "subtitle" in p.classes()]
    assert subtitle.text == shown(definition["subtitle"])
    assert page.find("h2")[0].text == definition["section"][0]["title"]
    assert page.find("h3")[0].text == line["title"]
    notes = [dd for div in page.find("div") for dt, dd in [div.children] if dt.text == "Note"]
    assert [dd.text for dd in notes] == [shown(line["note"])]
    assert "javascript:" not in " ".join(str(v) for _, name, v in page.attributes)
    assert "http://evil.example" not in " ".join(str(v) for _, _, v in page.attributes)


def test_html_problem_value_is_text(card_of):
    page = Page(card_of(SCORELESS, "html"))
    check_html_is_text(page)
    score = next(dd for div in page.find("div") for dt, dd in [div.children] if dt.text == "Score")
    assert score.text == f"{SCORELESS_CELL} / 100"
    [band] = [dd for dd in page.find("dd") if "band" in dd.classes()]
    assert band.find("strong")[0].text.startswith(f'cannot be banded: "{SCORELESS_CELL}" is not a number')
    assert [a.attrs["href"] for a in band.find("a")] == ["#note-1"]
    assert "problem" in page.find("article")[0].classes()


def test_html_hostile_band_set(scorecard):
    result = scorecard(DATA, "--bands", str(BANDS_FILE), "-c", "score=evil", "--country", "NO", "--format", "html")
    assert result.exit_code == 0, result.output
    page = Page(result.stdout)
    check_html_is_text(page)
    assert page.find("h3")[0].text == "<script>alert('set')</script> | [^9] *s*"
    assert page.find("strong")[0].text == "<b>good</b> | *g* (1 of 2)"
    [note] = page.find("li")
    assert "</li><script>alert(5)</script> `c` | [x](javascript:alert(6))" in note.text
    assert note.find("a") == []  # a javascript: URL is not a link
    assert "javascript:" not in " ".join(str(v) for _, _, v in page.attributes)
    assert [t.text for t in page.find("title") if t.parent and t.parent.tag == "rect"] == \
        ["1. <b>good</b> | *g* [50, 100]", "2. [red]bad[/red] <script> [0, 50)"]


# Markdown --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_markdown_shows_the_names_as_text(card_of, name):
    text = card_of(name, "markdown")
    check_markdown_is_text(text)
    assert markdown_headings(text)[0] == ("h1", heading(name))
    tokens = _MARKDOWN.parse(text)
    [h1] = [tokens[n + 1] for n, t in enumerate(tokens) if t.type == "heading_open"]
    assert plain_inline(h1) == heading(name)
    cells = [tokens[n + 1] for n, t in enumerate(tokens) if t.type == "td_open"]
    assert plain_inline(cells[0]) == LINE_TITLE


def test_markdown_escapes_markup_characters(card_of):
    text = card_of("Pipe | and *stars* and [^1] and `backtick`", "markdown")
    assert text.startswith(r"# \[bold\]T\[/bold\] &lt;b&gt;x&lt;/b&gt; \| \*t\* \`c\`: "
                           r"Pipe \| and \*stars\* and \[^1\] and \`backtick\`, 2020" + "\n")
    [row] = [line for line in text.splitlines() if line.startswith("| &lt;b&gt;")]
    assert row.startswith(r"| &lt;b&gt;Title&lt;/b&gt; \| x | 90 / 100 |")
    assert len(re.findall(r"(?<!\\)\|", row)) == 6
    escaped = card_of("<script>alert(1)</script>", "markdown")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (../../etc)" in escaped
    assert r"Bell\\x07 and\\x0dCR" in card_of("Bell\x07 and\rCR", "markdown")
    assert "&amp;amp; entity" in card_of("&amp; entity", "markdown")


def test_markdown_card_file_texts(scorecard):
    definition = tomllib.loads(CARD_FILE.read_text(encoding="utf-8"))
    line = definition["section"][0]["line"][0]
    result = scorecard(DATA, "--card", str(CARD_FILE), "--country", "<img src=x onerror=alert(1)>", "--format",
                       "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    check_markdown_is_text(text)
    tokens = _MARKDOWN.parse(text)
    inline = [tokens[n + 1] for n, t in enumerate(tokens) if t.type in {"heading_open", "td_open"}]
    assert plain_inline(inline[0]) == heading("<img src=x onerror=alert(1)>", definition["title"])
    assert plain_inline(inline[1]) == definition["section"][0]["title"]
    assert plain_inline(inline[2]) == line["title"]
    [subtitle] = [t for t in tokens if t.type == "inline" and t.children and t.children[0].type == "em_open"]
    assert [c.type for c in subtitle.children or ()] == ["em_open", "text", "em_close"]
    assert (subtitle.children or [])[1].content == shown(definition["subtitle"])
    [note] = [t for t in tokens if t.type == "inline" and "Note: " in t.content]
    assert plain_inline(note).endswith(f"Note: {shown(line['note'])}")


def test_markdown_line_title_cannot_become_a_heading(scorecard):
    definition = tomllib.loads(CARD_FILE.read_text(encoding="utf-8"))
    result = scorecard(DATA, "--card", str(CARD_FILE), "--country", "NO", "--format", "markdown")
    assert [tag for tag, _ in markdown_headings(result.stdout)] == ["h1", "h2"]
    assert definition["section"][0]["line"][0]["title"].startswith("# ")


def test_markdown_problem_value_is_text(card_of):
    text = card_of(SCORELESS, "markdown")
    check_markdown_is_text(text)
    [row] = [line for line in text.splitlines() if line.startswith("| &lt;b&gt;")]
    cells = table_cells(row)
    assert cells[1] == r"&lt;i&gt;1\|2&lt;/i&gt; \*x\* / 100"
    assert cells[3].startswith(r'**⚠ cannot be banded: "&lt;i&gt;1\|2&lt;/i&gt; \*x\*" is not a number')


def test_markdown_hostile_band_set(scorecard):
    result = scorecard(DATA, "--bands", str(BANDS_FILE), "-c", "score=evil", "--country", "NO", "--format",
                       "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    check_markdown_is_text(text)
    [row] = [line for line in text.splitlines() if line.startswith("| &lt;script")]
    assert table_cells(row)[3] == r"**&lt;b&gt;good&lt;/b&gt; \| \*g\* (1 of 2)**[^1]"
    [footnote] = [line for line in text.splitlines() if line.startswith("[^1]: ")]
    assert footnote.endswith(" javascript:alert(1)")  # as text: not an autolink
    assert "<javascript:" not in text and r"\[x\](javascript:alert(6))" in footnote


# Terminal --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_terminal_plain_shows_the_names_as_text(card_of, name):
    text = card_of(name, "terminal")
    assert not CONTROL.search(text)  # no ESC at all: not a terminal
    assert words(text).startswith(words(heading(name)) + " Year 2020")
    assert f"  {LINE_TITLE}\n" in text


def test_terminal_plain_keeps_rich_markup_literal(card_of):
    text = card_of("[bold red]Rich markup[/bold red]", "terminal")
    assert text.startswith("[bold]T[/bold] <b>x</b> | *t* `c`: [bold red]Rich markup[/bold red], 2020\n")
    assert r"\x1b[31mRed\x1b[0m" in card_of("\x1b[31mRed\x1b[0m", "terminal")


@pytest.fixture()
def colour_terminal(monkeypatch):
    """A terminal rich would colour, whatever the test process's own environment says."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_terminal_colour_shows_the_names_as_text(rules, colour_terminal, name):
    card = build(name, rules)
    text = _colour(card)
    assert SGR.search(text)  # colour is on
    assert re.findall(r"\x1b(?!\[[0-9;]*m)", text) == []  # every ESC starts an SGR sequence
    plain = SGR.sub("", text)
    assert not CONTROL.search(plain), repr(plain)
    assert plain.startswith(heading(name) + "\n")
    assert f"  {LINE_TITLE}" in plain
    if CONTROL.search(name):
        assert name not in text
    # the data adds no code of its own: the same card for a plainly named country has the same codes, in order
    assert SGR.findall(text) == SGR.findall(_colour(dataclasses.replace(card, country="Plain")))


def _colour(card: Card) -> str:
    out = io.StringIO()
    render_terminal(card, out, colour=True)
    return out.getvalue()


def test_terminal_colour_escape_sequence_is_shown_not_sent(rules, colour_terminal):
    text = _colour(build("\x1b[31mRed\x1b[0m", rules))
    assert "\x1b[31mRed" not in text and "Red\x1b[0m" not in text
    assert r"\x1b[31mRed\x1b[0m" in text
    bell = _colour(build("Bell\x07 and\rCR", rules))
    assert "\x07" not in bell and "\r" not in bell and r"Bell\x07 and\x0dCR" in bell
    rich = SGR.sub("", _colour(build("[bold red]Rich markup[/bold red]", rules)))
    assert "[bold]T[/bold] <b>x</b> | *t* `c`: [bold red]Rich markup[/bold red], 2020" in rich


def test_terminal_card_file_texts(scorecard):
    definition = tomllib.loads(CARD_FILE.read_text(encoding="utf-8"))
    line = definition["section"][0]["line"][0]
    result = scorecard(DATA, "--card", str(CARD_FILE), "--country", "NO", "--format", "terminal")
    assert result.exit_code == 0, result.output
    text = words(result.stdout)
    assert not CONTROL.search(result.stdout)
    for expected in (definition["title"], shown(definition["subtitle"]), definition["section"][0]["title"],
                     line["title"], f"Note: {shown(line['note'])}"):
        assert words(expected) in text


# JSON ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(COUNTRIES))
def test_json_round_trips_the_names(card_of, name):
    text = card_of(name, "json")
    card = json.loads(text)
    assert (card["country"], card["code"], card["title"]) == (name, COUNTRIES[name], TITLE)
    [line] = card["sections"][0]["lines"]
    assert line["title"] == LINE_TITLE
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text  # JSON escapes them


def test_json_card_file_texts(scorecard):
    definition = tomllib.loads(CARD_FILE.read_text(encoding="utf-8"))
    result = scorecard(DATA, "--card", str(CARD_FILE), "--country", SCORELESS, "--format", "json")
    assert result.exit_code == 1
    card = json.loads(result.stdout)
    assert (card["title"], card["subtitle"]) == (definition["title"], definition["subtitle"])
    [section] = card["sections"]
    assert section["title"] == definition["section"][0]["title"]
    [line] = section["lines"]
    assert (line["title"], line["note"]) == (definition["section"][0]["line"][0]["title"],
                                             definition["section"][0]["line"][0]["note"])
    assert (line["state"], line["scores"][0]["text"]) == ("problem", SCORELESS_CELL)


# --all -o DIR ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_writes_safe_names_an_index_and_escaped_pages(scorecard, tmp_path, fmt):
    out = tmp_path / "deep" / "er" / "cards"
    result = scorecard(DATA, "-c", SPEC, "--title", TITLE, "--all", "-o", str(out), "--format", fmt)
    assert result.exit_code == 1  # Scoreless's line cannot be banded
    assert f"{len(COUNTRIES)} card(s) and index{SUFFIXES[fmt]} written in {out}" in result.stderr
    assert "1 line(s) cannot be banded" in result.stderr
    suffix = SUFFIXES[fmt]
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    expected = {name: FILE_NAMES[name] + suffix for name in COUNTRIES}
    assert written == sorted(f"deep/er/cards/{file}" for file in [*expected.values(), "index" + suffix])
    for path in out.iterdir():
        assert re.fullmatch(r"[a-z0-9-]+" + re.escape(suffix), path.name), path.name
    index = (out / f"index{suffix}").read_text(encoding="utf-8")
    _check_index(fmt, index, expected)
    for name, file in expected.items():
        _check_page(fmt, (out / file).read_text(encoding="utf-8"), name)


def _check_index(fmt: str, index: str, expected: dict[str, str]) -> None:
    """The index links each card once, by the card's heading (escaped like the cards)."""
    headings = {name: heading(name) for name in expected}
    if fmt == "html":
        page = Page(index)
        check_html_is_text(page, INDEX_TAGS)
        links = {a.attrs["href"]: a.text for a in page.find("a")}
        assert len(page.find("a")) == len(expected)
        assert links == {expected[name]: headings[name] for name in expected}
        assert page.find("h1")[0].text == TITLE
    elif fmt == "markdown":
        check_markdown_is_text(index, index=True)
        assert index.startswith(r"# \[bold\]T\[/bold\] &lt;b&gt;x&lt;/b&gt; \| \*t\* \`c\`" + "\n")
        tokens = markdown_tokens(index)
        links = [(str(t.attrs["href"]), tokens[n + 1].content) for n, t in enumerate(tokens) if t.type == "link_open"]
        assert sorted(links) == sorted((expected[name], headings[name]) for name in expected)
    elif fmt == "json":
        rows = json.loads(index)
        assert {row["file"]: (row["country"], row["code"]) for row in rows} == \
            {expected[name]: (name, COUNTRIES[name]) for name in expected}
        assert [row["problems"] for row in rows if row["country"] == SCORELESS] == [1]
    else:
        assert not CONTROL.search(index.replace("\t", " "))
        assert sorted(tuple(line.split("\t")) for line in index.splitlines()) == \
            sorted((expected[name], headings[name]) for name in expected)


def test_markdown_index_links_every_card(scorecard, tmp_path):
    """The markdown index's link targets are the written files: ``(<file.md>)``, not a path out of DIR."""
    result = scorecard(DATA, "-c", SPEC, "--all", "-o", str(tmp_path), "--format", "markdown")
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(<([^<>]+)>\)", index)
    assert sorted(targets) == sorted(p.name for p in tmp_path.iterdir() if p.name != "index.md")
    assert result.exit_code == 1


def _check_page(fmt: str, text: str, name: str) -> None:
    if fmt == "html":
        page = Page(text)
        check_html_is_text(page)
        assert page.find("h1")[0].text == heading(name)
    elif fmt == "markdown":
        check_markdown_is_text(text)
        assert markdown_headings(text)[0] == ("h1", heading(name))
    elif fmt == "json":
        assert json.loads(text)["country"] == name
    else:
        assert not CONTROL.search(text)
        assert words(text).startswith(words(heading(name)))
