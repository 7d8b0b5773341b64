"""The publishers' layouts as data: ``publishers.toml`` (beside ``bands.toml``) read into
:class:`Layout` values, and how a layout's column patterns find their columns in a header."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: The shapes a table may have: the first is read column group by column group (wide.py), the
#: others row by row (rows.py).
SHAPES = ("wide-by-edition", "sheet-per-edition", "long", "file-per-year", "wide-time-series")
TAKES = ("first", "last")


class LayoutError(ValueError):
    """A layouts file that cannot be used, or a recognised file that does not read as its layout:
    one line naming the place and what is wrong."""


@dataclass(frozen=True)
class Column:
    """Where a column is: a header ``pattern`` (the first match after the first column matching
    ``after``), a 1-based ``index``, or ``offset`` columns right of the measure's score column."""

    pattern: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    index: int | None = None
    offset: int | None = None

    def matches(self, header: Sequence[str], year: int | None = None) -> list[tuple[int, int | None]]:
        """Every (position, year captured) whose header cell matches; with ``year``, only the
        columns that capture no year or that one."""
        if self.pattern is None:
            return []
        start = 0
        if self.after is not None:
            start = next((i + 1 for i, cell in enumerate(header) if self.after.search(cell)), len(header))
        found = []
        for position in range(start, len(header)):
            match = self.pattern.search(header[position])
            if match:
                captured = match.groupdict().get("year")
                if year is None or captured is None or int(captured) == year:
                    found.append((position, int(captured) if captured else None))
        return found

    def find(self, header: Sequence[str], score: int | None = None, year: int | None = None) -> int | None:
        """The position of this column in ``header`` (0-based), None if it is not there;
        ``score`` is the position an ``offset`` counts from."""
        if self.index is not None:
            return self.index - 1 if self.index <= len(header) else None
        if self.offset is not None:
            return None if score is None else score + self.offset
        found = self.matches(header, year)
        return found[0][0] if found else None


@dataclass(frozen=True)
class Table:
    """A sheet (``sheet`` None: a CSV file) of a layout, its shape and the header that marks it."""

    sheet: re.Pattern[str] | None
    shape: str
    header: tuple[re.Pattern[str], ...]
    kind: str | None
    delimiter: str


@dataclass(frozen=True)
class Measure:
    """One measure: its band set (or group) id, its score column or its inputs' columns, the
    publisher's own label and the rank."""

    name: str
    set_id: str
    score: Column | None
    inputs: tuple[tuple[str, Column], ...]
    published: Column | None
    rank: Column | None


@dataclass(frozen=True)
class Layout:
    """One publisher's file layout (see ``publishers.toml``)."""

    id: str
    publisher: str
    name: str
    year_means: str
    edition_means: str
    tables: tuple[Table, ...]
    country: Column
    code: Column | None
    kind: Column | None
    year: Column | None
    take: str
    minus: int
    edition: Column | None
    edition_from: str
    measures: tuple[Measure, ...]
    refusals: tuple[tuple[re.Pattern[str], str], ...]

    @property
    def is_csv(self) -> bool:
        """Whether the layout is a CSV file (its tables name no sheet)."""
        return self.tables[0].sheet is None


def layouts_path() -> str:
    """The shipped ``publishers.toml``, beside the shipped ``bands.toml`` (in the installed package,
    or at the repo root in a checkout)."""
    from rightsband.rules import builtin_path

    return os.path.join(os.path.dirname(builtin_path()), "publishers.toml")


@cache
def builtin_layouts() -> tuple[Layout, ...]:
    """The layouts of the shipped ``publishers.toml``, in its order (the order recognition tries them)."""
    return load_layouts(layouts_path())


def load_layouts(path: str) -> tuple[Layout, ...]:
    """The layouts of a layouts file; LayoutError naming the file and the place of the first error."""
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except (OSError, ValueError) as error:
        raise LayoutError(f"{path}: {error}") from None
    if data.get("schema") != 1:
        raise LayoutError(f"{path}: schema = 1 expected at the top")
    try:
        return tuple(_layout(entry) for entry in data.get("layout", []))
    except (KeyError, TypeError, ValueError, re.error) as error:
        raise LayoutError(f"{path}: {error}") from None


def _layout(entry: Mapping[str, Any]) -> Layout:
    where = f"layout {entry.get('id', '?')!r}"
    year, edition = entry.get("year", {}), entry.get("edition", {})
    edition_from = "sheet" if edition.get("sheet") else "year" if edition.get("year") else "column"
    take = year.get("take", "first")
    if take not in TAKES:
        raise ValueError(f"{where}: year take {take!r} is not one of {', '.join(TAKES)}")
    tables = tuple(_table(table, where) for table in entry["table"])
    if len({table.sheet is None for table in tables}) != 1:
        raise ValueError(f"{where}: tables are either all sheets or one CSV file")
    return Layout(
        id=entry["id"], publisher=entry["publisher"], name=entry["name"],
        year_means=_text(entry, "year_means", where), edition_means=_text(entry, "edition_means", where),
        tables=tables,
        country=_column(entry.get("country", {"index": 1}), where, "country"),
        code=_optional(entry.get("code"), where, "code"),
        kind=_optional(entry.get("kind"), where, "kind"),
        year=_optional(year.get("column"), where, "year column"),
        take=take, minus=int(year.get("minus", 0)),
        edition=_optional(edition.get("column"), where, "edition column"), edition_from=edition_from,
        measures=tuple(_measure(measure, where) for measure in entry["measure"]),
        refusals=tuple((_pattern(r["cell"]), r["why"]) for r in entry.get("refuse", [])))


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{where}: {key} must say, as text, what the {key.split('_')[0]} means for this publisher")
    return value


def _table(table: Mapping[str, Any], where: str) -> Table:
    if table["shape"] not in SHAPES:
        raise ValueError(f"{where}: shape {table['shape']!r} is not one of {', '.join(SHAPES)}")
    sheet = table.get("sheet")
    return Table(None if sheet is None else _pattern(sheet), table["shape"],
                 tuple(_pattern(p) for p in table["header"]), table.get("kind"), table.get("delimiter", ","))


def _measure(measure: Mapping[str, Any], where: str) -> Measure:
    where = f"{where}, measure {measure.get('name', '?')!r}"
    inputs = tuple((name, _column(spec, where, name)) for name, spec in measure.get("inputs", {}).items())
    score = _optional(measure.get("score"), where, "score")
    if score is None and not inputs:
        raise ValueError(f"{where}: give score or inputs")
    return Measure(measure["name"], measure["set"], score, inputs, _optional(measure.get("published"), where,
                   "published"), _optional(measure.get("rank"), where, "rank"))


def _optional(spec: object, where: str, what: str) -> Column | None:
    return None if spec is None else _column(spec, where, what)


def _column(spec: object, where: str, what: str) -> Column:
    if isinstance(spec, str):
        return Column(_pattern(spec))
    if isinstance(spec, Mapping) and len(spec.keys() & {"header", "index", "offset"}) == 1:
        after = spec.get("after")
        return Column(_pattern(spec["header"]) if "header" in spec else None,
                      None if after is None else _pattern(after), spec.get("index"), spec.get("offset"))
    raise ValueError(f"{where}: the {what} column is a header pattern, or one of header, index, offset")


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)
