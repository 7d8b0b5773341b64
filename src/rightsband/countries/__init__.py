"""Countries on one key: every country or territory name a publisher writes, matched to one code.

Keys are ISO 3166-1 alpha-3 codes (``KAZ``; ``XKX`` for Kosovo) found by country_converter (coco),
except where rightsband's own rules (``countries.toml``, beside ``bands.toml``) say otherwise: former
states take their ISO 3166-3 code (``CSHH`` Czechoslovakia, ``YDYE`` South Yemen) or an ``X-`` key
(``X-NORTH-YEMEN``), territories rated apart their own ISO code (``HKG``, ``PRI``) or an ``X-`` key
(``X-SOMALILAND``, ``X-GAZA-STRIP``), so none of them ever takes a current country's code.

    >>> matcher = CountryMatcher()                    # or CountryMatcher("my-countries.csv")
    >>> matcher.match(["Czech Republic", "Czechia", "Czechoslovakia"])
    {'Czech Republic': 'CZE', 'Czechia': 'CZE', 'Czechoslovakia': 'CSHH'}

coco (and pandas) are imported only when a name needs them. Modules, each importing only those above:

- ``names``: :func:`normalise`, the shapes of keys, :class:`CountriesError`
- ``rules``: reading ``countries.toml``
- ``overrides``: reading a user's ``name,code`` CSV
- ``coco``: country_converter, loaded on first use
- ``matching``: :class:`CountryMatcher`
- ``conflicts``: :func:`find_conflicts` (two values on one key and year)
"""

from __future__ import annotations

from rightsband.countries.conflicts import Conflict, Observation, find_conflicts
from rightsband.countries.matching import CountryMatcher
from rightsband.countries.names import CountriesError, normalise
from rightsband.countries.overrides import load_overrides
from rightsband.countries.rules import CountryRules, Place, builtin_rules, load_country_rules

__all__ = [
    "Conflict", "CountriesError", "CountryMatcher", "CountryRules", "Observation", "Place",
    "builtin_rules", "find_conflicts", "load_country_rules", "load_overrides", "normalise",
]
