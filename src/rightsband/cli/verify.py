"""``rightsband verify``: check a publisher's own labels against the rule, record by record."""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, TextIO

import click

from rightsband.cli.app import CONTEXT
from rightsband.cli.batchprocess import prepare_for_batch
from rightsband.cli.files import open_input, progress, read_errors
from rightsband.cli.label import rank_check_option, rank_errors, show_notices, year_notices
from rightsband.cli.options import InputOptions, format_option, input_options, quiet_option, say
from rightsband.formats import TableWriter
from rightsband.values import visible

if TYPE_CHECKING:
    from rightsband.readers import Table
    from rightsband.verify import Check, Finding, VerifyReport

#: The columns of a finding in csv, tsv, json and jsonl output.
FINDING_COLUMNS = ("check", "against", "line", "record", "value", "published", "rule", "set", "outcome", "message")
#: Text tables are kept in memory up to this size, then on disk.
_SPOOL_BYTES = 8 << 20


@click.command(context_settings=CONTEXT)
@input_options(column_metavar="COLS=INDEX[:LABELCOL]",
               column_help="Check column COLS on band set INDEX against the publisher's labels in column LABELCOL "
                           "(or the next --against). For a composite set COLS are comma-separated. Repeatable.")
@click.option("--against", "-a", "against", multiple=True, metavar="LABELCOL",
              help="The column of the publisher's labels, for a --column without :LABELCOL (in the same order).")
@format_option()
@click.option("--show", "show", multiple=True, metavar="COL",
              help="Show column COL's cell (a country, a year) beside each record listed. Repeatable.")
@click.option("--counts", is_flag=True, help="Print only the counts of each check, one row each.")
@click.option("--ambiguous", "list_ambiguous", is_flag=True,
              help="List the ambiguous records too (ties the rule declines, undetermined bands).")
@rank_check_option
@quiet_option
def verify(inputs: InputOptions, against: tuple[str, ...], fmt: str, show: tuple[str, ...], counts: bool,
           list_ambiguous: bool, no_rank_check: bool, quiet: bool) -> None:
    """Check a publisher's labels against the rule: count agreements, list every disagreement.

    Each record's label on INDEX (as `rightsband label` gives it, from the same INPUT
    forms, mappings, years and dialects) is compared with the published label in
    LABELCOL: the same text, any case and spacing, or one of the band's aliases in
    the edition used (F, PF, NF for Freedom House's statuses). Counts per check:
    agree, disagree, ambiguous (a tie the rule declares ambiguous; an undetermined
    band whose published label is one it stands between), missing (no value, or no
    published label) and refused (a value the rule cannot read). The exit code is 1
    when any record disagrees or is refused. A rank column beside a mapped score
    that runs against the set's direction stops the run, as in label.

    \b
    Examples:
      rightsband verify examples/rsf-2024.csv -c Score=rsf-map:Situation
      rightsband verify examples/rsf-2024.csv -c Score=rsf-map --against Situation --format csv
      rightsband verify examples/rsf-2024.csv -c Score=rsf-map:Situation --counts --format json
    """
    prepare_for_batch()
    from rightsband.verify import AMBIGUOUS, DISAGREE, REFUSED, parse_checks, verify_csv

    inputs.check()
    rules = inputs.rules()
    with read_errors(inputs.name), _against_errors():
        checks = parse_checks(inputs.specs, against, rules, year=inputs.year)
    listed = (DISAGREE, REFUSED, AMBIGUOUS) if list_ambiguous else (DISAGREE, REFUSED)
    with open_input(inputs.input_path, sheet=inputs.sheet, header_row=inputs.header_row) as table, \
            _Findings(table, fmt, counts, checks, show) as findings:
        show_notices(table, quiet)
        arguments = inputs.engine_arguments(table)
        with read_errors(inputs.name), rank_errors(inputs.name), _against_errors(), progress(table) as on_progress:
            report = verify_csv(table.stream, checks, on_notice=year_notices(inputs, quiet), on_progress=on_progress,
                                on_finding=findings.add, show=show, listed=() if counts else listed,
                                rank_check=not no_rank_check, **arguments)
        findings.finish(report, quiet)
    if report.disagreements or report.refused:
        raise click.exceptions.Exit(1)


@contextlib.contextmanager
def _against_errors() -> Iterator[None]:
    """A published-label column that does not fit: a usage error naming --against."""
    from rightsband.verify import CheckError

    try:
        yield
    except CheckError as error:
        raise click.BadParameter(str(error), param_hint=error.option) from None


class _Findings:
    """Where the findings go: straight out in a machine format; for text, spooled per check and
    printed after each check's counts; with ``counts``, nowhere (only the counts are printed)."""

    def __init__(self, table: Table, fmt: str, counts: bool, checks: Sequence[Check], show: Sequence[str]):
        self.table, self.fmt, self.counts = table, fmt, counts
        self.shown = [f"shown:{name}" if name in FINDING_COLUMNS else name for name in show]
        self.numbers = {id(check): n for n, check in enumerate(checks)}
        self.out: TextIO = sys.stdout
        self.writer: TableWriter | None = None
        self.spools: list[IO[str]] = []
        self.widths: list[dict[str, int]] = []
        if fmt != "text" and not counts:
            columns = [*FINDING_COLUMNS[:4], *self.shown, *FINDING_COLUMNS[4:]]
            self.writer = TableWriter(self.out, fmt, columns)
        elif fmt == "text" and not counts:
            self.spools = [tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by __exit__
                max_size=_SPOOL_BYTES, mode="w+", encoding="utf-8") for _ in checks]
            self.widths = [{} for _ in checks]
        self.place = "row" if table.first_row is not None else "line"

    def __enter__(self) -> _Findings:
        return self

    def __exit__(self, *exc: object) -> None:
        for spool in self.spools:
            spool.close()

    def add(self, finding: Finding) -> None:
        line = self.table.row_of(finding.record) or finding.line
        row = {"check": finding.check.spec, "against": finding.check.against, "line": line,
               "record": finding.record, "value": finding.value, "published": finding.published,
               "rule": finding.rule, "set": finding.set_id, "outcome": finding.outcome, "message": finding.message,
               **dict(zip(self.shown, finding.shown))}
        if self.writer is not None:
            self.writer.write(row)
        elif self.spools:
            n = self.numbers[id(finding.check)]
            cells = _text_cells(row, self.shown)
            for key, text in cells.items():
                self.widths[n][key] = max(self.widths[n].get(key, 0), len(text))
            self.spools[n].write(json.dumps(cells, ensure_ascii=False) + "\n")

    def finish(self, report: VerifyReport, quiet: bool) -> None:
        """The counts (on stderr beside machine-format findings), and for text each check's table of findings."""
        if self.writer is not None:
            self.writer.close()
            for tally in report.tallies if not quiet else ():
                say(_summary(tally.as_dict()))
            return
        if self.counts and self.fmt != "text":
            writer = TableWriter(self.out, self.fmt)
            writer.write_all(tally.as_dict() for tally in report.tallies)
            writer.close()
            return
        for n, tally in enumerate(report.tallies):
            self.out.write(_summary(tally.as_dict()) + "\n")
            if self.spools and self.widths[n]:
                self._table(self.spools[n], self.widths[n])

    def _table(self, spool: IO[str], widths: dict[str, int]) -> None:
        spool.seek(0)
        columns = [key for key in ("place", *self.shown, *_TEXT_COLUMNS[1:]) if widths.get(key)]
        names = {key: self.place if key == "place" else key.removeprefix("shown:") for key in columns}
        sizes = {key: max(widths[key], len(names[key])) for key in columns}
        self.out.write(_line([names[key].rjust(sizes[key]) if key == "place" else names[key].ljust(sizes[key])
                              for key in columns]))
        for text in spool:
            cells = json.loads(text)
            self.out.write(_line([cells.get(key, "").rjust(sizes[key]) if key == "place"
                                  else cells.get(key, "").ljust(sizes[key]) for key in columns]))


_TEXT_COLUMNS = ("place", "value", "published", "rule", "why")


def _text_cells(row: dict[str, Any], shown: Sequence[str]) -> dict[str, str]:
    """A finding as the text table shows it: where, the value, both labels, why (refused, ambiguous)."""
    place = row["line"]
    rule = row["rule"] or ("" if row["outcome"] == "disagree" else f"({row['outcome']})")
    why = row["message"]
    return {"place": str(place), **{key: visible(row[key]) for key in shown}, "value": visible(row["value"]),
            "published": visible(row["published"]), "rule": visible(rule), "why": visible(why)}


def _line(cells: Sequence[str]) -> str:
    return "  ".join(cells).rstrip() + "\n"


def _summary(counts: dict[str, Any]) -> str:
    missing = counts["missing"]
    why = []
    if counts["no_value"]:
        why.append(f"{counts['no_value']:,} with no value")
    if counts["no_label"]:
        why.append(f"{counts['no_label']:,} with no published label")
    detail = f" ({', '.join(why)})" if why and missing else ""
    refused = f", {counts['refused']:,} refused" if counts["refused"] else ""
    return (f"{counts['check']} against {counts['against']}: {counts['agree']:,} agree, {counts['disagree']:,} "
            f"disagree, {counts['ambiguous']:,} ambiguous, {missing:,} missing{detail}{refused}; "
            f"{counts['records']:,} records")
