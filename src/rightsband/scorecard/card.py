"""A built scorecard: plain data that every renderer draws (terminal, Markdown, HTML) and that
``--format json`` writes whole. Nothing here classifies or formats for a medium."""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["AGREE", "AMBIGUOUS", "BANDED", "DISAGREE", "GAP", "MISSING", "PROBLEM", "Card", "Footnote", "HistoryCell",
           "Line", "Origin", "Rank", "Score", "Segment"]

#: What a line shows: a band, no score, or a value that cannot be banded (the card's exit code is then 1).
BANDED, MISSING, PROBLEM = "banded", "missing", "problem"
#: How a printed label stands to the band (see ``Line.verdict``).
AGREE, DISAGREE, AMBIGUOUS = "agree", "disagree", "ambiguous"
#: What a year of a history strip without a band says.
GAP = "no data"


@dataclasses.dataclass(frozen=True)
class Score:
    """One score as written in the data (``53,46`` stays ``53,46``), its column, and its scale (``/ 100``)."""

    column: str
    name: str
    text: str
    scale: str


@dataclasses.dataclass(frozen=True)
class Rank:
    """A rank as written in a rank column, or computed from the file's records of the year (``computed``)."""

    rank: str
    of: str
    computed: bool


@dataclasses.dataclass(frozen=True)
class Segment:
    """One band on a scale picture: its place (1 = best), where it starts and how wide it is as
    fractions of the bar (the best end at 0), its interval, its colour, and whether the score is in it."""

    position: int
    label: str
    start: float
    width: float
    interval: str
    colour: str
    current: bool


@dataclasses.dataclass(frozen=True)
class HistoryCell:
    """One year of a line's history strip: the band (None: a gap), the edition that gave it (and its
    footnote), and whether that edition differs from the one before."""

    year: int
    label: str | None
    position: int | None
    colour: str
    edition: str
    new_edition: bool
    problem: str = ""
    footnote: int = 0


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where a line of a card drawn from publishers' files comes from: the panel's measure, the
    publisher's edition as written, the year the line covers and what that year means for the
    publisher, the file (its name), sheet and row, and whether it is the index's latest edition in the
    files (``--latest``)."""

    measure: str
    edition: str
    year: int | None
    period: str
    place: str
    latest: bool


@dataclasses.dataclass(frozen=True)
class Line:
    """One index on the card: what was read, what the bands give, and where it comes from.

    ``verdict`` says how a printed label (``published``) stands to the band: ``agree``,
    ``disagree``, ``ambiguous`` (an undetermined band, and the label is one it stands between), or
    empty (no printed label, or no band). :attr:`agrees` is the same as True, False or None.
    """

    title: str
    index: str
    state: str
    scores: tuple[Score, ...]
    rank: Rank | None
    label: str | None
    position: int | None
    bands: int
    undetermined: bool
    set_id: str
    set_years: str
    problem: str
    published: str | None
    verdict: str
    footnote: int
    segments: tuple[Segment, ...]
    marker: float | None
    banded: str
    colour: str
    note: str = ""
    history: tuple[HistoryCell, ...] = ()
    origin: Origin | None = None

    @property
    def agrees(self) -> bool | None:
        """True if a printed label agrees with the band, False if it contradicts it, else None."""
        return {AGREE: True, DISAGREE: False}.get(self.verdict)


@dataclasses.dataclass(frozen=True)
class Footnote:
    """A band set used on the card: its citation and URL, and whose bands they are."""

    number: int
    set_id: str
    name: str
    citation: str
    url: str
    origin: str
    confidence: str
    unconfirmed: str


@dataclasses.dataclass(frozen=True)
class Card:
    """One country's card: title, the record used, sections of lines, footnotes."""

    title: str
    subtitle: str
    country: str
    code: str
    year: int | None
    year_note: str
    source: str
    record: str
    sections: tuple[tuple[str, tuple[Line, ...]], ...]
    footnotes: tuple[Footnote, ...]
    history_years: tuple[int, ...] = ()
    generator: str = "rightsband"

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for _, lines in self.sections for line in lines)

    @property
    def problems(self) -> int:
        """How many lines have a value that cannot be banded."""
        return sum(line.state == PROBLEM for line in self.lines)

    @property
    def missing(self) -> int:
        """How many lines have no score."""
        return sum(line.state == MISSING for line in self.lines)

    @property
    def disagreements(self) -> int:
        """How many printed labels the bands contradict."""
        return sum(line.agrees is False for line in self.lines)

    def as_dict(self) -> dict[str, Any]:
        """Every field, for ``--format json``."""
        data = dataclasses.asdict(self)
        data["sections"] = [{"title": title, "lines": [{**dataclasses.asdict(line), "agrees": line.agrees}
                                                       for line in lines]} for title, lines in self.sections]
        data["problems"], data["disagreements"] = self.problems, self.disagreements
        return data
