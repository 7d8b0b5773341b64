"""Two records that land on one key in one year with different values: a conflict, never a silent pick."""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Iterable

__all__ = ["Conflict", "Observation", "find_conflicts"]


@dataclasses.dataclass(frozen=True)
class Observation:
    """One value of one measure for one country-year, with the name it was given and where it was read."""

    code: str | None
    year: int
    measure: str
    value: Hashable
    name: str
    place: str


@dataclasses.dataclass(frozen=True)
class Conflict:
    """Two observations of one measure on one key and year whose values differ."""

    first: Observation
    second: Observation

    def __str__(self) -> str:
        a, b = self.first, self.second
        return (
            f"{a.code} {a.year} {a.measure}: {a.name!r} ({a.place}) has {a.value!r} but {b.name!r} ({b.place}) "
            f"has {b.value!r}; keep one of the two, or give one name another code with --countries FILE"
        )


def find_conflicts(observations: Iterable[Observation]) -> list[Conflict]:
    """Every observation whose value differs from the first one seen for its key, year and measure,
    paired with that first one, in input order. Observations without a key are never in conflict."""
    first: dict[tuple[str, int, str], Observation] = {}
    conflicts = []
    for observation in observations:
        if observation.code is None:
            continue
        seen = first.setdefault((observation.code, observation.year, observation.measure), observation)
        if seen.value != observation.value:
            conflicts.append(Conflict(seen, observation))
    return conflicts
