"""The documentation site in a real browser (headless Chromium through Playwright).

The site is built once (``python -m sphinx -W``, as CI builds it), then pages are opened from disk:
each logs no error, requests nothing but files, and reads at 360 px wide without sideways scrolling;
the site's search finds a set offline.

Skips (never fails) where Sphinx, Playwright or a Chromium is missing; CI installs all three.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PHONE_WIDTH, REPO

pytest.importorskip("sphinx")
pytest.importorskip("furo")
pytest.importorskip("myst_parser")
pytest.importorskip("sphinx_click")
pytest.importorskip("playwright.sync_api")

# Playwright's driver is watched from a thread: run after the tests that fork (see conftest).
pytestmark = pytest.mark.threads

PAGES = ["reference/catalogue/index.html", "reference/catalogue/sets/rsf.html",
         "reference/catalogue/sets/bti-democracy-2020.html", "reference/catalogue/groups/rsf-map.html",
         "howto/dataframes.html", "howto/label-files.html", "reference/cli.html"]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site, built as CI builds it: offline, warnings as errors."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                             "-d", str(out / ".doctrees"), str(REPO / "docs"), str(out / "html")],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return out / "html"


class Visit:
    """A page opened at a width, with what it logged, threw and requested; requests that would leave
    the file system are recorded and aborted."""

    def __init__(self, browser, url: str, width: int = PHONE_WIDTH):
        self.page = browser.new_page(viewport={"width": width, "height": 800})
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route("**/*", self._route)
        self.page.goto(url, wait_until="load")

    def _route(self, route) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()


@pytest.fixture()
def visit(browser):
    opened: list[Visit] = []

    def open_page(url: str, width: int = PHONE_WIDTH) -> Visit:
        opened.append(Visit(browser, url, width))
        return opened[-1]

    yield open_page
    for one in opened:
        one.page.close()


def test_the_site_has_its_search_index(site):
    assert (site / "searchindex.js").stat().st_size > 10_000
    assert (site / "search.html").is_file()


@pytest.mark.parametrize("page", PAGES)
def test_a_page_loads_only_files_logs_no_error_and_reads_at_360_px(site, visit, page):
    seen = visit((site / page).as_uri())
    assert seen.errors == []
    assert [line for line in seen.console if line.startswith("error")] == []
    assert seen.requests and all(url.startswith("file://") for url in seen.requests), seen.requests
    width = seen.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page} scrolls sideways: {width} px"


def test_the_catalogue_page_shows_the_bands_and_their_scale(site, visit):
    seen = visit((site / "reference/catalogue/sets/rsf.html").as_uri())
    assert seen.page.get_by_text("[15, 25)", exact=True).first.is_visible()
    svg = seen.page.locator("figure.band-scale svg")
    assert svg.count() == 1 and svg.first.is_visible()
    box = svg.first.bounding_box()
    assert box and box["width"] > 200 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    assert "Band scale of rsf, best to worst" in svg.first.locator("title").first.text_content()


def test_search_finds_a_set_offline(site, visit):
    seen = visit((site / "search.html").as_uri() + "?q=kidsrights", width=1000)
    results = seen.page.locator("#search-results li a")
    results.first.wait_for(timeout=15_000)
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("catalogue/sets/kidsrights" in href for href in hrefs), hrefs
    assert all(url.startswith("file://") for url in seen.requests)
    assert seen.errors == []
