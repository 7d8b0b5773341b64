"""Read one rules file (or text already read) into draft band sets, draft groups and findings.

Everything about a single file is checked here: that it reads as UTF-8 TOML (a
syntax error, or nesting too deep to parse, is a finding at its line), its
top-level keys, its ``[[group]]`` tables and (through :mod:`sets`) its ``[[set]]``
tables. What needs every file loaded (names across files, composite
inputs, group editions) is checked by :mod:`build`. Nothing in a file's content
makes the reader raise: every problem is a finding with a line.
"""

from __future__ import annotations

import os
import stat
from typing import Any

from rightsband.rules import cache, fields
from rightsband.rules.drafts import Draft, GroupDraft, RulesSource
from rightsband.rules.findings import Finding
from rightsband.rules.positions import Lines, Where
from rightsband.rules.sets import Reporter, SetReader

SCHEMA = 1


def read_text(path: str) -> tuple[str, bool] | Finding:
    """The text of the file at ``path`` (UTF-8, as :func:`normalize` leaves it)
    and whether it is a regular file (only those are cached); or the finding why it cannot be read."""
    try:
        with open(path, "rb") as file:
            regular = stat.S_ISREG(os.fstat(file.fileno()).st_mode)
            raw = file.read()
    except OSError as error:
        return Finding(path, 1, f"cannot read the rules file: {error.strerror or error}")
    try:
        return normalize(raw.decode("utf-8")), regular
    except UnicodeDecodeError as error:
        return Finding(path, raw.count(b"\n", 0, error.start) + 1,
                       f"cannot read the rules file: it is not UTF-8 ({error.reason} at byte {error.start})")


def normalize(text: str) -> str:
    """The text without a byte-order mark, line endings as Python's text mode reads them (CRLF and CR
    become LF)."""
    text = text[1:] if text.startswith("\ufeff") else text
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_file(source: str | RulesSource) -> tuple[list[Draft], list[GroupDraft], list[Finding]]:
    """The sets and groups of one rules file (a path, or text already read) and its findings."""
    return FileReader(source).read()


class FileReader(Reporter):
    """Reads one rules file into drafts and findings."""

    def __init__(self, source: str | RulesSource):
        super().__init__(source.name if isinstance(source, RulesSource) else source, Lines(""), [])
        self.source = source

    def read(self) -> tuple[list[Draft], list[GroupDraft], list[Finding]]:
        if isinstance(self.source, RulesSource):
            text, cacheable = normalize(self.source.text), False
        else:
            read = read_text(self.source)
            if isinstance(read, Finding):
                return [], [], [read]
            text, cacheable = read
        self.lines = Lines(text)
        try:
            data = cache.parse(self.path if cacheable else None, text)
        except (ValueError, RecursionError) as error:  # tomllib.TOMLDecodeError is a ValueError
            from rightsband.rules.syntax import located_parse_error

            line, message = located_parse_error(error, text)
            return [], [], [Finding(self.path, line, message)]
        return self._read_document(data)

    def _read_document(self, data: dict[str, Any]) -> tuple[list[Draft], list[GroupDraft], list[Finding]]:
        self._unknown(data, "file", 1, locate=self.lines.of_top)
        schema = data.get("schema", SCHEMA)
        if isinstance(schema, bool) or not isinstance(schema, int) or schema != SCHEMA:
            self._report(self.lines.of_top("schema"),
                         f"schema {fields.shown(schema)} is not supported; this rightsband reads schema {SCHEMA}")
        tables = data.get("set", [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            self._report(self.lines.of_top("set"), "`set` must be an array of tables: write each band set as [[set]]")
            return [], [], self.findings
        if not tables:
            self._report(self.lines.of_top("set"), "no band sets: add at least one [[set]] table")
        sets = SetReader(self.path, self.lines, self.findings)
        drafts = [d for i, table in enumerate(tables) if (d := sets.read(i, table))]
        seen: dict[str, Draft] = {}
        for draft in drafts:
            key = draft.set.id.casefold()
            if key in seen:
                self._report(draft.line, f"duplicate id; the first is at line {seen[key].line}", draft.set.id)
            seen[key] = draft
        return list(seen.values()), self._groups(data.get("group", [])), self.findings

    def _groups(self, tables: Any) -> list[GroupDraft]:
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            self._report(self.lines.of_top("group"),
                         "`group` must be an array of tables: write each group as [[group]]")
            return []
        groups = []
        for i, table in enumerate(tables):
            line = self.lines.group_at(i)
            group_id = table["id"] if isinstance(table.get("id"), str) and table["id"] else f"group #{i + 1}"
            before = self._error_count()

            def at(key: str, i: int = i) -> Where:
                return self.lines.group_at(i, key)

            self._unknown(table, "group", line, group_id, locate=at)
            self._check(fields.name(table.get("id"), "'id'"), at("id"), group_id)
            self._check(fields.prose(table.get("name"), "'name'"), at("name"), group_id)
            notes, topic = table.get("notes", ""), table.get("topic", "")
            self._check(fields.prose(notes, "'notes'", allow_empty=True), at("notes"), group_id)
            self._check(fields.prose(topic, "'topic'", allow_empty=True), at("topic"), group_id)
            editions = table.get("editions")
            if not isinstance(editions, list) or len(editions) < 2 or not all(isinstance(e, str) for e in editions):
                self._report(at("editions"), "'editions' must list the ids of two or more band sets", group_id)
            if self._error_count() == before:
                groups.append(GroupDraft(table["id"], table["name"], editions, fields.reflow(notes), self.path, line,
                                         topic))
        return groups
