"""How ``rightsband verify`` judges one check on one labelled block: the rule's outcome beside the
published label, decided once per distinct (edition, outcome, published label) of the block.

Each record of a check has one outcome:

- ``agree``: the published label is the rule's label, or one of that band's aliases in
  the edition used (case and runs of white space aside);
- ``ambiguous``: the rule declines to decide: a value on a tie it declares ambiguous, or
  an undetermined band (``either``) whose published label is one of the bands it stands between;
- ``missing``: no value (the rule gives no label, and nothing is wrong), or no published label;
- ``refused``: the value is bad (not a number, off the scale, a year no edition covers,
  a ragged record): the engine's problem says why;
- ``disagree``: both are there, and they differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from rightsband.batch import EVERY_MAPPING, LabelledBlock, Mapping
from rightsband.csvscan import NO_CELL, combine_codes
from rightsband.engine import REMEMBERED
from rightsband.model import BandSet
from rightsband.problems import Problem
from rightsband.values import normalised, parse_years

__all__ = ["AGREE", "AMBIGUOUS", "DISAGREE", "MISSING", "NO_LABEL", "NO_VALUE", "OUTCOMES", "REFUSED", "Judge",
           "Verdict", "normalised"]

AGREE, DISAGREE, AMBIGUOUS, MISSING, REFUSED = "agree", "disagree", "ambiguous", "missing", "refused"
OUTCOMES = (AGREE, DISAGREE, AMBIGUOUS, MISSING, REFUSED)
#: Why a record is missing.
NO_VALUE, NO_LABEL = "no value", "no published label"
#: The problem kind of a value given to a set with labels only (``rightsband.model.constructs.LABEL_ONLY``).
LABEL_ONLY = "label-only"


class Verdict(NamedTuple):
    """One check's judgement of a record: the outcome and why, the rule's label, the set (edition) used."""

    outcome: str
    message: str
    rule: str
    set_id: str


def cell_texts(kept: tuple[np.ndarray, list[str]]) -> tuple[np.ndarray, list[str]]:
    """A kept column's codes and texts with ``NO_CELL`` as one more text, the empty one (a record without the cell)."""
    codes, texts = kept
    if (codes == NO_CELL).any():
        return np.where(codes == NO_CELL, len(texts), codes), [*texts, ""]
    return codes, texts


class Judge:
    """The verdicts of one check, block by block. ``order`` is the check's mapping among the run's
    (``run`` is that mapping as run); ``published`` and ``year`` are places in ``LabelledBlock.kept``:
    the published labels, and the year column where each record's year picks its edition."""

    def __init__(self, run: Mapping, order: int, published: int, year: int | None):
        self.run, self.order, self.published, self.year = run, order, published, year
        self.missing, self.bad = len(run.labels), len(run.labels) + 1
        self._editions: list[BandSet | None] = [run.set] if year is None else []
        self._places: dict[str | None, int] = {}  # edition id (None: no edition) -> place in _editions
        self._by_text: dict[str, int] = {}  # year text -> place in _editions
        self._names: dict[tuple[int, int], tuple[set[str], set[str], tuple[str, ...]]] = {}
        self._label_only: dict[tuple[int, str], tuple[str, str, str]] = {}

    def verdicts(self, block: LabelledBlock) -> tuple[np.ndarray, list[Verdict]]:
        """A code per record of the block, and the verdict of each code."""
        outcomes = block.outcomes[self.order].astype(np.intp)
        editions = self._edition_codes(block)
        published, texts = cell_texts(block.kept[self.published])
        count = len(outcomes)
        codes, holders = combine_codes([(editions, max(len(self._editions), 1)), (outcomes, self.bad + 1),
                                        (published, len(texts))], count)
        found: dict[Verdict, int] = {}  # each distinct verdict, and its code
        table = np.empty(len(holders), dtype=np.intp)
        for code, record in enumerate(holders.tolist()):
            verdict = self._verdict(int(editions[record]), int(outcomes[record]), texts[published[record]])
            table[code] = found.setdefault(verdict, len(found))
        judged = table[codes]
        for row, problem in self._problems(block).items():
            verdict = self._refused(problem, int(editions[row]), texts[published[row]])
            judged[row] = found.setdefault(verdict, len(found))
        return judged, list(found)

    def _verdict(self, edition: int, outcome: int, published: str) -> Verdict:
        """The verdict on a value the rule read (or found missing)."""
        set_id = self._set_id(edition)
        if outcome == self.bad:  # judged from its problem (see _problems)
            return Verdict(REFUSED, "", "", set_id)
        rule = self.run.labels[outcome] if outcome < self.missing else ""
        if outcome == self.missing:
            return Verdict(MISSING, NO_VALUE, rule, set_id)
        if not published.strip():
            return Verdict(MISSING, NO_LABEL, rule, set_id)
        own, either, between = self._names_of(edition, outcome)
        if normalised(published) in own:
            return Verdict(AGREE, "", rule, set_id)
        if normalised(published) in either:
            return Verdict(AMBIGUOUS, f"undetermined by the rule: {' or '.join(between)}", rule, set_id)
        return Verdict(DISAGREE, "", rule, set_id)

    def _problems(self, block: LabelledBlock) -> dict[int, Problem]:
        """The problem of each record of the block that has one for this check (a ragged record's is every check's)."""
        first = int(block.records[0]) if len(block.records) else 0
        mine: dict[int, Problem] = {}
        for order, problem in block.problems:
            if order in (self.order, EVERY_MAPPING):
                mine.setdefault(problem.record - first, problem)
        return mine

    def _refused(self, problem: Problem, edition: int, published: str) -> Verdict:
        """The verdict on a bad value: refused (why: the problem), ambiguous for a tie the set declines,
        and for a set with labels only, the published label checked against its labels."""
        set_id = self._set_id(edition)
        if problem.kind == LABEL_ONLY:
            key = (edition, published)
            if key not in self._label_only:
                if len(self._label_only) >= REMEMBERED:  # bounded however many distinct labels come
                    self._label_only.clear()
                self._label_only[key] = self._labels_only(self._editions[edition], published)
            outcome, message, rule = self._label_only[key]
            return Verdict(outcome, message, rule, set_id)
        return Verdict(AMBIGUOUS if "ambiguous" in problem.kind else REFUSED, problem.message, "", set_id)

    def _labels_only(self, edition: BandSet | None, published: str) -> tuple[str, str, str]:
        """A set with labels only: the published label must be one of its labels or aliases."""
        if not published.strip():
            return MISSING, NO_LABEL, ""
        sets = [edition] if edition is not None else self._candidates()
        for band_set in sets:
            for band in band_set.bands:
                if normalised(published) in map(normalised, names(band)):
                    return AGREE, "", band.label
        labels = ", ".join(dict.fromkeys(band.label for band_set in sets for band in band_set.bands))
        return DISAGREE, f"not one of {sets[0].id}'s labels ({labels})", ""

    def _set_id(self, edition: int) -> str:
        band_set = self._editions[edition]
        return band_set.id if band_set is not None else self.run.index

    def _edition_codes(self, block: LabelledBlock) -> np.ndarray:
        """Per record, its edition's place in ``_editions``: the year's (None where no year picks one)."""
        if self.year is None:
            return np.zeros(len(block.records), dtype=np.intp)
        codes, texts = cell_texts(block.kept[self.year])
        if len(self._by_text) >= REMEMBERED:  # memory stays bounded however many distinct cells come
            self._by_text.clear()
        places = np.fromiter(map(self._edition_of, texts), dtype=np.intp, count=len(texts))
        return places[codes] if len(texts) else np.zeros(len(codes), dtype=np.intp)

    def _edition_of(self, text: str) -> int:
        """The place of the edition a year text picks (None, for no edition: the engine said why)."""
        if text not in self._by_text:
            years = parse_years(text)
            choose = self.run.choose
            try:
                edition = choose(years[0]) if years and choose is not None else None
            except Exception:  # no edition for the year: the engine said so as a problem
                edition = None
            place = self._places.setdefault(edition.id if edition is not None else None, len(self._editions))
            if place == len(self._editions):
                self._editions.append(edition)
            self._by_text[text] = place
        return self._by_text[text]

    def _names_of(self, edition: int, outcome: int) -> tuple[set[str], set[str], tuple[str, ...]]:
        """The names of the band an outcome stands for (label and aliases) in an edition, the names
        of the bands it stands between if it is undetermined, and their labels."""
        key = (edition, outcome)
        if key not in self._names:
            label = self.run.labels[outcome]
            band_set = self._editions[edition]
            sets = [band_set] if band_set is not None else self._candidates()
            own, either, between = {normalised(label)}, set[str](), tuple[str, ...]()
            for one in sets:
                bands = {band.label: band for band in one.bands}
                band = bands.get(label)
                if band is None:
                    continue
                own.update(map(normalised, names(band)))
                between = between or band.either
                for other in band.either:
                    either.update(map(normalised, names(bands[other]) if other in bands else (other,)))
            self._names[key] = (own, either, between)
        return self._names[key]

    def _candidates(self) -> list[BandSet]:
        rules = self.run.rules
        group = rules.group(self.run.index) if rules is not None else None
        return list(group.editions) if group is not None else [self.run.set]


def names(band: Any) -> tuple[str, ...]:
    """A band's label and aliases (the publisher's other spellings and codes, where the rules give them)."""
    return (band.label, *getattr(band, "aliases", ()))


def values_of(run: Mapping, cells: Sequence[str]) -> str:
    """The value(s) of a record as shown: the cell, or for a composite set ``name=cell`` per input."""
    return cells[0] if len(cells) == 1 else " ".join(f"{i.name}={v}" for i, v in zip(run.set.inputs, cells))
