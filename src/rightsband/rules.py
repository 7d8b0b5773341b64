"""Load band rules from TOML, check them, and look band sets up by id or alias.

One pass over a rules file both builds the band sets and collects findings
(unknown keys, bounds out of order, overlaps, gaps, ...), each naming the file,
set, band and TOML line, so ``rightsband check`` and loading can never disagree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Union

from rightsband import tomlcache
from rightsband.model import (
    COMBINE_RULES, HIGHER, LOWER, Band, BandSet, Group, Input, Scale, YearError, Years, _Record,
)

SCHEMA = 1
UNITS = ("score", "percent", "rating")
SIDES = ("lower", "upper", "both", "neither")
ORIGINS = ("house", "publisher")
TAKES = ("value", "band")
_KEYS = {
    "file": {"schema", "set", "group"},
    "set": {"id", "name", "publisher", "source", "scale", "unit", "direction", "years", "aliases",
            "notes", "published_as", "closed", "band", "inputs", "combine", "origin", "publisher_classes"},
    "source": {"citation", "url"},
    "scale": {"min", "max", "step"},
    "years": {"from", "to"},
    "band": {"label", "lower", "upper", "closed", "either", "value"},
    "inputs": {"name", "set", "take"},
    "group": {"id", "name", "editions", "notes"},
}
_REQUIRED_SET_KEYS = ("id", "name", "publisher", "source", "scale", "unit", "direction", "band")


PathLike = Union[str, "os.PathLike[str]"]


class Finding(_Record):
    """One problem in a rules file, located as precisely as the file allows."""

    __slots__ = ("file", "line", "message", "set_id", "band", "severity")

    def __init__(self, file: str, line: int | None, message: str, set_id: str | None = None,
                 band: str | None = None, severity: str = "error"):
        self.file, self.line, self.message = file, line, message
        self.set_id, self.band, self.severity = set_id, band, severity

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        subject = f'set "{self.set_id}": ' if self.set_id else ""
        if self.band:
            subject = f'{subject[:-2]}, band "{self.band}": ' if subject else f'band "{self.band}": '
        return f"{where}: {self.severity}: {subject}{self.message}"


class RulesError(Exception):
    """A rules file that cannot be used; ``findings`` lists every error found."""

    def __init__(self, findings: Sequence[Finding]):
        self.findings = tuple(findings)
        super().__init__("\n".join(str(f) for f in self.findings))


class UnknownSetError(LookupError):
    """No band set has this id or alias; ``suggestions`` are the close ones."""

    def __init__(self, name: str, ids: Sequence[str], names: Sequence[str]):
        import difflib

        self.name = name
        self.ids = tuple(ids)
        self.suggestions = tuple(difflib.get_close_matches(name.casefold(), names, n=3))
        hint = f"; did you mean {' or '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else "."
        super().__init__(f"unknown band set {name!r}{hint} Known sets: {', '.join(self.ids)}")

    def __str__(self) -> str:
        return str(self.args[0])


class Rules:
    """The band sets in force, looked up case-insensitively by id or alias, and the groups of
    editions among which a year chooses."""

    def __init__(self, sets: Sequence[BandSet], groups: Sequence[Group] = ()):
        self.sets = tuple(sets)
        self.groups = tuple(groups)
        self._by_name = {name.casefold(): s for s in self.sets for name in s.names}
        self._groups = {g.id.casefold(): g for g in self.groups}

    def get(self, name: str) -> BandSet:
        """The band set with this id or alias; raises UnknownSetError with suggestions, and
        YearError for a group (which needs a year to pick an edition)."""
        try:
            return self._by_name[name.casefold()]
        except KeyError:
            group = self._groups.get(name.casefold())
            if group is not None:
                raise YearError(f"{group.id} has editions by year: {group.describe_editions()}; give --year or "
                                "--year-column, or name an edition") from None
            names = sorted([*self._by_name, *self._groups])
            raise UnknownSetError(name, [s.id for s in self.sets] + [g.id for g in self.groups], names) from None

    def group(self, name: str) -> Group | None:
        """The group of editions with this id, if there is one."""
        return self._groups.get(name.casefold())

    def groups_of(self, band_set: BandSet) -> list[Group]:
        """The groups that have this set as an edition."""
        return [g for g in self.groups if band_set in g.editions]

    def for_year(self, name: str, year: int) -> BandSet:
        """The band set that ``name`` (a set or a group) stands for in ``year``.

        A set that covers the year (or declares no years) is itself; otherwise the
        one edition covering the year in the groups it belongs to. Anything else is a
        YearError that names what does apply, never a guess.
        """
        group = self.group(name)
        if group is None:
            band_set = self.get(name)
            if band_set.years is None or band_set.years.covers(year):
                return band_set
            subject, groups = f"{band_set.id} covers {band_set.years}, not {year}", self.groups_of(band_set)
        else:
            subject, groups = f"{group.id} has no edition for {year} (its editions: {group.describe_editions()})", [group]
            band_set = group.editions[0]
        editions = list(dict.fromkeys(e for g in groups for e in g.editions if e.years.covers(year)))  # type: ignore[union-attr]
        if len(editions) == 1:
            return editions[0]
        if editions:
            which = "; ".join(f"{e.id}: {e.name}" for e in editions)
            raise YearError(f"{subject}, and {len(editions)} editions do; name the one your data are on: {which}")
        others = [s for s in self.sets if s.publisher == band_set.publisher and len(s.inputs) == len(band_set.inputs)
                  and s.years is not None and s.years.covers(year)]
        hint = ("; for " + str(year) + " use " + " or ".join(f"{s.id} ({s.name})" for s in others)) if others else \
            f"; no band set here covers {year} for {band_set.publisher}"
        raise YearError(subject + hint)

    def __iter__(self) -> Iterator[BandSet]:
        return iter(self.sets)

    def __len__(self) -> int:
        return len(self.sets)


def builtin_path() -> str:
    """The shipped ``bands.toml``: inside the installed package, or at the repo root in a checkout."""
    here = os.path.dirname(os.path.abspath(__file__))
    packaged = os.path.join(here, "bands.toml")
    return packaged if os.path.isfile(packaged) else os.path.normpath(os.path.join(here, os.pardir, os.pardir, "bands.toml"))


def load_rules(path: PathLike | None = None, *, builtins: bool = True) -> Rules:
    """The built-in band sets plus, if given, those of the rules file at ``path``.

    A user set whose id equals a built-in id replaces that built-in set. Raises
    RulesError if either file has an error (warnings do not stop loading).
    """
    sets, groups, findings = _gather(path, builtins)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise RulesError(errors)
    return Rules(sets, groups)


def check_rules(path: PathLike | None = None, *, builtins: bool = True) -> list[Finding]:
    """Every finding for the rules as they would load (the built-ins alone when ``path`` is None)."""
    return _gather(path, builtins)[2]


def _gather(path: PathLike | None, builtins: bool) -> tuple[list[BandSet], list[Group], list[Finding]]:
    files = ([builtin_path()] if builtins or path is None else []) + ([os.fspath(path)] if path is not None else [])
    merged: dict[str, _Draft] = {}
    merged_groups: dict[str, _GroupDraft] = {}
    findings: list[Finding] = []
    for file in files:
        drafts, group_drafts, file_findings = _FileReader(file).read()
        findings += file_findings
        for draft in drafts:
            merged[draft.set.id.casefold()] = draft  # a later file replaces an earlier set with the same id
        for group in group_drafts:
            merged_groups[group.id.casefold()] = group
    drafts = list(merged.values())
    findings += _check_names(drafts, list(merged_groups.values()))
    sets, input_findings = _resolve_inputs(drafts)
    groups, group_findings = _resolve_groups(list(merged_groups.values()), sets)
    return sets, groups, findings + input_findings + group_findings + _check_publisher_classes(drafts, sets)


class _Draft:
    """A band set as read from one file, with where it stands and its unresolved inputs."""

    __slots__ = ("set", "file", "line", "inputs")

    def __init__(self, band_set: BandSet, file: str, line: int | None, inputs: list[tuple[str, str, str, int | None]]):
        self.set, self.file, self.line, self.inputs = band_set, file, line, inputs  # inputs: (name, set, take, line)


class _GroupDraft:
    """A ``[[group]]`` as read from one file: its editions still as ids."""

    __slots__ = ("id", "name", "editions", "notes", "file", "line")

    def __init__(self, id: str, name: str, editions: list[str], notes: str, file: str, line: int | None):
        self.id, self.name, self.editions, self.notes, self.file, self.line = id, name, editions, notes, file, line


class _Lines:
    """Where ``[[set]]``/``[[set.band]]`` tables and keys stand (tomllib reports no positions)."""

    _LINE = re.compile(r"^[ \t]*(?:(\[\[[ \t]*set[ \t]*(?:\.[ \t]*band[ \t]*)?\]\])|(\[\[[ \t]*group[ \t]*\]\])"
                       r"|\[[ \t]*set[ \t]*\.[ \t]*([\w-]+)[ \t]*\]|([\w-]+)[ \t]*=)", re.M)

    def __init__(self, text: str):
        self.count = text.count("\n") + 1
        self.groups: list[int] = []
        self.sets: list[int] = []
        self.bands: list[list[int]] = []
        self.keys: dict[str, list[int]] = {}
        number, seen = 1, 0
        for match in self._LINE.finditer(text):  # one scan of the text, counting lines as it goes
            number += text.count("\n", seen, match.start())
            seen = match.start()
            header, group, table, key = match.groups()
            if header and "band" in header:
                if self.bands:
                    self.bands[-1].append(number)
            elif header:
                self.sets.append(number)
                self.bands.append([])
            elif group:
                self.groups.append(number)
            else:
                self.keys.setdefault(table or key, []).append(number)

    def of_set(self, i: int, key: str | None = None) -> int | None:
        if i >= len(self.sets):
            return None
        end = self.bands[i][0] if self.bands[i] else self._end(i)
        return (self._find(key, self.sets[i], end) if key else None) or self.sets[i]

    def of_band(self, i: int, j: int, key: str | None = None) -> int | None:
        if i >= len(self.bands) or j >= len(self.bands[i]):
            return self.of_set(i)
        start = self.bands[i][j]
        end = self.bands[i][j + 1] if j + 1 < len(self.bands[i]) else self._end(i)
        return (self._find(key, start, end) if key else None) or start

    def _end(self, i: int) -> int:
        return self.sets[i + 1] if i + 1 < len(self.sets) else self.count + 1

    def _find(self, key: str, start: int, end: int) -> int | None:
        return next((n for n in self.keys.get(key, ()) if start <= n < end), None)


class _FileReader:
    """Reads one rules file into drafts and findings."""

    def __init__(self, path: str):
        self.path = path
        self.findings: list[Finding] = []
        self.lines = _Lines("")

    def read(self) -> tuple[list[_Draft], list[_GroupDraft], list[Finding]]:
        try:
            with open(self.path, encoding="utf-8") as file:
                text = file.read()
        except (OSError, UnicodeDecodeError) as error:
            return [], [], [Finding(self.path, None, f"cannot read the rules file: {error}")]
        self.lines = _Lines(text)
        try:
            data = tomlcache.parse(self.path, text)
        except ValueError as error:  # tomllib.TOMLDecodeError
            match = re.search(r"line (\d+)", str(error))
            return [], [], [Finding(self.path, int(match.group(1)) if match else None, f"not valid TOML: {error}")]
        self._unknown(data, "file", None)
        if data.get("schema", SCHEMA) != SCHEMA:
            self._report(None, f"schema {data['schema']!r} is not supported; this rightsband reads schema {SCHEMA}")
        tables = data.get("set", [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            self._report(None, "`set` must be an array of tables: write each band set as [[set]]")
            return [], [], self.findings
        if not tables:
            self._report(None, "no band sets: add at least one [[set]] table")
        drafts = [d for i, table in enumerate(tables) if (d := self._read_set(i, table))]
        seen: dict[str, _Draft] = {}
        for draft in drafts:
            key = draft.set.id.casefold()
            if key in seen:
                self._report(draft.line, f"duplicate id; the first is at line {seen[key].line}", draft.set.id)
            seen[key] = draft
        return list(seen.values()), self._groups(data.get("group", [])), self.findings

    def _groups(self, tables: Any) -> list[_GroupDraft]:
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            self._report(None, "`group` must be an array of tables: write each group as [[group]]")
            return []
        groups = []
        for i, table in enumerate(tables):
            line = self.lines.groups[i] if i < len(self.lines.groups) else None
            group_id = table.get("id") if isinstance(table.get("id"), str) and table["id"] else f"group #{i + 1}"
            before = self._error_count()
            self._unknown(table, "group", line, group_id)
            texts = {k: self._text(table.get(k), line, group_id, k) for k in ("id", "name")}
            notes = self._text(table.get("notes", ""), line, group_id, "notes", allow_empty=True)
            editions = table.get("editions")
            if not isinstance(editions, list) or len(editions) < 2 or not all(isinstance(e, str) for e in editions):
                self._report(line, "'editions' must list the ids of two or more band sets", group_id)
            if self._error_count() == before:
                groups.append(_GroupDraft(texts["id"], texts["name"], editions, _reflow(notes), self.path, line))
        return groups

    # -- findings --------------------------------------------------------------------------
    def _report(self, line: int | None, message: str, set_id: str | None = None, band: str | None = None,
               severity: str = "error") -> None:
        self.findings.append(Finding(self.path, line, message, set_id, band, severity))

    def _error_count(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    def _unknown(self, table: dict[str, Any], kind: str, line: int | None, set_id: str | None = None,
                 band: str | None = None, locate: Callable[[str], int | None] | None = None) -> None:
        """Report keys the schema does not know, at the key's own line where ``locate`` finds it."""
        for key in table:
            if key not in _KEYS[kind]:
                allowed = ", ".join(sorted(_KEYS[kind]))
                where = locate(key) if locate else line
                self._report(where, f"unknown key {key!r} in {kind}; allowed: {allowed}", set_id, band)

    # -- one band set ----------------------------------------------------------------------
    def _read_set(self, i: int, table: dict[str, Any]) -> _Draft | None:
        where = self.lines.of_set(i)
        set_id = table.get("id") if isinstance(table.get("id"), str) and table["id"] else f"#{i + 1}"
        before = self._error_count()
        self._unknown(table, "set", where, set_id, locate=lambda key: self.lines.of_set(i, key))
        for key in _REQUIRED_SET_KEYS:
            if key not in table:
                self._report(where, f"missing required key {key!r}", set_id)
        if self._error_count() > before:
            return None

        def line(key: str) -> int | None:
            return self.lines.of_set(i, key)

        texts = {k: self._text(table[k], line(k), set_id, k) for k in ("id", "name", "publisher")}
        unit = self._choice(table["unit"], UNITS, line("unit"), set_id, "unit")
        direction = self._choice(table["direction"], (HIGHER, LOWER), line("direction"), set_id, "direction")
        side = self._choice(table.get("closed", "lower"), SIDES, line("closed"), set_id, "closed")
        source = self._source(table["source"], line("source"), set_id)
        scale = self._scale(table["scale"], line("scale"), set_id)
        years = self._years(table.get("years"), line("years"), set_id)
        aliases = self._aliases(table.get("aliases", []), line("aliases"), set_id)
        notes = self._text(table.get("notes", ""), line("notes"), set_id, "notes", allow_empty=True)
        fraction = self._published_as(table.get("published_as", "scale"), unit, scale, line("published_as"), set_id)
        inputs, combine = self._inputs(table.get("inputs"), table.get("combine"), i, set_id)
        origin = self._choice(table.get("origin", "house"), ORIGINS, line("origin"), set_id, "origin")
        classes = table.get("publisher_classes")
        if classes is not None and (not isinstance(classes, list) or not all(isinstance(c, str) for c in classes)):
            self._report(line("publisher_classes"), "'publisher_classes' must be a list of set ids ([] for none)",
                         set_id)
        elif classes is not None and origin == "publisher":
            self._report(line("publisher_classes"), "'publisher_classes' belongs on house bands, not on "
                         "origin = 'publisher'", set_id)
        if self._error_count() > before or scale is None or source is None:
            return None
        bands = self._bands(table["band"], i, set_id, scale, side)
        if bands is None:
            return None
        band_set = BandSet(
            id=texts["id"], name=texts["name"], publisher=texts["publisher"], citation=source[0], url=source[1],
            scale=scale, unit=unit, direction=direction, bands=bands, aliases=aliases, years=years,
            notes=_reflow(notes), published_as_fraction=fraction, combine=combine, origin=origin,
            publisher_classes=None if classes is None else tuple(classes),
        )
        self._check_bands(band_set, i)
        return _Draft(band_set, self.path, where, inputs)

    def _text(self, value: Any, line: int | None, set_id: str, key: str, allow_empty: bool = False) -> str:
        if not isinstance(value, str) or not (value.strip() or allow_empty):
            self._report(line, f"{key!r} must be a non-empty string", set_id)
            return ""
        return value

    def _choice(self, value: Any, choices: Sequence[str], line: int | None, set_id: str, key: str) -> str:
        if value not in choices:
            self._report(line, f"{key!r} is {value!r}; use one of: {', '.join(choices)}", set_id)
        return str(value)

    def _number(self, value: Any, line: int | None, set_id: str, what: str, band: str | None = None) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or not Decimal(value).is_finite():
            self._report(line, f"{what} must be a finite number, not {value!r}", set_id, band)
            return None
        return Decimal(value)

    def _source(self, value: Any, line: int | None, set_id: str) -> tuple[str, str] | None:
        if not isinstance(value, dict):
            self._report(line, "'source' must be a table with citation and url", set_id)
            return None
        self._unknown(value, "source", line, set_id)
        citation = self._text(value.get("citation"), line, set_id, "source.citation")
        url = value.get("url", "")
        if not isinstance(url, str):
            self._report(line, "'source.url' must be a string", set_id)
        elif not url:
            self._report(line, "no source.url: add the address where the bands are published", set_id,
                         severity="warning")
        return (citation, url) if citation and isinstance(url, str) else None

    def _scale(self, value: Any, line: int | None, set_id: str) -> Scale | None:
        if not isinstance(value, dict) or "min" not in value or "max" not in value:
            self._report(line, "'scale' must be a table with min and max (and optionally step)", set_id)
            return None
        self._unknown(value, "scale", line, set_id)
        low = self._number(value["min"], line, set_id, "scale.min")
        high = self._number(value["max"], line, set_id, "scale.max")
        step = self._number(value["step"], line, set_id, "scale.step") if "step" in value else None
        if low is None or high is None or ("step" in value and step is None):
            return None
        if low >= high:
            self._report(line, f"scale.min {low} must be below scale.max {high}", set_id)
            return None
        if step is not None and (step <= 0 or (high - low) % step != 0):
            self._report(line, f"scale.step {step} must be positive and divide max − min ({high - low})", set_id)
            return None
        return Scale(low, high, step)

    def _years(self, value: Any, line: int | None, set_id: str) -> Years | None:
        if value is None:
            return None
        if not isinstance(value, dict) or not isinstance(value.get("from"), int):
            self._report(line, "'years' must be a table like { from = 2013, to = 2021 } (to is optional)", set_id)
            return None
        self._unknown(value, "years", line, set_id)
        last = value.get("to")
        if last is not None and (not isinstance(last, int) or last < value["from"]):
            self._report(line, f"years.to {last!r} must be a year not before years.from {value['from']}", set_id)
            return None
        return Years(value["from"], last)

    def _aliases(self, value: Any, line: int | None, set_id: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(a, str) and a for a in value):
            self._report(line, "'aliases' must be a list of non-empty strings", set_id)
            return ()
        return tuple(value)

    def _published_as(self, value: Any, unit: str, scale: Scale | None, line: int | None, set_id: str) -> bool:
        if value not in ("scale", "fraction"):
            self._report(line, f"'published_as' is {value!r}; use 'fraction' or 'scale'", set_id)
        elif value == "fraction" and (unit != "percent" or scale is None or (scale.min, scale.max) != (0, 100)):
            self._report(line, "published_as = 'fraction' needs unit = 'percent' and a 0–100 scale", set_id)
        return value == "fraction"

    def _inputs(self, value: Any, combine: Any, i: int,
                set_id: str) -> tuple[list[tuple[str, str, str, int | None]], str | None]:
        line = self.lines.of_set(i, "inputs")
        if value is None:
            if combine is not None:
                self._report(self.lines.of_set(i, "combine"), "'combine' needs 'inputs'", set_id)
            return [], None
        ok = isinstance(value, list) and value and all(isinstance(t, dict) for t in value)
        if not ok:
            self._report(line, "'inputs' must be a list like [{ name = \"pr\", set = \"fh-pr\" }, ...]", set_id)
            return [], None
        inputs = []
        for table in value:
            self._unknown(table, "inputs", line, set_id)
            name, ref = table.get("name"), table.get("set")
            if not (isinstance(name, str) and name and isinstance(ref, str) and ref):
                self._report(line, "each input needs a name and the set it reads", set_id)
                continue
            take = self._choice(table.get("take", "value"), TAKES, line, set_id, f'take of input "{name}"')
            inputs.append((name, ref, take, line))
        if len({n for n, _, _, _ in inputs}) < len(inputs):
            self._report(line, "input names must be distinct", set_id)
        self._choice(combine, COMBINE_RULES, self.lines.of_set(i, "combine"), set_id, "combine")
        return inputs, str(combine)

    # -- bands -----------------------------------------------------------------------------
    def _bands(self, value: Any, i: int, set_id: str, scale: Scale, side: str) -> tuple[Band, ...] | None:
        if not isinstance(value, list) or not value or not all(isinstance(t, dict) for t in value):
            self._report(self.lines.of_set(i, "band"), "bands must be [[set.band]] tables", set_id)
            return None
        before = self._error_count()
        bands = []
        for j, table in enumerate(value):
            label = table.get("label") if isinstance(table.get("label"), str) else f"#{j + 1}"
            line = self.lines.of_band(i, j)
            self._unknown(table, "band", line, set_id, label, locate=lambda key: self.lines.of_band(i, j, key))
            if not isinstance(table.get("label"), str) or not table["label"].strip():
                self._report(line, "every band needs a non-empty label", set_id, label)
            missing = [k for k in ("lower", "upper") if k not in table]
            if missing:
                self._report(line, f"missing {' and '.join(missing)} bound", set_id, label)
                continue
            lower = self._number(table["lower"], self.lines.of_band(i, j, "lower"), set_id, "lower", label)
            upper = self._number(table["upper"], self.lines.of_band(i, j, "upper"), set_id, "upper", label)
            band_side = self._choice(table.get("closed", side), SIDES, self.lines.of_band(i, j, "closed"), set_id,
                                     f'closed of band "{label}"')
            either = table.get("either", [])
            if not isinstance(either, list) or len(either) == 1 or not all(isinstance(e, str) for e in either):
                self._report(line, "'either' must list two or more labels of other bands", set_id, label)
                either = []
            band_value = None
            if "value" in table:
                band_value = self._number(table["value"], self.lines.of_band(i, j, "value"), set_id, "value", label)
            if lower is None or upper is None:
                continue
            bands.append(Band(
                label=label, lower=lower, upper=upper,
                lower_closed=band_side in ("lower", "both") or lower == scale.min,
                upper_closed=band_side in ("upper", "both") or upper == scale.max,
                either=tuple(either), value=band_value,
            ))
        return tuple(bands) if self._error_count() == before else None

    def _check_bands(self, band_set: BandSet, i: int) -> None:
        """Bounds in order, inside the scale, best band first, no duplicates, overlaps or gaps."""
        scale, sid = band_set.scale, band_set.id
        lines = {id(b): self.lines.of_band(i, j) for j, b in enumerate(band_set.bands)}
        labels: dict[str, Band] = {}
        misplaced = False  # a band out of order or off the scale makes the order and cover checks meaningless
        for band in band_set.bands:
            line = lines[id(band)]
            if band.label.casefold() in labels:
                self._report(line, f"duplicate label; also at line {lines[id(labels[band.label.casefold()])]}",
                             sid, band.label)
            labels.setdefault(band.label.casefold(), band)
            if band.lower > band.upper:
                problem = f"bounds out of order: lower {band.lower} is above upper {band.upper}"
            elif band.lower < scale.min or band.upper > scale.max:
                problem = f"{band.interval} reaches outside the scale {scale}"
            elif not scale.has_value_in(band):
                problem = f"{band.interval} holds no value of the scale {scale}"
            else:
                continue
            self._report(line, problem, sid, band.label)
            misplaced = True
        for band in band_set.bands:
            unknown = [e for e in band.either if e.casefold() not in labels or e.casefold() == band.label.casefold()]
            if unknown:
                self._report(lines[id(band)], f"'either' names {unknown[0]!r}, which is not another band's label",
                             sid, band.label)
        if misplaced:
            return
        self._check_order(band_set, lines)
        self._check_cover(band_set, lines)

    def _check_order(self, band_set: BandSet, lines: dict[int, int | None]) -> None:
        better_is_lower = band_set.direction == LOWER
        for prev, band in zip(band_set.bands, band_set.bands[1:]):
            if (band.lower <= prev.lower) if better_is_lower else (band.lower >= prev.lower):
                self._report(lines[id(band)],
                             f"bounds out of order: {band.interval} is listed after {prev.interval}; "
                            f"list bands best first ({band_set.best} is best)", band_set.id, band.label)
                return

    def _check_cover(self, band_set: BandSet, lines: dict[int, int | None]) -> None:
        """Sweep the bands from the bottom of the scale: report overlaps and uncovered values."""
        scale, sid = band_set.scale, band_set.id
        reach: Band | None = None  # the band that reaches highest so far
        for band in sorted(band_set.bands, key=lambda b: (b.lower, not b.lower_closed)):
            line = lines[id(band)]
            start, start_closed = (scale.min, True) if reach is None else (reach.upper, not reach.upper_closed)
            gap = Band("", start, band.lower, start_closed, not band.lower_closed)
            if scale.has_value_in(gap):
                self._report(line, f"gap: values in {gap.interval} fall in no band", sid, band.label)
            if reach is not None:
                shared = _intersection(reach, band)
                if scale.has_value_in(shared):
                    self._report(line, f'overlaps band "{reach.label}" on {shared.interval}', sid, band.label)
            if reach is None or band.upper > reach.upper or (band.upper == reach.upper and band.upper_closed):
                reach = band
        top = None if reach is None else Band("", reach.upper, scale.max, not reach.upper_closed, True)
        if top is not None and scale.has_value_in(top):
            self._report(lines[id(reach)], f"gap: values in {top.interval} fall in no band", sid, reach.label)


def _intersection(a: Band, b: Band) -> Band:
    """The interval two bands share (possibly empty), with the tighter side at each end."""
    lower, upper = max(a.lower, b.lower), min(a.upper, b.upper)
    return Band("", lower, upper,
                all(x.lower_closed for x in (a, b) if x.lower == lower),
                all(x.upper_closed for x in (a, b) if x.upper == upper))


def _reflow(text: str) -> str:
    """Prose as written in TOML, with line breaks inside a paragraph undone (blank lines kept)."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _check_names(drafts: Sequence[_Draft], groups: Sequence[_GroupDraft]) -> list[Finding]:
    """Ids and aliases must name one set (or group) each across all loaded files."""
    owner: dict[str, _Draft] = {}
    findings = []
    for draft in drafts:
        for name in draft.set.names:
            other = owner.setdefault(name.casefold(), draft)
            if other is not draft:
                findings.append(Finding(draft.file, draft.line,
                                        f'name "{name}" is already the id or an alias of set "{other.set.id}" '
                                        f"({other.file}:{other.line}); rename it, or give your set the id "
                                        f'"{other.set.id}" to replace that set', draft.set.id))
    for group in groups:
        if group.id.casefold() in owner:
            findings.append(Finding(group.file, group.line, f'group id "{group.id}" is already the id or an alias '
                                    "of a band set; rename the group", group.id))
    return findings


def _resolve_inputs(drafts: Sequence[_Draft]) -> tuple[list[BandSet], list[Finding]]:
    """Point each composite input at its band set; inputs must be existing, non-composite sets."""
    by_name = {name.casefold(): d for d in drafts for name in d.set.names}
    sets, findings = [], []
    for draft in drafts:
        inputs = []
        for name, ref, take, line in draft.inputs:
            target = by_name.get(ref.casefold())
            if target is None:
                findings.append(Finding(draft.file, line, f'input "{name}" reads set "{ref}", which does not exist',
                                        draft.set.id))
            elif target.inputs:
                findings.append(Finding(draft.file, line,
                                        f'input "{name}" reads set "{ref}", which is itself composite',
                                        draft.set.id))
            elif take == "band" and any(b.value is None for b in target.set.bands):
                findings.append(Finding(draft.file, line, f'input "{name}" takes the band of set "{ref}", but not '
                                        "every band there has a value", draft.set.id))
            else:
                inputs.append(Input(name, target.set, take))
        sets.append(draft.set.with_inputs(tuple(inputs)) if inputs else draft.set)
    return sets, findings


def _resolve_groups(drafts: Sequence[_GroupDraft], sets: Sequence[BandSet]) -> tuple[list[Group], list[Finding]]:
    """Point each group at its editions: existing sets with years that do not overlap, read alike."""
    by_name = {name.casefold(): s for s in sets for name in s.names}
    groups, findings = [], []
    for draft in drafts:
        before = len(findings)

        def report(message: str) -> None:
            findings.append(Finding(draft.file, draft.line, message, draft.id))

        editions = []
        for ref in draft.editions:
            edition = by_name.get(ref.casefold())
            if edition is None:
                report(f'edition "{ref}" is not a band set')
            elif edition.years is None:
                report(f'edition "{ref}" declares no years; give it years = {{ from = ..., to = ... }}')
            else:
                editions.append(edition)
        for n, a in enumerate(editions):
            for b in editions[n + 1:]:
                if a.years.overlaps(b.years):  # type: ignore[union-attr]
                    report(f"editions {a.id} ({a.years}) and {b.id} ({b.years}) overlap; a year must pick one")
        if len({len(e.inputs) for e in editions}) > 1:
            report("editions must all read the same inputs (all single values, or the same composite inputs)")
        if len(findings) == before:
            ordered = tuple(sorted(editions, key=lambda e: e.years.first))  # type: ignore[union-attr]
            groups.append(Group(draft.id, draft.name, ordered, draft.notes))
    return groups, findings


def _check_publisher_classes(drafts: Sequence[_Draft], sets: Sequence[BandSet]) -> list[Finding]:
    """``publisher_classes`` must name sets of the publisher's own classes."""
    origin = {name.casefold(): s.origin for s in sets for name in s.names}
    findings = []
    for draft in drafts:
        for ref in draft.set.publisher_classes or ():
            if origin.get(ref.casefold()) != "publisher":
                findings.append(Finding(draft.file, draft.line, f'publisher_classes names "{ref}", which is not a '
                                        "band set with origin = 'publisher'", draft.set.id))
    return findings
