"""`rightsband label`: the hostile-CSV fixtures, options, pipelines and output files."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, command
from rightsband.batch import Mapping, MappingError, label_csv
from rightsband.cli import cli
from rightsband.csvscan import CsvError, sniff_delimiter

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

FIXTURES = REPO / "tests" / "fixtures" / "csv"
CASES = tomllib.loads((FIXTURES / "cases.toml").read_text(encoding="utf-8"))["case"]


def invoke(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False, prog_name="rightsband")


def messages(stderr: str) -> list[str]:
    """The lines of stderr but the notices saying which years the labels assume (or where they come from)."""
    return [line for line in stderr.splitlines()
            if not line.startswith(("rightsband: no year column:", "rightsband: years from column"))]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_fixture(case, engine):
    result = invoke("label", str(FIXTURES / case["input"]), *case["args"])
    expected = (FIXTURES / case["expected"]).read_bytes() if "expected" in case else b""
    assert result.stdout_bytes == expected
    assert result.exit_code == case["exit"], result.stderr
    if case["stderr"]:
        for part in case["stderr"]:
            assert part in result.stderr
        assert "Traceback" not in result.stderr
    else:
        assert messages(result.stderr) == []


def test_every_fixture_file_is_used():
    used = {c["input"] for c in CASES} | {c["expected"] for c in CASES if "expected" in c} | {"cases.toml"}
    assert {p.name for p in FIXTURES.iterdir()} == used


def test_stdin_and_dash(run):
    data = "code,score\nNA,53.46\n"
    assert run("label", "-c", "score=rsf", input=data).stdout.splitlines()[1].endswith("intimidated\"")
    assert run("label", "-", "-c", "score=rsf", input=data).stdout == run("label", "-c", "score=rsf", input=data).stdout


def test_unknown_column_lists_the_header_and_suggests(run):
    result = run("label", "-c", "Scroe=rsf", input="code,Score\nNA,1\n")
    assert result.exit_code == 2
    assert 'no column "Scroe" in the header; did you mean "Score"? the columns are: "code", "Score"' in result.stderr


@pytest.mark.parametrize("spec, message", [
    ("score", 'is not COLUMN=INDEX[:NEWNAME]'),
    ("score=rfs", 'did you mean'),
    ("PR=fh-status", "fh-status combines pr and cl: give 2 columns in that order"),
    ("score=rsf:code", 'a column "code" is already there'),
])
def test_bad_mappings_are_usage_errors(run, spec, message):
    result = run("label", "-c", spec, input="code,score,PR\nNA,1,2\n")
    assert result.exit_code == 2
    assert message in result.stderr


def test_two_mappings_may_not_make_the_same_column(run):
    result = run("label", "-c", "a=rsf:x", "-c", "b=rsf:x", input="a,b\n1,2\n")
    assert result.exit_code == 2 and 'a column "x" is already there' in result.stderr


def test_duplicate_header_names_are_refused_for_the_mapped_column(run):
    result = run("label", "-c", "s=rsf", input="s,s\n1,2\n")
    assert result.exit_code == 2 and 'the header has 2 columns named "s"' in result.stderr


def test_explicit_delimiter_wins_over_detection(run):
    data = "a;b,c\nx;12,5\n"  # one of each: the tie goes to the comma
    assert run("label", "-c", "c=rsf", input=data).stdout.startswith("a;b,c,c_label\n")
    result = run("label", "-c", "b,c=rsf", "-d", ";", input=data)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "x;12,5;Largely free, diverse and independent"


@pytest.mark.parametrize("value", ["tab", "\\t", "\t"])
def test_tab_delimiter_spellings(run, value):
    result = run("label", "-c", "score=rsf", "-d", value, input="a\tscore\nx\t12\n")
    assert result.stdout.splitlines()[1] == "x\t12\tLargely free, diverse and independent"


def test_bad_delimiter_is_a_usage_error(run):
    result = run("label", "-c", "score=rsf", "-d", "ab", input="a,score\n")
    assert result.exit_code == 2 and "is not one ASCII character" in result.stderr


@pytest.mark.parametrize("header, delimiter", [
    ("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("a|b|c", "|"), ("single", ","),
    ('"x;y",b,c', ","), ("a,b;c;d", ";"), ("a,b;c", ","),
])
def test_sniff_delimiter(header, delimiter):
    assert sniff_delimiter(header) == delimiter


def test_bad_cell_messages_are_capped_with_a_total(run):
    data = "score\n" + "abc\n" * 30 + "12\n"
    result = run("label", "-c", "score=rsf", input=data)
    assert result.exit_code == 1
    lines = messages(result.stderr)
    assert len(lines) == 21
    assert lines[0].startswith('rightsband: line 2, column "score": "abc" is not a number')
    assert lines[-1].startswith("rightsband: 30 problem(s) in 31 records (")
    assert "20 shown" in lines[-1] and lines[-1].endswith("; their labels are empty")
    assert len(result.stdout.splitlines()) == 32


def test_summary_counts_bands_on_stderr(run):
    result = run("label", "-c", "score=rsf", "--summary", input="score\n1\n2\n50\nNA\nabc\n")
    assert result.stdout.count("\n") == 6
    err = result.stderr
    assert "5 records" in err and "score_label  (score on rsf)" in err
    assert "Largely free, diverse and independent" in err and "(missing)" in err and "(bad)" in err
    row = next(line for line in err.splitlines() if line.strip().startswith("Largely free"))
    assert row.split()[-3:-1] == ["2", "40.0%"]


def test_jsonl_needs_distinct_names(run):
    result = run("label", "-c", "b=rsf", "--format", "jsonl", input="a,a,b\n1,2,3\n")
    assert result.exit_code == 2 and '"a" is repeated' in result.stderr


def test_jsonl_keeps_extra_cells_of_a_ragged_record(run):
    result = run("label", "-c", "b=rsf", "--format", "jsonl", input="a,b\n1,2,3\n")
    assert json.loads(result.stdout) == {"a": "1", "b": "2", "_extra": ["3"], "b_label": None}
    assert result.exit_code == 1


def test_output_file_is_written_atomically(tmp_path, run):
    source = tmp_path / "in.csv"
    source.write_text("score\n12\n")
    target = tmp_path / "out.csv"
    result = run("label", str(source), "-c", "score=rsf", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text() == 'score,score_label\n12,"Largely free, diverse and independent"\n'
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".rightsband-")] == []


def test_output_file_is_not_created_when_stopped(tmp_path, run):
    source = tmp_path / "in.csv"
    source.write_text("score\nabc\n")
    target = tmp_path / "out.csv"
    target.write_text("previous")
    result = run("label", str(source), "-c", "score=rsf", "-o", str(target), "--strict")
    assert result.exit_code == 1
    assert target.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_output_file_keeps_an_existing_files_mode(tmp_path, run):
    source = tmp_path / "in.csv"
    source.write_text("score\n12\n")
    target = tmp_path / "out.csv"
    target.write_text("")
    target.chmod(0o640)
    run("label", str(source), "-c", "score=rsf", "-o", str(target))
    assert target.stat().st_mode & 0o777 == 0o640


def test_refuses_to_overwrite_the_input(tmp_path, run):
    source = tmp_path / "in.csv"
    source.write_text("score\n12\n")
    result = run("label", str(source), "-c", "score=rsf", "-o", str(tmp_path / "." / "in.csv"))
    assert result.exit_code == 2 and "is the INPUT" in result.stderr
    assert source.read_text() == "score\n12\n"


def test_missing_input_file_is_a_usage_error(run, tmp_path):
    result = run("label", str(tmp_path / "nope.csv"), "-c", "score=rsf")
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_not_ascii_compatible_encoding(run):
    result = run("label", "-c", "score=rsf", "--encoding", "utf-16", input="score\n1\n")
    assert result.exit_code == 1 and "not an ASCII-compatible encoding" in result.stderr


def test_label_that_cannot_be_encoded(tmp_path, write_rules):
    rules = write_rules('[[set]]\nid = "t"\nname = "T"\npublisher = "T"\n'
                        'source = { citation = "c", url = "https://e.org" }\n'
                        'scale = { min = 0, max = 10 }\nunit = "score"\ndirection = "higher-is-better"\n'
                        '[[set.band]]\nlabel = "Très bien – ok"\nlower = 0\nupper = 10\n')
    result = invoke("label", "-c", "s=t", "--bands", str(rules), "--encoding", "latin-1", input=b"s\n1\n")
    assert result.exit_code == 1 and "cannot be written in iso8859-1" in result.stderr


def test_library_api_labels_a_stream(rules):
    out = io.BytesIO()
    report = label_csv(io.BytesIO(b"code;score\nNA;53,46\nNO;\n"), out, [Mapping.parse("score=rsf", rules)])
    assert out.getvalue() == b"code;score;score_label\nNA;53,46;Highly controlled, limited or intimidated\nNO;;\n"
    assert (report.records, report.problems) == (2, 0)
    tally = report.tallies[0]
    assert (tally.bands, tally.missing, tally.bad) == ([0, 0, 0, 0, 1], 1, 0)


def test_library_api_errors(rules):
    with pytest.raises(MappingError):
        label_csv(io.BytesIO(b"a\n1\n"), io.BytesIO(), [Mapping.parse("score=rsf", rules)])
    with pytest.raises(CsvError):
        label_csv(io.BytesIO(b""), io.BytesIO(), [Mapping.parse("score=rsf", rules)])


# ---- the installed command, in pipelines ----------------------------------------------------------

def _big_csv(path: Path, rows: int) -> None:
    path.write_bytes(b"code,score\n" + b"NA,53.46\nNO,12\n" * (rows // 2))


def test_head_ends_quietly(tmp_path):
    source = tmp_path / "big.csv"
    _big_csv(source, 400_000)
    shell = f"{' '.join(command())} label {source} --column score=rsf | head -n 3"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True)
    assert result.stdout.splitlines() == ["code,score,score_label",
                                          'NA,53.46,"Highly controlled, limited or intimidated"',
                                          'NO,12,"Largely free, diverse and independent"']
    assert messages(result.stderr) == []
    assert result.returncode == 0


def test_first_records_come_out_before_the_input_ends():
    process = subprocess.Popen([*command(), "label", "-", "--column", "score=rsf"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write(b"code,score\nNA,53.46\n")
    process.stdin.flush()
    assert process.stdout.readline() == b"code,score,score_label\n"
    assert process.stdout.readline() == b'NA,53.46,"Highly controlled, limited or intimidated"\n'
    process.stdin.write(b"NO,12\n")
    process.stdin.close()
    assert process.stdout.read() == b'NO,12,"Largely free, diverse and independent"\n'
    assert process.wait(timeout=10) == 0


def test_ctrl_c_exits_130_without_a_traceback():
    process = subprocess.Popen([*command(), "label", "-", "--column", "score=rsf"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write(b"code,score\nNA,53.46\n")
    process.stdin.flush()
    process.stdout.readline()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 130
    assert b"Traceback" not in process.stderr.read()
    process.stdin.close()


def _processes_reading(path: Path) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if str(path).encode() in (entry / "cmdline").read_bytes():
                found.append(entry.name)
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="the helper process is forked on Linux only")
def test_ctrl_c_on_a_file_stops_the_helper_too(tmp_path):
    source = tmp_path / "big.csv"
    _big_csv(source, 2_000_000)
    process = subprocess.Popen([*command(), "label", str(source), "--column", "score=rsf"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.read(1 << 16)  # running, and now blocked writing: the helper is ahead of it
    assert len(_processes_reading(source)) == 2
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 130
    assert b"Traceback" not in process.stderr.read()
    process.stdout.close()
    assert _processes_reading(source) == []


def test_memory_does_not_grow_with_the_input(tmp_path):
    """Peak RSS for 40 MB and for 200 MB of input stays within a few MB (the blocks are bounded)."""
    peaks = []
    for rows in (1_000_000, 5_000_000):
        source = tmp_path / f"{rows}.csv"
        _big_csv(source, rows * 2 // 5)
        code = ("import resource, subprocess, sys; "
                "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        out = subprocess.run([sys.executable, "-c", code, *command(), "label", str(source), "-c", "score=rsf"],
                             capture_output=True, text=True, check=True)
        peaks.append(int(out.stdout))
        source.unlink()
    assert peaks[1] < peaks[0] + 20_000  # KB


def test_classify_line_buffered_answers_each_line_at_once():
    process = subprocess.Popen([*command(), "classify", "rsf", "-", "--line-buffered"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for value, label in ((b"53.46", b"Highly controlled, limited or intimidated"),
                         (b"12", b"Largely free, diverse and independent")):
        process.stdin.write(value + b"\n")
        process.stdin.flush()
        assert process.stdout.readline() == label + b"\n"
    process.stdin.close()
    assert process.wait(timeout=10) == 0


def test_progress_bar_only_on_a_terminal(tmp_path, run):
    source = tmp_path / "big.csv"
    _big_csv(source, 500_000)
    result = run("label", str(source), "-c", "score=rsf")
    assert messages(result.stderr) == []


def test_output_to_a_device_is_written_in_place(tmp_path, run):
    source = tmp_path / "in.csv"
    source.write_text("score\n12\n")
    result = run("label", str(source), "-c", "score=rsf", "-o", os.devnull)
    assert result.exit_code == 0
    assert os.path.exists(os.devnull) and not os.path.isfile(os.devnull)


def test_output_to_a_directory_is_a_usage_error(tmp_path, run):
    source = tmp_path / "in.csv"
    source.write_text("score\n12\n")
    result = run("label", str(source), "-c", "score=rsf", "-o", str(tmp_path))
    assert result.exit_code == 2 and "is a directory" in result.stderr
