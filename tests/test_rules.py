"""The rules loader and checker: the shipped file passes; crafted bad files fail with located messages."""

from __future__ import annotations

import pytest

from conftest import set_toml
from rightsband import RulesError, UnknownSetError, builtin_path, check_rules, load_rules


def errors(path) -> list[str]:
    return [str(f) for f in check_rules(path) if f.severity == "error"]


def test_the_shipped_rules_pass():
    assert check_rules() == []
    assert len(load_rules()) == 39


def test_builtin_rules_are_the_repo_file():
    assert builtin_path().endswith("bands.toml")


def test_a_good_user_file_adds_to_the_builtins(write_rules):
    path = write_rules(set_toml())
    rules = load_rules(path)
    assert rules.get("t").classify("50").label == "bad"
    assert rules.get("rsf")  # built-ins still there
    assert len(rules) == 40
    assert len(load_rules(path, builtins=False)) == 1


def test_a_user_set_with_a_builtin_id_replaces_it(write_rules):
    rules = load_rules(write_rules(set_toml(id="RSF")))
    assert rules.get("rsf").classify("10").label == "good"
    with pytest.raises(UnknownSetError):
        rules.get("wpfi")  # the replaced set's aliases go with it
    assert len(rules) == 39


def test_an_alias_clash_with_a_builtin_is_an_error(write_rules):
    path = write_rules(set_toml(extra='aliases = ["cpi"]\n'))
    [message] = errors(path)
    assert f"{path}:1: error: set \"t\": name \"cpi\" is already the id or an alias of set \"ti\"" in message
    with pytest.raises(RulesError):
        load_rules(path)


@pytest.mark.parametrize(("bands", "extra", "expected"), [
    ([("a", 0, 100, 'colour = "red"')], "",
     ['rules.toml:14: error: set "t", band "a": unknown key \'colour\' in band; allowed: aliases, cells, closed, '
      'either, label, lower, table, upper, value']),
    ([("good", 0, 50), ("bad", 50, 100)], "flavour = 1\n",
     ["rules.toml:9: error: set \"t\": unknown key 'flavour' in set; allowed: aliases, assigned, band, closed, "
      "combine, confidence, direction, distance_from, gate, id, index_name, inputs, kind, name, notes, origin, "
      "published_as, "
      "publisher, publisher_classes, round, scale, source, ties, ties_reason, topic, unconfirmed, unit, verified, "
      "years"]),
    ([("a", 60, 40), ("b", 40, 100)], "",
     ['rules.toml:10: error: set "t", band "a": bounds out of order: lower 60 is above upper 40']),
    ([("a", 0, 60), ("b", 50, 100)], "", ['rules.toml:15: error: set "t", band "b": overlaps band "a" on [50, 60)']),
    ([("a", 0, 50, 'closed = "both"'), ("b", 50, 100)], "",
     ['rules.toml:16: error: set "t", band "b": overlaps band "a" on [50, 50]']),
    ([("a", 0, 45), ("b", 50, 100)], "",
     ['rules.toml:15: error: set "t", band "b": gap: values in [45, 50) fall in no band']),
    ([("a", 0, 50, 'closed = "neither"'), ("b", 50, 100, 'closed = "neither"')], "",
     ['rules.toml:16: error: set "t", band "b": gap: values in [50, 50] fall in no band']),
    ([("a", 0, 90)], "", ['rules.toml:10: error: set "t", band "a": gap: values in [90, 100] fall in no band']),
    ([("a", -5, 100)], "", ['rules.toml:10: error: set "t", band "a": [-5, 100] reaches outside the scale 0–100']),
    ([("b", 50, 100), ("a", 0, 50)], "",
     ['rules.toml:15: error: set "t", band "a": bounds out of order: [0, 50) is listed after [50, 100]; '
      'list bands best first (0 is best)']),
    ([("Same", 0, 50), ("same", 50, 100)], "",
     ['rules.toml:15: error: set "t", band "same": duplicate label; also at line 10']),
    ([("a", '"zero"', 100)], "",
     ['rules.toml:12: error: set "t", band "a": lower must be a finite number, not \'zero\'']),
    ([("a", 0, None)], "", ['rules.toml:10: error: set "t", band "a": missing upper bound']),
], ids=["unknown band key", "unknown set key", "lower above upper", "overlap", "shared closed edge", "gap",
        "open point", "gap at the top", "outside the scale", "not best first", "duplicate label", "bad number",
        "missing bound"])
def test_crafted_bad_files(write_rules, bands, extra, expected):
    path = write_rules(set_toml(bands=bands, extra=extra))
    found = [message.replace(str(path), "rules.toml") for message in errors(path)]
    assert found == expected
    with pytest.raises(RulesError):
        load_rules(path)


def test_gaps_are_judged_on_the_scale_steps(write_rules):
    bands = [("free", 1, 2.5, 'closed = "both"'), ("not free", 3, 7, 'closed = "both"')]
    stepped = write_rules(set_toml(bands=bands, scale="min = 1, max = 7, step = 1"))
    assert errors(stepped) == []
    smooth = write_rules(set_toml(bands=bands, scale="min = 1, max = 7"), "s.toml")
    assert errors(smooth) == [f'{smooth}:16: error: set "t", band "not free": gap: values in (2.5, 3) fall in no band']


def test_duplicate_ids_in_one_file(write_rules):
    path = write_rules(set_toml() + "\n" + set_toml(id="T"))
    assert any('set "T": duplicate id; the first is at line 1' in e for e in errors(path))


def test_composite_inputs_must_exist(write_rules):
    text = set_toml(extra='inputs = [{ name = "a", set = "fh-px" }]\ncombine = "mean"\n')
    path = write_rules(text)
    assert errors(path) == [f'{path}:9: error: set "t": input "a" reads set "fh-px", which does not exist']


def test_composite_inputs_may_be_builtin_sets(write_rules):
    extra = 'inputs = [{ name = "a", set = "ti" }, { name = "b", set = "cpi" }]\ncombine = "sum"\n'
    text = set_toml(bands=[("x", 50, 100), ("y", 0, 50)], direction="higher-is-better", extra=extra)
    rules = load_rules(write_rules(text))
    assert rules.get("t").classify({"a": "30", "b": "25"}).label == "x"  # the sum, 55


@pytest.mark.parametrize(("text", "expected"), [
    ("[[set]\n", "rules.toml:1: error: not valid TOML"),
    ("schema = 2\n" + set_toml(), "rules.toml:1: error: schema 2 is not supported"),
    ("", "rules.toml:1: error: no band sets"),
    (set_toml().replace('unit = "score"', 'unit = "points"'),
     "rules.toml:7: error: set \"t\": 'unit' is 'points'; use one of: score, percent, rating"),
    (set_toml().replace('publisher = "Test"\n', ""),
     "rules.toml:1: error: set \"t\": missing required key 'publisher'"),
    (set_toml().replace("max = 100", "max = 0"), "scale.min 0 must be below scale.max 0"),
    (set_toml(extra='published_as = "fraction"\n'), "published_as = 'fraction' needs unit = 'percent'"),
    (set_toml(extra='years = { from = 2020, to = 2010 }\n'), "years.to 2010 must be a year not before years.from 2020"),
])
def test_file_level_problems(write_rules, text, expected):
    path = write_rules(text)
    assert any(expected in e.replace(str(path), "rules.toml") for e in errors(path)), errors(path)


def test_missing_url_is_a_warning_only(write_rules):
    path = write_rules(set_toml().replace(', url = "https://example.org"', ""))
    [finding] = check_rules(path)
    assert finding.severity == "warning" and "no source.url" in finding.message
    assert load_rules(path).get("t")


def test_unknown_set_suggests(rules):
    with pytest.raises(UnknownSetError) as error:
        rules.get("rfs")
    assert error.value.suggestions == ("rsf", "fsi")
    assert error.value.name == "rfs"
    assert "Known sets: rsf, ti, fh-pr, fh-cl, fh-status, gender-gap, kidsrights" in str(error.value)


def test_ids_and_aliases_are_case_insensitive(rules):
    assert rules.get("CPI") is rules.get("ti") is rules.get("Ti")
