"""A panel as a table: long (a row per country, year and measure, :data:`~rightsband.panels.rows.COLUMNS`)
or wide (a row per country key and year, a score and a label column per measure)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TextIO

from rightsband.formats import TableWriter
from rightsband.panels.rows import COLUMNS, Row

__all__ = ["WIDE_KEYS", "long_rows", "wide_columns", "wide_rows", "write"]

#: The first columns of the wide form; then ``MEASURE`` (the score) and ``MEASURE_label`` per measure.
WIDE_KEYS = ("code", "country", "year")


def long_rows(rows: Sequence[Row]) -> Iterator[dict[str, object]]:
    """Each row under the panel's column names."""
    return (row.cells() for row in rows)


def wide_columns(rows: Sequence[Row]) -> list[str]:
    """The wide form's columns: the keys, then each measure's score and label, measures as first met."""
    measures = dict.fromkeys(row.measure for row in rows)
    return [*WIDE_KEYS, *(name for measure in measures for name in (measure, f"{measure}_label"))]


def wide_rows(rows: Sequence[Row]) -> Iterator[dict[str, object]]:
    """A row per country key (the name where no key matched) and year, by key and year: each measure's
    score and label; a cell on which two rows disagree (a conflict, reported) is left empty."""
    table: dict[tuple[str, int | None], dict[str, object]] = {}
    names: dict[str, str] = {}
    clashes: set[tuple[tuple[str, int | None], str]] = set()
    for row in rows:
        key = row.code or row.country
        at = (key, row.year)
        names.setdefault(key, row.country)
        line = table.setdefault(at, {"code": row.code, "country": names[key], "year": row.year})
        for column, value in ((row.measure, row.score), (f"{row.measure}_label", row.label)):
            if line.setdefault(column, value) != value:
                clashes.add((at, column))
    for at, column in clashes:
        table[at][column] = None
    for at in sorted(table, key=lambda at: (at[0], at[1] is None, at[1] or 0)):
        yield table[at]


def write(rows: Sequence[Row], out: TextIO, fmt: str, *, wide: bool = False) -> int:
    """Write the panel (long, or ``wide``) to ``out`` in ``fmt`` (csv, tsv, json, jsonl); the rows written.
    The long form in csv goes straight to the csv module (every cell is text, a number or None, which
    it writes as :class:`~rightsband.formats.TableWriter` would); the others through TableWriter."""
    if fmt == "csv" and not wide:
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(row[:len(COLUMNS)] for row in rows)
        return len(rows)
    table = TableWriter(out, fmt, wide_columns(rows) if wide else COLUMNS)
    table.write_all(wide_rows(rows) if wide else long_rows(rows))
    table.close()
    return table.count
