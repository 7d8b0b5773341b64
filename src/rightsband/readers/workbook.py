"""An ``.xlsx`` sheet as CSV text, each cell as the workbook shows its value.

openpyxl reads the workbook in read-only mode (rows streamed from the sheet's XML,
memory bounded) with ``data_only=True`` (a formula gives its saved value). Cells become:

- numbers: the shortest text that reads back as the same float (``repr``), never an
  exponent, whole numbers without ``.0`` (``53.46``, ``7``, ``0.00001``);
- percent-formatted numbers (``0.0%``) as Excel shows their unit: the value times 100,
  computed on the decimal digits (never in binary floats), and ``%`` (``0.621`` → ``62.1%``).
  All the value's digits are kept: a format's decimal places never round a value away;
- dates as ISO dates (``2023-01-31``), a date with a time as an ISO datetime, times as ISO times;
- booleans ``TRUE`` / ``FALSE``; error values as Excel shows them (``#N/A``); text as it is;
- empty cells, and formulas with no saved value, empty (the latter counted, for one notice).

What a workbook may expand to is bounded (:mod:`~rightsband.readers.limits`): each XML part
openpyxl reads whole (shared strings, styles) at most :data:`~rightsband.readers.limits.PART_LIMIT`
bytes, the sheet's XML at most :data:`~rightsband.readers.limits.SHEET_XML_LIMIT`, checked in the
zip's directory before any is read; and the sheet's cells from A1 to the farthest row and column
read, empty ones included, at most :data:`~rightsband.readers.limits.SHEET_CELLS` or
:data:`~rightsband.readers.limits.CELLS_PER_FILLED` per cell holding something, checked row by
row as they are read. Beyond a bound the workbook is refused in one line.

Rows above the header are left out; every row from the header on becomes one record
(an empty row a record of empty cells), so record N is the sheet's row header + N.
Trailing empty rows, and columns empty in every row kept, are dropped.

**The header row**, unless given: within the first :data:`HEADER_SCAN_ROWS` rows, the
first row that (1) has at least two text cells, text being at least half of its cells;
(2) has a row with something in it below it; and (3) reaches at least as far right as
the next such row. A title (one cell), or a note such as ``Source:`` ``TI`` above a
wider table, is so passed over.
"""

from __future__ import annotations

import csv
import datetime
import functools
import importlib
import io
import itertools
import json
import re
import tempfile
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import IO, Any, BinaryIO, NamedTuple, cast

from rightsband.readers import limits
from rightsband.readers.errors import InputOptionError, UnreadableInput
from rightsband.readers.streams import SPOOL_BYTES

#: The header is looked for within this many rows from the top of the sheet.
HEADER_SCAN_ROWS = 100
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


class Row(NamedTuple):
    """One sheet row: its number (1 = the top row), cells as text (trailing empty ones dropped),
    and how many of them hold text."""

    number: int
    cells: list[str]
    texts: int


class Sheet(NamedTuple):
    """A sheet rendered as CSV: the stream (UTF-8, ``,``, ``\\n``) and its size, which sheet, where
    the header is (and whether it was found or given), the formula cells with no saved value, and the
    hidden sheets passed over before it (none is asked for: the first visible sheet is read)."""

    stream: BinaryIO
    size: int
    name: str
    number: int
    sheets: int
    header_row: int
    header_found: bool
    uncached: int
    first_uncached: str
    hidden_before: tuple[str, ...] = ()


def render(file: BinaryIO, *, name: str, sheet: str | None = None, header_row: int | None = None) -> Sheet:
    """Read one sheet of the workbook in ``file`` (which can seek) into CSV text.

    A workbook openpyxl cannot read, an empty sheet or no header found is
    :class:`UnreadableInput`; ``sheet`` naming no sheet, or ``header_row`` past the
    data, is :class:`InputOptionError`.
    """
    openpyxl: Any = importlib.import_module("openpyxl")  # no type stubs; imported only to read a workbook

    _check_parts(file, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on styles and extensions it skips are not the user's
        try:
            book = openpyxl.load_workbook(file, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file it cannot read; each gets this line
            raise UnreadableInput(_unreadable(name, error)) from None
        formulas = None
        try:
            names = book.sheetnames
            number = _sheet_number(names, sheet, name) if sheet is not None else _first_visible(book, names)
            values = book[names[number]]
            if not hasattr(values, "iter_rows"):
                raise InputOptionError(f'sheet "{names[number]}" of {name} is a chart, not a table; give another '
                                       f"--sheet: {_listed(names)}", "--sheet")
            where = f'sheet "{names[number]}" of {name}'
            _check_sheet_xml(book, values, where)
            if _has_formulas(book, values):
                formulas = openpyxl.load_workbook(file, read_only=True, data_only=False)
            counter = _Uncached()
            rows = _rows(values, None if formulas is None else formulas[names[number]], counter, where)
            header, ahead, found = _header(rows, header_row, where)
            stream, size = _write([header, *ahead], rows)
        except UnreadableInput:
            raise
        except Exception as error:  # a part of the workbook openpyxl cannot parse
            raise UnreadableInput(_unreadable(name, error)) from None
        finally:
            book.close()
            if formulas is not None:
                formulas.close()
    return Sheet(stream, size, names[number], number + 1, len(names), header.number, found, counter.count,
                 counter.first, tuple(names[:number]) if sheet is None else ())


def _unreadable(name: str, error: Exception) -> str:
    detail = str(error).splitlines()[0] if str(error) else type(error).__name__
    return (f"{name} looks like an Excel workbook but cannot be read ({detail}); open it in Excel, save it "
            "again as .xlsx (or as CSV), and try again")


_TOO_BIG = "open it in Excel and save the table as CSV, or check that this is the workbook meant"


def _check_parts(file: BinaryIO, name: str) -> None:
    """Refuse a workbook whose XML parts openpyxl reads whole would expand past
    :data:`~rightsband.readers.limits.PART_LIMIT`, by the sizes in the zip's directory (which
    reading never passes: a member that holds more is damaged)."""
    try:
        with zipfile.ZipFile(cast(IO[bytes], file)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl says what is wrong, in its own line
    finally:
        file.seek(0)
    for part in parts:
        path = part.filename.casefold()
        if path.endswith((".xml", ".rels")) and not path.startswith("xl/worksheets/") \
                and part.file_size > limits.PART_LIMIT:
            raise UnreadableInput(f"{name}: its part {part.filename} expands to {part.file_size:,} bytes, more than "
                                  f"the {limits.size_text(limits.PART_LIMIT)} rightsband reads; {_TOO_BIG}")


def _check_sheet_xml(book: Any, sheet: Any, where: str) -> None:
    """Refuse a sheet whose XML would expand past :data:`~rightsband.readers.limits.SHEET_XML_LIMIT`."""
    archive, path = getattr(book, "_archive", None), getattr(sheet, "_worksheet_path", None)
    if archive is None or path is None:
        return
    size = archive.getinfo(path).file_size
    if size > limits.SHEET_XML_LIMIT:
        raise UnreadableInput(f"{where}: its XML expands to {size:,} bytes, more than the "
                              f"{limits.size_text(limits.SHEET_XML_LIMIT)} rightsband reads; {_TOO_BIG}")


def _listed(names: Sequence[str]) -> str:
    return ", ".join(f'"{n}" ({k})' for k, n in enumerate(names, 1))


def _first_visible(book: Any, names: Sequence[str]) -> int:
    """The place of the first sheet that is not hidden (Excel's first tab); the first sheet if all are."""
    return next((k for k, n in enumerate(names) if getattr(book[n], "sheet_state", "visible") == "visible"), 0)


def _sheet_number(names: Sequence[str], sheet: str, name: str) -> int:
    """The place of the sheet asked for: by name (exact, else case and outer spaces aside), else by
    number counted from 1."""
    if sheet in names:
        return list(names).index(sheet)
    folded = [k for k, n in enumerate(names) if n.strip().casefold() == sheet.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    if sheet.isascii() and sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return int(sheet) - 1
    raise InputOptionError(f'{name} has no sheet "{sheet}"; its sheets are {_listed(names)}: give --sheet with a '
                           "name or number", "--sheet")


def _has_formulas(book: Any, sheet: Any) -> bool:
    """True if the sheet's XML holds a formula (then a second pass tells formulas with no saved value
    from empty cells); True too where openpyxl's parts cannot be reached, to be safe."""
    archive, path = getattr(book, "_archive", None), getattr(sheet, "_worksheet_path", None)
    if archive is None or path is None:
        return True
    tail = b""
    with archive.open(path) as part:
        while chunk := part.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


class _Uncached:
    """Counts formula cells with no saved value, and remembers the first one's place."""

    def __init__(self) -> None:
        self.count, self.first = 0, ""

    def add(self, coordinate: str) -> None:
        self.count += 1
        self.first = self.first or coordinate


def _rows(values: Any, formulas: Any | None, uncached: _Uncached, where: str) -> Iterator[Row]:
    """The sheet's rows as text, from the top; with ``formulas`` (the same sheet read without
    ``data_only``), a formula with no saved value is counted. Past the bound on cells (see the
    module docstring), :class:`UnreadableInput`."""
    values.reset_dimensions()  # a wrong <dimension> in the file must not cut rows short
    value_rows = values.iter_rows()
    formula_rows = None
    if formulas is not None:
        formulas.reset_dimensions()
        formula_rows = formulas.iter_rows()
    width, filled = 0, 0
    for number, row in enumerate(value_rows, 1):
        formula_row = next(formula_rows, ()) if formula_rows is not None else ()
        cells, texts = [], 0
        for cell in row:
            text, is_text = cell_text(cell)
            cells.append(text)
            texts += is_text
            filled += bool(text)
        width = max(width, len(cells))
        if number * width > max(limits.SHEET_CELLS, limits.CELLS_PER_FILLED * filled):
            _too_many_cells(where, number, width, filled)
        for cell, formula in zip(row, formula_row):
            if cell.value is None and getattr(formula, "data_type", None) == "f" and cell.data_type != "str":
                uncached.add(formula.coordinate)
        while cells and not cells[-1]:
            cells.pop()
        yield Row(number, cells, texts)


def _too_many_cells(where: str, rows: int, columns: int, filled: int) -> None:
    letters, rest = "", columns
    while rest:
        rest, digit = divmod(rest - 1, 26)
        letters = chr(ord("A") + digit) + letters
    raise UnreadableInput(
        f"{where} reaches row {rows:,} and column {letters}: {rows * columns:,} cells for "
        f"{filled:,} that hold something, more than rightsband renders (the larger of "
        f"{limits.SHEET_CELLS:,} cells and {limits.CELLS_PER_FILLED} per cell holding something); delete the stray "
        f"cells far from the table, or {_TOO_BIG}")


def cell_text(cell: Any) -> tuple[str, bool]:
    """A cell as the workbook shows it (see the module docstring), and whether it holds text."""
    value = cell.value
    if value is None:
        return "", False
    if isinstance(value, str):
        return value, getattr(cell, "data_type", "s") != "e"
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, (int, float)):
        return number_text(value, percent=is_percent(getattr(cell, "number_format", "General") or "General")), False
    if isinstance(value, datetime.datetime):
        return (value.date().isoformat() if value.time() == datetime.time() else value.isoformat()), False
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat(), False
    if isinstance(value, datetime.timedelta):
        return _duration(value), False
    return str(value), False


def number_text(value: int | float, *, percent: bool = False) -> str:
    """A number as the workbook shows it: the float's shortest repr, no exponent, no ``.0``; with
    ``percent``, times 100 on the decimal digits and ``%``."""
    if isinstance(value, int):
        return str(value * 100 if percent else value) + ("%" if percent else "")
    number = Decimal(repr(value))
    if percent:
        number = number.scaleb(2)
    text = "0" if number == 0 else format(number.normalize(), "f")
    return text + ("%" if percent else "")


@functools.lru_cache(maxsize=256)
def is_percent(number_format: str) -> bool:
    """True if a number format shows percent: a ``%`` outside quotes, escapes and ``[...]``, in its first section."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", number_format)
    return "%" in plain.split(";")[0]


def _duration(value: datetime.timedelta) -> str:
    seconds = value.total_seconds()
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    whole = f"{sign}{int(hours)}:{int(minutes):02d}:{int(seconds):02d}"
    return whole + (f"{seconds % 1:.6f}".lstrip("0").rstrip("0") if seconds % 1 else "")


def _header(rows: Iterator[Row], header_row: int | None, where: str) -> tuple[Row, list[Row], bool]:
    """The header row (given, or found by the rule in the module docstring), the rows below it that
    were looked at to find it (the others are still in ``rows``), and whether it was found."""
    if header_row is not None:
        for row in rows:
            if row.number == header_row:
                if not row.cells:
                    raise InputOptionError(f"row {header_row} of {where} is empty; give the row of the column names "
                                           "as --header-row", "--header-row")
                return row, [], False
        raise InputOptionError(f"{where} has no row {header_row} with anything in it; give the row of the column "
                               "names as --header-row", "--header-row")
    seen: list[Row] = []
    for row in rows:
        seen.append(row)
        if len(seen) > HEADER_SCAN_ROWS:
            break
    at = find_header(seen[:HEADER_SCAN_ROWS])
    if at is None:
        if not any(row.cells for row in seen):
            raise UnreadableInput(f"{where} is empty; give another --sheet")
        raise UnreadableInput(f"no header row found in {where} (a row of at least two column names with data below "
                              "it, within the first 100 rows); give the row of the column names as --header-row N")
    return seen[at], seen[at + 1:], True


def find_header(rows: Sequence[Row]) -> int | None:
    """The place in ``rows`` of the header row by the rule in the module docstring, or None."""
    for at, row in enumerate(rows):
        filled = sum(1 for cell in row.cells if cell)
        if row.texts < 2 or 2 * row.texts < filled:
            continue
        below = next((other for other in rows[at + 1:] if other.cells), None)
        if below is not None and len(row.cells) >= len(below.cells):
            return at
    return None


def _write(first_rows: list[Row], rows: Iterator[Row]) -> tuple[BinaryIO, int]:
    """The header and the rows below it as CSV, in a temporary file: first as JSON lines while the
    width is learnt, then padded to it (so a trailing empty cell is a cell, not a short record)."""
    first = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed below
    width, lead, pending = 0, None, 0
    with first:
        for row in itertools.chain(first_rows, rows):
            width, lead, pending = _keep(first, row, width, lead, pending)
        first.seek(0)
        lead = lead or 0
        out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - handed to the caller
        text = io.TextIOWrapper(cast(IO[bytes], out), encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text, lineterminator="\n")
        padding = [""] * (width - lead)
        for line in first:
            cells = json.loads(line)[lead:]
            writer.writerow(cells + padding[len(cells):])
        text.flush()
        text.detach()
    size = out.tell()
    out.seek(0)
    return cast(BinaryIO, out), size


def _keep(out: IO[bytes], row: Row, width: int, lead: int | None,
          pending: int) -> tuple[int, int | None, int]:
    """Write one row (after the empty rows waiting before it: trailing empty rows are never written)."""
    if not row.cells:
        return width, lead, pending + 1
    out.write(b"[]\n" * pending)
    out.write(json.dumps(row.cells, ensure_ascii=False).encode("utf-8") + b"\n")
    first = next(k for k, cell in enumerate(row.cells) if cell)
    return max(width, len(row.cells)), first if lead is None else min(lead, first), 0
