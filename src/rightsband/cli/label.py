"""``rightsband label``: add band-label columns to a table, copying every record through.

Also the parts of a run that ``verify`` shares: notices, and the display of problems.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, BinaryIO, cast

import click

from rightsband.cli.app import CONTEXT
from rightsband.cli.batchprocess import prepare_for_batch
from rightsband.cli.files import atomic_output, fail, open_input, progress, read_errors, same_file
from rightsband.cli.options import InputOptions, input_options, quiet_option, say

if TYPE_CHECKING:
    from rightsband.problems import Problem, ProblemBatch, ProblemLog
    from rightsband.readers import Table

LABEL_FORMATS = ("csv", "tsv", "json", "jsonl", "xlsx")
#: The format an output file's suffix asks for, when --format does not say.
SUFFIX_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
                  ".xlsx": "xlsx"}
#: Suffixes of forms label does not write: refused rather than given CSV bytes under their name.
UNWRITTEN_SUFFIXES = (".gz", ".bz2", ".xz", ".zip", ".xls", ".xlsm", ".ods", ".parquet")
#: Bad cells reported one per line on stderr before the rest are only counted.
SHOWN_PROBLEMS = 20


#: ``--no-rank-check``, shared by the commands that label a table.
rank_check_option = click.option(
    "--no-rank-check", "no_rank_check", is_flag=True,
    help="Do not check that a rank column beside a mapped score runs the way the set's direction says "
         "(rank 1 = best).")


@contextlib.contextmanager
def rank_errors(name: str) -> Iterator[None]:
    """Ranks that run against a set's direction: one line naming the file, exit 1."""
    from rightsband.rankguard import RankDirectionError

    try:
        yield
    except RankDirectionError as error:
        fail(f"{name}: {error}")


@click.command(context_settings=CONTEXT)
@input_options(column_metavar="COLS=INDEX[:NEWNAME]",
               column_help="Label column COLS on band set INDEX, into a new column NEWNAME (default COLS_label; "
                           "INDEX_label for a composite set, whose COLS are comma-separated). Repeatable.")
@click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write to FILE (atomically) instead of stdout, in the format its suffix names (.csv, .tsv, "
                   ".json, .jsonl, .xlsx; any other: csv) unless --format says.")
@click.option("--format", "fmt", type=click.Choice(LABEL_FORMATS),
              help="csv (the default) keeps the input's bytes and dialect; tsv, json, jsonl and xlsx (a workbook) "
                   "re-encode the cells as text.")
@click.option("--strict", is_flag=True, help="Stop at the first bad cell or record (exit 1).")
@click.option("--summary", type=click.Choice(("text", "csv", "json")), is_flag=False, flag_value="text",
              metavar="[text|csv|json]",
              help="Print the band counts per new column on stderr: a table (text, the default), or a row per "
                   "band as csv or json (column, index, year, band, position, records, share); with a year "
                   "column, per year too.")
@click.option("--problems", "problems_path", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write every problem to FILE as CSV (line, record, column, cell, set, kind, message), "
                   "atomically, also after a --strict stop.")
@rank_check_option
@quiet_option
def label(inputs: InputOptions, output: str | None, fmt: str | None, strict: bool, summary: str | None,
          problems_path: str | None, no_rank_check: bool, quiet: bool) -> None:
    """Add band-label columns to a table, copying every record and cell through unchanged.

    INPUT is a CSV file, a CSV compressed with gzip, bzip2 or xz, a zip archive
    holding one CSV, or an .xlsx workbook (--sheet, --header-row); or - (or nothing,
    with input piped in) for stdin. Each --column adds one column after the existing
    ones. Missing values (empty, NA, n/a, .., -) get an empty label; a cell that is
    not a number on the set's scale gets an empty label and a message on stderr, and
    the exit code is 1. Where a mapped score has a rank column beside it (Rank,
    Rank N, <score> rank), the ranks must put the best score first on the set's
    direction, or the run stops before writing (--no-rank-check to skip).

    Years: where an INDEX has editions or declared years and neither --year nor
    --year-column is given, the header's year column is used: the column whose
    name (case-folded, text in parentheses dropped, _ . - / read as spaces) starts
    or ends with the word "year" or "years" (Year, Year (N), data_year); where no
    column does, one that starts or ends with "edition" or "editions". Two such
    columns are a usage error. Without a year column the labels assume the set's
    years, and stderr says so.

    \b
    Examples:
      rightsband label examples/scorecard.csv --column rsf_score=rsf
      rightsband label examples/scorecard.csv --column pr,cl=fh-status:Status -o /tmp/fh-labelled.csv
      rightsband label examples/scorecard-excel.csv -c Score=rsf --decimal ,
      cat examples/scorecard.csv | rightsband label -c rsf_score=rsf --summary | head -n 3
      rightsband label examples/rsf-by-year.csv --column score=rsf-map --year-column year
      rightsband label examples/scorecard.csv -c rsf_score=rsf --problems /tmp/problems.csv
      rightsband label examples/scorecard.xlsx -c rsf_score=rsf --sheet 1 --header-row 3
      rightsband label examples/scorecard.csv.gz -c rsf_score=rsf
    """
    prepare_for_batch()
    from rightsband import batch

    inputs.check()
    fmt = output_format(output, fmt)
    for path, option in ((output, "-o"), (problems_path, "--problems")):
        if path is not None and path != "-" and same_file(path, inputs.input_path):
            raise click.BadParameter(f"{path!r} is the INPUT; write to another file", param_hint=option)
    rules = inputs.rules()
    with read_errors(inputs.name):
        mappings = [batch.Mapping.parse(spec, rules, year=inputs.year) for spec in inputs.specs]
    stopped: batch.StopAtProblem | None = None
    with open_input(inputs.input_path, sheet=inputs.sheet, header_row=inputs.header_row) as table:
        show_notices(table, quiet)
        arguments = inputs.engine_arguments(table)
        with atomic_output(problems_path, "--problems", text=True) as problems_out:
            problems = ProblemDisplay(table, problems_out if problems_path else None, quiet=quiet or strict)
            try:
                with read_errors(inputs.name), rank_errors(inputs.name), atomic_output(output, "-o") as out, \
                        progress(table) as on_progress:
                    report = batch.label_csv(
                        table.stream, cast(BinaryIO, out), mappings, fmt=fmt, strict=strict,
                        on_problems=problems.add_all, on_notice=year_notices(inputs, quiet),
                        on_progress=on_progress, rank_check=not no_rank_check, **arguments)
            except batch.StopAtProblem as stop:
                stopped = stop
    if stopped is not None:
        fail(f"{table.locate(stopped.problem)} (stopped: --strict)")
    if summary == "text":
        from rightsband.display import print_summary

        print_summary(report)
    elif summary:
        from rightsband.formats import TableWriter
        from rightsband.output import SUMMARY_COLUMNS, summary_rows

        writer = TableWriter(sys.stderr, summary, SUMMARY_COLUMNS)
        writer.write_all(summary_rows(report))
        writer.close()
    if report.problems:
        problems.close(report.records, problems_path)
        raise click.exceptions.Exit(1)


def output_format(output: str | None, fmt: str | None) -> str:
    """The format to write: --format, else the one -o's suffix names, else csv. A suffix of a form
    label does not write (.gz, .xls) is a usage error, as is a workbook for a terminal."""
    if fmt is None and output not in (None, "-"):
        suffix = os.path.splitext(str(output))[1].casefold()
        if suffix in UNWRITTEN_SUFFIXES:
            raise click.BadParameter(f"label does not write {suffix} files; write .csv, .tsv, .json, .jsonl or .xlsx "
                                     f"(or give --format to write one of them under this name)", param_hint="-o")
        fmt = SUFFIX_FORMATS.get(suffix)
    fmt = fmt or "csv"
    if fmt == "xlsx" and output in (None, "-") and sys.stdout.isatty():
        raise click.UsageError("a workbook is not for a terminal: give -o FILE.xlsx, or redirect stdout")
    return fmt


def show_notices(table: Table, quiet: bool) -> None:
    """What the reader chose for the user (a sheet, a header row), or could not read, on stderr."""
    if not quiet:
        for notice in table.notices:
            say(notice)


def year_notices(inputs: InputOptions, quiet: bool) -> Callable[[str], None] | None:
    """The engine's notices on years (the column found, or the years assumed), with what to type instead."""
    if quiet or inputs.no_year_column:
        return None
    from rightsband.batch import YEARS_FROM

    def on_notice(notice: str) -> None:
        if notice.startswith(YEARS_FROM):
            notice += "; --no-year-column to ignore it"
        else:
            notice += "; give --year-column COL or --year YEAR to check the years"
        say(notice)

    return on_notice


class ProblemDisplay:
    """The problems of a run: each to the ``--problems`` file, the first :data:`SHOWN_PROBLEMS` on
    stderr (unless ``quiet``), placed in the input (a sheet's row); a count by kind at the end."""


    def __init__(self, table: Table, out: IO[str] | None, *, quiet: bool):
        from rightsband.problems import ProblemLog

        self.table, self.quiet = table, quiet
        self.log: ProblemLog = ProblemLog(out)
        self.count = 0

    def add(self, problem: Problem) -> None:
        problem = self.table.locate(problem)
        self.log.add(problem)
        self.count += 1
        if self.count <= SHOWN_PROBLEMS and not self.quiet:
            say(str(problem))

    def add_all(self, problems: ProblemBatch) -> None:
        """A block's problems: the first few shown, every one logged in one write."""
        shown = 0 if self.quiet else max(0, min(len(problems), SHOWN_PROBLEMS - self.count))
        for _, problem in itertools.islice(problems, shown):
            say(str(self.table.locate(problem)))
        self.log.add_all(problems, self.table.first_row)
        self.count += len(problems)

    def close(self, records: int, problems_path: str | None) -> None:
        """The closing line: problems by kind, how many were shown, where all of them are."""
        if self.quiet or not self.count:
            return
        more = f", {SHOWN_PROBLEMS} shown" if self.count > SHOWN_PROBLEMS else ""
        kept = f"; all in {problems_path}" if problems_path not in (None, "-") else ""
        say(f"{self.count:,} problem(s) in {records:,} records ({self.log.summary()}{more}{kept}); "
            "their labels are empty")
