"""Parse rules files, keeping each parsed document in a user cache.

Importing and running a TOML parser is the largest cost of a single look-up
after click itself. The cache stores the file's whole text beside the parsed
document and is used only when the text is identical, so it can never serve
stale bands; any cache problem falls back to parsing.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from decimal import Decimal
from typing import Any

ENV_CACHE = "XDG_CACHE_HOME"


def cache_path(path: str) -> str:
    """Where the parsed form of the rules file at ``path`` is kept."""
    base = os.environ.get(ENV_CACHE) or os.path.join(os.path.expanduser("~"), ".cache")
    key = zlib.crc32(os.path.abspath(path).encode("utf-8", "surrogatepass"))
    return os.path.join(base, "rightsband", f"rules-{key:08x}-py{sys.version_info[0]}{sys.version_info[1]}.marshal")


def parse(path: str, text: str) -> dict[str, Any]:
    """The TOML document ``text`` (read from ``path``), floats as exact Decimals.

    Raises ValueError (tomllib's TOMLDecodeError) for text that is not TOML.
    """
    cache = cache_path(path)
    try:
        with open(cache, "rb") as file:
            cached_text, encoded = marshal.load(file)
        if cached_text == text:
            return _decode(encoded)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    document = tomllib.loads(text, parse_float=Decimal)
    _store(cache, text, document)
    return document


def _store(cache: str, text: str, document: dict[str, Any]) -> None:
    """Write the cache atomically; give up quietly where that is not possible."""
    temporary = f"{cache}.{os.getpid()}.tmp"
    try:
        data = marshal.dumps((text, _encode(document)))
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, cache)
    except (OSError, ValueError):  # ValueError: a value marshal cannot hold (a TOML date)
        try:
            os.remove(temporary)
        except OSError:
            pass


def _encode(value: Any) -> Any:
    """Decimals become ("D", text) tuples: TOML itself yields no tuples, so this is unambiguous."""
    if isinstance(value, Decimal):
        return ("D", str(value))
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, tuple):
        return Decimal(value[1])
    if isinstance(value, dict):
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value
