"""``rightsband label``: add band-label columns to a CSV, copying every record through."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, BinaryIO, NoReturn, cast

import click

from rightsband.cli.app import CONTEXT
from rightsband.cli.files import atomic_output, open_input, same_file
from rightsband.cli.options import bands_option, completed_names, load_rules_from, quiet_option, say, year_option

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

DECIMAL_CHOICES = (".", ",")
LABEL_FORMATS = ("csv", "tsv", "jsonl")
#: Bad cells reported one per line on stderr before the rest are only counted.
SHOWN_PROBLEMS = 20
#: Inputs at least this large get a progress bar (when stderr is a terminal).
PROGRESS_BYTES = 4 << 20
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def _complete_column(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Before ``=``: the column names of INPUT's header; after it: set ids, aliases and group ids."""
    from click.shell_completion import CompletionItem

    cols, sep, index = incomplete.rpartition("=")
    if sep:
        return [CompletionItem(f"{cols}={name}") for name in completed_names(ctx, index)]
    # While -c still waits for its value, click leaves INPUT among the unparsed args.
    path = ctx.params.get("input_path") or next((a for a in ctx.args if a != "-" and not a.startswith("-")), None)
    header = _header_of(path)
    done, _, typed = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [CompletionItem(f"{prefix}{name}=", type="plain") for name in header if name.startswith(typed)]


def _header_of(path: str | None) -> list[str]:
    """The column names of a CSV file's header line (empty if it cannot be read)."""
    if not path or path == "-" or not os.path.isfile(path):
        return []
    import csv

    from rightsband.csvscan import sniff_delimiter

    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as file:
            line = file.readline()
    except OSError:
        return []
    return next(csv.reader([line.rstrip("\r\n")], delimiter=sniff_delimiter(line)), [])


@click.command(context_settings=CONTEXT)
@click.argument("input_path", metavar="[INPUT]", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--column", "-c", "specs", multiple=True, required=True, metavar="COLS=INDEX[:NEWNAME]",
              shell_complete=_complete_column,
              help="Label column COLS on band set INDEX, into a new column NEWNAME (default COLS_label; "
                   "INDEX_label for a composite set, whose COLS are comma-separated). Repeatable.")
@click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--delimiter", "-d", metavar="CHAR",
              help="The input's delimiter (default: the most frequent of , ; tab | in the header line).")
@click.option("--decimal", type=click.Choice(DECIMAL_CHOICES),
              help="Insist on this decimal separator in the mapped columns (default: either, one per value).")
@click.option("--encoding", default="utf-8", show_default=True, help="The input's encoding (a BOM is allowed).")
@click.option("--format", "fmt", type=click.Choice(LABEL_FORMATS), default="csv", show_default=True,
              help="csv keeps the input's bytes and dialect; tsv and jsonl re-encode the cells as UTF-8.")
@click.option("--strict", is_flag=True, help="Stop at the first bad cell or record (exit 1).")
@click.option("--summary", is_flag=True, help="Print a table of band counts per new column on stderr.")
@click.option("--problems", "problems_path", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write every problem to FILE as CSV (line, record, column, cell, set, kind, message), "
                   "atomically, also after a --strict stop.")
@year_option
@click.option("--year-column", metavar="COL",
              help="Each record's edition year is in column COL: it picks the edition of each INDEX (a set or a "
                   "group); a year no edition covers gives an empty label and a message.")
@click.option("--no-year-column", is_flag=True,
              help="Do not look for a year column; labels assume the years of each set.")
@bands_option
@quiet_option
def label(input_path: str | None, specs: tuple[str, ...], output: str | None, delimiter: str | None,
          decimal: str | None, encoding: str, fmt: str, strict: bool, summary: bool, problems_path: str | None,
          year: int | None, year_column: str | None, no_year_column: bool, bands_files: tuple[str, ...],
          quiet: bool) -> None:
    """Add band-label columns to a CSV, copying every record and cell through unchanged.

    INPUT is a CSV file, or - (or nothing, with input piped in) for stdin. Each
    --column adds one column after the existing ones. Missing values (empty, NA,
    n/a, .., -) get an empty label; a cell that is not a number on the set's scale
    gets an empty label and a message on stderr, and the exit code is 1.

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
    """
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        # NumPy's BLAS thread pool is never used here; without it, label can fork its scanning helper.
        os.environ.setdefault(name, "1")
    from rightsband import batch

    if "-" in bands_files and input_path in (None, "-"):
        raise click.UsageError("--bands - and the CSV input cannot both come from stdin")
    if sum(x is not None and x is not False for x in (year, year_column, no_year_column or None)) > 1:
        raise click.UsageError("give one of --year (one year for every record), --year-column or --no-year-column")
    for path, option in ((output, "-o"), (problems_path, "--problems")):
        if path is not None and path != "-" and same_file(path, input_path):
            raise click.BadParameter(f"{path!r} is the INPUT; write to another file", param_hint=option)
    rules = load_rules_from(bands_files)
    try:
        mappings = [batch.Mapping.parse(spec, rules, year=year) for spec in specs]
    except batch.MappingError as error:
        raise click.BadParameter(str(error), param_hint="--column") from None
    source, size = open_input(input_path)
    shown = 0
    from rightsband.problems import ProblemLog

    def on_notice(notice: str) -> None:
        if notice.startswith(batch.YEARS_FROM):
            notice += "; --no-year-column to ignore it"
        else:
            notice += "; give --year-column COL or --year YEAR to check the years"
        say(notice)

    column_choice = batch.FIND_YEAR_COLUMN if not no_year_column and year is None else None
    stopped: batch.StopAtProblem | None = None
    with atomic_output(problems_path, "--problems", text=True) as problems_out:
        log = ProblemLog(problems_out if problems_path else None)

        def on_problem(problem: batch.Problem) -> None:
            nonlocal shown
            log.add(problem)
            shown += 1
            if shown <= SHOWN_PROBLEMS and not quiet and not strict:
                say(str(problem))

        try:
            with source as stream, atomic_output(output, "-o") as out, _progress(size) as on_progress:
                report = batch.label_csv(
                    stream, cast(BinaryIO, out), mappings, delimiter=_delimiter(delimiter), decimal=decimal,
                    encoding=encoding, fmt=fmt, strict=strict, year_column=year_column or column_choice,
                    on_problem=on_problem,
                    on_notice=None if quiet or no_year_column else on_notice, on_progress=on_progress)
        except batch.MappingError as error:
            raise click.BadParameter(str(error), param_hint="--column") from None
        except batch.CsvError as error:
            _fail(f"{input_path or 'stdin'}: {error}")
        except batch.StopAtProblem as stop:
            stopped = stop
    if stopped is not None:
        _fail(f"{stopped.problem} (stopped: --strict)")
    if summary:
        from rightsband.display import print_summary

        print_summary(report)
    if report.problems:
        if not quiet:
            more = f", {SHOWN_PROBLEMS} shown" if report.problems > SHOWN_PROBLEMS else ""
            kept = f"; all in {problems_path}" if problems_path not in (None, "-") else ""
            say(f"{report.problems:,} problem(s) in {report.records:,} records ({log.summary()}{more}{kept}); "
                "their labels are empty")
        raise click.exceptions.Exit(1)


def _delimiter(value: str | None) -> str | None:
    if value is None:
        return None
    value = _DELIMITER_NAMES.get(value.casefold(), value)
    if len(value) != 1 or value in '"\r\n' or not value.isascii():
        raise click.BadParameter(f'"{value}" is not one ASCII character; give e.g. ";" or tab',
                                 param_hint="--delimiter")
    return value


def _fail(message: str) -> NoReturn:
    say(message)
    raise click.exceptions.Exit(1)


@contextlib.contextmanager
def _progress(size: int) -> Iterator[Callable[[int], None] | None]:
    """A progress callback drawing a bar on stderr, for a big file when stderr is a terminal."""
    if size < PROGRESS_BYTES or not sys.stderr.isatty():
        yield None
        return
    from rightsband.display import progress_bar

    with progress_bar(size) as advance:
        yield advance
