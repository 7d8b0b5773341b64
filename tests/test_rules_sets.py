"""Each problem of a ``[[set]]`` table is a finding at the line of the key it is about."""

from __future__ import annotations

import pytest

from conftest import set_toml
from rightsband import check_rules, load_rules
from rightsband.rules import RulesSource
from rightsband.rules.syntax import located_parse_error


def errors(text: str, builtins: bool = False) -> list[str]:
    return [str(f) for f in check_rules(RulesSource("rules.toml", text), builtins=builtins) if f.severity == "error"]


SET = 'rules.toml:{}: error: set "t": '
BAND = 'rules.toml:{}: error: set "t", band "{}": '


@pytest.mark.parametrize(("extra", "expected"), [
    ("publisher_classes = 5\n", SET.format(9) + "'publisher_classes' must be a list of set ids ([] for none)"),
    ('origin = "publisher"\npublisher_classes = []\n',
     SET.format(10) + "'publisher_classes' belongs on house bands, not on origin = 'publisher'"),
    ('origin = "nobody"\n', SET.format(9) + "'origin' is 'nobody'; use one of: house, publisher"),
    ('published_as = "percent"\n', SET.format(9) + "'published_as' is 'percent'; use 'fraction' or 'scale'"),
    ('combine = "mean"\n', SET.format(9) + "'combine' needs 'inputs'"),
    ("inputs = 5\n", SET.format(9) + "'inputs' must be a list like [{ name = \"pr\", set = \"fh-pr\" }, ...]"),
    ("inputs = []\n", SET.format(9) + "'inputs' must be a list like [{ name = \"pr\", set = \"fh-pr\" }, ...]"),
    ('inputs = [{ name = "a" }]\ncombine = "sum"\n', SET.format(9)
     + "each input needs a name and either the set it reads or its own scale (scale = { min = 1, max = 10 })"),
    ('inputs = [{ name = "a", set = "ti", take = "all" }]\ncombine = "sum"\n',
     SET.format(9) + "'take of input \"a\"' is 'all'; use one of: value, band"),
    ('inputs = [{ name = "a", set = "ti" }]\n', SET.format(9) + "'combine' is None; use one of: mean, sum"),
    ('closed = "left"\n', SET.format(9) + "'closed' is 'left'; use one of: lower, upper, both, neither"),
    ("notes = 5\n", SET.format(9) + "'notes' must be a non-empty string"),
], ids=["publisher_classes type", "publisher_classes on publisher", "origin", "published_as", "combine alone",
        "inputs type", "inputs empty", "input without set", "take", "inputs without combine", "closed", "notes"])
def test_set_keys(extra, expected):
    assert errors(set_toml(extra=extra), builtins=True) == [expected]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('source = { citation = "A test", url = "https://example.org" }', 'source = "A test"',
     SET.format(5) + "'source' must be a table with citation and url"),
    ('citation = "A test", ', "", SET.format(5) + "'source.citation' must be a non-empty string"),
    ('url = "https', 'link = "https',
     SET.format(5) + "unknown key 'link' in source; allowed: citation, url"),
    ("scale = { min = 0, max = 100 }", "scale = [0, 100]",
     SET.format(6) + "'scale' must be a table with min and max (and optionally step)"),
    ("scale = { min = 0, max = 100 }", "scale = { min = 0 }",
     SET.format(6) + "'scale' must be a table with min and max (and optionally step)"),
    ("scale = { min = 0, max = 100 }", "scale = { min = 0, max = 100, stride = 1 }",
     SET.format(6) + "unknown key 'stride' in scale; allowed: max, min, step"),
    ('direction = "lower-is-better"', 'direction = "down"',
     SET.format(8) + "'direction' is 'down'; use one of: higher-is-better, lower-is-better"),
    ('id = "t"', "id = 5", "rules.toml:2: error: set \"#1\": 'id' must be a non-empty string"),
    ('name = "Test set"', 'name = ""', SET.format(3) + "'name' must be a non-empty string"),
], ids=["source type", "no citation", "source key", "scale type", "scale without max", "scale key", "direction", "id",
        "name"])
def test_set_values(old, new, expected):
    text = set_toml()
    assert old in text
    assert errors(text.replace(old, new, 1)) == [expected]


@pytest.mark.parametrize(("bands", "expected"), [
    ([("a", 0, 50, 'either = "b"'), ("b", 50, 100)],
     [BAND.format(14, "a") + "'either' must list two or more labels of other bands"]),
    ([("a", 0, 50, 'either = ["a", "b"]'), ("b", 50, 100)],
     [BAND.format(10, "a") + "'either' names 'a', which is not another band's label"]),
    ([("a", 0, 50, 'closed = "left"'), ("b", 50, 100)],
     [BAND.format(14, "a") + "'closed' is 'left'; use one of: lower, upper, both, neither"]),
    ([("", 0, 50), ("b", 50, 100)], ['rules.toml:11: error: set "t", band "#1": every band needs a non-empty label']),
    ([("a", None, None), ("b", 50, 100)], [BAND.format(10, "a") + "missing lower and upper bound"]),
    ([("a", "2.2", "2.8"), ("b", 3, 100)],
     [BAND.format(10, "a") + "[2.2, 2.8) holds no value of the scale 0–100 in steps of 1"]),
], ids=["either type", "either names itself", "closed", "empty label", "no bounds", "no value on the steps"])
def test_band_findings(bands, expected):
    assert errors(set_toml(bands=bands, scale="min = 0, max = 100, step = 1")) == expected


def test_bands_must_be_tables():
    text = set_toml(bands=[]) + "band = [1, 2]\n"
    assert errors(text) == [SET.format(9) + "bands must be [[set.band]] tables"]


def test_an_input_taking_bands_needs_band_values():
    extra = 'inputs = [{ name = "a", set = "ti", take = "band" }]\ncombine = "sum"\n'
    assert errors(set_toml(extra=extra), builtins=True) == [
        SET.format(9) + 'input "a" takes the band of set "ti", but not every band there has a value']


def test_an_input_reading_a_composite_set_is_refused():
    extra = 'inputs = [{ name = "a", set = "fh-status" }]\ncombine = "sum"\n'
    assert errors(set_toml(extra=extra), builtins=True) == [
        SET.format(9) + 'input "a" reads set "fh-status", which is itself composite']


def test_publisher_classes_must_name_publisher_sets():
    assert errors(set_toml(extra='publisher_classes = ["ti"]\n'), builtins=True) == [
        SET.format(1) + "publisher_classes names \"ti\", which is not a band set with origin = 'publisher'"]
    assert load_rules(RulesSource("-", set_toml(extra='publisher_classes = ["rsf-2022"]\n'))).get("t")


def test_a_parse_error_without_any_position_is_at_line_1():
    assert located_parse_error(ValueError("something odd"), "a = 1\n") == (1, "not valid TOML: something odd")


def test_a_band_inside_another_is_an_overlap_and_the_wider_band_still_reaches_on():
    bands = [("wide", 0, 60), ("inside", 20, 30), ("top", 60, 100)]
    assert errors(set_toml(bands=bands)) == [BAND.format(15, "inside") + 'overlaps band "wide" on [20, 30)']
