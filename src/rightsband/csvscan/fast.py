"""The fast reader: a chunk of whole lines scanned with NumPy (quote parity, delimiters,
newlines) and its cells coded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rightsband.csvscan.dialect import QUOTE
from rightsband.csvscan.records import Block, Records, _SplitRecords

#: At most this many records a block, so that memory per block is bounded for short records too.
MAX_RECORDS = 1 << 16


#: Cells longer than this many bytes are coded one by one (as bytes), not in a grid of words
#: as wide as the longest cell for every record of the block.
LONG_CELL = 256


#: NumPy goes through a chunk this many bytes at a time, so its temporary arrays stay small.
SLICE = 1 << 20


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
