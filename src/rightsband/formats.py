"""The output formats every command shares, and how a value becomes a cell in each.

``text`` is for people; ``csv``, ``tsv``, ``json`` and ``jsonl`` for programs, with
the same meaning wherever a command offers them:

- ``csv``: RFC 4180, a header line, ``\\n`` line endings, cells quoted where needed;
- ``tsv``: a header line, cells separated by tabs, ``\\n`` line endings; a backslash,
  tab, newline or carriage return inside a cell is written ``\\\\``, ``\\t``, ``\\n``,
  ``\\r`` (the "linear TSV" rule of PostgreSQL's COPY and Miller), so every cell round-trips;
- ``json``: one array of objects; ``jsonl``: one object per line.

In csv and tsv cells, a missing value, false and an empty list are empty (nothing to
say), true is ``true``, and a list or table is written as JSON: never a Python repr.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMATS = ("text", "csv", "tsv", "json", "jsonl")
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_cell(text: str) -> str:
    """A cell for TSV output, with ``\\ tab LF CR`` escaped."""
    return text.translate(_TSV_ESCAPES)


def tsv_unescape(cell: str) -> str:
    """The text of a TSV cell written by :func:`tsv_cell`."""
    out, chars = [], iter(cell)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(following, "\\" + following))
        else:
            out.append(char)
    return "".join(out)


def cell_text(value: Any) -> str:
    """A value as one csv or tsv cell: None, false and empty lists or tables empty, true ``true``, other
    lists and tables as JSON."""
    if value is None or value is False or (isinstance(value, (list, tuple, dict)) and not value):
        return ""
    if value is True:
        return "true"
    if isinstance(value, (list, tuple, dict)):
        import json

        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


class TableWriter:
    """Writes rows (dicts with the same keys) in one of the machine formats, row by row.

    ``json`` opens its array at the first row and :meth:`close` ends it (``[]`` for none).
    """

    def __init__(self, out: TextIO, fmt: str, columns: Sequence[str] | None = None):
        if fmt not in FORMATS or fmt == "text":
            raise ValueError(f"a table is written as one of {FORMATS[1:]}, not {fmt!r}")
        self.out, self.fmt, self.count = out, fmt, 0
        self.columns = list(columns) if columns is not None else None
        if fmt in ("json", "jsonl"):
            import json

            self._dumps: Callable[[Any], str] = lambda row: json.dumps(row, ensure_ascii=False)
        elif fmt == "csv":
            import csv

            self._csv = csv.writer(out, lineterminator="\n")
        if self.columns is not None:
            self._header(self.columns)

    def _header(self, columns: Sequence[str]) -> None:
        if self.fmt == "csv":
            self._csv.writerow(columns)
        elif self.fmt == "tsv":
            self.out.write("\t".join(map(tsv_cell, columns)) + "\n")

    def write(self, row: Mapping[str, Any]) -> None:
        if self.columns is None:
            self.columns = list(row)
            self._header(self.columns)
        if self.fmt == "jsonl":
            self.out.write(self._dumps(row) + "\n")
        elif self.fmt == "json":
            self.out.write(("[\n" if self.count == 0 else ",\n") + self._dumps(row))
        else:
            cells = [cell_text(row.get(column)) for column in self.columns]
            if self.fmt == "csv":
                self._csv.writerow(cells)
            else:
                self.out.write("\t".join(map(tsv_cell, cells)) + "\n")
        self.count += 1

    def write_all(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.write(row)

    def close(self) -> None:
        """Finish the output (ends the JSON array)."""
        if self.fmt == "json":
            self.out.write("[]\n" if self.count == 0 else "\n]\n")
