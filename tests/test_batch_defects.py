"""Reproducers of defects found in the label engine, each kept as a test, through label_csv and the
command, with the blocks made by the forked helper and in line (the ``engine`` fixture)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import command, rsf_label
from rightsband import csvscan, load_rules
from rightsband.batch import Mapping, label_csv
from rightsband.formats import tsv_cell
from rightsband.problems import RAGGED, YEAR, Problem
from rightsband.values import ValueProblem

RULES = load_rules()


def label(data: bytes, *specs: str, chunk_size: int | None = None, **options):
    """Label ``data`` in process: the output bytes, the report and the problems."""
    out = io.BytesIO()
    problems: list[Problem] = []
    options.setdefault("year_column", None)
    report = label_csv(io.BytesIO(data), out, [Mapping.parse(spec, RULES) for spec in specs],
                       on_problem=problems.append, chunk_size=chunk_size, **options)
    return out.getvalue(), report, problems


def where(problems: list[Problem]) -> list[tuple]:
    return [(p.line, p.record, p.column, p.cell, p.set_id, p.kind) for p in problems]


def quoted(text: str, delimiter: str = ",") -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in (delimiter, '"', "\r", "\n")) else text


CHUNK_SIZES = [1, 5, 64, None]


# ---- 1. a blank or short record shifted composite and year-column labels onto other records ----------

@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
def test_a_blank_line_before_a_composite_record(engine, chunk_size):
    out, report, problems = label(b"pr,cl\n\n6,5\n1,1\n", "pr,cl=fh-status", chunk_size=chunk_size)
    assert out == b"pr,cl,fh-status_label\n\n6,5,Not Free\n1,1,Free\n"
    assert (report.records, report.blank, report.problems, problems) == (2, 1, 0, [])


@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
def test_a_blank_line_before_a_record_labelled_by_its_year(engine, chunk_size):
    out, _, problems = label(b"country,year,score\n\nKZ,2015,53.46\nNO,2024,95\n", "score=rsf-map:category",
                             year_column="year", chunk_size=chunk_size)
    assert out == b"country,year,score,category\n\nKZ,2015,53.46,Difficult\nNO,2024,95,Good\n"
    assert problems == []


@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
def test_a_short_record_before_an_out_of_scale_composite(engine, chunk_size):
    out, report, problems = label(b"pr,cl\nX\n40,61\n1,1\n", "pr,cl=fh-status-scores", chunk_size=chunk_size)
    assert out == b"pr,cl,fh-status-scores_label\nX,\n40,61,\n1,1,Not Free\n"
    assert where(problems) == [(2, 1, None, "", "", RAGGED),
                               (3, 2, "pr,cl", "pr=40 cl=61", "fh-status-scores", "outside-scale")]
    assert report.problems == 2


def test_only_a_blank_line_after_the_header(engine):
    out, report, problems = label(b"pr,cl\n\n", "pr,cl=fh-status")
    assert out == b"pr,cl,fh-status_label\n\n"
    assert (report.records, report.blank, problems) == (0, 1, [])


def test_the_command_on_the_reported_inputs(run, engine):
    result = run("label", "-c", "pr,cl=fh-status", input="pr,cl\n\n6,5\n1,1\n")
    assert (result.stdout, result.exit_code) == ("pr,cl,fh-status_label\n\n6,5,Not Free\n1,1,Free\n", 0)
    result = run("label", "-c", "score=rsf-map:category", "--year-column", "year",
                 input="country,year,score\n\nKZ,2015,53.46\nNO,2024,95\n")
    assert result.stdout.splitlines()[2:] == ["KZ,2015,53.46,Difficult", "NO,2024,95,Good"]
    assert result.exit_code == 0
    result = run("label", "-c", "pr,cl=fh-status-scores", input="pr,cl\nX\n40,61\n1,1\n")
    assert result.stdout.splitlines()[1:] == ["X,", "40,61,", "1,1,Not Free"]
    assert result.exit_code == 1 and 'line 3, column "pr,cl"' in result.stderr
    result = run("label", "-c", "pr,cl=fh-status", input="pr,cl\n\n")
    assert (result.stdout, result.exit_code) == ("pr,cl,fh-status_label\n\n", 0)
    assert "Traceback" not in result.stderr


def test_records_without_a_year_or_a_score_between_others(engine):
    data = b"year,score,x\n\n2015,53.46,a\n2015\n2015,53.46,a,b\n,,\n2024,95,a\n2015,NA,a\n"
    out, _, problems = label(data, "score=rsf-map:c", year_column="year", chunk_size=8)
    assert out.decode().splitlines()[2:] == ["2015,53.46,a,Difficult", "2015,", "2015,53.46,a,b,", ",,,",
                                             "2024,95,a,Good", "2015,NA,a,"]
    assert [(p.record, p.kind) for p in problems] == [(2, RAGGED), (3, RAGGED)]  # no year, no score: no problem


# ---- 2. many mappings: codes combined column by column, never the product of their sizes ----------

def test_twelve_mappings_of_one_column(run, engine):
    specs = [arg for n in range(12) for arg in ("-c", f"a=rsf:l{n}")]
    started = time.perf_counter()
    result = run("label", *specs, input="a\nNA\n")
    assert result.exit_code == 0
    assert result.stdout == "a," + ",".join(f"l{n}" for n in range(12)) + "\nNA" + "," * 12 + "\n"
    assert time.perf_counter() - started < 5


def test_forty_mappings_on_many_distinct_values(engine):
    values = [f"{n / 7:.4f}" for n in range(0, 700, 3)] + ["NA", "abc", "101"]
    data = ("a,b\n" + "".join(f"{v},{values[-1 - i]}\n" for i, v in enumerate(values))).encode()
    specs = [f"{'ab'[n % 2]}=rsf:l{n}" for n in range(40)]
    started = time.perf_counter()
    out, report, problems = label(data, *specs, chunk_size=256)
    assert time.perf_counter() - started < 10
    lines = out.decode().splitlines()
    for i, (line, value) in enumerate(zip(lines[1:], values)):
        other = values[-1 - i]
        expected = [rsf_label(value if n % 2 == 0 else other) for n in range(40)]
        assert line == f"{value},{other}," + ",".join(quoted(e) for e in expected)
    assert report.problems == len(problems) == 2 * 2 * 20


def test_composites_of_many_distinct_inputs(engine):
    fh = RULES.get("fh-status")
    texts = ["1", "1.0", "1.00", " 2", "2 ", "3,0", "3.5", "4", "4.0", "5", "5.5", "6", "7", "7.0", "NA", "", "x", "8"]
    rows = [(a, b) for a in texts for b in texts]
    data = ("pr,cl\n" + "".join(f"{quoted(a)},{quoted(b)}\n" for a, b in rows)).encode()
    specs = [f"pr,cl=fh-status:s{n}" for n in range(20)] + [f"pr=rsf:r{n}" for n in range(20)]
    out, _, _ = label(data, *specs, chunk_size=100)
    for line, (a, b) in zip(out.decode().splitlines()[1:], rows):
        try:
            result = fh.classify({"pr": a, "cl": b})
            status = "" if result is None else result.label
        except ValueProblem:
            status = ""
        assert line.endswith("," + ",".join([status] * 20 + [quoted(rsf_label(a))] * 20))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_combine_codes_is_a_dense_coding_of_the_tuples(data):
    count = data.draw(st.integers(0, 60))
    sizes = data.draw(st.lists(st.sampled_from([1, 2, 3, 7, 60, 2**31, 2**40, 2**62]), min_size=1, max_size=45))
    columns = []
    for size in sizes:
        distinct = data.draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=4, unique=True))
        codes = data.draw(st.lists(st.sampled_from(distinct), min_size=count, max_size=count))
        columns.append((np.array(codes, dtype=np.int64), size))
    codes, holders = csvscan.combine_codes(columns, count)
    tuples = [tuple(int(c[r]) for c, _ in columns) for r in range(count)]
    assert len(codes) == count and len(holders) == len(set(tuples))
    assert sorted(set(codes.tolist())) == list(range(len(holders)))  # dense: 0..k-1, k <= records
    for r, t in enumerate(tuples):
        assert tuples[int(holders[codes[r]])] == t
    for r in range(count):
        for s in range(count):
            assert (codes[r] == codes[s]) == (tuples[r] == tuples[s])


# ---- 3. --format tsv on tab-separated input re-encodes: UTF-8, \n, no BOM --------------------------

@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
def test_tsv_from_tab_separated_input_with_a_bom_and_crlf(engine, chunk_size):
    out, _, _ = label(b"\xef\xbb\xbfa\tscore\r\nx\t5\r\n", "score=rsf", fmt="tsv", chunk_size=chunk_size)
    assert out == b"a\tscore\tscore_label\nx\t5\tLargely free, diverse and independent\n"


def test_tsv_from_tab_separated_input_in_latin1_with_quotes(engine):
    data = 'a\tscore\r\n"caf\xe9 ""x"""\t5\n"tab\there"\t53,46\r'.encode("latin-1")
    out, _, _ = label(data, "score=rsf:l", fmt="tsv", encoding="latin-1")
    assert out.decode("utf-8").split("\n") == [  # cells as text, with the TSV escapes (a tab is \t)
        "a\tscore\tl", 'caf\xe9 "x"\t5\tLargely free, diverse and independent',
        "tab\\there\t53,46\tHighly controlled, limited or intimidated", ""]


def test_tsv_of_plain_and_other_blocks_is_the_same(engine):
    """A plain UTF-8 TSV block is copied through; it must equal what re-encoding gives."""
    rows = [f"r{n}\t{n % 101}\tnote é\n" for n in range(300)]
    plain = ("a\tscore\tnote\n" + "".join(rows)).encode()
    quoted_too = plain + b'"q"\t5\tx\n'
    out_plain, _, _ = label(plain, "score=rsf", fmt="tsv", chunk_size=200)
    out_quoted, _, _ = label(quoted_too, "score=rsf", fmt="tsv", chunk_size=1 << 20)  # one block, re-encoded
    assert out_quoted == out_plain + b"q\t5\tx\tLargely free, diverse and independent\n"


def test_the_command_writes_tsv_without_bom_or_cr(run, engine):
    result = run("label", "-c", "score=rsf", "--format", "tsv", input=b"\xef\xbb\xbfa\tscore\r\nx\t5\r\n")
    assert result.stdout_bytes == b"a\tscore\tscore_label\nx\t5\tLargely free, diverse and independent\n"


# ---- 4. NUL and U+E000 come through jsonl and tsv as they were ---------------------------------------

NUL_RECORDS = ["\ue000,\0,5", '"\0\ue000\0",\ue0000,5', '"\ue000\ue000""\0",\0\0\ue000,12', "\0,\0,\0"]


@pytest.mark.parametrize("csv_takes_nul", [True, False])
@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "csv"])
def test_nul_and_the_private_use_character(engine, monkeypatch, csv_takes_nul, fmt):
    monkeypatch.setattr(csvscan.exact, "_CSV_TAKES_NUL", csv_takes_nul)  # False: escaped, as Python 3.10 needs
    data = "a,b,score\n" + "\n".join(NUL_RECORDS) + "\n"
    out, _, problems = label(data.encode(), "score=rsf", fmt=fmt, chunk_size=16)
    cells = [["\ue000", "\0", "5"], ["\0\ue000\0", "\ue0000", "5"], ['\ue000\ue000"\0', "\0\0\ue000", "12"],
             ["\0", "\0", "\0"]]
    labels = [rsf_label(row[2]) for row in cells]
    if fmt == "jsonl":
        assert [json.loads(line) for line in out.decode().splitlines()] == [
            {"a": a, "b": b, "score": s, "score_label": label or None} for (a, b, s), label in zip(cells, labels)]
    elif fmt == "tsv":
        assert out.decode().split("\n")[1:-1] == ["\t".join(map(tsv_cell, [*row, label]))
                                                  for row, label in zip(cells, labels)]
    else:
        assert out.decode().split("\n")[1:-1] == [record + "," + quoted(label)
                                                  for record, label in zip(NUL_RECORDS, labels)]
    assert [p.record for p in problems] == [4]


# ---- 5. --encoding utf-8-sig --------------------------------------------------------------------------

@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_sig_is_accepted(run, bom):
    assert csvscan.ascii_compatible("utf-8-sig") and csvscan.ascii_compatible("UTF-8-SIG")
    result = run("label", "-c", "score=rsf", "--encoding", "utf-8-sig", input=bom + b"a,score\nx,5\n")
    assert result.exit_code == 0
    assert result.stdout_bytes == bom + b'a,score,score_label\nx,5,"Largely free, diverse and independent"\n'


def test_shift_jis_bytes_are_decoded_not_scanned(engine):
    """The second byte of ポ in Shift JIS is "|": the NumPy scanner took it for a delimiter."""
    data = "a|b|score\nポ|12\nポ|x|5\n".encode("shift_jis")
    out, _, problems = label(data, "score=rsf", encoding="shift_jis")
    assert out.decode("shift_jis").splitlines()[1:] == ["ポ|12|", "ポ|x|5|Largely free, diverse and independent"]
    assert [(p.record, p.kind) for p in problems] == [(1, RAGGED)]


# ---- 6. one long record costs a few times its size ---------------------------------------------------

def test_a_long_mapped_cell_in_a_block_of_short_ones(engine):
    """The cells of a block were coded in a grid of records x the longest cell (here 20,000 x 2 MB)."""
    long = "9" * (2 << 20)
    data = ("a,score\n" + "x,12\n" * 10_000 + f"y,{long}\n" + "x,53.46\n" * 10_000).encode()
    started = time.perf_counter()
    out, report, problems = label(data, "score=rsf")
    assert time.perf_counter() - started < 20
    assert report.records == 20_001 and [p.record for p in problems] == [10_001]
    assert out.endswith(b'x,53.46,"Highly controlled, limited or intimidated"\n')


def _peak_rss_kb(args: list[str], stdin: Path | None = None) -> int:
    code = ("import resource, subprocess, sys; "
            "source = open(sys.argv[1], 'rb') if sys.argv[1] else None; "
            "subprocess.run(sys.argv[2:], stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, str(stdin or ""), *command(), "label", *args],
                         capture_output=True, text=True, check=True)
    return int(out.stdout)


@pytest.mark.parametrize("how", ["file", "pipe"])
def test_memory_for_one_long_record_is_a_few_times_its_size(tmp_path, how):
    size = 48 << 20
    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    small.write_bytes(b"a,score\n" + b"y,5\n" * 1000)
    line = b"x" * 99 + b"\n"
    big.write_bytes(b"a,score\n" + b"y,5\n" * 1000 + b'"' + line * (size // 100) + b'",5\n' + b"y,5\n" * 1000)
    if how == "file":
        base, peak = _peak_rss_kb([str(small), "-c", "score=rsf"]), _peak_rss_kb([str(big), "-c", "score=rsf"])
    else:
        base = _peak_rss_kb(["-c", "score=rsf"], stdin=small)
        peak = _peak_rss_kb(["-c", "score=rsf"], stdin=big)
    assert peak - base < 4 * size // 1024  # KB; it was 8 times the record


# ---- 7. problems name the right line, record, cell, set and kind -------------------------------------

PROBLEM_INPUT = (
    b"name,score,pr,cl\r\n"  # line 1
    b"a,12,1,1\r\n"  # 2, record 1
    b"\r\n"  # 3 (blank: not a record)
    b"b,abc,1,1\r\n"  # 4, record 2: score not a number
    b'"c\nstill c",101,8,1\n'  # 5-6, record 3: score outside, pr outside
    b"d,5\r"  # 7, record 4: ragged (short)
    b"\r"  # 8 (blank)
    b'e,"5,5",1,2,extra\n'  # 9, record 5: ragged (long)
    b"\n\n"  # 10, 11
    b'"f\r\nf",-1,x,NA\n'  # 12-13, record 6: score outside, pr not a number
    b"g,7,1,1"  # 14, record 7: fine, no line ending
)
EXPECTED_PROBLEMS = [
    (4, 2, "score", "abc", "rsf", "not-a-number"),
    (5, 3, "score", "101", "rsf", "outside-scale"),
    (5, 3, "pr,cl", "pr=8 cl=1", "fh-status", "outside-scale"),
    (7, 4, None, "", "", RAGGED),
    (9, 5, None, "", "", RAGGED),
    (12, 6, "score", "-1", "rsf", "outside-scale"),
    (12, 6, "pr,cl", "pr=x cl=NA", "fh-status", "not-a-number"),
]


@pytest.mark.parametrize("chunk_size", [1, 3, 20, 40, None])
def test_problem_records(engine, chunk_size):
    out, report, problems = label(PROBLEM_INPUT, "score=rsf", "pr,cl=fh-status", chunk_size=chunk_size)
    assert where(problems) == EXPECTED_PROBLEMS
    assert (report.records, report.blank, report.problems) == (7, 4, 7)
    assert out.count(b"\n") == PROBLEM_INPUT.count(b"\n")
    assert problems[3].message.startswith("2 fields, but the header has 4")
    assert problems[4].message.startswith("5 fields, but the header has 4")


def test_problem_records_through_the_command(run, engine, tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(PROBLEM_INPUT)
    result = run("label", str(path), "-c", "score=rsf", "-c", "pr,cl=fh-status")
    assert result.exit_code == 1
    shown = [line for line in result.stderr.splitlines() if line.startswith("rightsband: line ")]
    assert [line.split(":")[1].strip() for line in shown] == [
        'line 4, column "score"', 'line 5, column "score"', 'line 5, column "pr,cl"', "line 7", "line 9",
        'line 12, column "score"', 'line 12, column "pr,cl"']


@pytest.mark.parametrize("chunk_size", [1, 9, None])
def test_year_problems_name_the_year_column_and_the_group(engine, chunk_size):
    data = b"year,score\n2015,53.46\n\nabc,5\n1999,NA\n2015-2023,5\n2024,x\n"
    out, _, problems = label(data, "score=rsf-map", year_column="year", chunk_size=chunk_size)
    assert where(problems) == [(4, 2, "year", "abc", "rsf-map", YEAR), (6, 4, "year", "2015-2023", "rsf-map", YEAR),
                               (7, 5, "score", "x", "rsf-2022", "not-a-number")]
    assert out.decode().splitlines()[1:] == ["2015,53.46,Difficult", "", "abc,5,", "1999,NA,", "2015-2023,5,",
                                             "2024,x,"]


def test_strict_stops_at_the_first_problem_in_order(engine):
    out = io.BytesIO()
    from rightsband.problems import StopAtProblem
    with pytest.raises(StopAtProblem) as stop:
        label_csv(io.BytesIO(PROBLEM_INPUT), out, [Mapping.parse("score=rsf", RULES)], strict=True, chunk_size=1,
                  year_column=None)
    assert (stop.value.problem.line, stop.value.problem.record) == (4, 2)
    assert out.getvalue() == b'name,score,pr,cl,score_label\r\na,12,1,1,"Largely free, diverse and independent"\r\n\r\n'
