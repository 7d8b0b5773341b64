"""The panel rows of a table rightsband does not recognise: ``--column COLS=INDEX[:MEASURE]``
mappings on a tidy table (a row per country and year), read and labelled exactly as ``label``
reads and labels it (:func:`rightsband.batch.label_blocks`), with its country and year columns."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from rightsband.batch import FIND_YEAR_COLUMN, Mapping, MappingError, label_blocks
from rightsband.mapping import column_position, find_year_column, header_words
from rightsband.model import YearError
from rightsband.panels.banding import Bander
from rightsband.panels.rows import YEAR, Findings, PanelError, PanelUsageError, Problem, Row
from rightsband.values import years_named
from rightsband.verify.verdicts import cell_texts

if TYPE_CHECKING:
    import numpy as np

    from rightsband.readers import Table

__all__ = ["tidy_rows"]


def tidy_rows(path: str, specs: Sequence[str], bander: Bander, findings: Findings, *,
              country_column: str | None = None, year_column: str | None = None,
              rank_check: bool = True) -> Iterator[Row]:
    """The rows of the tidy table at ``path``, one per record and mapping; problems into ``findings``.
    PanelError for a mapping, country or year column that does not fit the header; RankDirectionError
    for ranks that run against a mapped set, as ``label`` checks them, unless not ``rank_check``."""
    from rightsband.readers import InputOptionError, UnreadableInput, open_table

    if not specs:
        raise PanelUsageError(f"{path}: not a publisher's file rightsband recognises; name its columns with "
                              "--column COLS=INDEX (and --country-column, --year-column)", "--column")
    try:
        mappings = [Mapping.parse(spec, bander.rules) for spec in specs]
    except MappingError as error:
        raise PanelUsageError(str(error), "--column") from None
    try:
        table = open_table(path)
    except (InputOptionError, UnreadableInput) as error:
        raise PanelError(str(error)) from None
    measures = [spec.rpartition("=")[2].partition(":")[2] or (m.index if m.set.is_composite else ",".join(m.columns))
                for spec, m in zip(specs, mappings)]
    with table:
        try:
            run = label_blocks(table.stream, mappings, delimiter=table.delimiter, encoding=table.encoding or "utf-8",
                               year_column=year_column or FIND_YEAR_COLUMN, rank_check=rank_check)
            header = run.header
            year = run.year_column or year_column or find_year_column(header)
            country = country_column or _country_column(header)
            if year is None or country is None:
                missing = "--year-column" if year is None else "--country-column"
                raise PanelUsageError(f"{path}: no {missing[2:].replace('-', ' ')} found in the header; give {missing} "
                                      "COL", missing)
            columns = [[column_position(header, name) for name in m.columns] for m in run.mappings]
            keep = [column_position(header, country), column_position(header, year),
                    *(p for group in columns for p in group)]
        except MappingError as error:
            raise PanelUsageError(f"{path}: {error}", "--column") from None
        places: dict[int, int] = {}  # column -> its place in the block's kept cells
        for position in keep:
            places.setdefault(position, len(places))
        for block in run.blocks(tuple(places)):
            for _, problem in block.problems:
                column = f', column "{problem.column}"' if problem.column else ""
                findings.add(Problem(f"{path}, {_place(table, problem.line, problem.record)}{column}", problem.kind,
                                     problem.message, problem.cell, problem.set_id))
            cells = [cell_texts(kept) for kept in block.kept]

            def text(position: int, row: int, cells: list[tuple[np.ndarray, list[str]]] = cells) -> str:
                codes, texts = cells[places[position]]
                return texts[int(codes[row])]

            for row in range(len(block.records)):
                where = f"{path}, {_place(table, int(block.lines[row]), int(block.records[row]))}"
                year_text = text(keep[1], row)
                named = years_named(year_text)
                if not named:
                    findings.add(Problem(where, YEAR, f'"{year_text}" (column "{year}") is not a year', year_text))
                for n, mapping in enumerate(run.mappings):
                    outcome = int(block.outcomes[n][row])
                    label = mapping.labels[outcome] if outcome < len(mapping.labels) else None
                    yield Row(None, text(keep[0], row).strip(), named[0] if named else None, year_text, measures[n],
                              _set_id(bander, mapping, named), ",".join(text(p, row) for p in columns[n]), label,
                              None, None, where)


def _country_column(header: Sequence[str]) -> str | None:
    """The header's one column named for countries (first or last word ``country``), None if not one."""
    found = [name for name in header if (w := header_words(name)) and "country" in (w[0], w[-1])]
    return found[0] if len(found) == 1 else None


def _place(table: Table, line: int, record: int) -> str:
    """Where a record is: its sheet row (a workbook), else its line."""
    row = table.row_of(record)
    return f"line {line}" if row is None else f"row {row}"


def _set_id(bander: Bander, mapping: Mapping, years: list[int]) -> str:
    """The band set (edition) that labels a record: the one its year picks, where the year picks it."""
    if mapping.choose is None or not years:
        return mapping.set.id if mapping.choose is None else mapping.index
    try:
        return bander.band_set(mapping.index, years[0]).id
    except YearError:
        return mapping.index
