"""Properties of `label`: for any CSV, the output is the input with one label cell added to each
record, byte for byte, whatever the block size (so the NumPy scanner and the exact reader agree)."""

from __future__ import annotations

import contextlib
import io
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import rsf_label
from rightsband import load_rules
from rightsband.batch import Mapping, label_csv, prefetch

RULES = load_rules()
#: Plain cells keep a block on the NumPy scanner; NUL and lone CR send it to the exact reader.
PLAIN = list('ab ,;|"\n\t0.5-NAé')
HOSTILE = [*PLAIN, "\x00", "\r"]
SCORES = st.one_of(
    st.decimals(min_value=0, max_value=100, places=2).map(str),
    st.sampled_from(["", "NA", "n/a", "..", "-", " 12 ", "1,50", "53,46", "abc", "100.01", "-1", "7%", "15", "25.00"]),
)


@st.composite
def tables(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    """Rows of (name, score, note); the cells of one table are plain or hostile throughout."""
    cell = st.text(alphabet=st.sampled_from(draw(st.sampled_from([PLAIN, HOSTILE]))), max_size=6)
    return draw(st.lists(st.tuples(cell, st.one_of(SCORES, cell), cell), max_size=25))


def encode(cells: list[str], delimiter: str, quote_all: bool) -> str:
    """One record as a careful CSV writer writes it (quoting a cell with a delimiter, quote, CR or LF)."""
    def cell(text: str) -> str:
        if quote_all or any(c in text for c in (delimiter, '"', "\r", "\n")):
            return '"' + text.replace('"', '""') + '"'
        return text
    return delimiter.join(cell(c) for c in cells)


@settings(max_examples=300, deadline=None)
@given(
    rows=tables(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    ending=st.sampled_from(["\n", "\r\n"]),
    quote_all=st.booleans(),
    final_ending=st.booleans(),
    bom=st.booleans(),
    chunk_size=st.sampled_from([1, 7, 64, 1 << 20]),
    in_line=st.booleans(),
)
def test_output_is_the_input_plus_one_label_cell(rows, delimiter, ending, quote_all, final_ending, bom, chunk_size,
                                                  in_line):
    header = ["name", "score", "note"]
    records = [header, *map(list, rows)]
    bodies = [encode(cells, delimiter, quote_all) for cells in records]
    endings = [ending] * len(bodies)
    if not final_ending:
        endings[-1] = ""
    data = ("\ufeff" if bom else "") + "".join(b + e for b, e in zip(bodies, endings))

    labels = ["score_label"] + [rsf_label(cells[1]) for cells in records[1:]]
    expected = ("\ufeff" if bom else "") + "".join(
        body + delimiter + encode([label], delimiter, False) + end for body, label, end in zip(bodies, labels, endings)
    )
    out = io.BytesIO()
    with mock.patch.object(prefetch, "_single_threaded", lambda: False) if in_line else contextlib.nullcontext():
        report = label_csv(io.BytesIO(data.encode()), out, [Mapping.parse("score=rsf", RULES)], delimiter=delimiter,
                           chunk_size=chunk_size)
    assert out.getvalue() == expected.encode()
    assert report.records == len(rows)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(st.text(alphabet=PLAIN, max_size=6), SCORES), min_size=1, max_size=40))
def test_delimiter_detection_is_deterministic_and_explicit_flag_agrees(rows):
    """Detected from a header with one comma, the delimiter is the comma; the output equals
    the output with --delimiter , given."""
    data = ("name,score\n" + "".join(encode(list(r), ",", False) + "\n" for r in rows)).encode()
    mapping = [Mapping.parse("score=rsf", RULES)]
    detected, explicit = io.BytesIO(), io.BytesIO()
    label_csv(io.BytesIO(data), detected, mapping)
    label_csv(io.BytesIO(data), explicit, mapping, delimiter=",")
    assert detected.getvalue() == explicit.getvalue()
