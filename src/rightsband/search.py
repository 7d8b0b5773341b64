"""Finding band sets by what a person types: ids, aliases, names, publishers, topics and the index
names their citations give ("Freedom in the World"), for ``list TEXT`` and for suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from rightsband.model import BandSet, Group
from rightsband.rules import Rules
from rightsband.rules.registry import near_names

__all__ = ["closest", "find", "set_words"]


def set_words(band_set: BandSet) -> str:
    """Everything a search looks in, case-folded: id, aliases, name, index name, publisher, topic, citation."""
    return " ".join([*band_set.names, band_set.name, band_set.index_name, band_set.publisher, band_set.topic,
                     band_set.citation]).casefold()


def _group_words(group: Group) -> str:
    return " ".join([group.id, group.name, group.topic]).casefold()


def find(rules: Rules, text: str, sets: Iterable[BandSet] | None = None) -> tuple[list[BandSet], list[Group]]:
    """The sets (of ``sets``, default all) and groups whose words hold ``text`` as a phrase (any case,
    runs of spaces as one), or, where nothing holds the phrase, every word of it; a group is found by
    one of its editions, or by its own words if one of its editions is among ``sets``."""
    candidates = list(rules if sets is None else sets)
    phrase = " ".join(text.casefold().split())

    def holds_phrase(words: str) -> bool:
        return phrase in " ".join(words.split())

    def holds_terms(words: str) -> bool:
        return all(term in words for term in phrase.split())

    for found_in in (holds_phrase, holds_terms):
        found = [s for s in candidates if found_in(set_words(s))]
        groups = [g for g in rules.groups if any(e in found for e in g.editions)
                  or (found_in(_group_words(g)) and any(e in candidates for e in g.editions))]
        if found or groups:
            return found, groups
    return [], []


def closest(rules: Rules, text: str, n: int = 5) -> list[str]:
    """The ids nearest ``text``: as a mistyped set name suggests them (:func:`near_names`), then the
    sets with a name word closest in spelling."""
    ids = [s.id for s in rules] + [g.id for g in rules.groups]
    by_word: dict[str, list[str]] = {}
    for band_set in rules:
        for word in band_set.name.casefold().split():
            by_word.setdefault(word, []).append(band_set.id)
    near = near_names(text, ids, n)
    for word in difflib.get_close_matches(text.casefold().strip(), list(by_word), n=1):
        near += by_word[word]
    return list(dict.fromkeys(near))
