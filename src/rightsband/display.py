"""The human-readable view of one band set (rich), for `rightsband show`.

Imported only by `show`, so a look-up never pays for rich. Rich itself drops
colour off a terminal and honours NO_COLOR.
"""

from __future__ import annotations

from decimal import Decimal

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from rightsband.model import Band, BandSet


def _console() -> Console:
    return Console(highlight=False, markup=False)


def _as_fraction(band: Band) -> str:
    hundred = Decimal(100)
    return Band(band.label, band.lower / hundred, band.upper / hundred, band.lower_closed, band.upper_closed).interval


def print_set(band_set: BandSet) -> None:
    """The bands as a table with their intervals, then the set's provenance and notes."""
    console = _console()
    console.print(Text.assemble((band_set.id, "bold"), f": {band_set.name}"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column(overflow="fold")
    facts.add_row("publisher", band_set.publisher)
    facts.add_row("scale", f"{band_set.describe_scale()}, {band_set.unit}")
    facts.add_row("direction", band_set.direction)
    if band_set.published_as_fraction:
        facts.add_row("input", "a bare number is the published 0–1 fraction; type a percent with its sign (72.1%)")
    if band_set.inputs:
        inputs = ", ".join(f"{i.name} = {i.set.id}" for i in band_set.inputs)
        facts.add_row("combines", f"the {band_set.combine} of {inputs}")
    facts.add_row("years", str(band_set.years) if band_set.years else "not limited")
    if band_set.aliases:
        facts.add_row("aliases", ", ".join(band_set.aliases))
    console.print(facts)

    bands = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    bands.add_column("#", justify="right")
    bands.add_column("band")
    bands.add_column("interval" + (" (%)" if band_set.unit == "percent" else ""))
    if band_set.published_as_fraction:
        bands.add_column("as published")
    for position, band in enumerate(band_set.bands, start=1):
        row = [str(position), band.label, band.interval]
        if band_set.published_as_fraction:
            row.append(_as_fraction(band))
        bands.add_row(*row)
    console.print(bands)

    about = Table.grid(padding=(0, 2))
    about.add_column(style="bold")
    about.add_column(overflow="fold")
    about.add_row("source", band_set.citation)
    about.add_row("url", band_set.url or "none given")
    if band_set.notes:
        about.add_row("notes", band_set.notes)
    console.print(about)
