"""Keep parsed rules files, and the rules built from them, in a user cache.

Importing and running a TOML parser is the largest cost of a single look-up
after click itself, and reading, checking and building the built-in band sets
the next one. So two kinds of entry are kept:

- a parsed file (:func:`parse`), stored with the file's whole text and used only
  when the text is identical, so it can never serve stale bands;
- the built :class:`~rightsband.rules.Rules` of one load (:func:`built_key`,
  :func:`load_built`, :func:`store_built`): an index of names, and each set and
  group packed on its own (:class:`Stored`), so that a look-up unpacks only
  the set it asks for (and the sets that one refers to); used only when
  everything they were built from is identical: the exact bytes of every rules
  file, in order and under the same names, the exact source of the code that
  builds them (``rightsband/model``, ``rightsband/rules``, ``rightsband/values.py``)
  and the Python version. The caller stores only loads without any finding, so
  a file with errors or warnings is read and reported every time.

The cache lives in ``$XDG_CACHE_HOME/rightsband/`` (default ``~/.cache/rightsband/``)
and stays small: writing an entry (of either kind) removes all but the :data:`KEEP`
most recently used ones (an entry read is marked used by its mtime), and
temporary files left behind for over an hour. Entries are written to a temporary
file and renamed, so a reader never sees half of one. Any cache problem (a folder
that cannot be written, a full disk, a corrupt entry) falls back to parsing and
building: the cache is never a reason for a run to fail.
"""

from __future__ import annotations

import _thread
import contextlib
import marshal
import os
import stat
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

ENV_CACHE = "XDG_CACHE_HOME"
#: At most this many entries (parsed rules files and built rules together) are kept.
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
    """Write the cache entry for ``text``; give up quietly where that is not possible."""
    try:
        data = marshal.dumps((text, _encode(document)))
    except ValueError:  # too deep, or a value marshal cannot hold (a TOML date)
        return
    write_entry(cache, data)


def write_entry(entry: str, data: bytes) -> None:
    """Write ``data`` as the entry ``entry`` atomically (a temporary file, renamed), then trim the cache."""
    temporary = f"{entry}.{os.getpid()}.{_thread.get_ident()}.tmp"
    try:
        os.makedirs(os.path.dirname(entry), exist_ok=True)
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, entry)
    except OSError:
        _remove(temporary)
        return
    prune(os.path.dirname(entry), spare=entry)


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


# -- built rules -------------------------------------------------------------------------------------

#: Part of every built-rules key; raise it when what an entry holds changes shape.
BUILT_FORMAT = 2
#: The files and folders (every ``.py`` file in them) under ``rightsband/`` whose source decides what
#: built rules hold: the rules readers, the model they build, the value parsing they use.
CODE = ("model", "rules", "values.py")
#: Source changed less than this long (ns) before this module was imported, or after, may not be the
#: code this process runs: built rules are then neither read nor written.
FRESH_NS = 2_000_000_000
_IMPORTED_NS = time.time_ns()
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class BuiltKey:
    """What one load of built rules depends on, as read now.

    ``material`` (format, Python version, package folder, code, and each file's name and bytes) is
    compared exactly with an entry's; ``stats`` tell :func:`store_built` whether a file changed since.
    """

    __slots__ = ("entry", "material", "paths", "stats")

    def __init__(self, entry: str, material: tuple[Any, ...], paths: tuple[str, ...],
                 stats: tuple[tuple[int, ...], ...]):
        self.entry, self.material, self.paths, self.stats = entry, material, paths, stats


def built_key(paths: Sequence[str]) -> BuiltKey | None:
    """The key of loading the rules files at ``paths``, in order; None where the load must not be
    cached: a file that is not a regular one (a pipe can be read only once) or cannot be read, or code
    whose source cannot be read or is too recent (:func:`code_version`)."""
    try:
        code = code_version()
        if code is None:
            return None
        files, stats = [], []
        for path in paths:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return None
            with open(path, "rb") as file:
                status = os.fstat(file.fileno())
                if not stat.S_ISREG(status.st_mode):
                    return None
                files.append((path, file.read()))
            stats.append(_stamp(status))
    except (OSError, ValueError):  # ValueError: a path with a NUL
        return None
    names = "\0".join([_PACKAGE, *(os.path.abspath(path) for path in paths)]).encode("utf-8", "surrogatepass")
    entry = os.path.join(cache_dir(), f"{_PREFIX}built-{zlib.crc32(names):08x}{_SUFFIX}")
    material = (BUILT_FORMAT, sys.version, _PACKAGE, code, tuple(files))
    return BuiltKey(entry, material, tuple(paths), tuple(stats))


def code_version() -> tuple[tuple[str, bytes], ...] | None:
    """The source of the code that builds rules (:data:`CODE`), as (name, bytes) pairs in a fixed order.

    None if a file changed within :data:`FRESH_NS` before this module was imported, or after: the
    modules this process imported may then differ from the files, and built rules keyed on the files
    could be from other code. Raises OSError for a file or folder that cannot be read.
    """
    names: list[str] = []
    for part in CODE:
        if part.endswith(".py"):
            names.append(part)
        else:
            names += sorted(f"{part}/{name}" for name in os.listdir(os.path.join(_PACKAGE, part))
                            if name.endswith(".py"))
    sources = []
    for name in names:
        with open(os.path.join(_PACKAGE, name), "rb") as file:
            if os.fstat(file.fileno()).st_mtime_ns > _IMPORTED_NS - FRESH_NS:
                return None
            sources.append((name, file.read()))
    return tuple(sources)


#: The index of stored rules: each name (casefolded id or alias) and group id with the number of its set or
#: group, and the ids of the sets and of the groups in order.
Index = tuple[dict[str, int], dict[str, int], tuple[str, ...], tuple[str, ...]]


class Stored:
    """Built rules as an entry holds them: the :data:`Index`, and each set and group packed on its own
    (:mod:`rightsband.rules.packing`), unpacked on first use, so that a look-up unpacks only the set it asks
    for. A set that another part refers to (a group's edition, a composite's input) is unpacked once and is
    the same object."""

    def __init__(self, index: Index, sets: tuple[bytes, ...], groups: tuple[bytes, ...]):
        self.index, self._blobs = index, {"s": sets, "g": groups}
        self._loaded: dict[tuple[str, int], object] = {}
        self._lock = _thread.RLock()  # a set may load the sets it refers to, on the same thread

    def set(self, number: int) -> object:
        """Set ``number`` (in the order of the index's set ids)."""
        return self._part("s", number)

    def group(self, number: int) -> object:
        """Group ``number`` (in the order of the index's group ids)."""
        return self._part("g", number)

    def _part(self, kind: str, number: int) -> object:
        with self._lock:
            part = self._loaded.get((kind, number))
            if part is None:
                if not 0 <= number < len(self._blobs[kind]):
                    raise ValueError(f"no part {kind}{number} in these rules")
                part = self._loaded[kind, number] = _unpack(self._blobs[kind][number], self.set)
            return part


def load_built(key: BuiltKey) -> Stored | None:
    """The rules stored under ``key``, or None (no entry, another key, or an entry that does not read)."""
    try:
        with open(key.entry, "rb") as file:
            material, check, payload = marshal.loads(file.read())
        if material != key.material or zlib.crc32(payload) != check:
            return None
        index, sets, groups = marshal.loads(payload)
        stored = Stored(_checked_index(index, len(sets), len(groups)), _blobs(sets), _blobs(groups))
    except Exception:  # truncated, corrupt, foreign or from other code: whatever it is, build instead
        return None
    _touch(key.entry)
    return stored


def store_built(key: BuiltKey, index: Index, sets: Sequence[object], groups: Sequence[object]) -> None:
    """Store built rules (their :data:`Index`, sets and groups), built from what ``key`` was read from, unless a
    rules file or the code changed since (what was built may then not be what the key says); give up quietly
    where that is not possible."""
    try:
        if tuple(_stamp(os.stat(path)) for path in key.paths) != key.stats or code_version() != key.material[3]:
            return
        payload = marshal.dumps((index, _packed(sets, sets), _packed(groups, sets)))
        data = marshal.dumps((key.material, zlib.crc32(payload), payload))
    except Exception:  # a file gone, code unreadable, rules that do not pack: build again next time
        return
    write_entry(key.entry, data)


def _packed(parts: Sequence[object], sets: Sequence[object]) -> tuple[bytes, ...]:
    """Each of ``parts`` packed (:mod:`rightsband.rules.packing`) and marshalled on its own, any of ``sets``
    within it as a reference to its number."""
    from rightsband.rules.packing import pack

    numbers = {id(part): number for number, part in enumerate(sets)}
    return tuple(marshal.dumps(pack(part, numbers)) for part in parts)


def _checked_index(index: Any, sets: int, groups: int) -> Index:
    """``index`` if it is an :data:`Index` of ``sets`` sets and ``groups`` groups; raises ValueError if not."""
    names, group_names, set_ids, group_ids = index
    if not (isinstance(set_ids, tuple) and len(set_ids) == sets and isinstance(group_ids, tuple)
            and len(group_ids) == groups and all(isinstance(i, str) for i in (*set_ids, *group_ids))):
        raise ValueError("not the ids of the stored sets and groups")
    for table, count in ((names, sets), (group_names, groups)):
        if not isinstance(table, dict) or not all(isinstance(name, str) and type(number) is int
                                                  and 0 <= number < count for name, number in table.items()):
            raise ValueError("not an index of the stored sets and groups")
    return names, group_names, set_ids, group_ids


def _blobs(value: Any) -> tuple[bytes, ...]:
    if not isinstance(value, tuple) or not all(isinstance(blob, bytes) for blob in value):
        raise ValueError("not packed parts")
    return value


def _stamp(status: os.stat_result) -> tuple[int, ...]:
    """What changes when a file is written or replaced."""
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


def _unpack(blob: bytes, reference: Callable[[int], object]) -> object:
    """One part of built rules as :func:`_packed` stored it, its references to sets resolved by ``reference``."""
    from rightsband.rules.packing import unpack

    return unpack(marshal.loads(blob), reference)
