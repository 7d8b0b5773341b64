"""country_converter (coco), loaded on first use: its table of current countries, and its name patterns.

Imported lazily, with pandas, so that look-ups which never match a name (``rightsband classify``)
load neither; and its answers are kept in the user cache (:mod:`~rightsband.countries.cache`), so
that a run whose names were all asked before loads neither. coco 1.3.2 reads its own table with
pandas' default missing-value markers, and under pandas 3 that turns ``NA`` (Namibia's ISO2 code)
into a missing value and the converter cannot start; it is given its table read with
``keep_default_na=False`` (only empty cells are missing) instead.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from typing import Any

from rightsband.countries import cache

__all__ = ["codes_for", "current_codes", "known_names"]

_ALPHA3 = re.compile(r"[A-Z]{3}")


@functools.cache
def _converter() -> Any:
    """coco's converter over its current (not obsolete) countries, its logging kept to errors."""
    import country_converter
    import pandas

    # coco logs a warning per name it does not find; rightsband reports those names itself.
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    table = pandas.read_csv(
        country_converter.country_converter.COUNTRY_DATA_FILE,
        sep="\t", encoding="utf-8", keep_default_na=False, na_values=[""],
    )
    return country_converter.CountryConverter(country_data=table)


@functools.cache
def _answers() -> cache.Answers:
    """coco's answers kept in the user cache (:mod:`rightsband.countries.cache`), read once per process."""
    return cache.load()


def _ask(names: Sequence[str] = ()) -> None:
    """Ask coco (loading it) for its codes and names, and the codes in each of ``names``; keep the answers."""
    kept, converter = _answers(), _converter()
    data = converter.data
    kept.codes = frozenset(code for code in data["ISO3"] if _ALPHA3.fullmatch(code))
    kept.names = tuple(dict.fromkeys([*data["name_short"], *data["name_official"]]))
    if names:
        found = converter.convert(list(names), src="regex", to="ISO3", enforce_list=True, not_found="?")
        kept.found.update(zip(names, (tuple(dict.fromkeys(code for code in codes if _ALPHA3.fullmatch(str(code))))
                                      for codes in found)))
    cache.store(kept)


def current_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-3 codes coco knows (``XKX`` for Kosovo)."""
    if _answers().codes is None:
        _ask()
    return _answers().codes or frozenset()


def known_names() -> tuple[str, ...]:
    """coco's short and official names of every country it knows."""
    if _answers().names is None:
        _ask()
    return _answers().names or ()


def codes_for(names: Sequence[str]) -> list[tuple[str, ...]]:
    """The ISO3 codes coco's patterns find in each name: none, one, or several (an ambiguous name);
    coco is loaded only for a name it was never asked about (the answers are kept)."""
    kept = _answers().found
    new = [name for name in dict.fromkeys(names) if name not in kept]
    if new:
        _ask(new)
    return [kept[name] for name in names]
