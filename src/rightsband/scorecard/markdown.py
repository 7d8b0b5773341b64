"""A card as GitHub-flavoured Markdown: a table per section, footnotes for the band sets' sources.

The template (``templates/card.md.j2``) is rendered by jinja2 with every ``{{ }}`` passed through
:func:`escape` unless it is :class:`Verbatim` (what this module itself writes: links and code
spans it has checked), so text from the data or the rules is always text: ``<script>`` shows as
those characters, ``|`` cannot break a table, ``[^1]`` or ``**`` cannot become markup.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from rightsband.scorecard import phrases
from rightsband.scorecard.card import PROBLEM, Card, Line
from rightsband.scorecard.pictures import scale_bar
from rightsband.values import visible

__all__ = ["Verbatim", "escape", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_LEADING = re.compile(r"\A(\d*)([-+.)=])(?=\s|\Z)")


class Verbatim(str):
    """Markdown this module wrote, inserted as it is."""


def escape(value: Any) -> str:
    """``value`` as Markdown text: markup characters backslash-escaped, ``& < >`` as entities, each line
    break a space, control characters as visible escapes, no space at either end, and a leading
    ``-``, ``+`` or ``1.`` escaped (so the text cannot start a list where a line begins with it)."""
    if isinstance(value, Verbatim):
        return value
    text = " ".join(visible(str(value)).splitlines()).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _LEADING.sub(r"\1\\\2", _SPECIAL.sub(r"\\\1", text), count=1)


def _link(url: str) -> str:
    return Verbatim(f"<{url}>") if phrases.linkable(url) else escape(url)


@functools.lru_cache(maxsize=1)
def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(loader=jinja2.PackageLoader("rightsband.scorecard", "templates"),
                                     finalize=escape, autoescape=False, keep_trailing_newline=True,
                                     trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return environment.get_template("card.md.j2")


def render_markdown(card: Card) -> str:
    """The card as one Markdown document."""
    sections = [(title, [_line(line, card) for line in lines]) for title, lines in card.sections]
    footnotes = [{"number": n.number, "text": phrases.footnote_text(n.number, card), "url": _link(n.url)}
                 for n in card.footnotes]
    text: str = _template().render(card=card, heading=phrases.card_heading(card), year=phrases.year_text(card),
                                   sections=sections, footnotes=footnotes)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def _line(line: Line, card: Card) -> dict[str, Any]:
    band = escape(phrases.band_text(line))
    band_cell = Verbatim(f"**⚠ {band}**" if line.state == PROBLEM else f"**{band}**")
    bar = "".join(char for char, _ in scale_bar(line.segments, line.marker)) if line.segments else ""
    remarks = [f"{line.title}: {text}" for text in (
        f"{'edition' if line.origin is None else 'band set'} {phrases.edition_text(line, card)}.",
        phrases.printed_text(line),
        f"Note: {line.note}" if line.note else "") if text]
    if line.history:
        parts = (escape(runs) + (f" ({escape(edition)}[^{footnote}])" if footnote else "")
                 for edition, footnote, runs in phrases.history_parts(line.history))
        remarks.append(Verbatim(f"{escape(line.title)}: History: " + " \\| ".join(parts)))
    return {"title": line.title, "score": phrases.score_text(line), "rank": phrases.rank_text(line) or "–",
            "band": band_cell, "footnote": Verbatim(f"[^{line.footnote}]") if line.footnote else "",
            "bar": Verbatim(f"`{bar}`") if bar else "", "remarks": remarks}
