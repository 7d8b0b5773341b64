"""Built sets and groups as plain values that :mod:`marshal` can hold, and back.

The cache stores each set and group of built rules on its own this way (not pickled:
unpickling would cost a look-up the import of pickle, and could call any global).
A packed part holds only tuples, strings, integers, booleans and None, and lists
that tag the rest: ``["D", text]`` a Decimal, ``["R", "module:Class", fields]`` a
record of :mod:`rightsband.model` (its ``__slots__`` in order), ``["S", number]``
one of the rules' sets, which :func:`unpack` resolves through its caller, so that a
set that several parts refer to is one object.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from rightsband.model import _Record

#: Deeper parts are not packed (nor unpacked: an entry that deep is not one this module wrote).
MAX_DEPTH = 32
_PLAIN = (str, int, bool, type(None))


def pack(part: object, sets: Mapping[int, int], depth: int = 0) -> Any:
    """``part`` as plain values; a set within it whose ``id()`` is in ``sets`` (unless ``part`` itself)
    as a reference to its number. Raises ValueError for anything else a built part cannot hold."""
    if depth > MAX_DEPTH:
        raise ValueError("too deeply nested to pack")
    if isinstance(part, _Record):
        number = sets.get(id(part))
        if number is not None and depth:
            return ["S", number]
        kind = type(part)
        return ["R", f"{kind.__module__}:{kind.__qualname__}",
                tuple(pack(getattr(part, name), sets, depth + 1) for name in kind.__slots__)]
    if isinstance(part, Decimal):
        return ["D", str(part)]
    if isinstance(part, tuple):
        return tuple(pack(item, sets, depth + 1) for item in part)
    if type(part) in _PLAIN:
        return part
    raise ValueError(f"a {type(part).__name__} is not a part of built rules")


def unpack(value: Any, reference: Callable[[int], object], depth: int = 0) -> Any:
    """The part ``value`` packs, each set it refers to given by ``reference(number)``. Raises
    ValueError (or TypeError, LookupError) for anything :func:`pack` does not write."""
    if depth > MAX_DEPTH:
        raise ValueError("too deeply nested to be a packed part")
    if isinstance(value, tuple):
        return tuple(unpack(item, reference, depth + 1) for item in value)
    if type(value) in _PLAIN:
        return value
    tag, *rest = value
    if tag == "D" and len(rest) == 1 and isinstance(rest[0], str):
        return Decimal(rest[0])
    if tag == "S" and len(rest) == 1 and type(rest[0]) is int:
        return reference(rest[0])
    if tag == "R" and len(rest) == 2 and isinstance(rest[1], tuple):
        kind = _record_class(rest[0])
        if len(rest[1]) == len(kind.__slots__):
            record = kind.__new__(kind)
            for name, field in zip(kind.__slots__, rest[1]):
                setattr(record, name, unpack(field, reference, depth + 1))
            return record
    raise ValueError(f"{value!r:.80} is not a packed part")


def _record_class(name: Any) -> type[_Record]:
    """The record class ``module:Class`` names, if it is one of the model's."""
    module, _, qualname = str(name).partition(":")
    if module.startswith("rightsband.model.") and qualname.isidentifier():
        kind = getattr(importlib.import_module(module), qualname, None)
        if isinstance(kind, type) and issubclass(kind, _Record):
            return kind
    raise ValueError(f"{name!r:.80} is not a record of the model")
