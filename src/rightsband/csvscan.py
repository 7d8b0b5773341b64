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
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import select
import stat
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

import numpy as np

DELIMITERS = (",", ";", "\t", "|")
QUOTE = b'"'
CHUNK_SIZE = 4 << 20
#: At most this many records a block, so that memory per block is bounded for short records too.
MAX_RECORDS = 1 << 16
#: A code for "this record has no such cell" (blank line, or too few fields).
NO_CELL = -1

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


def ascii_compatible(encoding: str) -> bool:
    """True if the encoding writes ``,;|"\\t\\r\\n`` and digits as the ASCII bytes (UTF-16 does not)."""
    probe = ',;|"\t\r\n0123456789.-abc'
    try:
        return probe.encode(encoding) == probe.encode("ascii")
    except (LookupError, UnicodeError):
        return False


class Records:
    """The raw records of a block: each body (the bytes before its line ending) and line ending."""

    def __init__(self, bodies: list[bytes], terminators: list[bytes]):
        self._bodies, self.terminators = bodies, terminators

    def __len__(self) -> int:
        return len(self.terminators)

    def bodies(self) -> list[bytes]:
        return self._bodies

    def with_suffixes(self, suffixes: list[bytes], which: list[int]) -> bytes:
        """The records again, with ``suffixes[which[n]]`` inserted before record n's line ending."""
        pieces: list[bytes] = [b""] * (3 * len(self))
        pieces[0::3] = self.bodies()
        pieces[1::3] = map(suffixes.__getitem__, which)
        pieces[2::3] = self.terminators
        return b"".join(pieces)


class _SplitRecords(Records):
    """Records that are exactly the lines of ``data``, all ending in ``ending``; split when first needed
    (by the thread that writes them, not the one that scans)."""

    def __init__(self, data: bytes, ending: bytes, count: int):
        self._data, self._ending, self._count = data, ending, count

    def __len__(self) -> int:
        return self._count

    @property
    def terminators(self) -> list[bytes]:  # type: ignore[override]
        return [self._ending] * self._count

    def bodies(self) -> list[bytes]:
        bodies = self._data.split(self._ending)
        bodies.pop()  # the empty piece after the last line ending
        return bodies

    def with_suffixes(self, suffixes: list[bytes], which: list[int]) -> bytes:
        ended = [suffix + self._ending for suffix in suffixes]
        pieces: list[bytes] = [b""] * (2 * self._count)
        pieces[0::2] = self.bodies()  # interleaved in a list, one join: the fastest way to insert
        pieces[1::2] = map(ended.__getitem__, which)
        return b"".join(pieces)


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

        Equal keys mean equal cells, within a block and across the blocks of one reader.
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
        name = codecs.lookup(encoding).name
        self.encoding = "utf-8" if name == "utf-8-sig" else name  # the BOM is handled here, below
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
        header = next(self._exact(None, columns=(), parse_all=True, limit=1))
        self.header: list[str] = header.fields[0] if header.fields else []
        if not self.header:
            raise CsvError("line 1 is blank: the first line must name the columns")
        self.header_body, self.header_terminator = header.records.bodies()[0], header.records.terminators[0]

    @property
    def from_pipe(self) -> bool:
        """True if the input is a pipe or terminal, where a read may wait for input indefinitely."""
        return self._source.pipe

    def blocks(self, columns: tuple[int, ...], parse_all: bool = False) -> Iterator[Block]:
        """Every record after the header, in blocks of about ``chunk_size`` bytes.

        ``columns`` are the 0-based columns whose cells each block codes; with
        ``parse_all`` every record's cells are also kept as text (for output that
        re-encodes records).
        """
        width = len(self.header)
        while True:
            chunk = self._source.chunk()
            if chunk is None:
                return
            self._check_encoding(chunk)
            block = None if parse_all else _scan(chunk, self._delim_byte, width, columns, self.encoding, self._line)
            if block is None:
                yield from self._exact(chunk, columns, parse_all)
                continue
            block, used, lines = block
            self._source.give_back(chunk[used:])
            self.bytes_read += used
            self._line += lines
            yield block

    def _decode(self, raw: bytes, line: int) -> str:
        try:
            return raw.decode(self.encoding)
        except UnicodeDecodeError as error:
            raise self._decode_error(raw, line, error) from None

    def _check_encoding(self, chunk: bytes) -> None:
        if not chunk.isascii():
            self._decode(chunk, self._line)

    def _decode_error(self, raw: bytes, line: int, error: UnicodeDecodeError) -> CsvError:
        before = raw[: error.start]
        line += before.count(b"\n")
        column = error.start - (before.rfind(b"\n") + 1) + 1
        byte = raw[error.start]
        hint = "" if self.encoding in ("latin-1", "iso8859-1", "cp1252") else \
            "; if the file comes from Excel or an older system, give --encoding latin-1 (or cp1252)"
        return CsvError(f"line {line}, byte {column}: 0x{byte:02x} is not valid {self.encoding}{hint}")

    def _exact(self, chunk: bytes | None, columns: tuple[int, ...], parse_all: bool,
               limit: int | None = None) -> Iterator[Block]:
        """Records read by Python's csv module: the chunk's lines (or, with ``limit``, that many
        records), pulling further lines from the stream while a record is still open."""
        lines: list[bytes] = [] if chunk is None else chunk.splitlines(keepends=True)
        position = 0
        taken: list[bytes] = []

        def feed() -> Iterator[str]:
            nonlocal position
            while True:
                if position < len(lines):
                    raw = lines[position]
                    position += 1
                else:
                    raw = self._source.next_line()
                    if raw is None:
                        return
                taken.append(raw)
                yield self._decode(raw, self._line + len(taken) - 1).replace("\0", _NUL_STAND_IN)

        reader = csv.reader(feed(), delimiter=self.delimiter, strict=False)
        collected = _Collected(columns, parse_all, len(self.header) if limit is None else 0)
        first_line = self._line
        while limit is None or len(collected) < limit:
            if chunk is not None and position >= len(lines):
                break
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise CsvError(f"line {self._line}: {error}") from None
            raw = b"".join(taken)
            collected.add(raw, row, self._line - first_line)
            self.bytes_read += len(raw)
            self._line += len(taken)
            taken.clear()
        if len(collected):
            yield collected.block(first_line)


_NUL_STAND_IN = "\ue000"  # NUL goes through csv as a private-use character (Python 3.10's csv refuses NUL)


class _Collected:
    """Records read by the exact reader, gathered into a Block."""

    def __init__(self, columns: tuple[int, ...], parse_all: bool, width: int):
        self.columns, self.parse_all, self.width = columns, parse_all, width
        self.bodies: list[bytes] = []
        self.terminators: list[bytes] = []
        self.line_starts: list[int] = []
        self.blank: list[bool] = []
        self.ragged: list[tuple[int, int]] = []
        self.fields: list[list[str]] = []
        self.codes: dict[int, list[int]] = {c: [] for c in columns}
        self.uniques: dict[int, dict[str, int]] = {c: {} for c in columns}

    def __len__(self) -> int:
        return len(self.bodies)

    def add(self, raw: bytes, row: list[str], line_offset: int) -> None:
        ending = 2 if raw.endswith(b"\r\n") else 1 if raw.endswith((b"\n", b"\r")) else 0
        body = raw[: len(raw) - ending]
        index = len(self.bodies)
        self.bodies.append(body)
        self.terminators.append(raw[len(body):])
        self.line_starts.append(line_offset)
        if b"\0" in raw:
            row = [cell.replace(_NUL_STAND_IN, "\0") for cell in row]
        self.blank.append(not row)
        if row and len(row) != self.width:
            self.ragged.append((index, len(row)))
        if self.parse_all:
            self.fields.append(row)
        whole = bool(row) and len(row) == self.width
        for column in self.columns:
            if not whole:
                self.codes[column].append(NO_CELL)
                continue
            uniques = self.uniques[column]
            self.codes[column].append(uniques.setdefault(row[column], len(uniques)))

    def block(self, first_line: int) -> Block:
        cells = {c: (np.array(self.codes[c], dtype=np.intp), list(self.uniques[c])) for c in self.columns}
        return Block(Records(self.bodies, self.terminators), first_line, self.line_starts, cells,
                     np.array(self.blank, dtype=bool), self.ragged, self.fields if self.parse_all else None)


def _scan(chunk: bytes, delim: int, width: int, columns: tuple[int, ...], encoding: str,
          first_line: int) -> tuple[Block, int, int] | None:
    """Scan a chunk of whole lines with NumPy; None if it needs the exact reader.

    Returns the block, how many bytes of the chunk it covers (the rest, a quoted
    field still open at the chunk's end, goes back to the stream) and how many lines.
    """
    if width == 0 or b"\0" in chunk:
        return None
    data = np.frombuffer(chunk, dtype=np.uint8)
    if b"\r" in chunk:
        crs = np.flatnonzero(data == 13)
        if not np.all(data[np.minimum(crs + 1, len(data) - 1)] == 10) or crs[-1] + 1 == len(data):
            return None  # a bare CR: a line ending only the exact reader reads as Python does
    quoted = QUOTE in chunk
    wanted = (data == 10) | (data == delim)
    if quoted:
        wanted |= data == 34
    structural = np.flatnonzero(wanted)  # newlines and delimiters (and quotes, to find those inside quotes)
    kinds = data[structural]
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
        return None
    end = int(newlines[-1]) + 1
    structural = structural[: np.searchsorted(structural, end)]
    count = len(newlines)
    if len(structural) != count * width or not is_newline[width - 1 : len(structural) : width].all():
        return None  # some record has another number of fields than the header
    all_newlines = np.flatnonzero(data[:end] == 10) if quoted_newlines else newlines
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
        cells[column] = _factorise(data, lo, hi)
    one_line_each = lines == count
    if one_line_each and (with_cr.all() or not with_cr.any()):
        separator = b"\r\n" if with_cr[0] else b"\n"
        records: Records = _SplitRecords(chunk[:end] if end < len(chunk) else chunk, separator, count)
    else:
        records = Records([chunk[s:e] for s, e in zip(starts.tolist(), body_ends.tolist())],
                          [b"\r\n" if cr else b"\n" for cr in with_cr.tolist()])
    if one_line_each:
        line_starts: list[int] = range(count)  # type: ignore[assignment]
    else:
        line_starts = np.searchsorted(all_newlines, starts).tolist()
    block = Block(records, first_line, line_starts, cells, np.zeros(count, dtype=bool), [], None, encoding)
    return block, end, lines


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


def _factorise(data: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray | list[Any]]:
    """Code the cells ``data[lo:hi]``: equal raw bytes get equal codes and one key.

    A cell of up to 8 bytes is read as one little-endian 64-bit word with the bytes
    past its end zeroed (the chunk holds no NUL, so that is unambiguous): the keys
    are then a sorted uint64 array (an element, as an int, is a key). Longer cells
    are bytes keys. :func:`_key_text` turns a key back into text.
    """
    lengths = hi - lo
    if len(lengths) and lengths.max() <= 8 and len(data) >= 8:
        last = len(data) - 8
        words = np.ndarray((last + 1,), dtype="<u8", buffer=data, strides=(1,))  # the 8 bytes at each offset
        start = np.minimum(lo, last)
        keys = words[start] >> (8 * (lo - start)).astype(np.uint64)
        keys &= _LOW_BYTES[lengths]
        unique, codes = np.unique(keys, return_inverse=True)
        return codes.reshape(-1).astype(np.intp), unique
    width = max(1, int(lengths.max()) if len(lengths) else 1)
    offsets = np.arange(width)
    index = np.minimum(lo[:, None] + offsets, len(data) - 1)
    grid = np.ascontiguousarray(np.where(offsets < lengths[:, None], data[index], 0).astype(np.uint8))
    unique, codes = np.unique(grid.view(np.dtype((np.void, width))).ravel(), return_inverse=True)
    return codes.reshape(-1).astype(np.intp), [bytes(u) for u in unique.tolist()]


#: ``_LOW_BYTES[n]`` keeps the low n bytes of a 64-bit word.
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


def _key_text(key: Any, encoding: str) -> str:
    """The text of a cell from its key: an int or bytes (NUL-padded raw cell) or, from the exact reader, the text."""
    if isinstance(key, str):
        return key
    raw = key.to_bytes(8, "little") if isinstance(key, int) else key
    return _unquote(raw.rstrip(b"\0").decode(encoding))


def _unquote(cell: str) -> str:
    if cell.startswith('"') and cell.endswith('"') and len(cell) >= 2:
        return cell[1:-1].replace('""', '"')
    return cell


class _Source:
    """A byte stream read in chunks of whole lines, with lines handed out one at a time when asked."""

    def __init__(self, stream: BinaryIO, chunk_size: int):
        self._stream, self._chunk_size = stream, chunk_size
        self._buffer = b""
        self._eof = False
        self._read = getattr(stream, "read1", stream.read)
        try:
            fd = stream.fileno()
            self._fd: int | None = None if stat.S_ISREG(os.fstat(fd).st_mode) else fd
        except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
            self._fd = None
        self.pipe = self._fd is not None

    def _fill(self, want: int) -> None:
        """Read until ``want`` bytes are buffered, or the end; from a pipe, only while more is
        waiting once a whole line is in (so records trickling in are labelled as they come)."""
        while not self._eof and len(self._buffer) < want:
            if self._fd is not None and b"\n" in self._buffer and not _ready(self._fd):
                return
            data = self._read(max(want - len(self._buffer), 1 << 16))
            if not data:
                self._eof = True
                return
            self._buffer += data

    def startswith(self, prefix: bytes) -> bool:
        self._fill(len(prefix))
        return self._buffer.startswith(prefix)

    def take(self, size: int) -> bytes:
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def give_back(self, data: bytes) -> None:
        self._buffer = data + self._buffer

    def peek_line(self) -> bytes | None:
        line = self.next_line()
        if line is not None:
            self.give_back(line)
        return line

    def next_line(self) -> bytes | None:
        """One line, with its ending (``\\n``, ``\\r\\n`` or ``\\r``), or None at the end."""
        start = 0
        while True:
            cut = _line_end(self._buffer, start)
            if cut is not None:
                return self.take(cut)
            if self._eof:
                return self.take(len(self._buffer)) or None
            start = max(len(self._buffer) - 1, 0)
            self._fill(len(self._buffer) + 1)

    def chunk(self) -> bytes | None:
        """The next run of whole lines, about ``chunk_size`` bytes (more if a line is longer)."""
        self._fill(self._chunk_size)
        if not self._buffer:
            return None
        while True:
            if self._eof:
                return self.take(len(self._buffer))
            cut = max(self._buffer.rfind(b"\n"), self._buffer.rfind(b"\r", 0, len(self._buffer) - 1))
            if cut >= 0:
                return self.take(cut + 1)
            self._fill(len(self._buffer) + self._chunk_size)


def _line_end(buffer: bytes, start: int) -> int | None:
    """Index just past the first line ending at or after ``start`` (None if no complete one yet)."""
    newline = buffer.find(b"\n", start)
    cr = buffer.find(b"\r", start)
    if cr >= 0 and (newline < 0 or cr < newline):
        if cr + 1 == len(buffer):
            return None  # a CR at the end: a CRLF may be split across reads
        return cr + 2 if buffer[cr + 1 : cr + 2] == b"\n" else cr + 1
    return newline + 1 if newline >= 0 else None


def _ready(fd: int) -> bool:
    """True if more bytes can be read from a pipe right now (so a chunk can grow before work starts)."""
    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return False
