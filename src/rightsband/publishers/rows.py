"""The row-wise shapes: a header row (title rows above it), then a row per country and year, or per
country with a column per year (``long``, ``file-per-year``, ``sheet-per-edition``, ``wide-time-series``).
Where the year and the edition come from is the layout's data."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from rightsband.publishers.cells import Row, missing, text, year_of
from rightsband.publishers.layouts import Column, Layout, LayoutError, Table
from rightsband.publishers.observation import Observation
from rightsband.publishers.placing import Placed, Where, cell, header_row, observe, place

#: How many rows from the top the header may be.
HEADER_ROWS = 10


def read(layout: Layout, table: Table, rows: Iterator[Row], file: str, sheet: str | None) -> Iterator[Observation]:
    """The observations of one table read row by row (``rows`` read once)."""
    where = f"{file}, sheet {sheet!r}" if sheet is not None else file
    top = list(itertools.islice(rows, HEADER_ROWS))
    found = header_row(top, table.header)
    if found is None:
        raise LayoutError(f"{where}: the header of {layout.id} is not in the first {HEADER_ROWS} rows")
    header = [text(value).strip() for value in top[found]]
    placed = [p for measure in layout.measures for p in place(measure, header, where)]
    if not placed:
        raise LayoutError(f"{where}: none of the measures of {layout.id} is in the header")
    if layout.year is None and any(p.year is None for p in placed):
        raise LayoutError(f"{where}: {layout.id} names no year column and the score header names no year")
    columns = {name: _position(column, header) for name, column in
               (("country", layout.country), ("code", layout.code), ("kind", layout.kind), ("year", layout.year),
                ("edition", layout.edition))}
    for number, row in enumerate(itertools.chain(top[found + 1:], rows), start=found + 2):
        country = text(cell(row, columns["country"])).strip()
        if not country:
            continue
        row_year: int | None = None
        wheres: dict[int, Where] = {}  # the row's place and what it says, per year (one, but per column in CPI's)
        for one in placed:
            if one.year is not None:
                year = one.year
            else:
                if row_year is None:
                    row_year = _year(layout, row, columns["year"], where, number)
                year = row_year
            here = wheres.get(year)
            if here is None:
                here = wheres[year] = _where(layout, table, row, columns, file, sheet, number, country, year)
            observation = observe(layout, one, row, here)
            if observation is not None:
                yield observation


def _position(column: Column | None, header: Sequence[str]) -> int | None:
    return None if column is None else column.find(header)


def _year(layout: Layout, row: Row, position: int | None, where: str, number: int) -> int:
    value = cell(row, position)
    year = year_of(value, layout.take)
    if year is None:
        raise LayoutError(f'{where}, row {number}: the year cell "{text(value)}" names no year')
    return year - layout.minus


def _where(layout: Layout, table: Table, row: Row, columns: dict[str, int | None], file: str, sheet: str | None,
           number: int, country: str, year: int) -> Where:
    if layout.edition_from == "sheet" and sheet is not None:
        edition = sheet.strip()
    elif layout.edition_from == "column":
        edition = text(cell(row, columns["edition"])).strip()
    else:
        edition = str(year)
    code, kind = cell(row, columns["code"]), cell(row, columns["kind"])
    return Where(file, sheet, number, country, None if missing(code) else text(code).strip(),
                 table.kind if missing(kind) else text(kind).strip(), year, edition)


__all__ = ["Placed", "read"]
