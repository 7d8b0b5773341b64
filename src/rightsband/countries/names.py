"""Names and keys: the normal form names are matched in, the shapes a key may take, the error type."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CountriesError", "is_key", "is_own_key", "normalise"]

_SPACES = re.compile(r"\s+")
#: ISO 3166-1 alpha-3, ISO 3166-3 (four letters), or rightsband's own ``X-`` key (a hyphen: never ISO).
_KEY = re.compile(r"[A-Z]{3,4}|X(?:-[A-Z0-9]+)+")
_OWN_KEY = re.compile(r"X(?:-[A-Z0-9]+)+")


class CountriesError(ValueError):
    """A countries file (rules or overrides) that cannot be used: one line naming file, place, value and fix."""


def normalise(name: str) -> str:
    """The form names are compared in: NFC, case folded, runs of white space as one space, no
    white space, dots or commas at either end (FH's ``Germany, E. `` is ``germany, e``)."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", name)).casefold()
    return text.strip(" .,;:")


def is_key(text: str) -> bool:
    """Whether ``text`` has the shape of a key: ``KAZ``, ``CSHH`` or ``X-SOMALILAND``."""
    return _KEY.fullmatch(text) is not None


def is_own_key(text: str) -> bool:
    """Whether ``text`` is a key of rightsband's own (or a user's): ``X-`` and a hyphenated name."""
    return _OWN_KEY.fullmatch(text) is not None
