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
from rightsband.publishers.cells import csv_rows, decode, sheet_rows, workbook
from rightsband.publishers.layouts import Layout, LayoutError, builtin_layouts, load_layouts
from rightsband.publishers.observation import Observation, Source
from rightsband.publishers.recognise import recognise, sheets

__all__ = ["Layout", "LayoutError", "Observation", "Source", "builtin_layouts", "load_layouts", "read", "recognise"]


def read(path: str, layout: Layout | None = None) -> Iterator[Observation]:
    """The observations in the publisher's file at ``path`` (its layout recognised unless given);
    LayoutError for a file of no known layout, or one that does not read as its layout."""
    found = layout or recognise(path)
    if found is None:
        raise LayoutError(f"{path}: not a publisher's file rightsband recognises; name its columns with --column")
    if found.is_csv:
        with open(path, "rb") as file:
            text = decode(file.read())
        table = found.tables[0]
        yield from rows.read(found, table, csv_rows(text, table.delimiter), path, None)
        return
    with workbook(path) as book:
        for table, name in list(sheets(book, found)):
            reader = wide.read if table.shape == "wide-by-edition" else rows.read
            yield from reader(found, table, sheet_rows(book, name), path, name)
