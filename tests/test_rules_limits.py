"""Limits on what a rules file may hold: numbers, years, names. Each breach is a located finding
under ``check`` and a RulesError when loading, never a traceback, and a file that passes cannot
make the band arithmetic fail."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import set_toml
from rightsband import RulesError, ValueProblem, check_rules, load_rules
from rightsband.rules import RulesSource
from rightsband.rules.fields import MAX_PLACES, NUMBER_RULE


def findings(text: str) -> list[str]:
    """The check lines for ``text`` as the only rules file (``rules.toml``)."""
    return [str(f) for f in check_rules(RulesSource("rules.toml", text), builtins=False)]


def refused(text: str) -> list[str]:
    """The findings for ``text``, which must not load."""
    found = findings(text)
    with pytest.raises(RulesError) as error:
        load_rules(RulesSource("rules.toml", text), builtins=False)
    assert [str(f) for f in error.value.findings] == [f for f in found if ": error: " in f]
    assert found
    return found


# -- numbers -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("scale", "expected"), [
    ("min = 0, max = 100, step = 1e-100", ["rules.toml:6: error: set \"t\": scale.step is 1E-100, but " + NUMBER_RULE]),
    ("min = -1e100, max = 1e100", ["rules.toml:6: error: set \"t\": scale.min is -1E+100, but " + NUMBER_RULE,
                                   "rules.toml:6: error: set \"t\": scale.max is 1E+100, but " + NUMBER_RULE]),
    ("min = 0, max = 1e100", ["rules.toml:6: error: set \"t\": scale.max is 1E+100, but " + NUMBER_RULE]),
    ("min = 0, max = 100, step = 1e-30",
     ["rules.toml:6: error: set \"t\": scale.step 1E-30 divides max − min into 1E+32 steps, more than the 10^9 a "
      "scale may have; leave step out for a continuous scale"]),
    ("min = 0, max = 100, step = 3", ["rules.toml:6: error: set \"t\": scale.step 3 must be positive and divide "
                                      "max − min (100)"]),
    ("min = 0, max = 100, step = -1", ["rules.toml:6: error: set \"t\": scale.step -1 must be positive and divide "
                                       "max − min (100)"]),
    ("min = 0, max = nan", ["rules.toml:6: error: set \"t\": scale.max must be a finite number, not NaN"]),
    ("min = -inf, max = 100", ["rules.toml:6: error: set \"t\": scale.min must be a finite number, not -Infinity"]),
    ("min = true, max = 100", ["rules.toml:6: error: set \"t\": scale.min must be a finite number, not True"]),
    ("min = 0, max = 1_000_000_000_000_000", ["rules.toml:6: error: set \"t\": scale.max is 1000000000000000, but "
                                              + NUMBER_RULE]),
], ids=["tiny step", "huge bounds", "huge max", "too many steps", "step does not divide", "negative step", "nan",
        "-inf", "bool", "16-digit integer"])
def test_extreme_scales_are_located_findings(scale, expected):
    assert refused(set_toml(scale=scale)) == expected


def test_a_5000_digit_integer_is_a_finding_at_its_line():
    text = set_toml(bands=[("good", 0, "1" + "0" * 4999), ("bad", 50, 100)])
    [finding] = refused(text)
    assert finding.startswith("rules.toml:13: error: not valid TOML: an integer with more than 4300 digits")
    assert "set_int_max_str_digits" not in finding


@pytest.mark.parametrize(("bound", "expected"), [
    ("1" + "0" * 20, "lower is 100000000000000000000, but "),
    ("0x" + "f" * 5000, "lower is an integer too long to print, but "),
    ("0." + "0" * 40 + "1", f"lower is 1E-{MAX_PLACES + 1}, but "),
    ("[1, 2]", "lower must be a finite number, not [1, 2]"),
    ('"zero"', "lower must be a finite number, not 'zero'"),
    ("1979-05-27", "lower must be a finite number, not datetime.date(1979, 5, 27)"),
    ('"' + "x" * 100 + '"', "lower must be a finite number, not 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"),
], ids=["21 digits", "huge hex", "41 places", "array", "string", "date", "long string"])
def test_extreme_bounds_are_located_findings(bound, expected):
    [finding] = refused(set_toml(bands=[("good", bound, 50), ("bad", 50, 100)]))
    assert finding.startswith('rules.toml:12: error: set "t", band "good": ' + expected)


def test_band_values_refuse_bools_and_extremes():
    text = set_toml(bands=[("good", 0, 50, "value = true"), ("bad", 50, 100, "value = 1e20")])
    assert refused(text) == [
        'rules.toml:14: error: set "t", band "good": value must be a finite number, not True',
        'rules.toml:20: error: set "t", band "bad": value is 1E+20, but ' + NUMBER_RULE,
    ]


@pytest.mark.parametrize(("low", "mid", "high"), [
    ("-999999999999999.9", "0", "999999999999999"),
    ("0", "0." + "0" * (MAX_PLACES - 1) + "1", "1"),
    ("0", "0.5" + "0" * 60, "1"),
    ("0." + "0" * 60, "0.5", "1" + "0" * 14),
], ids=["widest", "finest", "trailing zeros", "zero with many places"])
def test_numbers_at_the_limits_load(low, mid, high):
    text = set_toml(bands=[("good", low, mid), ("bad", mid, high)], scale=f"min = {low}, max = {high}")
    assert findings(text) == []
    band_set = load_rules(RulesSource("rules.toml", text), builtins=False).get("t")
    assert band_set.classify(format(Decimal(mid), "f")).label == "bad"


def test_the_finest_bounds_and_most_steps_classify_exactly():
    """At the limits, the scale and band arithmetic is exact and never raises."""
    third = "0." + "3" * MAX_PLACES
    smooth = set_toml(bands=[("good", 0, third), ("bad", third, 1)], scale="min = 0, max = 1")
    band_set = load_rules(RulesSource("rules.toml", smooth), builtins=False).get("t")
    assert band_set.classify(third).label == "bad"
    assert band_set.classify(third[:-1] + "29999").label == "good"
    assert band_set.classify("0." + "0" * (MAX_PLACES - 1) + "1").label == "good"
    stepped = set_toml(bands=[("good", 0, "0.5"), ("bad", "0.5", 1)],
                       scale="min = 0, max = 1, step = 0.000000001")
    band_set = load_rules(RulesSource("rules.toml", stepped), builtins=False).get("t")
    assert band_set.classify("0.499999999").label == "good"
    with pytest.raises(ValueProblem):
        band_set.classify("0.4999999995")
    most = set_toml(bands=[("good", 0, "5e13"), ("bad", "5e13", "1e14")], scale="min = 0, max = 1e14, step = 1e5")
    assert findings(most) == []  # 10^9 steps
    band_set = load_rules(RulesSource("rules.toml", most), builtins=False).get("t")
    assert band_set.classify("50000000000000").label == "bad"
    assert refused(most.replace("step = 1e5", "step = 5e4")) == [
        'rules.toml:6: error: set "t": scale.step 5E+4 divides max − min into 2E+9 steps, more than the 10^9 a '
        "scale may have; leave step out for a continuous scale"]


# -- years ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("years", "expected"), [
    ("{ from = true }", "years.from must be a year from 1000 to 2999, not True"),
    ("{ from = false }", "years.from must be a year from 1000 to 2999, not False"),
    ("{ from = 2013, to = true }", "years.to must be a year from 1000 to 2999, not True"),
    ("{ from = 999 }", "years.from must be a year from 1000 to 2999, not 999"),
    ("{ from = 3000 }", "years.from must be a year from 1000 to 2999, not 3000"),
    ("{ from = -2013 }", "years.from must be a year from 1000 to 2999, not -2013"),
    ("{ from = 2013.0 }", "years.from must be a year from 1000 to 2999, not 2013.0"),
    ('{ from = "2013" }', "years.from must be a year from 1000 to 2999, not '2013'"),
    ("{ from = 2013, to = 99999 }", "years.to must be a year from 1000 to 2999, not 99999"),
    ("{ from = 2020, to = 2010 }", "years.to 2010 must be a year not before years.from 2020"),
    ("{ to = 2010 }", "'years' must be a table like { from = 2013, to = 2021 } (to is optional)"),
    ("2013", "'years' must be a table like { from = 2013, to = 2021 } (to is optional)"),
])
def test_years_must_be_plausible_years(years, expected):
    assert refused(set_toml(extra=f"years = {years}\n")) == [f'rules.toml:9: error: set "t": {expected}']


def test_plausible_years_load():
    text = set_toml(extra="years = { from = 1000, to = 2999 }\n")
    assert load_rules(RulesSource("rules.toml", text), builtins=False).get("t").years.covers(2024)


# -- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("aliases", "expected"), [
    ('["x", "x"]', 'alias "x" repeats alias "x" (names are case-insensitive)'),
    ('["X", "x"]', 'alias "x" repeats alias "X" (names are case-insensitive)'),
    ('["t"]', 'alias "t" repeats the set\'s id (names are case-insensitive)'),
    ('["T"]', 'alias "T" repeats the set\'s id (names are case-insensitive)'),
    ('[""]', "alias must be a non-empty string"),
    ('[" "]', "alias must be a non-empty string"),
    ("[1]", "alias must be a non-empty string"),
    ('"x"', "'aliases' must be a list of non-empty strings"),
    ('["x "]', "alias 'x ' starts or ends with white space; remove it"),
    ('["a\\nb"]', "alias 'a\\nb' holds U+000A; it must be one line without control characters"),
])
def test_aliases_are_distinct_one_line_names(aliases, expected):
    assert refused(set_toml(extra=f"aliases = {aliases}\n")) == [f'rules.toml:9: error: set "t": {expected}']


LINE_BREAKERS = ["\n", "\r", "\t", "\x00", "\x1b", "\x7f", "\x80", "\x85", "\x9f", "\u2028", "\u2029"]


def toml_escape(char: str) -> str:
    return f"\\u{ord(char):04X}"


def one_line_finding(finding: str, start: str, char: str) -> None:
    assert finding.startswith(start), finding
    assert f"holds U+{ord(char):04X}; it must be one line without control characters" in finding
    assert finding.isprintable()  # the finding itself stays on one line, the character escaped


@pytest.mark.parametrize("char", LINE_BREAKERS, ids=[f"U+{ord(c):04X}" for c in LINE_BREAKERS])
def test_line_breaking_characters_are_refused_in_labels_ids_and_aliases(char):
    escaped = toml_escape(char)
    [finding] = refused(set_toml(bands=[(f"go{escaped}od", 0, 50), ("bad", 50, 100)]))
    one_line_finding(finding, 'rules.toml:11: error: set "t", band "go', char)
    [finding] = refused(set_toml(id=f"t{escaped}"))
    one_line_finding(finding, 'rules.toml:2: error: set "t', char)
    [finding] = refused(set_toml(extra=f'aliases = ["a{escaped}"]\n'))
    one_line_finding(finding, 'rules.toml:9: error: set "t": alias \'a', char)


@pytest.mark.parametrize("char", LINE_BREAKERS, ids=[f"U+{ord(c):04X}" for c in LINE_BREAKERS])
def test_line_breaking_characters_are_refused_in_group_ids_and_input_names(char):
    escaped = toml_escape(char)
    sets = set_toml(extra="years = { from = 2000, to = 2009 }\n") + "\n" + set_toml(
        id="u", extra="years = { from = 2010 }\n")
    text = sets + f'\n[[group]]\nid = "g{escaped}"\nname = "G"\neditions = ["t", "u"]\n'
    [finding] = refused(text)
    one_line_finding(finding, f'rules.toml:{sets.count(chr(10)) + 3}: error: set "g', char)
    composite = set_toml(extra=f'inputs = [{{ name = "a{escaped}", set = "ti" }}]\ncombine = "mean"\n')
    [finding] = [str(f) for f in check_rules(RulesSource("rules.toml", composite)) if f.severity == "error"]
    one_line_finding(finding, 'rules.toml:9: error: set "t": input name \'a', char)


@pytest.mark.parametrize(("where", "text"), [
    ("label", set_toml(bands=[("Free ", 0, 50), ("bad", 50, 100)])),
    ("label", set_toml(bands=[(" Free", 0, 50), ("bad", 50, 100)])),
    ("'id'", set_toml(id=" t")),
    ("'id'", set_toml(id="t\u00a0")),
    ("alias", set_toml(extra='aliases = ["x\u3000"]\n')),
])
def test_names_with_white_space_at_either_end_are_refused(where, text):
    [finding] = refused(text)
    assert f"{where} " in finding and finding.endswith("starts or ends with white space; remove it")


def test_names_and_notes_may_hold_line_breaks_but_not_other_controls():
    text = set_toml(extra='notes = "First line.\\nSecond line.\\tTabbed."\n').replace(
        'name = "Test set"', 'name = "Test\\nset"')
    assert findings(text) == []
    band_set = load_rules(RulesSource("rules.toml", text), builtins=False).get("t")
    assert band_set.name == "Test\nset" and band_set.notes == "First line. Second line. Tabbed."
    for key, line in (("name", 3), ("publisher", 4)):
        bad = text.replace(f'{key} = "Test', f'{key} = "Te\\u001bst')
        assert refused(bad) == [f'rules.toml:{line}: error: set "t": \'{key}\' holds the control character U+001B; '
                                "remove it"]
    bad = text.replace("Second line.", "Second\\u2028line.")
    assert refused(bad) == ['rules.toml:9: error: set "t": \'notes\' holds the control character U+2028; remove it']
    bad = text.replace("A test", "A\\u0000test")
    assert refused(bad) == ["rules.toml:5: error: set \"t\": 'source.citation' holds the control character U+0000; "
                            "remove it"]


def test_a_url_is_one_line():
    text = set_toml().replace("https://example.org", "https://example.org/\\nmore")
    assert refused(text) == ["rules.toml:5: error: set \"t\": 'source.url' 'https://example.org/\\nmore' holds "
                             "U+000A; it must be one line without control characters"]
    assert refused(set_toml().replace('url = "https://example.org"', "url = 5")) == [
        "rules.toml:5: error: set \"t\": 'source.url' must be a string"]


def test_input_names_are_distinct_in_any_case():
    extra = 'inputs = [{ name = "a", set = "ti" }, { name = "A", set = "cpi" }]\ncombine = "sum"\n'
    found = [str(f) for f in check_rules(RulesSource("rules.toml", set_toml(extra=extra))) if f.severity == "error"]
    assert found == ['rules.toml:9: error: set "t": input names must be distinct']


@pytest.mark.parametrize(("schema", "shown"), [("2", "2"), ("true", "True"), ("1.0", "1.0"), ('"1"', "'1'")])
def test_schema_is_the_integer_one(schema, shown):
    assert findings("schema = 1\n\n" + set_toml()) == []
    assert refused(f"# a comment\nschema = {schema}\n\n" + set_toml()) == [
        f"rules.toml:2: error: schema {shown} is not supported; this rightsband reads schema 1"]


def test_the_check_command_reports_extremes_with_exit_1(run, write_rules):
    path = write_rules(set_toml(scale="min = 0, max = 100, step = 1e-100"))
    result = run("check", str(path))
    assert result.exit_code == 1
    assert result.stdout == f'{path}:6: error: set "t": scale.step is 1E-100, but {NUMBER_RULE}\n'
    result = run("classify", "--bands", str(path), "t", "5")
    assert result.exit_code == 2 and "scale.step is 1E-100" in result.stderr
    assert "Traceback" not in result.stderr and "InvalidOperation" not in result.stderr
