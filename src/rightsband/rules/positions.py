"""Where tables and keys stand in a rules file's text (tomllib reports no positions).

One regular-expression scan of the text finds every table header and every key at
the start of a line, skipping strings (multi-line notes included) and comments, so
a finding can name the line of the key it is about. Every look-up returns a line
number: the best one known, else the table's header, else line 1.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_SCAN_PATTERN = (
    rf"""^[ \t]*(?:(\[\[?)[ \t]*({_KEY}(?:[ \t]*\.[ \t]*{_KEY})*)[ \t]*\]"""  # 1, 2: a table header
    rf"""|({_KEY})[ \t]*[.=])"""  # 3: a key (its first part)
    r'''|"""(?:[^\\]|\\[\s\S])*?"""(?!")|\'\'\'[\s\S]*?\'\'\'(?!')|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*'''  # skipped
)
#: A line number, found only when it is needed (a clean file is never scanned).
Where = Callable[[], int]


def _unquote(key: str) -> str:
    return key[1:-1] if key[:1] in "\"'" else key


class Lines:
    """Lines of the ``[[set]]``, ``[[set.band]]`` and ``[[group]]`` tables of a rules file, of
    the keys inside them, and of the top-level keys and tables (``schema``, ``[set]``, ...)."""

    def __init__(self, text: str):
        self.text = text
        self._scanned = False
        self.count = 1
        self.sets: list[int] = []
        self.bands: list[list[int]] = []
        self.groups: list[int] = []
        self.keys: dict[str, list[int]] = {}  # keys inside sets, bands and groups
        self.subtables: dict[str, list[int]] = {}  # [set.scale], [[set.inputs]], ... anywhere in their set
        self.top: dict[str, int] = {}  # first line of each top-level key or table
        self._sections: list[int] = []  # lines where a top-level table or array of tables starts

    def _scan(self) -> None:
        """Scan the text once, on the first look-up (compiling the pattern then, not at import)."""
        if self._scanned:
            return
        self._scanned = True
        text = self.text
        scan, key_part = re.compile(_SCAN_PATTERN, re.M), re.compile(_KEY)
        self.count = text.count("\n") + 1
        number, seen, where = 1, 0, "top"
        for match in scan.finditer(text):  # one scan of the text, counting lines as it goes
            bracket, header, key = match.group(1, 2, 3)
            if bracket is None and key is None:
                continue  # a string or a comment
            number += text.count("\n", seen, match.start())
            seen = match.start()
            if key is not None:
                if where == "top":
                    self.top.setdefault(_unquote(key), number)
                elif where == "table":
                    self.keys.setdefault(_unquote(key), []).append(number)
                continue
            path = [_unquote(part) for part in key_part.findall(header)]
            if bracket == "[[" and path == ["set", "band"]:
                if self.bands:
                    self.bands[-1].append(number)
                where = "table"
                continue
            if len(path) > 1 and path[0] in ("set", "group"):  # [set.scale], [[set.inputs]] and the like
                self.subtables.setdefault(path[1], []).append(number)
                where = "table"
                continue
            self.top.setdefault(path[0], number)
            self._sections.append(number)
            where = "other"
            if bracket == "[[" and path == ["set"]:
                self.sets.append(number)
                self.bands.append([])
                where = "table"
            elif bracket == "[[" and path == ["group"]:
                self.groups.append(number)
                where = "table"

    def of_top(self, key: str) -> int:
        """The line of a top-level key or table (line 1 if it is not found)."""
        self._scan()
        return self.top.get(key, 1)

    def of_set(self, i: int, key: str | None = None) -> int:
        """The line of ``key`` in the i-th ``[[set]]`` (or of its header)."""
        self._scan()
        if i >= len(self.sets):
            return self.of_top("set")
        start, end = self.sets[i], self._end(self.sets[i])
        if key is None:
            return start
        return (self._find(key, start, self.bands[i][0] if self.bands[i] else end)
                or self._find(key, start, end, self.subtables) or start)

    def of_band(self, i: int, j: int, key: str | None = None) -> int:
        """The line of ``key`` in the j-th band of the i-th set (or of the band's header)."""
        self._scan()
        if i >= len(self.bands) or j >= len(self.bands[i]):
            return self.of_set(i)
        start = self.bands[i][j]
        end = self.bands[i][j + 1] if j + 1 < len(self.bands[i]) else self._end(self.sets[i])
        return (self._find(key, start, end) if key else None) or start

    def of_group(self, i: int, key: str | None = None) -> int:
        """The line of ``key`` in the i-th ``[[group]]`` (or of its header)."""
        self._scan()
        if i >= len(self.groups):
            return self.of_top("group")
        start, end = self.groups[i], self._end(self.groups[i])
        return (self._find(key, start, end) or self._find(key, start, end, self.subtables) if key else None) or start

    def _end(self, start: int) -> int:
        """The line where the top-level table starting at ``start`` ends (the next one starts)."""
        n = bisect_right(self._sections, start)
        return self._sections[n] if n < len(self._sections) else self.count + 1

    def _find(self, key: str, start: int, end: int, where: dict[str, list[int]] | None = None) -> int | None:
        return next((n for n in (self.keys if where is None else where).get(key, ()) if start <= n < end), None)

    def set_at(self, i: int, key: str | None = None) -> Where:
        """Where ``key`` of the i-th set is, to be found if a finding needs it."""
        return lambda: self.of_set(i, key)

    def band_at(self, i: int, j: int, key: str | None = None) -> Where:
        """Where ``key`` of the j-th band of the i-th set is, to be found if a finding needs it."""
        return lambda: self.of_band(i, j, key)

    def group_at(self, i: int, key: str | None = None) -> Where:
        """Where ``key`` of the i-th group is, to be found if a finding needs it."""
        return lambda: self.of_group(i, key)
