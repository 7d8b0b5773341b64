"""Every finding is one line, ``FILE:LINE: severity: ...``, with the line of what it is about (line 1
only when nothing nearer exists); deep nesting and unparsable TOML are findings, not tracebacks."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, set_toml
from rightsband import Finding, RulesError, check_rules, load_rules
from rightsband.rules import RulesSource
from rightsband.rules.positions import Lines
from rightsband.rules.syntax import deepest_line, last_line
from rightsband.scorecard import check_card

FORMAT = re.compile(r"[^\n]+:[1-9]\d*: (error|warning): [^\n]+")


def findings(text: str) -> list[str]:
    found = check_rules(RulesSource("rules.toml", text), builtins=False)
    lines = [str(f) for f in found]
    for finding, line in zip(found, lines, strict=True):
        assert isinstance(finding.line, int) and finding.line >= 1
        assert FORMAT.fullmatch(line), line
    return lines


GROUPS = (set_toml(extra="years = { from = 2000, to = 2009 }\n") + "\n"
          + set_toml(id="u", extra="years = { from = 2010 }\n"))


@pytest.mark.parametrize(("text", "expected"), [
    ("# rules\n\nflavour = 1\n" + set_toml(),
     ["rules.toml:3: error: unknown key 'flavour' in file; allowed: group, schema, set"]),
    (set_toml() + "\n[extra]\nx = 1\n",
     ["rules.toml:20: error: unknown key 'extra' in file; allowed: group, schema, set"]),
    (set_toml() + "\n[[extra]]\nx = 1\n",
     ["rules.toml:20: error: unknown key 'extra' in file; allowed: group, schema, set"]),
    ('\n"quoted key" = 1\n' + set_toml(),
     ["rules.toml:2: error: unknown key 'quoted key' in file; allowed: group, schema, set"]),
    ("\n\nextra.dotted = 1\n" + set_toml(),
     ["rules.toml:3: error: unknown key 'extra' in file; allowed: group, schema, set"]),
    ("# comment\n\nschema = 2\n" + set_toml(),
     ["rules.toml:3: error: schema 2 is not supported; this rightsband reads schema 1"]),
    ("schema = 1\n\n[set]\nid = \"t\"\n",
     ["rules.toml:3: error: `set` must be an array of tables: write each band set as [[set]]"]),
    ("schema = 1\nset = 5\n",
     ["rules.toml:2: error: `set` must be an array of tables: write each band set as [[set]]"]),
    ("schema = 1\n", ["rules.toml:1: error: no band sets: add at least one [[set]] table"]),
    ("", ["rules.toml:1: error: no band sets: add at least one [[set]] table"]),
    ("schema = 1\nset = []\n", ["rules.toml:2: error: no band sets: add at least one [[set]] table"]),
    ("group = 5\n" + set_toml(),
     ["rules.toml:1: error: `group` must be an array of tables: write each group as [[group]]"]),
    (set_toml() + "\n[group]\nid = \"g\"\n",
     ["rules.toml:20: error: `group` must be an array of tables: write each group as [[group]]"]),
    (GROUPS + '\n[[group]]\nid = "g"\nname = "G"\neditions = ["t"]\ncolour = 1\n',
     ['rules.toml:45: error: set "g": unknown key \'colour\' in group; allowed: editions, id, name, notes, topic',
      'rules.toml:44: error: set "g": \'editions\' must list the ids of two or more band sets']),
    (GROUPS + '\n[[group]]\nid = "g"\neditions = ["t", "u"]\nnotes = 5\n',
     ['rules.toml:41: error: set "g": \'name\' must be a non-empty string',
      'rules.toml:44: error: set "g": \'notes\' must be a non-empty string']),
    (GROUPS + '\n[[group]]\nid = "g"\nname = "G"\neditions = ["t", "v"]\n',
     ['rules.toml:41: error: set "g": edition "v" is not a band set']),
    (GROUPS + '\n[[group]]\nid = "u"\nname = "G"\neditions = ["t", "u"]\n',
     ['rules.toml:41: error: set "u": group id "u" is already the id or an alias of a band set; rename the group']),
    (GROUPS + '\n[[group]]\nname = "G"\neditions = ["t", "u"]\n',
     ['rules.toml:41: error: set "group #1": \'id\' must be a non-empty string']),
], ids=["top-level key", "table", "array of tables", "quoted key", "dotted key", "schema", "[set] table", "set = 5",
        "schema alone", "empty", "empty set array", "group = 5", "[group] table", "group editions and key",
        "group name and notes", "unknown edition", "group id clash", "group without id"])
def test_file_level_findings_have_lines(text, expected):
    assert findings(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("[[set]\n", "rules.toml:1: error: not valid TOML: Expected ']]' at the end of an array declaration (at line 1, "
                 "column 6)"),
    (set_toml() + "x = [1,\n", "rules.toml:19: error: not valid TOML: Invalid value (at end of document)"),
    (set_toml() + 'notes = """\nunterminated', "rules.toml:20: error: not valid TOML: Unterminated string (at end "
                                                 "of document)"),
], ids=["line given", "end of document", "end of document, no final newline"])
def test_toml_errors_have_lines(text, expected):
    assert findings(text) == [expected]


def test_deep_nesting_is_a_finding_not_a_traceback(run, write_rules):
    deep = "x = " + "[" * 2000 + "]" * 2000 + "\n"
    message = "not valid TOML: arrays or tables nested too deeply to read; a rules file needs only a few levels"
    assert findings(deep) == [f"rules.toml:1: error: {message}"]
    assert findings(set_toml() + "\n# deep\n" + deep) == [f"rules.toml:21: error: {message}"]
    braces = "y = " + "{a = " * 1500 + "1" + "}" * 1500 + "\n"
    assert findings("schema = 1\n" + braces) == [f"rules.toml:2: error: {message}"]
    with pytest.raises(RulesError):
        load_rules(RulesSource("rules.toml", deep))
    path = write_rules(deep, "deep.toml")
    result = run("check", str(path))
    assert (result.exit_code, result.stdout) == (1, f"{path}:1: error: {message}\n")
    result = run("classify", "--bands", str(path), "rsf", "5")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"{path}:1: error: {message}" in result.stderr.replace("\n", " ")


def test_deep_values_that_parse_are_findings_too():
    dotted = ".".join(["a"] * 3000) + " = 1\n"
    assert findings("schema = 1\n" + dotted + set_toml().replace("[[set]]", "[[set]]", 1)) == [
        "rules.toml:2: error: unknown key 'a' in file; allowed: group, schema, set"]
    nested = set_toml(bands=[("good", 0, 50, "value." + ".".join(["v"] * 3000) + " = 1"), ("bad", 50, 100)])
    assert findings(nested) == [
        'rules.toml:14: error: set "t", band "good": value must be a finite number, not a value nested too deeply '
        "to print"]
    arrays = set_toml(extra="notes = " + "[" * 200 + "]" * 200 + "\n")
    assert findings(arrays) == ['rules.toml:9: error: set "t": \'notes\' must be a non-empty string']


def test_deepest_line_skips_strings_and_comments():
    text = 'a = "[[[[[[[[[[[[[[[[[[[["\n# [[[[[[[[[[[[[[[[[[[[[[\nb = \'\'\'\n[[[[[[[[[[[[[[[[[[[[[\n\'\'\'\n' \
           'c = """[[[[[[[[[[[[[[[[[[[[[[[[\\"""[[[[["""\nd = ' + "[" * 17 + "]" * 17 + "\n"
    assert deepest_line(text) == 7
    assert deepest_line("x = [[]]\n" * 40) == 1
    assert last_line("") == 1 and last_line("a\n") == 1 and last_line("a\nb") == 2


def test_an_unreadable_file_is_a_finding_at_line_1(tmp_path):
    missing = tmp_path / "missing.toml"
    [finding] = check_rules(missing)
    assert str(finding).startswith(f"{missing}:1: error: cannot read the rules file: ")
    [finding] = check_rules(tmp_path)  # a directory
    assert str(finding).startswith(f"{tmp_path}:1: error: cannot read the rules file: ")


def test_a_file_that_is_not_utf8_is_a_finding_at_the_line_of_the_bad_byte(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(set_toml().replace("Test set", "Tést set").encode("latin-1"))
    [finding] = check_rules(path)
    assert str(finding) == (f"{path}:3: error: cannot read the rules file: it is not UTF-8 (invalid continuation "
                            "byte at byte 26)")


def test_a_bom_and_crlf_line_endings_are_read(tmp_path):
    path = tmp_path / "windows.toml"
    text = set_toml(bands=[("a", 0, 60), ("b", 50, 100)])
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert [str(f) for f in check_rules(path)] == [
        f'{path}:15: error: set "t", band "b": overlaps band "a" on [50, 60)']
    path.write_bytes(b"\xef\xbb\xbf" + set_toml().replace("\n", "\r").encode())  # old Mac line ends
    assert load_rules(path).get("t").classify("10").label == "good"
    assert load_rules(RulesSource("-", "\ufeff" + set_toml().replace("\n", "\r\n"))).get("t")


def test_positions_ignore_look_alikes_in_strings_and_comments():
    text = ('# [[set]]\nschema = 1\n\n[[set]]\nid = "t"\nnotes = """\n[[set.band]]\nlabel = "x"\n[[group]]\n"""\n'
            "label_ish = 'lower = 1'\n[set.scale]\nmin = 0\n\n[[set.band]]\n\"label\" = \"a\"\n  lower = 0\n"
            "[[set.inputs]]\nname = \"p\"\n\n[[set]]\nid = \"u\"\n[[set.band]]\nlabel = 'b'\n[[other]]\nlabel = 1\n"
            "[[group]]\nid = \"g\"\neditions = []\n")
    lines = Lines(text)
    assert lines.of_top("schema") == 2 and lines.of_top("set") == 4 and lines.of_top("other") == 25
    assert lines.of_top("group") == 27 and lines.of_top("nothing") == 1
    assert lines.sets == [4, 21] and lines.bands == [[15], [23]] and lines.groups == [27]
    assert lines.of_set(0) == 4 and lines.of_set(0, "notes") == 6 and lines.of_set(0, "scale") == 12
    assert lines.of_set(0, "inputs") == 18 and lines.of_set(0, "label") == 4  # band keys are not the set's
    assert lines.of_band(0, 0, "label") == 16 and lines.of_band(0, 0, "lower") == 17
    assert lines.of_band(1, 0, "label") == 24 and lines.of_band(1, 1) == 21 and lines.of_band(5, 0) == 4
    assert lines.of_set(1, "label") == 21 and lines.of_set(7) == 4
    assert lines.of_group(0, "editions") == 29 and lines.of_group(0, "name") == 27 and lines.of_group(3) == 27
    assert Lines("").of_set(0) == 1 and Lines("").of_group(0) == 1


def test_a_finding_is_always_one_located_line():
    finding = Finding("a\nb.toml", 0, "bad\u2028thing", 'set\r"id', "band\x1b[31m")
    assert finding.line == 1
    assert str(finding) == 'a\\nb.toml:1: error: set "set\\r"id", band "band\\x1b[31m": bad\\u2028thing'
    assert str(Finding("f", 3, "m", band="b", severity="warning")) == 'f:3: warning: band "b": m'
    assert str(Finding("f", 3, "m")) == "f:3: error: m"


def test_a_set_id_with_a_line_break_is_reported_on_one_line():
    lines = findings(set_toml(id="a\\nb"))
    assert lines == ["rules.toml:2: error: set \"a\\nb\": 'id' 'a\\nb' holds U+000A; it must be one line without "
                     "control characters"]


def test_the_shipped_rules_and_examples_have_no_findings():
    assert check_rules() == []
    for example in sorted((REPO / "examples").glob("*.toml")):
        if "[[section]]" in example.read_text(encoding="utf-8"):  # a scorecard file, not rules
            assert check_card(str(example), load_rules()) == [], example
        else:
            assert check_rules(example) == [], example
