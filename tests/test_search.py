"""`rightsband list TEXT` finds sets by ids, aliases, names, publishers, topics and index names;
`show` suggests the sets a mistyped or partial name stands for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rightsband import load_rules
from rightsband.search import closest, find, set_words

RULES = load_rules()


def ids(result: tuple[list, list]) -> list[str]:
    sets, groups = result
    return [s.id for s in sets] + [g.id for g in groups]


def test_topics_and_index_names_find_sets():
    assert ids(find(RULES, "children")) == ["kidsrights"]
    found = ids(find(RULES, "Freedom in the World"))
    assert "fh-status" in found and "fh-fiw-status" in found
    assert not any(i.startswith("rsf") for i in found)  # "World Press Freedom" holds the words, not the phrase


def test_words_are_found_in_any_order_when_no_set_holds_the_phrase():
    assert ids(find(RULES, "rights children")) == ["kidsrights"]
    sets, _ = find(RULES, "status ratings freedom")
    assert sets and all(all(w in set_words(s) for w in ("status", "ratings", "freedom")) for s in sets)


def test_every_built_in_set_and_group_has_a_topic():
    assert all(s.topic for s in RULES) and all(g.topic for g in RULES.groups)


@given(st.sampled_from(list(RULES)))
def test_every_set_is_found_by_its_id_alias_and_topic(band_set):
    for text in (*band_set.names, band_set.topic, band_set.publisher, band_set.index_name):
        assert band_set.id in ids(find(RULES, text.upper()))
    assert band_set.topic.casefold() in set_words(band_set)


def test_closest_names_the_sets_a_prefix_begins():
    near = closest(RULES, "bti")
    assert {s.id for s in RULES if s.id.startswith("bti-")} <= set(near)


@pytest.mark.parametrize("words", [("children",), ("Freedom", "in", "the", "World"), ("freedom", "house")])
def test_list_finds(run, words):
    result = run("list", *words, "--format", "csv")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) > 1


def test_list_finding_nothing_says_so_and_exits_1(run):
    result = run("list", "prss")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("rightsband: no band set or group matches 'prss'; closest: ")


def test_list_with_a_publisher_finding_nothing(run):
    result = run("list", "--publisher", "nobody")
    assert result.exit_code == 1 and "matches --publisher 'nobody'" in result.stderr
