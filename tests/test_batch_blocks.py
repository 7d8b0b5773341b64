"""batch.label_blocks: label_csv's engine block by block, for a caller that reads the outcomes (verify):
the same outcomes, counts and problems as label_csv, exact record and line numbers, kept cells."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from rightsband import load_rules
from rightsband.batch import EVERY_MAPPING, LabelledBlock, Mapping, MappingError, label_blocks, label_csv, prefetch
from rightsband.csvscan import NO_CELL
from rightsband.problems import RAGGED

RULES = load_rules()


@pytest.fixture(params=["in line", "helper"])
def where(request, monkeypatch):
    """Each test runs with the blocks made in this process and (on Linux) in the helper process."""
    if request.param == "in line":
        monkeypatch.setattr(prefetch, "_single_threaded", lambda: False)
    return request.param


def blocks(data: bytes, specs: list[str], keep: tuple[int, ...] = (), **options) -> tuple[list[LabelledBlock], object]:
    options.setdefault("year_column", None)
    run = label_blocks(io.BytesIO(data), [Mapping.parse(spec, RULES) for spec in specs], **options)
    return list(run.blocks(keep)), run


def cell(kept: tuple[np.ndarray, list[str]], row: int) -> str | None:
    codes, texts = kept
    return None if codes[row] == NO_CELL else texts[codes[row]]


def scores(rows: int) -> bytes:
    lines = [b"country;year;score;pr;cl"]
    for n in range(rows):
        lines.append(b'"C %d";%d;%d,%02d;%d;%d' % (n, 2013 + n % 9, n % 101, n % 97, 1 + n % 7, 1 + n % 5))
        if n % 50 == 7:
            lines.append(b"")  # a blank line: not a record
        if n % 60 == 11:
            lines.append(b'"multi\nline";2015;abc;1;1')  # a line break inside a cell, and a bad score
    return b"\n".join(lines) + b"\n"


def test_outcomes_counts_and_problems_are_label_csvs(where):
    data = scores(700)
    specs = ["score=rsf:a", "pr,cl=fh-status:b"]
    out, problems = io.BytesIO(), []
    report = label_csv(io.BytesIO(data), out, [Mapping.parse(s, RULES) for s in specs], year_column=None,
                       on_problem=problems.append, chunk_size=512)
    found, run = blocks(data, specs, chunk_size=512)
    assert len(found) > 20  # many blocks
    written = list(csv.reader(io.StringIO(out.getvalue().decode()), delimiter=";"))[1:]
    labels = [[*m.labels, "", ""] for m in run.mappings]
    given = [[labels[n][o] for n, o in enumerate(row)]
             for block in found for row in zip(*(o.tolist() for o in block.outcomes))]
    assert given == [row[-2:] for row in written if row]
    got = [problem for block in found for _, problem in block.problems]
    assert [str(p) for p in got] == [str(p) for p in problems] and len(got) == report.problems
    assert {order for block in found for order, _ in block.problems} == {0}  # bad scores: mapping 0's
    assert (run.report.records, run.report.blank, run.report.problems) == (report.records, report.blank,
                                                                         report.problems)
    assert [t.bands for t in run.report.tallies] == [t.bands for t in report.tallies]
    assert sum(block.blank for block in found) == report.blank == 14


def test_records_and_lines_are_exact(where):
    data = scores(300)
    found, _ = blocks(data, ["score=rsf"], keep=(0,), chunk_size=256)
    records = np.concatenate([block.records for block in found]).tolist()
    lines = np.concatenate([block.lines for block in found]).tolist()
    countries = [cell(block.kept[0], row) for block in found for row in range(len(block.records))]
    assert records == list(range(1, len(records) + 1))
    expected_lines, expected_countries, line = [], [], 2
    for row in list(csv.reader(io.StringIO(data.decode()), delimiter=";"))[1:]:
        if row:
            expected_lines.append(line)
            expected_countries.append(row[0])
        line += 1 + sum(c.count("\n") for c in row)
    assert lines == expected_lines and countries == expected_countries
    first_bad = next(p for block in found for _, p in block.problems)
    assert first_bad.line == lines[first_bad.record - 1] and first_bad.cell == "abc"


def test_kept_cells_are_distinct_texts_and_a_ragged_records_own(where):
    data = b'name;score;label\nA;2;"Good; really"\nB;2;x\nC;"1""3";x;extra\nD\n\nE;2;"Good; really"\n'
    found, run = blocks(data, ["score=fh-pr"], keep=(2, 0, 1))
    [block] = found
    labels, names, values = block.kept
    assert labels[1][:2] == ["Good; really", "x"]  # each distinct text once (a ragged record's are added)
    assert [cell(labels, r) for r in range(5)] == ["Good; really", "x", "x", None, "Good; really"]
    assert [cell(names, r) for r in range(5)] == ["A", "B", "C", "D", "E"]
    assert [cell(values, r) for r in range(5)] == ["2", "2", '1"3', None, "2"]
    assert block.lines.tolist() == [2, 3, 4, 5, 7] and block.blank == 1
    ragged = [(order, p.record, p.kind) for order, p in block.problems]
    assert ragged == [(EVERY_MAPPING, 3, RAGGED), (EVERY_MAPPING, 4, RAGGED)]
    bad = len(run.mappings[0].labels) + 1
    assert block.outcomes[0].tolist()[2:4] == [bad, bad]


def test_outcomes_index_the_labels_of_every_edition_by_year(where):
    data = b"year,score\n2015,10\n2023,90\n2023,10\n1990,5\n"
    found, run = blocks(data, ["score=rsf-map"], keep=(0,), year_column="year")
    labels = [*run.mappings[0].labels, "", ""]
    assert run.year_column == "year" and run.mappings[0].choose is not None
    assert [labels[o] for o in found[0].outcomes[0].tolist()][:3] == ["Good", "Good", "Very serious"]
    assert [(order, p.kind) for order, p in found[0].problems] == [(0, "year")]


def test_a_run_is_read_once_and_its_usage_errors_come_first():
    run = label_blocks(io.BytesIO(b"a,b\n1,2\n"), [Mapping.parse("a=rsf", RULES)], year_column=None)
    assert run.header == ["a", "b"]
    with pytest.raises(IndexError):
        run.blocks((2,))
    assert len(list(run.blocks((1,)))) == 1
    with pytest.raises(RuntimeError, match="read once"):
        run.blocks()
    with pytest.raises(MappingError, match='no column "c"'):
        label_blocks(io.BytesIO(b"a,b\n1,2\n"), [Mapping.parse("c=rsf", RULES)])


def test_closing_early_stops_the_run(where):
    run = label_blocks(io.BytesIO(scores(2000)), [Mapping.parse("score=rsf", RULES)], year_column=None,
                       chunk_size=256)
    items = run.blocks()
    first = next(items)
    items.close()
    assert run.report.records == len(first.records) > 0
