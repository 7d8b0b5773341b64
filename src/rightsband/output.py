"""Classification records and band-set descriptions, in the shared formats (:mod:`rightsband.formats`).

One record per input value, written as text or a machine format. Nothing here
imports rich or pandas, and json only when a JSON format is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from rightsband.formats import FORMATS, TableWriter
from rightsband.model import BandSet, Classification, Group, round_half_up
from rightsband.rules import Rules

if TYPE_CHECKING:
    from rightsband.batch import Report

__all__ = [
    "FORMATS", "RecordWriter", "band_rows", "describe_group", "describe_set", "result_record", "sets_table",
    "summary_rows", "write_set_list",
]

#: The columns of ``label --summary csv`` (and the keys of its JSON records).
SUMMARY_COLUMNS = ("column", "index", "year", "band", "position", "records", "share")


def describe_set(band_set: BandSet, groups: list[Group] | tuple[Group, ...] = ()) -> dict[str, Any]:
    """Everything known about a band set, as plain JSON-ready values (``groups``: those it is an edition in)."""
    scale = band_set.scale
    scored = band_set.label_only is None
    gate = band_set.gate
    return {
        "kind": "set",
        "id": band_set.id,
        "aliases": list(band_set.aliases),
        "name": band_set.name,
        "publisher": band_set.publisher,
        "origin": band_set.origin,
        "publisher_classes": None if band_set.publisher_classes is None else list(band_set.publisher_classes),
        "groups": [g.id for g in groups],
        "set_kind": "bands" if scored else "label-only",
        "assigned": band_set.label_only,
        "confidence": band_set.confidence,
        "verified": band_set.verified,
        "unconfirmed": band_set.unconfirmed,
        "unit": band_set.unit,
        "published_as": "fraction" if band_set.published_as_fraction else "scale",
        "direction": band_set.direction,
        "scale": {"min": str(scale.min), "max": str(scale.max),
                  "step": None if scale.step is None else str(scale.step)} if scored else None,
        "years": None if band_set.years is None else {"from": band_set.years.first, "to": band_set.years.last},
        "source": {"citation": band_set.citation, "url": band_set.url},
        "notes": band_set.notes,
        "inputs": [{"name": i.name, "set": i.set.id, "take": i.take} for i in band_set.inputs],
        "combine": band_set.combine,
        "round": band_set.rounding,
        "distance_from": None if band_set.distance_from is None else str(band_set.distance_from),
        "ties": band_set.ties,
        "ties_reason": band_set.ties_reason or None,
        "gate": None if gate is None else {
            "value": gate.value, "passed": gate.passed, "failed": gate.failed,
            "criteria": [{"input": c.input, "test": c.op, "bound": str(c.bound), "label": c.label}
                         for c in gate.criteria]},
        "bands": [
            {"position": n, "label": b.label, "lower": str(b.lower) if scored else None,
             "upper": str(b.upper) if scored else None, "lower_closed": b.lower_closed if scored else None,
             "upper_closed": b.upper_closed if scored else None, "interval": b.interval if scored else None,
             "either": list(b.either), "value": None if b.value is None else str(b.value), "aliases": list(b.aliases),
             "cells": list(b.cells), "table": b.table or None}
            for n, b in enumerate(band_set.bands, start=1)
        ],
    }


def describe_group(group: Group) -> dict[str, Any]:
    """A group of editions, as plain JSON-ready values."""
    return {
        "kind": "group",
        "id": group.id,
        "name": group.name,
        "notes": group.notes,
        "editions": [{"id": e.id, "years": {"from": e.years.first, "to": e.years.last}} for e in group.editions
                     if e.years is not None],
    }


def band_rows(band_set: BandSet) -> list[dict[str, Any]]:
    """The bands of a set as flat rows, best first (``show --format csv``)."""
    return [{"set": band_set.id, **band} for band in describe_set(band_set)["bands"]]


def write_set_list(out: TextIO, rules: Rules, fmt: str, sets: list[BandSet] | None = None,
                   groups: list[Group] | None = None, width: int | None = None) -> None:
    """The band sets and then the groups (all, or those given): one line each as text (within
    ``width`` characters if given: see :func:`_fitted`), a row each in csv and tsv; JSON records
    have every field."""
    sets = list(rules) if sets is None else sets
    groups = list(rules.groups) if groups is None else groups
    if fmt in ("json", "jsonl"):
        writer = TableWriter(out, fmt)
        writer.write_all([describe_set(s, rules.groups_of(s)) for s in sets] + [describe_group(g) for g in groups])
        writer.close()
        return
    rows = [{"id": s.id, "aliases": ",".join(s.aliases), "scale": _list_scale(s), "direction": _list_direction(s),
             "years": str(s.years) if s.years else "any", "origin": s.origin, "confidence": s.confidence or "",
             "name": s.name} for s in sets]
    rows += [{"id": g.id, "aliases": "", "scale": "group: " + ", ".join(e.id for e in g.editions),
              "direction": "by year", "years": _group_years(g), "origin": "group", "confidence": "",
              "name": g.name} for g in groups]
    columns = ["id", "aliases", "scale", "direction", "years", "origin", "confidence", "name"]
    if fmt != "text":
        writer = TableWriter(out, fmt, columns)
        writer.write_all(rows)
        writer.close()
        return
    shown = columns if width is None else _fitted(columns, rows, width)
    table = [shown] + [[row[c] for c in shown] for row in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(shown) - 1)]
    indent = sum(widths) + 2 * len(widths)
    wrap = (lambda text: [text]) if width is None else _wrapper(max(width - indent, _NAME_WIDTH))
    for cells in table:
        first, *more = wrap(cells[-1]) or [""]
        out.write("  ".join(cell.ljust(w) for cell, w in zip(cells, widths)) + "  " + first + "\n")
        out.write("".join(" " * indent + line + "\n" for line in more))


#: The columns of ``list`` a narrow terminal leaves out first (id and name always stay).
_DROPPED_FIRST = ("confidence", "origin", "aliases", "direction", "years", "scale")
#: The narrowest the name column of ``list`` is wrapped to.
_NAME_WIDTH = 20


def _fitted(columns: list[str], rows: list[dict[str, str]], width: int) -> list[str]:
    """The columns of ``list`` that fit ``width`` with a name column at least :data:`_NAME_WIDTH` wide:
    the least needed are left out until they do."""
    shown = list(columns)
    widths = {c: max([len(c)] + [len(row[c]) for row in rows]) for c in columns}
    for column in _DROPPED_FIRST:
        if sum(widths[c] + 2 for c in shown[:-1]) + _NAME_WIDTH <= width:
            break
        shown.remove(column)
    return shown


def _wrapper(width: int) -> Callable[[str], list[str]]:
    """Wraps a name into lines of ``width`` characters (a longer word is broken)."""
    import textwrap

    return textwrap.TextWrapper(width=width, break_on_hyphens=False).wrap


def summary_rows(report: Report) -> list[dict[str, Any]]:
    """``label --summary`` for programs: per new column, a row per band (its position, best first),
    then ``(missing)`` and ``(bad)`` (no position), of every year (``year`` None); shares of every
    record, to 4 decimal places. With a year column, then the same rows per year (``year`` an int,
    or the year cell for a span), shares of that year's records."""
    years = [] if report.years is None else report.years.rows()
    rows = []
    for n, tally in enumerate(report.tallies):
        mapping = tally.mapping
        on = mapping.set.id if mapping.choose is None else mapping.index
        names = [*mapping.labels, "(missing)", "(bad)"]
        every = [(None, report.records, [*tally.bands, tally.missing, tally.bad])]
        for year, records, counts in every + [(row.number, row.records, row.counts[n]) for row in years]:
            for position, (band, count) in enumerate(zip(names, counts), start=1):
                rows.append({"column": mapping.name, "index": on, "year": year, "band": band,
                             "position": position if position <= len(mapping.labels) else None,
                             "records": count, "share": round(count / max(records, 1), 4)})
    return rows


def sets_table(rules: Rules) -> str:
    """Every set of ``rules`` as a Markdown table (id, publisher, scale and direction, years, origin,
    confidence, verified against): the catalogue's table of built-in sets, generated from ``bands.toml``."""
    def cell(text: str) -> str:
        return " ".join(text.split()).replace("|", "\\|")

    lines = ["| id | publisher | scale and direction | years | origin | confidence | verified against |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for s in rules:
        if s.label_only is not None:
            scale = "labels only, no score"
        elif s.distance_from is not None:
            scale = f"{s.scale}, two-sided: distance from {s.distance_from}, {s.distance_from} best"
        else:
            scale = f"{s.scale}{' %' if s.unit == 'percent' else ''}, {s.best} best"
        extras = [f"rounded to {s.rounding} places" if s.rounding is not None else "",
                  "ties ambiguous" if s.ties == "ambiguous" else "",
                  f"mean of {s.input_names()}" if s.combine == "mean" else "",
                  f"gate on {len(s.gate.criteria)} criteria" if s.gate is not None else ""]
        scale += "".join(f"; {extra}" for extra in extras if extra)
        names = f"`{s.id}`" + (f" ({', '.join(f'`{a}`' for a in s.aliases)})" if s.aliases else "")
        lines.append("| " + " | ".join(cell(c) for c in (
            names, s.publisher, scale, str(s.years) if s.years else "any", s.origin, s.confidence or "not graded",
            s.verified or "")) + " |")
    return "\n".join(lines) + "\n"


def _list_scale(band_set: BandSet) -> str:
    if band_set.label_only is not None:
        return "labels only"
    return f"{band_set.scale} {band_set.unit}" + (" (as 0–1)" if band_set.published_as_fraction else "")


def _list_direction(band_set: BandSet) -> str:
    if band_set.distance_from is not None:
        return f"two-sided, {band_set.distance_from} best"
    return band_set.direction


def _group_years(group: Group) -> str:
    years = [e.years for e in group.editions if e.years is not None]
    if not years:
        return "any"
    last = years[-1].last
    return f"{years[0].first}–{last}" if last is not None else f"{years[0].first} onward"


def label_record(text: str, band_set: BandSet, label: str | None, error: str | None) -> dict[str, Any]:
    """The record of one value without --explain: the input as typed, its label and its problem."""
    return {"input": text, "set": band_set.id, "label": label, "error": error}


def result_record(text: str, band_set: BandSet, result: Classification | None, explain: bool,
                  error: str | None = None, chosen: str = "") -> dict[str, Any]:
    """One output record: the input as typed, the label (None if missing or bad), and with
    ``explain`` the band's bounds and the set's provenance (``chosen``: why this edition)."""
    record = label_record(text, band_set, result.label if result else None, error)
    if explain:
        value = None if result is None or result.value is None else format(result.value, "f")
        gate = None if result is None or result.gate is None else result.gate
        record.update(
            value=value,
            no_score=None if result is None else result.cell,
            banded=None if result is None or result.banded is None else format(result.banded, "f"),
            round=band_set.rounding,
            rounded=None if result is None or result.value is None or band_set.rounding is None else
            format(round_half_up(result.value, band_set.rounding), "f"),
            distance_from=None if band_set.distance_from is None else str(band_set.distance_from),
            gate=None if gate is None else {"table": gate.table, "passed": gate.passed,
                                            "failed": [c.describe() for c, _ in gate.failed]},
            gate_text=None if gate is None else gate.describe(),
            position=None if result is None else result.position,
            bands=len(band_set.bands),
            interval=None if result is None else result.band.interval,
            undetermined=None if result is None else result.undetermined,
            either=None if result is None else list(result.band.either),
            scale=band_set.describe_scale(),
            direction=band_set.direction,
            years=None if band_set.years is None else str(band_set.years),
            chosen=chosen or None,
            origin=band_set.origin,
            publisher=band_set.publisher,
            confidence=band_set.confidence,
            verified=band_set.verified or None,
            unconfirmed=band_set.unconfirmed or None,
            source=band_set.citation,
            url=band_set.url,
            notes=band_set.notes,
        )
    return record


class RecordWriter:
    """Writes result records to a text stream in one of :data:`FORMATS`."""

    def __init__(self, out: TextIO, fmt: str, explain: bool = False):
        self.out, self.fmt, self.explain = out, fmt, explain
        self._table = None if fmt == "text" else TableWriter(out, fmt)

    def write(self, record: dict[str, Any]) -> None:
        """Write one record (with ``explain`` fields when the writer explains)."""
        if self._table is not None:
            self._table.write(record)
        else:
            self._text(record)

    def close(self) -> None:
        """Finish the output (closes the JSON array)."""
        if self._table is not None:
            self._table.close()

    def _text(self, record: dict[str, Any]) -> None:
        label = record["label"] or ""
        if not self.explain or record["label"] is None:
            self.out.write(f"{label}\n")
            return
        origin = "the publisher's own classes" if record["origin"] == "publisher" else "house bands"
        either = f" (undetermined: {' or '.join(record['either'])})" if record["undetermined"] else ""
        chosen = f" ({record['chosen']})" if record["chosen"] else ""
        on = f"on {record['set']} ({record['scale']})"
        lines = [label]
        if record["no_score"] is not None:
            lines.append(_line("value", f'no score was given: the cell "{record["no_score"]}" names this band {on}'))
        else:
            lines.append(_line("value", f"{record['value']} {on}"))
        if record["rounded"] is not None:
            lines.append(_line("rounded", f"{record['rounded']} ({record['round']} decimal places, half up, before "
                                          "banding)"))
        if record["distance_from"] is not None and record["banded"] is not None:
            rounded = record["rounded"] or record["value"]
            lines.append(_line("distance", f"|{record['distance_from']} − {rounded}| = {record['banded']} (banded)"))
        if record["gate_text"]:
            lines.append(_line("gate", record["gate_text"]))
        lines += [
            _line("band", f"{record['position']} of {record['bands']}, {record['interval']}{either}"),
            _line("years", f"{record['years'] or 'not limited'}{chosen}"),
            _line("origin", f"{origin}, {record['publisher']}"),
        ]
        if record["confidence"]:
            lines.append(_line("confidence", record["confidence"]))
        for key in ("verified", "unconfirmed"):
            if record[key]:
                lines.append(_line(key, record[key]))
        lines += [_line("source", record["source"]), _line("url", record["url"])]
        if record["notes"]:
            lines.append(_line("notes", record["notes"]))
        self.out.write("\n".join(lines) + "\n")


#: The width of the field names of an explained label.
_NAMES = 13


def _line(name: str, text: str) -> str:
    """One field of an explained label; continuation lines are indented under the text."""
    return f"  {name.ljust(_NAMES)}" + text.replace("\n", "\n" + " " * (_NAMES + 2))
