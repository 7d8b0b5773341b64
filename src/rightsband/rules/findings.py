"""What ``check`` reports: located findings, and the error that carries them when loading fails."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rightsband.model import _Record

#: Characters that would break a one-line message (or a one-value-per-line output): C0 and C1
#: controls, DEL, and the Unicode line and paragraph separators. (A pattern, compiled on first use.)
LINE_BREAKING = "[\x00-\x1f\x7f-\x9f\u2028\u2029]"


def line_breaking(text: str) -> str | None:
    """The first line-breaking or control character in ``text``, if any."""
    if text.isprintable():  # the fast path: no control character, no separator
        return None
    found = re.search(LINE_BREAKING, text)
    return found.group() if found else None


def one_line(text: str) -> str:
    """``text`` with every line-breaking or control character written as its escape (``\\n``, ``\\x1b``)."""
    if text.isprintable():
        return text
    return re.sub(LINE_BREAKING, lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class Finding(_Record):
    """One problem in a rules file, located as precisely as the file allows.

    ``line`` is always a line number (1 when nothing more precise is known), so that
    ``str(finding)`` is always ``FILE:LINE: severity: [set "ID"[, band "LABEL"]: ]message``,
    on one line whatever the file contains.
    """

    __slots__ = ("file", "line", "message", "set_id", "band", "severity")

    def __init__(self, file: str, line: int, message: str, set_id: str | None = None,
                 band: str | None = None, severity: str = "error"):
        self.file, self.line, self.message = file, line if line >= 1 else 1, message
        self.set_id, self.band, self.severity = set_id, band, severity

    def __str__(self) -> str:
        subject = f'set "{self.set_id}": ' if self.set_id else ""
        if self.band:
            subject = f'{subject[:-2]}, band "{self.band}": ' if subject else f'band "{self.band}": '
        return one_line(f"{self.file}:{self.line}: {self.severity}: {subject}{self.message}")


class RulesError(Exception):
    """A rules file that cannot be used; ``findings`` lists every error found."""

    def __init__(self, findings: Sequence[Finding]):
        self.findings = tuple(findings)
        super().__init__("\n".join(str(f) for f in self.findings))
