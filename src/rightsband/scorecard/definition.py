"""What a scorecard shows: titled sections of lines, each line a mapping of data columns to an index.

A definition comes from ``--column COLS=INDEX[:TITLE]`` options (one untitled section) or
from a card file (TOML, :func:`read_card`)::

    title = "Human rights scorecard"
    subtitle = "..."                 # optional
    country_column = "country"       # optional (default: found from the header)
    year_column = "year"             # optional (default: found from the header)

    [[section]]
    title = "Respect for Civil Liberties"

    [[section.line]]
    title = "Freedom of speech and press (RSF World Press Freedom Index)"
    column = "rsf_score"             # or columns = ["pr", "cl"] for a composite set
    index = "rsf"                    # a set, alias or group
    rank = "rsf_rank"                # optional: the column of the published rank
    rank_of = 180                    # optional: how many were ranked, a number or a column
    published = "rsf_printed"        # optional: the column of a label as printed, compared with the band
    note = "..."                     # optional

:func:`check_card` reports every problem of a card file with its line, as ``rightsband check``
does for rules files.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from typing import Any

from rightsband.rules import Rules, UnknownSetError
from rightsband.rules.findings import Finding

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["CardDefinition", "CardError", "LineSpec", "OriginColumns", "Section", "SpecError", "check_card",
           "from_specs", "read_card"]

_TOP_KEYS = {"title", "subtitle", "country_column", "year_column", "section"}
_SECTION_KEYS = {"title", "line"}
_LINE_KEYS = {"title", "column", "columns", "index", "rank", "rank_of", "published", "note"}


@dataclasses.dataclass(frozen=True)
class OriginColumns:
    """For a line drawn from publishers' files (not from a card file): the panel's measure, the columns
    of the card's records that hold the line's own year, edition and place, and what the year means."""

    measure: str
    year: str
    edition: str
    place: str
    period: str


@dataclasses.dataclass(frozen=True)
class LineSpec:
    """One line of a card: its title, the columns read (one, or a composite set's inputs in order), the
    INDEX (set, alias or group), and the optional rank, number ranked, printed label and note."""

    title: str
    columns: tuple[str, ...]
    index: str
    rank: str | None = None
    rank_of: str | int | None = None
    published: str | None = None
    note: str = ""
    origin: OriginColumns | None = None

    @property
    def needed(self) -> tuple[str, ...]:
        """Every data column this line reads."""
        extra = (self.rank, self.rank_of if isinstance(self.rank_of, str) else None, self.published)
        return (*self.columns, *(c for c in extra if c))


@dataclasses.dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[LineSpec, ...]


@dataclasses.dataclass(frozen=True)
class CardDefinition:
    """A card's title, sections and where the country and year are (None: found from the header)."""

    title: str
    sections: tuple[Section, ...]
    subtitle: str = ""
    country_column: str | None = None
    year_column: str | None = None

    @property
    def lines(self) -> tuple[LineSpec, ...]:
        return tuple(line for section in self.sections for line in section.lines)


class SpecError(ValueError):
    """A ``--column`` or ``--rank`` option that cannot be read; ``option`` names which."""

    def __init__(self, message: str, option: str):
        super().__init__(message)
        self.option = option


class CardError(ValueError):
    """A card definition that cannot be used: ``findings`` are its problems, each with its line."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(map(str, findings)))


def from_specs(specs: tuple[str, ...], ranks: tuple[str, ...], rules: Rules, title: str) -> CardDefinition:
    """A one-section card from ``COLS=INDEX[:TITLE]`` options and ``SCORECOL=RANKCOL`` rank options."""
    lines = []
    for spec in specs:
        cols, sep, rest = spec.rpartition("=")
        index, _, line_title = rest.partition(":")
        if not sep or not cols or not index:
            raise SpecError(f'"{spec}" is not COLS=INDEX[:TITLE], e.g. "rsf_score=rsf:Press freedom"', "--column")
        columns = tuple(cols.split(","))
        problem = _index_problem(index, columns, rules)
        if problem:
            raise SpecError(problem, "--column")
        lines.append(LineSpec(line_title or _default_title(index, rules), columns, index))
    for rank in ranks:
        score, sep, column = rank.partition("=")
        found = [n for n, line in enumerate(lines) if line.columns[0] == score]
        if not sep or not column or not found:
            raise SpecError(f'"{rank}" is not SCORECOL=RANKCOL with SCORECOL a mapped --column, e.g. '
                             f'"{lines[0].columns[0] if lines else "score"}=rank"', "--rank")
        lines[found[0]] = dataclasses.replace(lines[found[0]], rank=column)
    return CardDefinition(title, (Section("", tuple(lines)),))


def _default_title(index: str, rules: Rules) -> str:
    group = rules.group(index)
    return group.name if group else rules.get(index).name


def _index_problem(index: str, columns: tuple[str, ...], rules: Rules) -> str | None:
    """Why INDEX cannot read these columns (unknown, or the wrong number of inputs), or None."""
    try:
        group = rules.group(index)
        band_set = group.editions[0] if group else rules.get(index)
    except UnknownSetError as error:
        return str(error)
    wanted = max(len(band_set.inputs), 1)
    if len(columns) != wanted:
        example = ",".join(i.name.upper() for i in band_set.inputs) if band_set.inputs else "SCORE"
        return (f"{index} reads {wanted} column(s) ({band_set.input_names() if band_set.inputs else 'a score'}), "
                f'not {len(columns)}: e.g. "{example}"')
    return None


def read_card(path: str, rules: Rules) -> CardDefinition:
    """The card file at ``path``; a CardError lists every problem (as :func:`check_card` does)."""
    definition, findings = _read(path, rules)
    if definition is None or any(f.severity == "error" for f in findings):
        raise CardError([f for f in findings if f.severity == "error"])
    return definition


def check_card(path: str, rules: Rules) -> list[Finding]:
    """Every problem of the card file at ``path``, each with its line."""
    return _read(path, rules)[1]


def _read(path: str, rules: Rules) -> tuple[CardDefinition | None, list[Finding]]:
    try:
        with open(path, encoding="utf-8-sig") as stream:
            text = stream.read()
    except (OSError, UnicodeDecodeError) as error:
        return None, [Finding(path, 1, f"cannot read the card file: {getattr(error, 'strerror', None) or error}")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(error))) else 1
        return None, [Finding(path, line, f"not valid TOML: {error}")]
    return _Reader(path, _Positions(text), rules).read(data)


class _Positions:
    """The lines of the keys of a card file: top level, per ``[[section]]`` and per ``[[section.line]]``."""

    _HEADER = re.compile(r"^\s*\[\[\s*(section(?:\s*\.\s*line)?)\s*\]\]")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

    def __init__(self, text: str):
        self.keys: dict[tuple[int, int, str], int] = {}
        self.tables: dict[tuple[int, int], int] = {}
        section, line, quote = -1, -1, ""  # quote: the delimiter of a multi-line string the line is inside
        for number, content in enumerate(text.splitlines(), start=1):
            if quote:
                if content.count(quote) % 2 == 1:
                    quote = ""
                continue
            header = self._HEADER.match(content)
            if header:
                if header.group(1) == "section":
                    section, line = section + 1, -1
                else:
                    line += 1
                self.tables[(section, line)] = number
                continue
            key = self._KEY.match(content)
            if key:
                self.keys.setdefault((section, line, key.group(1)), number)
            quote = next((q for q in ('"""', "'''") if content.count(q) % 2 == 1), "")

    def at(self, section: int = -1, line: int = -1, key: str | None = None) -> int:
        found = self.keys.get((section, line, key)) if key else None
        return found or self.tables.get((section, line)) or self.tables.get((section, -1)) or 1


class _Reader:
    def __init__(self, path: str, positions: _Positions, rules: Rules):
        self.path, self.positions, self.rules = path, positions, rules
        self.findings: list[Finding] = []

    def error(self, message: str, section: int = -1, line: int = -1, key: str | None = None) -> None:
        self.findings.append(Finding(self.path, self.positions.at(section, line, key), message))

    def read(self, data: dict[str, Any]) -> tuple[CardDefinition | None, list[Finding]]:
        self._unknown(data, _TOP_KEYS, "the card")
        title = self._text(data, "title", "the card", required=True)
        sections = data.get("section", [])
        if not isinstance(sections, list) or not sections:
            self.error("a card needs at least one [[section]] with [[section.line]] tables")
            sections = []
        built = tuple(self._section(n, s) for n, s in enumerate(sections))
        definition = CardDefinition(title, built, self._text(data, "subtitle", "the card"),
                                    self._text(data, "country_column", "the card") or None,
                                    self._text(data, "year_column", "the card") or None)
        return definition, self.findings

    def _section(self, n: int, table: Any) -> Section:
        where = f"section {n + 1}"
        if not isinstance(table, dict):
            self.error(f"{where} is not a table", n)
            return Section("", ())
        self._unknown(table, _SECTION_KEYS, where, n)
        lines = table.get("line", [])
        if not isinstance(lines, list) or not lines:
            self.error(f"{where} has no [[section.line]] tables", n)
            lines = []
        built = tuple(spec for j, line in enumerate(lines) if (spec := self._line(n, j, line)) is not None)
        return Section(self._text(table, "title", where, n), built)

    def _line(self, n: int, j: int, table: Any) -> LineSpec | None:
        where = f"section {n + 1}, line {j + 1}"
        if not isinstance(table, dict):
            self.error(f"{where} is not a table", n, j)
            return None
        self._unknown(table, _LINE_KEYS, where, n, j)
        index = self._text(table, "index", where, n, j, required=True)
        columns = self._columns(table, where, n, j)
        rank_of = table.get("rank_of")
        if rank_of is not None and (isinstance(rank_of, bool) or not isinstance(rank_of, (int, str))
                                    or (isinstance(rank_of, int) and rank_of < 1)):
            self.error(f"{where}: rank_of is a column name or a whole number of at least 1, not {rank_of!r}",
                       n, j, "rank_of")
            rank_of = None
        if index and columns:
            problem = _index_problem(index, columns, self.rules)
            if problem:
                self.error(f"{where}: {problem}", n, j, "index")
        title = self._text(table, "title", where, n, j) or (index and self._safe_title(index)) or ""
        return LineSpec(title, columns, index, self._text(table, "rank", where, n, j) or None, rank_of,
                        self._text(table, "published", where, n, j) or None, self._text(table, "note", where, n, j))

    def _safe_title(self, index: str) -> str:
        try:
            return _default_title(index, self.rules)
        except UnknownSetError:
            return index

    def _columns(self, table: dict[str, Any], where: str, n: int, j: int) -> tuple[str, ...]:
        if "column" in table and "columns" in table:
            self.error(f"{where}: give column or columns, not both", n, j, "columns")
            return ()
        if "columns" in table:
            columns = table["columns"]
            if not isinstance(columns, list) or not columns or not all(isinstance(c, str) and c for c in columns):
                self.error(f"{where}: columns is a list of column names", n, j, "columns")
                return ()
            return tuple(columns)
        column = self._text(table, "column", where, n, j, required=True)
        return (column,) if column else ()

    def _text(self, table: dict[str, Any], key: str, where: str, n: int = -1, j: int = -1,
              required: bool = False) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.error(f"{where} has no {key}", n, j)
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(f"{where}: {key} is a non-empty text, not {value!r}", n, j, key)
            return ""
        return value

    def _unknown(self, table: dict[str, Any], known: set[str], where: str, n: int = -1, j: int = -1) -> None:
        for key in table:
            if key not in known:
                listed = ", ".join(sorted(known))
                self.error(f'{where}: unknown key "{key}"; the keys are {listed}', n, j, key)
