"""The band model: scales, bands with explicit bound sides, band sets and results.

- ``exact``: decimal arithmetic that never rounds a value that decides a band
- ``parts``: :class:`Scale`, :class:`Band`, :class:`Years`, :class:`YearError`
- ``bandset``: :class:`BandSet`, its :class:`Input`s, :class:`Group`s of editions, :class:`Classification`
"""

from rightsband.model.bandset import BandSet, Classification, Group, Input, RawValue
from rightsband.model.exact import exact_quotient
from rightsband.model.parts import COMBINE_RULES, HIGHER, LOWER, Band, Scale, YearError, Years, _Record

__all__ = [
    "COMBINE_RULES", "HIGHER", "LOWER", "Band", "BandSet", "Classification", "Group", "Input", "RawValue", "Scale",
    "YearError", "Years", "_Record", "exact_quotient",
]
