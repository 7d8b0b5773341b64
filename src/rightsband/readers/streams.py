"""Byte streams the readers hand on: a stream with its sniffed head put back, read errors turned into
:class:`~rightsband.readers.UnreadableInput`, a stream that refuses a line too long to hold, and
temporary copies that spill to disk.
"""

from __future__ import annotations

import io
import lzma
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from typing import IO, Any, BinaryIO, cast

from rightsband.readers.errors import UnreadableInput
from rightsband.readers.limits import LINE_LIMIT_VARIABLE, size_text

#: A temporary copy (stdin for a zip archive, a rendered sheet) is kept in memory up to this size, then on disk.
SPOOL_BYTES = 16 << 20
#: What a failing read of a damaged compressed stream raises, by library.
READ_ERRORS = (OSError, EOFError, lzma.LZMAError, zlib.error, zipfile.BadZipFile)


class InputStream(io.BufferedIOBase):
    """``prefix`` then the rest of ``inner``, read as the CSV engine reads (``read1``).

    A read that fails (damaged or cut-short compressed data, a disk error) raises
    :class:`UnreadableInput` naming the input. ``fileno`` is offered only with ``pipe``
    (stdin as it is, so the engine can tell records trickling in); a decompressed stream
    has none, since its bytes are not those of any descriptor. ``closing`` are closed with it.
    """

    def __init__(self, inner: IO[bytes], *, name: str, prefix: bytes = b"", what: str = "",
                 pipe: bool = False, closing: tuple[Any, ...] = ()):
        super().__init__()
        self._inner, self._prefix, self._name, self._what = inner, prefix, name, what
        self._read1: Callable[[int], bytes] = getattr(inner, "read1", inner.read)
        self._pipe, self._closing = pipe, closing

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        if not self._pipe:
            raise io.UnsupportedOperation("fileno")
        return self._inner.fileno()

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return self._take(-1) + self._call(self._inner.read, -1)
        if self._prefix:
            return self._take(size)
        return self._call(self._inner.read, size)

    def read1(self, size: int = -1) -> bytes:
        if self._prefix:
            return self._take(size)
        return self._call(self._read1, size if size >= 0 else io.DEFAULT_BUFFER_SIZE)

    def head(self, size: int, at_least: int) -> bytes:
        """The first ``size`` bytes, or what is there once ``at_least`` are in (a pipe may hold a few
        lines now and more later); they are read again from the start."""
        while len(self._prefix) < at_least:
            data = self._call(self._read1, size - len(self._prefix))
            if not data:
                break
            self._prefix += data
        return self._prefix

    def _take(self, size: int) -> bytes:
        data = self._prefix if size < 0 else self._prefix[:size]
        self._prefix = self._prefix[len(data):]
        return data

    def _call(self, read: Callable[[int], bytes], size: int) -> bytes:
        try:
            return read(size)
        except READ_ERRORS as error:
            raise UnreadableInput(damaged(self._name, self._what, error)) from None

    def close(self) -> None:
        if not self.closed:
            for stream in (self._inner, *self._closing):
                stream.close()
        super().close()


class LineLimited(io.BufferedIOBase):
    """``inner`` as it is, but a line (ended by ``\\n``, ``\\r\\n`` or ``\\r``) longer than ``limit`` bytes
    raises :class:`UnreadableInput` as soon as it is read that far, so no reader holds more of it.
    ``fileno`` is ``inner``'s (the CSV engine tells a pipe from a file by it)."""

    def __init__(self, inner: IO[bytes], *, name: str, limit: int):
        super().__init__()
        self._inner, self._name, self._limit = inner, name, limit
        self._read1: Callable[[int], bytes] = getattr(inner, "read1", inner.read)
        self._lines = 0  # line endings read so far
        self._open = 0  # bytes read of the line not yet ended
        self._after_cr = False  # the last byte read was a CR (a LF next ends no further line)

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._inner.fileno()

    def read(self, size: int | None = -1) -> bytes:
        return self._check(self._inner.read(-1 if size is None else size))

    def read1(self, size: int = -1) -> bytes:
        return self._check(self._read1(size if size >= 0 else io.DEFAULT_BUFFER_SIZE))

    def readline(self, size: int | None = -1) -> bytes:
        return self._check(self._inner.readline(-1 if size is None else size))

    def _check(self, data: bytes) -> bytes:
        last = max(data.rfind(b"\n"), data.rfind(b"\r"))
        if last < 0:
            self._open += len(data)
            if self._open > self._limit:
                self._refuse(self._lines + 1)
            return data
        if self._open + last > self._limit:  # a line may end or lie within data past the limit
            self._check_within(data, last)
        self._lines += self._ends(data)
        self._open = len(data) - last - 1
        self._after_cr = data[-1] == 13
        if self._open > self._limit:
            self._refuse(self._lines + 1)
        return data

    def _check_within(self, data: bytes, last: int) -> None:
        """Refuse the line open before ``data``, or one inside it, that is longer than the limit."""
        first = min(at for at in (data.find(b"\n"), data.find(b"\r")) if at >= 0)
        if self._open + first > self._limit:
            self._refuse(self._lines + 1)
        inside = re.compile(b"[^\r\n]{%d}" % (self._limit + 1)).search(data, first, last)
        if inside is not None:
            self._refuse(self._lines + self._ends(data[:inside.start()]) + 1)

    def _ends(self, data: bytes) -> int:
        """The line endings in ``data``, read after what came before it (a CRLF split between reads is one)."""
        split = self._after_cr and data[:1] == b"\n"
        return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") - split

    def _refuse(self, line: int) -> None:
        raise UnreadableInput(f"{self._name}: line {line:,} is longer than {size_text(self._limit)}, the longest line "
                              f"rightsband reads (a compressed file can expand without end); check that this is the "
                              f"CSV meant, or set {LINE_LIMIT_VARIABLE} to a larger size, such as 4G")

    def close(self) -> None:
        if not self.closed:
            self._inner.close()
        super().close()


def damaged(name: str, what: str, error: BaseException) -> str:
    """The message for data that cannot be read to its end."""
    detail = getattr(error, "strerror", None) or str(error) or type(error).__name__
    if isinstance(error, OSError) and not what:
        return f"cannot read {name}: {detail}"
    if isinstance(error, EOFError):
        return f"{name}: the {what} data ends too early ({detail}); the file is cut short: get it again"
    return f"{name}: the {what} data is damaged ({detail}); get the file again"


def spooled(stream: IO[bytes] | InputStream, *, name: str, prefix: bytes = b"") -> BinaryIO:
    """A seekable copy of a stream (a zip archive from stdin), in memory while small, else on disk."""
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - handed to the caller
    try:
        copy.write(prefix)
        shutil.copyfileobj(stream, copy, 1 << 20)
    except READ_ERRORS as error:
        copy.close()
        raise UnreadableInput(damaged(name, "", error)) from None
    copy.seek(0)
    return cast(BinaryIO, copy)


def regular_size(stream: IO[bytes]) -> int | None:
    """The size of a stream on a regular file (which can seek), or None (a pipe, a terminal, memory)."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, AttributeError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) and stream.seekable() else None
