"""The scale guard: a rank column beside a mapped score must run the way the set's direction says.

A publisher's rank puts the best score first (rank 1). Where a file has a rank column
beside a score column mapped on a set, the ranks and the scores must agree with the set's
direction: on a ``higher-is-better`` set rank 1 holds the highest score, on a
``lower-is-better`` set the lowest. RSF's current downloads give 2013–2021 with 100 as best;
labelled with ``rsf-map`` (whose 2013–2021 edition has 0 as best) every label is mirrored.
The ranks say so, and :func:`check` stops the run naming the set to use.

Which column ranks which score, by header (:func:`rank_column`, the words of
:data:`RANK_WORDS` and :data:`SCORE_WORDS`; headers read as :func:`~rightsband.mapping.header_words`):

1. the score's header with a score word swapped for a rank word (``Score N`` → ``Rank N``,
   ``Score N-1`` → ``Rank N-1``, ``rsf_score`` → ``rsf_rank``);
2. the score's header with a rank word before or after it (``Safety rank``, ``rank Safety``);
3. for a score whose header has a score word, the table's one overall rank: a header that is
   a rank word alone or followed by ``n`` or a year (``Rank``, ``Rank N``, ``Rang``, ``Rank 2023``).

The rule on the records (:func:`runs_against`): among the records with a number in both
cells (per year, where a year column picks the edition), Spearman's rank correlation of
rank and score (ties share their average place). The ranks run against the set when at
least :data:`MIN_PAIRS` records have both, and the correlation has the wrong sign with a
size of at least :data:`AGAINST`; ranks computed from the scores in either direction give
exactly +1 or -1, so ties and missing cells do not blur the verdict, and a rank column of
some other measure (weakly related) never stops a run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from collections.abc import Mapping as Columns
from typing import NamedTuple

import numpy as np

from rightsband.mapping import Mapping, header_words
from rightsband.model import BandSet, YearError
from rightsband.model.parts import HIGHER, LOWER
from rightsband.rules import Rules
from rightsband.values import ValueProblem, to_number, years_named

__all__ = ["AGAINST", "MIN_PAIRS", "RANK_WORDS", "SCORE_WORDS", "RankDirectionError", "Ranked", "check",
           "check_ranked", "checked_columns", "rank_column", "runs_against"]

#: Words that name a rank column (English and French, as the publishers write them).
RANK_WORDS = ("rank", "ranking", "rang", "classement")
#: Words that name a score column.
SCORE_WORDS = ("score", "scores", "note")
#: What may follow a rank word in the header of the table's overall rank: ``n`` (RSF's "Rank N") or a year.
_OVERALL_TAILS = ("n",)
#: The fewest records with a rank and a score the check decides on.
MIN_PAIRS = 5
#: The size of a wrong-signed rank correlation that stops the run.
AGAINST = 0.5


class RankDirectionError(ValueError):
    """A rank column that runs against the direction of the set its score is mapped on (one line)."""


def rank_column(header: Sequence[str], score: str) -> str | None:
    """The column of ``header`` that ranks column ``score`` (by the rules of the module), or None."""
    words = header_words(score)
    named = {tuple(header_words(name)): name for name in header if name != score}
    swapped = [tuple(rank if w == word else w for w in words) for word in SCORE_WORDS if word in words
               for rank in RANK_WORDS]
    around = [tuple(order) for rank in RANK_WORDS for order in ([*words, rank], [rank, *words])]
    for wanted in (swapped, around):
        found = [named[w] for w in wanted if w in named]
        if found:
            return found[0]
    if not any(word in words for word in SCORE_WORDS):
        return None
    overall = [name for key, name in named.items()
               if key and key[0] in RANK_WORDS and (len(key) == 1 or (len(key) == 2 and _overall_tail(key[1])))]
    return overall[0] if len(overall) == 1 else None


def checked_columns(header: Sequence[str], mappings: Sequence[Mapping]) -> list[str]:
    """The columns :func:`check` reads for these mappings: each score with a rank column, and that column."""
    found: list[str] = []
    for mapping in mappings:
        ranks = rank_column(header, mapping.columns[0]) if len(mapping.columns) == 1 else None
        if ranks is not None:
            found += [mapping.columns[0], ranks]
    return list(dict.fromkeys(found))


def _overall_tail(word: str) -> bool:
    return word in _OVERALL_TAILS or (word.isdigit() and len(word) == 4)


def runs_against(ranks: Sequence[object], scores: Sequence[object], direction: str) -> bool:
    """True if the ranks run against ``direction`` (rank 1 = best): see the module for the rule.
    Cells that are not numbers (missing, text) leave their record out; a rank may be written ``=5``."""
    pairs = [(r, s) for r, s in zip(map(_rank, ranks), map(_number, scores)) if r is not None and s is not None]
    if len(pairs) < MIN_PAIRS or direction not in (HIGHER, LOWER):
        return False
    rho = _spearman(np.array([r for r, _ in pairs]), np.array([s for _, s in pairs]))
    agreement = -rho if direction == HIGHER else rho  # rank 1 best: higher-is-better scores fall as ranks grow
    return agreement <= -AGAINST


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation (ties at their average place); 0 where either side is constant."""
    ra, rb = _places(a), _places(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    spread = float(np.sqrt((ra * ra).sum() * (rb * rb).sum()))
    return float((ra * rb).sum()) / spread if spread else 0.0


def _places(values: np.ndarray) -> np.ndarray:
    """Each value's place in sorted order, ties given the average of theirs."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return ((ends - (counts - 1) / 2.0)[inverse]).astype(float)


def _number(cell: object) -> float | None:
    try:
        found = to_number(cell)
    except ValueProblem:
        return None
    return None if found is None else float(found[0])


def _rank(cell: object) -> float | None:
    return _number(cell.strip().strip("=") if isinstance(cell, str) else cell)


class Ranked(NamedTuple):
    """The records of one score column labelled on one set (edition), with the rank column beside it:
    what :func:`check_ranked` judges. ``named`` is the set or group named for the column (the year
    ``year`` picked ``band_set`` from it, or None); ``fix`` says how to name another set, given its id."""

    score: str
    rank: str
    named: str
    band_set: BandSet
    year: int | None
    scores: Sequence[object]
    ranks: Sequence[object]
    fix: Callable[[str], str]


def check(header: Sequence[str], cells: Columns[str, Sequence[object]], mappings: Sequence[Mapping], *,
          year_column: str | None = None, source: str = "") -> None:
    """Raise :class:`RankDirectionError` if a rank column beside a mapped score runs against the set's
    direction. ``cells`` holds, per column name, the cells of the records checked (the first block
    of a file will do; at least the mapped scores, their rank columns and the year column); a
    mapping whose score has no rank column, or whose set has no one direction, is not checked.
    ``source`` (a file name) begins the message. For label and verify (a panel's tidy tables too)."""
    for mapping in mappings:
        if len(mapping.columns) != 1:
            continue
        score = mapping.columns[0]
        ranks = rank_column(header, score)
        if ranks is None or ranks not in cells or score not in cells:
            continue
        check_ranked((Ranked(score, ranks, mapping.index, band_set, year, [cells[score][r] for r in rows],
                             [cells[ranks][r] for r in rows], _option(score))
                      for year, band_set, rows in _editions(mapping, cells, year_column)), mapping.rules,
                     source=source)


def _option(score: str) -> Callable[[str], str]:
    """How to name another set for a column on the command line: ``-c "COL=SET"``."""
    return lambda use: f'-c "{score}={use}"'


def check_ranked(groups: Iterable[Ranked], rules: Rules | None, *, source: str = "") -> None:
    """Raise :class:`RankDirectionError` for the first group whose ranks run against its set's direction
    (:func:`runs_against`); a set with no one direction is not checked. ``rules`` (None: unknown) name
    the set to use instead; ``source`` (a file name) begins the message. For publishers' files read
    by their layouts (``rightsband panel``), where the scores and ranks come as records, not columns."""
    for group in groups:
        if _checked(group.band_set) and runs_against(group.ranks, group.scores, group.band_set.direction):
            first = min(range(len(group.ranks)), key=lambda r: _rank(group.ranks[r]) or float("inf"))
            raise RankDirectionError(_message(source, group, rules, group.scores[first]))


def _checked(band_set: BandSet) -> bool:
    """A set with one direction on one score: not composite, two-sided or labels only."""
    return not band_set.is_composite and band_set.distance_from is None and band_set.label_only is None


def _editions(mapping: Mapping, cells: Columns[str, Sequence[object]],
              year_column: str | None) -> list[tuple[int | None, BandSet, list[int]]]:
    """The records by the set each is labelled on: (year, set, rows), per year where the year picks it."""
    count = len(cells[mapping.columns[0]])
    if mapping.choose is None or year_column is None or year_column not in cells:
        return [(None, mapping.set, list(range(count)))]
    rows: dict[int, list[int]] = {}
    for row, cell in enumerate(cells[year_column]):
        years = years_named(cell)
        if years:
            rows.setdefault(years[0], []).append(row)
    found: list[tuple[int | None, BandSet, list[int]]] = []
    for year, members in rows.items():
        try:
            found.append((year, mapping.choose(year), members))
        except YearError:  # labelling reports the year; nothing to say about ranks
            continue
    return found


def _message(source: str, group: Ranked, rules: Rules | None, first: object) -> str:
    """One line: the file, the columns, what the ranks say, and the set to use."""
    band_set, year, ranks, score = group.band_set, group.year, group.rank, group.score
    best = band_set.scale.max if band_set.direction == LOWER else band_set.scale.min
    if group.named == band_set.id:
        on = band_set.id
    else:
        on = f"{group.named}'s edition{f' for {year}' if year is not None else ''}, {band_set.id},"
    where = f"{source}: " if source else ""
    return (f'{where}"{ranks}" ranks "{score}" with {best} best (rank 1 scores {first}), but {on} has '
            f'{band_set.best} best; {_advice(rules, group)}, or --no-rank-check if "{ranks}" does not rank '
            f'"{score}"')


def _advice(rules: Rules | None, group: Ranked) -> str:
    """The set (or group) to use instead: same publisher, bands and years, the other direction; for house
    bands with no such set, the publisher's own classes the other way round."""
    band_set = group.band_set
    if rules is None:
        return "check the file's scale"
    others = _counterparts(rules, band_set)
    if not others:
        own = [s.id for s in rules if s.id in (band_set.publisher_classes or ()) and _opposite(s, band_set)]
        listed = f": the publisher's own classes on this scale are {', '.join(own)}" if own else ""
        return f"no set here has {band_set.id}'s bands the other way round{listed}; check the file's scale"
    other, group_set = others[0], rules.group(group.named)
    groups = [] if group_set is None else [g.id for g in rules.groups_of(other) if band_set not in g.editions]
    use = groups[0] if groups else other.id
    return f"use {use} ({group.fix(use)})"


def _opposite(other: BandSet, band_set: BandSet) -> bool:
    """True if ``other`` scores the same years on the same scale the other way round."""
    return (other.direction != band_set.direction and _checked(other) and other.scale == band_set.scale
            and other.years == band_set.years)


def _counterparts(rules: Rules, band_set: BandSet) -> list[BandSet]:
    labels = [band.label for band in band_set.bands]
    return [s for s in rules if s.publisher == band_set.publisher and _opposite(s, band_set)
            and [band.label for band in s.bands] == labels]
