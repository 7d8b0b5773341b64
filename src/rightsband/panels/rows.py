"""The panel's records and problems: a row per country, year and measure, and what is wrong where."""

from __future__ import annotations

from typing import NamedTuple

#: The panel's columns, in order (scripts rely on these names).
COLUMNS = ("code", "country", "year", "edition", "measure", "set", "score", "label", "published", "rank", "source")

#: Problem kinds of the panel's own (a value's kind comes from the engine's Issue).
UNMATCHED, CONFLICT, DISAGREE, REFUSED, YEAR = "unmatched-country", "conflict", "disagree", "refused", "year"


class PanelError(ValueError):
    """A panel that cannot be built (a file that cannot be read as its layout, a countries file
    that cannot be used): one line naming the place and the fix."""


class PanelUsageError(PanelError):
    """An option that does not fit a file (a --column not in its header, a file no layout
    recognises and no --column names): one line; ``option`` is the option at fault."""

    def __init__(self, message: str, option: str):
        super().__init__(message)
        self.option = option


class Row(NamedTuple):
    """One measure of one country in one year: ``code`` its key (None: no country matched the name;
    ``file_code`` is the code the file itself carries, tried when the name matches nothing),
    ``score`` the cell as written, ``label`` the rule's label, ``published`` the publisher's own."""

    code: str | None
    country: str
    year: int | None
    edition: str
    measure: str
    set_id: str
    score: str
    label: str | None
    published: str | None
    rank: str | None
    source: str
    file_code: str | None = None

    def cells(self) -> dict[str, object]:
        """The row under the panel's column names (:data:`COLUMNS`)."""
        return dict(zip(COLUMNS, (self.code, self.country, self.year, self.edition, self.measure, self.set_id,
                                  self.score, self.label, self.published, self.rank, self.source)))


class Problem(NamedTuple):
    """One thing wrong, where it is: the source (file, sheet, row, column), a kind and a one-line message."""

    source: str
    kind: str
    message: str
    cell: str = ""
    set_id: str = ""

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


PROBLEM_FIELDS = ("source", "kind", "cell", "set", "message")


class Findings:
    """What a panel run found beside its rows: every problem in order, and how the labels compared
    with the published ones (``agree``, ``disagree``, ``ambiguous``)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.verdicts: dict[str, int] = {}

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def count(self, verdict: str) -> None:
        self.verdicts[verdict] = self.verdicts.get(verdict, 0) + 1
