"""The DataFrame API: band whole columns (pandas, polars, NumPy arrays, lists) on the one engine.

Modules, each importing only those above it: ``inputs`` (what :func:`band` is given, read as
aligned columns), ``codes`` (outcome codes of whole columns), ``banding`` (:func:`band`, :class:`BandError`).
"""

from __future__ import annotations

from rightsband.frames.banding import ERRORS, BandError, band, builtin_rules

__all__ = ["ERRORS", "BandError", "band", "builtin_rules"]
