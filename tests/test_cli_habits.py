"""The habits a new user brings to the command line: typos, file suffixes, terminals, completion, Ctrl-C."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO, command, set_toml


@pytest.mark.parametrize(("args", "hint"), [
    (["clasify", "rsf", "50"], "Error: No such command 'clasify'. Did you mean 'classify'?"),
    (["lable"], "Did you mean 'label'?"),
    (["check-crd"], "(Did you mean one of: 'check', 'check-card'?)"),
    (["label", "--colum", "x=rsf"], "--column"),
    (["classify", "rsf", "--explian", "50"], "No such option '--explian'. Did you mean '--explain'?"),
])
def test_did_you_mean(run, args, hint):
    result = run(*args)
    assert result.exit_code == 2
    assert hint in result.stderr


def test_no_suggestion_for_nothing_alike(run):
    result = run("zzzz")
    assert result.exit_code == 2
    assert "No such command 'zzzz'." in result.stderr and "Did you mean" not in result.stderr


def test_check_names_a_missing_file_not_bands(run, tmp_path):
    missing = tmp_path / "nope.toml"
    result = run("check", str(missing))
    assert result.exit_code == 1
    assert result.stdout == f"{missing}:1: error: cannot read the rules file: No such file or directory\n"
    assert "--bands" not in result.stderr


def test_check_reports_every_unknown_key(run, write_rules):
    text = set_toml(extra='colour = "red"\nsource_url = "x"\n',
                    bands=(("good", 0, 50, "uper = 50"), ("bad", 50, 100, "lable = 'x'")))
    text = text.replace("scale = { min = 0, max = 100 }", "scale = { min = 0, max = 100, stepp = 1 }")
    result = run("check", str(write_rules(text)))
    assert result.exit_code == 1
    unknown = [line.split(": unknown key ")[1].split(" in ")[0] for line in result.stdout.splitlines()
               if "unknown key" in line]
    assert unknown == ["'colour'", "'source_url'", "'stepp'", "'uper'", "'lable'"]


@pytest.mark.parametrize("args", [["classify", "rsf", "5"], ["list"], ["check"]], ids=lambda args: args[0])
def test_a_stale_bands_variable_is_one_line(run, tmp_path, args):
    result = run(*args, env={"RIGHTSBAND_BANDS": str(tmp_path / "gone.toml")})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"rightsband: RIGHTSBAND_BANDS names '{tmp_path / 'gone.toml'}', a file that does not "
                             "exist; correct the variable or unset it (unset RIGHTSBAND_BANDS)\n")


def test_a_bands_variable_naming_a_folder_is_one_line(run, tmp_path):
    result = run("classify", "rsf", "5", env={"RIGHTSBAND_BANDS": str(tmp_path)})
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "a directory" in result.stderr


def test_band_is_in_dir_without_importing_pandas():
    code = ("import sys, rightsband; names = dir(rightsband); "
            "print('band' in names, 'BandError' in names, 'load_rules' in names, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "True True True False\n"


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_explain_in_a_table_has_no_empty_lists_or_false(run, fmt):
    result = run("classify", "rsf", "50", "--explain", "--format", fmt)
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter="," if fmt == "csv" else "\t"))
    record = dict(zip(rows[0], rows[1]))
    assert (record["either"], record["undetermined"], record["label"]) == ("", "", "Highly controlled, limited or "
                                                                                   "intimidated")
    assert not {"[]", "false", "{}"} & {cell for row in rows for cell in row}


@pytest.mark.parametrize("delay", [0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1])
def test_ctrl_c_at_any_moment_of_start_up_is_quiet(delay):
    """SIGINT while Python, the package, click or the rules are still loading ends with 130 and no traceback."""
    process = subprocess.Popen([*command(), "classify", "rsf", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(b"53.46\n" * 5, timeout=60)
    text = stderr.decode()
    if before_rightsband(process.returncode, text):
        pytest.skip("the signal arrived before rightsband's code ran (Python's start-up or the installer's wrapper)")
    assert "Traceback" not in text, text
    assert process.returncode in (130, 0)  # 0: the look-up was over before the signal came


def before_rightsband(returncode: int, stderr: str) -> bool:
    """True if a SIGINT came before any of rightsband's own code ran: killed before Python handles
    signals, or interrupting Python's own start-up or the console-script wrapper's ``import re``."""
    if "Fatal Python error" in stderr:
        return True
    frames = stderr.replace(os.sep, "/").replace("bin/rightsband", "")
    if "Traceback" in stderr or "KeyboardInterrupt" in stderr:  # site's .pth handling may print no traceback
        return "rightsband/" not in frames
    return returncode == -signal.SIGINT


SCORECARD = REPO / "examples" / "scorecard.csv"


def labelled(run, *args):
    result = run("label", str(SCORECARD), "-c", "rsf_score=rsf", "-q", *args)
    assert result.exit_code == 0, result.stderr
    return result


@pytest.mark.parametrize(("name", "fmt"), [("out.csv", "csv"), ("out.tsv", "tsv"), ("OUT.TAB", "tsv"),
                                           ("out.json", "json"), ("out.jsonl", "jsonl"), ("out.ndjson", "jsonl"),
                                           ("out.dat", "csv"), ("out", "csv")])
def test_the_output_suffix_picks_the_format(run, tmp_path, name, fmt):
    path = tmp_path / name
    labelled(run, "-o", str(path))
    assert path.read_bytes() == labelled(run, "--format", fmt).stdout_bytes
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_format_overrides_the_suffix(run, tmp_path):
    path = tmp_path / "out.json"
    labelled(run, "-o", str(path), "--format", "csv")
    assert path.read_bytes() == labelled(run).stdout_bytes


def test_json_is_one_array_of_the_jsonl_objects(run):
    lines = [json.loads(line) for line in labelled(run, "--format", "jsonl").stdout.splitlines()]
    assert json.loads(labelled(run, "--format", "json").stdout) == lines and len(lines) > 3


def test_json_of_no_records_is_an_empty_array(run):
    result = run("label", "-c", "score=rsf", "--format", "json", input="score\n")
    assert (result.exit_code, result.stdout) == (0, "[]\n")


def test_xlsx_is_a_workbook_of_the_labelled_table(run, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "out.xlsx"
    labelled(run, "-o", str(path))
    sheet = openpyxl.load_workbook(path).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    expected = list(csv.reader(io.StringIO(labelled(run).stdout)))
    assert sheet.title == "labelled" and rows == expected


def test_xlsx_escapes_control_characters_and_keeps_cells_as_text(run, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "out.xlsx"
    result = run("label", "-", "-c", "score=rsf", "-o", str(path), input="name,score\n\"a\x1bb\",007.50\n")
    assert result.exit_code == 0
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows == [("name", "score", "score_label"), ("a\\x1bb", "007.50", "Largely free, diverse and independent")]


@pytest.mark.parametrize("name", ["out.csv.gz", "out.xls", "out.zip"])
def test_a_suffix_label_does_not_write_is_refused(run, tmp_path, name):
    result = run("label", str(SCORECARD), "-c", "rsf_score=rsf", "-o", str(tmp_path / name))
    assert result.exit_code == 2 and "label does not write" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_strict_stop_leaves_no_workbook(run, tmp_path):
    path = tmp_path / "out.xlsx"
    result = run("label", "-", "-c", "score=rsf", "-o", str(path), "--strict", input="score\n5\nabc\n")
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []


def test_help_says_how_to_turn_completion_on(run):
    out = run("--help").stdout
    assert 'eval "$(_RIGHTSBAND_COMPLETE=bash_source rightsband)"' in out
    assert "_RIGHTSBAND_COMPLETE=fish_source rightsband | source" in out


@pytest.mark.parametrize(("words", "cword", "expected"), [
    ("rightsband cla", 1, "plain,classify\n"),
    ("rightsband check", 1, "plain,check\nplain,check-card\n"),
    ("rightsband classify fh-sta", 2, "plain,fh-status\n"),
])
def test_completion_works_through_the_lazy_group(words, cword, expected):
    env = {**os.environ, "_RIGHTSBAND_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    env.pop("RIGHTSBAND_BANDS", None)
    result = subprocess.run(command(), env=env, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(expected)


def test_bash_source_is_a_script():
    env = {**os.environ, "_RIGHTSBAND_COMPLETE": "bash_source"}
    result = subprocess.run(command(), env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "complete -o nosort -F _rightsband_completion rightsband" in result.stdout


def in_a_terminal(args: list[str], columns: int) -> str:
    """What the command writes to a terminal (a pseudo-terminal) ``columns`` wide."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns)}
    env.pop("RIGHTSBAND_BANDS", None)
    process = subprocess.Popen([*command(), *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the terminal closed (Linux gives EIO)
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert process.wait(timeout=60) == 0
    return out.decode().replace("\r\n", "\n")


def test_list_fits_a_narrow_terminal():
    lines = in_a_terminal(["list"], 60).splitlines()
    assert max(map(len, lines)) <= 60
    assert lines[0].split() == ["id", "name"]
    text = " ".join(" ".join(lines).split())
    assert "RSF World Press Freedom Index, scorecard bands (0 = best)" in text  # wrapped, not cut


def test_list_keeps_what_fits_on_a_wider_terminal():
    lines = in_a_terminal(["list"], 120).splitlines()
    assert max(map(len, lines)) <= 120 and "scale" in lines[0].split()


def test_list_off_a_terminal_is_unchanged(run):
    lines = run("list", env={"COLUMNS": "60"}).stdout.splitlines()
    assert lines[0].split() == ["id", "aliases", "scale", "direction", "years", "origin", "confidence", "name"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_summary_for_programs(run, fmt):
    result = run("label", str(SCORECARD), "-c", "rsf_score=rsf", "-q", "--summary", fmt)
    assert result.exit_code == 0
    rows = json.loads(result.stderr) if fmt == "json" else list(csv.DictReader(io.StringIO(result.stderr)))
    by_band = {row["band"]: int(row["records"]) for row in rows}
    assert by_band["Highly controlled, limited or intimidated"] == 3 and by_band["(missing)"] == 1
    assert sum(by_band.values()) == 7 and {row["column"] for row in rows} == {"rsf_score_label"}


def test_summary_alone_is_the_table(run):
    result = run("label", str(SCORECARD), "-c", "rsf_score=rsf", "-q", "--summary")
    assert result.stderr.startswith("7 records\n") and "(missing)" in result.stderr


def screen(output: str) -> list[str]:
    """The lines a terminal shows after ``output``: CR, LF, erase line (CSI 2K) and cursor up (CSI nA);
    other escape sequences (cursor shown or hidden, colours) change nothing on screen."""
    import re

    lines, row, col = [""], 0, 0
    for token in re.findall(r"\x1b\[[0-9;?]*[A-Za-z]|\r|\n|[^\x1b\r\n]+", output):
        if token == "\n":
            row, col = row + 1, 0
            lines += [""] * (row + 1 - len(lines))
        elif token == "\r":
            col = 0
        elif token.startswith("\x1b["):
            if token.endswith("2K"):
                lines[row] = ""
            elif token.endswith("A"):
                row = max(row - int(token[2:-1] or 1), 0)
        else:
            lines[row] = lines[row][:col].ljust(col) + token + lines[row][col + len(token):]
            col += len(token)
    while lines and not lines[-1].strip():
        lines.pop()
    return [line.rstrip() for line in lines]


def test_messages_print_above_the_progress_bar_which_is_cleared_at_the_end(monkeypatch):
    from rich.console import Console

    from rightsband import display
    from rightsband.cli import options

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80, color_system=None, markup=False, emoji=False)
    monkeypatch.setattr(display, "_console", lambda stderr=False: console)
    with display.progress_bar(1000) as (advance, print_above), options.messages_to(print_above):
        advance(300)
        options.say('years from column "year"')
        advance(600)
        options.say("line 7: a bad cell")
        assert "labelling" in screen(buffer.getvalue())[-1]  # the bar is drawn below the messages
        advance(1000)
    assert screen(buffer.getvalue()) == ['rightsband: years from column "year"', "rightsband: line 7: a bad cell"]
