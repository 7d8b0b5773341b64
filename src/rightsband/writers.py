"""Output of ``rightsband label``: the labelled records in the input's own CSV dialect (bytes
copied through), or re-encoded as TSV or JSON Lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

import numpy as np

from rightsband.csvscan import Block, CsvError, CsvReader
from rightsband.mapping import Mapping, MappingError

OUTPUT_FORMATS = ("csv", "tsv", "jsonl")


class Writer:
    """Writes blocks in one output format; ``passthrough`` writers copy the raw records."""

    passthrough = False

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        self.out = out
        self.header = reader.header + [m.name for m in mappings]
        self.labels = [[*m.labels, "", ""] for m in mappings]

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        raise NotImplementedError


class _CsvWriter(Writer):
    """The input's own bytes, dialect and line endings, with the label cells appended."""

    passthrough = True

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        super().__init__(reader, mappings, out)
        self.encoding, self.delimiter = reader.encoding, reader.delimiter
        self.cells = [[self._cell(label) for label in labels] for labels in self.labels]
        self._suffixes: dict[int, bytes] = {}
        names = b"".join(self._cell(m.name) for m in mappings)
        out.write(reader.bom + reader.header_body + names + reader.header_terminator)

    def _cell(self, text: str) -> bytes:
        try:
            return (self.delimiter + _quoted(text, self.delimiter)).encode(self.encoding)
        except UnicodeEncodeError:
            raise CsvError(f'"{text}" cannot be written in {self.encoding}; give --format jsonl or '
                           "convert the file to UTF-8") from None

    def _suffix(self, code: int) -> bytes:
        """The label cells for one combination of outcomes (a mixed-radix code), remembered."""
        parts = []
        rest = code
        for cells in reversed(self.cells):
            rest, position = divmod(rest, len(cells))
            parts.append(cells[position])
        suffix = self._suffixes[code] = b"".join(reversed(parts))
        return suffix

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        combined = np.zeros(len(block), dtype=np.int64)
        for outcome, cells in zip(outcomes, self.cells):
            combined = combined * len(cells) + outcome
        unique, inverse = _small_unique(combined)
        known = self._suffixes
        suffixes = [known.get(code) or self._suffix(code) for code in unique.tolist()]
        which = inverse.tolist()
        if block.blank.any():
            suffixes.append(b"")
            for record in np.flatnonzero(block.blank).tolist():
                which[record] = len(suffixes) - 1
        self.out.write(block.records.with_suffixes(suffixes, which))
        self.out.flush()


def _small_unique(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(codes, return_inverse=True)`` for small non-negative ints, by counting, not sorting."""
    present = np.flatnonzero(np.bincount(codes))
    lookup = np.zeros(int(present[-1]) + 1 if len(present) else 1, dtype=np.intp)
    lookup[present] = np.arange(len(present))
    return present, lookup[codes]


class _TsvWriter(Writer):
    """Tab-separated text in UTF-8, ``\\n`` line endings; cells with a tab, quote or newline quoted."""

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        super().__init__(reader, mappings, out)
        self._line(self.header)

    def _line(self, cells: Iterable[str]) -> None:
        self.out.write(("\t".join(_quoted(c, "\t") for c in cells) + "\n").encode("utf-8"))

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        assert block.fields is not None
        for record, fields in enumerate(block.fields):
            if fields:
                self._line(fields + [labels[o[record]] for labels, o in zip(self.labels, outcomes)])
        self.out.flush()


class _JsonlWriter(Writer):
    """One JSON object per record: the header's names as keys, cells as strings, labels or null."""

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        super().__init__(reader, mappings, out)
        repeated = sorted({name for name in self.header if self.header.count(name) > 1})
        if repeated:
            raise MappingError(f'--format jsonl needs distinct column names; "{repeated[0]}" is repeated')

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        assert block.fields is not None
        names = self.header[: len(self.header) - len(outcomes)]
        new = self.header[len(names):]
        lines = []
        for record, fields in enumerate(block.fields):
            if not fields:
                continue
            item: dict[str, Any] = dict(zip(names, fields))
            if len(fields) > len(names):
                item["_extra"] = fields[len(names):]
            for name, labels, outcome in zip(new, self.labels, outcomes):
                item[name] = labels[outcome[record]] or None
            lines.append(json.dumps(item, ensure_ascii=False) + "\n")
        self.out.write("".join(lines).encode("utf-8"))
        self.out.flush()


def _quoted(text: str, delimiter: str) -> str:
    """A cell as a CSV writer writes it: quoted (quotes doubled) if it holds the delimiter, a quote, CR or LF."""
    if any(c in text for c in (delimiter, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def make_writer(fmt: str, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO) -> Writer:
    if fmt == "csv" or (fmt == "tsv" and reader.delimiter == "\t"):
        return _CsvWriter(reader, mappings, out)
    if fmt == "tsv":
        return _TsvWriter(reader, mappings, out)
    return _JsonlWriter(reader, mappings, out)
