"""A card as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched.

Rendered by jinja2 from ``templates/card.html.j2`` with autoescaping on, so every text from the
data or the rules is text: a country named ``<script>`` shows as those characters. The band is
never carried by colour alone: each line writes its label and place, each picture has a
``<title>`` a screen reader reads and a caption in words. The page reads at 360 px wide and
prints on A4.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from rightsband.scorecard import phrases
from rightsband.scorecard.card import GAP, Card, Line
from rightsband.scorecard.pictures import text_colour
from rightsband.values import visible

__all__ = ["render_html", "render_index"]

#: The width of the pictures' coordinate system (they scale to the page).
WIDTH = 400


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("rightsband.scorecard", "templates"),
                              autoescape=True, finalize=_visible, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


def _visible(value: Any) -> Any:
    return visible(value) if isinstance(value, str) else value


def render_html(card: Card) -> str:
    """The card as an HTML page."""
    sections = [{"title": title, "lines": [_line(line, card, f"{s}-{n}") for n, line in enumerate(lines, 1)]}
                for s, (title, lines) in enumerate(card.sections, 1)]
    footnotes = [{"number": n.number, "text": phrases.footnote_text(n.number, card),
                  "url": n.url if phrases.linkable(n.url) else ""} for n in card.footnotes]
    text: str = _environment().get_template("card.html.j2").render(
        card=card, heading=phrases.card_heading(card), year=phrases.year_text(card), sections=sections,
        footnotes=footnotes, width=WIDTH)
    return text


def render_index(title: str, cards: Sequence[tuple[Card, str]]) -> str:
    """An index page linking each card (card, its file name)."""
    rows = [{"heading": phrases.card_heading(card), "href": href, "problems": card.problems} for card, href in cards]
    text: str = _environment().get_template("index.html.j2").render(title=title, rows=rows)
    return text


def _line(line: Line, card: Card, ref: str) -> dict[str, Any]:
    segments = [{"x": round(s.start * WIDTH, 2), "w": round(max(s.width * WIDTH, 2), 2),
                 "mid": round((s.start + max(s.width, 2 / WIDTH) / 2) * WIDTH, 2), "colour": s.colour,
                 "text": text_colour(s.colour), "position": s.position, "label": s.label, "interval": s.interval}
                for s in line.segments]
    count = len(line.history)
    cells = [{"x": round(n * WIDTH / count, 2), "w": round(WIDTH / count, 2), "colour": c.colour,
              "gap": c.label is None, "year": c.year, "new_edition": c.new_edition,
              "what": c.label or (f"problem: {c.problem}" if c.problem else GAP)}
             for n, c in enumerate(line.history)]
    ticks = [{"x": round((n + 0.5) * WIDTH / count, 2), "year": c.year,
              "anchor": "start" if n == 0 else "end" if n == count - 1 else "middle"}
             for n, c in enumerate(line.history) if n in (0, count - 1) or (c.year % 10 == 0 and 2 < n < count - 3)]
    if ticks:
        ticks[0]["x"], ticks[-1]["x"] = 0, WIDTH
    band = phrases.band_text(line)
    marker = round(line.marker * WIDTH, 2) if line.marker is not None else None
    return {"title": line.title, "state": line.state, "score": phrases.score_text(line),
            "rank": phrases.rank_text(line), "band": band, "colour": line.colour, "footnote": line.footnote,
            "ref": ref, "edition": phrases.edition_text(line, card), "printed": phrases.printed_text(line),
            "verdict": line.verdict, "note": line.note, "segments": segments, "marker": marker,
            "scale_title": f"Band scale of {line.set_id}, best to worst: "
                           + "; ".join(f"{s.position}. {s.label} {s.interval}" for s in line.segments)
                           + f". The score ({line.banded}) is in band {line.position}, {line.label}.",
            "scale_caption": f"Bands best to worst, marker at {line.banded}: "
                             + ", ".join(f"{s.position} {s.label}" for s in line.segments) + ".",
            "history": cells, "ticks": ticks, "history_text": phrases.history_text(line.history),
            "history_parts": [{"edition": edition, "footnote": footnote, "runs": runs}
                              for edition, footnote, runs in phrases.history_parts(line.history)]}
