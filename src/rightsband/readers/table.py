"""What a reader hands back: a :class:`Table` of CSV bytes, and where a problem found in it sits."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import IO, Any, BinaryIO

from rightsband.problems import Problem
from rightsband.values import visible


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
