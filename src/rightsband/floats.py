"""Floats in order: the first float whose reading lies on one side of a number.

A float is read at 15 significant digits (:func:`rightsband.values.to_number`), and that
reading never decreases as the float grows. So for any number there is a first float whose
reading is at or above it (or above it), found by bisection over the floats in order: the
engine's thresholds (:meth:`rightsband.engine.Engine.floats`).
"""

from __future__ import annotations

import struct
from decimal import Decimal

from rightsband.values import to_number

__all__ = ["first_float", "float_before", "reading"]

_SIGN = 1 << 63
_LARGEST = 0x7FEF_FFFF_FFFF_FFFF  # the ordinal of the largest finite float


def _ordinal(x: float) -> int:
    """The place of a float among all floats: consecutive floats have consecutive ordinals (±0 is 0)."""
    bits: int = struct.unpack("<q", struct.pack("<d", x))[0]
    return bits if bits >= 0 else -(bits & ~_SIGN)


def _float_at(ordinal: int) -> float:
    ordinal = max(-_LARGEST, min(_LARGEST, ordinal))
    bits = ordinal if ordinal >= 0 else -ordinal | _SIGN
    x: float = struct.unpack("<d", struct.pack("<Q", bits))[0]
    return x


def reading(x: float) -> Decimal:
    """The number a float stands for, as :func:`rightsband.values.to_number` reads it (15 significant digits)."""
    read = to_number(x)
    assert read is not None
    return read[0]


def first_float(point: Decimal, closed: bool) -> float:
    """The smallest float whose reading is ``>= point`` (``closed``) or ``> point``: the reading
    rounds to 15 significant digits, which never decreases as the float grows, so bisect."""

    def beyond(ordinal: int) -> bool:
        read = reading(_float_at(ordinal))
        return read >= point if closed else read > point

    start = _ordinal(float(point))
    step = 1
    if beyond(start):
        high, low = start, start - step
        while beyond(low) and low > -_LARGEST:
            step *= 2
            high, low = low, max(start - step, -_LARGEST)
    else:
        low, high = start, start + step
        while not beyond(high) and high < _LARGEST:
            step *= 2
            low, high = high, min(start + step, _LARGEST)
    while high - low > 1:
        middle = (low + high) // 2
        if beyond(middle):
            high = middle
        else:
            low = middle
    return _float_at(high)


def float_before(x: float) -> float:
    """The largest float below ``x`` (the largest finite float's negative at the bottom)."""
    return _float_at(_ordinal(x) - 1)
