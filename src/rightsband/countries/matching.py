"""Putting country names on one key: a user's overrides, then rightsband's rules, then codes, then coco."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from typing import Union

from rightsband.countries import coco
from rightsband.countries.names import normalise
from rightsband.countries.overrides import load_overrides
from rightsband.countries.rules import CountryRules, builtin_rules

__all__ = ["CountryMatcher"]

PathLike = Union[str, "os.PathLike[str]"]


class CountryMatcher:
    """Matches country names to keys, each distinct name once (see :mod:`rightsband.countries`).

    A name is normalised (:func:`~rightsband.countries.normalise`), then looked up in order: the
    user's ``extra`` CSV (``name,code``), rightsband's rules (``countries.toml``: former states,
    territories rated apart, spellings), a code given as the name (``KAZ``, ``SCG``, ``X-TIBET``),
    and last country_converter's name patterns, which must find exactly one country.
    """

    def __init__(self, extra: PathLike | None = None, *, rules: CountryRules | None = None):
        self._rules = rules if rules is not None else builtin_rules()
        self._overrides = load_overrides(extra, self._known_code) if extra is not None else {}
        self._by_name = {**self._rules.by_name, **{normalise(name): c for name, c in self._overrides.items()}}
        #: Normalised name -> the codes found for it (one: matched; none or several: unmatched).
        self._found: dict[str, tuple[str, ...]] = {}

    def code(self, name: str) -> str | None:
        """The key of ``name``, or None when nothing (or more than one country) matches it."""
        return self.match([name])[name]

    def match(self, names: Iterable[str]) -> dict[str, str | None]:
        """Each distinct name of ``names`` with its key (None: unmatched); coco runs once per new name."""
        distinct = dict.fromkeys(names)
        keys = {name: normalise(name) for name in distinct}
        new = [key for key in dict.fromkeys(keys.values()) if key not in self._found]
        unresolved = []
        for key in new:
            known = self._resolve(key)
            if known is None:
                unresolved.append(key)
            else:
                self._found[key] = known
        if unresolved:
            self._found.update(zip(unresolved, coco.codes_for(unresolved)))
        return {name: _single(self._found[key]) for name, key in keys.items()}

    def candidates(self, name: str) -> tuple[str, ...]:
        """Every country the name could be: one key when it matches, several when it is ambiguous."""
        self.code(name)
        return self._found[normalise(name)]

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Up to ``n`` known names most like ``name`` (for the message about a name nothing matches)."""
        spellings = (spelling for place in self._rules.places for spelling in place.names)
        known: dict[str, str] = {}
        for known_name in (*self._overrides, *spellings, *coco.known_names()):
            known.setdefault(normalise(known_name), known_name)
        close = difflib.get_close_matches(normalise(name), list(known), n=n, cutoff=0.6)
        return [known[key] for key in close]

    def problem(self, name: str) -> str:
        """One line on why ``name`` has no key and how to give it one ("" when it has one)."""
        codes = self.candidates(name)
        if len(codes) == 1:
            return ""
        fix = f"add a line {name.strip()!r},CODE to a countries file (--countries FILE)"
        if codes:
            return f"{name.strip()!r} names more than one country ({', '.join(codes)}); {fix}"
        closest = self.closest(name)
        like = f" (closest known names: {', '.join(repr(c) for c in closest)})" if closest else ""
        return f"no country matches {name.strip()!r}{like}; {fix}"

    def _resolve(self, key: str) -> tuple[str, ...] | None:
        """The codes of a normalised name from the overrides, the rules or as a code; None: ask coco."""
        if not key:
            return ()
        if key in self._by_name:
            return (self._by_name[key],)
        code = key.upper()
        if code in self._rules.by_code:
            return (self._rules.by_code[code],)
        if code in self._overrides.values() or (len(code) == 3 and code in coco.current_codes()):
            return (code,)
        return None

    def _known_code(self, code: str) -> bool:
        """Whether a code of ISO shape is one rightsband knows: a rules key or code, or coco's ISO3."""
        return code in self._rules.by_code or code in coco.current_codes()


def _single(codes: tuple[str, ...]) -> str | None:
    """The one code of a match; None when there is none or more than one."""
    return codes[0] if len(codes) == 1 else None
