"""A layout's measures placed in a header (which column holds what), and an observation made
from a placed measure and a row: the part the row-wise and the wide readers share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from rightsband.publishers.cells import Row, text
from rightsband.publishers.layouts import Layout, LayoutError, Measure
from rightsband.publishers.observation import Observation, Source
from rightsband.values import is_missing


class Placed(NamedTuple):
    """A measure's columns in one header (0-based positions); ``year`` when the score column's
    header names it (CPI score 2023); ``column`` the score's header, ``rank_column`` the rank's."""

    measure: Measure
    year: int | None
    score: int | None
    inputs: tuple[tuple[str, int], ...]
    published: int | None
    rank: int | None
    column: str
    rank_column: str | None


class Where(NamedTuple):
    """The row an observation comes from, and what the row says of every measure in it."""

    file: str
    sheet: str | None
    row: int
    country: str
    code: str | None
    kind: str | None
    year: int
    edition: str


def place(measure: Measure, header: Sequence[str], where: str, start: int = 0) -> list[Placed]:
    """Every placing of ``measure`` in ``header`` (one per year a score header names; none when
    its score column is not there); positions count from ``start``. LayoutError, naming ``where``,
    for a measure whose score is there but not every input."""
    if measure.score is not None:
        scores: list[tuple[int | None, int | None]] = list(measure.score.matches(header))
        if measure.score.pattern is None:
            position = measure.score.find(header)
            scores = [] if position is None else [(position, None)]
    else:
        scores = [(None, None)]
    placed = []
    for score, year in scores:
        inputs = [(name, column.find(header, score, year)) for name, column in measure.inputs]
        found = [(name, position) for name, position in inputs if position is not None]
        if score is None and not found:
            continue
        if len(found) != len(inputs):
            lost = ", ".join(name for name, position in inputs if position is None)
            raise LayoutError(f"{where}: the columns of {measure.name} ({lost}) are not in the header; "
                              "this release differs from the layout in publishers.toml")
        published = None if measure.published is None else measure.published.find(header, score, year)
        rank = None if measure.rank is None else measure.rank.find(header, score, year)
        shown = [header[p] for p in ([score] if score is not None else [p for _, p in found])]
        placed.append(Placed(measure, year, _at(score, start), tuple((n, p + start) for n, p in found),
                             _at(published, start), _at(rank, start), ",".join(shown),
                             None if rank is None or rank >= len(header) else header[rank]))
    return placed


def _at(position: int | None, start: int) -> int | None:
    return None if position is None else position + start


def cell(row: Row, position: int | None) -> object:
    """The value at ``position`` in ``row`` (None past its end or for no position)."""
    return row[position] if position is not None and position < len(row) else None


def observe(layout: Layout, placed: Placed, row: Row, where: Where) -> Observation | None:
    """The observation of ``placed`` in ``row``; None when all its cells are empty (not rated).
    Each cell is written as text once (:func:`~rightsband.publishers.cells.text`; a cell with no
    value is ``""``, so that :func:`~rightsband.values.is_missing` of it is ``missing`` of the value)."""
    score_text, published = text(cell(row, placed.score)), text(cell(row, placed.published))
    input_texts = [text(cell(row, position)) for _, position in placed.inputs] if placed.inputs else []
    if is_missing(score_text) and is_missing(published) and all(map(is_missing, input_texts)):
        return None
    inputs = {name: value.strip() for (name, _), value in zip(placed.inputs, input_texts)} if placed.inputs else {}
    score = score_text.strip() if placed.score is not None else ",".join(inputs.values())
    problem = None
    if layout.refusals:
        written = [score, *inputs.values(), published]
        problem = next((why for pattern, why in layout.refusals if any(pattern.search(t) for t in written)), None)
    rank = text(cell(row, placed.rank))
    return Observation(where.country, where.code, where.kind, where.year, where.edition, placed.measure.name,
                       placed.measure.set_id, score, inputs, None if is_missing(published) else published.strip(),
                       None if is_missing(rank) else rank.strip(),
                       Source(where.file, where.sheet, where.row, placed.column, placed.rank_column), problem)


def header_row(rows: Sequence[Row], patterns: Sequence[re.Pattern[str]]) -> int | None:
    """The index among ``rows`` of the first row in which every pattern matches a cell, None if none does."""
    for index, row in enumerate(rows):
        cells = [text(value).strip() for value in row]
        if all(any(p.search(c) for c in cells) for p in patterns):
            return index
    return None
