"""The exact reader's parts: Python's csv module over raw lines, and the records it gathers into a block."""

from __future__ import annotations

import csv
import re
import sys
from typing import Any

import numpy as np

from rightsband.csvscan.records import NO_CELL, Block, Records

csv.field_size_limit(2**31 - 1)


#: Lines as the exact reader reads them: up to and with ``\n``, ``\r\n`` or ``\r``, or the rest.
_LINE = re.compile(rb"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


_LINE_END = re.compile(rb"\r\n?|\n")


#: Python 3.10's csv module refuses NUL: there, a record with NUL (or the escape character) goes
#: through it escaped, each as two characters: NUL as ESCAPE 0, ESCAPE as ESCAPE ESCAPE.
_CSV_TAKES_NUL = sys.version_info >= (3, 11)


_ESCAPE = "\ue000"


_ESCAPED = re.compile(_ESCAPE + "(.)", re.DOTALL)


def _unescape(cell: str) -> str:
    if _ESCAPE not in cell:
        return cell
    return _ESCAPED.sub(lambda match: "\0" if match[1] == "0" else _ESCAPE, cell)


class _Collected:
    """Records read by the exact reader, gathered into a Block."""

    def __init__(self, columns: tuple[int, ...], keep_fields: bool, width: int):
        self.columns, self.keep_fields, self.width = columns, keep_fields, width
        self.starts: list[int] = []
        self.body_ends: list[int] = []
        self.ends: list[int] = []
        self.line_starts: list[int] = []
        self.blank: list[bool] = []
        self.ragged: list[tuple[int, int]] = []
        self.fields: list[list[str]] = []
        self.codes: dict[int, list[int]] = {c: [] for c in columns}
        self.uniques: dict[int, dict[str, int]] = {c: {} for c in columns}

    def __len__(self) -> int:
        return len(self.starts)

    def add(self, start: int, body_end: int, end: int, row: list[str], line_offset: int) -> None:
        index = len(self.starts)
        self.starts.append(start)
        self.body_ends.append(body_end)
        self.ends.append(end)
        self.line_starts.append(line_offset)
        self.blank.append(not row)
        if row and len(row) != self.width:
            self.ragged.append((index, len(row)))
        if self.keep_fields:
            self.fields.append(row)
        whole = bool(row) and len(row) == self.width
        for column in self.columns:
            if not whole:
                self.codes[column].append(NO_CELL)
                continue
            uniques = self.uniques[column]
            self.codes[column].append(uniques.setdefault(row[column], len(uniques)))

    def block(self, data: bytes, first_line: int) -> Block:
        cells: dict[int, tuple[np.ndarray, np.ndarray | list[Any]]] = {
            c: (np.array(self.codes[c], dtype=np.intp), list(self.uniques[c])) for c in self.columns}
        return Block(Records(data, self.starts, self.body_ends, self.ends), first_line, self.line_starts, cells,
                     np.array(self.blank, dtype=bool), self.ragged, self.fields if self.keep_fields else None)
