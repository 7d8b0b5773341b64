"""Problems found while labelling: one bad cell or record each, as a stderr line or a CSV row.

A problem names where it is (input line, record number, column), the cell as
written, the band set, a kind (for counting) and a one-line message.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from _csv import Writer

    import numpy as np

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


#: What is wrong, shared by every record a problem is found in: (column, message, cell, set, kind).
Detail = tuple[str | None, str, str, str, str]


class ProblemBatch:
    """The problems of one block, by column, in input order: per problem its input line, record
    number, mapping (a position, or -1 for every mapping) and what is wrong, as a place in
    ``details``, where each distinct problem is found once however many records share it."""

    __slots__ = ("lines", "records", "mappings", "issues", "details")

    def __init__(self, lines: np.ndarray, records: np.ndarray, mappings: np.ndarray, issues: np.ndarray,
                 details: list[Detail]):
        self.lines, self.records, self.mappings, self.issues, self.details = lines, records, mappings, issues, details

    def __len__(self) -> int:
        return len(self.records)

    def head(self, count: int) -> ProblemBatch:
        """The first ``count`` problems."""
        return ProblemBatch(self.lines[:count], self.records[:count], self.mappings[:count], self.issues[:count],
                            self.details)

    def __iter__(self) -> Iterator[tuple[int, Problem]]:
        """(mapping, problem) for each problem, in input order."""
        details = self.details
        for line, record, mapping, issue in zip(self.lines.tolist(), self.records.tolist(), self.mappings.tolist(),
                                                self.issues.tolist()):
            column, message, cell, set_id, kind = details[issue]
            yield mapping, Problem(line, column, message, record, cell, set_id, kind)


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
        self._out = out
        self._writer = None if out is None else _csv_writer(out)
        if self._writer is not None:
            self._writer.writerow(PROBLEM_FIELDS)

    def add(self, problem: Problem) -> None:
        self.kinds[problem.kind] += 1
        if self._writer is not None:
            self._writer.writerow((problem.line, problem.record, problem.column or "", problem.cell,
                                   problem.set_id, problem.kind, problem.message))

    def add_all(self, problems: ProblemBatch, first_row: int | None = None) -> None:
        """Every problem of a batch, as :meth:`add` writes each, in one write: each distinct problem's
        cells are made once. ``first_row``: the input is a sheet, and the line column gives its row."""
        import numpy as np

        found, first, counts = np.unique(problems.issues, return_index=True, return_counts=True)
        for place in np.argsort(first).tolist():  # kinds counted in the order they come, as add counts them
            self.kinds[problems.details[found[place]][4]] += int(counts[place])
        if self._out is None or not len(problems):
            return
        tails = [_cells(column or "", cell, set_id, kind, message)
                 for column, message, cell, set_id, kind in problems.details]
        lines = problems.lines if first_row is None else problems.records + first_row
        pieces: list[str] = [""] * (2 * len(problems))  # each row's line and record, then its problem's cells
        pieces[::2] = [f"{line},{record}," for line, record in zip(lines.tolist(), problems.records.tolist())]
        pieces[1::2] = map(tails.__getitem__, problems.issues.tolist())
        self._out.write("".join(pieces))

    def summary(self) -> str:
        """The counts by kind, most frequent first: ``49,990 not-a-number, 10 year``."""
        return ", ".join(f"{count:,} {kind}" for kind, count in self.kinds.most_common())


def _cells(*cells: str) -> str:
    """Cells as a CSV row (its line end included), as the problem log's writer writes them."""
    buffer = io.StringIO()
    _csv_writer(buffer).writerow(cells)
    return buffer.getvalue()


def _csv_writer(out: IO[str]) -> Writer:
    """The problem log's CSV writer on ``out`` (csv imported here: a look-up, which needs only the kinds, skips it)."""
    import csv

    return csv.writer(out, lineterminator="\n")
