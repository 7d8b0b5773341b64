"""The batch engine: label the score columns of a CSV stream, copying every other byte through.

Records are read in blocks (:mod:`rightsband.csvscan`); each distinct cell text of a
mapped column is classified once and the outcome mapped back onto the records with
NumPy, so the cost per record is a few array operations whatever the band set.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO

import numpy as np

from rightsband.csvscan import NO_CELL, Block, CsvError, CsvReader
from rightsband.model import BandSet
from rightsband.prefetch import prefetched
from rightsband.rules import Rules, UnknownSetError, YearError
from rightsband.values import ValueProblem, is_missing, parse_years

OUTPUT_FORMATS = ("csv", "tsv", "jsonl")
DECIMALS = (".", ",")


class MappingError(ValueError):
    """A ``--column`` mapping that does not fit the rules or the header (a usage error)."""


class Problem:
    """One bad cell or record: where it is and what is wrong, as one line of text."""

    __slots__ = ("line", "column", "message")

    def __init__(self, line: int, column: str | None, message: str):
        self.line, self.column, self.message = line, column, message

    def __str__(self) -> str:
        where = f'line {self.line}, column "{self.column}"' if self.column else f"line {self.line}"
        return f"{where}: {self.message}".translate(_VISIBLE)


#: Control characters in a message (a NUL or newline inside a cell) shown as escapes, so a message stays one line.
_VISIBLE = {code: f"\\x{code:02x}" for code in [*range(32), 127]}


class StopAtProblem(Exception):
    """Raised under ``strict`` at the first problem; carries it."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class Mapping:
    """One ``--column`` mapping: the input columns, the band set, the new column's name.

    With ``choose`` (a year column picks the edition), ``set`` is the first candidate
    and ``labels`` runs over every edition the year may pick.
    """

    __slots__ = ("columns", "set", "name", "choose", "labels")

    def __init__(self, columns: tuple[str, ...], band_set: BandSet, name: str,
                 choose: Callable[[int], BandSet] | None = None, candidates: Sequence[BandSet] = ()):
        self.columns, self.set, self.name, self.choose = columns, band_set, name, choose
        self.labels = list(dict.fromkeys(b.label for s in (candidates or [band_set]) for b in s.bands))

    @classmethod
    def parse(cls, spec: str, rules: Rules, *, year: int | None = None, by_year: bool = False) -> Mapping:
        """Read ``COLS=INDEX[:NEWNAME]``; a composite set takes its input columns comma-separated.

        ``year`` picks INDEX's edition for that year; ``by_year`` leaves the choice to
        each record's year (INDEX may then be a group of editions).
        """
        cols, sep, rest = spec.rpartition("=")
        if not sep or not cols or not rest:
            raise MappingError(f'"{spec}" is not COLUMN=INDEX[:NEWNAME], e.g. "Score 2015=rsf"')
        index, _, name = rest.partition(":")
        choose, candidates = None, ()
        try:
            if by_year:
                group = rules.group(index)
                band_set = group.editions[0] if group else rules.get(index)
                candidates = group.editions if group else \
                    (band_set, *(e for g in rules.groups_of(band_set) for e in g.editions))
                choose = lambda y: rules.for_year(index, y)  # noqa: E731 - a closure over the name as typed
            else:
                band_set = rules.get(index) if year is None else rules.for_year(index, year)
        except (UnknownSetError, YearError) as error:
            raise MappingError(str(error)) from None
        if band_set.is_composite:
            columns = tuple(c for c in cols.split(","))
            if len(columns) != len(band_set.inputs):
                raise MappingError(
                    f'{band_set.id} combines {band_set.input_names()}: give {len(band_set.inputs)} columns in that '
                    f'order, e.g. "{",".join(i.name.upper() for i in band_set.inputs)}={index}", not "{cols}"'
                )
        else:
            columns = (cols,)
        default = f"{index}_label" if band_set.is_composite else f"{cols}_label"
        return cls(columns, band_set, name or default, choose, candidates)


class Tally:
    """Per mapping: records per band, missing values and bad cells."""

    __slots__ = ("mapping", "bands", "missing", "bad")

    def __init__(self, mapping: Mapping):
        self.mapping = mapping
        self.bands = [0] * len(mapping.labels)  # records per label of mapping.labels
        self.missing = 0
        self.bad = 0


class Report:
    """What a run did: records read, blank lines kept, problems, and a tally per mapping."""

    def __init__(self, mappings: Sequence[Mapping]):
        self.records = 0
        self.blank = 0
        self.problems = 0
        self.tallies = [Tally(m) for m in mappings]

    def count(self, block: Block, outcomes: Sequence[np.ndarray], problems: int) -> None:
        """Add one block: its records, blank lines, problems and the outcomes per mapping."""
        blank = int(block.blank.sum())
        self.records += len(block) - blank
        self.blank += blank
        self.problems += problems
        for tally, outcome in zip(self.tallies, outcomes):
            missing = len(tally.bands)
            counts = np.bincount(outcome[~block.blank], minlength=missing + 2).tolist()
            tally.bands = [a + b for a, b in zip(tally.bands, counts[:missing])]
            tally.missing += counts[missing]
            tally.bad += counts[missing + 1]


class _Labeller:
    """Classifies the distinct cell texts of one mapping, remembering each outcome for the whole run.

    Outcomes are positions in ``mapping.labels`` 0..n-1, then ``missing``, then ``bad``.
    With a year column, its position comes first in ``positions``.
    """

    def __init__(self, mapping: Mapping, positions: tuple[int, ...], decimal: str | None,
                 year_column: str | None = None):
        self.mapping, self.positions, self.decimal, self.year_column = mapping, positions, decimal, year_column
        self._label_outcome = {label: n for n, label in enumerate(mapping.labels)}
        self.missing = len(mapping.labels)
        self.bad = self.missing + 1
        self._outcome: dict[Any, int] = {}
        self._message: dict[Any, str] = {}
        self._words = np.zeros(0, dtype=np.uint64)  # word keys seen so far, sorted, and their outcomes
        self._word_outcomes = np.zeros(0, dtype=np.intp)
        self._editions: dict[str, BandSet | YearError] = {}  # per year cell: its edition, or why there is none

    def outcomes(self, block: Block) -> tuple[np.ndarray, list[tuple[int, str]]]:
        """The outcome per record, and (record, message) for each bad cell."""
        if len(self.positions) == 1:
            codes, keys = block.cells(self.positions[0])
        else:
            codes, keys = self._combine(block)
        if isinstance(keys, np.ndarray):
            per_key = self._per_word(block, keys)
            keys = keys.tolist()
        else:
            for key in [key for key in keys if key not in self._outcome]:
                self._outcome[key] = self._learn(key, block)
            per_key = np.fromiter(map(self._outcome.__getitem__, keys), dtype=np.intp, count=len(keys))
        outcome = np.append(per_key, self.missing)[codes]  # NO_CELL (-1) picks the trailing "missing"
        bad_keys = np.flatnonzero(per_key == self.bad)
        if not len(bad_keys):
            return outcome, []
        records = np.flatnonzero(np.isin(codes, bad_keys)).tolist()
        return outcome, [(record, self._message[keys[codes[record]]]) for record in records]

    def _per_word(self, block: Block, words: np.ndarray) -> np.ndarray:
        """The outcomes of distinct word keys, looked up in the sorted words seen so far (new ones learnt)."""
        at = np.searchsorted(self._words, words)
        seen = at < len(self._words)
        seen[seen] = self._words[at[seen]] == words[seen]
        if not seen.all():
            new = words[~seen]
            learnt = [self._learn(key, block) for key in new.tolist()]
            everything = np.concatenate([self._words, new])
            order = np.argsort(everything, kind="stable")
            self._words = everything[order]
            self._word_outcomes = np.append(self._word_outcomes, learnt)[order]
            at = np.searchsorted(self._words, words)
        return self._word_outcomes[at]

    def _learn(self, key: Any, block: Block) -> int:
        """Classify the cell text(s) of one key: its outcome, with the message of a bad one kept."""
        texts = tuple(map(block.text, key)) if len(self.positions) > 1 else (block.text(key),)
        outcome, message = self._classify(texts)
        if message is not None:
            self._message[key] = message
        return outcome

    def _combine(self, block: Block) -> tuple[np.ndarray, list[tuple[Any, ...]]]:
        """Code each record's tuple of input cells (composite sets)."""
        combined = np.zeros(len(block), dtype=np.int64)
        absent = np.zeros(len(block), dtype=bool)
        columns = [(codes, keys.tolist() if isinstance(keys, np.ndarray) else keys)
                   for codes, keys in map(block.cells, self.positions)]
        for codes, keys in columns:
            combined = combined * len(keys) + np.maximum(codes, 0)
            absent |= codes == NO_CELL
        _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
        keys = [tuple(keys[codes[r]] for codes, keys in columns) for r in first.tolist()]
        inverse = inverse.reshape(-1)
        inverse[absent] = NO_CELL
        return inverse, keys

    def _classify(self, texts: tuple[str, ...]) -> tuple[int, str | None]:
        band_set = self.mapping.set
        year_text = None
        if self.year_column is not None:
            year_text, texts = texts[0], texts[1:]
        for text, column in zip(texts, self.mapping.columns):
            problem = self._decimal_problem(text)
            if problem:
                return self.bad, problem if len(texts) == 1 else f'column "{column}": {problem}'
        if any(is_missing(text) for text in texts):
            return self.missing, None
        if year_text is not None:
            if year_text not in self._editions:
                try:
                    self._editions[year_text] = self._edition(year_text)
                except YearError as problem:
                    self._editions[year_text] = problem
            edition = self._editions[year_text]
            if isinstance(edition, YearError):
                return self.bad, str(edition)
            band_set = edition
        raw = texts[0] if len(texts) == 1 else dict(zip((i.name for i in band_set.inputs), texts))
        try:
            result = band_set.classify(raw)
        except ValueProblem as problem:
            return self.bad, str(problem)
        return (self.missing, None) if result is None else (self._label_outcome[result.label], None)

    def _edition(self, year_text: str) -> BandSet:
        """The band set for a record's year cell, or YearError saying why there is none."""
        where = f'(column "{self.year_column}")'
        years = parse_years(year_text)
        if not years:
            raise YearError(f'"{year_text}" {where} is not a year; give a four-digit year such as 2015')
        assert self.mapping.choose is not None
        editions = list(dict.fromkeys(self.mapping.choose(year) for year in sorted(years)))
        if len(editions) > 1:
            named = ", ".join(e.id for e in editions)
            raise YearError(f'"{year_text}" {where} spans editions ({named}); give one year per record')
        return editions[0]

    def _decimal_problem(self, text: str) -> str | None:
        if self.decimal is None or is_missing(text):
            return None
        other = "," if self.decimal == "." else "."
        if other in text:
            kind = "decimal comma" if other == "," else "decimal point"
            return f'"{text}" has a {kind}, but --decimal is "{self.decimal}"; give --decimal {other} if the file uses it'
        return None


def label_csv(source: BinaryIO, out: BinaryIO, mappings: Sequence[Mapping], *, delimiter: str | None = None,
              decimal: str | None = None, encoding: str = "utf-8", fmt: str = "csv", strict: bool = False,
              year_column: str | None = None,
              on_problem: Callable[[Problem], None] | None = None,
              on_progress: Callable[[int], None] | None = None, chunk_size: int | None = None) -> Report:
    """Label a CSV stream: every record copied through, one label cell per mapping added.

    ``fmt="csv"`` keeps the input's dialect and every byte of every record; ``tsv``
    and ``jsonl`` re-encode the cells (as text, nothing inferred). Bad cells get an
    empty label and are passed to ``on_problem``; with ``strict`` the first one
    raises :class:`StopAtProblem` instead. With ``year_column`` (for mappings parsed
    with ``by_year=True``) each record's year picks the edition; a year no edition
    covers is a bad cell. Raises :class:`CsvError` for input that is not CSV in that
    encoding and :class:`MappingError` for columns not in the header.
    """
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"fmt must be one of {OUTPUT_FORMATS}")
    options = {"delimiter": delimiter, "encoding": encoding}
    if chunk_size:
        options["chunk_size"] = chunk_size
    reader = CsvReader(source, **options)  # type: ignore[arg-type]
    header = reader.header
    year = () if year_column is None else (_column_position(header, year_column),)
    positions = [year + tuple(_column_position(header, name) for name in m.columns) for m in mappings]
    _check_new_names(header, mappings)
    for mapping in mappings:
        if (mapping.choose is None) != (year_column is None):
            raise ValueError("give year_column exactly when the mappings were parsed with by_year=True")
    labellers = [_Labeller(m, p, decimal, year_column) for m, p in zip(mappings, positions)]
    wanted = tuple(sorted({p for group in positions for p in group}))
    writer = _writer(fmt, reader, mappings, out)
    report = Report(mappings)
    labelled = _labelled(reader, reader.blocks(wanted, parse_all=not writer.passthrough), labellers)
    items = prefetched(labelled, may_wait=reader.from_pipe)
    with contextlib.closing(items):
        for block, outcomes, problems, bytes_read in items:
            report.count(block, outcomes, len(problems))
            if problems and strict:
                raise StopAtProblem(problems[0])
            writer.write(block, outcomes)
            if on_problem:
                for problem in problems:
                    on_problem(problem)
            if on_progress:
                on_progress(bytes_read)
    out.flush()
    return report


def _labelled(reader: CsvReader, blocks: Iterable[Block],
              labellers: Sequence[_Labeller]) -> Iterator[tuple[Block, list[np.ndarray], list[Problem], int]]:
    """Per block: the outcomes per mapping, the problems in input order, and the input bytes read by then.

    Run by the helper process where there is one (:mod:`rightsband.prefetch`), so it
    must not touch anything the writing side reads: it only yields.
    """
    message = f"fields, but the header has {len(reader.header)}; the record is kept as it is and its labels are empty"
    for block in blocks:
        outcomes = []
        problems: list[tuple[int, int, Problem]] = []
        for order, labeller in enumerate(labellers):
            outcome, errors = labeller.outcomes(block)
            outcomes.append(outcome)
            column = ",".join(labeller.mapping.columns)
            problems += [(r, order, Problem(block.line_number(r), column, msg)) for r, msg in errors]
        for record, fields in block.ragged:
            problems.append((record, -1, Problem(block.line_number(record), None, f"{fields} {message}")))
            for outcome, labeller in zip(outcomes, labellers):
                outcome[record] = labeller.bad
        problems.sort(key=operator.itemgetter(0, 1))
        yield block, outcomes, [problem for _, _, problem in problems], reader.bytes_read


def _column_position(header: list[str], name: str) -> int:
    """The position of a header column, or a MappingError with the columns and a "did you mean"."""
    found = [n for n, column in enumerate(header) if column == name]
    if len(found) == 1:
        return found[0]
    if found:
        raise MappingError(f'the header has {len(found)} columns named "{name}"; rename them in the file first')
    close = difflib.get_close_matches(name, header, n=1) or [c for c in header if c.casefold() == name.casefold()]
    hint = f'did you mean "{close[0]}"? ' if close else ""
    listed = ", ".join(f'"{c}"' for c in header)
    raise MappingError(f'no column "{name}" in the header; {hint}the columns are: {listed}')


def _check_new_names(header: list[str], mappings: Sequence[Mapping]) -> None:
    seen = set(header)
    for mapping in mappings:
        if mapping.name in seen:
            raise MappingError(
                f'a column "{mapping.name}" is already there; name the new column with '
                f'--column {",".join(mapping.columns)}={mapping.set.id}:NEWNAME'
            )
        seen.add(mapping.name)


class _Writer:
    """Writes blocks in one output format; ``passthrough`` writers copy the raw records."""

    passthrough = False

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        self.out = out
        self.header = reader.header + [m.name for m in mappings]
        self.labels = [m.labels + ["", ""] for m in mappings]

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        raise NotImplementedError


class _CsvWriter(_Writer):
    """The input's own bytes, dialect and line endings, with the label cells appended."""

    passthrough = True

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        super().__init__(reader, mappings, out)
        self.encoding, self.delimiter = reader.encoding, reader.delimiter
        self.cells = [[self._cell(label) for label in labels] for labels in self.labels]
        self._suffixes: dict[int, bytes] = {}
        names = b"".join(self._cell(m.name) for m in mappings)
        out.write(reader.bom + reader.header_body + names + reader.header_terminator)

    def _cell(self, text: str) -> bytes:
        try:
            return (self.delimiter + _quoted(text, self.delimiter)).encode(self.encoding)
        except UnicodeEncodeError:
            raise CsvError(f'"{text}" cannot be written in {self.encoding}; give --format jsonl or '
                           "convert the file to UTF-8") from None

    def _suffix(self, code: int) -> bytes:
        """The label cells for one combination of outcomes (a mixed-radix code), remembered."""
        parts = []
        rest = code
        for cells in reversed(self.cells):
            rest, position = divmod(rest, len(cells))
            parts.append(cells[position])
        suffix = self._suffixes[code] = b"".join(reversed(parts))
        return suffix

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        combined = np.zeros(len(block), dtype=np.int64)
        for outcome, cells in zip(outcomes, self.cells):
            combined = combined * len(cells) + outcome
        unique, inverse = _small_unique(combined)
        known = self._suffixes
        suffixes = [known.get(code) or self._suffix(code) for code in unique.tolist()]
        which = inverse.tolist()
        if block.blank.any():
            suffixes.append(b"")
            for record in np.flatnonzero(block.blank).tolist():
                which[record] = len(suffixes) - 1
        self.out.write(block.records.with_suffixes(suffixes, which))
        self.out.flush()


def _small_unique(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(codes, return_inverse=True)`` for small non-negative ints, by counting, not sorting."""
    present = np.flatnonzero(np.bincount(codes))
    lookup = np.zeros(int(present[-1]) + 1 if len(present) else 1, dtype=np.intp)
    lookup[present] = np.arange(len(present))
    return present, lookup[codes]


class _TsvWriter(_Writer):
    """Tab-separated text in UTF-8, ``\\n`` line endings; cells with a tab, quote or newline quoted."""

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        super().__init__(reader, mappings, out)
        self._line(self.header)

    def _line(self, cells: Iterable[str]) -> None:
        self.out.write(("\t".join(_quoted(c, "\t") for c in cells) + "\n").encode("utf-8"))

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        assert block.fields is not None
        for record, fields in enumerate(block.fields):
            if fields:
                self._line(fields + [labels[o[record]] for labels, o in zip(self.labels, outcomes)])
        self.out.flush()


class _JsonlWriter(_Writer):
    """One JSON object per record: the header's names as keys, cells as strings, labels or null."""

    def __init__(self, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO):
        super().__init__(reader, mappings, out)
        repeated = sorted({name for name in self.header if self.header.count(name) > 1})
        if repeated:
            raise MappingError(f'--format jsonl needs distinct column names; "{repeated[0]}" is repeated')

    def write(self, block: Block, outcomes: list[np.ndarray]) -> None:
        assert block.fields is not None
        names = self.header[: len(self.header) - len(outcomes)]
        new = self.header[len(names):]
        lines = []
        for record, fields in enumerate(block.fields):
            if not fields:
                continue
            item: dict[str, Any] = dict(zip(names, fields))
            if len(fields) > len(names):
                item["_extra"] = fields[len(names):]
            for name, labels, outcome in zip(new, self.labels, outcomes):
                item[name] = labels[outcome[record]] or None
            lines.append(json.dumps(item, ensure_ascii=False) + "\n")
        self.out.write("".join(lines).encode("utf-8"))
        self.out.flush()


def _quoted(text: str, delimiter: str) -> str:
    """A cell as a CSV writer writes it: quoted (quotes doubled) if it holds the delimiter, a quote, CR or LF."""
    if any(c in text for c in (delimiter, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def _writer(fmt: str, reader: CsvReader, mappings: Sequence[Mapping], out: BinaryIO) -> _Writer:
    if fmt == "csv" or (fmt == "tsv" and reader.delimiter == "\t"):
        return _CsvWriter(reader, mappings, out)
    if fmt == "tsv":
        return _TsvWriter(reader, mappings, out)
    return _JsonlWriter(reader, mappings, out)
