"""Which publisher's layout a file has, by its content: a workbook by its sheet names and header
cells, a CSV by its header cells; never by the file's name."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from rightsband.publishers.cells import csv_rows, decode, is_workbook, sheet_rows, workbook
from rightsband.publishers.layouts import Layout, Table, builtin_layouts
from rightsband.publishers.placing import header_row
from rightsband.publishers.rows import HEADER_ROWS

#: How much of a CSV file recognition reads.
SNIFF_BYTES = 1 << 16


def recognise(path: str, layouts: Sequence[Layout] | None = None) -> Layout | None:
    """The first of ``layouts`` (the shipped ones by default) that ``path`` has, None if none."""
    if is_workbook(path):
        with workbook(path) as book:
            return in_workbook(book, layouts)
    with open(path, "rb") as file:
        return in_text(decode(file.read(SNIFF_BYTES)), layouts)


def in_workbook(book: Any, layouts: Sequence[Layout] | None = None) -> Layout | None:
    """The first of ``layouts`` (the shipped ones by default) that an open workbook has, None if none."""
    return next((layout for layout in layouts or builtin_layouts()
                 if not layout.is_csv and any(True for _ in sheets(book, layout))), None)


def in_text(head: str, layouts: Sequence[Layout] | None = None) -> Layout | None:
    """The first of ``layouts`` (the shipped ones by default) whose CSV header is in ``head``
    (a file's first lines), None if none."""
    return next((layout for layout in layouts or builtin_layouts()
                 if layout.is_csv and has_header(csv_rows(head, layout.tables[0].delimiter), layout.tables[0])), None)


def sheets(book: Any, layout: Layout) -> Iterator[tuple[Table, str]]:
    """Each (table, sheet name) of ``layout`` in the workbook: a sheet whose name and header fit a table."""
    for table in layout.tables:
        for name in book.sheetnames:
            if table.sheet is not None and table.sheet.search(name) and has_header(sheet_rows(book, name), table):
                yield table, name


def has_header(rows: Iterator[Sequence[object]], table: Table) -> bool:
    """Whether ``table``'s header is among the first rows of ``rows``."""
    try:
        return header_row(list(itertools.islice(rows, HEADER_ROWS)), table.header) is not None
    except csv.Error:  # pragma: no cover - Python 3.10 refuses a NUL byte in a line: not this layout
        return False
