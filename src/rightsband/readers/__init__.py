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

The path runs one way, down: :func:`open_table` → :mod:`~rightsband.readers.opening` (which
sniffs with :mod:`~rightsband.readers.detect`) → :mod:`~rightsband.readers.compressed` or
:mod:`~rightsband.readers.workbook` → :mod:`~rightsband.readers.streams`, each handing back a
:class:`~rightsband.readers.table.Table`; no module imports one above it.

This package sits low: it imports :mod:`rightsband.values` and :mod:`rightsband.problems`,
nothing that classifies.
"""

from __future__ import annotations

import os
from typing import IO, Any

from rightsband.readers.errors import InputOptionError, UnreadableInput
from rightsband.readers.table import SheetProblem, Table

__all__ = ["InputOptionError", "SheetProblem", "Table", "UnreadableInput", "open_table"]


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
