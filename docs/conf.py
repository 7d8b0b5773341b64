"""Sphinx configuration of the rightsband documentation (built offline, warnings as errors:
``python -m sphinx -W --keep-going -b html docs docs/_build/html``)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent / "src"))  # document this checkout's code, installed or not

project = "rightsband"
author = "rightsband developers"
copyright = "rightsband developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx_click",
    "catalogue",  # docs/_ext/catalogue.py: the band-set catalogue, generated from bands.toml
    "readme_tables",  # docs/_ext/readme_tables.py: the indices and speed tables, from bands.toml and bench/results.toml
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md"]
myst_enable_extensions = ["deflist", "colon_fence"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}

html_theme = "furo"
html_title = "rightsband"
html_static_path: list[str] = []
html_show_sourcelink = False
html_copy_source = False
# Search results without page excerpts: the excerpts are fetched from the pages, which a browser
# refuses for a site opened from files; the search itself (searchindex.js) works offline.
html_show_search_summary = False
