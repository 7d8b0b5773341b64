"""``rightsband scorecard``: golden outputs of the shipped examples in every format, the key facts
stated outright, and the structure of the HTML page and the Markdown document.

The golden outputs (syrupy, ``tests/__snapshots__/test_scorecard_render.ambr``) are the CJPME card
(``examples/kazakhstan-cjpme.csv`` with ``examples/cjpme-scorecard.toml``) and the Central Asia
card of Kazakhstan for 2015 with --history, in all four formats. Update them with
``python -m pytest tests/test_scorecard_render.py --snapshot-update -p no:cacheprovider`` and read the
diff: a snapshot only says the output did not change, the explicit tests say what it must hold.

The HTML is parsed with the standard library's ``html.parser`` into a small element tree
(:class:`Page`); ``tests/test_scorecard_hostile.py`` uses it too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import NamedTuple

import pytest

from conftest import REPO

CJPME = ("scorecard", "examples/kazakhstan-cjpme.csv", "--card", "examples/cjpme-scorecard.toml", "--country", "KZ")
CENTRAL_ASIA = ("scorecard", "examples/central-asia.csv", "--country", "KZ", "--year", "2015",
                "-c", "pr,cl=fh-fiw-status:Freedom", "-c", "rsf_score=rsf-map", "-c", "cpi_score=ti",
                "--rank", "rsf_score=rsf_rank", "--history")
FORMATS = ("terminal", "markdown", "html", "json")
CARDS = {"cjpme": CJPME, "history": CENTRAL_ASIA}

NOTICE = "rightsband: 1 printed label(s) disagree with the bands; the card shows each\n"
DISAGREES = 'Printed label "Somewhat unequal rights" disagrees: the bands give "Very unequal rights" for 62.1%.'
#: The RSF footnote: house bands (the CJPME scorecard's), and the publisher's own classes named.
RSF_HOUSE = ("Bands: house bands, not the publisher's; the publisher's own classes: rsf-2013, rsf-2013-current, "
             "rsf-2022.")

class Expected(NamedTuple):
    """A line of the CJPME card as it must read."""

    title: str
    index: str
    score: str
    rank: str
    label: str
    position: int
    bands: int
    footnote: int
    published: str | None
    agrees: bool | None


CJPME_LINES = (
    Expected("Freedom of speech and press (Reporters Without Borders Press Freedom Index)", "rsf",
             "53,46 / 100 (0 = best)", "160 / 180", "Highly controlled, limited or intimidated", 5, 5, 1,
             "Highly controlled, limited or intimidated", True),
    Expected("Overall protection of civil liberties (Freedom House Civil Liberties Index)", "fh-cl",
             "5 / 7 (1 = best)", "", "Partly free", 2, 3, 2, "Partly free", True),
    Expected("Gender equality (World Economic Forum Global Gender Gap Index)", "gender-gap",
             "62.1%", "43 / 142", "Very unequal rights", 3, 3, 3, "Somewhat unequal rights", False),
    Expected("Protection of children's rights (KidsRights Index)", "kidsrights",
             "77%", "37 / 165", "Protected", 1, 5, 4, None, None),
    Expected("Overall protection of political rights (Freedom House Political Rights Index)", "fh-pr",
             "6 / 7 (1 = best)", "", "Not free", 3, 3, 5, None, None),
    Expected("Perceived corruption (Transparency International Corruption Perceptions Index)", "ti",
             "29 / 100", "126 / 175", "Highly corrupt", 4, 5, 6, None, None),
)
CJPME_SECTIONS = (("Respect for Civil Liberties", 4), ("Respect for Political Rights", 2))
CJPME_NOTES = ("rsf", "fh-cl", "gender-gap", "kidsrights", "fh-pr", "ti")
#: The history strips in words: each edition's runs, then the edition and its footnote (written per format).
FREEDOM_HISTORY = (("1991–1993 Partly Free; 1994–2002 Partly Free or Not Free (undetermined)", "fh-status-1972", 2),
                   ("2003–2023 Not Free; 2024–2025 no data", "fh-status", 1))
RSF_HISTORY = (("1991–2012 no data; 2013 Very serious; 2014–2021 Difficult", "rsf-2013", 3),
               ("2022–2024 Difficult; 2025 Very serious", "rsf-2022", 4))
TI_HISTORY = (("1991–2011 no data; 2012–2023 Highly corrupt; 2024–2025 no data", "ti", 5),)
#: How each format writes a footnote reference and the bar between editions.
HISTORY_REFERENCE = {"terminal": (" [{}]", " | "), "markdown": ("[^{}]", r" \| "), "html": ("[{}]", " | ")}


def history_words(parts: tuple[tuple[str, str, int], ...], fmt: str) -> str:
    reference, bar = HISTORY_REFERENCE[fmt]
    return "History: " + bar.join(f"{runs} ({edition}{reference.format(note)})" for runs, edition, note in parts)


# The HTML page as an element tree ---------------------------------------------------------------------------------

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@dataclass(eq=False)
class Element:
    """An element: its tag, attributes, parent, children, and all the text inside it (entities decoded)."""

    tag: str
    attrs: dict[str, str | None]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.iter()

    def find(self, tag: str) -> list[Element]:
        """Every element ``tag`` inside this one (not itself)."""
        return [e for e in self.iter() if e.tag == tag and e is not self]

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def words(self) -> str:
        """The text with runs of white space as one space."""
        return " ".join(self.text.split())


class Page(HTMLParser):
    """An HTML document parsed into :class:`Element` s, with every attribute, text, comment and
    declaration kept as it came, for the checks that no markup got in from the data."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self._stack = [self.root]
        self.elements: list[Element] = []
        self.attributes: list[tuple[Element, str, str | None]] = []
        self.texts: list[tuple[str, Element]] = []
        self.comments: list[str] = []
        self.declarations: list[str] = []
        self.stray_end_tags: list[str] = []
        self.feed(text)
        self.close()
        self.unclosed = [e.tag for e in self._stack[1:]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, tag in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, True)

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], void: bool) -> None:
        element = Element(tag, dict(attrs), self._stack[-1])
        self._stack[-1].children.append(element)
        self.elements.append(element)
        self.attributes.extend((element, name, value) for name, value in attrs)
        if not void:
            self._stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for at in range(len(self._stack) - 1, 0, -1):
            if self._stack[at].tag == tag:
                del self._stack[at:]
                return
        self.stray_end_tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.texts.append((data, self._stack[-1]))
        for element in self._stack:
            element.text += data

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def by_id(self) -> dict[str, Element]:
        return {e.attrs["id"] or "": e for e in self.elements if "id" in e.attrs}


#: Elements that load, run or embed something; a card page has none.
ACTIVE_TAGS = frozenset({"script", "link", "img", "iframe", "frame", "object", "embed", "audio", "video", "source",
                         "base", "form", "input", "button", "foreignobject", "use", "image",
                         "animate", "set", "applet"})


def active_markup(page: Page) -> list[str]:
    """Everything in ``page`` that could load, run or embed: tags, ``src``/``on*``/``href`` other than
    footnote links and in-page anchors, ``style`` other than the head's stylesheet and the swatches."""
    found = [f"<{e.tag}>" for e in page.elements if e.tag in ACTIVE_TAGS]
    found += ["<meta http-equiv>" for e in page.find("meta") if "http-equiv" in e.attrs]
    styles = page.find("style")
    found += [f"<style> #{n}" for n, _ in enumerate(styles[1:], 2)]
    found += ["<style> outside <head>" for e in styles if not any(a.tag == "head" for a in e.ancestors())]
    found += [f"{element.tag} {name}={value!r}" for element, name, value in page.attributes
              if not _inert(element, name, value or "")]
    return found


def _inert(element: Element, name: str, value: str) -> bool:
    """Whether an attribute can neither run nor load anything: no event handler or source, a link only
    to a place on the page, an https page or a card file of an index, a style only a swatch's colour."""
    if name.startswith("on") or name in {"src", "srcdoc", "formaction", "action", "xlink:href", "background"}:
        return False
    if name == "href":
        return element.tag == "a" and (value.startswith(("#", "https://"))
                                       or re.fullmatch(r"[a-z0-9-]+\.html", value) is not None)
    return name != "style" or re.fullmatch(r"background:#[0-9a-f]{6}", value) is not None


# Markdown -------------------------------------------------------------------------------------------------------


def table_cells(row: str) -> list[str]:
    """A GFM table row's cells: split at every pipe that no backslash escapes (GFM splits there even
    inside a code span), the outer empty pieces dropped."""
    pieces, cell, escaped = [], "", False
    for char in row:
        if escaped:
            cell, escaped = cell + char, False
        elif char == "\\":
            cell, escaped = cell + char, True
        elif char == "|":
            pieces.append(cell)
            cell = ""
        else:
            cell += char
    pieces.append(cell)
    assert pieces[0].strip() == "" and pieces[-1].strip() == "", f"a table row starts and ends with a pipe: {row!r}"
    return [piece.strip() for piece in pieces[1:-1]]


def table_rows(markdown: str) -> list[list[str]]:
    """The cells of every body row of every table (not the header or the delimiter row)."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("|") and not line.startswith(("| Index |", "| --- |")):
            rows.append(table_cells(line))
    return rows


def footnote_references(markdown: str) -> tuple[set[int], list[int]]:
    """The footnote numbers referenced (``[^N]`` not at a line start) and defined (``[^N]:`` at one)."""
    defined = [int(n) for n in re.findall(r"^\[\^(\d+)\]:", markdown, flags=re.MULTILINE)]
    referenced = {int(n) for n in re.findall(r"(?<!^)(?<!\\)\[\^(\d+)\](?!:)", markdown, flags=re.MULTILINE)}
    return referenced, defined


# Running the command --------------------------------------------------------------------------------------------


@pytest.fixture()
def scorecard(run, monkeypatch):
    """Run ``rightsband ARGS`` in-process from the repository (so the cards name ``examples/...`` as given),
    with only the built-in band sets."""
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("RIGHTSBAND_BANDS", raising=False)

    def invoke(*args: str):
        return run(*args)

    return invoke


@pytest.fixture()
def cjpme(scorecard):
    """The CJPME card in a format: its stdout, after checking the exit code and the notice on stderr."""

    def render(fmt: str) -> str:
        result = scorecard(*CJPME, "--format", fmt)
        assert (result.exit_code, result.stderr) == (0, NOTICE), result.output
        return result.stdout

    return render


@pytest.fixture()
def history(scorecard):
    def render(fmt: str) -> str:
        result = scorecard(*CENTRAL_ASIA, "--format", fmt)
        assert (result.exit_code, result.stderr) == (0, ""), result.output
        return result.stdout

    return render


@pytest.fixture(params=sorted(CARDS))
def page(request, scorecard):
    """The HTML page of each example card, parsed, with its name and text."""
    result = scorecard(*CARDS[request.param], "--format", "html")
    assert result.exit_code == 0, result.output
    return request.param, result.stdout, Page(result.stdout)


def words(text: str) -> str:
    """Runs of white space as one space: the terminal card wraps at 100 columns."""
    return " ".join(text.split())


# Golden outputs ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_cjpme_card_golden(cjpme, snapshot, fmt):
    assert cjpme(fmt) == snapshot


@pytest.mark.parametrize("fmt", FORMATS)
def test_history_card_golden(history, snapshot, fmt):
    assert history(fmt) == snapshot


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_the_same_every_run(scorecard, fmt):
    first, second = (scorecard(*CENTRAL_ASIA, "--format", fmt).stdout for _ in range(2))
    assert first == second


# What the CJPME card says, format by format ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_exit_code_and_the_disagreement_notice(scorecard, fmt):
    result = scorecard(*CJPME, "--format", fmt)
    assert result.exit_code == 0
    assert result.stderr == NOTICE


def test_quiet_drops_the_notice_not_the_card(scorecard):
    result = scorecard(*CJPME, "--format", "markdown", "-q")
    assert (result.exit_code, result.stderr) == (0, "")
    assert DISAGREES in result.stdout


@pytest.mark.parametrize(("suffix", "fmt"), [(".txt", "terminal"), (".md", "markdown"), (".html", "html"),
                                             (".htm", "html"), (".json", "json")])
def test_output_file_suffix_picks_the_format(scorecard, cjpme, tmp_path, suffix, fmt):
    target = tmp_path / f"card{suffix}"
    result = scorecard(*CJPME, "-o", str(target))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", NOTICE)
    assert target.read_text(encoding="utf-8") == cjpme(fmt)


def test_terminal_card(cjpme):
    text = cjpme("terminal")
    assert "\x1b" not in text  # not a terminal: plain text
    assert all(len(line) <= 100 for line in text.splitlines())
    flat = words(text)
    assert flat.startswith("Human rights scorecard: Kazakhstan (KZ), 2015 ")
    for section, _ in CJPME_SECTIONS:
        assert f"\n{section}\n" in text
    for line in CJPME_LINES:
        rank = f" · Rank {line.rank}" if line.rank else ""
        assert f"{line.title} Score {line.score}{rank} {line.label} ({line.position} of {line.bands}) " \
               f"[{line.footnote}]" in flat
    assert words(DISAGREES) in flat
    assert flat.count("disagrees") == 1
    assert flat.count("agrees with the bands") == 2
    for number, set_id in enumerate(CJPME_NOTES, 1):
        assert re.search(rf"\[{number}\] [^[]*\({re.escape(set_id)}\)\. ", flat), set_id
    assert words(RSF_HOUSE) in flat


def test_markdown_card(cjpme):
    text = cjpme("markdown")
    assert text.startswith("# Human rights scorecard: Kazakhstan (KZ), 2015\n")
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == [s for s, _ in CJPME_SECTIONS]
    rows = table_rows(text)
    assert len(rows) == len(CJPME_LINES)
    for cells, line in zip(rows, CJPME_LINES):
        assert len(cells) == 5
        assert cells[:3] == [line.title, line.score, line.rank or "–"]
        assert cells[3] == f"**{line.label} ({line.position} of {line.bands})**[^{line.footnote}]"
        assert re.fullmatch(r"`[1-5]*▲[1-5]*`", cells[4]), cells[4]
        assert len(cells[4]) == 42
    gender = CJPME_LINES[2].title
    assert f"- {gender}: {DISAGREES}\n" in text
    assert text.count("disagrees") == 1
    for number, set_id in enumerate(CJPME_NOTES, 1):
        assert re.search(rf"^\[\^{number}\]: .*\({re.escape(set_id)}\)\. .* <https://[^>]+>$", text, re.MULTILINE)
    assert RSF_HOUSE in text
    assert "<https://rsf.org/en/index>" in text


def test_markdown_keeps_the_score_as_written(cjpme):
    """``53,46`` is not rewritten as 53.46 in the Score column (the picture's caption may use the number)."""
    assert "| 53,46 / 100 (0 = best) |" in cjpme("markdown")
    assert "| 53.46" not in cjpme("markdown")


def test_html_card(cjpme):
    page = Page(cjpme("html"))
    [h1] = page.find("h1")
    assert h1.words == "Human rights scorecard: Kazakhstan (KZ), 2015"
    assert [h2.words for h2 in page.find("h2")] == [s for s, _ in CJPME_SECTIONS] + ["Sources"]
    sections = [s for s in page.find("section") if "card-section" in s.classes()]
    assert [len(s.find("article")) for s in sections] == [n for _, n in CJPME_SECTIONS]
    for article, line in zip(page.find("article"), CJPME_LINES):
        assert article.classes() == {"line", "banded"}
        [h3] = article.find("h3")
        assert h3.words == line.title
        facts = {dt.words: dd for div in article.find("div") for dt, dd in [div.children] if dt.tag == "dt"}
        assert facts["Score"].words == line.score
        assert (facts["Rank"].words if "Rank" in facts else "") == line.rank
        [strong] = facts["Band"].find("strong")
        assert strong.words == f"{line.label} ({line.position} of {line.bands})"
        [link] = facts["Band"].find("a")
        assert link.attrs["href"] == f"#note-{line.footnote}"
        assert link.words == f"[{line.footnote}]"
        if line.published is None:
            assert "Printed label" not in facts
        elif line.agrees:
            assert facts["Printed label"].classes() == {"agree"}
            assert facts["Printed label"].words == f'Printed label "{line.published}" agrees with the bands.'
        else:
            assert facts["Printed label"].classes() == {"disagree"}
            assert facts["Printed label"].words == DISAGREES
    [disagree] = [e for e in page.elements if "disagree" in e.classes()]
    assert disagree.words == DISAGREES
    notes = page.find("li")
    assert [li.attrs["id"] for li in notes] == [f"note-{n}" for n in range(1, 7)]
    for li, set_id in zip(notes, CJPME_NOTES):
        assert f"({set_id}). " in li.words
    assert RSF_HOUSE in notes[0].words
    assert [a.attrs["href"] for a in notes[0].find("a")] == ["https://rsf.org/en/index"]


def test_json_card(cjpme):
    card = json.loads(cjpme("json"))
    assert (card["title"], card["country"], card["code"], card["year"]) == \
        ("Human rights scorecard", "Kazakhstan", "KZ", 2015)
    assert (card["problems"], card["disagreements"]) == (0, 1)
    assert [(s["title"], len(s["lines"])) for s in card["sections"]] == list(CJPME_SECTIONS)
    lines = [line for section in card["sections"] for line in section["lines"]]
    assert len(lines) == len(CJPME_LINES)
    for got, line in zip(lines, CJPME_LINES):
        assert {key: got[key] for key in ("title", "index", "state", "label", "position", "bands", "footnote",
                                           "published", "agrees")} == \
            {"title": line.title, "index": line.index, "state": "banded", "label": line.label,
             "position": line.position, "bands": line.bands, "footnote": line.footnote,
             "published": line.published, "agrees": line.agrees}
        assert got["set_id"] == line.index
        assert got["verdict"] == {True: "agree", False: "disagree", None: ""}[line.agrees]
        assert [s["current"] for s in got["segments"]].count(True) == 1
        assert got["segments"][line.position - 1]["current"]
    rsf = lines[0]
    assert rsf["scores"] == [{"column": "rsf_score", "name": "", "text": "53,46", "scale": "/ 100 (0 = best)"}]
    assert rsf["rank"] == {"rank": "160", "of": "180", "computed": False}
    assert rsf["banded"] == "53,46"  # the number banded, as written
    assert [n["set_id"] for n in card["footnotes"]] == list(CJPME_NOTES)
    assert [n["number"] for n in card["footnotes"]] == list(range(1, 7))
    assert card["footnotes"][0]["url"] == "https://rsf.org/en/index"
    assert "the publisher's own classes: rsf-2013, rsf-2013-current, rsf-2022" in card["footnotes"][0]["origin"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_disagreement_in_every_format(cjpme, fmt):
    text = cjpme(fmt)
    if fmt == "json":
        [gender] = [line for s in json.loads(text)["sections"] for line in s["lines"] if line["index"] == "gender-gap"]
        assert (gender["published"], gender["label"], gender["agrees"]) == \
            ("Somewhat unequal rights", "Very unequal rights", False)
        assert gender["scores"][0]["text"] == "62.1%"
    elif fmt == "html":
        [disagree] = [e for e in Page(text).elements if "disagree" in e.classes()]
        assert disagree.words == DISAGREES
    else:
        assert words(DISAGREES) in words(text)


def test_card_labels_are_what_classify_says(cjpme, run):
    """A card line's band is the band ``rightsband classify`` gives the same value."""
    card = json.loads(cjpme("json"))
    for section in card["sections"]:
        for line in section["lines"]:
            result = run("classify", line["index"], line["scores"][0]["text"])
            assert (result.exit_code, result.stdout) == (0, line["label"] + "\n")


def test_history_card_facts(history, run):
    card = json.loads(history("json"))
    assert card["history_years"] == list(range(1991, 2026))
    freedom, rsf, ti = card["sections"][0]["lines"]
    assert (freedom["title"], freedom["label"], freedom["set_id"], freedom["banded"]) == \
        ("Freedom", "Not Free", "fh-status", "mean of pr and cl: 5.5")
    assert [s["text"] for s in freedom["scores"]] == ["6", "5"]
    assert (rsf["label"], rsf["set_id"], rsf["rank"]) == \
        ("Difficult", "rsf-2013", {"rank": "160", "of": "", "computed": False})
    assert (ti["label"], ti["rank"]) == ("Highly corrupt", {"rank": "1", "of": "5", "computed": True})
    for line in (freedom, rsf, ti):
        assert [cell["year"] for cell in line["history"]] == card["history_years"]
    assert [(c["label"], c["edition"]) for c in rsf["history"] if c["year"] in (2012, 2013, 2021, 2022, 2025)] == \
        [(None, ""), ("Very serious", "rsf-2013"), ("Difficult", "rsf-2013"), ("Difficult", "rsf-2022"),
         ("Very serious", "rsf-2022")]
    assert [c["year"] for c in rsf["history"] if c["new_edition"]] == [2022]
    for line in (freedom, rsf, ti):  # a band has the scale picture's colour in every year, whatever the edition
        scale = {segment["label"]: segment["colour"] for segment in line["segments"]}
        in_scale = [cell for cell in line["history"] if cell["label"] in scale]
        assert [cell["colour"] for cell in in_scale] == [scale[cell["label"]] for cell in in_scale]
    assert {c["year"] for c in freedom["history"] if c["label"] == "Partly Free"} == {1991, 1992, 1993}
    assert {c["year"] for c in rsf["history"] if c["label"] == "Difficult"} == {*range(2014, 2022), 2022, 2023, 2024}
    assert [c["year"] for c in freedom["history"] if c["new_edition"]] == [2003]
    assert {n["set_id"] for n in card["footnotes"]} == {"fh-status", "fh-status-1972", "rsf-2013", "rsf-2022", "ti"}
    # a strip's band is the band classify gives the same value for that year (the data: 2022 RSF 48.28,
    # 1999 PR 6 CL 5)
    assert run("classify", "rsf-map", "--year", "2022", "48.28").stdout == \
        next(c["label"] for c in rsf["history"] if c["year"] == 2022) + "\n"
    assert run("classify", "fh-fiw-status", "--year", "1999", "pr=6", "cl=5").stdout == \
        next(c["label"] for c in freedom["history"] if c["year"] == 1999) + "\n"


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_history_text_in_every_format(history, fmt):
    text = history(fmt)
    flat = words(" ".join(Page(text).root.text.split()) if fmt == "html" else text)
    for parts in (FREEDOM_HISTORY, RSF_HISTORY, TI_HISTORY):
        assert history_words(parts, fmt) in flat
    assert "1 of 5 in this file (computed)" in flat


# The HTML page's structure -------------------------------------------------------------------------------------


def test_html_document_shell(page):
    _, text, html = page
    assert text.startswith("<!DOCTYPE html>\n")
    assert html.declarations == ["DOCTYPE html"]
    assert (html.unclosed, html.stray_end_tags) == ([], [])
    [root] = html.find("html")
    assert root.parent is html.root
    assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", root.attrs.get("lang") or "")
    metas = html.find("meta")
    assert any(m.attrs.get("charset", "").lower() == "utf-8" for m in metas)
    [viewport] = [m for m in metas if m.attrs.get("name") == "viewport"]
    assert "width=device-width" in (viewport.attrs.get("content") or "")
    [h1] = html.find("h1")
    [title] = [t for t in html.find("title") if t.parent and t.parent.tag == "head"]
    assert title.words == h1.words
    assert len(html.find("main")) == 1


def test_html_one_article_per_line(page):
    name, _, html = page
    articles = html.find("article")
    assert len(articles) == {"cjpme": 6, "history": 3}[name]
    for article in articles:
        assert len(article.find("h3")) == 1 and article.find("h3")[0].words
        assert len(article.find("dl")) == 1
        [dl] = article.find("dl")
        terms = [dt.words for dt in dl.find("dt")]
        assert terms[0] == "Score" and "Band" in terms and "Edition" in terms
        assert len(dl.find("dt")) == len(dl.find("dd"))


def test_html_ids_are_unique(page):
    _, _, html = page
    ids = [e.attrs["id"] for e in html.elements if "id" in e.attrs]
    assert len(ids) == len(set(ids))


def test_html_footnote_links_point_at_notes(page):
    _, _, html = page
    ids = html.by_id()
    links = [a for a in html.find("a") if (a.attrs.get("href") or "").startswith("#")]
    assert len([a for a in links if "id" in a.attrs]) == len(html.find("article"))  # one per line's band
    for link in links:
        href = link.attrs["href"] or ""
        assert re.fullmatch(r"#note-\d+", href)
        target = ids[href[1:]]
        assert target.tag == "li" and target.parent is not None and target.parent.tag == "ol"
        assert link.words == f"[{href.removeprefix('#note-')}]"
    notes = [li for li in html.find("li") if (li.attrs.get("id") or "").startswith("note-")]
    assert [li.attrs["id"] for li in notes] == [f"note-{n}" for n in range(1, len(notes) + 1)]


@pytest.mark.parametrize("name", [
    "cjpme", "history"])
def test_html_every_footnote_is_referenced(scorecard, name):
    html = Page(scorecard(*CARDS[name], "--format", "html").stdout)
    referenced = {a.attrs["href"] for a in html.find("a") if (a.attrs.get("href") or "").startswith("#")}
    notes = {f"#{li.attrs['id']}" for li in html.find("li") if (li.attrs.get("id") or "").startswith("note-")}
    assert notes == referenced


def test_html_pictures_are_described(page):
    name, _, html = page
    svgs = html.find("svg")
    assert len(svgs) == {"cjpme": 6, "history": 6}[name]
    ids = html.by_id()
    for svg in svgs:
        assert svg.attrs.get("role") == "img"
        titles = [child for child in svg.children if child.tag == "title"]
        assert len(titles) == 1 and titles[0].words
        assert ids[svg.attrs.get("aria-labelledby") or ""] is titles[0]
        figure = svg.parent
        assert figure is not None and figure.tag == "figure"
        [caption] = figure.find("figcaption")
        assert caption.words
    scales = [svg for svg in svgs if svg.parent and "scale" in svg.parent.classes()]
    assert len(scales) == len(html.find("article"))
    for svg, article in zip(scales, html.find("article")):
        band = next(dd for dd in article.find("dd") if "band" in dd.classes()).find("strong")[0].words
        label = band.rsplit(" (", 1)[0]
        assert f"is in band {band.rsplit('(', 1)[1].split(' of ')[0]}, {label}." in svg.find("title")[0].words


def test_html_is_self_contained(page):
    _, text, html = page
    assert active_markup(html) == []
    assert "<link" not in text and "src=" not in text and "<script" not in text.lower()
    assert html.comments == []
    [style] = html.find("style")
    assert "@import" not in style.text and "url(" not in style.text and "expression(" not in style.text
    notes = {li for li in html.find("li") if (li.attrs.get("id") or "").startswith("note-")}
    for element, attribute, value in html.attributes:
        if "http" in (value or "").lower():
            if element.tag == "svg":
                assert (attribute, value) == ("xmlns", SVG_NAMESPACE)
            else:
                assert (element.tag, attribute) == ("a", "href") and element.parent in notes
                assert re.fullmatch(r"https://[^\s\"'<>]+", value or "")
    for data, element in html.texts:
        if "http" in data.lower():
            assert element.tag == "a" and element.attrs.get("href") == data.strip(), (data, element.tag)
    assert text.lower().count("http") == 2 * len(notes) + len(html.find("svg"))


# The Markdown document's structure ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CARDS))
def test_markdown_table_rows_keep_their_columns(scorecard, name):
    text = scorecard(*CARDS[name], "--format", "markdown").stdout
    for line in text.splitlines():
        if line.startswith("|"):
            assert len(table_cells(line)) == 5, line


@pytest.mark.parametrize("name", sorted(CARDS))
def test_markdown_footnote_references_are_defined(scorecard, name):
    text = scorecard(*CARDS[name], "--format", "markdown").stdout
    referenced, defined = footnote_references(text)
    assert defined == list(range(1, len(defined) + 1))
    assert referenced <= set(defined)
    assert len(referenced) >= len(table_rows(text))


@pytest.mark.parametrize("name", [
    "cjpme", "history"])
def test_markdown_every_footnote_is_referenced(scorecard, name):
    referenced, defined = footnote_references(scorecard(*CARDS[name], "--format", "markdown").stdout)
    assert set(defined) == referenced
