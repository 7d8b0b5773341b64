"""Inputs as publishers ship them, as a stream of CSV bytes for the CSV engine.

:func:`open_table` takes a path or a binary stream (stdin) and, by its first bytes
(:mod:`~rightsband.readers.detect`), hands back a :class:`Table`:

- CSV text: the input itself, every byte as it is;
- gzip, bzip2 or xz data, or a zip archive holding one CSV: the decompressed bytes,
  streamed (:mod:`~rightsband.readers.compressed`);
- an ``.xlsx`` workbook: one sheet as CSV text, each cell as the workbook shows it
  (:mod:`~rightsband.readers.workbook`, which imports openpyxl);
- anything else (a PDF, an ``.xls``, a zip of several files, an image, NUL-heavy data):
  :class:`UnreadableInput`, one line saying what it is and what to do.

This package sits low: it imports :mod:`rightsband.values` and :mod:`rightsband.problems`,
nothing that classifies.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from typing import IO, Any, BinaryIO

from rightsband.problems import Problem
from rightsband.readers.errors import InputOptionError, UnreadableInput
from rightsband.values import visible

__all__ = ["InputOptionError", "SheetProblem", "Table", "UnreadableInput", "open_table"]


class SheetProblem(Problem):
    """A problem in a record read from a sheet: ``line`` is the sheet's row number, and says so."""

    __slots__ = ()

    def __str__(self) -> str:
        where = f'row {self.line}, column "{self.column}"' if self.column else f"row {self.line}"
        return visible(f"{where}: {self.message}")


class Table:
    """A table to read: ``stream`` of CSV bytes, what the input is, and how to place what is found in it.

    ``delimiter`` and ``encoding`` are set where the reader decides them (a sheet is
    written as UTF-8 with ``,``), else None (the user's options and the engine's sniffing
    apply). ``size`` is the input's size for a progress bar (0: unknown), and
    :meth:`progress` turns the CSV bytes read into progress on that size. ``first_row``
    is the sheet row of the header, for a sheet; ``notices`` are lines to tell the user.
    """

    def __init__(self, stream: BinaryIO, description: str, *, size: int = 0, delimiter: str | None = None,
                 encoding: str | None = None, first_row: int | None = None, notices: tuple[str, ...] = (),
                 progress: Callable[[int], int] | None = None, closing: tuple[IO[Any], ...] = ()):
        self.stream, self.description, self.size = stream, description, size
        self.delimiter, self.encoding, self.first_row, self.notices = delimiter, encoding, first_row, notices
        self._progress, self._closing = progress, closing

    def progress(self, bytes_read: int) -> int:
        """How far through ``size`` the engine is, once it has read ``bytes_read`` CSV bytes."""
        if self._progress is None:
            return bytes_read
        try:
            return self._progress(bytes_read)
        except (OSError, ValueError):  # the input is already closed
            return self.size

    def row_of(self, record: int) -> int | None:
        """The sheet row of record ``record`` (1 = the first below the header), for a sheet; else None."""
        return None if self.first_row is None else self.first_row + record

    def locate(self, problem: Problem) -> Problem:
        """The problem placed in the input: for a sheet, at the sheet's row rather than the CSV line."""
        row = self.row_of(problem.record) if problem.record else None
        if row is None:
            return problem
        return SheetProblem(row, problem.column, problem.message, problem.record, problem.cell, problem.set_id,
                            problem.kind)

    def close(self) -> None:
        for stream in (self.stream, *self._closing):
            with contextlib.suppress(OSError):
                stream.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_table(source: str | os.PathLike[str] | IO[bytes], *, name: str | None = None, sheet: str | None = None,
               header_row: int | None = None) -> Table:
    """The table in a file (a path) or a binary stream, as CSV bytes; ``name`` names it in messages
    (default: the path, or ``stdin``). ``sheet`` (a name, or a number counted from 1) and
    ``header_row`` (counted from 1) apply to workbooks only.

    Raises :class:`UnreadableInput` for an input that is not a table rightsband reads, and
    :class:`InputOptionError` for a path that cannot be opened, or ``sheet`` or ``header_row``
    that do not fit the input.
    """
    if isinstance(source, (str, os.PathLike)):
        name = name or os.fspath(source)
        try:
            raw: IO[bytes] = open(source, "rb")  # noqa: SIM115 - closed by the Table, or below
        except OSError as error:
            raise InputOptionError(f"cannot read {name!r}: {error.strerror}", "INPUT") from None
        closing: tuple[IO[Any], ...] = (raw,)
    else:
        raw, name, closing = source, name or "stdin", ()
    try:
        from rightsband.readers.opening import open_stream

        return open_stream(raw, name, sheet=sheet, header_row=header_row, closing=closing)
    except BaseException:
        for stream in closing:
            stream.close()
        raise


def regular_size(stream: IO[bytes]) -> int | None:
    """The size of a stream on a regular file (which can seek), or None (a pipe, a terminal, memory)."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, AttributeError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) and stream.seekable() else None
