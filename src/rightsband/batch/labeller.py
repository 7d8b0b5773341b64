"""The outcomes of one mapping's cells, block by block: the CSV side of the engine.

A block's cells come coded (:meth:`rightsband.csvscan.Block.cells`: a code per record and a
key per distinct cell); each distinct key is looked up once per block and classified once
per run by the mapping's :class:`~rightsband.engine.Engine`, and the outcomes are mapped back
onto the records with NumPy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rightsband.csvscan import NO_CELL, Block, combine_codes
from rightsband.engine import REMEMBERED, Engine, Issue
from rightsband.mapping import Mapping

__all__ = ["Labeller", "as_list"]


class Labeller:
    """The outcomes of one mapping's cells, block by block, from its :class:`~rightsband.engine.Engine`.

    Outcomes are positions in ``mapping.labels`` 0..n-1, then ``missing``, then ``bad``.
    Each distinct cell key (a tuple of them for several columns) is looked up once per
    block, and classified once per run. With a year column, its position comes first in
    ``positions``: its distinct cells are turned into editions, the input keys are
    looked up once per edition present, and each record takes the outcome of its
    (edition, key) pair from that small table.
    """

    def __init__(self, mapping: Mapping, positions: tuple[int, ...], decimal: str | None,
                 year_column: str | None = None):
        self.mapping, self.positions, self.year_column = mapping, positions, year_column
        self.engine = Engine(mapping.set, labels=mapping.labels, choose=mapping.choose, columns=mapping.columns,
                             decimal=decimal, year_column=year_column, index=mapping.index)
        self.missing, self.bad = self.engine.missing, self.engine.bad
        self._inputs = positions[1:] if year_column is not None else positions
        self._known: dict[Any, int] = {}  # (token, key) -> outcome, for keys that are not words
        self._words: dict[int | str | None, tuple[np.ndarray, np.ndarray]] = {}  # per token: sorted words, outcomes

    def outcomes(self, block: Block) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Issue]]:
        """The outcome per record; the records with a bad cell, and for each the place of its issue
        in the list of the block's distinct issues (each found once, however many records share it)."""
        codes, keys = self._keyed(block)
        if self.year_column is None:
            per_key = self._per_key(block, keys, None)
            outcome = np.append(per_key, self.missing)[codes]  # NO_CELL (-1) picks the trailing "missing"
            bad = np.flatnonzero(outcome == self.bad)
            if not len(bad):
                return outcome, bad, bad, []
            bad_codes, which = np.unique(codes[bad], return_inverse=True)
            listed = as_list(keys)
            return outcome, bad, which, [self._issue(block, listed[code], None) for code in bad_codes.tolist()]
        year_codes, year_keys = block.cells(self.positions[0])
        tokens = [self.engine.edition(block.text(key)) for key in as_list(year_keys)]
        distinct = list(dict.fromkeys(tokens))
        place = {token: n for n, token in enumerate(distinct)}
        per_year = np.array([*map(place.__getitem__, tokens), len(distinct)], dtype=np.intp)
        table = np.full((len(distinct) + 1, len(keys) + 1), self.missing, dtype=np.intp)  # last row, column: missing
        for row, token in enumerate(distinct):
            table[row, :-1] = self._per_key(block, keys, token)
        rows = per_year[year_codes]  # NO_CELL (-1) picks the trailing row
        outcome = table[rows, codes]
        bad = np.flatnonzero(outcome == self.bad)
        if not len(bad):
            return outcome, bad, bad, []
        # One issue per distinct (edition, key) pair; a year whose issue is one whatever the key takes the
        # place of the "missing" key (no record there is bad) for every key, so it is found once.
        width, shared = len(keys) + 1, [self.engine.shared_issue(token) for token in distinct]
        one = np.array([issue is not None for issue in shared] + [False])[rows[bad]]
        pairs, which = np.unique(rows[bad] * width + np.where(one, width - 1, codes[bad]), return_inverse=True)
        listed = as_list(keys)
        return outcome, bad, which, [
            shared[row] or self._issue(block, listed[code], distinct[row])
            for row, code in (divmod(pair, width) for pair in pairs.tolist())]

    def _keyed(self, block: Block) -> tuple[np.ndarray, np.ndarray | list[Any]]:
        """A code per record (``NO_CELL`` where a cell is missing) and a key per code: the cell's
        own key; for several columns a tuple of them."""
        if len(self._inputs) == 1:
            return block.cells(self._inputs[0])
        return _combine([block.cells(position) for position in self._inputs], len(block))

    def _per_key(self, block: Block, keys: np.ndarray | list[Any], token: int | str | None) -> np.ndarray:
        """The outcome of each key with a token: words through the sorted arrays, others through a dict."""
        if isinstance(keys, np.ndarray):
            return self._per_word(block, keys, token)
        known, slot = self._known, _slot(token)
        if len(known) >= REMEMBERED:  # memory stays bounded however many distinct cells come
            known.clear()
        missing = [key for key in dict.fromkeys(keys) if (slot, key) not in known]
        if len(self._inputs) == 1:
            learnt = self.engine.texts([block.text(key) for key in missing], token).tolist()
        else:
            learnt = [self.engine.outcome(self._raws(block, key), token) for key in missing]
        known.update(((slot, key), outcome) for key, outcome in zip(missing, learnt))
        return np.fromiter((known[(slot, key)] for key in keys), dtype=np.intp, count=len(keys))

    def _per_word(self, block: Block, words: np.ndarray, token: int | str | None) -> np.ndarray:
        """The outcomes of distinct word keys, looked up in the sorted words seen so far (new ones learnt)."""
        slot = _slot(token)
        seen_words, seen_outcomes = self._words.get(slot, (_NO_WORDS, _NO_OUTCOMES))
        if len(seen_words) >= REMEMBERED:  # memory stays bounded however many distinct cells come
            seen_words, seen_outcomes = _NO_WORDS, _NO_OUTCOMES
        at = np.searchsorted(seen_words, words)
        seen = at < len(seen_words)
        seen[seen] = seen_words[at[seen]] == words[seen]
        if seen.all():
            return seen_outcomes[at]
        new = words[~seen]
        learnt = self.engine.texts([block.text(key) for key in new.tolist()], token)
        everything = np.concatenate([seen_words, new])
        order = np.argsort(everything, kind="stable")
        seen_words, seen_outcomes = everything[order], np.append(seen_outcomes, learnt)[order]
        self._words[slot] = seen_words, seen_outcomes
        return seen_outcomes[np.searchsorted(seen_words, words)]

    def _raws(self, block: Block, key: Any) -> tuple[str, ...]:
        return tuple(map(block.text, key)) if len(self._inputs) > 1 else (block.text(key),)

    def _issue(self, block: Block, key: Any, token: int | str | None) -> Issue:
        return self.engine.issue(self._raws(block, key), token)


_NO_WORDS = np.zeros(0, dtype=np.uint64)
_NO_OUTCOMES = np.zeros(0, dtype=np.intp)


def _slot(token: int | str | None) -> int | str | None:
    """Where the outcomes of a token's keys are remembered: every year with no edition (a text token)
    shares one, as its keys' outcomes are alike (missing for a blank key, else bad)."""
    return "" if isinstance(token, str) else token


def as_list(keys: np.ndarray | list[Any]) -> list[Any]:
    """Keys of :meth:`Block.cells` as a list (word keys come as an array)."""
    return keys.tolist() if isinstance(keys, np.ndarray) else keys


def _combine(columns: Sequence[tuple[np.ndarray, np.ndarray | list[Any]]],
             size: int) -> tuple[np.ndarray, list[tuple[Any, ...]]]:
    """Code each record's tuple of cells, one (codes, keys) per column: one key, a tuple of the
    columns' keys, per distinct tuple among the records with every cell; ``NO_CELL`` for the others."""
    present = np.ones(size, dtype=bool)
    for codes, _ in columns:
        present &= codes != NO_CELL
    records = None if present.all() else np.flatnonzero(present)
    count = size if records is None else len(records)
    parts = [codes if records is None else codes[records] for codes, _ in columns]
    combined, holders = combine_codes([(codes, len(keys)) for codes, (_, keys) in zip(parts, columns)], count)
    held = [list(map(as_list(keys).__getitem__, codes[holders].tolist())) for codes, (_, keys) in zip(parts, columns)]
    keys = list(zip(*held))
    if records is None:
        return combined.astype(np.intp), keys
    everywhere = np.full(size, NO_CELL, dtype=np.intp)
    everywhere[records] = combined
    return everywhere, keys
