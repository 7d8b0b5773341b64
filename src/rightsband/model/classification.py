"""What classifying one value gives: the band it falls in, where that band stands, and how it was
chosen (the number banded, a gate's outcome, a cell that named the band)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rightsband.model.parts import Band, _Record

if TYPE_CHECKING:
    from rightsband.model.bandset import BandSet
    from rightsband.model.constructs import GateOutcome


class Classification(_Record):
    """The outcome of classifying one value: the band it falls in and where that band stands.

    ``value`` is the number on the set's scale: exact, except for the mean of a composite
    set that has no finite decimal expansion (e.g. 5/3 for three inputs), which is shown
    rounded to 28 significant digits (the band was chosen from the exact mean); None where
    a cell named the band without a score (``cell`` is that text, e.g. ``<5``).
    ``banded`` is the number the band was chosen on, where a set rounds first or bands a
    distance (else None); ``gate`` what a gated set's criteria decided.
    ``year`` is the year it was classified for (``classify(..., year=)``), or None.
    """

    __slots__ = ("set", "value", "band", "position", "year", "banded", "gate", "cell")

    def __init__(self, set: BandSet, value: Decimal | None, band: Band, position: int, year: int | None = None,
                 banded: Decimal | None = None, gate: GateOutcome | None = None, cell: str | None = None):
        self.set, self.value, self.band = set, value, band
        self.position = position  # 1 = the best band
        self.year = year
        self.banded, self.gate, self.cell = banded, gate, cell

    @property
    def undetermined(self) -> bool:
        """True if the publisher decided values in this band case by case (see ``Band.either``)."""
        return bool(self.band.either)

    @property
    def set_id(self) -> str:
        return self.set.id

    @property
    def label(self) -> str:
        return self.band.label

    @property
    def lower(self) -> Decimal:
        return self.band.lower

    @property
    def upper(self) -> Decimal:
        return self.band.upper
