"""The band sets in force: look-up by id or alias (any case), and by year among editions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rightsband.model import BandSet, Group, YearError


def near_names(typed: str, names: Sequence[str], n: int = 3) -> list[str]:
    """The names a mistyped or partial one may stand for: every name it begins (``bti`` gives the
    bti-* sets) or that begins it, then up to ``n`` closest in spelling."""
    import difflib

    typed = typed.casefold().strip()
    begun = [name for name in names if name.startswith(typed) or (typed.startswith(name) and len(name) > 2)]
    return list(dict.fromkeys([*begun, *difflib.get_close_matches(typed, names, n=n)]))


class UnknownSetError(LookupError):
    """No band set has this id or alias; ``suggestions`` are the close ones."""

    def __init__(self, name: str, ids: Sequence[str], names: Sequence[str]):
        self.name = name
        self.ids = tuple(ids)
        self.suggestions = tuple(near_names(name, names))
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
            subject = f"{group.id} has no edition for {year} (its editions: {group.describe_editions()})"
            groups = [group]
            band_set = group.editions[0]
        editions = list(dict.fromkeys(e for g in groups for e in g.editions if e.years.covers(year)))  # type: ignore[union-attr]
        if len(editions) == 1:
            return editions[0]
        if editions:
            which = "; ".join(f"{e.id}: {e.name}" for e in editions)
            raise YearError(f"{subject}, and {len(editions)} editions do; name the one your data are on: {which}")
        others = [s for s in self.sets if s.publisher == band_set.publisher and len(s.inputs) == len(band_set.inputs)
                  and s.years is not None and s.years.covers(year)]
        if not others:
            raise YearError(f"{subject}; no band set here covers {year} for {band_set.publisher}")
        hint = f"; for {year} use " + " or ".join(f"{s.id} ({s.name})" for s in others)
        by_year = [g.id for g in self.groups if any(s in g.editions for s in others)]
        if by_year:
            hint += f", or a group that picks the edition by each record's year: {', '.join(by_year)}"
        raise YearError(subject + hint)

    def __iter__(self) -> Iterator[BandSet]:
        return iter(self.sets)

    def __len__(self) -> int:
        return len(self.sets)
