"""Make docs/scorecard-kz.png, the README's picture of a scorecard page.

It renders the CJPME example card (examples/kazakhstan-cjpme.csv with
examples/cjpme-scorecard.toml) with ``rightsband scorecard --format html`` and screenshots
the whole page at 800 px wide in headless Chromium, through Playwright::

    python docs/screenshot.py [OUTPUT.png]

Needs the project installed (``pip install -e '.[test]'`` brings Playwright) and a system
Chromium on PATH (Debian: ``apt-get install chromium``); no Playwright browser download is used.
Run it again after changing the page's template or CSS, and commit the PNG.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "docs" / "scorecard-kz.png"
WIDTH = 800
#: The browser's flags: no sandbox (CI runs as root), and nothing fetched or updated in the background.
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def render(html: Path) -> None:
    """The CJPME example card as an HTML page at ``html``, run from the repository root so the page
    names its data as the README does (``examples/kazakhstan-cjpme.csv``), not by an absolute path."""
    subprocess.run([sys.executable, "-m", "rightsband", "scorecard", "examples/kazakhstan-cjpme.csv",
                    "--card", "examples/cjpme-scorecard.toml", "--country", "KZ", "--format", "html",
                    "-o", str(html), "-q"], check=True, cwd=REPO)


def screenshot(html: Path, png: Path) -> None:
    """A full-page PNG of ``html`` at WIDTH px wide, one device pixel per CSS pixel."""
    executable = shutil.which("chromium")
    if executable is None:
        sys.exit("docs/screenshot.py: no chromium on PATH (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 600}, device_scale_factor=1)
            page.goto(html.as_uri(), wait_until="load")
            page.screenshot(path=str(png), full_page=True)
        finally:
            browser.close()


def main() -> None:
    png = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else OUTPUT
    with tempfile.TemporaryDirectory() as directory:
        html = Path(directory) / "kz.html"
        render(html)
        screenshot(html, png)
    print(f"wrote {png}")


if __name__ == "__main__":
    main()
