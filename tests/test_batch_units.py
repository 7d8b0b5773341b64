"""The label engine's parts: the byte source (files and pipes), records and their pickling, piecewise
writes, slices, long cells, the exact reader's edges, and label_csv's arguments and notices."""

from __future__ import annotations

import csv
import io
import pickle
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rightsband import csvscan, load_rules
from rightsband.batch import FIND_YEAR_COLUMN, Mapping, MappingError, label_csv, prefetch
from rightsband.batch.writers import Writer
from rightsband.csvscan import CsvError, CsvReader, Records
from rightsband.csvscan.records import _SplitRecords
from rightsband.csvscan.source import _last_line_end, _next_line_end, _ready

RULES = load_rules()


@pytest.fixture(autouse=True)
def _in_line(monkeypatch):
    """Everything here runs in this process (so that coverage sees it); the helper has its own tests."""
    monkeypatch.setattr(prefetch, "_single_threaded", lambda: False)


def label(data: bytes, *specs: str, **options) -> bytes:
    out = io.BytesIO()
    options.setdefault("year_column", None)
    label_csv(io.BytesIO(data), out, [Mapping.parse(spec, RULES) for spec in specs], **options)
    return out.getvalue()


def table(rows: int, ending: bytes = b"\n", width: int = 30) -> bytes:
    return b"name,score,note" + ending + b"".join(
        b"r%d,%d.%02d,%s" % (n, n % 101, n % 100, b"x" * (n % width)) + ending for n in range(rows))


# ---- the source ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, at, eof, end", [
    (b"ab\r", 0, False, -1), (b"ab\r", 0, True, 3), (b"ab\r\ncd", 0, False, 4), (b"ab\rcd", 0, False, 3),
    (b"ab\ncd\r", 3, False, -1), (b"abc", 0, True, -1), (b"a\nb", 0, False, 2),
])
def test_next_line_end(data, at, eof, end):
    assert _next_line_end(data, at, eof) == end


@pytest.mark.parametrize("data, lo, hi, eof, end", [
    (b"a\nb\r", 0, 4, False, 2), (b"a\nb\r", 0, 4, True, 4), (b"ab\r", 0, 3, False, -1), (b"a\r\nb", 0, 2, False, 3),
    (b"a\rb", 0, 3, False, 2), (b"abc", 0, 3, True, -1), (b"a\nbc", 2, 4, False, -1), (b"ab\r", 2, 3, False, -1),
])
def test_last_line_end(data, lo, hi, eof, end):
    assert _last_line_end(data, lo, hi, eof) == end


def test_ready_on_a_closed_descriptor_is_false():
    assert _ready(-1) is False


def test_ascii_compatible():
    assert csvscan.ascii_compatible("latin-1") and csvscan.ascii_compatible("utf-8-sig")
    assert not csvscan.ascii_compatible("utf-16") and not csvscan.ascii_compatible("no-such-codec")


WRITER = """
import sys, time
out = sys.stdout.buffer
out.write(b"name,score\\nA,12\\n" + b"B," + b"9" * 200000 + b"\\nC,5")
out.flush()
time.sleep(0.3)
out.write(b"3\\n\\"D\\nD\\",53.46\\r")
out.flush()
time.sleep(0.3)
out.write(b"\\nE,7\\r")
"""


@pytest.mark.parametrize("chunk_size", [1, 64, 1 << 20])
def test_a_pipe_that_trickles(chunk_size):
    """Records are labelled as they come; a line longer than a read, a CR at the end of a read."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER], stdout=subprocess.PIPE)
    out = io.BytesIO()
    try:
        report = label_csv(writer.stdout, out, [Mapping.parse("score=rsf", RULES)], year_column=None,
                           chunk_size=chunk_size)
    finally:
        writer.stdout.close()
        writer.wait()
    lines = out.getvalue().split(b"\n")
    assert lines[0] == b"name,score,score_label" and lines[1] == b'A,12,"Largely free, diverse and independent"'
    assert lines[2].endswith(b"9,") and lines[3] == b'C,53,"Highly controlled, limited or intimidated"'
    assert lines[4:] == [b'"D', b'D",53.46,"Highly controlled, limited or intimidated"\r',
                         b'E,7,"Largely free, diverse and independent"\r']
    assert report.records == 5


def test_a_stream_without_read1_and_an_empty_one():
    class Plain:
        def __init__(self, data: bytes):
            self._data = io.BytesIO(data)

        def read(self, size: int = -1) -> bytes:
            return self._data.read(min(size, 3))

    out = io.BytesIO()
    label_csv(Plain(b"score\r\n12\r"), out, [Mapping.parse("score=rsf", RULES)], year_column=None, chunk_size=2)
    assert out.getvalue() == b'score,score_label\r\n12,"Largely free, diverse and independent"\r'
    with pytest.raises(CsvError, match="the input is empty"):
        label_csv(Plain(b""), io.BytesIO(), [Mapping.parse("score=rsf", RULES)])


# ---- records: pickled without what follows them, written joined or piece by piece --------------------

def test_records_pickle_without_their_tail():
    data = b"a,1\r\nb,2\nrest of the chunk"
    records = Records(data, [0, 5], [3, 8], [5, 9])
    again = pickle.loads(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))
    assert again.bodies() == [b"a,1", b"b,2"] and again.terminators == [b"\r\n", b"\n"]
    assert again._data == b"a,1\r\nb,2\n"
    split = _SplitRecords(data.replace(b"\r\n", b"\n"), b"\n", 2, 8)
    again = pickle.loads(pickle.dumps(split, protocol=pickle.HIGHEST_PROTOCOL))
    assert (again.bodies(), again.terminators, len(again)) == ([b"a,1", b"b,2"], [b"\n", b"\n"], 2)
    whole = _SplitRecords(b"a\n", b"\n", 1, 2)
    assert pickle.loads(pickle.dumps(whole, protocol=pickle.HIGHEST_PROTOCOL)).bodies() == [b"a"]


@pytest.mark.parametrize("data", [
    table(300), table(300, b"\r\n"), table(300).replace(b"r7,", b'"r\n7",'), table(40) + b"\r\nlast,5",
    b"name,score,note\n\nA,12,x\n\n",
])
def test_piecewise_writes_give_the_same_bytes(monkeypatch, data):
    joined = label(data, "score=rsf", "score=rsf:second", chunk_size=500)
    monkeypatch.setattr(csvscan.records, "JOIN_UP_TO", 0)
    assert label(data, "score=rsf", "score=rsf:second", chunk_size=500) == joined


def test_few_records_of_a_long_chunk_keep_only_their_bytes(monkeypatch):
    data = table(2000)
    expected = label(data, "score=rsf")
    monkeypatch.setattr(csvscan.fast, "MAX_RECORDS", 3)
    assert label(data, "score=rsf") == expected


def test_small_slices_find_the_same_structure(monkeypatch):
    data = table(500).replace(b"r9,", b'"r,9",')
    expected = label(data, "score=rsf", "name=rsf:n")
    monkeypatch.setattr(csvscan.fast, "SLICE", 16)
    assert label(data, "score=rsf", "name=rsf:n") == expected
    latin = "name,score\ncafé,5\n".encode("latin-1") * 50
    with pytest.raises(CsvError, match=r"line 2, byte 4: 0xe9 is not valid utf-8"):
        label(latin, "score=rsf")


@pytest.mark.parametrize("long_cell", [2, 9, 40])
def test_cells_coded_as_words_rows_of_words_or_one_by_one(monkeypatch, long_cell):
    data = (b"score,b\n" + b"".join(b"%s,%d\n" % (s, n) for n, s in enumerate(
        [b"12", b"12.000000001", b"12", b"53.46", b"1" * 30, b"53.460", b"1" * 30, b"NA", b"12.000000001"] * 5)))
    expected = label(data, "score=rsf", "b=rsf:c")
    monkeypatch.setattr(csvscan.fast, "LONG_CELL", long_cell)
    assert label(data, "score=rsf", "b=rsf:c") == expected
    assert label(data, "score=rsf", chunk_size=1) == label(data, "score=rsf")
    reader = CsvReader(io.BytesIO(b"score\n" + b"1" * 20 + b"\n" + b"2" * 20 + b"\n" + b"1" * 20 + b"\n"))
    block = next(reader.blocks((0,)))
    codes, keys = block.cells(0)
    assert [block.text(keys[code]) for code in codes.tolist()] == ["1" * 20, "2" * 20, "1" * 20]
    assert len(keys) == 2


# ---- the exact reader's edges -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_blank_lines_of_a_one_column_file(fmt):
    """One column: a blank line has the header's number of delimiters (none); the scanner still refuses it."""
    out = label(b"score\n12\n\n5\n", "score=rsf", fmt=fmt)
    lines = out.decode().splitlines()
    assert len(lines) == {"csv": 4, "tsv": 3, "jsonl": 2}[fmt]
    assert fmt != "csv" or lines[2] == ""


def test_a_blank_first_line_is_refused():
    with pytest.raises(CsvError, match="line 1 is blank"):
        CsvReader(io.BytesIO(b"\nscore\n1\n"))


def test_nothing_more_to_read_gives_no_block():
    reader = CsvReader(io.BytesIO(b"score\n"))
    assert list(reader.blocks((0,))) == []
    assert list(reader._exact(None, (0,), keep_fields=False, limit=1)) == []


def test_a_field_larger_than_the_csv_module_takes(monkeypatch):
    limit = csv.field_size_limit()
    csv.field_size_limit(10)
    try:
        with pytest.raises(CsvError, match=r"line 3: field larger than field limit"):
            label(b'a,score\n\n"' + b"x" * 20 + b'",5\n', "score=rsf")
    finally:
        csv.field_size_limit(limit)


# ---- combine_codes and the writer with no mappings ----------------------------------------------------

def test_combine_codes_of_nothing():
    codes, holders = csvscan.combine_codes([], 3)
    assert codes.tolist() == [0, 0, 0] and len(holders) == 1
    codes, holders = csvscan.combine_codes([(np.zeros(0, dtype=np.int64), 5)], 0)
    assert len(codes) == 0 and len(holders) == 0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([b"\n", b"\r\n", b"\r", b"x,1\n", b'"y\n",2\r\n', b"z,3"]), max_size=12))
def test_no_mappings_copy_the_input(pieces):
    data = b"a,b\n" + b"".join(pieces)
    out = io.BytesIO()
    label_csv(io.BytesIO(data), out, [], year_column=None, chunk_size=4)
    assert out.getvalue() == data


def test_the_base_writer_writes_nothing_itself():
    reader = CsvReader(io.BytesIO(b"a\n"))
    with pytest.raises(NotImplementedError):
        Writer(reader, [], io.BytesIO()).write(None, [])


# ---- label_csv's arguments, notices and progress ------------------------------------------------------

def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="fmt must be one of"):
        label(b"score\n1\n", "score=rsf", fmt="xml")


def test_progress_counts_the_bytes_read():
    seen: list[int] = []
    data = table(200)
    label(data, "score=rsf", on_progress=seen.append, chunk_size=256)
    assert seen == sorted(seen) and seen[-1] == len(data) and len(seen) > 3


def test_year_column_found_and_notices():
    notices: list[str] = []
    out = io.BytesIO()
    label_csv(io.BytesIO(b"Year,score\n2015,53.46\n2024,95\n"), out, [Mapping.parse("score=rsf-map", RULES)],
              on_notice=notices.append)
    assert notices == ['years from column "Year"']
    assert out.getvalue().decode().splitlines()[1:] == ["2015,53.46,Difficult", "2024,95,Good"]
    notices.clear()
    label_csv(io.BytesIO(b"score\n12\n"), io.BytesIO(), [Mapping.parse("score=rsf", RULES)], on_notice=notices.append)
    assert notices == ["no year column: labels on rsf assume its years, 2013–2021"]
    assert repr(FIND_YEAR_COLUMN) == "FIND_YEAR_COLUMN"


@pytest.mark.parametrize("spec, message", [
    ("score=rsf-map", "rsf-map picks its edition by year (rsf-2013 (2013–2021), rsf-2022"),
    ("score=rsf", "rsf picks its edition by year (rsf covers 2013–2021)"),
])
def test_a_mapping_by_year_without_a_year_column(spec, message):
    mapping = Mapping.parse(spec, RULES).by_year()
    with pytest.raises(MappingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        label_csv(io.BytesIO(b"score\n1\n"), io.BytesIO(), [mapping], year_column=None)
