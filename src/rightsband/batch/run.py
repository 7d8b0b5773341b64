"""A labelling run: label the score columns of a CSV stream, copying every other byte through.

Records are read in blocks (:mod:`rightsband.csvscan`); each distinct cell text of a
mapped column is classified once and the outcome mapped back onto the records with
NumPy (:mod:`rightsband.batch.labeller`), so the cost per record is a few array operations
whatever the band set. A helper process reads ahead where it can (:mod:`rightsband.batch.prefetch`).
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO, NamedTuple, cast

import numpy as np

from rightsband.batch.labeller import Labeller, as_list
from rightsband.batch.prefetch import prefetched
from rightsband.batch.summary import Kept, Report, Tally
from rightsband.batch.writers import OUTPUT_FORMATS, make_writer
from rightsband.csvscan import Block, CsvError, CsvReader
from rightsband.mapping import Mapping, MappingError, check_new_names, column_position, find_year_column
from rightsband.problems import RAGGED, Detail, Problem, ProblemBatch, StopAtProblem
from rightsband.rankguard import RankDirectionError, check, checked_columns

__all__ = [
    "EVERY_MAPPING", "FIND_YEAR_COLUMN", "OUTPUT_FORMATS", "YEARS_FROM", "CsvError", "LabelledBlock", "Labelling",
    "Mapping", "MappingError", "Problem", "ProblemBatch", "RankDirectionError", "Report", "StopAtProblem", "Tally",
    "label_blocks", "label_csv",
]


class _FindYearColumn:
    """The default of ``label_csv(year_column=...)``: look for the year column in the header."""

    def __repr__(self) -> str:
        return "FIND_YEAR_COLUMN"


#: ``label_csv(year_column=FIND_YEAR_COLUMN)``: where a mapping's labels depend on the year,
#: the header's year column (:func:`rightsband.mapping.find_year_column`) picks each record's edition.
FIND_YEAR_COLUMN: Any = _FindYearColumn()
#: How the notice that names the year column found begins.
YEARS_FROM = "years from column"
#: The mapping of a problem that is the whole record's (a ragged record): it is every mapping's.
EVERY_MAPPING = -1


def label_csv(source: BinaryIO, out: BinaryIO, mappings: Sequence[Mapping], *, delimiter: str | None = None,
              decimal: str | None = None, encoding: str = "utf-8", fmt: str = "csv", strict: bool = False,
              year_column: str | None = FIND_YEAR_COLUMN,
              on_problem: Callable[[Problem], None] | None = None,
              on_problems: Callable[[ProblemBatch], None] | None = None,
              on_notice: Callable[[str], None] | None = None,
              on_progress: Callable[[int], None] | None = None, chunk_size: int | None = None,
              rank_check: bool = True) -> Report:
    """Label a CSV stream: every record copied through, one label cell per mapping added.

    ``fmt="csv"`` keeps the input's dialect and every byte of every record; ``tsv``,
    ``json``, ``jsonl`` and ``xlsx`` re-encode the cells (as text, nothing inferred). Bad cells get an
    empty label and are passed to ``on_problem`` one by one, or to ``on_problems`` a
    block's :class:`ProblemBatch` at a time (cheaper for many); with ``strict`` the
    first one raises :class:`StopAtProblem` instead.

    Years: a mapping whose labels depend on the year (a group of editions, or a set
    with ``years``, parsed without a ``year``) takes each record's year from
    ``year_column``: by default the header's year column if it has one
    (:func:`rightsband.mapping.find_year_column`), or the column named, or none
    (``None``). A year the set does not cover is a bad cell naming the set that does.
    ``on_notice`` hears which column gives the years, or which years the labels assume.

    Ranks: where a mapped score has a rank column beside it (:mod:`rightsband.rankguard`), the
    first block's ranks must run the way the set's direction says, or :class:`RankDirectionError`
    is raised before anything is written (``rank_check=False`` skips the check).

    Raises :class:`CsvError` for input that is not CSV in that encoding and
    :class:`MappingError` for columns not in the header or a group with no year column.
    """
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"fmt must be one of {OUTPUT_FORMATS}")
    run = label_blocks(source, mappings, delimiter=delimiter, decimal=decimal, encoding=encoding,
                       year_column=year_column, on_notice=on_notice, chunk_size=chunk_size, rank_check=rank_check)
    reader, report = run._reader, run.report
    held = _Held(out) if run._guarded else None  # nothing reaches ``out`` before the ranks are checked
    writer = make_writer(fmt, reader, run.mappings, cast(BinaryIO, held) if held else out)
    items = prefetched(_labelled(reader, reader.blocks(run._wanted, writer.fields), run._labellers, run._own),
                       may_wait=reader.from_pipe)
    with writer, contextlib.closing(items):  # type: ignore[type-var]
        for block, outcomes, problems, own, bytes_read in items:
            if held is not None:
                run._check_ranks(own, block.blank)
                held.release()
                held = None
            report.count(block, outcomes, len(problems), run._year_cells(own))
            if problems and strict:
                problems = problems.head(1)
                _, first = next(iter(problems))
                if on_problems:
                    on_problems(problems)
                elif on_problem:
                    on_problem(first)
                raise StopAtProblem(first)
            writer.write(block, outcomes)
            if on_problems:
                on_problems(problems)
            elif on_problem:
                for _, problem in problems:
                    on_problem(problem)
            if on_progress:
                on_progress(bytes_read)
        if held is not None:  # no records: the header alone
            held.release()
    out.flush()
    return report


class _Held:
    """An output that holds what is written until :meth:`release`, then writes through to ``out``."""

    def __init__(self, out: BinaryIO):
        self._out = out
        self._held: io.BytesIO | None = io.BytesIO()

    def write(self, data: bytes) -> int:
        return self._out.write(data) if self._held is None else self._held.write(data)

    def flush(self) -> None:
        if self._held is None:
            self._out.flush()

    def release(self) -> None:
        """Write what was held, and write through from now on (called once)."""
        assert self._held is not None
        self._out.write(self._held.getvalue())
        self._held = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)


class LabelledBlock(NamedTuple):
    """What :meth:`Labelling.blocks` gives for the records of one block (blank lines left out).

    ``outcomes`` holds, per mapping, a code per record: its position in
    ``Mapping.labels`` (of the mapping as run, :attr:`Labelling.mappings`), then
    ``len(labels)`` for a missing value, then ``len(labels) + 1`` for a bad one.
    ``problems`` give (mapping position, or :data:`EVERY_MAPPING` for a ragged record;
    problem) in input order. ``kept`` holds, per column asked to be kept, a code per
    record into a list of the block's distinct cell texts in that column (``NO_CELL``
    where the record has no such cell).
    """

    records: np.ndarray  # each record's number (1 = the first record of the input)
    lines: np.ndarray  # the input line each record starts on (1 = the header's first line)
    outcomes: list[np.ndarray]
    problems: ProblemBatch
    kept: list[tuple[np.ndarray, list[str]]]
    blank: int  # blank lines in the block (not records)
    bytes_read: int  # input bytes read by the end of the block


class Labelling:
    """A labelling run set up on a CSV stream (made by :func:`label_blocks`): the header read, the
    mappings checked against it, the year column chosen. :meth:`blocks` then runs it."""

    def __init__(self, reader: CsvReader, mappings: list[Mapping], labellers: list[Labeller],
                 wanted: tuple[int, ...], year_column: str | None, guarded: tuple[int, ...] = ()):
        self.header, self.year_column = reader.header, year_column
        self.mappings = mappings  # as run: a mapping switched to choosing by year spans every edition's labels
        self._reader, self._labellers = reader, labellers
        self._guarded = guarded  # the scores and ranks the rank check reads (none: no check)
        year = () if year_column is None else (column_position(self.header, year_column),)
        self._own = tuple(dict.fromkeys((*year, *guarded)))  # the columns the run keeps for itself
        self._wanted = tuple(sorted({*wanted, *self._own}))
        self.report = Report(mappings, year_column)  # counts the blocks as they are given
        self._started = False

    def _check_ranks(self, own: Sequence[Kept], blank: np.ndarray | None = None) -> None:
        """The rank check on the first block's kept columns (:func:`rightsband.rankguard.check`)."""
        records = slice(None) if blank is None else ~blank
        cells = {}
        for position, (codes, texts) in zip(self._own, own):
            everything = [*texts, ""]  # NO_CELL (-1) picks the trailing empty cell
            cells[self.header[position]] = [everything[code] for code in codes[records].tolist()]
        check(self.header, cells, self.mappings, year_column=self.year_column)

    def _year_cells(self, own: Sequence[Kept]) -> Kept | None:
        """The kept year column's cells, if the run has a year column (it is kept first)."""
        return own[0] if self.year_column is not None else None

    def blocks(self, keep: Sequence[int] = ()) -> Iterator[LabelledBlock]:
        """The labelled blocks, in input order, with the cells of the ``keep`` columns (0-based);
        counted into :attr:`report` as they are given. A run is read once: a second call raises."""
        if self._started:
            raise RuntimeError("the blocks of a labelling run are read once")
        keep = tuple(keep)
        if any(not 0 <= position < len(self.header) for position in keep):
            raise IndexError(f"keep: the header has {len(self.header)} columns")
        self._started = True
        return self._counted(keep)

    def _counted(self, keep: tuple[int, ...]) -> Iterator[LabelledBlock]:
        reader = self._reader
        every = tuple(dict.fromkeys((*keep, *self._own)))
        places = [every.index(position) for position in self._own]
        labelled = _labelled(reader, reader.blocks(tuple(sorted({*self._wanted, *keep}))), self._labellers, every)
        items = prefetched(_records_only(labelled), may_wait=reader.from_pipe)
        checked = not self._guarded
        with contextlib.closing(items):  # type: ignore[type-var]
            for item in items:
                own = [item.kept[place] for place in places]
                if not checked:
                    self._check_ranks(own)
                    checked = True
                self.report.add(len(item.records), item.blank, item.outcomes, len(item.problems),
                                self._year_cells(own))
                yield item._replace(kept=item.kept[:len(keep)])


def label_blocks(source: BinaryIO, mappings: Sequence[Mapping], *, delimiter: str | None = None,
                 decimal: str | None = None, encoding: str = "utf-8", year_column: str | None = FIND_YEAR_COLUMN,
                 on_notice: Callable[[str], None] | None = None, chunk_size: int | None = None,
                 rank_check: bool = True) -> Labelling:
    """Set up labelling a CSV stream block by block, with :func:`label_csv`'s engine, header
    checks and years, for a caller that reads the outcomes instead of writing them
    (``rightsband verify``): :meth:`Labelling.blocks` gives them, with the cells of the
    columns asked for, once the header is known (``Labelling.header``).

    Raises what :func:`label_csv` raises before its first record, and :class:`RankDirectionError`
    when the first block is read (before it is given) if its ranks run against a set (``rank_check``).
    """
    sizes = {"chunk_size": chunk_size} if chunk_size else {}
    reader = CsvReader(source, delimiter=delimiter, encoding=encoding, **sizes)
    header = reader.header
    own = [tuple(column_position(header, name) for name in m.columns) for m in mappings]  # usage errors first
    check_new_names(header, mappings)
    column = _year_column(header, mappings, year_column, on_notice or (lambda notice: None))
    run = [m.by_year() if column is not None and m.dated else m for m in mappings]
    year_position = () if column is None else (column_position(header, column),)
    positions = [(year_position if m.choose else ()) + p for m, p in zip(run, own)]
    labellers = [Labeller(m, p, decimal, column if m.choose else None) for m, p in zip(run, positions)]
    wanted = tuple(sorted({p for group in positions for p in group}))
    guarded = tuple(header.index(name) for name in checked_columns(header, run)) if rank_check else ()
    return Labelling(reader, run, labellers, wanted, column, guarded)


def _year_column(header: Sequence[str], mappings: Sequence[Mapping], year_column: str | None,
                 on_notice: Callable[[str], None]) -> str | None:
    """The column that gives each record's year, if any mapping needs one; notices say what was assumed."""
    dated = [m for m in mappings if m.dated]
    if year_column is FIND_YEAR_COLUMN:
        year_column = find_year_column(header) if dated else None
        if year_column is not None:
            on_notice(f'{YEARS_FROM} "{year_column}"')
    undecided = [m for m in dated if m.choose is not None]
    if year_column is None and undecided:
        first = undecided[0]
        raise MappingError(f"{first.index} picks its edition by year ({_editions(first)}), and the header has no "
                           "year column; give the year column (--year-column) or one year for every record (--year)")
    if year_column is None:
        for mapping in dict.fromkeys(m.set for m in dated):
            on_notice(f"no year column: labels on {mapping.id} assume its years, {mapping.years}")
    return year_column


def _editions(mapping: Mapping) -> str:
    rules = mapping.rules
    group = rules.group(mapping.index) if rules is not None else None
    return group.describe_editions() if group else f"{mapping.set.id} covers {mapping.set.years}"


#: What :func:`_labelled` gives per block: the block (its coded cells dropped), the outcomes per
#: mapping, the problems, the kept columns' cells and the input bytes read by then.
_Item = tuple[Block, list[np.ndarray], ProblemBatch, list[tuple[np.ndarray, list[str]]], int]


def _labelled(reader: CsvReader, blocks: Iterable[Block], labellers: Sequence[Labeller],
              keep: tuple[int, ...] = ()) -> Iterator[_Item]:
    """Per block: the outcomes per mapping, the problems in input order (with the mapping each is
    of), the cells of the ``keep`` columns (codes and texts), and the input bytes read by then.

    Run by the helper process where there is one (:mod:`rightsband.batch.prefetch`), so it
    must not touch anything the writing side reads: it only yields.
    """
    records_before = 0
    for block in blocks:
        numbers = records_before + np.cumsum(~block.blank)  # each record's number (1 = the first record)
        records_before = int(numbers[-1]) if len(numbers) else records_before
        outcomes = []
        found: list[tuple[np.ndarray, int, np.ndarray]] = []  # per mapping: bad records, its place, their details
        details: list[Detail] = []
        for order, labeller in enumerate(labellers):
            outcome, bad, which, issues = labeller.outcomes(block)
            outcomes.append(outcome)
            own = ",".join(labeller.mapping.columns)
            found.append((bad, order, which + len(details)))
            details += [(column or own, text, cell, set_id, kind) for text, kind, column, cell, set_id in issues]
        for record, fields in block.ragged:
            found.append((np.array([record]), EVERY_MAPPING, np.array([len(details)])))
            details.append((None, f"{fields} fields, but the header has {len(reader.header)}; the record is kept as "
                                  "it is and its labels are empty", "", "", RAGGED))
            for outcome, labeller in zip(outcomes, labellers):
                outcome[record] = labeller.bad
        problems = _batch(block, numbers, found, details)
        kept = _kept(block, keep, reader.delimiter)
        block.drop_cells()
        outcomes = [outcome.astype(labeller.engine.code_type()) for outcome, labeller in zip(outcomes, labellers)]
        yield block, outcomes, problems, kept, reader.bytes_read


def _batch(block: Block, numbers: np.ndarray, found: Sequence[tuple[np.ndarray, int, np.ndarray]],
           details: list[Detail]) -> ProblemBatch:
    """A block's problems in input order (by record, then mapping), from (records, mapping, details) per mapping."""
    none = np.zeros(0, dtype=np.intp)
    records = np.concatenate([none, *(bad for bad, _, _ in found)])
    mappings = np.concatenate([none, *(np.full(len(bad), order, dtype=np.intp) for bad, order, _ in found)])
    issues = np.concatenate([none, *(which for _, _, which in found)])
    if len(found) > 1:  # one mapping's records come in order already
        order = np.lexsort((mappings, records))
        records, mappings, issues = records[order], mappings[order], issues[order]
    lines = _lines(block)[records] if len(records) else records
    return ProblemBatch(lines, numbers[records], mappings, issues, details)


def _kept(block: Block, keep: tuple[int, ...], delimiter: str) -> list[tuple[np.ndarray, list[str]]]:
    """Per column of ``keep``: a code per record and the distinct cell texts. A ragged record's
    cells (which the reader does not code) are read from its own fields."""
    kept = []
    for position in keep:
        codes, keys = block.cells(position)
        kept.append((codes, [block.text(key) for key in as_list(keys)]))
    if keep and block.ragged:
        bodies = block.records.bodies()
        for record, _ in block.ragged:
            fields = _fields(bodies[record], block.encoding, delimiter)
            for (codes, texts), position in zip(kept, keep):
                if position < len(fields):
                    codes[record] = len(texts)
                    texts.append(fields[position])
    return kept


def _fields(body: bytes, encoding: str, delimiter: str) -> list[str]:
    """The fields of one raw record, as the csv module reads them (none if it cannot)."""
    try:
        return next(csv.reader(io.StringIO(body.decode(encoding), newline=""), delimiter=delimiter), [])
    except (csv.Error, UnicodeDecodeError):
        return []


def _records_only(items: Iterable[_Item]) -> Iterator[LabelledBlock]:
    """The labelled blocks without their raw records and blank lines: what :meth:`Labelling.blocks` gives
    (made in the helper process, so that only arrays and texts cross the pipe)."""
    before = 0  # records in the blocks before
    for block, outcomes, problems, kept, bytes_read in items:
        lines = _lines(block)
        blanks = int(block.blank.sum())
        if blanks:
            records = ~block.blank
            outcomes = [outcome[records] for outcome in outcomes]
            kept = [(codes[records], texts) for codes, texts in kept]
            lines = lines[records]
        numbers = np.arange(before + 1, before + 1 + len(lines))
        before += len(lines)
        yield LabelledBlock(numbers, lines, outcomes, problems, kept, blanks, bytes_read)


def _lines(block: Block) -> np.ndarray:
    """The line each record of a block starts on: counted on from the first where each takes one line."""
    count = len(block)
    if not count:
        return np.zeros(0, dtype=np.int64)
    first = block.line_number(0)
    if block.line_number(count - 1) - first == count - 1:  # lines only grow: one line each
        return np.arange(first, first + count, dtype=np.int64)
    return np.fromiter(map(block.line_number, range(count)), dtype=np.int64, count=count)
