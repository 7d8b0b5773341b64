"""country_converter (coco), loaded on first use: its table of current countries, and its name patterns.

Imported lazily, with pandas, so that look-ups which never match a name (``rightsband classify``)
load neither. coco 1.3.2 reads its own table with pandas' default missing-value markers, and under
pandas 3 that turns ``NA`` (Namibia's ISO2 code) into a missing value and the converter cannot start;
it is given its table read with ``keep_default_na=False`` (only empty cells are missing) instead.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from typing import Any

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
def current_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-3 codes coco knows (``XKX`` for Kosovo)."""
    return frozenset(code for code in _converter().data["ISO3"] if _ALPHA3.fullmatch(code))


@functools.cache
def known_names() -> tuple[str, ...]:
    """coco's short and official names of every country it knows."""
    data = _converter().data
    return tuple(dict.fromkeys([*data["name_short"], *data["name_official"]]))


def codes_for(names: Sequence[str]) -> list[tuple[str, ...]]:
    """The ISO3 codes coco's patterns find in each name: none, one, or several (an ambiguous name)."""
    found = _converter().convert(list(names), src="regex", to="ISO3", enforce_list=True, not_found="?")
    return [tuple(dict.fromkeys(code for code in codes if _ALPHA3.fullmatch(str(code)))) for codes in found]
