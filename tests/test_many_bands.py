"""A set with tens of thousands of bands: building an engine is linear in its bands, and the band a
number falls in is the one a scan of every band finds, at every bound."""

from __future__ import annotations

import io
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rightsband import ValueProblem, load_rules
from rightsband.batch import Mapping, label_csv
from rightsband.engine import Engine
from rightsband.model import lookup
from rightsband.model.bandset import BandSet
from rightsband.model.parts import Band, Scale


def rules_file(path, count: int):
    """A rules file with one set, ``many``, of ``count`` bands ``[k, k+1)`` on a 0–count scale, named ``b{k}``."""
    text = ('schema = 1\n[[set]]\nid = "many"\nname = "Many bands"\npublisher = "Test"\n'
            'source = { citation = "A test", url = "https://example.org" }\n'
            f'scale = {{ min = 0, max = {count} }}\nunit = "score"\ndirection = "lower-is-better"\n')
    text += "".join(f'\n[[set.band]]\nlabel = "b{k}"\nlower = {k}\nupper = {k + 1}\n' for k in range(count))
    path.write_text(text, encoding="utf-8")
    return path


def band_checks(tmp_path, monkeypatch, count: int) -> int:
    """How many times a band is asked whether it holds a number while an engine of ``count`` bands is built
    and classifies one value."""
    many = load_rules(rules_file(tmp_path / f"many{count}.toml", count)).get("many")
    asked = 0
    holds = Band.__contains__

    def counted(band, value):
        nonlocal asked
        asked += 1
        return holds(band, value)

    monkeypatch.setattr(Band, "__contains__", counted)
    assert Engine(many).texts(["5.5"]).tolist() == [5]
    return asked


def test_building_an_engine_is_linear_in_the_bands(tmp_path, monkeypatch):
    small, large = band_checks(tmp_path, monkeypatch, 200), band_checks(tmp_path, monkeypatch, 2000)
    assert large < 12 * small  # ten times the bands: about ten times the work (a scan per number: a hundred)


def test_twenty_thousand_bands_label_at_every_bound(tmp_path):
    count = 20_000
    path = rules_file(tmp_path / "many.toml", count)
    many = load_rules(path).get("many")
    source = "score\n" + "".join(f"{k}\n{k}.5\n" for k in range(count + 1))
    out = io.BytesIO()
    report = label_csv(io.BytesIO(source.encode()), out, [Mapping(("score",), many, "band")])
    rows = out.getvalue().decode().splitlines()[1:]
    expected = [f"b{min(k, count - 1)}" for k in range(count + 1) for _ in (0, 1)][:-1]  # 20000.5 is off the scale
    assert [row.split(",")[1] for row in rows[:-1]] == expected
    assert rows[-1] == f"{count}.5," and report.problems == 1


# -- the band a number falls in, against a scan of every band ----------------------------------------------------

BOUNDS = st.lists(st.integers(0, 40), min_size=2, max_size=12, unique=True).map(sorted)


@st.composite
def band_sets(draw) -> BandSet:
    """Bands on 0–40: touching, with gaps, one-point, or overlapping, either side of each bound held or not,
    listed in any order, their ties banded or ambiguous, in one or two band tables."""
    cuts = draw(BOUNDS)
    bands = []
    for n, (lower, upper) in enumerate(pairwise(cuts)):
        if draw(st.integers(0, 5)) == 0:  # now and then a band off the pattern: a point, an overlap, a gap
            lower, upper = sorted((draw(st.integers(0, 40)), draw(st.integers(0, 40))))
        bands.append(Band(f"b{n}", Decimal(lower), Decimal(upper), draw(st.booleans()), draw(st.booleans()),
                          table=draw(st.sampled_from(["", "", "other"]))))
    order = draw(st.permutations(bands))
    return BandSet("t", "Test", "Test", "A test", Scale(Decimal(0), Decimal(40)), "score", "lower-is-better",
                   tuple(order), ties=draw(st.sampled_from(["banded", "ambiguous"])))


def outcome(band_set: BandSet, value: Decimal, table: str) -> tuple[object, object]:
    """The band of a table holding a value, and the value's band (or refusal, on an ambiguous tie)."""
    return attempt(lambda: band_set.band_for(value, table)[0]), attempt(lambda: band_set.decide(value, "").position)


def attempt(find) -> object:
    try:
        return find()
    except ValueProblem as problem:
        return str(problem)


@settings(max_examples=300, deadline=None)
@given(band_sets(), st.sampled_from(["", "other"]))
def test_the_band_found_is_the_scans(band_set, table):
    values = sorted({b + d for band in band_set.bands for b in (band.lower, band.upper)
                     for d in (Decimal("-0.5"), Decimal(0), Decimal("0.5"))})
    found = [outcome(band_set, value, table) for value in values]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lookup, "_sorted", lambda members: (None, members))  # every band scanned, in order
        scanned = band_set.with_inputs(())
        assert [outcome(scanned, value, table) for value in values] == found
