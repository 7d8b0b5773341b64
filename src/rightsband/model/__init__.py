"""The band model: scales, bands with explicit bound sides, band sets and results.

- ``exact``: decimal arithmetic that never rounds a value that decides a band
- ``parts``: :class:`Scale`, :class:`Band`, :class:`Years`, :class:`YearError`
- ``constructs``: rounding, distances, gates (:class:`Gate`, :class:`Criterion`), cells, problem kinds
- ``bandset``: :class:`BandSet`, its :class:`Input`s, :class:`Group`s of editions, :class:`Classification`
- ``combined``: classifying into composite and gated sets
- ``ranking``: the labels of several editions in one order by band position
"""

from rightsband.model.bandset import BandSet, Group, Input, RawValue
from rightsband.model.classification import Classification
from rightsband.model.constructs import (
    AMBIGUOUS_TIE,
    CONFIDENCE,
    KINDS,
    LABEL_ONLY,
    OPERATORS,
    TIES,
    Criterion,
    Gate,
    GateOutcome,
    cell_key,
    round_half_up,
)
from rightsband.model.exact import exact_quotient
from rightsband.model.parts import COMBINE_RULES, HIGHER, LOWER, Band, Scale, YearError, Years, _Record
from rightsband.model.ranking import labels_by_position

__all__ = [
    "AMBIGUOUS_TIE", "COMBINE_RULES", "CONFIDENCE", "HIGHER", "KINDS", "LABEL_ONLY", "LOWER", "OPERATORS", "TIES",
    "Band", "BandSet", "Classification", "Criterion", "Gate", "GateOutcome", "Group", "Input", "RawValue", "Scale",
    "YearError", "Years", "_Record", "cell_key", "exact_quotient", "labels_by_position", "round_half_up",
]
