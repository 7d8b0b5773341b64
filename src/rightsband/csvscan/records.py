"""Records as raw bytes and blocks of them with coded cells; codes of several columns combined."""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from typing import IO, Any, Literal

import numpy as np

#: A code for "this record has no such cell" (blank line, or too few fields).
NO_CELL = -1


#: A block of records up to this size is written with one join; a larger one (a long record)
#: piece by piece, without a copy of it.
JOIN_UP_TO = 16 << 20


#: Which records keep all their cells as text (``Block.fields``): ``never``; ``always``
#: (every block is read by the exact reader); ``unless-plain``: only blocks without a quote,
#: CR or backslash are scanned with NumPy (fields None), every other block is read exactly, with fields.
Fields = Literal["never", "always", "unless-plain"]


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

    def drop_cells(self) -> None:
        """Forget the coded cells (once classified): what is left is what writing the block needs,
        and all that crosses the pipe from the scanning helper process."""
        self._cells = {}

    def text(self, key: Any) -> str:
        """The cell text (unquoted, decoded) of a key from :meth:`cells`."""
        return _key_text(key, self.encoding)

    def line_number(self, record: int) -> int:
        """The input line (1 = the header's first line) on which a record starts."""
        return self.first_line + self._line_starts[record]


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
