"""rightsband's own country rules, read from ``countries.toml``: former states and territories rated apart
that must not take a current country's code, and spellings the name matcher gets wrong."""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
from collections.abc import Mapping
from typing import Any, Literal, Union, cast

from rightsband.countries.names import CountriesError, is_key, is_own_key, normalise

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["CountryRules", "Kind", "Place", "builtin_rules", "load_country_rules", "rules_path"]

PathLike = Union[str, "os.PathLike[str]"]
Kind = Literal["former", "territory", "spelling"]
_KINDS: tuple[Kind, ...] = ("former", "territory", "spelling")
_FIELDS = {"key", "kind", "names", "codes", "note"}


@dataclasses.dataclass(frozen=True)
class Place:
    """One ``[[place]]``: its key, kind, the names publishers give it and other codes that mean it."""

    key: str
    kind: Kind
    names: tuple[str, ...]
    codes: tuple[str, ...] = ()
    note: str = ""


@dataclasses.dataclass(frozen=True)
class CountryRules:
    """The places of a rules file, looked up by normalised name or by code."""

    places: tuple[Place, ...]
    by_name: Mapping[str, str]
    by_code: Mapping[str, str]


def rules_path() -> str:
    """The shipped ``countries.toml``: inside the installed package, or at the repo root in a checkout."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    packaged = os.path.join(package, "countries.toml")
    if os.path.isfile(packaged):
        return packaged
    return os.path.normpath(os.path.join(package, os.pardir, os.pardir, "countries.toml"))


@functools.cache
def builtin_rules() -> CountryRules:
    """The shipped rules, read once per process."""
    return load_country_rules(rules_path())


def load_country_rules(path: PathLike) -> CountryRules:
    """The rules of the TOML file at ``path``; CountriesError (one line) if it cannot be read or breaks a rule."""
    where = os.fspath(path)
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise CountriesError(f"{where}: cannot read the countries rules ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise CountriesError(f"{where}: not valid TOML ({error}); fix the file's syntax") from None
    if data.get("schema") != 1:
        raise CountriesError(f'{where}: schema is {data.get("schema")!r}; the first setting must be "schema = 1"')
    tables = data.get("place", [])
    if not isinstance(tables, list):
        raise CountriesError(f"{where}: place is not an array of tables; write each as [[place]]")
    places = tuple(_place(table, f"{where}: [[place]] {index}") for index, table in enumerate(tables, 1))
    by_name: dict[str, str] = {}
    by_code: dict[str, str] = {}
    for place in places:
        for code in (place.key, *place.codes):
            if by_code.setdefault(code, place.key) != place.key:
                raise CountriesError(
                    f'{where}: code "{code}" is given to {by_code[code]} and {place.key}; keep it in one'
                )
        for name in place.names:
            if by_name.setdefault(normalise(name), place.key) != place.key:
                raise CountriesError(
                    f'{where}: name "{name}" is given to {by_name[normalise(name)]} and {place.key}; keep it in one'
                )
    return CountryRules(places, by_name, by_code)


def _place(table: object, where: str) -> Place:
    """One ``[[place]]`` table, checked."""
    if not isinstance(table, dict):
        raise CountriesError(f"{where}: not a table; write it as [[place]] with key, kind and names")
    fields = cast("dict[str, Any]", table)
    unknown = sorted(set(fields) - _FIELDS)
    if unknown:
        raise CountriesError(f"{where}: unknown field {unknown[0]!r}; the fields are {', '.join(sorted(_FIELDS))}")
    key, kind = fields.get("key"), fields.get("kind")
    where = f'{where} (key "{key}")'
    if not isinstance(key, str) or not is_key(key):
        raise CountriesError(f"{where}: key {key!r} is not a key; use ABC (ISO 3166-1), ABCD (ISO 3166-3) or X-NAME")
    if kind not in _KINDS:
        raise CountriesError(f"{where}: kind {kind!r} is not one of {', '.join(_KINDS)}")
    if not _key_fits(key, kind):
        raise CountriesError(f"{where}: a {kind} cannot have key {key}; {_KEY_RULE[kind]}")
    names, codes, note = fields.get("names"), fields.get("codes", []), fields.get("note", "")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and normalise(n) for n in names):
        raise CountriesError(f"{where}: names must be a list of one or more names")
    if not isinstance(codes, list) or not all(isinstance(c, str) and is_key(c) and not is_own_key(c) for c in codes):
        raise CountriesError(f"{where}: codes must be a list of ISO codes (ABC or ABCD)")
    if not isinstance(note, str):
        raise CountriesError(f"{where}: note must be text")
    return Place(key, kind, tuple(names), tuple(codes), note)


_KEY_RULE: dict[Kind, str] = {
    "former": "give a former state its ISO 3166-3 code (ABCD) or an X- key, never a current ISO 3166-1 code",
    "territory": "give a territory its own ISO 3166-1 code (ABC) or an X- key",
    "spelling": "a spelling names a current country: give its ISO 3166-1 code (ABC)",
}


def _key_fits(key: str, kind: Kind) -> bool:
    """Whether a key of this shape may stand for a place of this kind (see ``_KEY_RULE``)."""
    if is_own_key(key):
        return kind != "spelling"
    return len(key) == (4 if kind == "former" else 3)
