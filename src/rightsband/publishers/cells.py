"""Opening a publisher's file: a workbook's sheets as rows of values (openpyxl, read-only), a CSV
as rows of text (decoded BOM/UTF-8 else Windows-1252, any line end), and cells as written."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rightsband.readers.workbook import number_text
from rightsband.values import is_missing, years_named

#: One row as read: workbook values (str, int, float, None, ...) or CSV text.
Row = Sequence[object]
#: The text of each float met, up to :data:`REMEMBERED_FLOATS` of them (then each is written anew).
_FLOAT_TEXTS: dict[object, str] = {}
REMEMBERED_FLOATS = 1 << 16
_TWO_DIGIT_TAIL = re.compile(r"(\d{4})\s*[-–/]\s*(\d{2})\s*$")


def is_workbook(path: str) -> bool:
    """Whether ``path`` is a zip archive holding a workbook (an ``.xlsx``), by its content."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return "xl/workbook.xml" in archive.namelist()


@contextmanager
def workbook(path: str) -> Iterator[Any]:
    """The workbook at ``path`` opened read-only with cached values (closed on leaving); opened
    from its bytes, so that any file name will do."""
    import importlib
    import warnings

    openpyxl: Any = importlib.import_module("openpyxl")  # no type stubs
    with open(path, "rb") as file:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Conditional Formatting extension is not supported": not read here
            book = openpyxl.load_workbook(file, read_only=True, data_only=True)
        try:
            yield book
        finally:
            book.close()


def sheet_rows(book: Any, name: str) -> Iterator[Row]:
    """The rows of sheet ``name`` as tuples of values, read once."""
    rows: Iterator[Row] = book[name].iter_rows(values_only=True)
    return rows


def decode(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (a BOM dropped) if they are UTF-8, else Windows-1252, as the
    publishers' downloads come."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_rows(text: str, delimiter: str) -> Iterator[Row]:
    """The rows of CSV ``text`` (lines ended by LF, CRLF or a bare CR)."""
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def text(value: object) -> str:
    """A cell as the file writes it: text as is, a number without float noise or ``.0``, empty for none."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if type(value) is float:  # each distinct float written once (a float never equals another one with other text)
        known = _FLOAT_TEXTS.get(value)
        if known is None:
            known = number_text(value)
            if len(_FLOAT_TEXTS) < REMEMBERED_FLOATS:
                _FLOAT_TEXTS[value] = known
        return known
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value)
    return str(value)


def missing(value: object) -> bool:
    """Whether a cell holds no value: empty, ``-``, ``n/a``, ``NA``, ``..``."""
    return value is None or is_missing(text(value))


def year_of(value: object, take: str) -> int | None:
    """The year a year cell names (None if none): of several (``Jan.1981-Aug. 1982``), the
    first or the last (``take``); a two-digit tail counts in its century (``2011-12``: 2012)."""
    years = years_named(value)
    if not years:
        return None
    if take == "last":
        tail = _TWO_DIGIT_TAIL.search(text(value))
        if tail:
            start = int(tail.group(1))
            end = start - start % 100 + int(tail.group(2))
            return end if end >= start else end + 100
    return years[-1] if take == "last" else years[0]
