"""Labels for the panel: one :class:`~rightsband.engine.Engine` per band set (edition), so each
distinct value is classified once, and the rule's label judged against the publisher's own as
``verify`` judges it (aliases agree; an undetermined band is ambiguous)."""

from __future__ import annotations

from collections.abc import Mapping

from rightsband.engine import REMEMBERED, Engine, Issue
from rightsband.model import BandSet, YearError
from rightsband.rules import Rules
from rightsband.verify.verdicts import AGREE, AMBIGUOUS, DISAGREE, names, normalised

__all__ = ["Bander"]


class Bander:
    """The band set a set id (or group) stands for in a year, each value's label, and its verdict."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self._sets: dict[tuple[str, int], BandSet | YearError] = {}
        self._engines: dict[str, Engine] = {}
        self._verdicts: dict[tuple[str, str, str], str] = {}
        self._labels: dict[tuple[str, tuple[object, ...]], tuple[str | None, Issue | None]] = {}

    def band_set(self, set_id: str, year: int) -> BandSet:
        """The set ``set_id`` (a set or a group) stands for in ``year``; YearError when none does."""
        key = (set_id, year)
        if key not in self._sets:
            try:
                self._sets[key] = self.rules.for_year(set_id, year)
            except YearError as error:
                self._sets[key] = error
        found = self._sets[key]
        if isinstance(found, YearError):
            raise found
        return found

    def label(self, band_set: BandSet, value: str | Mapping[str, str]) -> tuple[str | None, Issue | None]:
        """The label of a value (a score, or a set's inputs by name): None and no issue when it is
        missing, None and the engine's issue when it is bad."""
        raws = (value,) if isinstance(value, str) else tuple(value.get(item.name, "") for item in band_set.inputs)
        known = self._labels.get((band_set.id, raws))
        if known is not None:
            return known
        engine = self._engines.get(band_set.id)
        if engine is None:
            engine = self._engines[band_set.id] = Engine(band_set)
        outcome = engine.outcome(raws)
        found = (None, engine.issue(raws)) if outcome == engine.bad else (engine.label(outcome), None)
        if len(self._labels) < REMEMBERED:  # bounded, however many distinct values come
            self._labels[band_set.id, raws] = found
        return found

    def verdict(self, band_set: BandSet, label: str, published: str) -> str:
        """``agree`` (the label or one of its aliases), ``ambiguous`` (the published label is one
        of the bands an undetermined band stands between) or ``disagree``."""
        key = (band_set.id, label, published)
        if key not in self._verdicts:
            bands = {band.label: band for band in band_set.bands}
            band = bands[label]
            said = normalised(published)
            either = {normalised(name) for other in band.either for name in
                      (names(bands[other]) if other in bands else (other,))}
            self._verdicts[key] = (AGREE if said in map(normalised, names(band)) else
                                   AMBIGUOUS if said in either else DISAGREE)
        return self._verdicts[key]
