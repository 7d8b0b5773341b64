"""Reading a CSV stream: the header, then blocks of records, each scanned fast where that is
exact and read exactly elsewhere."""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Iterator
from typing import BinaryIO

from rightsband.csvscan import exact, fast
from rightsband.csvscan.dialect import CsvError, _bytewise, _codec_name, ascii_compatible, sniff_delimiter
from rightsband.csvscan.exact import _ESCAPE, _LINE, _LINE_END, _Collected, _unescape
from rightsband.csvscan.fast import _INCOMPLETE, _scan
from rightsband.csvscan.records import Block, Fields
from rightsband.csvscan.source import CHUNK_SIZE, _Source


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
                for at in range(0, len(chunk), fast.SLICE):
                    decoder.decode(view[at : at + fast.SLICE], final=at + fast.SLICE >= len(chunk))
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
            if not exact._CSV_TAKES_NUL and ("\0" in text or _ESCAPE in text):
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
