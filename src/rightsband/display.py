"""Human-readable views (rich): one band set for `rightsband show`, and the band
counts and progress bar of `rightsband label` (both on stderr).

Imported only where used, so a look-up never pays for rich. Rich itself drops
colour off a terminal and honours NO_COLOR. Off a terminal, lines are neither
wrapped nor padded with trailing spaces, so they can be piped and compared.
Labels and notes are text: never read as rich markup or emoji codes.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from rightsband.model import Band, BandSet, Group

if TYPE_CHECKING:
    from rightsband.batch import Report
    from rightsband.batch.summary import YearRow
    from rightsband.rules import Rules

BAR_WIDTH = 20


#: Off a terminal, views are laid out this wide (no wrapping), then trailing spaces are dropped.
_UNWRAPPED = 10_000


class _Console(Console):
    """A console that lets a closed pipe (``| head``) reach the command line, which ends quietly
    (rich's own handling exits with status 1)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def _console(stderr: bool = False) -> Console:
    return _Console(highlight=False, markup=False, emoji=False, stderr=stderr)


def _print(*renderables: Any, stderr: bool = False) -> None:
    """Print on a terminal as rich lays it out; elsewhere unwrapped, each line without trailing spaces."""
    console = _console(stderr)
    if console.is_terminal:
        for renderable in renderables:
            console.print(renderable)
        return
    buffer = io.StringIO()
    plain = _Console(file=buffer, width=_UNWRAPPED, highlight=False, markup=False, emoji=False, color_system=None)
    for renderable in renderables:
        plain.print(renderable)
    stream = sys.stderr if stderr else sys.stdout
    stream.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))


def _as_fraction(band: Band) -> str:
    hundred = Decimal(100)
    return Band(band.label, band.lower / hundred, band.upper / hundred, band.lower_closed, band.upper_closed).interval


def print_set(band_set: BandSet, rules: Rules) -> None:
    """The bands as a table with their intervals, then the set's provenance and notes."""
    title = Text.assemble((band_set.id, "bold"), f": {band_set.name}")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column(overflow="fold")
    facts.add_row("publisher", band_set.publisher)
    scored = band_set.label_only is None
    if scored:
        facts.add_row("scale", f"{band_set.describe_scale()}, {band_set.unit}")
        facts.add_row("direction", band_set.direction)
    else:
        facts.add_row("kind", f"labels only, no score: {band_set.label_only}; `classify` refuses a score, "
                              "`verify` checks published labels")
    if band_set.published_as_fraction:
        facts.add_row("input", "a bare number is the published 0–1 fraction; type a percent with its sign (72.1%)")
    if band_set.inputs:
        inputs = ", ".join(f"{i.name} = {i.set.id if ':' not in i.set.id else i.set.scale}" for i in band_set.inputs)
        how = f"the {band_set.combine} of" if band_set.gate is None else "the inputs"
        facts.add_row("combines", f"{how} {inputs}")
    for name, text in _constructs(band_set):
        facts.add_row(name, text)
    facts.add_row("years", str(band_set.years) if band_set.years else "not limited")
    for group in rules.groups_of(band_set):
        facts.add_row("edition in", f"{group.id}: {group.describe_editions()}")
    facts.add_row("origin", band_set.describe_origin())
    facts.add_row("confidence", band_set.confidence or "not graded")
    if band_set.verified:
        facts.add_row("verified", band_set.verified)
    if band_set.unconfirmed:
        facts.add_row("unconfirmed", band_set.unconfirmed)
    if band_set.aliases:
        facts.add_row("aliases", ", ".join(band_set.aliases))
    _print(title, facts, _bands_table(band_set), _about(band_set))


def _constructs(band_set: BandSet) -> list[tuple[str, str]]:
    """The rule constructs of a set, one fact each."""
    rows = []
    if band_set.rounding is not None:
        rows.append(("rounding", f"to {band_set.rounding} decimal places, half up, before banding"))
    if band_set.distance_from is not None:
        rows.append(("two-sided", f"bands the distance |{band_set.distance_from} − value|; the intervals are "
                                  "distances"))
    if band_set.gate is not None:
        rows.append(("gate", f"on {band_set.gate.value}: {band_set.gate.describe()}"))
    if band_set.ties == "ambiguous":
        reason = band_set.ties_reason or "the published score does not decide a value exactly on a cut"
        rows.append(("ties", f"ambiguous: a value exactly on a cut gets no label ({reason})"))
    if band_set.has_cells:
        rows.append(("no score", "a cell listed under cells names its band where no score is given"))
    return rows


def _bands_table(band_set: BandSet) -> Table:
    scored = band_set.label_only is None
    bands = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    bands.add_column("#", justify="right")
    bands.add_column("band")
    if band_set.gate is not None:
        bands.add_column("table")
    if scored:
        what = "distance" if band_set.distance_from is not None else "interval"
        bands.add_column(what + (" (%)" if band_set.unit == "percent" else ""))
    if band_set.published_as_fraction:
        bands.add_column("as published")
    valued = any(b.value is not None for b in band_set.bands)
    if valued:
        bands.add_column("value")
    named = any(b.aliases for b in band_set.bands)
    if named:
        bands.add_column("aliases")
    if band_set.has_cells:
        bands.add_column("cells")
    for position, band in enumerate(band_set.bands, start=1):
        label = band.label + (f"  (either {' or '.join(band.either)})" if band.either else "")
        row = [str(position), label]
        if band_set.gate is not None:
            row.append(band.table)
        if scored:
            row.append(band.interval)
        if band_set.published_as_fraction:
            row.append(_as_fraction(band))
        if valued:
            row.append("" if band.value is None else str(band.value))
        if named:
            row.append(", ".join(band.aliases))
        if band_set.has_cells:
            row.append(", ".join(band.cells))
        bands.add_row(*row)
    return bands


def _about(band_set: BandSet) -> Table:
    about = Table.grid(padding=(0, 2))
    about.add_column(style="bold")
    about.add_column(overflow="fold")
    about.add_row("source", band_set.citation)
    about.add_row("url", band_set.url or "none given")
    if band_set.notes:
        about.add_row("notes", band_set.notes)
    return about


def print_group(group: Group) -> None:
    """A group of editions: which set applies to which years."""
    title = Text.assemble((group.id, "bold"), f": {group.name}")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("years", "edition", "scale", "name"):
        table.add_column(column)
    for edition in group.editions:
        table.add_row(str(edition.years), edition.id, edition.describe_scale(), edition.name)
    hint = "--year YEAR (or label --year-column) picks the edition; `rightsband show ID` shows one."
    _print(title, table, hint, *([group.notes] if group.notes else []))


def print_summary(report: Report) -> None:
    """Per new column, the records in each band (with a bar), missing and bad, on stderr; with records
    of several years, a table per column of the same counts by year (bands numbered as in the first)."""
    from rightsband.batch.summary import MAX_YEARS

    years = [] if report.years is None else report.years.rows()
    blank = f", {report.blank:,} blank lines kept" if report.blank else ""
    views: list[Any] = [f"{report.records:,} records{blank}"]
    if len(years) == 1:
        views.append(f'all of year {years[0].year} (column "{report.year_column}")')
    elif report.years is not None and report.years.dropped:
        views.append(f'not counted by year: column "{report.year_column}" has more than {MAX_YEARS} distinct cells')
    numbered = len(years) > 1
    for n, tally in enumerate(report.tallies):
        mapping = tally.mapping
        on = mapping.set.id if mapping.choose is None else f"{mapping.index} by year"
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False,
                      title=f"{mapping.name}  ({','.join(mapping.columns)} on {on})", title_justify="left")
        for name in ("#", "band", "records", "share", "")[0 if numbered else 1:]:
            table.add_column(name, justify="right" if name in ("#", "records", "share") else "left")
        rows = list(zip(mapping.labels, tally.bands))
        rows += [("(missing)", tally.missing), ("(bad)", tally.bad)]
        total = max(report.records, 1)
        for position, (name, count) in enumerate(rows, start=1):
            share = count / total
            bar = Text("█" * round(share * BAR_WIDTH), style="cyan" if not name.startswith("(") else "dim")
            cells = (str(position) if position <= len(mapping.labels) else "", name, f"{count:,}", f"{share:.1%}", bar)
            table.add_row(*cells[0 if numbered else 1:])
        views.append(table)
        if numbered:
            views.append(_by_year(report, years, n))
    _print(*views, stderr=True)


def _by_year(report: Report, years: list[YearRow], n: int) -> Table:
    """One column's records per band in each year: a row per year, a column per band (by number)."""
    width = len(report.tallies[n].mapping.labels)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=f'by year (column "{report.year_column}")',
                  title_justify="left")
    for name in ("year", "records", *map(str, range(1, width + 1)), "(missing)", "(bad)"):
        table.add_column(name, justify="left" if name == "year" else "right")
    for row in years:
        table.add_row(row.year, f"{row.records:,}", *(f"{count:,}" for count in row.counts[n]))
    return table


@contextmanager
def progress_bar(total: int) -> Iterator[tuple[Callable[[int], None], Callable[[str], None]]]:
    """A progress bar on stderr over ``total`` bytes; yields a callback taking the bytes read so far,
    and one printing a message line above the bar (so the two never overwrite each other).

    It is redrawn by the first callback (once a block), not by a refresh thread, so that
    the batch engine can still fork its scanning helper; it is cleared when the run ends.
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    with Progress("labelling", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=_console(stderr=True), transient=True, auto_refresh=False) as progress:
        task = progress.add_task("label", total=total)
        yield (lambda done: progress.update(task, completed=done, refresh=True),
               lambda line: progress.console.print(line, soft_wrap=True))
