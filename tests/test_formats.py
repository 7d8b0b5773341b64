"""The shared output formats: lossless TSV, cells without Python reprs, every format parseable."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rightsband.formats import FORMATS, TableWriter, cell_text, tsv_cell, tsv_unescape


@given(st.text())
def test_tsv_cells_round_trip_and_stay_on_one_line(text):
    cell = tsv_cell(text)
    assert "\t" not in cell and "\n" not in cell and "\r" not in cell
    assert tsv_unescape(cell) == text


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (True, "true"), (False, ""), ([], ""), ({}, ""),
    (["Partly Free", "Not Free"], '["Partly Free","Not Free"]'),
    ({"from": 2013}, '{"from":2013}'), (3, "3"), ("a\tb", "a\tb"),
])
def test_cells_are_never_python_reprs(value, text):
    assert cell_text(value) == text


ROWS = [{"input": "5", "label": "Free", "either": [], "undetermined": False, "error": None},
        {"input": "a\tb\nc\\d", "label": None, "either": ["x", "y"], "undetermined": True, "error": "bad"}]


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "text"])
def test_every_machine_format_parses_back(fmt):
    out = io.StringIO()
    writer = TableWriter(out, fmt)
    writer.write_all(ROWS)
    writer.close()
    text = out.getvalue()
    if fmt == "json":
        assert json.loads(text) == ROWS
    elif fmt == "jsonl":
        assert [json.loads(line) for line in text.splitlines()] == ROWS
    else:
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(text)))
        else:
            rows = [[tsv_unescape(c) for c in line.split("\t")] for line in text.split("\n")[:-1]]
        assert rows[0] == list(ROWS[0])
        assert rows[2] == ["a\tb\nc\\d", "", '["x","y"]', "true", "bad"]
        assert not any(word in text for word in ("True", "False", "None", "['"))


def test_an_empty_json_table_is_an_empty_array():
    out = io.StringIO()
    writer = TableWriter(out, "json")
    writer.close()
    assert json.loads(out.getvalue()) == []


def test_text_is_not_a_table_format():
    with pytest.raises(ValueError, match="not 'text'"):
        TableWriter(io.StringIO(), "text")


def test_a_header_is_written_even_without_rows():
    out = io.StringIO()
    TableWriter(out, "csv", ["a", "b"]).close()
    assert out.getvalue() == "a,b\n"
