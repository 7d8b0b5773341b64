"""Writing cards in any format: a card, or the index page of a directory of cards, written to a text
stream by its format's renderer (imported only when that format is asked for). ``json`` is
:meth:`Card.as_dict` whole; the formats are ``terminal``, ``markdown``, ``html`` and ``json``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO

from rightsband.scorecard.card import Card
from rightsband.scorecard.phrases import card_heading
from rightsband.values import visible

__all__ = ["render", "render_index"]


def render(card: Card, fmt: str, out: IO[str]) -> None:
    """Write ``card`` on ``out`` in format ``fmt``."""
    if fmt == "json":
        out.write(json.dumps(card.as_dict(), indent=2, ensure_ascii=False) + "\n")
    elif fmt == "markdown":
        from rightsband.scorecard.markdown import render_markdown

        out.write(render_markdown(card))
    elif fmt == "html":
        from rightsband.scorecard.html import render_html

        out.write(render_html(card))
    else:
        from rightsband.scorecard.terminal import render_terminal

        render_terminal(card, out)


def render_index(title: str, cards: Sequence[tuple[Card, str]], fmt: str, out: IO[str]) -> None:
    """Write the index of ``cards`` (each card with its file name) on ``out`` in format ``fmt``."""
    if fmt == "html":
        from rightsband.scorecard.html import render_index as html_index

        out.write(html_index(title, cards))
    elif fmt == "json":
        rows = [{"country": c.country, "code": c.code, "year": c.year, "file": name, "problems": c.problems}
                for c, name in cards]
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "markdown":
        from rightsband.scorecard.markdown import escape

        out.write(f"# {escape(title)}\n\n" + "".join(f"- [{escape(card_heading(c))}](<{name}>)\n"
                                                      for c, name in cards))
    else:
        out.write("".join(f"{name}\t{visible(card_heading(c))}\n" for c, name in cards))
