"""Text input: ASCII digits only, and messages that never carry raw control characters."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import command
from rightsband import ValueProblem, load_rules, parse_number
from rightsband.values import parse_years, to_number, visible

RULES = load_rules()


# Non-ASCII digits.

@pytest.mark.parametrize("text", ["٥٣", "５３", "١٢٫٥", "۵۳", "५३", "5٣", "٥٣%", "53,٤٦", " ５３．４６ ", "5²", "١٢.٥"])
def test_non_ascii_digits_are_refused_with_their_own_message(text):
    with pytest.raises(ValueProblem) as error:
        parse_number(text)
    assert str(error.value) == f'"{text}" uses non-ASCII digits; type the digits 0-9'


@pytest.mark.parametrize("text", ["٥٣", "５３", "١٢٫٥"])
def test_a_band_set_names_its_scale_and_the_fix(text):
    with pytest.raises(ValueProblem) as error:
        RULES.get("rsf").classify(text)
    assert str(error.value) == f'"{text}" uses non-ASCII digits (rsf: 0–100, 0 best); type the digits 0-9'


@pytest.mark.parametrize("text", ["12٫5", "12،5", "53％", "５", "٫5"])
def test_other_odd_input_is_refused(text):
    with pytest.raises(ValueProblem, match=r"is not a number|uses non-ASCII digits"):
        parse_number(text)


@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=1, max_size=6))
def test_only_ascii_digits_are_read(text):
    if text.isascii():
        assert parse_number(text) == (Decimal(text), False)
    else:
        with pytest.raises(ValueProblem, match="uses non-ASCII digits; type the digits 0-9"):
            parse_number(text)


def test_years_are_ascii_too():
    assert parse_years("٢٠١٥") == []
    assert parse_years("２０１５") == []
    assert parse_years("2015") == [2015]


# visible().

@pytest.mark.parametrize(("text", "shown"), [
    ("5\r9", "5\\x0d9"), ("\x00", "\\x00"), ("\x1b[31m", "\\x1b[31m"), ("\x7f", "\\x7f"), ("\x85", "\\x85"),
    ("\x9f", "\\x9f"), ("\u2028\u2029", "\\u2028\\u2029"), ("a\u202eb", "a\\u202eb"),
    ("\u202a\u202d", "\\u202a\\u202d"),
    ("\u2066x\u2069", "\\u2066x\\u2069"), ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"), ("\t\n", "\\x09\\x0a"),
    ("53,46 é ٥ ＡZ\u00a0\ufffd\\", "53,46 é ٥ ＡZ\u00a0\ufffd\\"), ("", ""),
])
def test_visible(text, shown):
    assert visible(text) == shown


ESCAPED = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@given(st.text())
def test_visible_leaves_nothing_to_escape(text):
    shown = visible(text)
    assert not ESCAPED.search(shown)
    assert visible(shown) == shown
    if not ESCAPED.search(text):
        assert shown == text


# Messages quote a user's value through visible().

SETS = [RULES.get(i) for i in ("rsf", "gender-gap", "fh-pr", "kidsrights", "rsf-2013", "fh-pr-score")]
CONTROLS = st.characters(categories=["Cc", "Zl", "Zp", "Cf"])
TEXTS = st.text(st.one_of(CONTROLS, st.sampled_from("0123456789.,%-+ ")), max_size=12) | st.text(max_size=12)


def message_of(band_set, raw):
    try:
        band_set.classify(raw)
    except ValueProblem as problem:
        return str(problem)
    return None


@settings(max_examples=500)
@given(TEXTS, TEXTS)
def test_no_message_carries_a_control_character(text, other):
    for band_set in SETS:
        message = message_of(band_set, text)
        assert message is None or visible(message) == message, message
    for raw in ({"pr": text, "cl": other}, {"pr": other, "cl": text}):
        message = message_of(RULES.get("fh-status"), raw)
        assert message is None or visible(message) == message, message


@given(TEXTS)
def test_not_even_from_python_objects(text):
    class Odd:
        def __repr__(self) -> str:
            return text

    for value in (Odd(), [text], text.encode("utf-8", "replace"), float("inf")):
        message = message_of(RULES.get("rsf"), value)
        assert message is not None and visible(message) == message, message
    with pytest.raises(TypeError) as error:
        to_number(Odd())
    assert visible(str(error.value)) == str(error.value)


@pytest.mark.parametrize(("set_id", "raw", "quoted"), [
    ("rsf", "5\r9", '"5\\x0d9" is not a number'),
    ("rsf", "\x1b[2J101", '"\\x1b[2J101" is not a number'),
    ("fh-pr", "3\u2028%", '"3\\u2028%" has a percent sign'),
    ("gender-gap", "72.1\x85", '"72.1\\x85" is outside 0–1, the fraction scale gender-gap is published on; '
                               'for a percent, type "72.1\\x85%"'),
    ("rsf", "101\x0b", '"101\\x0b" is outside the rsf scale'),
    ("fh-pr", "2.5\x0c", '"2.5\\x0c" is not a valid fh-pr rating'),
])
def test_each_message_that_quotes_a_value_escapes_it(set_id, raw, quoted):
    with pytest.raises(ValueProblem) as error:
        RULES.get(set_id).classify(raw)
    assert quoted in str(error.value)


def test_the_command_line_shows_a_carriage_return_as_an_escape():
    result = subprocess.run([*command(), "classify", "rsf", "-"], input=b"5\r9\n", capture_output=True)
    assert result.returncode == 1
    assert b"\r" not in result.stderr
    assert b'"5\\x0d9" is not a number' in result.stderr
