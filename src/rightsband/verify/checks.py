"""The checks of ``rightsband verify``: parsed, run over a table, counted and reported.

Every label compared is one ``label`` gives: the table goes through the one engine
(:func:`rightsband.batch.label_blocks`, the engine of :func:`~rightsband.batch.label_csv`),
and each block's outcomes are compared with the published labels beside them, once per
distinct (edition, outcome, published label) of the block (:mod:`rightsband.verify.verdicts`
says how), so memory stays bounded whatever the size of the table. The outcomes of a
record (agree, disagree, ambiguous, missing, refused) are those of :mod:`rightsband.verify.verdicts`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, BinaryIO, NamedTuple

import numpy as np

from rightsband.batch import FIND_YEAR_COLUMN, LabelledBlock, Labelling, Mapping, MappingError, label_blocks
from rightsband.mapping import column_position
from rightsband.problems import Problem
from rightsband.rules import Rules
from rightsband.verify.verdicts import (
    AGREE,
    AMBIGUOUS,
    DISAGREE,
    MISSING,
    NO_VALUE,
    OUTCOMES,
    REFUSED,
    Judge,
    cell_texts,
    normalised,
    values_of,
)

__all__ = ["AGREE", "AMBIGUOUS", "DISAGREE", "MISSING", "OUTCOMES", "REFUSED", "Check", "CheckError", "Finding",
           "Tally", "VerifyReport", "normalised", "parse_checks", "verify_csv"]

#: The new columns the engine would write are named so (never a publisher's name).
_INTERNAL = "\x00rightsband verify "


class CheckError(MappingError):
    """A check that does not fit the options or the header; ``option`` is the option at fault."""

    def __init__(self, message: str, option: str = "--against"):
        super().__init__(message)
        self.option = option


class Check:
    """One mapping (``COLS=INDEX``) and the column of the publisher's labels it is checked against."""

    __slots__ = ("mapping", "against", "spec")

    def __init__(self, mapping: Mapping, against: str, spec: str):
        self.mapping, self.against, self.spec = mapping, against, spec

    def __repr__(self) -> str:
        return f"Check({self.spec!r} against {self.against!r})"


def parse_checks(specs: Sequence[str], against: Sequence[str], rules: Rules, *, year: int | None = None) -> list[Check]:
    """Checks from ``COLS=INDEX[:LABELCOL]`` specs: a spec naming its LABELCOL is checked against
    that column; a label-only set (no score rule) given no LABELCOL checks the labels in COLS
    itself; the others take the ``against`` columns in order, one each."""
    parsed = []
    for number, spec in enumerate(specs, 1):
        cols, _, rest = spec.rpartition("=")
        cols_index = f"{cols}={rest.partition(':')[0]}"
        mapping = Mapping.parse(f"{cols_index}:{_INTERNAL}{number}", rules, year=year)
        published = _label_column(spec) or (cols if _label_only(mapping) else "")
        parsed.append((mapping, published, cols_index))
    waiting = list(against)
    unnamed = sum(1 for _, published, _ in parsed if not published)
    if unnamed != len(waiting):
        raise CheckError(f"{unnamed} --column mapping(s) without :LABELCOL but {len(waiting)} --against "
                         "column(s); give one --against per such mapping (in the same order), or write "
                         "-c COLS=INDEX:LABELCOL")
    return [Check(mapping, published or waiting.pop(0), cols_index) for mapping, published, cols_index in parsed]


def _label_only(mapping: Mapping) -> bool:
    """True if the set (every edition) has labels only: the publisher assigns them by judgement."""
    return getattr(mapping.set, "label_only", None) is not None


def _label_column(spec: str) -> str:
    """The LABELCOL of ``COLS=INDEX:LABELCOL`` ("" if there is none)."""
    rest = spec.rpartition("=")[2]
    return rest.partition(":")[2]


class Tally:
    """The outcomes of one check: agree, disagree, ambiguous, missing (``no_value`` + ``no_label``), refused."""

    __slots__ = ("check", "agree", "disagree", "ambiguous", "no_value", "no_label", "refused")

    def __init__(self, check: Check):
        self.check = check
        self.agree = self.disagree = self.ambiguous = self.no_value = self.no_label = self.refused = 0

    @property
    def missing(self) -> int:
        return self.no_value + self.no_label

    @property
    def records(self) -> int:
        return self.agree + self.disagree + self.ambiguous + self.missing + self.refused

    def add(self, outcome: str, why: str = "", count: int = 1) -> None:
        """Count ``count`` records of one outcome (a missing one's ``why`` says which kind)."""
        if outcome == MISSING:
            if why == NO_VALUE:
                self.no_value += count
            else:
                self.no_label += count
        else:
            setattr(self, outcome, getattr(self, outcome) + count)

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check.spec, "against": self.check.against, "records": self.records,
                "agree": self.agree, "disagree": self.disagree, "ambiguous": self.ambiguous, "missing": self.missing,
                "no_value": self.no_value, "no_label": self.no_label, "refused": self.refused}


class Finding(NamedTuple):
    """A record of one check that does not agree: where, the value(s), the published label, the
    rule's label and the set (edition) that gave it, the outcome and why, and the cells of the
    columns asked to be shown (a country, a year)."""

    check: Check
    record: int
    line: int
    value: str
    published: str
    rule: str
    set_id: str
    outcome: str
    message: str
    shown: tuple[str, ...] = ()


class VerifyReport:
    """What a run found: records read, one :class:`Tally` per check, the year column used."""

    def __init__(self, checks: Sequence[Check], records: int, year_column: str | None):
        self.records, self.year_column = records, year_column
        self.tallies = [Tally(check) for check in checks]

    @property
    def disagreements(self) -> int:
        return sum(t.disagree for t in self.tallies)

    @property
    def refused(self) -> int:
        return sum(t.refused for t in self.tallies)


def verify_csv(source: BinaryIO, checks: Sequence[Check], *, delimiter: str | None = None,
               decimal: str | None = None, encoding: str = "utf-8", year_column: str | None = FIND_YEAR_COLUMN,
               on_problem: Callable[[Problem], None] | None = None, on_notice: Callable[[str], None] | None = None,
               on_progress: Callable[[int], None] | None = None,
               on_finding: Callable[[Finding], None] | None = None, show: Sequence[str] = (),
               listed: Collection[str] = (DISAGREE, AMBIGUOUS, MISSING, REFUSED),
               rank_check: bool = True) -> VerifyReport:
    """Check every record of a CSV stream: each check's labels, by the engine of ``label``, against
    its published column. Findings (records whose outcome is one of ``listed``: by default every
    one that does not agree) go to ``on_finding`` in record order, with the cells of the ``show``
    columns; problems to ``on_problem`` as the engine reports them, block by block.

    Raises what :func:`~rightsband.batch.label_csv` raises (:class:`~rightsband.rankguard.RankDirectionError`
    before the first finding unless not ``rank_check``), and :class:`CheckError` for a
    published-label or ``show`` column that is not in the header once (before reading a record).
    """
    run = label_blocks(source, [check.mapping for check in checks], delimiter=delimiter, decimal=decimal,
                       encoding=encoding, year_column=year_column, on_notice=on_notice, rank_check=rank_check)
    compare = _Comparison(run, checks, show, listed)
    for block in run.blocks(compare.keep):
        if on_problem is not None:
            for _, problem in block.problems:
                on_problem(problem)
        compare.block(block, on_finding or (lambda finding: None))
        if on_progress is not None:
            on_progress(block.bytes_read)
    return compare.report


class _Comparison:
    """The checks of one run: which columns each block must keep, and each block's tallies and findings."""

    def __init__(self, run: Labelling, checks: Sequence[Check], show: Sequence[str], listed: Collection[str]):
        header = run.header
        against = _against_positions(header, checks)
        shown = _show_positions(header, show)
        values = [[column_position(header, column) for column in check.mapping.columns] for check in checks]
        years = [] if run.year_column is None else [column_position(header, run.year_column)]
        places: dict[int, int] = {}  # column -> place in LabelledBlock.kept
        for position in [*against, *(p for group in values for p in group), *shown, *years]:
            places.setdefault(position, len(places))
        self.keep = tuple(places)
        self.checks, self.runs, self.listed = checks, run.mappings, frozenset(listed)
        self.judges = [Judge(mapping, n, places[against[n]], places[years[0]] if years and mapping.choose else None)
                       for n, mapping in enumerate(run.mappings)]
        self.values = [[places[p] for p in group] for group in values]
        self.shown = [places[p] for p in shown]
        self.report = VerifyReport(checks, 0, run.year_column)

    def block(self, block: LabelledBlock, on_finding: Callable[[Finding], None]) -> None:
        """Count one block's verdicts per check, and pass on its findings in record order."""
        self.report.records += len(block.records)
        judged = [judge.verdicts(block) for judge in self.judges]
        rows, owners = [], []
        for n, ((codes, verdicts), tally) in enumerate(zip(judged, self.report.tallies)):
            for verdict, count in zip(verdicts, np.bincount(codes, minlength=len(verdicts)).tolist()):
                tally.add(verdict.outcome, verdict.message, count)
            wanted = np.array([verdict.outcome in self.listed for verdict in verdicts], dtype=bool)
            found = np.flatnonzero(wanted[codes]) if wanted.any() else np.zeros(0, dtype=np.intp)
            rows.append(found)
            owners.append(np.full(len(found), n, dtype=np.intp))
        if not any(len(found) for found in rows):
            return
        row_of, owner_of = np.concatenate(rows), np.concatenate(owners)
        order = np.lexsort((owner_of, row_of))
        cells = [cell_texts(kept) for kept in block.kept]

        def text(place: int, row: int) -> str:
            codes, texts = cells[place]
            return texts[int(codes[row])]

        for row, n in zip(row_of[order].tolist(), owner_of[order].tolist()):
            codes, verdicts = judged[n]
            judgement = verdicts[int(codes[row])]
            on_finding(Finding(self.checks[n], int(block.records[row]), int(block.lines[row]),
                               values_of(self.runs[n], [text(place, row) for place in self.values[n]]),
                               text(self.judges[n].published, row), judgement.rule, judgement.set_id,
                               judgement.outcome, judgement.message, tuple(text(place, row) for place in self.shown)))


def _against_positions(header: list[str], checks: Sequence[Check]) -> list[int]:
    try:
        return [column_position(header, check.against) for check in checks]
    except MappingError as error:
        raise CheckError(f"published labels: {error}") from None


def _show_positions(header: list[str], show: Sequence[str]) -> list[int]:
    try:
        return [column_position(header, column) for column in show]
    except MappingError as error:
        raise CheckError(str(error), "--show") from None
