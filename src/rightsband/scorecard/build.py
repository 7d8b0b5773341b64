"""Building a country's card from a definition and the data: each line classified by the one
engine (:class:`rightsband.engine.Engine`, as ``label`` classifies), with the year's edition,
the scores as written, the rank, the band's place on its scale, the history and the footnotes."""

from __future__ import annotations

import bisect
import os
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rightsband.engine import Engine
from rightsband.mapping import by_year
from rightsband.model import LOWER, BandSet, Classification
from rightsband.rules import Rules
from rightsband.scorecard.card import (
    AGREE,
    AMBIGUOUS,
    BANDED,
    DISAGREE,
    MISSING,
    PROBLEM,
    Card,
    Footnote,
    HistoryCell,
    Line,
    Origin,
    Rank,
    Score,
    Segment,
)
from rightsband.scorecard.data import CardData, Record, year_runs
from rightsband.scorecard.definition import CardDefinition, LineSpec
from rightsband.scorecard.pictures import GAP_COLOUR, band_colour
from rightsband.values import ValueProblem, is_missing, normalised, years_named

__all__ = ["CardBuilder", "build_card"]


def build_card(definition: CardDefinition, data: CardData, country: str, rules: Rules, *, year: int | None = None,
               history: bool = False, decimal: str | None = None) -> Card:
    """The card of ``country`` (a key of ``data.countries``) for ``year`` (None: its latest year): one
    card of :class:`CardBuilder`."""
    return CardBuilder(definition, data, rules, decimal=decimal).card(country, year=year, history=history)


class CardBuilder:
    """Builds the cards of one definition over one table. Each line's engine (and its ranking of a
    year's records) is made once, so a card per country classifies each distinct value once."""

    def __init__(self, definition: CardDefinition, data: CardData, rules: Rules, *, decimal: str | None = None):
        self.definition, self.data = definition, data
        self.sections = [(section.title, [_LineBuilder(spec, data, rules, decimal) for spec in section.lines])
                         for section in definition.sections]

    def card(self, country: str, *, year: int | None = None, history: bool = False) -> Card:
        """The card of ``country`` (a key of ``data.countries``) for ``year`` (None: its latest year).

        Raises :class:`~rightsband.scorecard.data.CountryError` where the data has no such record or
        two; a value that cannot be banded is not an error here but a line in state ``problem``.
        """
        data = self.data
        record, chosen_by = data.record(country, year)
        card_year = record.year if data.year_column else year
        years = data.years(country) if history and data.year_column else []
        history_years = tuple(range(years[0], years[-1] + 1)) if years else ()
        notes = _Footnotes()
        latest = chosen_by == "each"
        sections = tuple((title, tuple(line.build(country, record, card_year, history_years, notes, latest=latest)
                                       for line in lines)) for title, lines in self.sections)
        name = data.name(country, record)
        return Card(self.definition.title, self.definition.subtitle, name, data.code(country, record), card_year,
                    data.year_notes[chosen_by].format(country=name), _file_name(data.source),
                    data.record_text(record), sections, notes.footnotes(), history_years)

    def thin(self, card: Card, country: str) -> str | None:
        """A line saying so where most of the card's lines (more than half) have no score for its year,
        with the years each line does have one for the country; None otherwise, or with no year column."""
        missing = card.missing
        if self.data.year_column is None or card.year is None or missing * 2 <= len(card.lines):
            return None
        builders = [builder for _, builders in self.sections for builder in builders]
        indexes = [builder.spec.index for builder in builders]
        have = ", ".join(f"{builder.name(indexes)} {year_runs(builder.scored_years(country))}" for builder in builders)
        return (f"{card.country} {card.year}: {missing} of {len(card.lines)} line(s) have no score for that year; "
                f"the data has {have}; {self.data.year_options}")


class _Footnotes:
    """The band sets a card uses, numbered in order of first use."""

    def __init__(self) -> None:
        self._sets: dict[str, tuple[int, BandSet]] = {}

    def number(self, band_set: BandSet) -> int:
        return self._sets.setdefault(band_set.id, (len(self._sets) + 1, band_set))[0]

    def footnotes(self) -> tuple[Footnote, ...]:
        return tuple(Footnote(n, s.id, s.name, s.citation, s.url, s.describe_origin(), s.confidence or "",
                              s.unconfirmed) for n, s in self._sets.values())


class _LineBuilder:
    def __init__(self, spec: LineSpec, data: CardData, rules: Rules, decimal: str | None):
        self.spec, self.data = spec, data
        mapping = by_year(spec.columns, spec.index, rules)
        self.group = rules.group(spec.index)
        self._ranked: dict[tuple[str, int | None], list[Decimal]] = {}  # (set, year): the year's ranking keys
        self.engine = Engine(mapping.set, labels=mapping.labels, choose=mapping.choose, columns=spec.columns,
                             decimal=decimal, year_column=data.year_column, index=spec.index)

    def name(self, indexes: Sequence[str]) -> str:
        """The line as a message names it: its measure (a line from publishers' files), else its INDEX, with
        its columns where another line has the same INDEX."""
        spec = self.spec
        if spec.origin is not None:
            return spec.origin.measure
        return spec.index if indexes.count(spec.index) == 1 else f"{spec.index} ({','.join(spec.columns)})"

    def scored_years(self, country: str) -> list[int]:
        """The years of the country's records that have every column of the line (none blank or NA)."""
        return sorted({record.year for record in self.data.countries[country] if record.year is not None
                       and not any(is_missing(record.cells[column]) for column in self.spec.columns)})

    def build(self, country: str, record: Record, year: int | None, history_years: Sequence[int],
              notes: _Footnotes, *, latest: bool = False) -> Line:
        """The line of ``country``'s ``record`` (of ``year``; a line with its own year column: that year),
        with its history over ``history_years``; ``latest``: the record holds each index's latest edition."""
        spec = self.spec
        origin = None
        if spec.origin is not None:
            named = years_named(record.cells[spec.origin.year])
            year = max(named) if named else year
            origin = Origin(spec.origin.measure, record.cells[spec.origin.edition], year, spec.origin.period,
                            record.cells[spec.origin.place], latest)
        raws = tuple(record.cells[c] for c in spec.columns)
        token = self._token(year, record)
        band_set = self.engine.band_set(token)
        colours = {normalised(b.label): band_colour(n, len(band_set.bands))  # a strip's colours follow these labels
                   for n, b in enumerate(band_set.bands, start=1)}
        scores = self._scores(band_set, raws)
        published = record.cells[spec.published].strip() if spec.published else ""
        outcome, problem = self._outcome(raws, token, year)
        common: dict[str, Any] = {"title": spec.title, "index": spec.index, "scores": scores, "note": spec.note,
                                  "published": published or None, "bands": len(band_set.bands), "origin": origin,
                                  "set_years": str(band_set.years) if band_set.years else "any year"}
        if outcome is None:
            known = not isinstance(token, str) and not (year is None and self.group is not None)
            footnote = notes.number(band_set) if known else 0  # the line's own set first, then its history's
            history = self._history(country, history_years, colours, notes)
            return Line(state=PROBLEM if problem else MISSING, rank=None, label=None, position=None,
                        undetermined=False, set_id=band_set.id if known else "", problem=problem or "", verdict="",
                        footnote=footnote, segments=(), marker=None, banded="", colour=GAP_COLOUR,
                        history=history, **common)
        band_set, found = outcome
        segments, marker = _scale(band_set, found)
        footnote = notes.number(band_set)
        history = self._history(country, history_years, colours, notes)
        return Line(state=BANDED, rank=self._rank(record, band_set, year), label=found.label,
                    position=found.position, undetermined=found.undetermined, set_id=band_set.id, problem="",
                    verdict=_verdict(published, band_set, found) if published else "", footnote=footnote,
                    segments=segments, marker=marker, banded=_banded(band_set, found, raws),
                    colour=band_colour(found.position, len(band_set.bands)), history=history, **common)

    def _token(self, year: int | None, record: Record | None = None) -> int | str | None:
        """The engine's token for a record (its year cell read as ``label`` reads it, so a cell that
        spans editions is the same problem here) or, without one or a year column, for ``year``."""
        if record is not None and self.data.year_column is not None:
            return self.engine.edition(record.cells[self.spec.origin.year] if self.spec.origin else record.year_text)
        return None if year is None else self.engine.edition(year)

    def _outcome(self, raws: tuple[str, ...], token: int | str | None,
                 year: int | None) -> tuple[tuple[BandSet, Classification] | None, str | None]:
        """The set and classification of the values, or None and the problem (None: missing)."""
        if year is None and self.group is not None:
            return None, (f"{self.spec.index} picks its edition by year ({self.group.describe_editions()}) and the "
                          "data has no year column; give --year or --year-column")
        engine = self.engine
        outcome = engine.outcome(raws, token)
        if outcome == engine.missing:
            return None, None
        if outcome == engine.bad:
            return None, engine.issue(raws, token).message
        band_set = engine.band_set(token)
        value: object = raws[0] if len(raws) == 1 else dict(zip((i.name for i in band_set.inputs), raws))
        found = band_set.classify(value)  # the engine's own classifier: the same band, with its details
        assert found is not None
        return (band_set, found), None

    def _scores(self, band_set: BandSet, raws: tuple[str, ...]) -> tuple[Score, ...]:
        if not band_set.inputs:
            return (Score(self.spec.columns[0], "", raws[0], _scale_text(band_set, raws[0])),)
        return tuple(Score(column, i.name, raw, _scale_text(i.set, raw))
                     for column, i, raw in zip(self.spec.columns, band_set.inputs, raws))

    def _rank(self, record: Record, band_set: BandSet, year: int | None) -> Rank | None:
        spec = self.spec
        if spec.rank:
            rank = record.cells[spec.rank].strip()
            if not rank or is_missing(rank):
                return None
            of = str(spec.rank_of) if isinstance(spec.rank_of, int) else \
                record.cells[spec.rank_of].strip() if spec.rank_of else ""
            return Rank(rank, of, False)
        if band_set.inputs:
            return None
        keys = self._ranked.get((band_set.id, year))
        if keys is None:
            found = (_rank_key(band_set, other.cells[spec.columns[0]]) for _, other in self.data.of_year(year))
            keys = self._ranked[(band_set.id, year)] = sorted(key for key in found if key is not None)
        mine = _rank_key(band_set, record.cells[spec.columns[0]])
        if mine is None or len(keys) < 2:
            return None
        return Rank(str(1 + bisect.bisect_left(keys, mine)), str(len(keys)), True)

    def _history(self, country: str, years: Sequence[int], colours: dict[str, str],
                 notes: _Footnotes) -> tuple[HistoryCell, ...]:
        by_year: dict[int, list[Record]] = {}
        for record in self.data.countries[country]:
            if record.year is not None:
                by_year.setdefault(record.year, []).append(record)
        cells: list[HistoryCell] = []
        last_edition = ""
        for year in years:
            records = by_year.get(year, [])
            token = self._token(year)  # the year's edition, for the strip; the record's own cell is read below
            edition = self.engine.band_set(token).id if not isinstance(token, str) else ""
            if len(records) != 1:
                twice = f"{len(records)} records" if records else ""
                cells.append(HistoryCell(year, None, None, GAP_COLOUR, edition, False, twice))
                continue
            outcome, problem = self._outcome(tuple(records[0].cells[c] for c in self.spec.columns),
                                             self._token(year, records[0]), year)
            new = bool(last_edition) and edition != last_edition and bool(edition)
            if outcome is None:
                if problem and isinstance(token, str):  # the same for every such year, so the years make one run
                    problem = f"no edition of {self.spec.index} covers the year"
                cells.append(HistoryCell(year, None, None, GAP_COLOUR, edition, new, problem or ""))
            else:
                band_set, found = outcome
                colour = colours.get(normalised(found.label)) or band_colour(found.position, len(band_set.bands))
                cells.append(HistoryCell(year, found.label, found.position, colour, edition, new,
                                         footnote=notes.number(band_set)))
            last_edition = edition or last_edition
        return tuple(cells)


def _file_name(path: str) -> str:
    """The data's file name, as a published card names it: not the path as typed, which may name a home
    or working folder (``/home/me/data/scores.csv`` is ``scores.csv``)."""
    return os.path.basename(path) or path


def _rank_key(band_set: BandSet, text: str) -> Decimal | None:
    """A value's place in a ranking, smaller is better; None for a missing or bad value."""
    try:
        value = band_set.read(text)
    except ValueProblem:
        return None
    if value is None:
        return None
    if band_set.distance_from is not None:
        return abs(value - band_set.distance_from)
    return value if band_set.direction == LOWER else -value


def _verdict(published: str, band_set: BandSet, found: Classification) -> str:
    """How a printed label stands to the band: ``agree`` (the label or an alias), ``ambiguous`` (one of the
    bands an undetermined value stands between, or an alias of one), else ``disagree``."""
    printed = normalised(published)
    if printed in {normalised(name) for name in found.band.names}:
        return AGREE
    bands = {band.label: band for band in band_set.bands}
    between = {normalised(name) for label in found.band.either
               for name in (bands[label].names if label in bands else (label,))}
    return AMBIGUOUS if printed in between else DISAGREE


def _number(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scale_text(band_set: BandSet, raw: str) -> str:
    """The scale beside a score: ``/ 100``, ``/ 7``, ``/ 1`` for a fraction, nothing for ``62.1%``; with the
    best end where it is not the top (``/ 100 (0 = best)``)."""
    if band_set.label_only is not None:
        return ""
    if band_set.published_as_fraction:
        return "" if "%" in raw else "/ 1"
    text = f"/ {_number(band_set.scale.max)}"
    if band_set.distance_from is not None or band_set.direction == LOWER:
        text += f" ({band_set.best} = best)"
    return text


def _banded(band_set: BandSet, found: Classification, raws: tuple[str, ...]) -> str:
    """The number the band was chosen on: the score as written, or in words where it is not the score
    itself (a composite's mean, a rounded value, a distance)."""
    if found.value is None:
        return f"the cell {found.cell!r} names the band" if found.cell else ""
    value = raws[0].strip() if len(raws) == 1 else _number(found.value)
    if band_set.inputs and band_set.combine:
        value = f"{band_set.combine} of {band_set.input_names()}: {value}"
    if found.banded is not None and found.banded != found.value:
        return f"{value}, banded as {_number(found.banded)}"
    return value


def _scale(band_set: BandSet, found: Classification) -> tuple[tuple[Segment, ...], float | None]:
    """The segments of the set's bands (of the band table that was used) and the score's place on them,
    as fractions of a bar with the best end at 0."""
    low, high = band_set.banded_scale
    span = high - low  # above 0: a rules file's scale.min is below its scale.max
    best_low = band_set.distance_from is not None or band_set.direction == LOWER

    def place(value: Decimal) -> float:
        value = min(max(value, low), high)
        return float((value - low) / span if best_low else (high - value) / span)

    bands = [(n, b) for n, b in enumerate(band_set.bands, start=1) if b.table == found.band.table]
    segments = []
    for position, band in bands:
        ends = sorted((place(band.lower), place(band.upper)))
        segments.append(Segment(position, band.label, ends[0], ends[1] - ends[0], band.interval,
                                band_colour(position, len(band_set.bands)), band is found.band))
    number = found.banded if found.banded is not None else found.value
    return tuple(segments), None if number is None else place(number)
