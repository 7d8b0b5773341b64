"""What a card says in words, the same in every format: the score, the rank, the band, the edition,
a printed label the bands contradict, a history strip as runs of years. Plain text; each
renderer escapes it for its medium."""

from __future__ import annotations

import re

from rightsband.scorecard.card import AGREE, AMBIGUOUS, BANDED, DISAGREE, GAP, MISSING, Card, HistoryCell, Line
from rightsband.scorecard.pictures import history_runs

__all__ = ["band_text", "card_heading", "edition_text", "footnote_text", "history_parts", "history_text",
           "linkable", "printed_text", "rank_text", "score_text", "year_text"]


#: A URL a card may make a link of: http(s) only, no white space, quotes, angle brackets, backticks or backslashes
#: (so it cannot close an attribute or a Markdown autolink, or be ``javascript:``).
_LINKABLE = re.compile(r"https?://[^\s<>\"'`\\]+\Z")


def linkable(url: str) -> bool:
    """True if a card may make ``url`` a link (else it is shown as text, or left out)."""
    return _LINKABLE.match(url) is not None


def card_heading(card: Card) -> str:
    """``Scorecard: Kazakhstan (KZ), 2015``."""
    who = f"{card.country} ({card.code})" if card.code and card.code != card.country else card.country
    year = f", {card.year}" if card.year is not None else ""
    return f"{card.title}: {who}{year}"


def year_text(card: Card) -> str:
    """Which record the card shows, and why that year."""
    year = f"Year {card.year} ({card.year_note})" if card.year is not None else card.year_note.capitalize()
    return f"{year}. Data: {card.source}, {card.record}."


def score_text(line: Line) -> str:
    """The scores as written, with their scales: ``53,46 / 100 (0 = best)``, ``PR 6 / 7, CL 5 / 7``."""
    parts = []
    for score in line.scores:
        text = score.text.strip() or "missing"
        scale = f" {score.scale}" if score.scale and score.text.strip() else ""
        name = f"{score.name.upper()} " if score.name else ""
        parts.append(f"{name}{text}{scale}")
    return ", ".join(parts)


def rank_text(line: Line) -> str:
    """``160 / 180`` as written, or ``1 of 5 in this file (computed)``; empty without a rank."""
    rank = line.rank
    if rank is None:
        return ""
    if rank.computed:
        return f"{rank.rank} of {rank.of} in this file (computed)"
    return f"{rank.rank} / {rank.of}" if rank.of else rank.rank


def band_text(line: Line) -> str:
    """``Highly controlled, limited or intimidated (5 of 5)``, ``missing: no score``, or the problem."""
    if line.state == BANDED:
        return f"{line.label} ({line.position} of {line.bands})"
    if line.state == MISSING:
        return "missing: no score, no band"
    return f"cannot be banded: {line.problem}"


def edition_text(line: Line, card: Card) -> str:
    """``rsf (2013–2021), year 2015``: the set used and the year it was used for; for a line from a
    publisher's file, the publisher's edition, the year it covers and where:
    ``fh-status (2003 onward); edition 2021, covering 2020 (the year under review); FILE, sheet ..., row 93``."""
    origin = line.origin
    used = f"{line.set_id} ({line.set_years})" if line.set_id else line.index
    if origin is None:
        if not line.set_id:
            return line.index
        return used + (f", year {card.year}" if card.year is not None else ", no year given")
    latest = ", the latest edition in the files" if origin.latest else ""
    edition = f"edition {origin.edition}, covering" if origin.edition else "no row in the files for"
    period = f" ({origin.period})" if origin.period else ""
    place = f"; {origin.place}" if origin.place else ""
    return f"{used}; {edition} {origin.year}{period}{latest}{place}"


def printed_text(line: Line) -> str:
    """What a printed label says beside the band: agreement or the contradiction; empty without one."""
    if line.published is None:
        return ""
    if line.verdict == AGREE:
        return f'Printed label "{line.published}" agrees with the bands.'
    if line.verdict == AMBIGUOUS:
        return (f'Printed label "{line.published}" is one of the bands the value stands between; the bands '
                f'leave it undetermined ("{line.label}").')
    if line.verdict == DISAGREE:
        return (f'Printed label "{line.published}" disagrees: the bands give "{line.label}" for '
                f"{score_text(line)}.")
    return f'Printed label "{line.published}"; the bands give none.'


def footnote_text(number: int, card: Card) -> str:
    """A footnote in one paragraph: set, citation, whose bands, confidence; the URL is separate."""
    note = next(n for n in card.footnotes if n.number == number)
    confidence = f" Confidence: {note.confidence}." if note.confidence else ""
    unconfirmed = f" Unconfirmed: {note.unconfirmed}" if note.unconfirmed else ""
    return f"{note.name} ({note.set_id}). {note.citation} Bands: {note.origin}.{confidence}{unconfirmed}"


def history_parts(cells: tuple[HistoryCell, ...]) -> list[tuple[str, int, str]]:
    """A strip in words, one part per edition: (edition, its footnote, its runs of years), e.g.
    ``("fh-status-1972", 2, "1991–1993 Partly Free; 1994–2002 ...")``; a renderer writes the
    footnote reference its own way. Gaps before the first band belong to the first edition."""
    parts: list[tuple[str, int, list[str]]] = []
    for first, last, cell in history_runs(cells):
        years = f"{first}–{last}" if last > first else str(first)
        what = cell.label or (f"problem: {cell.problem}" if cell.problem else GAP)
        if not parts or cell.new_edition:
            parts.append((cell.edition, cell.footnote, []))
        _, footnote, runs = parts[-1]
        if not footnote and cell.footnote:  # a part that began with a gap takes its first band's edition
            parts[-1] = (cell.edition, cell.footnote, runs)
        runs.append(f"{years} {what}")
    return [(edition, footnote, "; ".join(runs)) for edition, footnote, runs in parts]


def history_text(cells: tuple[HistoryCell, ...]) -> str:
    """A strip as plain text, each edition's runs followed by the edition and its footnote:
    ``1991–1993 Partly Free; 1994–2002 ... (fh-status-1972 [2]) | 2003–2023 Not Free; ... (fh-status [1])``."""
    return " | ".join(f"{runs} ({edition} [{footnote}])" if footnote else runs
                      for edition, footnote, runs in history_parts(cells))
