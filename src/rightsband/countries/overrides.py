"""A user's own matches: a CSV file of ``name,code`` lines (``--countries FILE``), checked line by line."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from typing import Union

from rightsband.countries.names import CountriesError, is_key, is_own_key, normalise

__all__ = ["load_overrides"]

PathLike = Union[str, "os.PathLike[str]"]
_HEADER = ["name", "code"]
_CODE_FIX = (
    "use an ISO 3166-1 alpha-3 code (KAZ), an ISO 3166-3 code (CSHH) or a key of your own starting X- (X-MY-REGION)"
)


def load_overrides(path: PathLike, known: Callable[[str], bool] = lambda code: True) -> dict[str, str]:
    """The ``name -> code`` lines of the CSV file at ``path`` (an optional ``name,code`` header first).

    Codes are upper-cased; a code of ISO shape must satisfy ``known`` (keys starting ``X-`` are the
    user's own and always accepted). Raises CountriesError, one line naming the file, line, value and
    fix, for a file that cannot be read, a line without exactly two fields, an empty name, a code that
    is not one, or a name given two different codes.
    """
    where = os.fspath(path)
    try:
        with open(path, "rb") as file:
            text = file.read().decode("utf-8-sig")
    except OSError as error:
        raise CountriesError(f"{where}: cannot read the countries file ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise CountriesError(f"{where}: not UTF-8 text (byte {error.start + 1}); save the file as UTF-8") from None
    matches: dict[str, str] = {}
    lines: dict[str, tuple[int, str]] = {}
    reader = csv.reader(io.StringIO(text, newline=""))
    for row in reader:
        place = f"{where}, line {reader.line_num}"
        if not any(cell.strip() for cell in row) or (not lines and [c.strip().lower() for c in row] == _HEADER):
            continue
        if len(row) != 2:
            fields = ",".join(row)
            raise CountriesError(f"{place}: {len(row)} fields ({fields!r}); write one name and one code: NAME,CODE")
        name, code = row[0].strip(), row[1].strip().upper()
        if not normalise(name):
            raise CountriesError(f"{place}: no name before the code {code!r}; write NAME,CODE")
        if not is_key(code) or not (is_own_key(code) or known(code)):
            raise CountriesError(f"{place}: {row[1].strip()!r} is not a country code rightsband knows; {_CODE_FIX}")
        first = lines.setdefault(normalise(name), (reader.line_num, code))
        if first[1] != code:
            raise CountriesError(
                f"{place}: {name!r} is {code} here but {first[1]} on line {first[0]}; keep one of the two lines"
            )
        matches.setdefault(name, code)
    return matches
