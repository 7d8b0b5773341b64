"""The installed command as a shell sees it: failed writes and closed streams, ``| head``, signals,
``--``, the shared --format vocabulary, list filters, --bands and RIGHTSBAND_BANDS, label's years
and --problems, and shell completion.

Most tests run the console script in a subprocess (``command()``), since exit codes, closed
descriptors, signals and pipes are only real there; the rest use the in-process ``run``.
"""

from __future__ import annotations

import collections
import csv
import errno
import glob
import io
import json
import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REAL_DATA, REPO, command, set_toml
from rightsband.formats import cell_text, tsv_unescape
from rightsband.search import set_words

RSF_FREE = "Largely free, diverse and independent"
RSF_HIGH = "Highly controlled, limited or intimidated"
CMD = shlex.join(command())



def cli(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None, cwd: Path | str | None = None,
        stdout=subprocess.PIPE, timeout: float = 60) -> subprocess.CompletedProcess:
    """The installed command in a subprocess, with text stdout and stderr kept apart."""
    data = input.encode() if isinstance(input, str) else input
    result = subprocess.run([*command(), *args], input=data, stdout=stdout, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})}, cwd=cwd, timeout=timeout,
                            stdin=None if data is not None else subprocess.DEVNULL)
    result.stdout = (result.stdout or b"").decode("utf-8", "replace")
    result.stderr = result.stderr.decode("utf-8", "replace")
    return result


def sh(script: str, *, input: str | None = None, env: dict[str, str] | None = None, cwd: Path | str | None = None,
       timeout: float = 60) -> subprocess.CompletedProcess:
    """A bash script (``$RB`` stands for the installed command), with text stdout and stderr."""
    return subprocess.run(["bash", "-c", script.replace("$RB", CMD)], input=input, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=cwd,
                          stdin=None if input is not None else subprocess.DEVNULL)


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr, result.stderr


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    """A CSV of 100,000 good records (about 1.7 MB: far more than a pipe holds)."""
    path = tmp_path_factory.mktemp("big") / "big.csv"
    block = "".join(f"country{i},{i % 100}.5\n" for i in range(1000))
    path.write_text("country,score\n" + block * 100, encoding="utf-8")
    return path


# 1. Failed writes and closed standard streams ---------------------------------------------------------------

needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")


@needs_dev_full
@pytest.mark.parametrize("args", [
    ["classify", "rsf", "5"], ["list"], ["show", "rsf"], ["--help"], ["--version"]], ids=" ".join)
def test_a_failed_write_is_one_line_and_exit_1(args):
    with open("/dev/full", "w") as full:
        result = cli(*args, stdout=full)
    no_traceback(result)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("rightsband: write error:")


@needs_dev_full
def test_a_failed_write_of_label_is_one_line_and_exit_1():
    with open("/dev/full", "w") as full:
        result = cli("label", "-c", "score=rsf", input="a,score\nx,5\n", stdout=full)
    no_traceback(result)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith("rightsband: write error:")] == lines[-1:], result.stderr
    # before it, only the notice that rsf's years are assumed (behaviour 9)
    assert all(line.startswith("rightsband: no year column:") for line in lines[:-1]), result.stderr


def test_closed_stdout():
    result = sh('$RB classify rsf 5 >&-')
    no_traceback(result)
    assert (result.returncode, result.stderr) == (1, "rightsband: stdout is closed: nothing to write the output to\n")


def test_closed_stdin():
    result = sh('$RB classify rsf - <&-')
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.startswith("rightsband: ") and len(result.stderr.splitlines()) == 1, result.stderr
    assert "stdin is closed" in result.stderr


# 2. | head ends quietly -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "first"), [
    ("show rsf", "rsf: RSF World Press Freedom Index"),
    ("list", "id "),
    ("classify rsf 5 6 7 --explain", RSF_FREE),
    ("--help", "Usage: rightsband"),
])
def test_head_ends_quietly(args, first):
    result = sh(f'$RB {args} | head -n 1; exit "${{PIPESTATUS[0]}}"')
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(first) and result.stdout.count("\n") == 1


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_label_of_a_large_csv_into_head_ends_quietly(big_csv, how):
    script = (f'$RB label {shlex.quote(str(big_csv))} -c score=rsf --no-year-column | head -n 2; '
              'exit "${PIPESTATUS[0]}"') if how == "file" else \
             (f'cat {shlex.quote(str(big_csv))} | $RB label -c score=rsf --no-year-column | head -n 2; '
              'exit "${PIPESTATUS[1]}"')
    result = sh(script)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f'country,score,score_label\ncountry0,0.5,"{RSF_FREE}"\n'


# 3. -- ends the options ---------------------------------------------------------------------------------------

def test_double_dash_makes_every_word_a_value():
    result = cli("classify", "rsf", "--", "-inf", "5")
    no_traceback(result)
    assert result.returncode == 1
    assert result.stdout == f"\n{RSF_FREE}\n"
    assert len(result.stderr.splitlines()) == 1
    assert '"-inf" is not a number' in result.stderr


def test_option_like_word_without_double_dash_is_no_such_option(run):
    result = run("classify", "rsf", "-inf")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "No such option" in result.stderr and "-inf" in result.stderr


def test_negative_number_without_double_dash_is_a_value(run):
    result = run("classify", "rsf", "-5")
    assert (result.exit_code, result.stdout) == (1, "\n")
    assert result.stderr == ('rightsband: argument 1: "-5" is outside the rsf scale (0–100, 0 best); '
                             "give a value from 0 to 100\n")


# 4. Off a terminal: no trailing spaces, no wrapping -------------------------------------------------------------

def assert_no_trailing_spaces(text: str) -> None:
    bad = [line for line in text.splitlines() if line != line.rstrip()]
    assert not bad, bad


def test_show_set_off_a_terminal(run, rules):
    result = run("show", "rsf")
    assert result.exit_code == 0
    assert_no_trailing_spaces(result.stdout)
    notes = rules.get("rsf").notes
    notes_lines = [line for line in result.stdout.splitlines() if line.startswith("notes")]
    assert len(notes_lines) == 1 and notes_lines[0].split(None, 1)[1] == notes
    assert len(notes_lines[0]) > 80  # one line, not wrapped at 80 columns
    source = rules.get("rsf").citation
    assert any(line.split(None, 1)[1:] == [source] for line in result.stdout.splitlines() if line.startswith("source"))


def test_show_group_off_a_terminal(run, rules):
    result = run("show", "rsf-map")
    assert result.exit_code == 0
    assert_no_trailing_spaces(result.stdout)
    lines = result.stdout.splitlines()
    group = rules.group("rsf-map")
    assert lines[0] == f"rsf-map: {group.name}"
    for edition in group.editions:  # each edition's row on one line, its name whole
        assert any(edition.id in line and line.endswith(edition.name) for line in lines), edition.id
    assert any(len(line) > 80 for line in lines)


def test_list_off_a_terminal(run, rules):
    result = run("list")
    assert result.exit_code == 0
    assert_no_trailing_spaces(result.stdout)
    lines = result.stdout.splitlines()
    entries = [*rules, *rules.groups]
    assert len(lines) == 1 + len(entries)  # nothing wrapped onto a second line
    for line, entry in zip(lines[1:], entries):
        assert line.startswith(entry.id + " ") and line.endswith(entry.name)


def test_label_summary_off_a_terminal(run):
    result = run("label", str(REPO / "examples" / "scorecard.csv"), "-c", "rsf_score=rsf", "--summary")
    assert result.exit_code == 0
    assert_no_trailing_spaces(result.stderr)
    lines = result.stderr.splitlines()
    assert "7 records" in lines
    assert any(re.fullmatch(r"rsf_score_label  \(rsf_score on .+\)", line) for line in lines), lines
    assert any(re.fullmatch(rf" {RSF_HIGH} +3 +42\.9% +█+", line) for line in lines), lines


# 5. show prints labels as text ---------------------------------------------------------------------------------

def test_show_prints_labels_literally(write_rules):
    label = ":thumbs_up: [bold]x[/bold]"
    path = write_rules(set_toml(bands=((label, 0, 50), ("bad", 50, 100))))
    result = cli("show", "--bands", str(path), "t")
    no_traceback(result)
    assert result.returncode == 0
    assert label in result.stdout
    assert "👍" not in result.stdout


# 6. One --format vocabulary ----------------------------------------------------------------------------------

FORMAT_COMMANDS = {
    "classify": ["classify", "fh-status-1972", "pr=6", "cl=5", "pr=1", "cl=1", "--explain"],
    "list": ["list"],
    "show": ["show", "fh-status-1972"],
    "show-group": ["show", "rsf-map"],
    "check": ["check"],
}
PYTHON_REPRS = re.compile(r"\b(True|False|None)\b|\['|\[\]")


def assert_no_python_repr(cells: list[str]) -> None:
    for cell in cells:
        if cell.startswith("["):  # a list is JSON (an empty list is "[]" in JSON too)
            assert isinstance(json.loads(cell), list), cell
            continue
        assert not PYTHON_REPRS.search(cell), cell


@pytest.mark.parametrize("name", FORMAT_COMMANDS)
def test_csv_format(run, name):
    result = run(*FORMAT_COMMANDS[name], "--format", "csv")
    assert result.exit_code == 0
    assert "\r" not in result.stdout
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows and all(len(row) == len(rows[0]) for row in rows)
    assert len(set(rows[0])) == len(rows[0])
    for row in rows[1:]:
        assert_no_python_repr(row)
    if name != "check":
        assert len(rows) > 1


@pytest.mark.parametrize("name", FORMAT_COMMANDS)
def test_tsv_format(run, name):
    result = run(*FORMAT_COMMANDS[name], "--format", "tsv")
    assert result.exit_code == 0
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and "\r" not in result.stdout
    rows = [line.split("\t") for line in lines[:-1]]
    assert rows and all(len(row) == len(rows[0]) for row in rows)
    for row in rows[1:]:
        assert_no_python_repr([tsv_unescape(cell) for cell in row])


@pytest.mark.parametrize("name", [name for name in FORMAT_COMMANDS if name != "show" and name != "show-group"])
def test_json_format_is_one_list(run, name):
    result = run(*FORMAT_COMMANDS[name], "--format", "json")
    assert result.exit_code == 0
    assert isinstance(json.loads(result.stdout), list)


@pytest.mark.parametrize("name", ["show", "show-group"])
def test_json_format_of_show_is_one_list(run, name):
    result = run(*FORMAT_COMMANDS[name], "--format", "json")
    assert result.exit_code == 0
    assert isinstance(json.loads(result.stdout), list)


@pytest.mark.parametrize("name", FORMAT_COMMANDS)
def test_jsonl_format_is_one_object_per_line(run, name):
    result = run(*FORMAT_COMMANDS[name], "--format", "jsonl")
    assert result.exit_code == 0
    assert all(isinstance(json.loads(line), dict) for line in result.stdout.splitlines())
    if name != "check":
        assert result.stdout


def test_same_records_in_every_format(run):
    """csv, tsv, json and jsonl hold the same cells (text being cell_text of the JSON value)."""
    args = FORMAT_COMMANDS["classify"]
    records = json.loads(run(*args, "--format", "json").stdout)
    assert [json.loads(line) for line in run(*args, "--format", "jsonl").stdout.splitlines()] == records
    expected = [list(records[0])] + [[cell_text(value) for value in record.values()] for record in records]
    assert list(csv.reader(io.StringIO(run(*args, "--format", "csv").stdout))) == expected
    tsv_lines = run(*args, "--format", "tsv").stdout.splitlines()
    tsv = [[tsv_unescape(cell) for cell in line.split("\t")] for line in tsv_lines]
    assert tsv == expected
    assert records[0]["undetermined"] is True and records[0]["either"] == ["Partly Free", "Not Free"]
    assert expected[1][list(records[0]).index("undetermined")] == "true"
    assert expected[2][list(records[0]).index("undetermined")] == ""


def test_tsv_escapes_tab_newline_cr_and_backslash(run):
    values = ["a\tb", "c\nd", "e\\f", "g\rh", "\\t"]
    result = run("classify", "rsf", *values, "5", "--explain", "--format", "tsv")
    assert result.exit_code == 1
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and len(lines) == 1 + len(values) + 2
    rows = [line.split("\t") for line in lines[:-1]]
    assert all(len(row) == len(rows[0]) for row in rows)
    inputs = [tsv_unescape(row[rows[0].index("input")]) for row in rows[1:]]
    assert inputs == [*values, "5"]
    assert [row[0] for row in rows[1:-1]] == ["a\\tb", "c\\nd", "e\\\\f", "g\\rh", "\\\\t"]
    assert "\r" not in result.stdout


def test_tsv_round_trips_notes_with_a_line_break(run, write_rules):
    # TOML escapes: a paragraph break (kept by the loader's reflow, so the notes hold "\n\n") and a backslash
    path = write_rules(set_toml(extra='notes = "First paragraph.\\n\\nSecond paragraph, with a back\\\\slash."\n'))
    args = ["classify", "--bands", str(path), "t", "5", "a\tb", "--explain"]
    records = json.loads(run(*args, "--format", "json").stdout)
    assert records[0]["notes"] == "First paragraph.\n\nSecond paragraph, with a back\\slash."
    assert records[1]["input"] == "a\tb"
    result = run(*args, "--format", "tsv")
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and len(lines) == 4
    rows = [[tsv_unescape(cell) for cell in line.split("\t")] for line in lines[:-1]]
    assert rows == [list(records[0])] + [[cell_text(v) for v in record.values()] for record in records]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_check_findings_as_table(run, write_rules, fmt):
    path = write_rules('[[set]]\nid = "x"\n')
    result = run("check", str(path), "--format", fmt)
    assert result.exit_code == 1
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
    else:
        rows = [[tsv_unescape(c) for c in line.split("\t")] for line in result.stdout.splitlines()]
    assert rows[0] == ["file", "line", "severity", "set", "band", "message"]
    assert len(rows) > 1 and all(row[0] == str(path) and row[2] == "error" for row in rows[1:])
    for row in rows[1:]:
        assert_no_python_repr(row)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_label_formats(run, fmt):
    result = run("label", str(REPO / "examples" / "scorecard.csv"), "-c", "rsf_score=rsf", "--format", fmt,
                 "--no-year-column")
    assert result.exit_code == 0
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
    elif fmt == "tsv":
        rows = [[tsv_unescape(c) for c in line.split("\t")] for line in result.stdout.splitlines()]
    else:
        records = [json.loads(line) for line in result.stdout.splitlines()]
        rows = [list(records[0])] + [[v or "" for v in r.values()] for r in records]
    assert rows[0][-1] == "rsf_score_label" and len(rows) == 8
    assert rows[2][1:4] == ["Norway", "2015", "7.75"] and rows[2][-1] == RSF_FREE


@pytest.mark.parametrize("fmt", ["text", "yaml"])
def test_label_refuses_other_formats(run, fmt):
    result = run("label", str(REPO / "examples" / "scorecard.csv"), "-c", "rsf_score=rsf", "--format", fmt)
    assert result.exit_code == 2 and "--format" in result.stderr


@pytest.mark.parametrize("name", ["classify", "list", "show", "check"])
def test_one_format_vocabulary(run, name):
    result = run(name, "--help")
    assert "[text|csv|tsv|json|jsonl]" in result.stdout


# 7. list filters ---------------------------------------------------------------------------------------------

def listed(run, *args: str) -> list[str]:
    result = run("list", *args, "--format", "json")
    if result.exit_code == 1:  # nothing found
        assert result.stdout == "" and "no band set or group matches" in result.stderr
        return []
    assert result.exit_code == 0
    return [record["id"] for record in json.loads(result.stdout)]


def expected_ids(rules, keep, text: str | None = None, among=lambda s: True) -> list[str]:
    """The sets ``keep`` keeps, then the groups with one of them among their editions or (for a
    ``text`` search) ``text`` in their own words and an edition the other filters (``among``) keep."""
    sets = [s for s in rules if keep(s)]
    return [s.id for s in sets] + [g.id for g in rules.groups if any(e in sets for e in g.editions)
                                   or (text and text in " ".join([g.id, g.name, g.topic]).casefold()
                                       and any(among(e) for e in g.editions))]


def words(s) -> str:
    return set_words(s)


def test_list_text_filter(run, rules):
    ids = listed(run, "freedom")
    assert ids == expected_ids(rules, lambda s: "freedom" in words(s), "freedom")
    assert "fh-status" in ids and "fh-fiw-status" in ids and "ti" not in ids and "kidsrights" not in ids
    assert listed(run, "WPFI") == expected_ids(rules, lambda s: "wpfi" in words(s), "wpfi")  # an alias, any case
    assert "rsf" in listed(run, "WPFI")


def test_list_origin(run, rules):
    ids = listed(run, "--origin", "publisher")
    assert ids == expected_ids(rules, lambda s: s.origin == "publisher")
    assert "rsf-2022" in ids and "rsf" not in ids
    assert listed(run, "--origin", "house") == expected_ids(rules, lambda s: s.origin == "house")


def test_list_publisher(run, rules):
    ids = listed(run, "--publisher", "Freedom House")
    assert ids == expected_ids(rules, lambda s: "freedom house" in s.publisher.casefold())
    assert "fh-pr" in ids and "rsf" not in ids  # rsf's name says "Freedom", its publisher does not


def test_list_filters_combine(run, rules):
    assert listed(run, "fh", "--origin", "house") == expected_ids(
        rules, lambda s: "fh" in words(s) and s.origin == "house", "fh", lambda s: s.origin == "house")
    assert listed(run, "--origin", "publisher", "--publisher", "RSF") == expected_ids(
        rules, lambda s: s.origin == "publisher" and "rsf" in s.publisher.casefold())
    assert listed(run, "map", "--publisher", "freedom house") == expected_ids(
        rules, lambda s: "map" in words(s) and "freedom house" in s.publisher.casefold(), "map",
        lambda s: "freedom house" in s.publisher.casefold())
    assert listed(run, "no such words") == []


def test_list_text_filter_also_in_text_and_csv(run):
    text = run("list", "--publisher", "Freedom House").stdout.splitlines()
    assert text[0].split() == ["id", "aliases", "scale", "direction", "years", "origin", "confidence", "name"]
    assert [line.split()[0] for line in text[1:]] == listed(run, "--publisher", "Freedom House")
    rows = list(csv.DictReader(io.StringIO(run("list", "--origin", "publisher", "--format", "csv").stdout)))
    assert {row["origin"] for row in rows} == {"publisher", "group"}


# 8. --bands and RIGHTSBAND_BANDS ----------------------------------------------------------------------------------

def test_later_bands_file_replaces_a_set(write_rules):
    first = write_rules(set_toml(bands=(("first good", 0, 50), ("first bad", 50, 100))), "first.toml")
    second = write_rules(set_toml(bands=(("second good", 0, 50), ("second bad", 50, 100))), "second.toml")
    result = cli("classify", "--bands", str(first), "--bands", str(second), "t", "5")
    no_traceback(result)
    assert (result.returncode, result.stdout) == (0, "second good\n")
    result = cli("classify", "--bands", str(second), "--bands", str(first), "t", "5")
    assert (result.returncode, result.stdout) == (0, "first good\n")


def test_bands_from_stdin():
    result = cli("classify", "--bands", "-", "t", "5", input=set_toml())
    no_traceback(result)
    assert (result.returncode, result.stdout, result.stderr) == (0, "good\n", "")


def test_bands_from_a_pipe(write_rules):
    path = write_rules(set_toml())
    result = sh(f"$RB classify --bands <(cat {shlex.quote(str(path))}) t 5 70")
    no_traceback(result)
    assert (result.returncode, result.stdout, result.stderr) == (0, "good\nbad\n", "")


MISSING_BANDS = {"RIGHTSBAND_BANDS": "/no/such.toml"}


def assert_names_the_variable_once(stderr: str) -> None:
    assert len([line for line in stderr.splitlines() if "RIGHTSBAND_BANDS" in line]) == 1, stderr
    assert "/no/such.toml" in stderr


def test_missing_file_in_the_environment_is_a_usage_error():
    result = cli("classify", "rsf", "5", env=MISSING_BANDS)
    no_traceback(result)
    assert (result.returncode, result.stdout) == (2, "")
    assert_names_the_variable_once(result.stderr)


@pytest.mark.parametrize("args", [
    ["list"], ["show", "rsf"], ["check"], ["label", str(REPO / "examples" / "scorecard.csv"), "-c", "rsf_score=rsf"]],
    ids=lambda args: args[0])
def test_missing_file_in_the_environment_is_a_usage_error_for_every_command(run, args):
    result = run(*args, env=MISSING_BANDS)
    assert (result.exit_code, result.stdout) == (2, "")
    assert_names_the_variable_once(result.stderr)


def test_two_files_in_the_environment(write_rules):
    first = write_rules(set_toml(bands=(("first good", 0, 50), ("first bad", 50, 100))), "first.toml")
    second = write_rules(set_toml(id="u", bands=(("u good", 0, 50), ("u bad", 50, 100))) + "\n"
                         + set_toml(bands=(("second good", 0, 50), ("second bad", 50, 100))), "second.toml")
    env = {"RIGHTSBAND_BANDS": f"{first}{os.pathsep}{second}"}
    result = cli("classify", "t", "5", env=env)
    no_traceback(result)
    assert (result.returncode, result.stdout) == (0, "second good\n")
    assert cli("classify", "u", "70", env=env).stdout == "u bad\n"
    assert cli("check", env=env).returncode == 0


# 9. label: years -----------------------------------------------------------------------------------------------

RSF_2022_2025 = REAL_DATA / "rsf_wpfi_2022_2025.csv"
needs_rsf_2022 = pytest.mark.skipif(not RSF_2022_2025.exists(), reason=f"{RSF_2022_2025} is not here")


def norway_2022(output: str) -> tuple[int, dict[str, str]]:
    """Norway 2022's record in a labelled CSV, with the input line it starts on."""
    reader = csv.DictReader(io.StringIO(output))
    for row in reader:
        if row["Country_EN"] == "Norway" and row["Year (N)"] == "2022":
            return reader.line_num, row
    raise AssertionError("no Norway 2022 record")


@needs_rsf_2022
def test_real_rsf_2022_2025_on_the_2013_sets_bands():
    result = cli("label", str(RSF_2022_2025), "-c", "Score=rsf")
    no_traceback(result)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == 'rightsband: years from column "Year (N)"; --no-year-column to ignore it'
    line, row = norway_2022(result.stdout)
    assert row["Score_label"] == ""
    [message] = [m for m in lines if m.startswith(f'rightsband: line {line}, column "Year (N)": ')]
    assert "2022" in message and "rsf-2022" in message


@needs_rsf_2022
def test_real_rsf_2022_2025_on_the_group():
    result = cli("label", str(RSF_2022_2025), "-c", "Score=rsf-map")
    no_traceback(result)
    lines = result.stderr.splitlines()
    assert lines[0] == 'rightsband: years from column "Year (N)"; --no-year-column to ignore it'
    _, row = norway_2022(result.stdout)
    assert row["Score_label"] == "Good"
    problems = [line for line in lines[1:] if line.startswith("rightsband: line ")]
    assert result.returncode == (1 if problems else 0), result.stderr


def label(run, text: str, *args: str):
    return run("label", *args, input=text)


def test_a_year_column_is_found(run):
    result = label(run, "c,Year,s\nA,2015,5\nB,2023,5\n", "-c", "s=rsf")
    assert result.exit_code == 1
    assert result.stdout == f'c,Year,s,s_label\nA,2015,5,"{RSF_FREE}"\nB,2023,5,\n'
    lines = result.stderr.splitlines()
    assert lines[0] == 'rightsband: years from column "Year"; --no-year-column to ignore it'
    assert lines[1].startswith('rightsband: line 3, column "Year": ') and "rsf-2022" in lines[1]


def test_years_under_review_beats_survey_edition(run):
    text = "country,Survey Edition,Year(s) Under Review,pr,cl\nA,2003,2002,6,5\nB,2004,2003,6,5\n"
    result = label(run, text, "-c", "pr,cl=fh-fiw-status:status")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == 'rightsband: years from column "Year(s) Under Review"; --no-year-column to ignore it\n'
    assert [row["status"] for row in csv.DictReader(io.StringIO(result.stdout))] == [
        "Partly Free or Not Free (undetermined)", "Not Free"]


def test_an_edition_column_is_found_without_a_year_column(run):
    result = label(run, "country,Survey Edition,pr,cl\nA,2004,6,5\n", "-c", "pr,cl=fh-fiw-status")
    assert result.stderr.startswith('rightsband: years from column "Survey Edition"')


def test_two_year_columns_are_a_usage_error(run):
    result = label(run, "c,year.collected,year.reported,s\nA,2015,2016,5\n", "-c", "s=rsf")
    assert (result.exit_code, result.stdout) == (2, "")
    assert '"year.collected"' in result.stderr and '"year.reported"' in result.stderr


def test_no_year_column_says_which_years_are_assumed(run):
    result = label(run, "c,s\nA,5\n", "-c", "s=rsf")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "rightsband: no year column: labels on rsf assume its years, 2013–2021; give --year-column COL or --year "
        "YEAR to check the years"]
    assert result.stderr.startswith("rightsband: no year column: labels on rsf assume its years, 2013–2021; ")


def test_no_year_column_option_says_nothing(run):
    for text in ("c,s\nA,5\n", "c,Year,s\nA,2023,5\n"):
        result = label(run, text, "-c", "s=rsf", "--no-year-column")
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout.splitlines()[1].endswith(f'"{RSF_FREE}"')


def test_quiet_says_neither(run):
    for text in ("c,s\nA,5\n", "c,Year,s\nA,2015,5\n"):
        result = label(run, text, "-c", "s=rsf", "-q")
        assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.parametrize("other", [["--year-column", "Year"], ["--no-year-column"]])
def test_year_with_a_year_column_option_is_a_usage_error(run, other):
    result = label(run, "c,Year,s\nA,2015,5\n", "-c", "s=rsf", "--year", "2015", *other)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "--year" in result.stderr


# 10. --problems ------------------------------------------------------------------------------------------------

BAD_ROWS = 50_000
BLANK_EVERY = 1000  # a blank line after every 1000th record


@pytest.fixture(scope="module")
def bad_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bad") / "bad.csv"
    parts = ["country,score\n"]
    for record in range(1, BAD_ROWS + 1):
        parts.append(f"c{record},abc\n")
        if record % BLANK_EVERY == 0:
            parts.append("\n")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def expected_line(record: int) -> int:
    return 1 + record + (record - 1) // BLANK_EVERY


def test_problems_file_has_every_problem(bad_csv, tmp_path):
    problems, out = tmp_path / "problems.csv", tmp_path / "out.csv"
    result = cli("label", str(bad_csv), "-c", "score=rsf", "--no-year-column", "--problems", str(problems),
                 "-o", str(out))
    no_traceback(result)
    assert result.returncode == 1
    with open(problems, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["line", "record", "column", "cell", "set", "kind", "message"]
    assert len(rows) == 1 + BAD_ROWS
    assert [(int(r[0]), int(r[1])) for r in rows[1:]] == [(expected_line(n), n) for n in range(1, BAD_ROWS + 1)]
    assert {tuple(r[2:5]) for r in rows[1:]} == {("score", "abc", "rsf")}
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) - 1 <= 20
    assert all(line.startswith('rightsband: line ') for line in lines[:-1])
    kinds = collections.Counter(r[5] for r in rows[1:])
    by_kind = ", ".join(f"{count:,} {kind}" for kind, count in kinds.most_common())
    assert lines[-1].startswith(f"rightsband: {BAD_ROWS:,} problem(s)")
    assert by_kind in lines[-1] and f"all in {problems}" in lines[-1]
    assert out.exists()


@pytest.fixture()
def few_bad(tmp_path) -> Path:
    path = tmp_path / "few-bad.csv"
    path.write_text("country,score\nA,12\n\nB,abc\nC,101\nD,xyz\n", encoding="utf-8")
    return path


def test_problems_file_under_strict_has_the_first_problem(few_bad, tmp_path):
    problems, out = tmp_path / "problems.csv", tmp_path / "out.csv"
    result = cli("label", str(few_bad), "-c", "score=rsf", "--no-year-column", "--problems", str(problems),
                 "-o", str(out), "--strict")
    no_traceback(result)
    assert result.returncode == 1
    with open(problems, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["line", "record", "column", "cell", "set", "kind", "message"]
    assert len(rows) == 2 and rows[1][:5] == ["4", "2", "score", "abc", "rsf"]
    assert not out.exists()
    assert temporaries(tmp_path) == []
    assert len(result.stderr.splitlines()) == 1 and "--strict" in result.stderr


def test_problems_file_under_quiet(few_bad, tmp_path):
    problems = tmp_path / "problems.csv"
    result = cli("label", str(few_bad), "-c", "score=rsf", "--problems", str(problems), "-q",
                 "-o", str(tmp_path / "out.csv"))
    no_traceback(result)
    assert (result.returncode, result.stderr) == (1, "")
    with open(problems, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [("4", "2", "abc"), ("5", "3", "101"), ("6", "4", "xyz")]


def test_year_problem_row(run, tmp_path):
    problems = tmp_path / "problems.csv"
    text = "c,Year,s\nA,2015,5\n\nB,2023,5\nC,20x5,7\n"
    result = label(run, text, "-c", "s=rsf", "--problems", str(problems))
    assert result.exit_code == 1
    with open(problems, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [(r["line"], r["record"], r["column"], r["cell"], r["set"], r["kind"]) for r in rows] == [
        ("4", "2", "Year", "2023", "rsf", "year"), ("5", "3", "Year", "20x5", "rsf", "year")]
    assert "rsf-2022" in rows[0]["message"]


# 11. Signals leave no temporary files ------------------------------------------------------------------------

def temporaries(folder: Path) -> list[str]:
    return glob.glob(str(folder / ".rightsband-*.tmp"))


def wait_for(condition, process: subprocess.Popen, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the run ended early: {process.returncode}, {process.stderr.read()!r}")
        if time.monotonic() > end:
            process.kill()
            pytest.fail("timed out")
        time.sleep(0.01)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["TERM", "HUP"])
def test_signal_while_reading_a_fifo(tmp_path, signum, code):
    fifo, out, problems = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "problems.csv"
    os.mkfifo(fifo)
    process = subprocess.Popen([*command(), "label", str(fifo), "-c", "score=rsf", "--no-year-column",
                                "-o", str(out), "--problems", str(problems)],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    writer = None
    try:
        def opened() -> bool:
            nonlocal writer
            try:
                writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                if error.errno != errno.ENXIO:
                    raise
                return False
            return True

        wait_for(opened, process)
        os.write(writer, b"country,score\n" + b"".join(b"c%d,%d\n" % (i, i % 100) for i in range(500)))
        wait_for(lambda: len(temporaries(tmp_path)) == 2, process)
        time.sleep(0.3)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=20)
    finally:
        if writer is not None:
            os.close(writer)
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "Traceback" not in stderr.decode()
    assert process.returncode == code
    assert temporaries(tmp_path) == []
    assert not out.exists() and not problems.exists()


def test_sigterm_while_labelling_a_big_file(tmp_path):
    source = tmp_path / "big.csv"
    block = b"".join(b"country%d,%d.25\n" % (i, i % 100) for i in range(1000))
    source.write_bytes(b"country,score\n" + block * 2000)  # 2 million records
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "labelled.csv"
    process = subprocess.Popen([*command(), "label", str(source), "-c", "score=rsf", "--no-year-column",
                                "-o", str(out)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        wait_for(lambda: bool(temporaries(out_dir)), process)
        time.sleep(0.3)
        if process.poll() is not None:
            pytest.skip("the run ended before the signal")
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "Traceback" not in stderr.decode()
    assert process.returncode == 143
    assert os.listdir(out_dir) == []


# 12. Control characters in messages -------------------------------------------------------------------------

def test_control_characters_are_shown_as_escapes():
    result = sh("printf '5\\r9\\n' | $RB classify rsf -")
    no_traceback(result)
    assert (result.returncode, result.stdout) == (1, "\n")
    assert "\r" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert '"5\\x0d9"' in result.stderr or '"5\\r9"' in result.stderr


# 13. Shell completion ------------------------------------------------------------------------------------------

def complete(shell: str, words: str, cword: str | None = None, runner=None) -> set[str]:
    """The values the completion offers (click's bash, zsh and fish protocols): from the installed
    command, or in process with ``runner`` (the ``run`` fixture)."""
    env = {"_RIGHTSBAND_COMPLETE": f"{shell}_complete", "COMP_WORDS": words,
           "COMP_CWORD": cword if cword is not None else str(len(words.split()) - 1)}
    if runner is None:
        result = cli(env=env, cwd=REPO)
        no_traceback(result)
        assert result.returncode == 0
        output = result.stdout
    else:
        cwd = os.getcwd()
        os.chdir(REPO)
        try:
            result = runner(env=env)
        finally:
            os.chdir(cwd)
        assert result.exit_code == 0
        output = result.stdout
    lines = output.splitlines()
    if shell == "bash":
        return {line.split(",", 1)[1] for line in lines if "," in line}
    # zsh (and fish from click 8.4): type, value and help on lines of their own; fish before 8.4: type,value<TAB>help
    return set(lines) | {line.split(",", 1)[1].split("\t")[0] for line in lines if line.startswith("plain,")}


def test_complete_set_names(run):
    assert {"rsf", "rsf-2013", "rsf-map"} <= complete("bash", "rightsband classify rs")
    values = complete("bash", "rightsband classify w", runner=run)
    assert "wpfi" in values and all(v.casefold().startswith("w") for v in values)
    assert "ti" in complete("bash", "rightsband show T", runner=run)


def test_complete_column_names(run):
    assert "rsf_score=" in complete("bash", "rightsband label examples/scorecard.csv -c rs", runner=run)


def test_complete_set_after_column_name(run):
    values = complete("bash", "rightsband label examples/scorecard.csv -c rsf_score=rs", runner=run)
    assert "rsf_score=rsf" in values and "rsf_score=rsf-map" in values


def test_complete_zsh_and_fish(run):
    assert {"rsf", "rsf-2013", "rsf-map"} <= complete("zsh", "rightsband classify rs", runner=run)
    assert {"rsf", "rsf-2013", "rsf-map"} <= complete("fish", "rightsband classify rs", "rs", runner=run)


def test_completion_script():
    result = cli(env={"_RIGHTSBAND_COMPLETE": "bash_source"})
    no_traceback(result)
    assert result.returncode == 0
    assert "_RIGHTSBAND_COMPLETE=bash_complete" in result.stdout and "complete " in result.stdout
