"""Check a publisher's own labels against the rule: the library side of ``rightsband verify``.

Every label compared is one ``label`` gives: the table goes through the one engine
(:func:`rightsband.batch.label_csv`) into TSV in a temporary file that spills to disk,
and is read back record by record beside the problems the engine reported (spooled the
same way), so memory stays bounded whatever the size of the table.

Each record of each check has one outcome:

- ``agree``: the published label is the rule's label, or one of that band's aliases in
  the edition used (case and runs of white space aside);
- ``ambiguous``: the rule declines to decide: a value on a tie it declares ambiguous, or
  an undetermined band (``either``) whose published label is one of the bands it stands between;
- ``missing``: no value (the rule gives no label, and nothing is wrong), or no published label;
- ``refused``: the value is bad (not a number, off the scale, a year no edition covers,
  a ragged record): the engine's problem says why;
- ``disagree``: both are there, and they differ.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, BinaryIO, NamedTuple, cast

from rightsband.batch import FIND_YEAR_COLUMN, Mapping, MappingError, Report, label_csv
from rightsband.formats import tsv_unescape
from rightsband.mapping import column_position
from rightsband.model import BandSet
from rightsband.problems import Problem
from rightsband.rules import Rules
from rightsband.values import parse_years

__all__ = ["AGREE", "AMBIGUOUS", "DISAGREE", "MISSING", "OUTCOMES", "REFUSED", "Check", "CheckError", "Finding",
           "Tally", "VerifyReport", "parse_checks", "verify_csv"]

AGREE, DISAGREE, AMBIGUOUS, MISSING, REFUSED = "agree", "disagree", "ambiguous", "missing", "refused"
OUTCOMES = (AGREE, DISAGREE, AMBIGUOUS, MISSING, REFUSED)
#: Temporary files are kept in memory up to this size, then on disk.
SPOOL_BYTES = 16 << 20
#: The problem kind of a value given to a set with labels only (``rightsband.model.constructs.LABEL_ONLY``).
LABEL_ONLY = "label-only"
#: The new columns the engine writes are named so (never a publisher's name).
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

    def add(self, outcome: str, why: str = "") -> None:
        if outcome == MISSING:
            if why == "no value":
                self.no_value += 1
            else:
                self.no_label += 1
        else:
            setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check.spec, "against": self.check.against, "records": self.records,
                "agree": self.agree, "disagree": self.disagree, "ambiguous": self.ambiguous, "missing": self.missing,
                "no_value": self.no_value, "no_label": self.no_label, "refused": self.refused}


class Finding(NamedTuple):
    """A record of one check that does not agree: where (``line`` None where unknown), the value(s),
    the published label, the rule's label and the set (edition) that gave it, the outcome and why,
    and the cells of the columns asked to be shown (a country, a year)."""

    check: Check
    record: int
    line: int | None
    value: str
    published: str
    rule: str
    set_id: str
    outcome: str
    message: str
    shown: tuple[str, ...] = ()


class VerifyReport:
    """What a run found: records read, one :class:`Tally` per check, the year column used, and
    whether line numbers are known (they are not where the table has blank lines)."""

    def __init__(self, checks: Sequence[Check], report: Report):
        self.records, self.year_column = report.records, report.year_column
        self.lines_known = report.blank == 0
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
               on_finding: Callable[[Finding], None] | None = None, show: Sequence[str] = ()) -> VerifyReport:
    """Check every record of a CSV stream: each check's labels, by the engine of ``label``, against
    its published column. Findings (records that do not agree) go to ``on_finding`` in record
    order, with the cells of the ``show`` columns; problems to ``on_problem`` as the engine reports them.

    Raises what :func:`~rightsband.batch.label_csv` raises, and :class:`CheckError` for a
    published-label or ``show`` column that is not in the header once.
    """
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as labelled, \
            tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8") as problems:
        out = cast(BinaryIO, labelled)
        early = _EarlyHeaderCheck(out, checks, show)

        def on_engine_problem(problem: Problem) -> None:
            problems.write(json.dumps([problem.record, problem.line, problem.column, problem.set_id, problem.kind,
                                       problem.message]) + "\n")
            if on_problem is not None:
                on_problem(problem)

        def on_engine_progress(bytes_read: int) -> None:
            early()
            if on_progress is not None:
                on_progress(bytes_read)

        report = label_csv(source, out, [check.mapping for check in checks], delimiter=delimiter, decimal=decimal,
                           encoding=encoding, fmt="tsv", year_column=year_column, on_problem=on_engine_problem,
                           on_notice=on_notice, on_progress=on_engine_progress)
        result = VerifyReport(checks, report)
        out.seek(0)
        problems.seek(0)
        _compare(out, problems, checks, report, result, on_finding or (lambda finding: None), show)
    return result


class _EarlyHeaderCheck:
    """After the engine's first block: the published-label columns must be in the header (so a typo
    stops the run at once, not after the whole table)."""

    def __init__(self, out: BinaryIO, checks: Sequence[Check], show: Sequence[str]):
        self.out, self.checks, self.show, self.done = out, checks, show, False

    def __call__(self) -> None:
        if self.done:
            return
        self.done = True
        at = self.out.tell()
        self.out.seek(0)
        header = _cells(self.out.readline())
        self.out.seek(at)
        _against_positions(header[: len(header) - len(self.checks)], self.checks)
        _show_positions(header[: len(header) - len(self.checks)], self.show)


def _cells(line: bytes) -> list[str]:
    """The cells of a TSV line (escapes undone only where there are any)."""
    text = line.decode("utf-8").rstrip("\n")
    if "\\" not in text:
        return text.split("\t")
    return [tsv_unescape(cell) if "\\" in cell else cell for cell in text.split("\t")]


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


def _breaks(cells: Sequence[str]) -> int:
    """Line breaks inside the cells (CRLF, CR or LF), as the engine counts a record's lines."""
    return sum(cell.count("\n") + cell.count("\r") - cell.count("\r\n") for cell in cells)


def _compare(labelled: BinaryIO, problems: IO[str], checks: Sequence[Check], report: Report, result: VerifyReport,
             on_finding: Callable[[Finding], None], show: Sequence[str]) -> None:
    """Walk the labelled records and the problems (both in record order) side by side."""
    count = len(checks)
    header = _cells(labelled.readline())[:-count]
    against = _against_positions(header, checks)
    shown = _show_positions(header, show)
    judges = [_Judge(check, tally.mapping, header, report.year_column) for check, tally in
              zip(checks, report.tallies)]
    issues = _problems_by_record(problems)
    pending = next(issues, None)
    line = 1 + _breaks(header)
    record = 0
    for raw in labelled:
        if raw in (b"\n", b""):
            continue  # a blank line copied through: not a record
        record += 1
        cells = _cells(raw)
        fields, labels = cells[:-count], cells[-count:]
        line += 1
        here: list[Problem] = []
        while pending is not None and pending.record <= record:
            if pending.record == record:
                here.append(pending)
            pending = next(issues, None)
        assigned = _assign(here, checks, report.year_column)
        for n, (judge, tally) in enumerate(zip(judges, result.tallies)):
            published = fields[against[n]] if against[n] < len(fields) else ""
            finding = judge(record, line if result.lines_known else None, fields, published, labels[n],
                            assigned.get(n))
            tally.add(finding.outcome, finding.message)
            if finding.outcome != AGREE:
                on_finding(finding._replace(shown=tuple(fields[p] if p < len(fields) else "" for p in shown)))
        if b"\\" in raw:  # only an escaped CR or LF is a line break inside a cell
            line += _breaks(fields)


def _problems_by_record(problems: IO[str]) -> Iterator[Problem]:
    for text in problems:
        record, line, column, set_id, kind, message = json.loads(text)
        if record:
            yield Problem(line, column, message, record, "", set_id, kind)


def _assign(problems: list[Problem], checks: Sequence[Check], year_column: str | None) -> dict[int, Problem]:
    """Which check each problem of a record belongs to: a ragged record's to all; else the first
    check not yet given one whose columns (or year column) and set it names."""
    claimed: dict[int, Problem] = {}
    for problem in problems:
        if problem.column is None:
            for n in range(len(checks)):
                claimed.setdefault(n, problem)
            continue
        fits = [n for n, check in enumerate(checks) if n not in claimed and
                problem.column in (",".join(check.mapping.columns), year_column)]
        named = [n for n in fits if problem.set_id in _set_ids(checks[n].mapping)]
        if named or fits:
            claimed[(named or fits)[0]] = problem
    return claimed


def _set_ids(mapping: Mapping) -> set[str]:
    ids = {mapping.index, mapping.set.id}
    rules = mapping.rules
    if rules is not None:
        group = rules.group(mapping.index)
        groups = [group] if group is not None else list(rules.groups_of(mapping.set))
        ids.update(edition.id for g in groups for edition in g.editions)
    return ids


def normalised(label: str) -> str:
    """A label as compared: case-folded, runs of white space as one space, none at either end."""
    return " ".join(label.split()).casefold()


class _Judge:
    """The outcome of one check on one record, with the names each band goes by in each edition."""

    def __init__(self, check: Check, run: Mapping, header: list[str], year_column: str | None):
        self.check, self.run = check, run
        self.positions = [column_position(header, column) for column in check.mapping.columns]
        by_year = run.choose is not None and year_column is not None
        self.year_position = column_position(header, year_column) if by_year and year_column is not None else None
        self._editions: dict[str, BandSet | None] = {}
        self._names: dict[tuple[str, str], tuple[set[str], set[str], tuple[str, ...]]] = {}

    def __call__(self, record: int, line: int | None, fields: list[str], published: str, rule: str,
                 problem: Problem | None) -> Finding:
        values = [fields[p] if p < len(fields) else "" for p in self.positions]
        value = values[0] if len(values) == 1 else " ".join(
            f"{i.name}={v}" for i, v in zip(self.run.set.inputs, values))
        edition = self._edition(fields)
        set_id = edition.id if edition is not None else self.run.index

        def found(outcome: str, message: str = "") -> Finding:
            where = problem.line if problem is not None else line
            return Finding(self.check, record, where, value, published, rule, set_id, outcome, message)

        if problem is not None and problem.kind == LABEL_ONLY:
            return self._label_only(found, edition, published)
        if problem is not None:
            return found(AMBIGUOUS if "ambiguous" in problem.kind else REFUSED, problem.message)
        if not rule:
            return found(MISSING, "no value")
        if not published.strip():
            return found(MISSING, "no published label")
        own, either, outcomes = self._names_of(edition, rule)
        if normalised(published) in own:
            return found(AGREE)
        if normalised(published) in either:
            return found(AMBIGUOUS, f"undetermined by the rule: {' or '.join(outcomes)}")
        return found(DISAGREE)

    def _label_only(self, found: Callable[..., Finding], edition: BandSet | None, published: str) -> Finding:
        """A set with labels only: the published label must be one of its labels or aliases."""
        if not published.strip():
            return found(MISSING, "no published label")
        sets = [edition] if edition is not None else self._candidates()
        for band_set in sets:
            for band in band_set.bands:
                if normalised(published) in map(normalised, _names(band)):
                    return found(AGREE)._replace(rule=band.label)
        labels = ", ".join(dict.fromkeys(band.label for band_set in sets for band in band_set.bands))
        return found(DISAGREE, f"not one of {sets[0].id}'s labels ({labels})")

    def _edition(self, fields: list[str]) -> BandSet | None:
        """The edition the record's year picked (the mapping's set where no year picks one)."""
        if self.year_position is None:
            return self.run.set
        text = fields[self.year_position] if self.year_position < len(fields) else ""
        if text not in self._editions:
            years = parse_years(text)
            try:
                self._editions[text] = self.run.choose(years[0]) if years and self.run.choose else None
            except Exception:  # no edition for the year: the engine said so as a problem
                self._editions[text] = None
        return self._editions[text]

    def _names_of(self, edition: BandSet | None, label: str) -> tuple[set[str], set[str], tuple[str, ...]]:
        """The names of the band labelled ``label`` (label and aliases), the names of the bands it
        stands between if it is undetermined, and their labels."""
        key = (edition.id if edition is not None else "", label)
        if key not in self._names:
            sets = [edition] if edition is not None else self._candidates()
            own, either, outcomes = {normalised(label)}, set[str](), tuple[str, ...]()
            for band_set in sets:
                bands = {band.label: band for band in band_set.bands}
                band = bands.get(label)
                if band is None:
                    continue
                own.update(map(normalised, _names(band)))
                outcomes = outcomes or band.either
                for other in band.either:
                    either.update(map(normalised, _names(bands[other]) if other in bands else (other,)))
            self._names[key] = (own, either, outcomes)
        return self._names[key]

    def _candidates(self) -> list[BandSet]:
        rules = self.run.rules
        group = rules.group(self.run.index) if rules is not None else None
        return list(group.editions) if group is not None else [self.run.set]


def _names(band: Any) -> tuple[str, ...]:
    """A band's label and aliases (the publisher's other spellings and codes, where the rules give them)."""
    return (band.label, *getattr(band, "aliases", ()))
