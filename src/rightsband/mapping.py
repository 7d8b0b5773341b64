"""The column mappings of ``rightsband label``: which columns feed which band set (or which
edition, by each record's year), into which new column; and finding a file's year column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence

from rightsband.model import BandSet, YearError, labels_by_position
from rightsband.rules import Rules, UnknownSetError


class MappingError(ValueError):
    """A ``--column`` mapping that does not fit the rules or the header (a usage error)."""


#: A header names a year column when, read as words, its first or last word is one of these
#: (the first tier that matches any column decides; two matches in that tier are ambiguous).
YEAR_WORDS = (("year", "years"), ("edition", "editions"))
_PARENTHESES = re.compile(r"\([^)]*\)")
_SEPARATORS = re.compile(r"[\s_.\-/]+")


def header_words(name: str) -> list[str]:
    """A header name as lower-case words: text in parentheses dropped, ``_ . - /`` read as spaces."""
    return _SEPARATORS.sub(" ", _PARENTHESES.sub(" ", name.casefold())).split()


def find_year_column(header: Sequence[str]) -> str | None:
    """The header's year column, by :data:`YEAR_WORDS`; None if there is none.

    ``Year``, ``year``, ``Year (N)``, ``YEAR``, ``data_year``, ``Year(s) Under Review`` name
    years; ``Edition``, ``Survey Edition`` name editions and count only where no column
    names years. Two columns in the deciding tier raise MappingError naming both.
    """
    for words in YEAR_WORDS:
        found = [name for name in header if (w := header_words(name)) and (w[0] in words or w[-1] in words)]
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(f'"{name}"' for name in found)
            raise MappingError(f"several columns may hold the year: {listed}; name the one that picks the edition "
                               "with --year-column, or give --no-year-column")
    return None


class Mapping:
    """One ``--column`` mapping: the input columns, the band set, the new column's name.

    With ``choose`` (each record's year picks the edition), ``set`` is the first
    candidate and ``labels`` runs over every edition the year may pick, by band position
    (:func:`~rightsband.model.labels_by_position`). ``index`` is
    the set or group as typed; ``rules`` and ``year`` are what it was resolved with
    (a mapping without a year on a set with ``years`` can still be switched to
    choosing by year, see :meth:`by_year`).
    """

    __slots__ = ("columns", "set", "name", "choose", "labels", "index", "rules", "year")

    def __init__(self, columns: tuple[str, ...], band_set: BandSet, name: str,
                 choose: Callable[[int], BandSet] | None = None, candidates: Sequence[BandSet] = (), *,
                 index: str | None = None, rules: Rules | None = None, year: int | None = None):
        self.columns, self.set, self.name, self.choose = columns, band_set, name, choose
        self.index, self.rules, self.year = index or band_set.id, rules, year
        self.labels = labels_by_position(candidates or [band_set])

    @classmethod
    def parse(cls, spec: str, rules: Rules, *, year: int | None = None, by_year: bool = False) -> Mapping:
        """Read ``COLS=INDEX[:NEWNAME]``; a composite set takes its input columns comma-separated.

        ``year`` picks INDEX's edition for that year. ``by_year``, or INDEX naming a
        group of editions, leaves the choice to each record's year (``label_csv`` then
        needs a year column).
        """
        cols, sep, rest = spec.rpartition("=")
        if not sep or not cols or not rest:
            raise MappingError(f'"{spec}" is not COLUMN=INDEX[:NEWNAME], e.g. "Score 2015=rsf"')
        index, _, name = rest.partition(":")
        try:
            if year is not None:
                band_set = rules.for_year(index, year)
            elif by_year or rules.group(index) is not None:
                return _by_year(cols, index, name, rules)
            else:
                band_set = rules.get(index)
        except (UnknownSetError, YearError) as error:
            raise MappingError(str(error)) from None
        return cls(_columns(cols, band_set, index), band_set, name or _default_name(cols, index, band_set),
                   index=index, rules=rules, year=year)

    @property
    def dated(self) -> bool:
        """True if which labels are right depends on the year, and no year was given: the
        mapping chooses by year, or its set declares years."""
        return self.year is None and (self.choose is not None or self.set.years is not None)

    def by_year(self) -> Mapping:
        """This mapping with each record's year choosing the edition (itself if it already does)."""
        if self.choose is not None or self.rules is None:
            return self
        return _by_year(",".join(self.columns), self.index, self.name, self.rules)


def by_year(columns: Sequence[str], index: str, rules: Rules) -> Mapping:
    """The mapping of ``columns`` on INDEX (a set or a group) with each record's year choosing the edition;
    MappingError for an unknown INDEX or the wrong number of columns."""
    try:
        return _by_year(",".join(columns), index, "", rules)
    except UnknownSetError as error:
        raise MappingError(str(error)) from None


def _by_year(cols: str, index: str, name: str, rules: Rules) -> Mapping:
    group = rules.group(index)
    band_set = group.editions[0] if group else rules.get(index)
    candidates = group.editions if group else (band_set, *(e for g in rules.groups_of(band_set) for e in g.editions))

    def choose(year: int) -> BandSet:
        return rules.for_year(index, year)

    return Mapping(_columns(cols, band_set, index), band_set, name or _default_name(cols, index, band_set), choose,
                   candidates, index=index, rules=rules)


def _columns(cols: str, band_set: BandSet, index: str) -> tuple[str, ...]:
    if not band_set.is_composite:
        return (cols,)
    columns = tuple(cols.split(","))
    if len(columns) != len(band_set.inputs):
        raise MappingError(
            f'{band_set.id} combines {band_set.input_names()}: give {len(band_set.inputs)} columns in that '
            f'order, e.g. "{",".join(i.name.upper() for i in band_set.inputs)}={index}", not "{cols}"'
        )
    return columns


def _default_name(cols: str, index: str, band_set: BandSet) -> str:
    return f"{index}_label" if band_set.is_composite else f"{cols}_label"


def column_position(header: Sequence[str], name: str) -> int:
    """The position of a header column, or a MappingError with the columns and a "did you mean"."""
    found = [n for n, column in enumerate(header) if column == name]
    if len(found) == 1:
        return found[0]
    if found:
        raise MappingError(f'the header has {len(found)} columns named "{name}"; rename them in the file first')
    close = difflib.get_close_matches(name, header, n=1) or [c for c in header if c.casefold() == name.casefold()]
    hint = f'did you mean "{close[0]}"? ' if close else ""
    listed = ", ".join(f'"{c}"' for c in header)
    raise MappingError(f'no column "{name}" in the header; {hint}the columns are: {listed}')


def check_new_names(header: Sequence[str], mappings: Sequence[Mapping]) -> None:
    """New column names must not repeat each other or the header's."""
    seen = set(header)
    for mapping in mappings:
        if mapping.name in seen:
            raise MappingError(
                f'a column "{mapping.name}" is already there; name the new column with '
                f'--column {",".join(mapping.columns)}={mapping.index}:NEWNAME'
            )
        seen.add(mapping.name)
