"""The scorecard's HTML page in a real browser (headless Chromium through Playwright).

Both README examples are rendered by the command, in this process, then opened from disk: the
page logs no error, fetches nothing but itself, reads at 360 px wide without sideways scrolling,
prints on A4 within the page's width and on a sensible number of pages, and writes each band in
visible text (never colour alone).

The module skips (never fails) where Playwright or a Chromium is missing or the browser does not
start. It uses the system's Chromium (Debian's ``chromium``), not a Playwright download.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PHONE_WIDTH, REPO
from rightsband.cli import cli

pytest.importorskip("playwright.sync_api")

# Playwright's driver is a subprocess watched from a thread: run after the tests that fork a helper
# and need a single-threaded process (see conftest.pytest_collection_modifyitems).
pytestmark = pytest.mark.threads

#: A4 at 96 px per inch is 794 px wide; the page's @page margin is 15 mm (57 px) a side.
A4_CONTENT_WIDTH = 794 - 2 * 57
EXAMPLES = REPO / "examples"

CARDS = {
    "cjpme": (
        [str(EXAMPLES / "kazakhstan-cjpme.csv"), "--card", str(EXAMPLES / "cjpme-scorecard.toml"), "--country", "KZ"],
        # each line's band, in card order, as the page writes it
        ["Highly controlled, limited or intimidated (5 of 5)", "Partly free (2 of 3)", "Very unequal rights (3 of 3)",
         "Protected (1 of 5)", "Not free (3 of 3)", "Highly corrupt (4 of 5)"],
    ),
    "central-asia": (
        [str(EXAMPLES / "central-asia.csv"), "--country", "KZ", "-c", "pr,cl=fh-fiw-status:Freedom",
         "-c", "rsf_score=rsf-map", "-c", "cpi_score=ti", "--rank", "rsf_score=rsf_rank", "--history"],
        ["missing: no score, no band", "Very serious (5 of 5)", "missing: no score, no band"],
    ),
}
#: How many PDF pages each card may take on A4.
MAX_PAGES = {"cjpme": 4, "central-asia": 4}

# The page's overflow, measured in the browser: the document, and each picture against the viewport.
OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  return {
    scrollWidth: root.scrollWidth, clientWidth: width,
    svgs: Array.from(document.querySelectorAll('svg')).map(svg => {
      const box = svg.getBoundingClientRect();
      return {left: box.left, right: box.right, width: box.width};
    }),
  };
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """Each example card rendered as HTML by ``rightsband scorecard --format html -o FILE``."""
    directory = tmp_path_factory.mktemp("cards")
    made = {}
    for name, (args, _) in CARDS.items():
        path = directory / f"{name}.html"
        result = CliRunner().invoke(cli, ["scorecard", *args, "--format", "html", "-o", str(path)],
                                    catch_exceptions=False, prog_name="rightsband")
        # the 2025 card has no score on 2 of its 3 lines: written, and exit 1 saying so
        assert (result.exit_code, "have no score" in result.stderr) == (
            (1, True) if name == "central-asia" else (0, False)), result.stderr
        assert result.stdout == ""
        made[name] = path
    return made


class Visit:
    """A page of the browser with everything it logged, threw and requested."""

    def __init__(self, browser, path: Path, width: int):
        self.page = browser.new_page(viewport={"width": width, "height": 800})
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))
        self.page.goto(path.as_uri(), wait_until="load")

    def overflow(self) -> dict:
        return self.page.evaluate(OVERFLOW)


@pytest.fixture()
def visit(browser):
    opened: list[Visit] = []

    def open_page(path: Path, width: int = PHONE_WIDTH) -> Visit:
        opened.append(Visit(browser, path, width))
        return opened[-1]

    yield open_page
    for one in opened:
        one.page.close()


def assert_fits(measured: dict, width: int) -> None:
    assert measured["clientWidth"] == width
    assert measured["scrollWidth"] <= measured["clientWidth"], "the page scrolls sideways"
    assert measured["svgs"], "the card draws its pictures as inline SVG"
    for svg in measured["svgs"]:
        assert svg["width"] > 0
        assert svg["left"] >= 0 and svg["right"] <= width, svg


@pytest.mark.parametrize("name", CARDS)
def test_no_errors_and_nothing_fetched(pages, visit, name):
    seen = visit(pages[name])
    assert seen.errors == []
    assert [line for line in seen.console if line.startswith("error")] == []
    assert seen.requests == [pages[name].as_uri()]
    assert all(url.startswith("file://") for url in seen.requests)
    assert seen.failed == []
    assert seen.page.locator("script").count() == 0


@pytest.mark.parametrize("name", CARDS)
def test_reads_at_360_px_without_sideways_scrolling(pages, visit, name):
    seen = visit(pages[name])
    assert_fits(seen.overflow(), PHONE_WIDTH)


@pytest.mark.parametrize("name", CARDS)
def test_prints_on_a4(pages, visit, name):
    seen = visit(pages[name])
    seen.page.emulate_media(media="print")
    seen.page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    assert seen.page.evaluate("matchMedia('print').matches")
    assert_fits(seen.overflow(), A4_CONTENT_WIDTH)
    pdf = seen.page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")
    count = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= count <= MAX_PAGES[name], f"{count} A4 pages"
    assert seen.errors == []


@pytest.mark.parametrize("width", [PHONE_WIDTH, 800])
@pytest.mark.parametrize("name", CARDS)
def test_each_band_is_visible_text(pages, visit, name, width):
    """The band of every line is written out, visible, beside its swatch: colour never carries it alone."""
    seen = visit(pages[name], width)
    bands = seen.page.locator("dd.band strong")
    assert bands.all_inner_texts() == CARDS[name][1]
    for n in range(bands.count()):
        assert bands.nth(n).is_visible(), CARDS[name][1][n]
    swatches = seen.page.locator("dd.band .swatch")
    assert swatches.count() == sum(not text.startswith("missing") for text in CARDS[name][1])
    for n in range(swatches.count()):
        assert swatches.nth(n).get_attribute("aria-hidden") == "true"


def test_the_cjpme_bands_read_as_text(pages, visit):
    seen = visit(pages["cjpme"])
    gender = seen.page.get_by_text("Very unequal rights (3 of 3)", exact=True)
    assert gender.count() == 1 and gender.is_visible()
    assert seen.page.get_by_text('Printed label "Somewhat unequal rights" disagrees').is_visible()
    # each band scale says in words where the score is, for a screen reader and as a caption
    titles = seen.page.locator("figure.scale svg > title").all_text_contents()
    assert len(titles) == 6
    assert "The score (62.1%) is in band 3, Very unequal rights." in titles[2]
    captions = seen.page.locator("figure.scale figcaption").all_inner_texts()
    assert captions[2] == "Bands best to worst, marker at 62.1%: 1 Almost equal rights, 2 Somewhat unequal rights, " \
                          "3 Very unequal rights."


def test_the_history_strip_reads_as_text(pages, visit):
    seen = visit(pages["central-asia"])
    captions = seen.page.locator("figure.history figcaption")
    assert captions.count() == 3
    freedom = captions.nth(0)
    assert freedom.is_visible()
    assert freedom.inner_text() == ("History: 1991–1993 Partly Free; 1994–2002 Partly Free or Not Free (undetermined) "
                                    "(fh-status-1972[2]) | 2003–2023 Not Free; 2024–2025 no data (fh-status[1])")
    assert "2022–2024 Difficult; 2025 Very serious" in captions.nth(1).inner_text()
