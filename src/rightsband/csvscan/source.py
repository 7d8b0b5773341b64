"""A byte stream read in chunks of whole lines, or line by line, from a file or a pipe."""

from __future__ import annotations

import io
import os
import select
import stat
from typing import BinaryIO

CHUNK_SIZE = 4 << 20


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
