"""How far an input may expand: the longest line, and what a workbook may grow to (see
docs/reference/reading.md, "Workbooks and compressed inputs"). A few kilobytes of compressed
data can hold gigabytes; these bounds keep memory and time bounded whatever the compression ratio.
"""

from __future__ import annotations

import os
import re

from rightsband.readers.errors import InputOptionError

#: The longest line (bytes, its ending aside) read from a CSV input, unless ``RIGHTSBAND_MAX_LINE`` says otherwise.
LINE_LIMIT = 1 << 30
#: The environment variable that sets :data:`LINE_LIMIT` (bytes, or a number with K, M or G: powers of 1024).
LINE_LIMIT_VARIABLE = "RIGHTSBAND_MAX_LINE"
#: The most a part of a workbook openpyxl reads whole (shared strings, styles, the workbook's own XML)
#: may expand to, in bytes.
PART_LIMIT = 256 << 20
#: The most the XML of the sheet read may expand to, in bytes (it is streamed, but all of it is parsed).
SHEET_XML_LIMIT = 2 << 30
#: A sheet's table (its rows times its columns, empty cells included) holds at most this many cells,
#: or :data:`CELLS_PER_FILLED` for every cell that holds something, whichever is more.
SHEET_CELLS = 10_000_000
CELLS_PER_FILLED = 16

_SIZE = re.compile(r"\s*(\d+)\s*([KMG]?)(?:i?B)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def line_limit() -> int:
    """The longest line to read, in bytes: ``$RIGHTSBAND_MAX_LINE`` if set, else :data:`LINE_LIMIT`."""
    value = os.environ.get(LINE_LIMIT_VARIABLE, "")
    if not value:
        return LINE_LIMIT
    match = _SIZE.fullmatch(value)
    if match is None or int(match[1]) == 0:
        raise InputOptionError(f"{LINE_LIMIT_VARIABLE}={value!r} is not a size; give a number of bytes, such as "
                               "1073741824 or 1G (K, M and G are powers of 1024)", LINE_LIMIT_VARIABLE)
    return int(match[1]) * _UNITS[match[2].upper()]


def size_text(size: int) -> str:
    """A size as a reader sees it: ``1 GiB``, ``256 MiB``, ``1,500 bytes``."""
    for unit, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit:,} {name}"
    return f"{size:,} bytes"
