"""Load band rules from TOML, check them, and look band sets up by id or alias.

One pass over the rules files both builds the band sets and collects findings
(unknown keys, bounds out of order, overlaps, gaps, ...), each naming the file,
line, set and band, so ``rightsband check`` and loading can never disagree:
:func:`load_rules` raises :class:`RulesError` exactly when :func:`check_rules`
reports an error.

The modules of this package, each importing only those above it (and
``rightsband.model``, ``rightsband.values``):

- ``findings``: :class:`Finding`, :class:`RulesError`
- ``positions``: where tables and keys stand in a file's text
- ``packing``: built sets and groups as plain values (for the cache), and back
- ``cache``: parsed files, and built rules, kept in a user cache, keyed on all they come from
- ``fields``: checks of single values (numbers, years, names, prose) and their limits
- ``syntax``: TOML syntax errors and nesting, located on a line
- ``drafts``: :class:`RulesSource`, draft sets and groups
- ``bands_check``: a set's bands against each other and its scale
- ``constructs``: rounding, two-sided sets, ties, gates, label-only sets and grading keys of one set
- ``sets``: reading one ``[[set]]`` table
- ``reader``: reading one file
- ``build``: merging files; names, inputs and groups across files
- ``registry``: :class:`Rules`, :class:`UnknownSetError`
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Union

from rightsband.model import YearError
from rightsband.rules import cache
from rightsband.rules.drafts import RulesSource, RulesText
from rightsband.rules.findings import Finding, RulesError
from rightsband.rules.registry import Rules, UnknownSetError

__all__ = [
    "Finding", "PathLike", "Rules", "RulesError", "RulesFile", "RulesSource", "RulesText", "UnknownSetError",
    "YearError",
    "builtin_path", "check_rules", "load_rules",
]

PathLike = Union[str, "os.PathLike[str]"]
#: One rules file: a path, or text already read (:class:`RulesSource`).
RulesFile = Union[str, "os.PathLike[str]", RulesSource]


def builtin_path() -> str:
    """The shipped ``bands.toml``: inside the installed package (``rightsband/bands.toml``), or at
    the repo root in a checkout (``src/rightsband/../../bands.toml``)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    packaged = os.path.join(package, "bands.toml")
    if os.path.isfile(packaged):
        return packaged
    return os.path.normpath(os.path.join(package, os.pardir, os.pardir, "bands.toml"))


def load_rules(path: RulesFile | Sequence[RulesFile] | None = None, *, builtins: bool = True) -> Rules:
    """The built-in band sets plus those of the rules files in ``path``.

    ``path`` is one rules file or a sequence of them, read in order; each is a path
    (``str`` or ``os.PathLike``) or a :class:`RulesSource` holding text already read
    (stdin, a pipe: ``load_rules(RulesSource("-", sys.stdin.read()))``). A set in a
    later file replaces a set with the same id (any case) in an earlier file or the
    built-ins, aliases and all; any other name that two sets share is an error.
    With ``builtins=False`` only the given files are loaded (the built-ins when none
    is given).

    Raises RulesError, whose ``findings`` list every error, if any file has one
    (warnings do not stop loading).

    Rules loaded from files alone (no RulesSource) without any finding are kept in
    the user cache (:mod:`rightsband.rules.cache`) and used again while the files and
    the code are unchanged: the built-ins alone load in a few milliseconds instead of
    reading and checking every set, and each set is unpacked only when first
    asked for (a look-up reads one).
    """
    files = _files(path, builtins)
    key = _built_key(files)
    if key is not None:
        stored = cache.load_built(key)
        if stored is not None:
            return Rules.stored(stored, lambda: _build(files, key))
    return _build(files, key)


def _build(files: Sequence[str | RulesSource], key: cache.BuiltKey | None) -> Rules:
    """Read, check and build ``files``, and keep the rules in the cache under ``key`` if they have no finding."""
    from rightsband.rules.build import gather  # here: a look-up with the rules cached needs none of it

    sets, groups, findings = gather(files)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise RulesError(errors)
    rules = Rules(sets, groups)
    if key is not None and not findings:
        cache.store_built(key, rules.index(), rules.sets, rules.groups)
    return rules


def check_rules(path: RulesFile | Sequence[RulesFile] | None = None, *, builtins: bool = True) -> list[Finding]:
    """Every finding for the rules as :func:`load_rules` with the same arguments would load them
    (the built-ins alone when ``path`` is None). Never raises for what a file holds."""
    from rightsband.rules.build import gather

    return gather(_files(path, builtins))[2]


def _built_key(files: Sequence[str | RulesSource]) -> cache.BuiltKey | None:
    """The built-rules cache key of loading ``files``; None when one is text already read (no file to key on)."""
    paths = [item for item in files if isinstance(item, str)]
    return cache.built_key(paths) if len(paths) == len(files) else None


def _files(path: RulesFile | Sequence[RulesFile] | None, builtins: bool) -> list[str | RulesSource]:
    if path is None:
        given: list[RulesFile] = []
    elif isinstance(path, (str, RulesSource, os.PathLike)):
        given = [path]
    else:
        given = list(path)
    files = [item if isinstance(item, RulesSource) else os.fspath(item) for item in given]
    for item in files:
        if not isinstance(item, (str, RulesSource)):
            raise TypeError(f"a rules file is a str path, an os.PathLike or a RulesSource, not {item!r}")
    return ([builtin_path()] if builtins or not files else []) + files
