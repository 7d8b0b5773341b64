"""The rule constructs of issue 12 (rounding, two-sided sets, ambiguous ties, gates, cells without a
score, label-only sets, band aliases, confidence): how they classify, and a located finding for
every misuse."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import set_toml
from rightsband import ValueProblem, check_rules, load_rules
from rightsband.model import AMBIGUOUS_TIE, LABEL_ONLY, round_half_up
from rightsband.rules import RulesSource

RULES = load_rules()


def errors(text: str, builtins: bool = False) -> list[str]:
    return [str(f) for f in check_rules(RulesSource("rules.toml", text), builtins=builtins) if f.severity == "error"]


def rules_of(text: str):
    return load_rules(RulesSource("rules.toml", text), builtins=False)


GATED = """[[set]]
id = "g"
name = "Gated"
publisher = "Test"
source = { citation = "A test", url = "https://example.org" }
scale = { min = 0, max = 10 }
unit = "score"
direction = "higher-is-better"
inputs = [{ name = "score", scale = { min = 0, max = 10 } }, { name = "q", scale = { min = 0, max = 10, step = 1 } }]
%s
[set.gate]
value = "score"
passed = "yes"
failed = "no"
criteria = [{ input = "q", at_least = 5, label = "q test" }]

[[set.band]]
label = "high"
table = "yes"
lower = 5
upper = 10

[[set.band]]
label = "low"
table = "yes"
lower = 0
upper = 5

[[set.band]]
label = "other"
table = "no"
lower = 0
upper = 10
"""
LABELS = """[[set]]
id = "l"
name = "Labels"
publisher = "Test"
kind = "label-only"
assigned = "by a panel"
source = { citation = "A test", url = "https://example.org" }
%s
[[set.band]]
label = "open"
aliases = ["1"]

[[set.band]]
label = "closed"
aliases = ["2"]
"""
SET = 'rules.toml:{}: error: set "t": '
BAND = 'rules.toml:{}: error: set "t", band "{}": '
G = 'rules.toml:{}: error: set "g": '
INPUTS = 'inputs = [{ name = "a", set = "rsf" }, { name = "b", set = "rsf" }]\ncombine = "mean"\n'


@pytest.mark.parametrize(("text", "expected"), [
    (set_toml(extra="round = -1\n"), [SET.format(9) + "'round' is -1; give the decimal places to round to before "
                                      "banding, a whole number from 0 to 40"]),
    (set_toml(extra="round = true\n"), [SET.format(9) + "'round' is True; give the decimal places to round to "
                                        "before banding, a whole number from 0 to 40"]),
    (set_toml(extra=INPUTS + "round = 1\n"),
     [SET.format(11) + "'round' does not apply to a set that combines its inputs (a mean or sum)"]),
    (set_toml(extra="distance_from = 200\n"), [SET.format(9) + "distance_from 200 lies outside the scale 0–100"]),
    (set_toml(direction="higher-is-better", extra="distance_from = 50\n"),
     [SET.format(8) + "a two-sided set bands the distance from its centre, nearest best: give direction = "
                      "'lower-is-better'"]),
    (set_toml(extra='ties = "maybe"\n'), [SET.format(9) + "'ties' is 'maybe'; use one of: banded, ambiguous"]),
    (set_toml(extra='ties_reason = "why"\n'), [SET.format(9) + "'ties_reason' needs ties = 'ambiguous'"]),
    (set_toml(extra='confidence = "low"\n'), [SET.format(9) + "'confidence' is 'low'; use one of: high, medium"]),
    (set_toml(extra='confidence = "medium"\n'),
     [SET.format(9) + "a medium-confidence set must say what is unconfirmed: add 'unconfirmed'"]),
    (set_toml(extra='assigned = "by a panel"\n'),
     [SET.format(9) + "'assigned' belongs to a label-only set; add kind = 'label-only' or remove it"]),
    (set_toml(extra='kind = "rules"\n'), [SET.format(9) + "'kind' is 'rules'; use one of: bands, label-only"]),
    (set_toml(bands=[("good", 0, 50, 'table = "x"'), ("bad", 50, 100)]),
     [BAND.format(14, "good") + "'table' names a band table of a gated set; this set has no gate"]),
    (set_toml(bands=[("good", 0, 50, 'aliases = ["bad"]'), ("bad", 50, 100)]),
     [BAND.format(10, "good") + "alias 'bad' is also a label or alias of band 'bad'; a published label must name "
                                "one band"]),
    (set_toml(bands=[("good", 0, 50, 'cells = ["5"]'), ("bad", 50, 100)]),
     [BAND.format(10, "good") + "cell '5' reads as a number; cells name a band where no score is given"]),
    (set_toml(bands=[("good", 0, 50, 'cells = ["<5"]'), ("bad", 50, 100, 'cells = ["< 5"]')]),
     [BAND.format(16, "bad") + "cell '< 5' also names band 'good'"]),
    (set_toml(bands=[("good", 0, 50, 'cells = ["NA"]'), ("bad", 50, 100)]),
     [BAND.format(10, "good") + "cell 'NA' is a missing-value marker"]),
    (set_toml(extra='gate = { value = "x", passed = "a", failed = "b", criteria = [] }\n'),
     [SET.format(9) + "a gate needs the set's 'inputs': the criteria are tests on them"]),
    (GATED % 'combine = "mean"', [G.format(10) + "a gated set bands one input on the table its gate chooses; remove "
                                                 "'combine'"]),
    ((GATED % "").replace('input = "q", at_least', 'input = "z", at_least'),
     [G.format(15) + "gate criterion 1 tests input 'z'; name one of the set's inputs: score, q"]),
    ((GATED % "").replace("at_least = 5,", "at_least = 5, below = 8,"),
     [G.format(15) + "gate criterion 1 needs exactly one of at_least, above, at_most, below, e.g. at_least = 6"]),
    ((GATED % "").replace('value = "score"', 'value = "nope"'),
     [G.format(11) + "gate 'value' is 'nope'; name the input whose value is banded: score, q"]),
    ((GATED % "").replace('failed = "no"', 'failed = "yes"'),
     [G.format(11) + "gate 'passed' and 'failed' must name two different band tables"]),
    ((GATED % "").replace('table = "no"', 'table = "maybe"'),
     ['rules.toml:29: error: set "g", band "other": table \'maybe\' is not a band table of the gate (yes or no)']),
    ((GATED % "").replace("lower = 5\nupper = 10", "lower = 6\nupper = 10"),
     ['rules.toml:17: error: set "g", band "high": gap: values in [5, 6) fall in no band']),
    (LABELS % "scale = { min = 0, max = 1 }",
     ['rules.toml:8: error: set "l": \'scale\' does not apply to a label-only set (kind = \'label-only\'), which '
      "has no score"]),
    ((LABELS % "").replace('assigned = "by a panel"\n', ""),
     ['rules.toml:5: error: set "l": a label-only set needs \'assigned\': how the publisher assigns its labels '
      "without a score rule"]),
    ((LABELS % "").replace('aliases = ["2"]', 'aliases = ["2"]\nlower = 1'),
     ['rules.toml:16: error: set "l", band "closed": \'lower\' does not apply to a band of a label-only set']),
], ids=["round negative", "round bool", "round on a mean", "distance outside", "distance direction", "ties",
        "ties_reason alone", "confidence", "medium without unconfirmed", "assigned alone", "kind", "table without gate",
        "alias twice", "cell is a number", "cell twice", "cell is missing", "gate without inputs", "gate and combine",
        "criterion input", "criterion two tests", "gate value", "gate tables", "band table unknown", "gap in a table",
        "label-only scale", "label-only assigned", "label-only bounds"])
def test_every_misuse_is_a_located_finding(text, expected):
    assert errors(text) == expected
    with pytest.raises(Exception, match="error"):
        rules_of(text)


def test_inputs_set_or_scale_and_never_label_only():
    both = set_toml(extra='inputs = [{ name = "a", set = "rsf", scale = { min = 0, max = 1 } }]\ncombine = "sum"\n')
    assert errors(both, builtins=True) == [SET.format(9) + "each input needs a name and either the set it reads or "
                                           "its own scale (scale = { min = 1, max = 10 })"]
    labels = set_toml(extra='inputs = [{ name = "a", set = "civicus" }]\ncombine = "sum"\n')
    assert errors(labels, builtins=True) == [SET.format(9) + 'input "a" reads set "civicus", which has labels only, '
                                             "no score"]
    cells = set_toml(extra=INPUTS, bands=[("good", 0, 50, 'cells = ["<5"]'), ("bad", 50, 100)])
    assert errors(cells, builtins=True) == [BAND.format(16, "good") + "'cells' name a band in place of one score; "
                                            "a composite set reads several"]


# -- how the constructs classify ------------------------------------------------------------------

def test_rounding_is_half_up_on_the_exact_decimal():
    assert round_half_up(Decimal("5.995"), 2) == Decimal("6.00")
    assert round_half_up(Decimal("5.99499999999999999999999"), 2) == Decimal("5.99")
    assert round_half_up(Decimal("0.7995"), 3) == Decimal("0.800")
    assert round_half_up(Decimal("-2.5"), 0) == Decimal("-3")  # half away from zero
    hdi = RULES.get("hdi")
    assert hdi.classify("0.7995").label == "Very high human development"
    assert hdi.classify("0.79949999").label == "High human development"
    assert hdi.classify(0.7995).banded == Decimal("0.800")  # a float is read at 15 digits, then rounded exactly


def test_two_sided_distance_both_sides_of_parity():
    gdi = RULES.get("gdi")
    for value, group in [("1.025", 1), ("0.975", 1), ("1", 1), ("1.0251", 1), ("1.026", 2), ("0.95", 2),
                         ("0.925", 3), ("1.075", 3), ("0.9", 4), ("1.1", 4), ("0.899", 5), ("1.5", 5), ("0", 5)]:
        result = gdi.classify(value)
        assert result.label.startswith(f"Group {group}:"), value
        assert result.value == Decimal(value) and result.banded == abs(1 - round_half_up(Decimal(value), 3))
    assert gdi.describe_scale() == "0–2, 1 best"


def test_ties_ambiguous_refuse_exactly_on_a_cut_and_name_both_bands():
    eiu = RULES.get("eiu")
    with pytest.raises(ValueProblem) as problem:
        eiu.classify("6.00")
    assert problem.value.kind == AMBIGUOUS_TIE
    message = str(problem.value)
    assert message.startswith('"6.00" is exactly on the eiu cut between "Flawed democracy" (6, 8] and "Hybrid '
                              'regime" (4, 6]: ')
    assert "Paraguay 2023" in message and "\n" not in message
    for value in ("4", "8.00", "5.995", "8.004"):
        with pytest.raises(ValueProblem, match="exactly on the eiu cut"):
            eiu.classify(value)
    assert [eiu.classify(v).label for v in ("6.01", "5.99", "10", "0", "8.006")] == [
        "Flawed democracy", "Hybrid regime", "Full democracy", "Authoritarian regime", "Full democracy"]
    assert RULES.get("fotp").classify("30").label == "Free"  # a bound no other band shares is no cut


def test_gate_chooses_the_band_table_and_says_which_criterion_failed():
    edition = RULES.for_year("bti-democracy", 2020)
    base = {"score": "5.3", "q2_1": "7", "q2_2": "7", "q2_3": "10", "q2_4": "7", "q3_1": "5", "q3_4": "8",
            "state_failure": "8.5"}
    passed = edition.classify(base)
    assert (passed.label, passed.position, passed.gate.passed) == ("Highly defective democracies", 3, True)
    failed = edition.classify({**base, "q2_1": "5", "state_failure": "2.5"})
    assert (failed.label, failed.position, failed.gate.table) == ("Moderate autocracies", 4, "autocracy")
    assert failed.gate.describe() == ("autocracy: failed free and fair elections (Q2.1): q2_1 ≥ 6 (q2_1 = 5); no state "
                                      "failure (mean of Q1.1 and Q1.4): state_failure ≥ 3 (state_failure = 2.5)")
    assert edition.classify({**base, "q2_2": "NA"}) is None
    with pytest.raises(ValueProblem, match=r'^q2_1: "6.5" is not a valid bti-democracy-2020:q2_1 score'):
        edition.classify({**base, "q2_1": "6.5"})
    with pytest.raises(ValueProblem, match="combines score and q2_1"):
        edition.classify({"score": "5"})
    assert RULES.for_year("bti-democracy", 2010).classify(base).label == "Highly defective democracy"


def test_cells_name_a_band_without_a_score():
    ghi = RULES.for_year("ghi", 2023)
    for cell, label in [("<5", "Low"), ("< 5", "Low"), ("35.0–49.9", "Alarming"), ("35 - 49.9", "Alarming"),
                        ("20.0-34.9", "Serious")]:
        result = ghi.classify(cell)
        assert (result.label, result.value, result.cell) == (label, None, cell.strip())
    assert ghi.classify("12.3").cell is None
    with pytest.raises(ValueProblem, match="is not a number"):
        ghi.classify("<4")
    with pytest.raises(ValueProblem, match="is not a number"):
        RULES.get("fsi-2015").classify("<5")  # cells belong to the sets that declare them


def test_label_only_sets_refuse_a_score_and_keep_their_labels():
    ituc = RULES.get("ituc")
    with pytest.raises(ValueProblem) as problem:
        ituc.classify("3")
    assert problem.value.kind == LABEL_ONLY
    assert str(problem.value).startswith("ituc has labels only: ITUC rates countries 1 to 5")
    assert ituc.classify("NA") is None and ituc.classify(None) is None
    assert [b.aliases for b in ituc.bands][-2:] == [("5",), ("5+",)]
    assert RULES.get("civicus").describe_scale() == "labels only, no score"


@pytest.mark.parametrize(("set_id", "points"), [
    ("hdi", None), ("gdi", None), ("eiu", None), ("bti-status", None), ("ghi-2015", None), ("civicus", None),
    ("fotp", None), ("afi", ("0", "0.2", "0.4", "0.6", "0.8", "1")), ("fsi-2015", ("0", "30", "60", "90", "120")),
])
def test_cut_points_only_where_comparisons_decide(set_id, points):
    """The vectorised engine may bisect only where the read value alone decides (see BandSet.cut_points):
    not after rounding, on a distance, through a gate, for labels only, with cells or on a stepped scale.
    Ambiguous ties (afi) keep their cut points: a value on a cut is its own interval."""
    expected = None if points is None else tuple(Decimal(p) for p in points)
    assert RULES.get(set_id).cut_points() == expected


def test_band_aliases_are_the_attribute_verify_reads():
    fh = RULES.get("fh-status")
    assert [(b.label, getattr(b, "aliases", ())) for b in fh.bands] == [
        ("Free", ("F",)), ("Partly Free", ("PF",)), ("Not Free", ("NF",))]
    assert RULES.get("rsf-2022").bands[0].aliases == ("Bonne situation",)
    assert RULES.get("hdi").bands[0].names == ("Very high human development", "Very high")


def test_every_builtin_set_is_graded():
    for band_set in RULES:
        assert band_set.confidence in ("high", "medium"), band_set.id
        assert band_set.verified, band_set.id
        if band_set.confidence == "medium":
            assert band_set.unconfirmed, band_set.id
    medium = {s.id for s in RULES if s.confidence == "medium"}
    assert {"eiu", "ghi-2015", "heritage-ief", "article19-gxr", "afi", "ibp-obi", "un-egdi"} <= medium


@pytest.mark.parametrize(("text", "line", "message"), [
    (set_toml(extra='verified = 5\n'), 9, "'verified' must be a non-empty string"),
    (set_toml(extra='distance_from = "one"\n'), 9, "distance_from must be a finite number, not 'one'"),
    (set_toml(extra=INPUTS + "distance_from = 1\n"), 11, "'distance_from' does not apply to a composite set"),
    (set_toml(extra='ties = "ambiguous"\nties_reason = ""\n'), 10, "'ties_reason' must be a non-empty string"),
    ((GATED % "").replace('[set.gate]\nvalue = "score"\npassed = "yes"\nfailed = "no"\n'
                          'criteria = [{ input = "q", at_least = 5, label = "q test" }]', 'gate = 5'), 11,
     "'gate' must be a table with value, criteria, passed and failed"),
    ((GATED % "").replace('value = "score"', 'value = "score"\ncolour = "red"'), 11,
     "unknown key 'colour' in gate; allowed: criteria, failed, passed, value"),
    ((GATED % "").replace('passed = "yes"', 'passed = ""'), 11,
     "gate 'passed' must be a non-empty string: the band table used when the gate passed"),
    ((GATED % "").replace('criteria = [{ input = "q", at_least = 5, label = "q test" }]', "criteria = []"), 15,
     "gate 'criteria' must list tables like"),
    ((GATED % "").replace('label = "q test"', 'label = "q test", colour = 1'), 15,
     "unknown key 'colour' in gate criterion 1; allowed: above, at_least, at_most, below, input, label"),
    ((GATED % "").replace("at_least = 5,", 'at_least = "5",'), 15,
     "gate criterion 1 at_least must be a finite number, not '5'"),
    ((GATED % "").replace('table = "no"', 'table = "yes"'), 17,
     "the gate's band table 'no' has no bands"),
], ids=["verified", "distance not a number", "distance on a composite", "empty ties_reason", "gate not a table",
        "gate key", "gate table name", "no criteria", "criterion key", "criterion bound", "empty band table"])
def test_more_misuses_are_located(text, line, message):
    found = errors(text)
    assert any(message in f for f in found), found
    if line:
        assert any(f.startswith(f"rules.toml:{line}: ") and message in f for f in found), found
