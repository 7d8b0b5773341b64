"""Problems found while labelling: one bad cell or record each, as a stderr line or a CSV row.

A problem names where it is (input line, record number, column), the cell as
written, the band set, a kind (for counting) and a one-line message.
"""

from __future__ import annotations

import csv
from collections import Counter
from typing import IO

#: Kinds of problem that are not a value's own (a value's kind comes from ValueProblem.kind).
RAGGED = "ragged-record"
YEAR = "year"
DECIMAL = "decimal-separator"

#: Control characters in a message (a NUL or newline inside a cell) shown as escapes, so a message stays one line.
_VISIBLE = {code: f"\\x{code:02x}" for code in [*range(32), 127]}


class Problem:
    """One bad cell or record: where it is and what is wrong, as one line of text.

    ``line`` is the input line the record starts on (1 = the header), ``record`` the
    record's number (1 = the first after the header; blank lines are not records).
    """

    __slots__ = ("line", "column", "message", "record", "cell", "set_id", "kind")

    def __init__(self, line: int, column: str | None, message: str, record: int = 0, cell: str = "",
                 set_id: str = "", kind: str = "value"):
        self.line, self.column, self.message = line, column, message
        self.record, self.cell, self.set_id, self.kind = record, cell, set_id, kind

    def __str__(self) -> str:
        where = f'line {self.line}, column "{self.column}"' if self.column else f"line {self.line}"
        return f"{where}: {self.message}".translate(_VISIBLE)

    def __repr__(self) -> str:
        return f"Problem({self})"


class StopAtProblem(Exception):
    """Raised under ``strict`` at the first problem; carries it."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


PROBLEM_FIELDS = ("line", "record", "column", "cell", "set", "kind", "message")


class ProblemLog:
    """Every problem of a run as a CSV row (``out`` None: only counted), and the count per kind."""

    def __init__(self, out: IO[str] | None = None):
        self.kinds: Counter[str] = Counter()
        self._writer = None if out is None else csv.writer(out, lineterminator="\n")
        if self._writer is not None:
            self._writer.writerow(PROBLEM_FIELDS)

    def add(self, problem: Problem) -> None:
        self.kinds[problem.kind] += 1
        if self._writer is not None:
            self._writer.writerow((problem.line, problem.record, problem.column or "", problem.cell,
                                   problem.set_id, problem.kind, problem.message))

    def summary(self) -> str:
        """The counts by kind, most frequent first: ``49,990 not-a-number, 10 year``."""
        return ", ".join(f"{count:,} {kind}" for kind, count in self.kinds.most_common())
