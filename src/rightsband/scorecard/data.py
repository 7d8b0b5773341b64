"""The records a scorecard is drawn from: each country's records by year, read from any table rightsband
reads (CSV, compressed CSV, a workbook sheet), keeping only the cells a card uses.

Countries are found by their columns: a header name that reads (as words, as the year column
is found) as a country or territory name (``country``, ``Country/Territory``, ``EN_country``,
``economy``, ``nation``, ``Entity``) or as a code (``iso``, ``iso2``, ``iso3``, ``country_code``,
``ISO3``, ``Code``); ``--country-column`` names the name columns instead (code columns are still found).
A country asked for matches a record when any of those cells is it, ignoring case and
surrounding spaces: ``KZ``, ``kaz`` and ``Kazakhstan`` all find Kazakhstan; else when it and the
records' names match one country key (:class:`~rightsband.countries.CountryMatcher`). Cells are text:
``NA`` is Namibia. A table with names only is grouped by the names' country keys, so a renamed country
(Czech Republic, Czechia) is one country.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from typing import BinaryIO, ClassVar

from rightsband.csvscan import CsvReader
from rightsband.mapping import MappingError, column_position, find_year_column, header_words
from rightsband.values import shown, years_named

__all__ = ["CardData", "ColumnError", "CountryError", "Record", "find_country_columns", "read_card_data", "year_runs"]

_NAME_WORDS = {"country", "countries", "territory", "nation", "economy", "entity"}
_CODE_WORDS = {"iso", "iso2", "iso3", "iso3c", "alpha2", "alpha3", "a2", "a3"}
#: Words that may stand beside a name or code word without making the column something else.
_QUALIFIERS = {"en", "fr", "es", "de", "name", "names", "english", "short", "long", "official", "common", "of", "the"}


class ColumnError(MappingError):
    """A column the card needs that the header lacks; ``option`` is the option that named it (None: a
    ``--column`` or the card file)."""

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.option = option


class CountryError(LookupError):
    """A country the data does not hold, or a country-year held twice: the message says what to do."""


@dataclasses.dataclass(frozen=True)
class Record:
    """One record of the data: its line (or sheet row), year cell, and the cells the card reads."""

    line: int
    year_text: str
    cells: dict[str, str]

    @property
    def year(self) -> int | None:
        """The record's year: the latest year its year cell names, read as every door reads years
        (:func:`~rightsband.values.years_named`: ``2011-12`` gives 2011, ``Nov.1983-Nov.1984`` 1984).
        Which edition the cell picks is the engine's to say (a cell spanning two is a problem)."""
        years = years_named(self.year_text)
        return max(years) if years else None


def find_country_columns(header: Sequence[str]) -> tuple[list[str], list[str]]:
    """The header's country-name columns and country-code columns, in header order.

    A column is a name column when its words are name words (``country``, ``territory``, ``nation``,
    ``economy``, ``entity``) and qualifiers (``en``, ``name``, ``short``, ...) only, and a code column
    when they are code words (``iso``, ``iso3``, ``alpha2``, ...), or ``code`` alone or beside a name
    word. So ``Country/Territory``, ``EN_country`` and ``ISO3`` are found, and ``state_failure``,
    ``economy_status_category_code``, ``region_code`` or ``C/T`` are not.
    """
    names, codes = [], []
    for column in header:
        words = set(header_words(column))
        if not words:
            continue
        if (words & _CODE_WORDS or "code" in words) and words <= _CODE_WORDS | _NAME_WORDS | _QUALIFIERS | {"code"}:
            codes.append(column)
        elif words & _NAME_WORDS and words <= _NAME_WORDS | _QUALIFIERS:
            names.append(column)
    return names, codes


@dataclasses.dataclass
class CardData:
    """Every record's needed cells, grouped by country: by its code where the record has one (a country
    renamed under one code, Turkey and Türkiye, stays one country), else by its name, any case."""

    source: str
    name_columns: list[str]
    code_columns: list[str]
    year_column: str | None
    countries: dict[str, list[Record]]
    place: str = "line"  # what a record's number counts: "line" of a CSV, "row" of a sheet
    #: How a card says why it shows its year, by how the year was chosen (see :meth:`record`).
    year_notes: ClassVar[dict[str, str]] = {"latest": "the latest year in the file for {country}",
                                            "given": "the year asked for", "none": "the data has no year column"}
    #: What a card with most lines missing tells the user to do.
    year_options: ClassVar[str] = "give --year YEAR"

    def record_text(self, record: Record) -> str:
        """Where a card's record is, as the card says it: ``line 26``."""
        return f"{self.place} {record.line}"

    def _cells(self, record: Record, columns: list[str]) -> list[str]:
        return [text for c in columns if (text := record.cells.get(c, "").strip())]

    def _latest(self, country: str) -> Record:
        return max(self.countries[country], key=lambda r: (r.year or 0, r.line))

    def name(self, country: str, record: Record | None = None) -> str:
        """The country's name as ``record`` (default: its latest) writes it, else its code."""
        record = record or self._latest(country)
        return next(iter(self._cells(record, self.name_columns) + self._cells(record, self.code_columns)), country)

    def code(self, country: str, record: Record | None = None) -> str:
        """The country's code as ``record`` (default: its latest) writes it, if the data has a code column."""
        return next(iter(self._cells(record or self._latest(country), self.code_columns)), "")

    def find(self, wanted: str) -> str:
        """The country that ``wanted`` (a name or a code in any of its records, any case) stands for."""
        key = wanted.strip().casefold()
        columns = self.name_columns + self.code_columns
        for country, records in self.countries.items():
            if any(text.casefold() == key for r in records for text in self._cells(r, columns)):
                return country
        code = _matched([wanted]).get(wanted) if key else None
        if code is not None and f"code:{code.casefold()}" in self.countries:
            return f"code:{code.casefold()}"
        aliases = {text: self.name(country) for country, records in self.countries.items()
                   for r in records for text in self._cells(r, columns)}
        close = [name for name in aliases if name.casefold().startswith(key)] if key else []
        close += difflib.get_close_matches(wanted.strip(), list(aliases), n=3, cutoff=0.6) or \
            difflib.get_close_matches(wanted.strip().title(), list(aliases), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(dict.fromkeys(aliases[c] for c in close))}? " if close else ""
        known = sorted(self.name(country) for country in self.countries)
        raise CountryError(f'no country "{shown(wanted)}" in {self.source} (matched against columns '
                           f'{_listed(columns)}); {hint}the countries are: {", ".join(known)}')

    def years(self, country: str) -> list[int]:
        """The years the data has for the country, in order."""
        return sorted({r.year for r in self.countries[country] if r.year is not None})

    def record(self, country: str, year: int | None) -> tuple[Record, str]:
        """The country's record for ``year`` (None: the latest year it has), and how the year was chosen."""
        records, name = self.countries[country], self.name(country)
        if self.year_column is None:
            if len(records) > 1:
                lines = ", ".join(str(r.line) for r in records[:5])
                raise CountryError(f"{name} has {len(records)} records in {self.source} ({self.place}s {lines}) "
                                   "and no year column tells them apart; give --year-column COL")
            return records[0], "given" if year is not None else "none"
        chosen_by = "given"
        if year is None:
            years = self.years(country)
            if not years:
                raise CountryError(f'{name} has no record with a year in column "{self.year_column}" of '
                                   f"{self.source}")
            year, chosen_by = years[-1], "latest"
        found = [r for r in records if r.year == year]
        if not found:
            have = year_runs(self.years(country))
            raise CountryError(f"{name} has no record for {year} in {self.source}; its years are {have}")
        if len(found) > 1:
            lines = ", ".join(str(r.line) for r in found[:5])
            raise CountryError(f"{name} has {len(found)} records for {year} in {self.source} ({self.place}s "
                               f"{lines}); keep one per country and year")
        return found[0], chosen_by

    def of_year(self, year: int | None) -> list[tuple[str, Record]]:
        """Every country's record of ``year`` (each country's only record when there is no year column)."""
        if self.year_column is None:
            return [(country, records[0]) for country, records in self.countries.items() if len(records) == 1]
        return [(country, r) for country, records in self.countries.items() for r in records if r.year == year]


def _listed(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def year_runs(years: Sequence[int]) -> str:
    """Years as runs: ``1991–2003, 2005``."""
    runs: list[list[int]] = []  # years in order
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) or "none"


def read_card_data(stream: BinaryIO, source: str, needed: Sequence[str], *, delimiter: str | None,
                   encoding: str, country_columns: Sequence[str] = (), year_column: str | None = None,
                   find_year: bool = True, first_row: int | None = None) -> CardData:
    """Read the records of ``stream`` (CSV bytes), keeping the country, year and ``needed`` cells.

    ``country_columns`` name the country-name columns (default: found; code columns are found
    either way); ``year_column`` the year
    column (default: found, unless ``find_year`` is false). ``first_row`` is the sheet row of
    the header, for a sheet (records are then placed by sheet row). Raises MappingError for a
    column the header does not have, CsvError for bad CSV.
    """
    reader = CsvReader(stream, delimiter=delimiter, encoding=encoding)
    header = reader.header
    if country_columns:
        _positions(header, country_columns, "--country-column")
        names = list(country_columns)
        codes = [c for c in find_country_columns(header)[1] if c not in names]
    else:
        names, codes = find_country_columns(header)
        if not names and not codes:
            raise ColumnError(f"no column of {source} reads as a country name or code (country, territory, entity, "
                              f"iso, iso3, country_code, code, ...); name it with --country-column; the columns "
                              f"are: {_listed(header)}", "--country-column")
    if year_column is None and find_year:
        year_column = find_year_column(header)
    elif year_column is not None:
        _positions(header, [year_column], "--year-column")
    positions = {**_positions(header, [*names, *codes, *([year_column] if year_column else [])], None),
                 **_positions(header, needed, None)}
    countries: dict[str, list[Record]] = {}
    for block in reader.blocks((), fields="always"):
        for n, fields in enumerate(block.fields or ()):
            if block.blank[n] or not any(f.strip() for f in fields):
                continue
            cells = {column: fields[at] if at < len(fields) else "" for column, at in positions.items()}
            code = next((cells[c].strip() for c in codes if cells[c].strip()), "")
            key = f"code:{code.casefold()}" if code else \
                next((f"name:{cells[c].strip().casefold()}" for c in names if cells[c].strip()), "")
            if not key:
                continue
            line = block.line_number(n)
            if first_row is not None:
                line = first_row + line - 1
            record = Record(line, cells[year_column] if year_column else "", cells)
            countries.setdefault(key, []).append(record)
    if not codes:
        countries = _on_keys(countries, names)
    return CardData(source, names, codes, year_column, _joined(countries, names, codes),
                    "row" if first_row is not None else "line")


def _positions(header: Sequence[str], columns: Sequence[str], option: str | None) -> dict[str, int]:
    try:
        return {column: column_position(header, column) for column in columns}
    except MappingError as error:
        raise ColumnError(str(error), option) from None


def _matched(names: Sequence[str]) -> dict[str, str | None]:
    """Each name's country key (:class:`~rightsband.countries.CountryMatcher`, imported only here:
    country_converter is slow to start), None for a name nothing matches."""
    from rightsband.countries import CountryMatcher

    return CountryMatcher().match(names)


def _on_keys(countries: dict[str, list[Record]], names: list[str]) -> dict[str, list[Record]]:
    """Records of a table without a code column grouped by their names' country keys (so Czech Republic
    and Czechia are one country, and Czechoslovakia another); a name nothing matches stays by itself."""
    named = {key: next(text for r in records for c in names if (text := r.cells[c].strip()))
             for key, records in countries.items()}
    codes = _matched(list(named.values()))
    grouped: dict[str, list[Record]] = {}
    for key, records in countries.items():
        code = codes[named[key]]
        grouped.setdefault(f"code:{code.casefold()}" if code else key, []).extend(records)
    return grouped


def _joined(countries: dict[str, list[Record]], names: list[str], codes: list[str]) -> dict[str, list[Record]]:
    """Records without a code joined to the country whose coded records bear the same name (one such
    country only), so a blank code cell does not make a second country."""
    coded: dict[str, set[str]] = {}
    for key, records in countries.items():
        if key.startswith("code:"):
            for record in records:
                for column in names:
                    coded.setdefault(record.cells[column].strip().casefold(), set()).add(key)
    joined: dict[str, list[Record]] = {}
    for key, records in countries.items():
        owners = coded.get(key.removeprefix("name:"), set()) if key.startswith("name:") else set()
        if len(owners) == 1:
            joined.setdefault(next(iter(owners)), []).extend(records)
        else:
            joined.setdefault(key, []).extend(records)
    return {key: sorted(records, key=lambda r: r.line) for key, records in joined.items()}

