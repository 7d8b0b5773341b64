"""Options and arguments that several commands share, in one place: output format, rules files,
year, quiet; loading the rules they name; completion of set names and files."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from rightsband.formats import FORMATS
from rightsband.model import BandSet, YearError
from rightsband.rules import Rules, RulesError, UnknownSetError, load_rules
from rightsband.values import visible

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

ENV_BANDS = "RIGHTSBAND_BANDS"
F = TypeVar("F", bound=Callable[..., Any])


def format_option(choices: Sequence[str] = FORMATS, default: str = "text") -> Callable[[F], F]:
    """``--format``, from the one vocabulary of :data:`rightsband.formats.FORMATS`."""
    return click.option("--format", "fmt", type=click.Choice(tuple(choices)), default=default, show_default=True,
                        help="Output format: " + ", ".join(choices) + " (see README, Output formats).")


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

year_option = click.option(
    "--year", type=click.IntRange(1000, 9999), metavar="YEAR",
    help="The edition year of the values: picks the edition of INDEX (a set or a group) that covers it, "
         "and refuses a set that does not.")

quiet_option = click.option("-q", "--quiet", is_flag=True,
                            help="Only errors on stderr: no notices, no per-value messages, no summary line.")


def env_band_files() -> list[str]:
    """The files ``$RIGHTSBAND_BANDS`` names (``os.pathsep``-separated); a missing one is a usage error."""
    value = os.environ.get(ENV_BANDS, "")
    files = [f for f in value.split(os.pathsep) if f]
    for file in files:
        if file != "-" and not os.path.exists(file):
            raise click.UsageError(f"{ENV_BANDS} names {file!r}, which does not exist; "
                                   f"correct the variable or unset it (unset {ENV_BANDS})")
    return files


def rules_sources(files: Sequence[str], *, read_stdin: bool = True) -> list[Any]:
    """What to load for these rules files: paths, and the text of stdin (``-``) and pipes
    (``--bands <(...)``), which can be read only once, so are read here."""
    sources: list[Any] = []
    for file in files:
        if file == "-" or not _regular(file):
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
            return sys.stdin.buffer.read().decode("utf-8-sig")
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


def say(message: str) -> None:
    """One message line on stderr (control characters from the data shown as escapes)."""
    click.echo(f"rightsband: {visible(message)}", err=True)
