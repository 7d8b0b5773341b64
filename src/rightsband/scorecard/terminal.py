"""A card for the terminal (rich): colour on a terminal only, plain text otherwise.

Every text from the data or the rules goes in as :class:`rich.text.Text` (never parsed as
markup) after :func:`rightsband.values.visible` (control characters shown as escapes), so a
country named ``[bold]`` or holding an escape sequence prints as those characters.
"""

from __future__ import annotations

import io
from typing import IO

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from rightsband.scorecard import phrases
from rightsband.scorecard.card import BANDED, PROBLEM, Card, Line
from rightsband.scorecard.pictures import scale_bar, text_colour
from rightsband.values import visible

__all__ = ["render_terminal"]

#: The width of a card written to a file or pipe (a terminal uses its own).
PLAIN_WIDTH = 100
BAR_WIDTH = 40


def _text(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)


def render_terminal(card: Card, out: IO[str], *, colour: bool | None = None) -> None:
    """Print ``card`` on ``out``: colour where ``out`` is a terminal (and NO_COLOR is unset) unless
    ``colour`` says otherwise; plain text at :data:`PLAIN_WIDTH` columns on a file or pipe."""
    terminal = colour if colour is not None else out.isatty()
    if terminal:
        console = Console(file=out, force_terminal=True, highlight=False, emoji=False, markup=False)
        console.print(_card(card, True))
        return
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=False, no_color=True, width=PLAIN_WIDTH, highlight=False, emoji=False,
            markup=False).print(_card(card, False))
    out.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))


def _card(card: Card, colour: bool) -> RenderableType:
    parts: list[RenderableType] = [_text(phrases.card_heading(card), "bold")]
    if card.subtitle:
        parts.append(_text(card.subtitle, "italic"))
    parts.append(_text(phrases.year_text(card), "dim"))
    for n, (title, lines) in enumerate(card.sections):
        if n == 0:
            parts.append(Text())
        if title:
            parts.append(_text(title, "bold underline"))
        parts.extend(Padding(_line(line, card, colour), (0, 0, 1, 2), expand=False) for line in lines)
    parts.append(_text("Sources", "bold"))
    for note in card.footnotes:
        text = Text.assemble(f"[{note.number}] ", _text(phrases.footnote_text(note.number, card)), " ",
                             _text(note.url or "no URL given", "underline"))
        parts.append(Padding(text, (0, 0, 0, 2), expand=False))
    if card.problems:
        parts.append(_text(f"{card.problems} line(s) cannot be banded: see above.", "bold red"))
    return Group(*parts)


def _line(line: Line, card: Card, colour: bool) -> RenderableType:
    rows: list[RenderableType] = [_text(line.title, "bold")]
    facts = Text.assemble("Score ", _text(phrases.score_text(line)))
    rank = phrases.rank_text(line)
    if rank:
        facts.append_text(Text.assemble(" · Rank ", _text(rank)))
    rows.append(facts)
    band_style = "bold red" if line.state == PROBLEM else "bold" if line.state == BANDED else "italic"
    band = Text.assemble(_text(phrases.band_text(line), band_style))
    if line.footnote:
        band.append(f" [{line.footnote}]")
    rows.append(band)
    rows.append(_text(phrases.edition_text(line, card), "dim"))
    if line.segments:
        rows.append(_bar(line, colour))
    printed = phrases.printed_text(line)
    if printed:
        rows.append(_text(printed, "bold yellow" if line.agrees is False else ""))
    if line.note:
        rows.append(_text(f"Note: {line.note}", "italic"))
    if line.history:
        rows.append(_history(line, colour))
    return Group(*rows)


def _bar(line: Line, colour: bool) -> Text:
    """The band scale in one line: a digit per character for its band (best left), ``▲`` at the score."""
    colours = {s.position: s.colour for s in line.segments}
    bar = Text("best ")
    for char, band in scale_bar(line.segments, line.marker, BAR_WIDTH):
        style = f"{text_colour(colours[band])} on {colours[band]}" if colour and band in colours else ""
        bar.append(char, style=("bold " + style) if char == "▲" and style else style)
    bar.append(" worst")
    return bar


def _history(line: Line, colour: bool) -> RenderableType:
    """The strip: a character per year (the band's place, ``·`` a gap, ``|`` before an edition change),
    then the same as runs of years in words."""
    strip = Text(f"{line.history[0].year} ")
    for cell in line.history:
        if cell.new_edition:
            strip.append("|")
        char = str(cell.position % 10) if cell.position is not None else "·"
        strip.append(char, style=f"{text_colour(cell.colour)} on {cell.colour}" if colour and cell.label else "")
    strip.append(f" {line.history[-1].year}")
    words = _text(f"History: {phrases.history_text(line.history)}", "dim")
    return Group(strip, words)
