"""The publishers' files as they ship them, recognised by their content and read without options.

:func:`recognise` names a file's :class:`Layout` (None for a file of no known layout: read it
with ``--column`` as any table); :func:`read` gives its :class:`Observation` records, one per
country, year and measure, each with the band set that labels it and its place in the file.
The layouts are data, ``publishers.toml`` beside ``bands.toml``; a reader per shape reads them
(:mod:`~rightsband.publishers.wide`, :mod:`~rightsband.publishers.rows`).
"""

from __future__ import annotations

from collections.abc import Iterator

from rightsband.publishers import rows, wide
from rightsband.publishers.cells import csv_rows, decode, is_workbook, sheet_rows, workbook
from rightsband.publishers.layouts import Layout, LayoutError, builtin_layouts, load_layouts
from rightsband.publishers.observation import Observation, Source
from rightsband.publishers.recognise import SNIFF_BYTES, in_text, in_workbook, recognise, sheets

__all__ = ["Layout", "LayoutError", "Observation", "Source", "builtin_layouts", "load_layouts", "read", "recognise"]


def read(path: str, layout: Layout | None = None) -> Iterator[Observation]:
    """The observations in the publisher's file at ``path`` (its layout recognised unless given),
    the file opened once; LayoutError for a file of no known layout, or one that does not read as
    its layout."""
    if is_workbook(path):
        with workbook(path) as book:
            found = _usable(path, layout or in_workbook(book), csv=False)
            tables = list(sheets(book, found))
            if not tables:
                raise LayoutError(f"{path}: no sheet has the name and header of layout {found.id}")
            for table, name in tables:
                reader = wide.read if table.shape == "wide-by-edition" else rows.read
                yield from reader(found, table, sheet_rows(book, name), path, name)
        return
    with open(path, "rb") as file:
        text = decode(file.read())
    found = _usable(path, layout or in_text(text[:SNIFF_BYTES]), csv=True)
    yield from rows.read(found, found.tables[0], csv_rows(text, found.tables[0].delimiter), path, None)


def _usable(path: str, layout: Layout | None, *, csv: bool) -> Layout:
    if layout is None:
        raise LayoutError(f"{path}: not a publisher's file rightsband recognises; name its columns with --column")
    if layout.is_csv != csv:
        raise LayoutError(f"{path}: layout {layout.id} is for a {'CSV file' if layout.is_csv else 'workbook'}")
    return layout
