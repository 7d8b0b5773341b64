"""Output of ``rightsband label``: the labelled records in the input's own CSV dialect (bytes
copied through), or re-encoded as TSV, a JSON array, JSON Lines or an .xlsx workbook.
"""

from __future__ import annotations

import importlib
import json
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO

import numpy as np

from rightsband.csvscan import Block, CsvError, CsvReader, Fields, combine_codes
from rightsband.formats import tsv_cell
from rightsband.mapping import Mapping, MappingError

OUTPUT_FORMATS = ("csv", "tsv", "json", "jsonl", "xlsx")
#: The most rows and columns a worksheet holds (Excel's limits, which openpyxl does not check).
SHEET_ROWS, SHEET_COLUMNS = 1_048_576, 16_384
#: The longest text an Excel cell holds.
CELL_CHARACTERS = 32_767


class Writer:
    """Writes blocks in one output format; ``fields`` says which blocks it needs every cell of as text."""

    fields: Fields = "always"

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        self.out = out
        self.header = reader.header + [m.name for m in mappings]
        self.labels = [[*m.labels, "", ""] for m in mappings]

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the output after the last block (a JSON array's end, a workbook's parts)."""

    def discard(self) -> None:
        """Let go of what the output holds after a failure (the output itself is thrown away)."""

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        """Finish the output after the last block, or discard it after a failure."""
        if kind is None:
            self.close()
        else:
            self.discard()

    def records(self, block: Block, outcomes: list[np.ndarray]) -> Iterator[list[str]]:
        """Each record of the block (blank lines left out) as its cells and then its label cells."""
        assert block.fields is not None
        for record, fields in enumerate(block.fields):
            if fields:
                yield fields + [labels[o[record]] for labels, o in zip(self.labels, outcomes)]


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
        for cells in self.records(block, outcomes):
            self._line(cells)
        self.out.flush()


class _JsonlWriter(Writer):
    """One JSON object per record: the header's names as keys, cells as strings, labels or null;
    one per line (``jsonl``), or the items of one array (``json``)."""

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO, array: bool = False):
        super().__init__(reader, mappings, out)
        self.array, self.count = array, 0
        repeated = sorted({name for name in self.header if self.header.count(name) > 1})
        if repeated:
            fmt = "json" if array else "jsonl"
            raise MappingError(f'--format {fmt} needs distinct column names; "{repeated[0]}" is repeated')

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
            lines.append(json.dumps(item, ensure_ascii=False))
        if lines and self.array:
            self.out.write((("[\n" if not self.count else ",\n") + ",\n".join(lines)).encode("utf-8"))
        elif lines:
            self.out.write(("\n".join(lines) + "\n").encode("utf-8"))
        self.count += len(lines)
        self.out.flush()

    def close(self) -> None:
        if self.array:
            self.out.write(b"[]\n" if not self.count else b"\n]\n")


#: Characters an .xlsx cell cannot hold (XML 1.0 has no C0 controls but tab, LF and CR).
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class _XlsxWriter(Writer):
    """An .xlsx workbook of one sheet (openpyxl in write-only mode: rows go to a temporary file, not
    memory): the header and every record, each cell as text (nothing inferred), an empty one blank.
    A control character no workbook can hold is written as its escape (``\x1b``); a table beyond
    a sheet's rows or columns, or a cell beyond its length, is refused."""

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        super().__init__(reader, mappings, out)
        if len(self.header) > SHEET_COLUMNS:
            raise CsvError(f"{len(self.header):,} columns do not fit in a sheet ({SHEET_COLUMNS:,} at most); "
                           "give --format csv")
        openpyxl: Any = importlib.import_module("openpyxl")  # no type stubs
        self.book = openpyxl.Workbook(write_only=True)
        self.sheet = self.book.create_sheet("labelled")
        self.rows = 0
        self._append(self.header)

    def _append(self, cells: list[str]) -> None:
        self.rows += 1
        if self.rows > SHEET_ROWS:
            raise CsvError(f"the labelled table has more than {SHEET_ROWS:,} rows, the most a sheet holds; "
                           "give --format csv")
        self.sheet.append([_sheet_cell(cell) for cell in cells[:SHEET_COLUMNS]])
        if len(cells) > SHEET_COLUMNS:
            raise CsvError(f"record {self.rows - 1:,} has {len(cells):,} cells, more than a sheet's "
                           f"{SHEET_COLUMNS:,} columns; give --format csv")

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        for cells in self.records(block, outcomes):
            self._append(cells)

    def close(self) -> None:
        self.book.save(self.out)

    def discard(self) -> None:
        self.sheet.close()  # its rows' temporary file is removed at exit (openpyxl)


def _sheet_cell(text: str) -> str | None:
    """A cell as the workbook holds it: None (blank) for empty text, control characters escaped."""
    if not text:
        return None
    if not text.isprintable():
        text = _NOT_IN_XML.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    if len(text) > CELL_CHARACTERS:
        raise CsvError(f"a cell of {len(text):,} characters is longer than a workbook cell holds "
                       f"({CELL_CHARACTERS:,}); give --format csv")
    return text


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
    if fmt == "xlsx":
        return _XlsxWriter(reader, mappings, out)
    return _JsonlWriter(reader, mappings, out, array=fmt == "json")
