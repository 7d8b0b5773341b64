"""The ``rightsband`` command: a thin click layer that wires options to library calls.

Data goes to stdout, messages to stderr. Exit codes: 0 ok, 1 data problems
(bad values, rules with errors), 2 usage errors, 130 interrupted.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, NoReturn, TextIO

import click

from rightsband.model import BandSet
from rightsband.output import FORMATS, RecordWriter, describe_group, describe_set, result_record, write_set_list
from rightsband.rules import Rules, RulesError, UnknownSetError, YearError, check_rules, load_rules
from rightsband.values import ValueProblem, parse_number

ENV_BANDS = "RIGHTSBAND_BANDS"


class _Group(click.Group):
    """Ends quietly when stdout's reader goes away (``| head``) and exits 130 on Ctrl-C."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(0) from None
        except KeyboardInterrupt:
            raise click.exceptions.Exit(130) from None


def _complete_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    try:
        rules = load_rules(os.environ.get(ENV_BANDS))
    except RulesError:
        return []
    return [s.id for s in rules if s.id.startswith(incomplete.casefold())]


def _format_option(choices: tuple[str, ...] = FORMATS) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--format", "fmt", type=click.Choice(choices), default="text", show_default=True,
                        help="Output format.")


def _existing_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a path that is not a file (instead of click.Path, whose set-up costs a locale import)."""
    if value is not None and not os.path.isfile(value):
        raise click.BadParameter(f"{value!r} is not a file", ctx, param)
    return value


_bands_option = click.option(
    "--bands", "bands_file", callback=_existing_file, envvar=ENV_BANDS, metavar="FILE",
    help=f"A rules file to add to the built-in band sets (a set with a built-in id replaces it). Env: {ENV_BANDS}.",
)


def _rules(bands_file: str | None) -> Rules:
    try:
        return load_rules(bands_file)
    except RulesError as error:
        first = error.findings[0]
        more = f" (and {len(error.findings) - 1} more)" if len(error.findings) > 1 else ""
        raise click.BadParameter(f"{first}{more}; run `rightsband check {first.file}`", param_hint="--bands") from None


def _band_set(rules: Rules, name: str, year: int | None = None) -> BandSet:
    """The set ``name`` stands for (in ``year``, if given); a usage error names what does apply."""
    try:
        return rules.get(name) if year is None else rules.for_year(name, year)
    except (UnknownSetError, YearError) as error:
        raise click.UsageError(str(error)) from None


def _chosen(rules: Rules, name: str, band_set: BandSet, year: int | None) -> str:
    """Why this edition, for --explain: e.g. "chosen for 2015 from rsf-map"."""
    if year is None:
        return ""
    if name.casefold() in (n.casefold() for n in band_set.names):
        return f"covers {year}"
    return f"chosen for {year} from {name}"


_year_option = click.option("--year", type=int, metavar="YEAR",
                            help="The edition year of the values: picks the edition of INDEX (a set or a group) "
                                 "that covers it, and refuses a set that does not.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rightsband", prog_name="rightsband")
def cli() -> None:
    """Turn human-rights index scores into the band labels scorecards print.

    \b
    Examples:
      rightsband classify rsf 53.46
      rightsband classify fh-status pr=6 cl=5
      rightsband list
      rightsband show kidsrights
    """


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("index", shell_complete=_complete_ids)
@click.argument("values", nargs=-1)
@_format_option()
@click.option("--explain", is_flag=True, help="Add the band's bounds, the set's scale, source and notes.")
@click.option("--line-buffered", is_flag=True, help="Write each label as soon as its value is read (as grep has).")
@_year_option
@_bands_option
def classify(index: str, values: tuple[str, ...], fmt: str, explain: bool, line_buffered: bool, year: int | None,
             bands_file: str | None) -> None:
    """Print the band label of each VALUE on the INDEX band set, one per line.

    Give `-` (or nothing, with input piped in) to read values from stdin, one per
    line. Empty lines and missing markers (NA, n/a, .., -) give an empty line.
    Values may use a decimal comma (53,46) or a percent sign (62.1%). A composite
    set takes its inputs as name=value pairs.

    \b
    Examples:
      rightsband classify rsf 53.46 14.99 15
      rightsband classify gender-gap 0.721 72.1%
      printf '53,46\\nNA\\n' | rightsband classify rsf -
      tail -f scores.txt | rightsband classify rsf - --line-buffered
      rightsband classify fh-status pr=6 cl=5
      rightsband classify ti 29 --explain
      rightsband classify rsf-map --year 2023 72.5
      rightsband classify fh-status --year 1999 pr=6 cl=5
    """
    rules = _rules(bands_file)
    band_set = _band_set(rules, index, year)
    chosen = _chosen(rules, index, band_set, year)
    stdin = sys.stdin
    if not values:
        if stdin.isatty():
            raise click.UsageError("give one or more VALUEs, or - to read them from stdin")
        values = ("-",)
    for token in values:
        _reject_option_like(token)
    items = _composite_items(band_set, values, stdin) if band_set.is_composite else _plain_items(values, stdin)
    writer = RecordWriter(sys.stdout, fmt, explain)
    problems = 0
    for where, text, raw in items:
        try:
            result, error = band_set.classify(raw), None
        except ValueProblem as problem:
            result, error = None, str(problem)
            problems += 1
            click.echo(f"rightsband: {where}: {problem}", err=True)
        writer.write(result_record(text, band_set, result, explain, error, chosen))
        if line_buffered:
            sys.stdout.flush()
    writer.close()
    if problems:
        raise click.exceptions.Exit(1)


def _reject_option_like(token: str) -> None:
    """Unknown options reach VALUES (so that -5 is a value); refuse those that are no number."""
    if token.startswith("-") and token != "-":
        try:
            parse_number(token)
        except ValueProblem:
            raise click.NoSuchOption(token.partition("=")[0]) from None


def _stdin_lines(stdin: TextIO) -> Iterator[tuple[str, str]]:
    """Lines of stdin, read as UTF-8 (a BOM is dropped; undecodable bytes become U+FFFD and
    so fail as "not a number" on their own line)."""
    if stdin.isatty():
        click.echo("rightsband: reading values from stdin, one per line; end with Ctrl-D", err=True)
    if isinstance(stdin, io.TextIOWrapper):
        stdin.reconfigure(encoding="utf-8-sig", errors="replace")
    for number, line in enumerate(stdin, start=1):
        yield f"stdin line {number}", line.rstrip("\r\n")


def _plain_items(values: tuple[str, ...], stdin: TextIO) -> Iterator[tuple[str, str, str]]:
    for position, token in enumerate(values, start=1):
        if token == "-":
            yield from ((where, line, line) for where, line in _stdin_lines(stdin))
        else:
            yield f"argument {position}", token, token


def _pairs(tokens: list[str]) -> dict[str, str] | None:
    """``["pr=6", "cl=5"]`` as a mapping; None if a token is not name=value or a name repeats."""
    pairs = [token.partition("=") for token in tokens]
    if any(not sep for _, sep, _ in pairs) or len({n for n, _, _ in pairs}) < len(pairs):
        return None
    return {name: value for name, _, value in pairs}


def _composite_items(band_set: BandSet, values: tuple[str, ...],
                     stdin: TextIO) -> Iterator[tuple[str, str, Any]]:
    """Group ``name=value`` arguments into one mapping per complete set of inputs; each stdin line is one."""
    names = {i.name for i in band_set.inputs}
    hint = f"{band_set.id} combines {band_set.input_names()}: give them as {band_set.input_example()}"
    groups: list[tuple[str, str, Any]] = []
    group: list[str] = []
    for position, token in enumerate(values, start=1):
        if token == "-":
            if group:
                raise click.UsageError(f"{hint}; {' '.join(group)} is incomplete")
            groups.append(("-", "-", None))
            continue
        name = token.partition("=")[0]
        if name not in names or "=" not in token or any(t.partition("=")[0] == name for t in group):
            raise click.UsageError(f'{hint}, not "{token}"')
        group.append(token)
        if len(group) == len(names):
            groups.append((f"arguments {position - len(names) + 1}-{position}", " ".join(group), _pairs(group)))
            group = []
    if group:
        raise click.UsageError(f"{hint}; {' '.join(group)} is incomplete")
    for where, text, raw in groups:
        if text != "-":
            yield where, text, raw
            continue
        for where, line in _stdin_lines(stdin):
            tokens = line.split()
            yield where, line, (_pairs(tokens) or line) if tokens else dict.fromkeys(names, "")


DECIMAL_CHOICES = (".", ",")
#: Bad cells reported one per line on stderr before the rest are only counted.
SHOWN_PROBLEMS = 20
#: Inputs at least this large get a progress bar (when stderr is a terminal).
PROGRESS_BYTES = 4 << 20


@cli.command()
@click.argument("input_path", metavar="[INPUT]", required=False)
@click.option("--column", "-c", "specs", multiple=True, required=True, metavar="COLS=INDEX[:NEWNAME]",
              help="Label column COLS on band set INDEX, into a new column NEWNAME (default COLS_label; "
                   "INDEX_label for a composite set, whose COLS are comma-separated). Repeatable.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
@click.option("--delimiter", "-d", metavar="CHAR",
              help="The input's delimiter (default: the most frequent of , ; tab | in the header line).")
@click.option("--decimal", type=click.Choice(DECIMAL_CHOICES),
              help="Insist on this decimal separator in the mapped columns (default: either, one per value).")
@click.option("--encoding", default="utf-8", show_default=True, help="The input's encoding (a BOM is allowed).")
@click.option("--format", "fmt", type=click.Choice(("csv", "tsv", "jsonl")), default="csv", show_default=True,
              help="csv keeps the input's bytes and dialect; tsv and jsonl re-encode the cells as UTF-8.")
@click.option("--strict", is_flag=True, help="Stop at the first bad cell or record (exit 1).")
@click.option("--summary", is_flag=True, help="Print a table of band counts per new column on stderr.")
@_year_option
@click.option("--year-column", metavar="COL",
              help="Each record's edition year is in column COL: it picks the edition of each INDEX (a set or a "
                   "group); a year no edition covers gives an empty label and a message.")
@_bands_option
def label(input_path: str | None, specs: tuple[str, ...], output: str | None, delimiter: str | None,
          decimal: str | None, encoding: str, fmt: str, strict: bool, summary: bool, year: int | None,
          year_column: str | None, bands_file: str | None) -> None:
    """Add band-label columns to a CSV, copying every record and cell through unchanged.

    INPUT is a CSV file, or - (or nothing, with input piped in) for stdin. Each
    --column adds one column after the existing ones. Missing values (empty, NA,
    n/a, .., -) get an empty label; a cell that is not a number on the set's scale
    gets an empty label and a message on stderr, and the exit code is 1.

    \b
    Examples:
      rightsband label scores.csv --column "Score 2015=rsf"
      rightsband label fh.csv --column PR,CL=fh-status:Status -o fh-labelled.csv
      rightsband label export.csv -c score=ti --delimiter ";" --decimal ,
      cat scores.csv | rightsband label -c rsf=rsf --summary | head
      rightsband label rsf.csv --column Score=rsf-map --year-column Year
    """
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        # NumPy's BLAS thread pool is never used here; without it, label can fork its scanning helper.
        os.environ.setdefault(name, "1")
    from rightsband import batch

    rules = _rules(bands_file)
    if year is not None and year_column is not None:
        raise click.UsageError("give --year (one year for every record) or --year-column, not both")
    try:
        mappings = [batch.Mapping.parse(spec, rules, year=year, by_year=year_column is not None) for spec in specs]
    except batch.MappingError as error:
        raise click.BadParameter(str(error), param_hint="--column") from None
    source, size = _open_input(input_path)
    shown = 0

    def on_problem(problem: batch.Problem) -> None:
        nonlocal shown
        shown += 1
        if shown <= SHOWN_PROBLEMS:
            click.echo(f"rightsband: {problem}", err=True)

    options = {"delimiter": _delimiter(delimiter), "decimal": decimal, "encoding": encoding, "fmt": fmt,
               "strict": strict, "on_problem": on_problem, "year_column": year_column}
    with source as stream, _output(output, input_path) as out, _progress(size) as on_progress:
        try:
            report = batch.label_csv(stream, out, mappings, on_progress=on_progress, **options)
        except batch.MappingError as error:
            raise click.BadParameter(str(error), param_hint="--column") from None
        except batch.CsvError as error:
            _fail(f"{input_path or 'stdin'}: {error}")
        except batch.StopAtProblem as stop:
            _fail(f"{stop.problem} (stopped: --strict)")
    if summary:
        from rightsband.display import print_summary

        print_summary(report)
    if report.problems:
        more = f" ({SHOWN_PROBLEMS} shown)" if report.problems > SHOWN_PROBLEMS else ""
        click.echo(f"rightsband: {report.problems:,} problem(s) in {report.records:,} records{more}; "
                   "their labels are empty", err=True)
        raise click.exceptions.Exit(1)


_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def _delimiter(value: str | None) -> str | None:
    if value is None:
        return None
    value = _DELIMITER_NAMES.get(value.casefold(), value)
    if len(value) != 1 or value in '"\r\n' or not value.isascii():
        raise click.BadParameter(f'"{value}" is not one ASCII character; give e.g. ";" or tab', param_hint="--delimiter")
    return value


def _fail(message: str) -> NoReturn:
    click.echo(f"rightsband: {message}", err=True)
    raise click.exceptions.Exit(1)


def _open_input(path: str | None) -> tuple[BinaryIO, int]:
    """The input as a binary stream, and its size if it is a regular file (else 0)."""
    if path is None or path == "-":
        if path is None and sys.stdin.isatty():
            raise click.UsageError("give an INPUT file, or - to read CSV from stdin")
        if sys.stdin.isatty():
            click.echo("rightsband: reading CSV from stdin; end with Ctrl-D", err=True)
        return contextlib.nullcontext(sys.stdin.buffer), 0  # type: ignore[return-value]
    try:
        stream = open(path, "rb")
        size = os.fstat(stream.fileno()).st_size
    except OSError as error:
        raise click.BadParameter(f"cannot read {path!r}: {error.strerror}", param_hint="INPUT") from None
    return stream, size


@contextlib.contextmanager
def _output(path: str | None, input_path: str | None) -> Iterator[BinaryIO]:
    """stdout, or FILE written atomically: a temporary file beside it, renamed over it on success."""
    if path is None or path == "-":
        sys.stdout.flush()
        yield sys.stdout.buffer
        return
    if input_path not in (None, "-") and os.path.exists(path) and os.path.samefile(path, input_path):
        raise click.BadParameter(f"{path!r} is the INPUT; write to another file", param_hint="-o")
    if os.path.exists(path) and not os.path.isfile(path):  # /dev/null, a FIFO: nothing to replace
        try:
            with open(path, "wb") as out:
                yield out
        except IsADirectoryError:
            raise click.BadParameter(f"{path!r} is a directory", param_hint="-o") from None
        return
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".rightsband-", suffix=".tmp")
    except OSError as error:
        raise click.BadParameter(f"cannot write in {folder!r}: {error.strerror}", param_hint="-o") from None
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _progress(size: int) -> Iterator[Callable[[int], None] | None]:
    """A progress callback drawing a bar on stderr, for a big file when stderr is a terminal."""
    if size < PROGRESS_BYTES or not sys.stderr.isatty():
        yield None
        return
    from rightsband.display import progress_bar

    with progress_bar(size) as advance:
        yield advance


@cli.command(name="list")
@_format_option()
@_bands_option
def list_sets(fmt: str, bands_file: str | None) -> None:
    """List the band sets: ids, aliases, names, scales and directions.

    \b
    Examples:
      rightsband list
      rightsband list --format json
    """
    write_set_list(sys.stdout, _rules(bands_file), fmt)


@cli.command()
@click.argument("index", shell_complete=_complete_ids)
@_format_option(("text", "json"))
@_bands_option
def show(index: str, fmt: str, bands_file: str | None) -> None:
    """Show one band set (its bands as intervals, scale, years, origin, source and notes) or a group of editions.

    \b
    Examples:
      rightsband show rsf
      rightsband show kidsrights --format json
      rightsband show rsf-map
    """
    rules = _rules(bands_file)
    group = rules.group(index)
    band_set = None if group else _band_set(rules, index)
    if fmt == "json":
        import json

        record = describe_group(group) if group else describe_set(band_set, rules.groups_of(band_set))  # type: ignore[arg-type]
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    from rightsband.display import print_group, print_set

    if group:
        print_group(group)
    else:
        print_set(band_set, rules)  # type: ignore[arg-type]


@cli.command()
@click.argument("file", required=False, envvar=ENV_BANDS, callback=_existing_file)
def check(file: str | None) -> None:
    """Check a rules FILE (default: $RIGHTSBAND_BANDS, else the built-in bands.toml).

    Reports unknown keys, bounds out of order or outside the scale, overlaps, gaps,
    duplicate ids, aliases or labels and composite inputs that do not exist, each
    with its file, set, band and line. A FILE is checked as it would load: added
    to the built-in sets. Exits 1 if there is any error.

    \b
    Examples:
      rightsband check
      rightsband check my-bands.toml
    """
    findings = check_rules(file)
    for finding in findings:
        click.echo(str(finding))
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    name = file if file is not None else "built-in bands.toml"
    click.echo(f"rightsband: {name}: {errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise click.exceptions.Exit(1)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="rightsband")
