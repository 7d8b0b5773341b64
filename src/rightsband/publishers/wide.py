"""The wide-by-edition shape (Freedom House's ratings workbook): a row of editions, one edition
every few columns; under it a row of the years they cover and a row naming each column's
measure (``PR``, ``CL ``, ``Status``); then a row per country, its name in the first column."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from rightsband.publishers.cells import Row, missing, text, year_of
from rightsband.publishers.layouts import Layout, LayoutError, Table
from rightsband.publishers.observation import Observation
from rightsband.publishers.placing import Placed, Where, cell, header_row, observe, place
from rightsband.publishers.rows import HEADER_ROWS


def read(layout: Layout, table: Table, rows: Iterator[Row], file: str, sheet: str | None) -> Iterator[Observation]:
    """The observations of one wide-by-edition table (``rows`` read once)."""
    where = f"{file}, sheet {sheet!r}" if sheet is not None else file
    top = list(itertools.islice(rows, HEADER_ROWS))
    found = header_row(top, table.header)
    if found is None or found + 2 >= len(top):
        raise LayoutError(f"{where}: the edition, year and measure rows of {layout.id} are not in the first "
                          f"{HEADER_ROWS} rows")
    editions, years, names = top[found], top[found + 1], [text(v).strip() for v in top[found + 2]]
    groups = _groups(layout, editions, years, names, where, found + 2)
    country = layout.country.find(names)
    if country is None:
        raise LayoutError(f"{where}: the country column of {layout.id} is not in row {found + 3}")
    for number, row in enumerate(itertools.chain(top[found + 3:], rows), start=found + 4):
        name = text(cell(row, country)).strip()
        if not name:
            continue
        for edition, year, placed in groups:
            here = Where(file, sheet, number, name, None, table.kind, year, edition)
            for one in placed:
                observation = observe(layout, one, row, here)
                if observation is not None:
                    yield observation


def _groups(layout: Layout, editions: Row, years: Row, names: list[str], where: str,
            year_row: int) -> list[tuple[str, int, list[Placed]]]:
    """Each edition's text, year and measures placed in its columns."""
    starts = [i for i, value in enumerate(editions) if i > 0 and not missing(value)]
    groups = []
    for start, end in zip(starts, [*starts[1:], len(names)]):
        year = year_of(cell(years, start), layout.take)
        if year is None:
            raise LayoutError(f'{where}, row {year_row}, column {start + 1}: the year cell '
                              f'"{text(cell(years, start))}" names no year')
        edition = text(editions[start]).strip()
        placed = [p for m in layout.measures for p in place(m, names[start:end], f"{where}, edition {edition}", start)]
        groups.append((edition, year - layout.minus, placed))
    return groups
