"""The one classification engine: values in, band outcomes out, each distinct value classified once.

Every door that classifies more than one value (``label`` on a CSV, the DataFrame API,
``classify`` with many values) comes here, and every outcome here comes from
:meth:`BandSet.classify`: the engine adds speed, never a rule of its own.

- A key (one value, or the values of a composite set's inputs, with the edition its year
  picks) is classified once per engine and remembered (:meth:`Engine.outcome`).
- A float64 array on a plain set is classified by bisection (:meth:`Engine.floats`): the
  floats at which the outcome can change (:meth:`BandSet.cut_points`, read as floats are
  read, at 15 significant digits) are found once, one float per interval between them is
  classified, and every value takes its interval's outcome: exact at every bound, with no
  per-value Python. Text that is a plain number of up to 15 digits goes the same way
  (:meth:`Engine.texts`): its float reads as exactly the number it names.

Outcomes are codes: ``0..n-1`` the place of the label in :attr:`Engine.labels`, ``n``
(:attr:`Engine.missing`) a missing value, ``n + 1`` (:attr:`Engine.bad`) a bad one, whose
:class:`Issue` says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from rightsband.model import BandSet, YearError
from rightsband.problems import DECIMAL, YEAR
from rightsband.values import (
    FLOAT_DIGITS,
    YEAR_FIX,
    ValueProblem,
    is_missing,
    is_missing_value,
    shown,
    years_named,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = ["REMEMBERED", "Engine", "Issue", "memo_key"]

#: An engine remembers the outcomes of at most this many keys (then starts again): enough for every
#: distinct score of a real column, bounded for a column of millions of distinct values.
REMEMBERED = 1 << 18

class Issue(NamedTuple):
    """Why a key is bad: the message, its kind, the column at fault if it is not the key's own
    (``year`` for a year with no edition), the value(s) as written, and the band set (or INDEX)."""

    message: str
    kind: str
    column: str | None
    cell: str
    set_id: str


class _Missing:
    """Stands in a memo key for every missing value: they all classify alike."""

    def __repr__(self) -> str:
        return "MISSING"


_MISSING = _Missing()
#: Text :meth:`Engine.texts` reads through its float: digits, with one decimal point or comma.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?")


def memo_key(raw: object) -> object:
    """A dict key for a raw value, equal only for values that read alike: texts as they are, missing
    values as one, other values with their type (``1``, ``1.0``, ``True`` and ``numpy.float32(40.0)``
    are equal in Python but do not read alike; equal values of one type do). A value that cannot be
    a dict key (a list, a dict) holds no number: it is keyed by its type and how it is shown."""
    if isinstance(raw, str):
        return raw
    if is_missing_value(raw):
        return _MISSING
    try:
        hash(raw)
    except TypeError:
        return (type(raw), repr(raw))
    return (type(raw), raw)


class Engine:
    """Classifies the values of one band set, or of the editions a year picks (``choose``).

    ``labels`` are the outcome labels in code order (default: the set's, best band first;
    with ``choose``, every edition's). ``columns`` name the inputs in messages about a
    composite key; ``decimal`` (``.`` or ``,``) refuses text with the other separator;
    ``year_column`` names where years come from in messages; ``index`` is the set or
    group as typed, named by year problems.

    A key's token says which band set classifies it: None (the engine's set), the place of
    an edition in :attr:`editions` (:meth:`edition` turns a year into one), or a year, as
    text, for which there is no edition.
    """

    def __init__(self, band_set: BandSet, *, labels: Sequence[str] | None = None,
                 choose: Callable[[int], BandSet] | None = None, columns: Sequence[str] | None = None,
                 decimal: str | None = None, year_column: str | None = None, index: str | None = None):
        self.set, self.choose, self.decimal, self.year_column = band_set, choose, decimal, year_column
        self.index = index or band_set.id
        self.labels = list(labels) if labels is not None else [band.label for band in band_set.bands]
        self.columns = tuple(columns) if columns else tuple(i.name for i in band_set.inputs) or (band_set.id,)
        self.missing = len(self.labels)
        self.bad = self.missing + 1
        self._places = {label: n for n, label in enumerate(self.labels)}
        self._outcomes: dict[Any, int] = {}
        self._issues: dict[Any, Issue] = {}
        self.editions: list[BandSet] = []  # the editions years have picked, in order of first use
        self._edition_places: dict[str, int] = {}
        self._year_tokens: dict[object, int | str] = {}
        self._year_errors: dict[str, YearError] = {}
        self._cuts: dict[int | None, tuple[np.ndarray, np.ndarray] | None] = {}

    # -- years ------------------------------------------------------------------------------

    def edition(self, year: object) -> int | str:
        """The token of a year value (``2015``, ``"2015"``, ``"2011-12"``, ``2015.0``): the place of
        the edition it picks in :attr:`editions`, or the year as text when there is none."""
        key = memo_key(year)
        token = self._year_tokens.get(key)
        if token is None:
            text = year if isinstance(year, str) else ("" if key is _MISSING else str(year))
            try:
                edition = self._pick(year, text)
            except YearError as problem:
                token = text
                self._year_errors[text] = problem
            else:
                token = self._edition_places.setdefault(edition.id, len(self.editions))
                if token == len(self.editions):
                    self.editions.append(edition)
            self._year_tokens[key] = token
        return token

    def _pick(self, year: object, text: str) -> BandSet:
        where = f'(column "{self.year_column}")' if self.year_column else "(year)"
        years = years_named(year)
        if not years:
            raise YearError(f'"{shown(text)}" {where} is not a year; {YEAR_FIX}')
        choose = self.choose or self._covering
        editions = list({edition.id: edition for edition in map(choose, sorted(years))}.values())
        if len(editions) > 1:
            named = ", ".join(e.id for e in editions)
            raise YearError(f'"{shown(text)}" {where} spans editions ({named}); give one year per record')
        return editions[0]

    def _covering(self, year: int) -> BandSet:
        self.set.classify(None, year=year)  # raises YearError for a year the set does not cover
        return self.set

    def band_set(self, token: int | str | None = None) -> BandSet:
        """The band set a token stands for (the engine's own for None or a year with no edition)."""
        return self.editions[token] if isinstance(token, int) else self.set

    # -- keys ------------------------------------------------------------------------------

    def outcome(self, raws: tuple[object, ...], token: int | str | None = None) -> int:
        """The outcome of one key: the value (or a composite set's input values, in order) with its token."""
        key = self._key(raws, token)
        outcome = self._outcomes.get(key)
        if outcome is None:
            outcome, issue = self._classify(raws, token)
            if len(self._outcomes) >= REMEMBERED:  # memory stays bounded however many distinct values come
                self._outcomes.clear()
                self._issues.clear()
            self._outcomes[key] = outcome
            if issue is not None:
                self._issues[key] = issue
        return outcome

    @staticmethod
    def _key(raws: tuple[object, ...], token: int | str | None) -> tuple[object, ...]:
        return (token, *map(memo_key, raws))

    def outcomes(self, keys: Iterable[tuple[object, ...]], token: int | str | None = None) -> np.ndarray:
        """The outcomes of many keys, as an array."""
        import numpy as np  # here, not at the top: classify's look-ups never need NumPy

        return np.fromiter((self.outcome(raws, token) for raws in keys), dtype=np.intp)

    def texts(self, texts: Sequence[str], token: int | str | None = None) -> np.ndarray:
        """The outcomes of many texts of a one-input set, as an array. Plain numbers (digits with at
        most one ``.`` or ``,``, no more than 15 digits) go through :meth:`floats`: a float read at
        15 significant digits is exactly the number such text names, so its outcome is the text's;
        every other text (and every text on a set without cut points) is classified as it is."""
        import numpy as np

        if isinstance(token, str):  # a year with no edition: what a text is does not matter, only if it is missing
            return np.fromiter((self.missing if _blank((text,)) else self.bad for text in texts), dtype=np.intp,
                               count=len(texts))
        other = self._refused_separator()
        plain = [n for n, text in enumerate(texts)
                 if _PLAIN_NUMBER.fullmatch(text) and (other is None or other not in text)
                 and len(text) - (text[0] in "+-") - ("." in text or "," in text) <= FLOAT_DIGITS]
        found = None if not plain else self.floats(
            np.fromiter((float(texts[n].replace(",", ".")) for n in plain), dtype=np.float64, count=len(plain)),
            token)
        if found is None:
            return self.values(texts, token)
        outcomes = np.empty(len(texts), dtype=np.intp)
        outcomes[plain] = found
        rest = np.ones(len(texts), dtype=bool)
        rest[plain] = False
        outcomes[rest] = self.values([texts[n] for n in np.flatnonzero(rest).tolist()], token)
        return outcomes

    def values(self, values: Iterable[object], token: int | str | None = None) -> np.ndarray:
        """The outcomes of many values of a one-input set, as an array."""
        import numpy as np

        return np.fromiter((self.outcome((value,), token) for value in values), dtype=np.intp)

    def issue(self, raws: tuple[object, ...], token: int | str | None = None) -> Issue:
        """Why a key is bad (classifying it first if it has not been)."""
        if self.outcome(raws, token) != self.bad:
            raise ValueError(f"{raws!r} is not a bad key")
        return self._issues[self._key(raws, token)]

    def code_type(self) -> type[np.unsignedinteger[Any]]:
        """The smallest unsigned type that holds every outcome code: a column of outcomes is as
        small as it can be (less memory to fill, less to send between processes)."""
        import numpy as np

        return np.uint8 if self.bad < 1 << 8 else np.uint16 if self.bad < 1 << 16 else np.uint32

    def label(self, outcome: int) -> str | None:
        """The label of an outcome code (None for missing and bad)."""
        return self.labels[outcome] if outcome < self.missing else None

    def _classify(self, raws: tuple[object, ...], token: int | str | None) -> tuple[int, Issue | None]:
        band_set = self.band_set(token)
        texts = [_text(raw) for raw in raws]
        cell = texts[0] if len(raws) == 1 else " ".join(f"{name}={text}" for name, text in zip(self.names(), texts))
        for raw, column in zip(raws, self.columns):
            problem = self._decimal_problem(raw)
            if problem:
                message = problem if len(raws) == 1 else f'column "{column}": {problem}'
                return self.bad, Issue(message, DECIMAL, None, cell, band_set.id)
        if isinstance(token, str):  # a year with no edition
            if _blank(raws):
                return self.missing, None  # an empty record loses no label to a year that does not fit
            return self.bad, self._year_issue(token)
        value: object = raws[0] if len(raws) == 1 else dict(zip((i.name for i in band_set.inputs), raws))
        try:
            result = band_set.classify(value)
        except ValueProblem as problem:
            return self.bad, Issue(str(problem), problem.kind, None, cell, band_set.id)
        if result is None:
            return self.missing, None
        return self._places[result.label], None

    def _year_issue(self, token: str) -> Issue:
        return Issue(str(self._year_errors[token]), YEAR, self.year_column, token, self.index)

    def shared_issue(self, token: int | str | None) -> Issue | None:
        """The issue of every bad key with this token, where it is one whatever the key: a year with no
        edition, when no key can have a decimal separator refused first. Else None."""
        return self._year_issue(token) if isinstance(token, str) and self.decimal is None else None

    def names(self) -> tuple[str, ...]:
        """The input names of a composite set (for messages), else its id."""
        return tuple(i.name for i in self.set.inputs) or (self.set.id,)

    def _refused_separator(self) -> str | None:
        """The decimal separator ``decimal`` refuses (the other one), or None if either is taken."""
        return None if self.decimal is None else "," if self.decimal == "." else "."

    def _decimal_problem(self, raw: object) -> str | None:
        other = self._refused_separator()
        if other is None or not isinstance(raw, str) or is_missing(raw):
            return None
        if other in raw:
            kind = "decimal comma" if other == "," else "decimal point"
            return (f'"{shown(raw)}" has a {kind}, but --decimal is "{self.decimal}"; '
                    f"give --decimal {other} if the file uses it")
        return None

    # -- float arrays ------------------------------------------------------------------------

    def floats(self, values: np.ndarray, token: int | str | None = None) -> np.ndarray | None:
        """The outcomes of a float64 array by bisection; None where the set has no cut points
        (a composite or stepped set) or the token is a year with no edition."""
        if isinstance(token, str):
            return None
        if token not in self._cuts:
            self._cuts[token] = self._intervals(token)
        cuts = self._cuts[token]
        if cuts is None:
            return None
        thresholds, per_interval = cuts
        import numpy as np

        outcomes = per_interval[np.searchsorted(thresholds, values, side="right")]
        outcomes[np.isnan(values)] = self.missing
        return outcomes

    def _intervals(self, token: int | None) -> tuple[np.ndarray, np.ndarray] | None:
        """The floats at which the outcome can change, sorted, and the outcome of each interval they
        make: interval ``k`` holds the floats with exactly ``k`` thresholds at or below them."""
        points = self.band_set(token).cut_points()
        if points is None:
            return None
        import numpy as np

        from rightsband.floats import first_float, float_before  # here, with NumPy: a look-up needs neither

        thresholds = [first_float(point, closed) for point in points for closed in (True, False)]

        below = float_before(thresholds[0])
        representatives = [below, *thresholds]
        per_interval = np.array([self.outcome((x,), token) for x in representatives], dtype=self.code_type())
        return np.array(thresholds, dtype=np.float64), per_interval


def _blank(raws: tuple[object, ...]) -> bool:
    """True if every value of a key is missing: a year with no edition then loses no label."""
    return all(is_missing_value(raw) for raw in raws)


def _text(raw: object) -> str:
    """A raw value as a message shows it."""
    if isinstance(raw, str):
        return raw
    return "" if raw is None else str(raw)
