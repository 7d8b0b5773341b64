"""Cards from publishers' files: the panel (:func:`rightsband.panels.build`: layouts recognised, every
row on its country key) as a card's records, one line per measure, a section per publisher.

Each record is one country key and one panel year, with every measure's cells under the measure's
name: its score (``rsf-score``; a composite's inputs, ``fh-status.pr``), rank (``rsf-score.rank``),
published label, year, edition and place (the file's name, sheet and row). The lines are drawn by
the scorecard's own builder, which bands them with the one engine, so nothing here bands. Two rows
of one key, year and measure with different scores are a conflict: the key's card is refused,
naming both, never a silent pick.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rightsband.scorecard.data import CardData, CountryError, Record, year_runs
from rightsband.scorecard.definition import CardDefinition, LineSpec, OriginColumns, Section
from rightsband.values import is_missing

if TYPE_CHECKING:
    from rightsband.panels import Panel, Row
    from rightsband.publishers import Layout
    from rightsband.rules import Rules

__all__ = ["FilesData", "cards_from_files"]


@dataclasses.dataclass
class FilesData(CardData):
    """A panel's records for cards: by country key and year. ``measures`` are each measure's cells (its
    score's first), ``latest`` each measure's latest year in the files, ``each`` whether a card takes those years
    (``--latest``) rather than one year, ``conflicts`` what keeps a key from having a card."""

    measures: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    latest: dict[str, int] = dataclasses.field(default_factory=dict)
    each: bool = False
    conflicts: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    year_notes: ClassVar[dict[str, str]] = {**CardData.year_notes,
                                            "latest": "the latest year in the files for {country}",
                                            "each": "each index's latest edition in the files, as each line says"}
    year_options: ClassVar[str] = "give --year YEAR, or --latest for each index's latest edition"

    def record_text(self, record: Record) -> str:
        return "each line names its sheet and row"

    def record(self, country: str, year: int | None) -> tuple[Record, str]:
        """The country's record for ``year`` (as :meth:`CardData.record`), or with :attr:`each` one holding
        every measure's latest year in the files; CountryError where the country's rows conflict."""
        conflicts = self.conflicts.get(country)
        if conflicts:
            more = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
            raise CountryError(f"{conflicts[0]}{more}; no card for {self.name(country)}: fix the names with "
                               "--countries FILE (name,code lines), or leave one of the files out")
        if not self.each:
            if year is not None and year not in self.years(country):
                raise CountryError(f"{self.name(country)} has no row for {year} in {self.source}; the files have "
                                   f"{self.scored(country)}; {self.year_options}")
            return super().record(country, year)
        records = self.countries[country]
        by_year = {r.year: r for r in records}
        cells = dict(records[-1].cells)
        for measure, year_of in self.latest.items():
            mine = by_year.get(year_of)
            cells.update({c: mine.cells[c] if mine else "" for c in self.measures[measure]})
            cells[_column(measure, "year")] = str(year_of)
        return Record(records[-1].line, "", cells), "each"


    def scored(self, country: str) -> str:
        """The years each measure has a score for the country: ``fh-status 1991–2023, rsf-score 2020``."""
        records = self.countries[country]
        return ", ".join(f"{measure} " + year_runs(sorted({r.year for r in records if r.year is not None
                                                            and not is_missing(r.cells[columns[0]])}))
                         for measure, columns in self.measures.items())


def _column(measure: str, what: str) -> str:
    """The name of a measure's cell in a record: ``rsf-score.rank`` (a measure's name has no dot)."""
    return f"{measure}.{what}"


def cards_from_files(paths: Sequence[str], rules: Rules, *, title: str, countries: str | None = None,
                     latest: bool = False) -> tuple[CardDefinition, FilesData]:
    """The card definition (one line per measure, a section per publisher) and the records of the
    publishers' files at ``paths`` (``latest``: cards take each measure's latest year in the files);
    ``countries`` a CSV of name,code matches. PanelError (one line) for a file that cannot be used."""
    from rightsband.panels import build

    panel = build(paths, countries=countries, rules=rules)
    measures = _measures(panel)
    names = {path: os.path.basename(path) or path for path in paths}
    definition = _definition(measures, [row.measure for row in panel.rows], rules, title)
    data = _records(panel.rows, definition, names)
    data.each = latest
    return definition, data


def _measures(panel: Panel) -> dict[str, tuple[Layout, str]]:
    """Each measure's name in the panel: its layout and band set (or group), the first layout's where
    two layouts have it (Freedom House's two workbooks)."""
    from rightsband.panels.publisher import measure_name

    found: dict[str, tuple[Layout, str]] = {}
    for layout, _ in panel.layouts.values():
        for measure in layout.measures:
            found.setdefault(measure_name(layout, measure.name), (layout, measure.set_id))
    return found


def _definition(measures: dict[str, tuple[Layout, str]], met: Sequence[str], rules: Rules,
                title: str) -> CardDefinition:
    """A section per publisher, a line per measure the rows have, in the order they come."""
    sections: dict[str, list[LineSpec]] = {}
    for measure in dict.fromkeys(met):
        layout, index = measures[measure]
        group = rules.group(index)
        band_set = group.editions[0] if group else rules.get(index)
        columns = tuple(_column(measure, i.name) for i in band_set.inputs) or (measure,)
        origin = OriginColumns(measure, _column(measure, "year"), _column(measure, "edition"),
                               _column(measure, "place"), _short(layout.year_means))
        line = LineSpec(group.name if group else band_set.name, columns, index, rank=_column(measure, "rank"),
                        published=_column(measure, "published"), origin=origin)
        sections.setdefault(layout.publisher, []).append(line)
    return CardDefinition(title, tuple(Section(publisher, tuple(lines)) for publisher, lines in sections.items()))


def _short(means: str) -> str:
    """What a publisher's year means, in a few words: ``year_means`` up to its first parenthesis, colon,
    comma or full stop (``the year under review``)."""
    cut = min((at for mark in "(:,;." if (at := means.find(mark)) > 0), default=len(means))
    return means[:cut].strip()


def _records(rows: Sequence[Row], definition: CardDefinition, names: dict[str, str]) -> FilesData:
    """The rows as records by country key and year, each measure's cells under its name."""
    specs = {spec.origin.measure: spec for spec in definition.lines if spec.origin is not None}
    measures = {measure: _columns_of(spec) for measure, spec in specs.items()}
    blank = {column: "" for columns in measures.values() for column in columns}
    table: dict[str, dict[int, dict[str, str]]] = {}
    firsts: dict[tuple[str, int, str], Row] = {}
    conflicts: dict[str, list[str]] = {}
    latest: dict[str, int] = {}
    for row in rows:
        if row.year is None:
            continue
        key = f"code:{row.code.casefold()}" if row.code else f"name:{row.country.casefold()}"
        first = firsts.setdefault((key, row.year, row.measure), row)
        if first is not row:
            if first.score != row.score:
                conflicts.setdefault(key, []).append(
                    f"{first.country} and {row.country} are both {row.code or row.country} in {row.year}, and "
                    f"{row.measure} is {first.score} in {_place(first.source, names)} but {row.score} in "
                    f"{_place(row.source, names)}")
            continue
        latest[row.measure] = max(latest.get(row.measure, row.year), row.year)
        cells = table.setdefault(key, {}).setdefault(row.year, {**blank, "code": row.code or "",
                                                                "country": row.country})
        spec = specs[row.measure]
        parts = row.score.split(",") if len(spec.columns) > 1 else [row.score]
        if len(parts) != len(spec.columns):  # not one part per input: each shows the cell, which cannot be banded
            parts = [row.score] * len(spec.columns)
        cells.update(zip(spec.columns, parts))
        measure = row.measure
        cells.update({_column(measure, "rank"): row.rank or "", _column(measure, "published"): row.published or "",
                      _column(measure, "year"): str(row.year), _column(measure, "edition"): row.edition,
                      _column(measure, "place"): _place(row.source, names)})
    countries = {key: [Record(n, str(year), {**cells, **_years(specs, year, cells)})
                       for n, (year, cells) in enumerate(sorted(years.items()), start=1)]
                 for key, years in table.items()}
    return FilesData(", ".join(dict.fromkeys(names.values())), ["country"], ["code"], "year", countries, "row",
                     measures=measures, latest=latest, conflicts=conflicts)


def _columns_of(spec: LineSpec) -> tuple[str, ...]:
    origin = spec.origin
    assert origin is not None and spec.rank is not None and spec.published is not None
    return (*spec.columns, spec.rank, spec.published, origin.year, origin.edition, origin.place)


def _years(specs: dict[str, LineSpec], year: int, cells: dict[str, str]) -> dict[str, str]:
    """The year cells of the measures a record lacks: the record's year (their edition is the year's)."""
    return {spec.origin.year: str(year) for spec in specs.values()
            if spec.origin is not None and not cells[spec.origin.year]}


def _place(source: str, names: dict[str, str]) -> str:
    """A row's place with its file's name for the path as given (a card names no home or working folder)."""
    for path, name in names.items():
        if source.startswith(path):
            return name + source[len(path):]
    return source
