"""Options and arguments that several commands share, in one place: output format, rules files,
year, quiet; the bundle of input options of the commands that read a table (:func:`input_options`);
loading the rules they name; completion of set names, columns and files."""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

from rightsband.formats import FORMATS
from rightsband.model import BandSet, YearError
from rightsband.rules import Rules, RulesError, UnknownSetError, load_rules
from rightsband.values import YEAR_FIX, ValueProblem, one_year, visible

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from rightsband.readers import Table

ENV_BANDS = "RIGHTSBAND_BANDS"
F = TypeVar("F", bound=Callable[..., Any])


def format_option(choices: Sequence[str] = FORMATS, default: str = "text") -> Callable[[F], F]:
    """``--format``, from the one vocabulary of :data:`rightsband.formats.FORMATS`."""
    return click.option("--format", "fmt", type=click.Choice(tuple(choices)), default=default, show_default=True,
                        help="Output format: " + ", ".join(choices) + " (see the docs: Command line, Output formats).")


def _complete_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Set ids, aliases and group ids that start with what was typed."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(name) for name in completed_names(ctx, incomplete)]


def completed_names(ctx: click.Context, typed: str) -> list[str]:
    """The set ids, aliases and group ids in force that start with ``typed`` (any case); none if the
    rules cannot be loaded (completion never fails loudly)."""
    try:
        rules = completion_rules(ctx)
    except (RulesError, click.ClickException, OSError):
        return []
    names = [*(name for s in rules for name in s.names), *(g.id for g in rules.groups)]
    return [name for name in names if name.casefold().startswith(typed.casefold())]


def completion_rules(ctx: click.Context) -> Rules:
    """The rules in force while completing: the --bands files typed so far (regular files only), or the env."""
    files = [f for f in ctx.params.get("bands_files") or () if os.path.isfile(f)]
    return load_rules_from(files, read_stdin=False)


def index_argument(name: str = "index") -> Callable[[F], F]:
    return click.argument(name, metavar="INDEX", shell_complete=_complete_names)


bands_option = click.option(
    "--bands", "bands_files", multiple=True, metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
    help=f"A rules file to add to the built-in band sets (a set with a built-in id replaces it). Repeatable: a "
         f"later file replaces an earlier one's sets of the same id. - reads stdin. Default: ${ENV_BANDS} "
         f"(several files separated by {os.pathsep!r}).",
)

class YearType(click.ParamType):  # type: ignore[type-arg]
    """A year as every door reads one (:func:`rightsband.values.one_year`): 2015, not 3000 or 20015."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            return one_year(value if isinstance(value, int) else int(str(value).strip()))
        except ValueProblem as problem:
            self.fail(str(problem), param, ctx)
        except ValueError:  # not a whole number
            self.fail(f'"{visible(str(value))}" is not a year; {YEAR_FIX}', param, ctx)


year_option = click.option(
    "--year", type=YearType(), metavar="YEAR",
    help="The edition year of the values: picks the edition of INDEX (a set or a group) that covers it, "
         "and refuses a set that does not.")

quiet_option = click.option("-q", "--quiet", is_flag=True,
                            help="Only errors on stderr: no notices, no per-value messages, no summary line.")


class SettingError(click.ClickException):
    """A setting in the environment that cannot be used: one line (no usage text, since no argument
    typed is wrong), exit 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"rightsband: {self.format_message()}", file=file or sys.stderr)


def env_band_files() -> list[str]:
    """The files ``$RIGHTSBAND_BANDS`` names (``os.pathsep``-separated); one that is missing or no file is
    an error of one line naming the variable and the file."""
    value = os.environ.get(ENV_BANDS, "")
    files = [f for f in value.split(os.pathsep) if f]
    for file in files:
        if file != "-" and (not os.path.exists(file) or os.path.isdir(file)):
            what = "a directory" if os.path.isdir(file) else "a file that does not exist"
            raise SettingError(f"{ENV_BANDS} names {file!r}, {what}; correct the variable or unset it "
                                    f"(unset {ENV_BANDS})")
    return files


def rules_sources(files: Sequence[str], *, read_stdin: bool = True, checking: bool = False) -> list[Any]:
    """What to load for these rules files: paths, and the text of stdin (``-``) and pipes
    (``--bands <(...)``), which can be read only once, so are read here. A file that cannot be
    read is a usage error naming --bands, or with ``checking`` (``check FILE``) a finding of its own."""
    sources: list[Any] = []
    for file in files:
        if checking and file != "-" and not os.path.exists(file):
            sources.append(file)  # the reader's finding names the file and why it cannot be read
        elif file == "-" or not _regular(file):
            if file == "-" and not read_stdin:
                continue
            from rightsband.rules import RulesText

            sources.append(RulesText("stdin" if file == "-" else file, _read_once(file)))
        else:
            sources.append(file)
    return sources


def load_rules_from(files: Sequence[str], *, read_stdin: bool = True) -> Rules:
    """The built-in sets plus the rules files given (or ``$RIGHTSBAND_BANDS``), later ones replacing earlier
    ones' sets. A file that does not load is a usage error naming its first finding."""
    sources = rules_sources(files or env_band_files(), read_stdin=read_stdin)
    try:
        return load_rules(sources or None)
    except RulesError as error:
        first = error.findings[0]
        more = f" (and {len(error.findings) - 1} more)" if len(error.findings) > 1 else ""
        raise click.BadParameter(f"{first}{more}; run `rightsband check {first.file}`", param_hint="--bands") from None


def _regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError as error:
        raise click.BadParameter(f"cannot read {path!r}: {error.strerror}", param_hint="--bands") from None


def _read_once(file: str) -> str:
    try:
        if file == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:  # stdin was closed when rightsband started (``<&-``)
                raise click.BadParameter("stdin is closed: there are no rules to read; give the rules FILE",
                                         param_hint="--bands")
            return str(stdin.read().decode("utf-8-sig"))
        with open(file, encoding="utf-8-sig") as stream:
            return stream.read()
    except (OSError, UnicodeDecodeError) as error:
        raise click.BadParameter(f"cannot read {file!r}: {error}", param_hint="--bands") from None


def band_set(rules: Rules, name: str, year: int | None = None) -> BandSet:
    """The set ``name`` stands for (in ``year``, if given); a usage error names what does apply."""
    try:
        return rules.get(name) if year is None else rules.for_year(name, year)
    except (UnknownSetError, YearError) as error:
        raise click.UsageError(str(error)) from None


#: Where message lines go instead of straight to stderr, while a progress bar is drawn there.
_print_above: list[Callable[[str], None]] = []


def say(message: str) -> None:
    """One message line on stderr (control characters from the data shown as escapes), above the
    progress bar if one is drawn."""
    line = f"rightsband: {visible(message)}"
    if _print_above:
        _print_above[-1](line)
    else:
        click.echo(line, err=True)


@contextlib.contextmanager
def messages_to(print_line: Callable[[str], None]) -> Iterator[None]:
    """Send :func:`say`'s lines to ``print_line`` (a progress bar's console) while in the block."""
    _print_above.append(print_line)
    try:
        yield
    finally:
        _print_above.pop()


# -- the input options of the commands that read a table (label, verify) ---------------------------

DECIMAL_CHOICES = (".", ",")
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


class InputOptions(NamedTuple):
    """What a command that reads a table reads, and how: the options of :func:`input_options`
    (a NamedTuple, not a dataclass: importing dataclasses and making one costs every look-up a millisecond)."""

    input_path: str | None
    specs: tuple[str, ...]
    delimiter: str | None
    decimal: str | None
    encoding: str | None
    sheet: str | None
    header_row: int | None
    year: int | None
    year_column: str | None
    no_year_column: bool
    bands_files: tuple[str, ...]

    def check(self, *, year_picks_records: bool = False) -> None:
        """Usage errors among the options themselves. Where ``year_picks_records`` (a command that picks
        the records of --year from the year column), --year goes with --year-column."""
        if "-" in self.bands_files and self.input_path in (None, "-"):
            raise click.UsageError("--bands - and the table cannot both come from stdin")
        if year_picks_records:
            if self.year_column is not None and self.no_year_column:
                raise click.UsageError("give --year-column or --no-year-column, not both")
            return
        given = [self.year is not None, self.year_column is not None, self.no_year_column]
        if sum(given) > 1:
            raise click.UsageError("give one of --year (one year for every record), --year-column or "
                                   "--no-year-column")

    @property
    def name(self) -> str:
        """The input as messages name it."""
        return "stdin" if self.input_path in (None, "-") else str(self.input_path)

    def rules(self) -> Rules:
        return load_rules_from(self.bands_files)

    def engine_arguments(self, table: Table) -> dict[str, Any]:
        """The keyword arguments of ``label_csv`` these options give for ``table``: a workbook's sheet
        is CSV the reader wrote, so --delimiter and --encoding do not apply to it."""
        from rightsband.batch import FIND_YEAR_COLUMN

        for value, option, setting in ((self.delimiter, "--delimiter", table.delimiter),
                                       (self.encoding, "--encoding", table.encoding)):
            if value is not None and setting is not None:
                raise click.BadParameter(f"{option} does not apply to {self.name} ({table.description}), whose "
                                         "cells are read as the workbook shows them; leave it out", param_hint=option)
        column: Any = self.year_column
        if column is None and not self.no_year_column and self.year is None:
            column = FIND_YEAR_COLUMN
        return {"delimiter": table.delimiter or _delimiter(self.delimiter), "decimal": self.decimal,
                "encoding": table.encoding or self.encoding or "utf-8", "year_column": column}


def _delimiter(value: str | None) -> str | None:
    if value is None:
        return None
    value = _DELIMITER_NAMES.get(value.casefold(), value)
    if len(value) != 1 or value in '"\r\n' or not value.isascii():
        raise click.BadParameter(f'"{value}" is not one ASCII character; give e.g. ";" or tab',
                                 param_hint="--delimiter")
    return value


_INPUT_FIELDS = InputOptions._fields


def input_options(*, column_metavar: str, column_help: str, column_required: bool = True) -> Callable[[F], F]:
    """The options of a command that reads a table: INPUT, --column (its metavar and help the
    command's own), --delimiter, --decimal, --encoding, --sheet, --header-row, --year,
    --year-column, --no-year-column and --bands. The command receives them as one
    ``inputs: InputOptions`` argument (as sqlite-utils shares its option decorators)."""
    options = (
        click.argument("input_path", metavar="[INPUT]", required=False,
                       type=click.Path(dir_okay=False, allow_dash=True)),
        click.option("--column", "-c", "specs", multiple=True, required=column_required, metavar=column_metavar,
                     shell_complete=_complete_column, help=column_help),
        click.option("--delimiter", "-d", metavar="CHAR",
                     help="The CSV's delimiter (default: the most frequent of , ; tab | in the header line)."),
        click.option("--decimal", type=click.Choice(DECIMAL_CHOICES),
                     help="Insist on this decimal separator in the mapped columns (default: either, one per value)."),
        click.option("--encoding", metavar="NAME", help="The CSV's encoding (default utf-8; a BOM is allowed)."),
        click.option("--sheet", metavar="NAME|NUMBER",
                     help="The sheet of an .xlsx workbook to read: a name, or a number counted from 1 "
                          "(default: the first that is not hidden)."),
        click.option("--header-row", type=click.IntRange(1, 1_048_576), metavar="N",
                     help="The row of an .xlsx sheet that holds the column names, counted from 1 as Excel numbers "
                          "rows (default: found; see the docs: How each command reads)."),
        year_option,
        click.option("--year-column", metavar="COL",
                     help="Each record's edition year is in column COL: it picks the edition of each INDEX (a set "
                          "or a group); a year no edition covers gives an empty label and a message."),
        click.option("--no-year-column", is_flag=True,
                     help="Do not look for a year column; labels assume the years of each set."),
        bands_option,
    )

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def with_inputs(**kwargs: Any) -> Any:
            inputs = InputOptions(**{name: kwargs.pop(name) for name in _INPUT_FIELDS})
            return command(inputs=inputs, **kwargs)

        for option in reversed(options):
            with_inputs = option(with_inputs)
        return with_inputs  # type: ignore[return-value]

    return decorate


def _complete_column(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Before ``=``: the column names of INPUT's header; after it: set ids, aliases and group ids."""
    from click.shell_completion import CompletionItem

    cols, sep, index = incomplete.rpartition("=")
    if sep:
        return [CompletionItem(f"{cols}={name}") for name in completed_names(ctx, index)]
    # While -c still waits for its value, click leaves INPUT among the unparsed args.
    path = ctx.params.get("input_path") or next((a for a in ctx.args if a != "-" and not a.startswith("-")), None)
    header = header_of(path, sheet=ctx.params.get("sheet"), header_row=ctx.params.get("header_row"))
    done, _, typed = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [CompletionItem(f"{prefix}{name}=", type="plain") for name in header if name.startswith(typed)]


def header_of(path: str | None, *, sheet: str | None = None, header_row: int | None = None) -> list[str]:
    """The column names of a table's header (CSV, compressed CSV or a sheet); empty if it cannot be read."""
    if not path or path == "-" or not os.path.isfile(path):
        return []
    import csv

    from rightsband.csvscan import sniff_delimiter
    from rightsband.readers import UnreadableInput, open_table

    try:
        with open_table(path, sheet=sheet, header_row=header_row) as table:
            line = table.stream.readline(1 << 20).decode(table.encoding or "utf-8-sig", errors="replace")
    except (OSError, UnreadableInput):
        return []
    line = line.removeprefix("\ufeff").rstrip("\r\n")
    return next(csv.reader([line], delimiter=table.delimiter or sniff_delimiter(line)), [])
