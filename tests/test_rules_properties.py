"""Properties of the rules checker, for any text:

- ``check_rules`` never raises, and every finding is one line ``FILE:LINE: severity: ...`` with LINE ≥ 1;
- ``load_rules`` raises RulesError exactly when ``check_rules`` reports an error;
- a file that loads classifies every value of each set's scale into a band, and refuses any
  other value with ValueProblem, never with another exception.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rightsband import RulesError, ValueProblem, check_rules, load_rules
from rightsband.rules import RulesSource

FORMAT = re.compile(r"rules\.toml:[1-9]\d*: (error|warning): .+")
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (control characters, quotes and backslashes escaped)."""
    out = []
    for char in text:
        if char in '"\\' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_number(number: Decimal | int) -> str:
    if isinstance(number, int):
        return str(number)
    if number.is_nan():
        return "nan"
    if number.is_infinite():
        return "inf" if number > 0 else "-inf"
    text = str(number)
    return text if any(c in text for c in ".E") else text + ".0"


plain_names = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
odd_names = st.text(min_size=0, max_size=6)
names = st.one_of(plain_names, plain_names, plain_names, odd_names)
numbers = st.one_of(
    st.integers(min_value=-5, max_value=120),
    st.decimals(min_value=-5, max_value=120, places=2),
    st.sampled_from([Decimal("1e100"), Decimal("-1e100"), Decimal("1e-100"), Decimal("1e-30"), Decimal("nan"),
                     Decimal("inf"), 10**20, Decimal("0.5"), Decimal("2.5")]),
    st.decimals(allow_nan=False, allow_infinity=False),
)
simple_numbers = st.one_of(st.integers(min_value=0, max_value=100), st.decimals(min_value=0, max_value=100, places=1))


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return toml_number(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


@st.composite
def band_tables(draw: st.DrawFn, low: Decimal, high: Decimal, wild: bool = True) -> list[dict[str, object]]:
    """Bands cut from the scale at sorted points (a cover of it), lowest first; if ``wild``, sometimes odd."""
    cuts = sorted(set(draw(st.lists(st.decimals(min_value=low, max_value=high, places=1), max_size=4))))
    edges = [low, *[c for c in cuts if low < c < high], high]
    bands = []
    for n, (lower, upper) in enumerate(itertools.pairwise(edges)):
        label = draw(st.one_of(st.just(f"band {n}"), names)) if wild else f"band {n}"
        band: dict[str, object] = {"label": label, "lower": lower, "upper": upper}
        if wild and draw(st.integers(0, 9)) == 0:
            band[draw(st.sampled_from(["lower", "upper", "value", "closed", "either"]))] = draw(
                st.one_of(numbers, names, st.booleans(), st.lists(names, max_size=2)))
        bands.append(band)
    return bands


@st.composite
def set_tables(draw: st.DrawFn, wild: bool = True) -> dict[str, object]:
    """A [[set]] table: if ``wild``, often with something wrong; else usually one that loads."""
    low = draw(st.sampled_from([Decimal(0), Decimal(1), Decimal(-4)]))
    high = low + draw(st.sampled_from([Decimal(6), Decimal(10), Decimal(100)]))
    bands = draw(band_tables(low, high, wild))
    direction = draw(st.sampled_from(["higher-is-better", "lower-is-better"]))
    if direction == "higher-is-better" and (not wild or draw(st.booleans())):
        bands.reverse()  # best first
    scale: dict[str, object] = {"min": low, "max": high}
    table: dict[str, object] = {
        "id": draw(names if wild else plain_names), "publisher": "P",
        "name": draw(st.one_of(st.just("A set"), st.text(max_size=5))) if wild else "A set",
        "source": {"citation": "C", "url": draw(st.sampled_from(["https://example.org", ""]))},
        "scale": scale, "unit": draw(st.sampled_from(["score", "rating", "percent", "x"] if wild else ["score"])),
        "direction": direction, "band": bands,
    }
    if draw(st.booleans()):
        steps = st.sampled_from([Decimal("0.5"), 1, Decimal("0.1")])
        scale["step"] = draw(st.one_of(steps, numbers) if wild else steps)
    if wild and draw(st.booleans()):
        table["aliases"] = draw(st.lists(names, max_size=3))
    if not wild:
        return table
    if draw(st.booleans()):
        table["years"] = draw(st.one_of(
            st.fixed_dictionaries({"from": st.integers(1990, 2030)}),
            st.fixed_dictionaries({"from": st.one_of(st.integers(), st.booleans()), "to": st.integers(1990, 2030)})))
    if draw(st.integers(0, 4)) == 0:
        key = draw(st.sampled_from(["id", "name", "scale", "unit", "band", "source", "years", "closed", "colour"]))
        table[key] = draw(st.one_of(numbers, names, st.booleans(), st.lists(numbers, max_size=2)))
    return table


def document_text(sets: list[dict[str, object]], head: str) -> str:
    lines = [head]
    for table in sets:
        lines.append("[[set]]")
        bands = table.get("band")
        for key, value in table.items():
            if key != "band" or not isinstance(value, list) or not all(isinstance(b, dict) for b in value):
                lines.append(f"{toml_string(key)} = {toml_value(value)}")
        if isinstance(bands, list) and all(isinstance(b, dict) for b in bands):
            for band in bands:
                lines.append("[[set.band]]")
                lines.extend(f"{toml_string(k)} = {toml_value(v)}" for k, v in band.items())
    return "\n".join(lines) + "\n"


documents = st.builds(document_text, st.lists(set_tables(), max_size=3),
                      st.sampled_from(["", "schema = 1", "schema = 2", "colour = 1"]))
good_documents = st.builds(document_text, st.lists(set_tables(wild=False), min_size=1, max_size=2),
                           st.sampled_from(["", "schema = 1"]))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A generated document with a few lines dropped, repeated or replaced by arbitrary text."""
    lines = draw(documents).split("\n")
    for _ in range(draw(st.integers(0, 3))):
        n = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from(["drop", "repeat", "text"]))
        if change == "drop":
            del lines[n]
        elif change == "repeat":
            lines.insert(n, lines[n])
        else:
            lines[n] = draw(st.text(max_size=20))
        if not lines:
            lines = [""]
    return "\n".join(lines)


def check_and_load(text: str) -> None:
    source = RulesSource("rules.toml", text)
    found = check_rules(source, builtins=False)
    for finding in found:
        assert isinstance(finding.line, int) and finding.line >= 1
        assert FORMAT.fullmatch(str(finding)), str(finding)
    errors = [str(f) for f in found if f.severity == "error"]
    try:
        rules = load_rules(source, builtins=False)
    except RulesError as error:
        assert errors and [str(f) for f in error.findings] == errors
        return
    assert not errors
    for band_set in rules:
        scale = band_set.scale
        for value in (scale.min, scale.max, (scale.min + scale.max) / 2, scale.min - 1, scale.max + 1):
            _assert_banded_or_off_scale(band_set, value)


@SETTINGS
@given(st.text())
def test_any_text(text):
    check_and_load(text)


@SETTINGS
@given(st.one_of(documents, good_documents))
def test_generated_documents(text):
    check_and_load(text)


@SETTINGS
@given(mutated())
def test_mutated_documents(text):
    check_and_load(text)


@SETTINGS
@given(good_documents, st.data())
def test_every_value_of_a_loaded_scale_has_a_band(text, data):
    try:
        rules = load_rules(RulesSource("rules.toml", text), builtins=False)
    except RulesError:
        assume(False)
        return
    for band_set in rules:
        scale = band_set.scale
        _assert_banded_or_off_scale(band_set, data.draw(st.decimals(min_value=scale.min - 1,
                                                                   max_value=scale.max + 1, places=3)))


def _assert_banded_or_off_scale(band_set, value) -> None:
    """A value of the scale lands in a band that holds it; any other value is refused."""
    try:
        result = band_set.classify(value)
    except ValueProblem:
        assert not band_set.scale.contains(value)
    else:
        assert result is not None and value in result.band
