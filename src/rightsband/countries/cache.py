"""country_converter's answers kept in the user cache, so that a run whose names were all asked before
imports neither country_converter nor pandas (loading them is a good part of a panel's time).

One entry, ``countries-coco-pyXY.marshal`` in rightsband's cache folder (beside the parsed rules,
:func:`rightsband.rules.cache.cache_dir`): the codes and names coco knows and its answer for every
name asked, under a key made of the exact bytes of coco's package (its code and its country table)
and of the module that asks it (:mod:`rightsband.countries.coco`): another coco release, another
table or another way of asking is another key, and the entry starts afresh. An entry that is not
there, not ours or does not read, and a folder that cannot be written, all mean asking coco: the
cache never makes a run fail or answer differently.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import itertools
import marshal
import os
import sys

from rightsband.rules.cache import cache_dir, write_entry

__all__ = ["MAX_NAMES", "Answers", "entry_path", "load", "store"]

#: Part of the key; raise it when what an entry holds changes shape.
FORMAT = 1
#: At most this many names' answers are kept (the first asked); a name beyond them is asked again each run.
MAX_NAMES = 50_000


@dataclasses.dataclass
class Answers:
    """What coco said: its current ISO3 codes and its names (None: not asked yet), and the codes
    it found for each name asked. ``key`` is what they hold for (None: nothing to key them on, never stored)."""

    key: bytes | None
    codes: frozenset[str] | None = None
    names: tuple[str, ...] | None = None
    found: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)


def entry_path() -> str:
    """Where the entry is kept."""
    return os.path.join(cache_dir(), f"countries-coco-py{sys.version_info[0]}{sys.version_info[1]}.marshal")


def load() -> Answers:
    """The answers kept for the coco installed now, or none yet (under the current key)."""
    key = _key()
    if key is None:
        return Answers(None)
    try:
        with open(entry_path(), "rb") as file:
            kept, codes, names, found = marshal.load(file)
        if kept == key and isinstance(found, dict):
            return Answers(key, frozenset(codes), tuple(names), found)
    except Exception:  # no entry, or truncated, corrupt or foreign: whatever it is, ask coco
        pass
    return Answers(key)


def store(answers: Answers) -> None:
    """Keep ``answers`` (all of them asked: codes, names and the names' codes); quietly not where
    that is not possible."""
    if answers.key is None or answers.codes is None or answers.names is None:
        return
    found = dict(itertools.islice(answers.found.items(), MAX_NAMES))
    data = marshal.dumps((answers.key, tuple(sorted(answers.codes)), answers.names, found))
    write_entry(entry_path(), data)


def _key() -> bytes | None:
    """The exact bytes of coco's package files and of the module that asks it, with the format and
    Python version; None when coco cannot be found or read (then nothing is kept)."""
    import hashlib

    try:
        spec = importlib.util.find_spec("country_converter")
        folders = list(spec.submodule_search_locations or ()) if spec is not None else []
        if len(folders) != 1:
            return None
        digest = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
        names = sorted(n for n in os.listdir(folders[0]) if n.endswith((".py", ".tsv")))
        asker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "coco.py")
        for path in [*(os.path.join(folders[0], n) for n in names), asker]:
            with open(path, "rb") as file:
                data = file.read()
            digest.update(f"{os.path.basename(path)} {len(data)}\0".encode())
            digest.update(data)
    except (OSError, ImportError, ValueError):
        return None
    return digest.digest()
