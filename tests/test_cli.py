"""The command line, with stdout and stderr checked separately."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO, command

RSF_HIGH = "Highly controlled, limited or intimidated"


def test_one_lookup(run):
    result = run("classify", "rsf", "53.46")
    assert (result.exit_code, result.stdout, result.stderr) == (0, RSF_HIGH + "\n", "")


def test_many_values_one_line_each(run):
    result = run("classify", "RSF", "53.46", "14.99", "15", "53,46")
    assert result.stdout.splitlines() == [RSF_HIGH, "Largely free, diverse and independent",
                                          "Mostly free, diverse and independent", RSF_HIGH]


def test_values_from_stdin_with_missing_markers(run):
    result = run("classify", "rsf", "-", input="53,46\nNA\n\nn/a\n..\n-\n12\r\n")
    assert result.exit_code == 0
    assert result.stdout.split("\n") == [RSF_HIGH, "", "", "", "", "", "Largely free, diverse and independent", ""]
    assert result.stderr == ""


def test_piped_input_without_dash(run):
    assert run("classify", "ti", input="29\n").stdout == "Highly corrupt\n"


def test_bad_values_keep_the_lines_aligned_and_exit_1(run):
    result = run("classify", "rsf", "100.5", "12", "abc", "-5")
    assert result.exit_code == 1
    assert result.stdout == "\nLargely free, diverse and independent\n\n\n"
    assert result.stderr.splitlines() == [
        'rightsband: argument 1: "100.5" is outside the rsf scale (0–100, 0 best); give a value from 0 to 100',
        'rightsband: argument 3: "abc" is not a number (rsf: 0–100, 0 best); type a number such as 53.46 or 53,46, '
        "without thousands separators",
        'rightsband: argument 4: "-5" is outside the rsf scale (0–100, 0 best); give a value from 0 to 100',
    ]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "fragment"), [
    (["fh-pr", "8"], '"8" is outside the fh-pr scale (1–7 in steps of 1, 1 best)'),
    (["fh-pr", "2.7"], '"2.7" is not a valid fh-pr rating'),
    (["ti", "nan"], '"nan" is not a number (ti: 0–100, 100 best)'),
    (["ti", "inf"], '"inf" is not a number'),
    (["gender-gap", "72.1"], 'type "72.1%"'),
])
def test_out_of_scale_and_non_numbers(run, args, fragment):
    result = run("classify", *args)
    assert result.exit_code == 1
    assert result.stdout == "\n"
    [line] = result.stderr.splitlines()
    assert fragment in line


def test_stdin_errors_name_the_line(run):
    result = run("classify", "rsf", "-", input="12\nxyz\n")
    assert result.exit_code == 1
    assert result.stderr.startswith('rightsband: stdin line 2: "xyz" is not a number')


def test_fraction_and_percent_forms(run):
    result = run("classify", "gender-gap", "0.721", "72.1%", "62.1%")
    assert result.stdout.splitlines() == ["Somewhat unequal rights"] * 2 + ["Very unequal rights"]
    assert run("classify", "kidsrights", "0.77", "29%").stdout.splitlines() == ["Protected", "Extremely vulnerable"]


def test_composite(run):
    result = run("classify", "fh-status", "pr=6", "cl=5")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Not Free\n", "")
    result = run("classify", "fh-status", "pr=1", "cl=2", "cl=4", "pr=4")
    assert result.stdout == "Free\nPartly Free\n"


def test_composite_from_stdin(run):
    result = run("classify", "fh-status", "-", input="pr=6 cl=5\ncl=1 pr=2\n\npr=NA cl=3\n6 5\npr=9 cl=1\n")
    assert result.stdout.split("\n") == ["Not Free", "Free", "", "", "", "", ""]
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith("rightsband: stdin line 5: fh-status combines pr and cl: give them as pr=1 cl=1")
    assert errors[1].startswith('rightsband: stdin line 6: pr: "9" is outside the fh-pr scale')


@pytest.mark.parametrize("args", [["pr=6"], ["pr=6", "pr=5"], ["6", "5"], ["pr=6", "xx=5"]])
def test_composite_usage_errors(run, args):
    result = run("classify", "fh-status", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "fh-status combines pr and cl: give them as pr=1 cl=1" in result.stderr


def test_unknown_set_is_a_usage_error(run):
    result = run("classify", "rfs", "53.46")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "unknown band set 'rfs'; did you mean 'rsf' or 'fsi'? Known sets: rsf, ti, fh-pr" in result.stderr


@pytest.mark.parametrize("option", ["--bogus", "--bogus=1", "-x"])
def test_unknown_option_is_still_a_usage_error(run, option):
    result = run("classify", "rsf", "12", option)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "No such option" in result.stderr and option.partition("=")[0] in result.stderr


def test_json_formats(run):
    lines = run("classify", "rsf", "53.46", "NA", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == [
        {"input": "53.46", "set": "rsf", "label": RSF_HIGH, "error": None},
        {"input": "NA", "set": "rsf", "label": None, "error": None},
    ]
    records = json.loads(run("classify", "rsf", "53.46", "200", "--format", "json").stdout)
    assert records[1]["error"].startswith('"200" is outside')
    assert json.loads(run("classify", "rsf", "-", "--format", "json", input="").stdout) == []


def test_tsv_format(run):
    result = run("classify", "ti", "29", "81", "--format", "tsv")
    assert result.stdout == "input\tset\tlabel\terror\n29\tti\tHighly corrupt\t\n81\tti\tVery limited corruption\t\n"


def test_explain_text(run):
    out = run("classify", "rsf", "53.46", "--explain").stdout
    assert out.startswith(RSF_HIGH + "\n  value        53.46 on rsf (0–100, 0 best)\n"
                                     "  band         5 of 5, [40, 100]\n")
    assert "source       Band labels and cut points: CJPME Foundation" in out
    assert "url          https://rsf.org/en/index" in out
    assert "notes        Scorecard bands, not RSF's own map categories." in out
    assert "\n  confidence   high\n  verified     The scorecard's printed table" in out


def test_explain_json(run):
    [record] = json.loads(run("classify", "kidsrights", "0.55", "--explain", "--format", "json").stdout)
    assert record["value"] == "55"
    assert record["interval"] == "[45, 60)"
    assert record["position"] == 3 and record["bands"] == 5
    assert "Changed from the printed source" in record["notes"]


def test_list(run):
    result = run("list")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "aliases", "scale", "direction", "years", "origin", "confidence", "name"]
    assert [line.split()[0] for line in lines[1:]] == [
        "rsf", "ti", "fh-pr", "fh-cl", "fh-status", "gender-gap", "kidsrights", "rsf-2013", "rsf-2013-current",
        "rsf-2022", "fh-status-1972", "fh-pr-score", "fh-cl-score", "fh-status-scores", "hrmi-cpr", "hrmi-esr",
        "hdi", "gdi", "bti-status", "bti-economy", "bti-governance", "bti-governance-performance", "bti-difficulty",
        "bti-democracy-2006", "bti-democracy-2020", "fotp", "eiu", "fsi-2005", "fsi-2015", "ghi-2006", "ghi-2015",
        "heritage-ief", "article19-gxr", "afi", "ibp-obi", "un-egdi", "civicus", "ituc", "vdem-row",
        "rsf-map", "rsf-map-current", "fh-fiw-status", "bti-democracy", "fsi", "ghi"]
    assert "cpi" in lines[2] and "higher-is-better" in lines[2]
    by_id = {line.split()[0]: line for line in lines[1:]}
    for set_id, confidence in [("hdi", "high"), ("eiu", "medium"), ("ghi-2015", "medium"), ("afi", "medium"),
                               ("civicus", "high"), ("kidsrights", "medium")]:
        assert f"  {confidence}  " in by_id[set_id], set_id
    assert "two-sided, 1 best" in by_id["gdi"] and "labels only" in by_id["ituc"]


def test_list_json_has_everything(run):
    records = json.loads(run("list", "--format", "json").stdout)
    fh_status = records[4]
    assert fh_status["id"] == "fh-status"
    assert fh_status["inputs"] == [{"name": "pr", "set": "fh-pr", "take": "value"},
                                   {"name": "cl", "set": "fh-cl", "take": "value"}]
    assert fh_status["years"] == {"from": 2003, "to": None}
    assert fh_status["source"]["url"].startswith("https://freedomhouse.org/")
    assert fh_status["bands"][2]["interval"] == "[5.5, 7.0]"
    assert (fh_status["origin"], fh_status["groups"], fh_status["kind"]) == ("publisher", ["fh-fiw-status"], "set")
    by_id = {r["id"]: r for r in records}
    assert by_id["ti"]["publisher_classes"] == [] and by_id["ti"]["origin"] == "house"
    assert by_id["fh-status-1972"]["bands"][2]["either"] == ["Partly Free", "Not Free"]
    assert by_id["fh-pr-score"]["bands"][6] | {} == {**by_id["fh-pr-score"]["bands"][6], "value": "7", "lower": "-4"}
    assert by_id["rsf-map"] == {"kind": "group", "id": "rsf-map", "name": by_id["rsf-map"]["name"], "notes": "",
                                "editions": [{"id": "rsf-2013", "years": {"from": 2013, "to": 2021}},
                                             {"id": "rsf-2022", "years": {"from": 2022, "to": None}}]}
    assert len(run("list", "--format", "jsonl").stdout.splitlines()) == 39 + 6


def test_show(run):
    out = run("show", "kidsrights").stdout
    for text in ("kidsrights: KidsRights Index overall score", "Slightly vulnerable", "[45, 60)", "[0.45, 0.6)",
                 "Changed from the printed", "https://www.kidsrights.org/"):
        assert text in out
    assert "\x1b[" not in out  # no colour off a terminal


def test_show_json(run):
    [record] = json.loads(run("show", "cpi", "--format", "json").stdout)
    assert record["id"] == "ti" and record["direction"] == "higher-is-better"


def test_check_builtin(run):
    result = run("check")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_check_bad_file(run, write_rules):
    path = write_rules('[[set]]\nid = "x"\n')
    result = run("check", str(path))
    assert result.exit_code == 1
    assert f"{path}:1: error: set \"x\": missing required key 'name'" in result.stdout
    assert "error(s)" in result.stderr


def test_user_rules_by_option_and_environment(run, write_rules):
    path = str(REPO / "examples" / "eiu.toml")
    assert run("classify", "--bands", path, "eiu", "8", "8.01").stdout == "Flawed democracy\nFull democracy\n"
    assert run("classify", "eiu", "0", env={"RIGHTSBAND_BANDS": path}).stdout == "Authoritarian regime\n"
    assert run("classify", "rsf", "53.46", env={"RIGHTSBAND_BANDS": path}).stdout == RSF_HIGH + "\n"
    assert "eiu" in run("list", "--bands", path).stdout
    assert run("check", env={"RIGHTSBAND_BANDS": path}).exit_code == 0


def test_broken_user_rules_are_a_usage_error(run, write_rules):
    path = str(write_rules((REPO / "examples" / "eiu.toml").read_text().replace("lower = 6", "lower = 5")))
    result = run("classify", "--bands", path, "eiu", "8")
    assert result.exit_code == 2
    assert "overlaps band" in result.stderr and f"run `rightsband check {path}`" in result.stderr
    assert run("classify", "--bands", "/no/such/file", "rsf", "1").exit_code == 2


def test_version_and_short_help(run):
    from importlib.metadata import version

    assert run("--version").stdout == f"rightsband, version {version('rightsband')}\n"
    for args in (["-h"], ["classify", "-h"], ["list", "-h"], ["show", "-h"], ["check", "-h"]):
        result = run(*args)
        assert result.exit_code == 0 and "Usage: rightsband" in result.stdout


def test_a_lookup_imports_neither_pandas_nor_rich():
    code = (
        "import sys\n"
        "from rightsband.cli import main\n"
        "sys.argv = ['rightsband', 'classify', 'rsf', '53.46']\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'rich', 'numpy', 'json') if m in sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == RSF_HIGH + "\n"
    assert result.stderr.strip() == "[]"


def test_the_installed_command_and_python_m():
    for cmd in (command(), [sys.executable, "-m", "rightsband"]):
        result = subprocess.run([*cmd, "classify", "fh-status", "pr=6", "cl=5"], capture_output=True, text=True)
        assert (result.returncode, result.stdout, result.stderr) == (0, "Not Free\n", "")


def test_head_ends_quietly():
    rb = " ".join(command())
    script = f"seq 1 100000 | sed 's/$/.5/' | awk '{{print $1 % 100}}' | {rb} classify rsf - | head -n 2; " \
             "echo \"exit=${PIPESTATUS[3]}\""
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "exit=0"
    assert result.stderr == ""


def test_errors_never_show_a_traceback():
    result = subprocess.run([*command(), "classify", "rsf", "1e9999", "--explain"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_undecodable_stdin_is_a_bad_value_on_its_line():
    result = subprocess.run([*command(), "classify", "rsf", "-"], input=b"\xef\xbb\xbf12\n5\xe9\n40\n",
                            capture_output=True)
    assert result.returncode == 1
    assert result.stdout.decode().split("\n") == ["Largely free, diverse and independent", "", RSF_HIGH, ""]
    assert result.stderr.decode().startswith('rightsband: stdin line 2: "5\ufffd" is not a number')


def test_ctrl_c_exits_130_quietly():
    import signal
    import time

    process = subprocess.Popen([*command(), "classify", "rsf", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdin.write(b"12\n")
    process.stdin.flush()
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=10)
    assert process.returncode == 130
    assert b"Traceback" not in err


def test_usage_errors_show_control_characters_from_the_data_as_escapes(capsys, tmp_path):
    from rightsband.cli import run as run_cli

    path = tmp_path / "in.csv"
    path.write_text("a,b\n1,2\n")
    assert run_cli(["label", str(path), "-c", "x\ry=rsf"]) == 2
    err = capsys.readouterr().err
    assert 'no column "x\\x0dy" in the header' in err and "\r" not in err
