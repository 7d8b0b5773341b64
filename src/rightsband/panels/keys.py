"""Every row on one country key: each distinct name matched once (:class:`~rightsband.countries.CountryMatcher`),
names nothing matches listed with the closest known ones, and two rows on one key, year and measure
with different scores reported as a conflict, never a silent pick."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rightsband.countries import CountryMatcher, Observation, find_conflicts
from rightsband.panels.rows import CONFLICT, UNMATCHED, Findings, Problem, Row

__all__ = ["put_on_keys"]


def put_on_keys(rows: Sequence[Row], matcher: CountryMatcher, findings: Findings) -> list[Row]:
    """The rows with their codes: the name's key, else the key of the code the file carries; each
    unmatched name reported once (at its first row), each conflict with both names and places."""
    codes = matcher.match(row.country for row in rows)
    file_codes = matcher.match(row.file_code for row in rows if row.file_code and codes[row.country] is None)
    keyed, reported = [], set()
    make = Row.__new__  # faster than _replace, for every row
    for row in rows:
        code = codes[row.country] or (file_codes[row.file_code] if row.file_code else None)
        if code is None and row.country not in reported:
            reported.add(row.country)
            findings.add(Problem(row.source, UNMATCHED, matcher.problem(row.country), row.country))
        keyed.append(make(Row, code, *row[1:]))
    # Only rows that share a key, year and measure with another can conflict: the others are not looked at.
    shared = Counter((row.code, row.year, row.measure) for row in keyed)
    observations = (Observation(row.code, row.year, row.measure, row.score, row.country, row.source)
                    for row in keyed if row.year is not None and shared[row.code, row.year, row.measure] > 1)
    for conflict in find_conflicts(observations):
        findings.add(Problem(conflict.second.place, CONFLICT, str(conflict), str(conflict.second.value)))
    return keyed
