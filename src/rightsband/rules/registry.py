"""The band sets in force: look-up by id or alias (any case), and by year among editions."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from rightsband.model import BandSet, Group, YearError

if TYPE_CHECKING:
    from rightsband.rules.cache import Index, Stored


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
    editions among which a year chooses.

    Rules served from the cache (:meth:`stored`) unpack each set and group on first use, so that
    a look-up reads only the set it asks for; ``sets``, ``groups`` and iteration read them all.
    """

    _all_sets: tuple[BandSet, ...] | None
    _all_groups: tuple[Group, ...] | None

    def __init__(self, sets: Sequence[BandSet], groups: Sequence[Group] = ()):
        sets, groups = tuple(sets), tuple(groups)
        self._take({name.casefold(): number for number, s in enumerate(sets) for name in s.names},
                   {g.id.casefold(): number for number, g in enumerate(groups)},
                   tuple(s.id for s in sets), tuple(g.id for g in groups), sets.__getitem__, groups.__getitem__)
        self._all_sets, self._all_groups = sets, groups

    @classmethod
    def stored(cls, stored: Stored, rebuild: Callable[[], Rules]) -> Rules:
        """The rules an entry of the cache holds, each part unpacked on first use; should one not
        unpack, the rules are ``rebuild()`` from their files instead (the cache never fails a run)."""
        rules = cls.__new__(cls)
        rules._take(*stored.index, stored.set, stored.group)  # type: ignore[arg-type]
        rules._all_sets = rules._all_groups = None
        rules._rebuild = rebuild
        return rules

    def _take(self, names: dict[str, int], group_names: dict[str, int], ids: tuple[str, ...],
              group_ids: tuple[str, ...], set_at: Callable[[int], BandSet], group_at: Callable[[int], Group]) -> None:
        self._names, self._group_names, self._ids, self._group_ids = names, group_names, ids, group_ids
        self._set_at, self._group_at = set_at, group_at
        self._rebuild: Callable[[], Rules] | None = None

    def _set(self, number: int) -> BandSet:
        try:
            return self._set_at(number)
        except Exception:  # only a cached part can fail to unpack
            id = self._ids[number]
            return self._rebuilt().get(id)

    def _group(self, number: int) -> Group:
        try:
            return self._group_at(number)
        except Exception:  # only a cached part can fail to unpack
            id = self._group_ids[number]
            group = self._rebuilt().group(id)
            assert group is not None
            return group

    def _rebuilt(self) -> Rules:
        """Become the rules built afresh (after a part of the cached ones would not unpack)."""
        assert self._rebuild is not None
        self.__dict__.update(self._rebuild().__dict__)
        return self

    @property
    def sets(self) -> tuple[BandSet, ...]:
        """Every set, in the order the rules files give them."""
        if self._all_sets is None:
            sets = tuple(self._set(number) for number in range(len(self._ids)))
            self._all_sets = sets if self._all_sets is None else self._all_sets  # a rebuild on the way has set them
        return self._all_sets

    @property
    def groups(self) -> tuple[Group, ...]:
        """Every group of editions."""
        if self._all_groups is None:
            groups = tuple(self._group(number) for number in range(len(self._group_ids)))
            self._all_groups = groups if self._all_groups is None else self._all_groups
        return self._all_groups

    def get(self, name: str) -> BandSet:
        """The band set with this id or alias; raises UnknownSetError with suggestions, and
        YearError for a group (which needs a year to pick an edition)."""
        number = self._names.get(name.casefold())
        if number is not None:
            return self._set(number)
        group = self.group(name)
        if group is not None:
            raise YearError(f"{group.id} has editions by year: {group.describe_editions()}; give --year or "
                            "--year-column, or name an edition")
        raise UnknownSetError(name, [*self._ids, *self._group_ids], sorted([*self._names, *self._group_names]))

    def index(self) -> Index:
        """Each name (casefolded id or alias) and group id with the number of its set or group, and the ids
        of the sets and of the groups in order: what the cache stores beside the packed sets and groups."""
        return self._names, self._group_names, self._ids, self._group_ids

    def __reduce__(self) -> tuple[type[Rules], tuple[tuple[BandSet, ...], tuple[Group, ...]]]:
        """Pickled as its sets and groups (a copy holds no cache entry)."""
        return Rules, (self.sets, self.groups)

    def group(self, name: str) -> Group | None:
        """The group of editions with this id, if there is one."""
        number = self._group_names.get(name.casefold())
        return None if number is None else self._group(number)

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
        return len(self._ids)
