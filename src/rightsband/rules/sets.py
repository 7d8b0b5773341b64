"""Read one ``[[set]]`` table into a draft band set, reporting every problem at its line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Context, Decimal
from typing import Any

from rightsband.model import COMBINE_RULES, HIGHER, LOWER, Band, BandSet, Scale, Years
from rightsband.rules import fields
from rightsband.rules.bands_check import check_bands
from rightsband.rules.constructs import read_gate, read_grading, read_kind, read_transforms
from rightsband.rules.drafts import Draft, DraftInput
from rightsband.rules.findings import Finding
from rightsband.rules.positions import Lines, Where

UNITS = ("score", "percent", "rating")
SIDES = ("lower", "upper", "both", "neither")
ORIGINS = ("house", "publisher")
TAKES = ("value", "band")
KEYS = {
    "file": {"schema", "set", "group"},
    "set": {"id", "name", "publisher", "source", "scale", "unit", "direction", "years", "aliases",
            "notes", "published_as", "closed", "band", "inputs", "combine", "origin", "publisher_classes",
            "round", "distance_from", "ties", "ties_reason", "gate", "kind", "assigned", "confidence", "verified",
            "unconfirmed", "topic", "index_name"},
    "source": {"citation", "url"},
    "scale": {"min", "max", "step"},
    "years": {"from", "to"},
    "band": {"label", "lower", "upper", "closed", "either", "value", "aliases", "cells", "table"},
    "inputs": {"name", "set", "take", "scale"},
    "group": {"id", "name", "editions", "notes", "topic"},
}
REQUIRED_SET_KEYS = ("id", "name", "publisher", "source", "scale", "unit", "direction", "band")
#: A label-only set has no score: no scale, unit or direction.
REQUIRED_LABEL_ONLY_KEYS = ("id", "name", "publisher", "source", "band")
#: Exact for any difference or remainder of numbers within fields.NUMBER_RULE (56 digits at most).
_WIDE = Context(prec=100)
#: A line, or where to find it when a finding needs it.
Line = int | Where


class Reporter:
    """Adds findings of one file to a shared list."""

    def __init__(self, path: str, lines: Lines, findings: list[Finding]):
        self.path, self.lines, self.findings = path, lines, findings

    def _report(self, line: Line, message: str, set_id: str | None = None, band: str | None = None,
                severity: str = "error") -> None:
        self.findings.append(Finding(self.path, line if isinstance(line, int) else line(), message, set_id, band,
                                     severity))

    def _check(self, problem: str | None, line: Line, set_id: str | None = None, band: str | None = None) -> None:
        if problem is not None:
            self._report(line, problem, set_id, band)

    def _error_count(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    def _unknown(self, table: dict[str, Any], kind: str, line: Line, set_id: str | None = None,
                 band: str | None = None, locate: Callable[[str], Line] | None = None) -> None:
        """Report keys the schema does not know, at the key's own line where ``locate`` finds it."""
        for key in table:
            if key not in KEYS[kind]:
                allowed = ", ".join(sorted(KEYS[kind]))
                where = locate(key) if locate else line
                self._report(where, f"unknown key {fields.shown(key)} in {kind}; allowed: {allowed}", set_id, band)


class SetReader(Reporter):
    """Reads the ``[[set]]`` tables of one file."""

    def read(self, i: int, table: dict[str, Any]) -> Draft | None:
        """The i-th set as a draft, or None if it has errors (all of them reported)."""
        where = self.lines.set_at(i)
        set_id = table["id"] if isinstance(table.get("id"), str) and table["id"] else f"#{i + 1}"
        before = self._error_count()
        self._unknown_keys(i, table, set_id)
        label_only = table.get("kind") == "label-only"
        for key in REQUIRED_LABEL_ONLY_KEYS if label_only else REQUIRED_SET_KEYS:
            if key not in table:
                self._report(where, f"missing required key {key!r}", set_id)
        if self._error_count() > before:
            return None

        def line(key: str) -> Where:
            return self.lines.set_at(i, key)

        def report(at: Line, message: str) -> None:
            self._report(at, message, set_id)

        read_kind(table, line, report)
        grading = read_grading(table, line, report)
        self._check(fields.name(table["id"], "'id'"), line("id"), set_id)
        for key in ("name", "publisher"):
            self._check(fields.prose(table[key], repr(key)), line(key), set_id)
        inputs: list[DraftInput] = []
        combine: str | None = None
        if label_only:
            unit, direction, side, scale, fraction = "label", "best-first", "both", None, False
        else:
            unit = self._choice(table["unit"], UNITS, line("unit"), set_id, "unit")
            direction = self._choice(table["direction"], (HIGHER, LOWER), line("direction"), set_id, "direction")
            side = self._choice(table.get("closed", "lower"), SIDES, line("closed"), set_id, "closed")
            scale = self._scale(table["scale"], line("scale"), set_id)
            fraction = self._published_as(table.get("published_as", "scale"), unit, scale, line("published_as"),
                                          set_id)
            inputs, combine = self._inputs(table.get("inputs"), table.get("combine"), i, set_id,
                                           gated="gate" in table)
        source = self._source(table["source"], line("source"), set_id)
        years = self._years(table.get("years"), line("years"), set_id)
        aliases = self._aliases(table.get("aliases", []), line("aliases"), set_id)
        notes, topic, index_name = table.get("notes", ""), table.get("topic", ""), table.get("index_name", "")
        self._check(fields.prose(notes, "'notes'", allow_empty=True), line("notes"), set_id)
        for key, text in (("topic", topic), ("index_name", index_name)):
            self._check(fields.prose(text, repr(key), allow_empty=True), line(key), set_id)
        origin = self._choice(table.get("origin", "house"), ORIGINS, line("origin"), set_id, "origin")
        classes = table.get("publisher_classes")
        if classes is not None and (not isinstance(classes, list) or not all(isinstance(c, str) for c in classes)):
            self._report(line("publisher_classes"), "'publisher_classes' must be a list of set ids ([] for none)",
                         set_id)
        elif classes is not None and origin == "publisher":
            self._report(line("publisher_classes"), "'publisher_classes' belongs on house bands, not on "
                         "origin = 'publisher'", set_id)
        constructs: dict[str, Any] = {}
        if scale is not None:
            constructs = read_transforms(table, scale, direction, bool(inputs), "gate" in table, line, report)
        if "gate" in table:
            if "combine" in table:
                report(line("combine"), "a gated set bands one input on the table its gate chooses; remove 'combine'")
            constructs["gate"] = read_gate(table["gate"], [name for name, _, _, _ in inputs], line("gate"),
                                           line("criteria"), report)
        if self._error_count() > before or source is None or (scale is None and not label_only):
            return None
        bands = self._bands(table["band"], i, set_id, scale, side, "gate" in table, constructs.get("distance_from"))
        if bands is None:
            return None
        if scale is None:  # label-only: the bands stand at their positions, best first
            scale = Scale(Decimal(1), Decimal(max(len(bands), 2)), Decimal(1))
        band_set = BandSet(
            id=table["id"], name=table["name"], publisher=table["publisher"], citation=source[0], url=source[1],
            scale=scale, unit=unit, direction=direction, bands=bands, aliases=aliases, years=years,
            notes=fields.reflow(notes), published_as_fraction=fraction, combine=combine, origin=origin,
            publisher_classes=None if classes is None else tuple(classes), topic=topic, index_name=index_name,
            **grading, **constructs,
        )
        check_bands(band_set, lambda j: self.lines.of_band(i, j),
                    lambda at, message, label: self._report(at, message, band_set.id, label))
        for j, band in enumerate(bands):
            if band.cells and inputs:
                self._report(self.lines.band_at(i, j, "cells"), "'cells' name a band in place of one score; a "
                             "composite set reads several", band_set.id, band.label)
        return Draft(band_set, self.path, where, inputs)

    def _unknown_keys(self, i: int, table: dict[str, Any], set_id: str) -> None:
        """Report every key the schema does not know, in the set and each of its tables (bands, inputs,
        source, scale, years), before anything else can stop the reading of the set."""
        self._unknown(table, "set", self.lines.set_at(i), set_id, locate=lambda key: self.lines.of_set(i, key))
        for kind in ("source", "scale", "years"):
            if isinstance(table.get(kind), dict):
                self._unknown(table[kind], kind, self.lines.set_at(i, kind), set_id)
        for item in _tables(table.get("inputs")):
            self._unknown(item, "inputs", self.lines.set_at(i, "inputs"), set_id)
            if isinstance(item.get("scale"), dict):
                self._unknown(item["scale"], "scale", self.lines.set_at(i, "inputs"), set_id)
        for j, band in enumerate(_tables(table.get("band"))):
            text = band.get("label")
            label = text if isinstance(text, str) and text else f"#{j + 1}"
            self._unknown(band, "band", self.lines.band_at(i, j), set_id, label,
                          locate=lambda key, j=j: self.lines.band_at(i, j, key))  # type: ignore[misc]

    def _choice(self, value: Any, choices: Sequence[str], line: Line, set_id: str, key: str,
                band: str | None = None) -> str:
        if not isinstance(value, str) or value not in choices:
            self._report(line, f"{key!r} is {fields.shown(value)}; use one of: {', '.join(choices)}", set_id, band)
        return str(value)

    def _number(self, value: Any, line: Line, set_id: str, what: str, band: str | None = None) -> Decimal | None:
        number, problem = fields.number(value, what)
        self._check(problem, line, set_id, band)
        return number

    def _source(self, value: Any, line: Line, set_id: str) -> tuple[str, str] | None:
        if not isinstance(value, dict):
            self._report(line, "'source' must be a table with citation and url", set_id)
            return None
        citation = value.get("citation")
        citation_problem = fields.prose(citation, "'source.citation'")
        self._check(citation_problem, line, set_id)
        url = value.get("url", "")
        url_problem = fields.name(url, "'source.url'") if url != "" else None
        if not isinstance(url, str):
            self._report(line, "'source.url' must be a string", set_id)
        elif not url:
            self._report(line, "no source.url: add the address where the bands are published", set_id,
                         severity="warning")
        else:
            self._check(url_problem, line, set_id)
        return (str(citation), str(url)) if citation_problem is None and url_problem is None else None

    def _scale(self, value: Any, line: Line, set_id: str) -> Scale | None:
        if not isinstance(value, dict) or "min" not in value or "max" not in value:
            self._report(line, "'scale' must be a table with min and max (and optionally step)", set_id)
            return None
        low = self._number(value["min"], line, set_id, "scale.min")
        high = self._number(value["max"], line, set_id, "scale.max")
        step = self._number(value["step"], line, set_id, "scale.step") if "step" in value else None
        if low is None or high is None or ("step" in value and step is None):
            return None
        if low >= high:
            self._report(line, f"scale.min {low} must be below scale.max {high}", set_id)
            return None
        span = _WIDE.subtract(high, low)
        if step is not None and (step <= 0 or _WIDE.remainder(span, step) != 0):
            self._report(line, f"scale.step {step} must be positive and divide max − min ({span})", set_id)
            return None
        steps = _WIDE.divide_int(span, step) if step is not None else Decimal(0)
        if steps > fields.MAX_STEPS:
            self._report(line, f"scale.step {step} divides max − min into {steps.normalize(_WIDE)} steps, more than "
                         "the 10^9 a scale may have; leave step out for a continuous scale", set_id)
            return None
        return Scale(low, high, step)

    def _years(self, value: Any, line: Line, set_id: str) -> Years | None:
        if value is None:
            return None
        if not isinstance(value, dict) or "from" not in value:
            self._report(line, "'years' must be a table like { from = 2013, to = 2021 } (to is optional)", set_id)
            return None
        first, last = value["from"], value.get("to")
        problem = fields.year(first, "years.from") or (fields.year(last, "years.to") if last is not None else None)
        if problem is None and last is not None and last < first:
            problem = f"years.to {last} must be a year not before years.from {first}"
        self._check(problem, line, set_id)
        return Years(first, last) if problem is None else None

    def _aliases(self, value: Any, line: Line, set_id: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            self._report(line, "'aliases' must be a list of non-empty strings", set_id)
            return ()
        names = {set_id.casefold(): "the set's id"}
        for alias in value:
            problem = fields.name(alias, "alias")
            if problem is None and alias.casefold() in names:
                problem = f'alias "{alias}" repeats {names[alias.casefold()]} (names are case-insensitive)'
            self._check(problem, line, set_id)
            if problem is None:
                names[alias.casefold()] = f'alias "{alias}"'
        return tuple(value)

    def _published_as(self, value: Any, unit: str, scale: Scale | None, line: Line, set_id: str) -> bool:
        if value not in ("scale", "fraction"):
            self._report(line, f"'published_as' is {fields.shown(value)}; use 'fraction' or 'scale'", set_id)
        elif value == "fraction" and (unit != "percent" or scale is None
                                      or (scale.min, scale.max) != (Decimal(0), Decimal(100))):
            self._report(line, "published_as = 'fraction' needs unit = 'percent' and a 0–100 scale", set_id)
        return bool(value == "fraction")

    def _inputs(self, value: Any, combine: Any, i: int, set_id: str,
                gated: bool = False) -> tuple[list[DraftInput], str | None]:
        line = self.lines.set_at(i, "inputs")
        if value is None:
            if combine is not None:
                self._report(self.lines.of_set(i, "combine"), "'combine' needs 'inputs'", set_id)
            return [], None
        ok = isinstance(value, list) and value and all(isinstance(t, dict) for t in value)
        if not ok:
            self._report(line, "'inputs' must be a list like [{ name = \"pr\", set = \"fh-pr\" }, ...]", set_id)
            return [], None
        inputs: list[DraftInput] = []
        for table in value:
            name, ref = table.get("name"), table.get("set")
            if not (isinstance(name, str) and name and bool(isinstance(ref, str) and ref) != ("scale" in table)):
                self._report(line, "each input needs a name and either the set it reads or its own scale "
                             "(scale = { min = 1, max = 10 })", set_id)
                continue
            problem = fields.name(name, "input name")
            self._check(problem, line, set_id)
            take = self._choice(table.get("take", "value"), TAKES, line, set_id, f'take of input "{name}"')
            if "scale" in table:
                own = self._scale(table["scale"], line, set_id)
                if take == "band":
                    self._report(line, f'input "{name}" has its own scale and no bands to take', set_id)
                if own is not None:
                    inputs.append((name, own, take, line))
            else:
                inputs.append((name, ref, take, line))
        if len({n.casefold() for n, _, _, _ in inputs}) < len(inputs):
            self._report(line, "input names must be distinct", set_id)
        if gated:
            return inputs, None
        self._choice(combine, COMBINE_RULES, self.lines.set_at(i, "combine") if combine is not None else line, set_id,
                     "combine")
        return inputs, str(combine)

    # -- bands -----------------------------------------------------------------------------
    def _bands(self, value: Any, i: int, set_id: str, scale: Scale | None, side: str, gated: bool = False,
               centre: Decimal | None = None) -> tuple[Band, ...] | None:
        """The bands; on a label-only set (no scale) labels alone, standing at their positions. A bound
        at either end of the numbers banded (the scale, or for a two-sided set the distances from
        ``centre``) is held."""
        if not isinstance(value, list) or not value or not all(isinstance(t, dict) for t in value):
            self._report(self.lines.of_set(i, "band"), "bands must be [[set.band]] tables", set_id)
            return None
        before = self._error_count()
        bands = []
        ends = (scale.min, scale.max) if scale is not None else (Decimal(0), Decimal(0))
        if scale is not None and centre is not None:
            ends = (Decimal(0), max(abs(_WIDE.subtract(centre, scale.min)), abs(_WIDE.subtract(scale.max, centre))))
        for j, table in enumerate(value):
            text = table.get("label")
            label = text if isinstance(text, str) and text else f"#{j + 1}"
            line = self.lines.band_at(i, j)

            def at(key: str, j: int = j) -> Where:
                return self.lines.band_at(i, j, key)

            if not isinstance(text, str) or not text.strip():
                self._report(at("label"), "every band needs a non-empty label", set_id, label)
            else:
                self._check(fields.name(text, "label"), at("label"), set_id, label)
            names = {key: self._names(table.get(key, []), at(key), set_id, label, key) for key in ("aliases", "cells")}
            band_table = table.get("table", "")
            if gated:
                self._check(fields.name(band_table, "'table'"), at("table" if "table" in table else "label"), set_id,
                            label)
            elif "table" in table:
                self._report(at("table"), "'table' names a band table of a gated set; this set has no gate", set_id,
                             label)
            if scale is None:
                for key in ("lower", "upper", "closed", "either", "value", "cells", "table"):
                    if key in table:
                        self._report(at(key), f"'{key}' does not apply to a band of a label-only set", set_id, label)
                position = Decimal(j + 1)
                bands.append(Band(label=label, lower=position, upper=position, lower_closed=True, upper_closed=True,
                                  aliases=names["aliases"]))
                continue
            missing = [k for k in ("lower", "upper") if k not in table]
            if missing:
                self._report(line, f"missing {' and '.join(missing)} bound", set_id, label)
                continue
            lower = self._number(table["lower"], at("lower"), set_id, "lower", label)
            upper = self._number(table["upper"], at("upper"), set_id, "upper", label)
            band_side = self._choice(table.get("closed", side), SIDES, at("closed"), set_id, "closed", label)
            either = table.get("either", [])
            if not isinstance(either, list) or len(either) == 1 or not all(isinstance(e, str) for e in either):
                self._report(at("either"), "'either' must list two or more labels of other bands", set_id, label)
                either = []
            band_value = self._number(table["value"], at("value"), set_id, "value", label) if "value" in table else None
            if lower is None or upper is None:
                continue
            low, high = ends
            bands.append(Band(
                label=label, lower=lower, upper=upper,
                lower_closed=band_side in ("lower", "both") or lower == low,
                upper_closed=band_side in ("upper", "both") or upper == high,
                either=tuple(either), value=band_value, aliases=names["aliases"], cells=names["cells"],
                table=band_table if isinstance(band_table, str) else "",
            ))
        return tuple(bands) if self._error_count() == before else None

    def _names(self, value: Any, line: Line, set_id: str, label: str, key: str) -> tuple[str, ...]:
        """A band's ``aliases`` or ``cells``: a list of one-line strings."""
        if not isinstance(value, list):
            self._report(line, f"'{key}' must be a list of strings", set_id, label)
            return ()
        for name in value:
            self._check(fields.name(name, "an alias" if key == "aliases" else "a cell"), line, set_id, label)
        return tuple(v for v in value if isinstance(v, str))


def _tables(value: Any) -> list[dict[str, Any]]:
    """The tables of an array of tables (none, if it is something else)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
