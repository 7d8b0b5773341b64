"""Find records and cells in raw CSV bytes without rewriting a byte of them.

A CSV input is read in blocks of whole records. Each record is kept as its raw
bytes (``body`` plus its own line ending), so output can copy it through
unchanged; only the cells of the columns asked for are decoded, unquoted and
factorised (each distinct cell text once, with a code per record).

Two readers share that contract. The fast one scans a block with NumPy: the
quote-parity of each newline and delimiter says whether it is structural, and a
block is only scanned this way when every quote sits where RFC 4180 puts it, every
record has the header's number of fields and the block holds no NUL byte or bare
CR. Any other block goes to the exact one, Python's ``csv`` module over the raw
lines, which is what defines the result. Both give the same answer wherever the
fast one applies (a property test checks this).

Memory stays a small multiple of the block, also for one long record: a record
longer than a chunk makes the chunk grow (doubling) until it holds the record,
NumPy works through a chunk in slices, a long cell is coded on its own (not in a
grid as wide as it for every record), and records are spans of one bytes object.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import pickle
import re
import select
import stat
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any, BinaryIO, Literal

import numpy as np

DELIMITERS = (",", ";", "\t", "|")
QUOTE = b'"'
CHUNK_SIZE = 4 << 20
#: At most this many records a block, so that memory per block is bounded for short records too.
MAX_RECORDS = 1 << 16
#: A code for "this record has no such cell" (blank line, or too few fields).
NO_CELL = -1
#: Cells longer than this many bytes are coded one by one (as bytes), not in a grid of words
#: as wide as the longest cell for every record of the block.
LONG_CELL = 256
#: NumPy goes through a chunk this many bytes at a time, so its temporary arrays stay small.
SLICE = 1 << 20
#: A block of records up to this size is written with one join; a larger one (a long record)
#: piece by piece, without a copy of it.
JOIN_UP_TO = 16 << 20

#: Which records keep all their cells as text (``Block.fields``): ``never``; ``always``
#: (every block is read by the exact reader); ``unless-plain``: only blocks without a quote,
#: CR or backslash are scanned with NumPy (fields None), every other block is read exactly, with fields.
Fields = Literal["never", "always", "unless-plain"]

csv.field_size_limit(2**31 - 1)


class CsvError(Exception):
    """Input that cannot be read as CSV at all; the message names the line and the fix."""


def sniff_delimiter(line: str) -> str:
    """The delimiter of a header line: the most frequent of ``, ; tab |`` outside quotes.

    Ties go to the earlier one in that order, and a line with none of them (a
    one-column file) gives a comma, so the choice never depends on anything but
    the header line.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    return best if counts[best] else ","


def _codec_name(encoding: str) -> str:
    """The codec's own name; ``utf-8-sig`` is read as ``utf-8`` (:class:`CsvReader` takes a BOM off itself)."""
    name = codecs.lookup(encoding).name
    return "utf-8" if name == "utf-8-sig" else name


def ascii_compatible(encoding: str) -> bool:
    """True if the encoding writes ``,;|"\\t\\r\\n`` and digits as the ASCII bytes (UTF-16 does not)."""
    probe = ',;|"\t\r\n0123456789.-abc'
    try:
        return probe.encode(_codec_name(encoding)) == probe.encode("ascii")
    except (LookupError, UnicodeError):
        return False


def _bytewise(encoding: str) -> bool:
    """True if a byte below 0x80 is always that ASCII character, wherever it stands: UTF-8, and the
    codecs of one byte per character. Not so in Shift JIS, GBK or Big5 (whose second bytes include
    ``|``) or ISO-2022 (whose characters are ASCII bytes): their bytes are not scanned, only decoded."""
    if encoding == "utf-8":
        return True
    decoder = codecs.getincrementaldecoder(encoding)()
    for byte in range(256):
        try:
            text = decoder.decode(bytes([byte]))
        except UnicodeDecodeError:  # a byte this codec leaves undefined
            decoder.reset()
            continue
        if len(text) != 1 or (byte < 0x80 and text != chr(byte)):
            return False  # part of a longer sequence, or not ASCII
    return True


def combine_codes(columns: Sequence[tuple[np.ndarray, int]], count: int) -> tuple[np.ndarray, np.ndarray]:
    """Code each record's tuple of codes: equal tuples get equal codes ``0..k-1``.

    ``columns`` holds, per column, a code ``0..size-1`` for each of ``count`` records and
    ``size``. Returns the codes and, for each, one record that has it. The codes are
    combined one column at a time and made dense again (``k <= count``) whenever the
    next product could grow past a few times ``count`` (a column of a larger size is
    made dense first), so nothing grows with the product of the sizes, and nothing
    overflows.
    """
    code = np.zeros(count, dtype=np.int64)
    size = 1
    limit = _dense_limit(count)
    for codes, width in columns:
        if width > limit:  # a column coded sparsely: made dense first (then width <= count)
            codes, width = _dense(codes, width)
        if size * width > limit:
            code, size = _dense(code, size)
        code = codes.astype(np.int64) if size == 1 else code * width + codes
        size *= max(width, 1)
    code, size = _dense(code, size)
    holder = np.zeros(size, dtype=np.intp)
    holder[code] = np.arange(count)
    return code, holder


def _dense_limit(count: int) -> int:
    return max(4 * count, 1 << 16)


def _dense(code: np.ndarray, size: int) -> tuple[np.ndarray, int]:
    """The codes renumbered ``0..k-1`` (same order), and k: by a table if ``size`` is small, else by sorting."""
    if size <= _dense_limit(len(code)):
        seen = np.zeros(size, dtype=bool)
        seen[code] = True
        renumber = np.cumsum(seen) - 1
        return renumber[code], int(renumber[-1]) + 1 if size else 0
    unique, inverse = np.unique(code, return_inverse=True)
    return inverse.reshape(-1), len(unique)


class Records:
    """The raw records of a block, as spans of one bytes object: record n is
    ``data[starts[n]:body_ends[n]]`` (its body) and ``data[body_ends[n]:ends[n]]`` (its line ending)."""

    def __init__(self, data: bytes, starts: Sequence[int] | np.ndarray, body_ends: Sequence[int] | np.ndarray,
                 ends: Sequence[int] | np.ndarray):
        self._data = data
        self._starts, self._body_ends, self._ends = (np.asarray(a, dtype=np.intp) for a in (starts, body_ends, ends))

    def __len__(self) -> int:
        return len(self._starts)

    def __reduce__(self) -> tuple[Any, ...]:
        return Records, (_without_tail(self._data, self._end()), self._starts, self._body_ends, self._ends)

    def _end(self) -> int:
        return int(self._ends[-1]) if len(self._ends) else 0

    def bodies(self) -> list[bytes]:
        data = self._data
        return [data[s:e] for s, e in zip(self._starts.tolist(), self._body_ends.tolist())]

    @property
    def terminators(self) -> list[bytes]:
        data = self._data
        return [data[s:e] for s, e in zip(self._body_ends.tolist(), self._ends.tolist())]

    def write(self, out: IO[bytes], suffixes: list[bytes], which: list[int]) -> None:
        """Write the records, with ``suffixes[which[n]]`` inserted before record n's line ending."""
        if self._end() > JOIN_UP_TO:
            _write_pieces(out, self._data, self._starts.tolist(), self._body_ends.tolist(), self._ends.tolist(),
                          suffixes, which)
            return
        pieces: list[bytes] = [b""] * (3 * len(self))
        pieces[0::3] = self.bodies()
        pieces[1::3] = map(suffixes.__getitem__, which)
        pieces[2::3] = self.terminators
        out.write(b"".join(pieces))


class _SplitRecords(Records):
    """Records that are exactly the first ``count`` lines of ``data``, all ending in ``ending``; split
    when first needed (by the process that writes them, not the one that scans)."""

    def __init__(self, data: bytes, ending: bytes, count: int, end: int):
        self._data, self._ending, self._count, self._size = data, ending, count, end

    def __len__(self) -> int:
        return self._count

    def __reduce__(self) -> tuple[Any, ...]:
        return _SplitRecords, (_without_tail(self._data, self._size), self._ending, self._count, self._size)

    @property
    def terminators(self) -> list[bytes]:
        return [self._ending] * self._count

    def bodies(self) -> list[bytes]:
        bodies = self._data.split(self._ending, self._count)
        bodies.pop()  # what follows the last line ending
        return bodies

    def write(self, out: IO[bytes], suffixes: list[bytes], which: list[int]) -> None:
        if self._size > JOIN_UP_TO:
            data, ending, starts = self._data, self._ending, [0]
            for _ in range(self._count):
                starts.append(data.index(ending, starts[-1]) + len(ending))
            ends = starts[1:]
            body_ends = [end - len(ending) for end in ends]
            _write_pieces(out, data, starts[:-1], body_ends, ends, suffixes, which)
            return
        ended = [suffix + self._ending for suffix in suffixes]
        pieces: list[bytes] = [b""] * (2 * self._count)
        pieces[0::2] = self.bodies()  # interleaved in a list, one join: the fastest way to insert
        pieces[1::2] = map(ended.__getitem__, which)
        out.write(b"".join(pieces))


def _without_tail(data: bytes, end: int) -> bytes | pickle.PickleBuffer:
    """``data[:end]`` for pickling, without copying it here."""
    return data if end == len(data) else pickle.PickleBuffer(memoryview(data)[:end])


def _write_pieces(out: IO[bytes], data: bytes, starts: list[int], body_ends: list[int], ends: list[int],
                  suffixes: list[bytes], which: list[int]) -> None:
    """Write records piece by piece, as views of ``data`` (a long record is not copied again)."""
    with memoryview(data) as view:
        for start, body_end, end, suffix in zip(starts, body_ends, ends, which):
            out.write(view[start:body_end])
            out.write(suffixes[suffix])
            if end > body_end:
                out.write(view[body_end:end])


class Block:
    """Consecutive whole records: their raw bytes and, per column asked for, coded cells."""

    __slots__ = ("records", "first_line", "_line_starts", "_cells", "blank", "ragged", "fields", "encoding")

    def __init__(self, records: Records, first_line: int, line_starts: Sequence[int],
                 cells: dict[int, tuple[np.ndarray, np.ndarray | list[Any]]], blank: np.ndarray,
                 ragged: list[tuple[int, int]], fields: list[list[str]] | None, encoding: str = "utf-8"):
        self.records, self.first_line, self.encoding = records, first_line, encoding
        self._line_starts, self._cells = line_starts, cells
        self.blank = blank  # bool per record: a blank line, passed through as it is
        self.ragged = ragged  # (record index, field count) of records whose count is not the header's
        self.fields = fields  # every record's cells as text, when the reader was asked for them

    def __len__(self) -> int:
        return len(self.records)

    def cells(self, column: int) -> tuple[np.ndarray, np.ndarray | list[Any]]:
        """Codes per record (``NO_CELL`` where the record has no such cell) and a key per code.

        Equal cells in a block have equal codes; a key always gives its cell's text
        (:meth:`text`), and equal keys mean equal cells across the blocks of one reader.
        The keys are a sorted uint64 array when every cell fits in a word (see
        :func:`_factorise`), else a list.
        """
        return self._cells[column]

    def text(self, key: Any) -> str:
        """The cell text (unquoted, decoded) of a key from :meth:`cells`."""
        return _key_text(key, self.encoding)

    def line_number(self, record: int) -> int:
        """The input line (1 = the header's first line) on which a record starts."""
        return self.first_line + self._line_starts[record]


class CsvReader:
    """Reads a CSV byte stream: the header when made, then :meth:`blocks` of records.

    The delimiter is the one given or :func:`sniff_delimiter`'s choice from the
    header line; a UTF-8 BOM is taken off the front and kept in ``bom``.
    """

    def __init__(self, stream: BinaryIO, *, delimiter: str | None = None, encoding: str = "utf-8",
                 chunk_size: int = CHUNK_SIZE):
        if not ascii_compatible(encoding):
            raise CsvError(f"--encoding {encoding} is not an ASCII-compatible encoding; "
                           "convert the file to UTF-8 first (e.g. with iconv)")
        self._source = _Source(stream, chunk_size)
        self._chunk_size = max(chunk_size, 1)
        self.encoding = _codec_name(encoding)  # utf-8-sig is utf-8: the BOM is handled here, below
        self._scannable = _bytewise(self.encoding)
        self.bytes_read = 0
        self._line = 1
        self.bom = b""
        if self.encoding == "utf-8" and self._source.startswith(codecs.BOM_UTF8):
            self.bom = self._source.take(len(codecs.BOM_UTF8))
        first = self._source.peek_line()
        if first is None:
            raise CsvError("the input is empty: a CSV needs a header line naming its columns")
        self.delimiter = delimiter if delimiter is not None else sniff_delimiter(self._decode(first, 1))
        self._delim_byte = ord(self.delimiter.encode("ascii"))
        header = next(self._exact(None, columns=(), keep_fields=True, limit=1))
        self.header: list[str] = header.fields[0] if header.fields else []
        if not self.header:
            raise CsvError("line 1 is blank: the first line must name the columns")
        self.header_body, self.header_terminator = header.records.bodies()[0], header.records.terminators[0]

    @property
    def from_pipe(self) -> bool:
        """True if the input is a pipe or terminal, where a read may wait for input indefinitely."""
        return self._source.pipe

    def blocks(self, columns: tuple[int, ...], fields: Fields = "never") -> Iterator[Block]:
        """Every record after the header, in blocks of about ``chunk_size`` bytes.

        ``columns`` are the 0-based columns whose cells each block codes; ``fields``
        says which blocks also keep every record's cells as text (see :data:`Fields`).
        """
        width = len(self.header)
        grown = 0  # the length of a chunk that held no whole record (its last one is longer)
        while True:
            chunk = self._source.chunk(max(self._chunk_size, 2 * grown), longer_than=grown)
            if chunk is None:
                return
            grown = 0
            self._check_encoding(chunk)
            scanned = None if fields == "always" or not self._scannable else _scan(
                chunk, self._delim_byte, width, columns, self.encoding, self._line, plain=fields == "unless-plain")
            if scanned is _INCOMPLETE and not self._source.at_end:
                self._source.give_back(chunk)  # read on until the record ends, then scan it whole
                grown = len(chunk)
                del chunk
                continue
            if not isinstance(scanned, tuple):
                yield from self._exact(chunk, columns, keep_fields=fields != "never")
                continue
            block, used, lines = scanned
            if used < len(chunk):
                self._source.give_back(chunk[used:])
            del chunk
            self.bytes_read += used
            self._line += lines
            yield block

    def _decode(self, raw: bytes | memoryview, line: int) -> str:
        try:
            return str(raw, self.encoding)
        except UnicodeDecodeError as error:
            raise self._decode_error(bytes(raw), line, error) from None

    def _check_encoding(self, chunk: bytes) -> None:
        """Raise CsvError if the chunk does not decode; slice by slice, so that the text is never all there."""
        if chunk.isascii():
            return
        decoder = codecs.getincrementaldecoder(self.encoding)()
        try:
            with memoryview(chunk) as view:
                for at in range(0, len(chunk), SLICE):
                    decoder.decode(view[at : at + SLICE], final=at + SLICE >= len(chunk))
        except UnicodeDecodeError:
            self._decode(chunk, self._line)  # the whole chunk, for the error's line and byte
            raise  # pragma: no cover - a chunk that does not decode in slices does not decode whole either

    def _decode_error(self, raw: bytes, line: int, error: UnicodeDecodeError) -> CsvError:
        before = raw[: error.start]
        line += len(_LINE_END.findall(before))
        column = error.start - max(before.rfind(b"\n"), before.rfind(b"\r"))  # 1 = the line's first byte
        byte = raw[error.start]
        hint = "" if self.encoding in ("latin-1", "iso8859-1", "cp1252") else \
            "; if the file comes from Excel or an older system, give --encoding latin-1 (or cp1252)"
        return CsvError(f"line {line}, byte {column}: 0x{byte:02x} is not valid {self.encoding}{hint}")

    def _exact(self, chunk: bytes | None, columns: tuple[int, ...], keep_fields: bool,
               limit: int | None = None) -> Iterator[Block]:
        """Records read as Python's csv module reads them: the chunk's lines (or, with ``limit``,
        that many records), pulling further lines from the stream while a record is still open.

        A record whose first line has no quote is that line split at the delimiter (which is
        what the csv module makes of it, without its copies of a long line); any other goes
        through the csv module.
        """
        data = chunk or b""
        view = memoryview(data)
        spans = _LINE.finditer(data)
        position = 0  # in data, then on into the lines pulled from the stream
        extra: list[bytes] = []  # the lines pulled from the stream, after data
        first_line = self._line
        consumed = 0  # lines read
        ending = 0  # the length of the line ending of the last line read
        escaped = False  # a line of the current record went through the csv module escaped

        def next_text() -> str | None:
            nonlocal position, consumed, ending
            raw: bytes | memoryview
            if position < len(data):
                span = next(spans).span()
                raw = view[span[0] : span[1]]
            else:
                line = self._source.next_line()
                if line is None:
                    return None
                extra.append(line)
                raw = line
            position += len(raw)
            ending = 2 if raw[-2:] == b"\r\n" else 1 if raw[-1:] in (b"\n", b"\r") else 0
            text = self._decode(raw, first_line + consumed)
            consumed += 1
            return text

        def for_csv(text: str) -> str:
            nonlocal escaped
            if not _CSV_TAKES_NUL and ("\0" in text or _ESCAPE in text):
                escaped = True
                return text.replace(_ESCAPE, _ESCAPE + _ESCAPE).replace("\0", _ESCAPE + "0")
            return text

        def more() -> Iterator[str]:
            while (text := next_text()) is not None:
                yield for_csv(text)

        more_lines = more()
        collected = _Collected(columns, keep_fields, len(self.header) if limit is None else 0)
        start = 0
        delimiter = self.delimiter
        text: str | None = None
        row: list[str] = []
        while limit is None or len(collected) < limit:
            if chunk is not None and position >= len(data):
                break
            text = next_text()
            if text is None:
                break
            if '"' not in text:
                row = text.split(delimiter) if len(text) > ending else []
                if row and ending:
                    row[-1] = row[-1][:-ending]
            else:
                reader = csv.reader(itertools.chain((for_csv(text),), more_lines), delimiter=delimiter, strict=False)
                try:
                    row = next(reader)
                except csv.Error as error:
                    raise CsvError(f"line {self._line}: {error}") from None
                if escaped:
                    row = [_unescape(cell) for cell in row]
                    escaped = False
            collected.add(start, position - ending, position, row, self._line - first_line)
            self.bytes_read += position - start
            self._line = first_line + consumed
            start = position
        text, row = None, []  # not kept while the block is used: a long line may be large
        view.release()
        if len(collected):
            yield collected.block(b"".join([data, *extra]) if extra else data, first_line)


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


class _Incomplete:
    """What :func:`_scan` gives for a chunk that holds no whole record (its first is longer)."""


_INCOMPLETE = _Incomplete()


def _scan(chunk: bytes, delim: int, width: int, columns: tuple[int, ...], encoding: str, first_line: int,
          plain: bool = False) -> tuple[Block, int, int] | _Incomplete | None:
    """Scan a chunk of whole lines with NumPy; None if it needs the exact reader.

    Returns the block, how many bytes of the chunk it covers (the rest, a quoted
    field still open at the chunk's end, goes back to the stream) and how many lines;
    or ``_INCOMPLETE`` if the chunk ends before its first record does. ``plain``:
    only a chunk without a quote or CR is scanned.
    """
    if width == 0 or b"\0" in chunk:
        return None
    quoted = QUOTE in chunk
    has_cr = b"\r" in chunk
    if plain and (quoted or has_cr or b"\\" in chunk):
        return None
    data = np.frombuffer(chunk, dtype=np.uint8)
    if has_cr:
        crs = _positions(data, (13,))
        if crs[-1] + 1 == len(data) or not np.all(data[crs + 1] == 10):
            return None  # a bare CR: a line ending only the exact reader reads as Python does
    structural = _positions(data, (10, delim, 34) if quoted else (10, delim))
    kinds = data[structural]  # newlines and delimiters (and quotes, to find those inside quotes)
    quoted_newlines = False
    if quoted:
        is_quote = kinds == 34
        if not _quotes_in_place(data, structural[is_quote], delim):
            return None
        outside = np.bitwise_xor.accumulate(is_quote.view(np.uint8)) == 0  # an even number of quotes before
        quoted_newlines = bool(np.any(kinds[~outside] == 10))
        outside &= ~is_quote
        structural, kinds = structural[outside], kinds[outside]
    is_newline = kinds == 10
    newlines = structural[is_newline][:MAX_RECORDS]
    if len(newlines) == 0:
        return _INCOMPLETE
    end = int(newlines[-1]) + 1
    structural = structural[: np.searchsorted(structural, end)]
    count = len(newlines)
    if len(structural) != count * width or not is_newline[width - 1 : len(structural) : width].all():
        return None  # some record has another number of fields than the header
    all_newlines = _positions(data[:end], (10,)) if quoted_newlines else newlines
    lines = len(all_newlines)
    starts = np.empty(count, dtype=np.intp)
    starts[0] = 0
    starts[1:] = newlines[:-1] + 1
    with_cr = data[np.maximum(newlines - 1, 0)] == 13
    body_ends = newlines - with_cr
    if np.any(body_ends == starts):
        return None  # a blank line
    grid = structural.reshape(count, width)
    cells: dict[int, tuple[np.ndarray, np.ndarray | list[Any]]] = {}
    for column in columns:
        lo = starts if column == 0 else grid[:, column - 1] + 1
        hi = body_ends if column == width - 1 else grid[:, column]
        cells[column] = _factorise(chunk, data, lo, hi)
    one_line_each = lines == count
    if len(chunk) - end > end:  # most of the chunk goes back to the stream: keep only the records
        chunk = chunk[:end]
    records: Records
    if one_line_each and (with_cr.all() or not with_cr.any()):
        records = _SplitRecords(chunk, b"\r\n" if with_cr[0] else b"\n", count, end)
    else:
        records = Records(chunk, starts, body_ends, newlines + 1)
    if one_line_each:
        line_starts: Sequence[int] = range(count)
    else:
        line_starts = np.searchsorted(all_newlines, starts).tolist()
    block = Block(records, first_line, line_starts, cells, np.zeros(count, dtype=bool), [], None, encoding)
    return block, end, lines


def _positions(data: np.ndarray, values: tuple[int, ...]) -> np.ndarray:
    """The sorted positions of the bytes in ``values``, found a slice at a time (small temporaries)."""
    parts = []
    for at in range(0, len(data), SLICE):
        part = data[at : at + SLICE]
        mask = part == values[0]
        for value in values[1:]:
            mask |= part == value
        found = np.flatnonzero(mask)
        if at:
            found += at
        parts.append(found)
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)


def _quotes_in_place(data: np.ndarray, quotes: np.ndarray, delim: int) -> bool:
    """True if every quote opens a field, closes one, or is half of a doubled quote inside one.

    Then quote parity gives exactly the structure Python's csv module reads.
    """
    size = len(data)
    opening, closing = quotes[0::2], quotes[1::2]
    before = data[np.maximum(opening - 1, 0)]
    after_close = np.zeros(len(opening), dtype=bool)
    after_close[1:] = opening[1:] - 1 == closing[: len(opening) - 1]
    opens_ok = (opening == 0) | (before == delim) | (before == 10) | after_close
    if not opens_ok.all():
        return False
    if len(closing) < len(opening):
        return True  # the last field is still open: the chunk ends inside it
    after = data[np.minimum(closing + 1, size - 1)]
    closes_ok = (closing + 1 == size) | (after == delim) | (after == 10) | (after == 13) | (after == 34)
    return bool(closes_ok.all())


def _factorise(chunk: bytes, data: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray,
                                                                                       np.ndarray | list[Any]]:
    """Code the cells ``data[lo:hi]``: equal raw bytes get equal codes and one key.

    When every cell has up to 8 bytes, each is read as one little-endian 64-bit word
    with the bytes past its end zeroed (the chunk holds no NUL, so that is
    unambiguous): the keys are then a sorted uint64 array (an element, as an int, is a
    key). Otherwise the keys are the cells' raw bytes: cells of up to ``LONG_CELL``
    bytes are coded together as rows of words, longer ones one by one, so a long cell
    costs its own length once, not once per record. :func:`_key_text` turns a key
    back into text.
    """
    lengths = hi - lo
    if len(data) < 8:  # every cell is read as whole words
        data = np.concatenate([data, np.zeros(8, dtype=np.uint8)])
    words = np.ndarray((len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))  # the 8 bytes at each offset
    if not len(lengths) or lengths.max() <= 8:
        unique, codes = np.unique(_words_at(words, lo, lengths), return_inverse=True)
        return codes.reshape(-1).astype(np.intp), unique
    codes = np.empty(len(lo), dtype=np.intp)
    keys: list[Any] = []
    long = lengths > LONG_CELL
    short = np.flatnonzero(~long)
    if len(short):
        lo_short, lengths_short = lo[short], lengths[short]
        count = (int(lengths_short.max()) + 7) // 8
        rows = np.empty((len(short), count), dtype="<u8")
        for n in range(count):
            rows[:, n] = _words_at(words, lo_short + 8 * n, lengths_short - 8 * n)
        unique, inverse = np.unique(rows.view(np.dtype((np.void, 8 * count))).ravel(), return_inverse=True)
        codes[short] = inverse.reshape(-1)
        keys = [bytes(row).rstrip(b"\0") for row in unique.tolist()]
    seen: dict[bytes, int] = {}
    for record, start, stop in zip(np.flatnonzero(long).tolist(), lo[long].tolist(), hi[long].tolist()):
        codes[record] = len(keys) + seen.setdefault(chunk[start:stop], len(seen))
    keys += seen
    return codes, keys


def _words_at(words: np.ndarray, at: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The ``lengths`` (clipped to 0..8) bytes at each offset ``at`` as little-endian words, zero-padded."""
    last = len(words) - 1
    start = np.minimum(at, last)
    keys: np.ndarray = words[start] >> (8 * (at - start)).astype(np.uint64)
    keys &= _LOW_BYTES[np.clip(lengths, 0, 8)]
    return keys


#: ``_LOW_BYTES[n]`` keeps the low n bytes of a 64-bit word.
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


def _key_text(key: Any, encoding: str) -> str:
    """The text of a cell from its key: an int or bytes (the raw cell) or, from the exact reader, the text."""
    if isinstance(key, str):
        return key
    raw = key.to_bytes(8, "little").rstrip(b"\0") if isinstance(key, int) else key
    return _unquote(raw.decode(encoding))


def _unquote(cell: str) -> str:
    if cell.startswith('"') and cell.endswith('"') and len(cell) >= 2:
        return cell[1:-1].replace('""', '"')
    return cell


class _Source:
    """A byte stream read in chunks of whole lines, with lines handed out one at a time when asked.

    The unread bytes are ``_buffer[_start:]``: handing out bytes moves ``_start`` (never
    copies what is left), and reads are joined once per fill, growing geometrically while
    a line is longer, so that a long record costs no more than a few copies of it.
    """

    def __init__(self, stream: BinaryIO, chunk_size: int):
        self._stream, self._chunk_size = stream, max(chunk_size, 1)
        self._buffer = b""
        self._start = 0
        self._no_newline_before = 0  # the buffer holds no \n before this position
        self._eof = False
        self._read = getattr(stream, "read1", stream.read)
        try:
            fd = stream.fileno()
            self._fd: int | None = None if stat.S_ISREG(os.fstat(fd).st_mode) else fd
        except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
            self._fd = None
        self.pipe = self._fd is not None

    @property
    def at_end(self) -> bool:
        return self._eof and self._start == len(self._buffer)

    def _buffered(self) -> int:
        return len(self._buffer) - self._start

    def _fill(self, want: int, need: int = 1) -> None:
        """Read until ``want`` bytes are buffered, or the end; from a pipe, once ``need`` bytes and
        a whole line are in, only while more is waiting (so records trickling in are labelled as they come)."""
        if self._eof or self._buffered() >= want:
            return
        pieces = [self._buffer[self._start :]] if self._start else [self._buffer]
        size = len(pieces[0])
        self._no_newline_before = max(self._no_newline_before - self._start, 0)
        while size < want:
            if self._fd is not None and size >= need and self._has_newline(pieces) and not _ready(self._fd):
                break
            data = self._read(max(want - size, 1 << 16))
            if not data:
                self._eof = True
                break
            pieces.append(data)
            size += len(data)
        self._buffer = pieces[0] if len(pieces) == 1 else b"".join(pieces)
        self._start = 0

    def _has_newline(self, pieces: list[bytes]) -> bool:
        """True if the pieces read so far hold a \n (each is searched once)."""
        if self._no_newline_before >= 0:
            offset = 0
            for piece in pieces:
                end = offset + len(piece)
                if end > self._no_newline_before and piece.find(b"\n", max(self._no_newline_before - offset, 0)) >= 0:
                    self._no_newline_before = -1  # found: until the buffer changes
                    break
                offset = end
            else:
                self._no_newline_before = offset
        return self._no_newline_before < 0

    def startswith(self, prefix: bytes) -> bool:
        self._fill(len(prefix), len(prefix))
        return self._buffer.startswith(prefix, self._start)

    def take(self, size: int) -> bytes:
        start, buffer = self._start, self._buffer
        size = min(size, len(buffer) - start)
        self._start += size
        self._no_newline_before = 0
        if self._start == len(buffer):
            self._buffer, self._start = b"", 0
            if start == 0:
                return buffer  # all of it: no copy
        data = buffer[start : start + size]
        if self._start > len(buffer) // 2:  # let go of what has been handed out (copying less than it)
            self._buffer, self._start = buffer[self._start :], 0
        return data

    def give_back(self, data: bytes) -> None:
        self._buffer = data + self._buffer[self._start :]
        self._start = 0
        self._no_newline_before = 0

    def peek_line(self) -> bytes | None:
        line = self.next_line()
        if line is not None:
            self.give_back(line)
        return line

    def next_line(self) -> bytes | None:
        """One line, with its ending (``\\n``, ``\\r\\n`` or ``\\r``), or None at the end."""
        searched = 0  # relative to the start: no whole line ending before this
        while True:
            cut = _next_line_end(self._buffer, self._start + searched, self._eof)
            if cut >= 0:
                return self.take(cut - self._start)
            if self._eof:
                return self.take(self._buffered()) or None
            buffered = self._buffered()
            searched = max(buffered - 1, 0)
            self._fill(max(2 * buffered, buffered + (1 << 16)), buffered + 1)

    def chunk(self, size: int, longer_than: int = 0) -> bytes | None:
        """The next run of whole lines: those that end within ``size`` bytes (the first line,
        if it is longer), and longer than ``longer_than`` bytes unless the input ends first;
        None at the end. (With ``longer_than``, a pipe is read until ``size`` bytes are in.)"""
        want = max(size, longer_than + 1)
        self._fill(want, want if longer_than else 1)
        if not self._buffered():
            return None
        if self._eof and self._buffered() <= want:
            return self.take(self._buffered())
        cut = _last_line_end(self._buffer, self._start + longer_than, self._start + want, self._eof)
        searched = max(longer_than, min(want, self._buffered()) - 1)  # relative to the start
        while cut < 0:  # no line ends within want bytes: the first one after them
            cut = _next_line_end(self._buffer, self._start + searched, self._eof)
            if cut < 0:
                if self._eof:
                    return self.take(self._buffered())
                buffered = self._buffered()
                searched = max(buffered - 1, searched)
                self._fill(max(2 * buffered, buffered + self._chunk_size), buffered + 1)
        return self.take(cut - self._start)


def _next_line_end(buffer: bytes, at: int, eof: bool) -> int:
    """The end of the first line ending at or after ``at``, or -1 if there is none yet (a CR at the
    very end of the buffer may be half a CRLF, so it counts only at the end of the input)."""
    newline = buffer.find(b"\n", at)
    cr = buffer.find(b"\r", at, newline if newline >= 0 else len(buffer))
    if cr < 0:
        return newline + 1 if newline >= 0 else -1
    if cr + 1 < len(buffer):
        return cr + 2 if buffer[cr + 1] == 10 else cr + 1
    return cr + 1 if eof else -1


def _last_line_end(buffer: bytes, lo: int, hi: int, eof: bool) -> int:
    """The end of the last line ending that starts in ``buffer[lo:hi]`` (a CRLF may end one past
    ``hi``), or -1. A CR at the very end of the buffer counts only at the end of the input."""
    hi = min(hi, len(buffer))
    while hi > lo:
        at = max(buffer.rfind(b"\n", lo, hi), buffer.rfind(b"\r", lo, hi))
        if at < 0:
            return -1
        if buffer[at] == 10:
            return at + 1
        if at + 1 < len(buffer):
            return at + 2 if buffer[at + 1] == 10 else at + 1
        if eof:
            return at + 1
        hi = at  # a CR that may be half a CRLF: look before it
    return -1


def _ready(fd: int) -> bool:
    """True if more bytes can be read from a pipe right now (so a chunk can grow before work starts)."""
    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return False
