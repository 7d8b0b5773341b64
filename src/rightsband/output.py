"""Machine-readable output: classification records and band-set descriptions.

One record per input value, written as text, JSON, JSON Lines or TSV. Nothing
here imports rich or pandas, and json only when a JSON format is asked for.
"""

from __future__ import annotations

from typing import Any, TextIO

from rightsband.model import BandSet, Classification, Group
from rightsband.rules import Rules

FORMATS = ("text", "json", "jsonl", "tsv")


def describe_set(band_set: BandSet, groups: list[Group] | tuple[Group, ...] = ()) -> dict[str, Any]:
    """Everything known about a band set, as plain JSON-ready values (``groups``: those it is an edition in)."""
    scale = band_set.scale
    return {
        "kind": "set",
        "id": band_set.id,
        "aliases": list(band_set.aliases),
        "name": band_set.name,
        "publisher": band_set.publisher,
        "origin": band_set.origin,
        "publisher_classes": None if band_set.publisher_classes is None else list(band_set.publisher_classes),
        "groups": [g.id for g in groups],
        "unit": band_set.unit,
        "published_as": "fraction" if band_set.published_as_fraction else "scale",
        "direction": band_set.direction,
        "scale": {"min": str(scale.min), "max": str(scale.max), "step": None if scale.step is None else str(scale.step)},
        "years": None if band_set.years is None else {"from": band_set.years.first, "to": band_set.years.last},
        "source": {"citation": band_set.citation, "url": band_set.url},
        "notes": band_set.notes,
        "inputs": [{"name": i.name, "set": i.set.id, "take": i.take} for i in band_set.inputs],
        "combine": band_set.combine,
        "bands": [
            {"position": n, "label": b.label, "lower": str(b.lower), "upper": str(b.upper),
             "lower_closed": b.lower_closed, "upper_closed": b.upper_closed, "interval": b.interval,
             "either": list(b.either), "value": None if b.value is None else str(b.value)}
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


def write_set_list(out: TextIO, rules: Rules, fmt: str) -> None:
    """The band sets and then the groups, one per line (text, tsv) or record (json, jsonl); JSON has every field."""
    sets = list(rules)
    if fmt in ("json", "jsonl"):
        import json

        records = [describe_set(s, rules.groups_of(s)) for s in sets] + [describe_group(g) for g in rules.groups]
        if fmt == "json":
            out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        else:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        return
    header = ("id", "aliases", "scale", "direction", "name")
    rows = [header] + [
        (s.id, ",".join(s.aliases), f"{s.scale} {s.unit}" + (" (as 0–1)" if s.published_as_fraction else ""),
         s.direction, s.name)
        for s in sets
    ] + [(g.id, "", "group: " + ", ".join(e.id for e in g.editions), "by year", g.name) for g in rules.groups]
    if fmt == "tsv":
        out.writelines("\t".join(row) + "\n" for row in rows)
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    for row in rows:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] + "\n")


def result_record(text: str, band_set: BandSet, result: Classification | None, explain: bool,
                  error: str | None = None, chosen: str = "") -> dict[str, Any]:
    """One output record: the input as typed, the label (None if missing or bad), and with
    ``explain`` the band's bounds and the set's provenance (``chosen``: why this edition)."""
    record: dict[str, Any] = {"input": text, "set": band_set.id, "label": result.label if result else None,
                              "error": error}
    if explain:
        record.update(
            value=None if result is None else format(result.value, "f"),
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
            source=band_set.citation,
            url=band_set.url,
            notes=band_set.notes,
        )
    return record


class RecordWriter:
    """Writes result records to a text stream in one of :data:`FORMATS`."""

    def __init__(self, out: TextIO, fmt: str, explain: bool = False):
        self.out, self.fmt, self.explain = out, fmt, explain
        self.count = 0
        if fmt in ("json", "jsonl"):
            import json

            self._dumps = lambda record: json.dumps(record, ensure_ascii=False)

    def write(self, record: dict[str, Any]) -> None:
        """Write one record (with ``explain`` fields when the writer explains)."""
        getattr(self, f"_{self.fmt}")(record)
        self.count += 1

    def close(self) -> None:
        """Finish the output (closes the JSON array)."""
        if self.fmt == "json":
            self.out.write("[]\n" if self.count == 0 else "\n]\n")

    def _text(self, record: dict[str, Any]) -> None:
        label = record["label"] or ""
        if not self.explain or record["label"] is None:
            self.out.write(f"{label}\n")
            return
        notes = record["notes"].replace("\n", "\n           ")
        origin = "the publisher's own classes" if record["origin"] == "publisher" else "house bands"
        either = f" (undetermined: {' or '.join(record['either'])})" if record["undetermined"] else ""
        chosen = f" ({record['chosen']})" if record["chosen"] else ""
        self.out.write(
            f"{label}\n"
            f"  value    {record['value']} on {record['set']} ({record['scale']})\n"
            f"  band     {record['position']} of {record['bands']}, {record['interval']}{either}\n"
            f"  years    {record['years'] or 'not limited'}{chosen}\n"
            f"  origin   {origin}, {record['publisher']}\n"
            f"  source   {record['source']}\n"
            f"  url      {record['url']}\n"
            + (f"  notes    {notes}\n" if notes else "")
        )

    def _json(self, record: dict[str, Any]) -> None:
        self.out.write(("[\n" if self.count == 0 else ",\n") + self._dumps(record))

    def _jsonl(self, record: dict[str, Any]) -> None:
        self.out.write(self._dumps(record) + "\n")

    def _tsv(self, record: dict[str, Any]) -> None:
        if self.count == 0:
            self.out.write("\t".join(record) + "\n")
        cells = ("" if v is None else str(v) for v in record.values())
        self.out.write("\t".join(" ".join(c.split()) if ("\t" in c or "\n" in c) else c for c in cells) + "\n")
