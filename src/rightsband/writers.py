"""Output of ``rightsband label``: the labelled records in the input's own CSV dialect (bytes
copied through), or re-encoded as TSV or JSON Lines.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

import numpy as np

from rightsband.csvscan import Block, CsvError, CsvReader, Fields, combine_codes
from rightsband.formats import tsv_cell
from rightsband.mapping import Mapping, MappingError

OUTPUT_FORMATS = ("csv", "tsv", "jsonl")


class Writer:
    """Writes blocks in one output format; ``fields`` says which blocks it needs every cell of as text."""

    fields: Fields = "always"

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        self.out = out
        self.header = reader.header + [m.name for m in mappings]
        self.labels = [[*m.labels, "", ""] for m in mappings]

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        raise NotImplementedError


class _Suffixes:
    """The label cells of each record as bytes in one dialect and encoding, inserted before its line ending."""

    def __init__(self, labels: list[list[str]], delimiter: str, encoding: str, tsv: bool = False):
        self.delimiter, self.encoding, self.tsv = delimiter, encoding, tsv
        self.cells = [[self.cell(label) for label in outcome_labels] for outcome_labels in labels]

    def cell(self, text: str) -> bytes:
        """One cell with the delimiter before it, quoted where needed (escaped, in TSV output)."""
        try:
            return (self.delimiter + (tsv_cell(text) if self.tsv else _quoted(text, self.delimiter))).encode(
                self.encoding)
        except UnicodeEncodeError:
            raise CsvError(f'"{text}" cannot be written in {self.encoding}; give --format jsonl or '
                           "convert the file to UTF-8") from None

    def write(self, out: BinaryIO, block: Block, outcomes: list[np.ndarray]) -> None:
        """The block's raw records, each with its label cells; blank lines as they are."""
        if len(outcomes) == 1:
            suffixes, which = list(self.cells[0]), outcomes[0].tolist()
        elif outcomes:
            # One suffix per combination of outcomes in the block: combined column by column into
            # codes below the number of records, however many mappings there are.
            codes, holders = combine_codes([(o, len(c)) for o, c in zip(outcomes, self.cells)], len(block))
            rows = np.stack([outcome[holders] for outcome in outcomes], axis=1).tolist()
            suffixes = [b"".join(map(operator.getitem, self.cells, row)) for row in rows]
            which = codes.tolist()
        else:
            suffixes, which = [b""], [0] * len(block)
        if block.blank.any():
            suffixes.append(b"")
            for record in np.flatnonzero(block.blank).tolist():
                which[record] = len(suffixes) - 1
        block.records.write(out, suffixes, which)


class _CsvWriter(Writer):
    """The input's own bytes, dialect and line endings, with the label cells appended."""

    fields: Fields = "never"

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        super().__init__(reader, mappings, out)
        self._suffixes = _Suffixes(self.labels, reader.delimiter, reader.encoding)
        names = b"".join(self._suffixes.cell(m.name) for m in mappings)
        out.write(reader.bom + reader.header_body + names + reader.header_terminator)

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        self._suffixes.write(self.out, block, outcomes)
        self.out.flush()


class _TsvWriter(Writer):
    """Tab-separated text in UTF-8, ``\\n`` line endings; a backslash, tab, LF or CR in a cell
    escaped as :func:`rightsband.formats.tsv_cell` does (the one TSV rule of every command).

    From UTF-8 tab-separated input, a block without a quote, CR or backslash (so every line
    ends in ``\\n`` and no cell needs escaping) is already that: its records are copied
    through, with the label cells added, as the csv writer does. Any other block is re-encoded.
    """

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        super().__init__(reader, mappings, out)
        self._raw = _Suffixes(self.labels, "\t", "utf-8", tsv=True)
        self.fields = "unless-plain" if reader.delimiter == "\t" and reader.encoding == "utf-8" else "always"
        self._line(self.header)

    def _line(self, cells: Iterable[str]) -> None:
        self.out.write(("\t".join(map(tsv_cell, cells)) + "\n").encode("utf-8"))

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        if block.fields is None:  # a plain block of UTF-8 TSV (fields "unless-plain")
            self._raw.write(self.out, block, outcomes)
            self.out.flush()
            return
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
    if fmt == "csv":
        return _CsvWriter(reader, mappings, out)
    if fmt == "tsv":
        return _TsvWriter(reader, mappings, out)
    return _JsonlWriter(reader, mappings, out)
