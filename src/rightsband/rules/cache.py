"""Parse rules files, keeping each parsed document in a user cache.

Importing and running a TOML parser is the largest cost of a single look-up
after click itself. The cache stores the file's whole text beside the parsed
document and is used only when the text is identical, so it can never serve
stale bands. It lives in ``$XDG_CACHE_HOME/rightsband/`` (default
``~/.cache/rightsband/``) and stays small: writing an entry removes all but the
:data:`KEEP` most recently used ones (an entry read is marked used by its mtime),
and temporary files left behind for over an hour. Any
cache problem (a folder that cannot be written, a full disk, a corrupt entry)
falls back to parsing: the cache is never a reason for a run to fail.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from decimal import Decimal
from typing import Any

ENV_CACHE = "XDG_CACHE_HOME"
#: At most this many parsed rules files are kept.
KEEP = 32
#: Temporary files older than this (seconds) are left over from a run that died, and removed.
STALE_TMP = 3600
#: Deeper documents are not cached (marshal and the encoders below would recurse too far).
MAX_DEPTH = 64
_PREFIX = "rules-"
_SUFFIX = f"-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


def cache_dir() -> str:
    """The folder of the cache."""
    base = os.environ.get(ENV_CACHE) or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "rightsband")


def cache_path(path: str) -> str:
    """Where the parsed form of the rules file at ``path`` is kept."""
    key = zlib.crc32(os.path.abspath(path).encode("utf-8", "surrogatepass"))
    return os.path.join(cache_dir(), f"{_PREFIX}{key:08x}{_SUFFIX}")


def parse(path: str | None, text: str) -> dict[str, Any]:
    """The TOML document ``text`` (read from the file at ``path``), floats as exact Decimals.

    With ``path`` None (text read from a pipe or stdin, which has no stable file)
    the cache is neither read nor written. Raises what tomllib raises for text
    that is not TOML: TOMLDecodeError (a ValueError), ValueError for an integer
    too long to convert, RecursionError for arrays or tables nested too deeply.
    """
    cache = None if path is None else cache_path(path)
    cached = None if cache is None else _load(cache, text)
    if cached is not None:
        return cached
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    document: dict[str, Any] = tomllib.loads(text, parse_float=Decimal)
    if cache is not None:
        _store(cache, text, document)
    return document


def _load(cache: str, text: str) -> dict[str, Any] | None:
    """The cached document for ``text``, or None (no entry, another text, or an entry that does not read)."""
    try:
        with open(cache, "rb") as file:
            cached_text, encoded = marshal.load(file)
        if cached_text == text:
            document = _decode(encoded)
            if isinstance(document, dict):
                _touch(cache)
                return document
    except Exception:  # truncated, corrupt or foreign: whatever it is, parse instead
        pass
    return None


def _store(cache: str, text: str, document: dict[str, Any]) -> None:
    """Write the cache atomically, then trim it; give up quietly where that is not possible."""
    temporary = f"{cache}.{os.getpid()}.tmp"
    try:
        data = marshal.dumps((text, _encode(document)))
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, cache)
    except (OSError, ValueError):  # ValueError: too deep, or a value marshal cannot hold (a TOML date)
        _remove(temporary)
        return
    prune(os.path.dirname(cache), spare=cache)


def prune(folder: str, spare: str | None = None, keep: int = KEEP) -> None:
    """Remove all but the ``keep`` newest entries (by mtime; ``spare`` is always kept and counts
    as one), and temporary files older than :data:`STALE_TMP` seconds."""
    import time

    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    entries = []
    for name in names:
        if not name.startswith(_PREFIX):
            continue  # not ours: never touched
        path = os.path.join(folder, name)
        try:
            modified = os.stat(path).st_mtime
        except OSError:
            continue
        if name.endswith(".tmp"):
            if now - modified > STALE_TMP:
                _remove(path)
        elif name.endswith(".marshal") and path != spare:
            entries.append((modified, name, path))
    entries.sort(reverse=True)
    for _, _, path in entries[max(keep - (spare is not None), 0):]:
        _remove(path)


def _touch(path: str) -> None:
    """Mark an entry as just used, so trimming keeps the entries in use (the oldest by mtime go first)."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)


def _encode(value: Any, depth: int = 0) -> Any:
    """Decimals become ("D", text) tuples: TOML itself yields no tuples, so this is unambiguous."""
    if depth > MAX_DEPTH:
        raise ValueError("too deeply nested to cache")
    if isinstance(value, Decimal):
        return ("D", str(value))
    if isinstance(value, dict):
        return {key: _encode(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_encode(item, depth + 1) for item in value]
    return value


def _decode(value: Any, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise ValueError("too deeply nested to be a cached rules file")
    if isinstance(value, tuple):
        tag, text = value
        if tag != "D" or not isinstance(text, str):
            raise ValueError("not a cached Decimal")
        return Decimal(text)
    if isinstance(value, dict):
        return {key: _decode(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item, depth + 1) for item in value]
    return value
