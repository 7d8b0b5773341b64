"""``rightsband scorecard``: one country's card (or every country's) from publishers' files (through the
panel) or from a table of index scores; ``rightsband check-card``: check a card file."""

from __future__ import annotations

import io
import os
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from rightsband.cli.app import CONTEXT
from rightsband.cli.files import atomic_output, fail, open_input, read_errors
from rightsband.cli.options import InputOptions, bands_option, input_options, load_rules_from, quiet_option, say

if TYPE_CHECKING:
    from rightsband.rules import Rules
    from rightsband.scorecard import Card, CardBuilder, CardData, CardDefinition

FORMATS = ("terminal", "markdown", "html", "json")
#: The file suffix of each format (for --all and for the format an -o FILE's suffix implies).
SUFFIXES = {"terminal": ".txt", "markdown": ".md", "html": ".html", "json": ".json"}
_IMPLIED = {".txt": "terminal", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
            ".json": "json"}


@click.command(context_settings=CONTEXT)
@input_options(column_metavar="COLS=INDEX[:TITLE]", column_required=False,
               column_help="A line of the card from one tidy table: column COLS on band set INDEX, titled TITLE "
                           "(default: the set's name). For a composite set COLS are comma-separated. Repeatable; or "
                           "use --card. Without either, the FILEs are publishers' files.")
@click.argument("more_files", nargs=-1, metavar="[FILE]...", type=click.Path(dir_okay=False))
@click.option("--card", "card_file", type=click.Path(dir_okay=False, exists=True), metavar="FILE",
              help="A card file (TOML) naming the title, sections, lines and columns (see the docs: Build "
                   "scorecards, Card files).")
@click.option("--country", metavar="NAME|CODE", help="The country: a name or a code in the country columns, any case.")
@click.option("--all", "all_countries", is_flag=True, help="A card for every country in the file, in -o DIR, "
                                                             "with an index page.")
@click.option("--country-column", "country_columns", multiple=True, metavar="COL",
              help="The column(s) naming countries (default: found from the header; see the docs: How countries "
                   "are matched).")
@click.option("--rank", "ranks", multiple=True, metavar="SCORECOL=RANKCOL",
              help="The published rank of the line on SCORECOL is in RANKCOL (default: computed from the file's "
                   "records of the year, and said so).")
@click.option("--latest", is_flag=True, help="With publishers' files: each index's latest edition in the files, "
                                             "said on each line (default: one year, --year or the latest).")
@click.option("--countries", "countries_file", metavar="FILE", type=click.Path(dir_okay=False, exists=True),
              help="With publishers' files: a CSV of name,code lines that add to or override the country matches.")
@click.option("--history", is_flag=True,
              help="Add each line's band by year, from the country's first record to its last (gaps shown).")
@click.option("--title", default="Scorecard", show_default=True, help="The card's title (a card file has its own).")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="terminal (colour on a terminal only), markdown, html or json. Default: from -o FILE's suffix, "
                   "else terminal.")
@click.option("--output", "-o", "output", metavar="FILE|DIR", type=click.Path(allow_dash=True),
              help="Write the card to FILE (atomically; default stdout); with --all, a directory.")
@quiet_option
def scorecard(inputs: InputOptions, more_files: tuple[str, ...], card_file: str | None, country: str | None,
              all_countries: bool, country_columns: tuple[str, ...], ranks: tuple[str, ...], latest: bool,
              countries_file: str | None, history: bool, title: str, fmt: str | None, output: str | None,
              quiet: bool) -> None:
    """Draw a country's scorecard: each index's score as written, rank, band and source.

    From publishers' files as they ship (Freedom House's workbooks, RSF's CSVs, TI's
    CPI workbook, BTI's workbook; as `rightsband panel` reads them), the card has a
    line per measure, a section per publisher, each line with its edition, the year
    it covers and its file and row; countries are matched on their codes, so a
    renamed country is one card. --latest takes each index's latest edition. From
    one tidy table, each --column (or each line of a --card file) is a line.

    Each line is classified as `rightsband label` classifies it, with the edition
    the year picks. The record is the country's (found by name or code) for --year,
    else its latest year. A missing score shows as missing; a value that cannot be
    banded shows its problem, and the exit code is 1, as it is when most lines have
    no score for the year (the years the data has are said). A printed label is
    compared with the band, and a contradiction is shown.

    \b
    Examples:
      rightsband scorecard examples/rsf-2020-download.csv examples/rsf-2024-download.csv --country Norway --latest
      rightsband scorecard examples/central-asia.csv --country KZ --year 2023 -c pr,cl=fh-fiw-status -c cpi_score=ti
      rightsband scorecard examples/kazakhstan-cjpme.csv --card examples/cjpme-scorecard.toml --country KZ
      rightsband scorecard examples/central-asia.csv --country kazakhstan --year 2023 -c pr,cl=fh-fiw-status --history
      rightsband scorecard examples/kazakhstan-cjpme.csv --card examples/cjpme-scorecard.toml --country KZ --format json
    """
    from rightsband.scorecard import CardError, CountryError
    from rightsband.scorecard.render import render

    inputs.check(year_picks_records=True)
    if inputs.specs and card_file:
        raise click.UsageError("give the card's lines with --column COLS=INDEX[:TITLE], or a --card FILE (not both)")
    if all_countries == bool(country):
        raise click.UsageError("give --country NAME|CODE, or --all with -o DIR")
    if latest and inputs.year is not None:
        raise click.UsageError("give --year YEAR or --latest, not both")
    fmt = fmt or _IMPLIED.get(os.path.splitext(output or "")[1].casefold(), "terminal") if not all_countries else \
        fmt or "html"
    rules = inputs.rules()
    if inputs.specs or card_file:
        _one_table(more_files, latest, countries_file)
        try:
            definition = _definition(inputs, card_file, ranks, rules, title)
        except CardError as error:
            fail(f"{error.findings[0]}" + (f" (and {len(error.findings) - 1} more)" if len(error.findings) > 1
                                           else "") + f"; run `rightsband check-card {card_file}`")
        data = _data(inputs, definition, country_columns, "--card" if card_file else "--column")
    else:
        _publishers_only(inputs, ranks, country_columns)
        definition, data = _files_data((str(inputs.input_path), *more_files), rules, title, countries_file, latest)
    if all_countries:
        _write_all(definition, data, rules, inputs, fmt, output, history, quiet)
        return
    assert country is not None
    builder = _builder(definition, data, rules, inputs)
    try:
        found = data.find(country)
        card = builder.card(found, year=inputs.year, history=history)
    except CountryError as error:
        fail(str(error))
    with atomic_output(output, "--output", text=True) as out:
        render(card, fmt, out)
    _report([card], [builder.thin(card, found)], quiet)


def _one_table(more_files: tuple[str, ...], latest: bool, countries_file: str | None) -> None:
    """Usage errors of a card from one tidy table (--column or --card)."""
    if more_files:
        raise click.UsageError("--column and --card read one tidy table; to make a card from several publishers' "
                               "files, leave them out")
    for given, option in ((latest, "--latest"), (countries_file, "--countries")):
        if given:
            raise click.UsageError(f"{option} goes with publishers' files (no --column or --card)")


def _publishers_only(inputs: InputOptions, ranks: tuple[str, ...], country_columns: tuple[str, ...]) -> None:
    """Usage errors of a card from publishers' files: their layouts say where everything is."""
    if inputs.input_path in (None, "-"):
        raise click.UsageError("give the publishers' FILEs (a card from one tidy table, or stdin, names its lines "
                               "with --column COLS=INDEX or --card FILE)")
    given = {"--rank": ranks, "--country-column": country_columns, "--year-column": inputs.year_column,
             "--no-year-column": inputs.no_year_column, "--sheet": inputs.sheet, "--header-row": inputs.header_row,
             "--delimiter": inputs.delimiter, "--encoding": inputs.encoding}
    for option, value in given.items():
        if value:
            raise click.UsageError(f"{option} reads one tidy table (with --column or --card); publishers' files "
                                   "are read by their layout: leave it out")


def _files_data(paths: tuple[str, ...], rules: Rules, title: str, countries: str | None,
                latest: bool) -> tuple[CardDefinition, CardData]:
    """The card definition and records of publishers' files, through the panel; a file that is not one
    is one line, exit 1."""
    from rightsband.panels import PanelError, PanelUsageError
    from rightsband.scorecard.files import cards_from_files

    try:
        return cards_from_files(paths, rules, title=title, countries=countries, latest=latest)
    except PanelUsageError as error:  # a file no layout recognises: here, a tidy table without its lines
        raise click.UsageError(f"{str(error).partition(';')[0]}; a card from a tidy table names its lines with "
                               "--column COLS=INDEX[:TITLE] or a --card FILE") from None
    except PanelError as error:
        fail(str(error))


def _definition(inputs: InputOptions, card_file: str | None, ranks: tuple[str, ...], rules: Rules,
                title: str) -> CardDefinition:
    from rightsband.scorecard import from_specs, read_card
    from rightsband.scorecard.definition import SpecError

    if card_file:
        if ranks:
            raise click.UsageError("--rank goes with --column; a card file gives each line's rank column")
        return read_card(card_file, rules)
    try:
        return from_specs(inputs.specs, ranks, rules, title)
    except SpecError as error:
        raise click.BadParameter(str(error), param_hint=error.option) from None


def _data(inputs: InputOptions, definition: CardDefinition, country_columns: tuple[str, ...],
          lines_option: str) -> CardData:
    """The table's records; a column it lacks is a usage error naming the option (or card) that asked for it."""
    from rightsband.scorecard import read_card_data
    from rightsband.scorecard.data import ColumnError

    year_column = inputs.year_column or (None if inputs.no_year_column else definition.year_column)
    columns = country_columns or ((definition.country_column,) if definition.country_column else ())
    needed = [column for line in definition.lines for column in line.needed]
    with open_input(inputs.input_path, sheet=inputs.sheet, header_row=inputs.header_row) as table, \
            read_errors(inputs.name):
        arguments = inputs.engine_arguments(table)
        try:
            return read_card_data(table.stream, inputs.name, needed, delimiter=arguments["delimiter"],
                                  encoding=arguments["encoding"], country_columns=columns, year_column=year_column,
                                  find_year=not inputs.no_year_column, first_row=table.first_row)
        except ColumnError as error:
            raise click.BadParameter(str(error), param_hint=error.option or lines_option) from None


def _builder(definition: CardDefinition, data: CardData, rules: Rules, inputs: InputOptions) -> CardBuilder:
    from rightsband.scorecard import CardBuilder

    return CardBuilder(definition, data, rules, decimal=inputs.decimal)


def _report(cards: list[Card], thin: list[str | None], quiet: bool, failed: int = 0) -> None:
    """Printed labels the bands contradict, on stderr; exit 1 if any line cannot be banded, a card has
    no score on most lines (``thin``: what each such card says), or ``failed`` countries got no card."""
    disagreements = sum(card.disagreements for card in cards)
    problems = sum(card.problems for card in cards)
    if disagreements and not quiet:
        say(f"{disagreements} printed label(s) disagree with the bands; the card shows each")
    if problems:
        say(f"{problems} line(s) cannot be banded; the card shows why")
    notes = [note for note in thin if note]
    for note in notes:
        say(note)
    if problems or failed or notes:
        raise click.exceptions.Exit(1)


def _write_all(definition: CardDefinition, data: CardData, rules: Rules, inputs: InputOptions, fmt: str,
               output: str | None, history: bool, quiet: bool) -> None:
    """A card per country in ``output`` (a directory), and an index page linking them. Every card is
    built and rendered, and every target path checked, before any file is written, so a card that
    cannot be written leaves the directory as it was; each file is then written atomically."""
    from rightsband.scorecard import CountryError
    from rightsband.scorecard.render import render, render_index

    if not output or output == "-":
        raise click.UsageError("--all writes one file per country: give -o DIR")
    if os.path.exists(output) and not os.path.isdir(output):
        raise click.BadParameter(f"{output!r} is not a directory", param_hint="--output")
    builder = _builder(definition, data, rules, inputs)
    cards: list[tuple[Card, str]] = []
    pages: dict[str, str] = {}  # file name: its text
    thin: list[str | None] = []
    taken = set(_TAKEN)
    skipped = 0
    for country in data.countries:
        try:
            card = builder.card(country, year=inputs.year, history=history)
        except CountryError as error:
            say(str(error))
            skipped += 1
            continue
        name = _file_name(card.code or card.country, taken) + SUFFIXES[fmt]
        pages[name] = _rendered(render, card, fmt)
        cards.append((card, name))
        thin.append(builder.thin(card, country))
    index = "index" + SUFFIXES[fmt]
    pages[index] = _rendered(render_index, definition.title, cards, fmt)
    for name in pages:
        path = os.path.join(output, name)
        if os.path.exists(path) and not os.path.isfile(path):
            kind = "a directory" if os.path.isdir(path) else "not a regular file"
            raise click.BadParameter(f"{path!r} is {kind}, so {name} cannot be written; nothing was written",
                                     param_hint="--output")
    try:
        os.makedirs(output, exist_ok=True)
    except OSError as error:
        raise click.BadParameter(f"cannot make the directory {output!r}: {error.strerror}",
                                 param_hint="--output") from None
    for name, text in pages.items():
        with atomic_output(os.path.join(output, name), "--output", text=True) as out:
            out.write(text)
    if not quiet:
        say(f"{len(cards)} card(s) and {index} written in {output}")
    _report([card for card, _ in cards], thin, quiet, failed=skipped)


def _rendered(draw: Callable[..., None], *what: Any) -> str:
    """What ``draw(*what, out)`` writes on ``out``, as text."""
    out = io.StringIO()
    draw(*what, out)
    return out.getvalue()


#: Names no card takes: the index's, and Windows's device names (a file so named, any suffix, cannot be made).
_TAKEN = frozenset({"index", "con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))})


def _file_name(name: str, taken: set[str]) -> str:
    """A card's file name (without suffix) from a country's code or name: lower-case (NFC), each run of
    characters that are not Unicode letters, marks or digits one hyphen, so ``Côte d'Ivoire`` is
    ``côte-d-ivoire``; unique in ``taken`` (case-folded, as a case-insensitive disk compares), which it joins."""
    text = unicodedata.normalize("NFC", name.lower())
    words = "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in text).split()
    base = "-".join(words)[:60].strip("-") or "country"
    found, n = base, 1
    while found.casefold() in taken:
        n += 1
        found = f"{base}-{n}"
    taken.add(found.casefold())
    return found


@click.command("check-card", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False), metavar="FILE")
@bands_option
def check_card(file: str, bands_files: tuple[str, ...]) -> None:
    """Check a scorecard FILE (TOML): its keys, sections, lines, and each line's INDEX and columns.

    Each problem is one line, FILE:LINE: error: message. Exits 1 if there is any.

    \b
    Examples:
      rightsband check-card examples/cjpme-scorecard.toml
    """
    from rightsband.scorecard import check_card as check

    findings = check(file, load_rules_from(bands_files))
    for finding in findings:
        click.echo(str(finding))
    say(f"{file}: {len(findings)} error(s)")
    if findings:
        raise click.exceptions.Exit(1)

