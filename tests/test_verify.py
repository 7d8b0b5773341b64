"""`rightsband verify`: counts, the table of disagreements, formats, pairing of --against, and the one
classification path (every label compared is one `label` gives)."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from conftest import REPO
from rightsband import load_rules, verify
from rightsband.cli import cli
from rightsband.rules import UnknownSetError
from rightsband.verify import checks, verdicts
from test_readers import make_workbook

FH = str(REPO / "examples" / "fh-published.csv")


def invoke(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(cli, ["verify", *args], input=input, catch_exceptions=False, prog_name="rightsband")


def test_counts_and_every_disagreement():
    result = invoke(FH, "-c", "pr,cl=fh-fiw-status:status", "--show", "country", "--show", "year")
    assert result.exit_code == 1
    assert result.stdout == (
        "pr,cl=fh-fiw-status against status: 4 agree, 1 disagree, 2 ambiguous, 0 missing; 7 records\n"
        "line  country  year  value      published  rule\n"
        "   7  Mali     1998  pr=3 cl=3  F          Partly Free\n")
    assert result.stderr == 'rightsband: years from column "year"; --no-year-column to ignore it\n'


def test_ambiguous_records_listed_on_request():
    result = invoke(FH, "-c", "pr,cl=fh-status:status", "--ambiguous", "-q")
    assert result.stdout.splitlines()[2:] == [
        "   5  pr=6 cl=5  PF         Partly Free or Not Free (undetermined)  undetermined by the rule: Partly Free or "
        "Not Free",
        "   6  pr=6 cl=5  NF         Partly Free or Not Free (undetermined)  undetermined by the rule: Partly Free or "
        "Not Free",
        "   7  pr=3 cl=3  F          Partly Free",
    ]


def test_against_option_pairs_with_the_mappings_in_order():
    named = invoke(FH, "-c", "pr,cl=fh-status:status", "-q")
    paired = invoke(FH, "-c", "pr,cl=fh-status", "--against", "status", "-q")
    assert named.stdout == paired.stdout and named.exit_code == paired.exit_code == 1
    data = "country,pr,cl,pr_band,cl_band\nA,1,7,Free,Not free\nB,3,3,Partly free,free\n"
    result = invoke("-c", "pr=fh-pr", "-c", "cl=fh-cl:cl_band", "--against", "pr_band", "-q", input=data)
    assert result.stdout.splitlines() == [
        "pr=fh-pr against pr_band: 2 agree, 0 disagree, 0 ambiguous, 0 missing; 2 records",
        "cl=fh-cl against cl_band: 1 agree, 1 disagree, 0 ambiguous, 0 missing; 2 records",
        "line  value  published  rule",
        "   3  3      free       Partly free",
    ]


@pytest.mark.parametrize(("args", "option", "text"), [
    (["-c", "pr,cl=fh-status"], "--against", "1 --column mapping(s) without :LABELCOL but 0 --against"),
    (["-c", "pr,cl=fh-status:status", "--against", "status"], "--against", "without :LABELCOL but 1 --against"),
    (["-c", "pr,cl=fh-status:Status"], "--against", 'no column "Status" in the header; did you mean "status"?'),
    (["-c", "pr,cl=fh-status:status", "--show", "Country"], "--show", 'no column "Country"'),
    (["-c", "pr,cl=nope:status"], "--column", "nope"),
    (["-c", "pr,cl=fh-status:status", "--year", "2003", "--no-year-column"], None, "give one of --year"),
])
def test_usage_errors(args, option, text):
    result = invoke(FH, *args)
    assert result.exit_code == 2 and text in result.stderr, result.stderr
    if option:
        assert f"Invalid value for {option}" in result.stderr
    assert result.stdout == ""


def test_a_wrong_label_column_stops_at_the_first_block():
    """The published-label column is checked once the header is read, not after the whole table."""
    calls = []
    rules = load_rules()
    checks = verify.parse_checks(["score=rsf:Status"], [], rules)
    data = b"score,status\n" + b"12,x\n" * 10

    with pytest.raises(verify.CheckError, match='no column "Status"'):
        verify.verify_csv(io.BytesIO(data), checks, year_column=None, on_progress=calls.append)
    assert calls == []


def test_labels_match_any_case_and_spacing_and_aliases():
    data = ("country,year,score,situation\nA,2024,90,good\nB,2024,72,  SATISFACTORY \n"
            "C,2024,60,Situation problématique\nD,2024,50,Situation  difficile\nE,2024,10,Good\n")
    result = invoke("-c", "score=rsf-map:situation", "-q", input=data)
    assert result.stdout.splitlines() == [
        "score=rsf-map against situation: 4 agree, 1 disagree, 0 ambiguous, 0 missing; 5 records",
        "line  value  published  rule", "   6  10     Good       Very serious"]


def test_aliases_are_read_where_bands_have_them():
    assert verdicts.names(SimpleNamespace(label="Free")) == ("Free",)
    assert verdicts.names(SimpleNamespace(label="Free", aliases=("F",))) == ("Free", "F")
    assert verify.normalised("  Partly\t FREE ") == "partly free"


def test_an_alias_of_another_edition_is_no_agreement():
    """Aliases are those of the edition the record's year picked."""
    rules = load_rules()
    editions = [rules.get("rsf-2013"), rules.get("rsf-2022")]
    if all(not getattr(b, "aliases", ()) for e in editions for b in e.bands):
        pytest.skip("no band aliases in this build")
    data = "year,score,label\n2015,10,Good\n2023,90,Good\n"
    assert invoke("-c", "score=rsf-map:label", "-q", input=data).exit_code == 0


def test_ambiguous_tie_missing_and_refused():
    try:
        load_rules().get("eiu")
    except UnknownSetError:
        pytest.skip("no eiu set in this build")
    data = ("country,year,score,regime\nParaguay,2023,6.00,Flawed democracy\nNorway,2023,9.81,Full democracy\n"
            "Nowhere,2023,,Hybrid regime\nSomewhere,2023,5.5,\nBad,2023,abc,Hybrid regime\n")
    result = invoke("-c", "score=eiu:regime", "--format", "json", "--counts", input=data)
    assert result.exit_code == 1  # the refused value
    assert json.loads(result.stdout) == [{
        "check": "score=eiu", "against": "regime", "records": 5, "agree": 1, "disagree": 0, "ambiguous": 1,
        "missing": 2, "no_value": 1, "no_label": 1, "refused": 1}]
    only_tie = invoke("-c", "score=eiu:regime", "-q", input=data.rsplit("Bad,", 1)[0])
    assert only_tie.exit_code == 0  # an ambiguous tie is no disagreement


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl"])
def test_machine_formats_list_every_disagreement(fmt):
    result = invoke(FH, "-c", "pr,cl=fh-status:status", "--format", fmt, "--show", "country")
    assert result.exit_code == 1
    if fmt in ("csv", "tsv"):
        rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="," if fmt == "csv" else "\t"))
    else:
        rows = json.loads(result.stdout) if fmt == "json" else [json.loads(line) for line in result.stdout.splitlines()]
    assert [{k: str(v) for k, v in row.items()} for row in rows] == [{
        "check": "pr,cl=fh-status", "against": "status", "line": "7", "record": "6", "country": "Mali",
        "value": "pr=3 cl=3", "published": "F", "rule": "Partly Free", "set": "fh-status-1972", "outcome": "disagree",
        "message": ""}]
    assert result.stderr.splitlines()[-1] == ("rightsband: pr,cl=fh-status against status: 4 agree, 1 disagree, "
                                              "2 ambiguous, 0 missing; 7 records")


def test_lines_count_line_breaks_inside_cells_and_blank_lines():
    data = 'country,score,label\n"A\nB",12,x\n"C\r\n",13,y\nD,70,Very serious\n'
    result = invoke("-c", "score=rsf-2013:label", "--no-year-column", "--format", "csv", input=data)
    assert [(row["line"], row["record"]) for row in csv.DictReader(io.StringIO(result.stdout))] == [("2", "1"),
                                                                                                    ("4", "2")]
    blank = invoke("-c", "score=rsf-2013:label", "--no-year-column", input=data.replace("\n", "\n\n", 1)
                   .replace("D,70,Very serious", "E,10,Good\n\n\nD,70,Good"))
    assert blank.stdout.splitlines()[0].endswith("3 disagree, 0 ambiguous, 0 missing; 4 records")
    assert [line.split()[:2] for line in blank.stdout.splitlines()[2:]] == [["3", "12"], ["5", "13"], ["10", "70"]]
    assert blank.stderr == ""


def test_a_ragged_record_is_refused_for_every_check_with_its_own_cells():
    data = "a,b,la,lb\n1,1,Free,Free\n2,2\n3,3,x,Free,extra\n"
    result = invoke("-c", "a=fh-pr:la", "-c", "b=fh-cl:lb", "--format", "jsonl", "-q", input=data)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["line"], r["outcome"], r["value"], r["published"]) for r in rows] == [
        (3, "refused", "2", ""), (3, "refused", "2", ""), (4, "refused", "3", "x"), (4, "refused", "3", "Free")]
    assert result.exit_code == 1


def test_only_the_outcomes_listed_are_passed_on():
    checks = verify.parse_checks(["pr,cl=fh-status:status"], [], load_rules())
    found: list[verify.Finding] = []
    with open(FH, "rb") as source:
        report = verify.verify_csv(source, checks, on_finding=found.append, listed=["ambiguous"])
    assert [(f.line, f.outcome) for f in found] == [(5, "ambiguous"), (6, "ambiguous")]
    assert (report.records, report.disagreements) == (7, 1)


def test_two_checks_on_one_column_each_get_their_problems():
    data = "score,press,rating\n5,Largely free,Partly free\n53.46,Difficult,Not free\nabc,x,y\n"
    result = invoke("-c", "score=fh-pr:rating", "-c", "score=rsf:press", "--no-year-column", "--format", "jsonl",
                    input=data)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["check"], r["record"], r["outcome"]) for r in rows] == [
        ("score=rsf", 1, "disagree"), ("score=fh-pr", 2, "refused"), ("score=rsf", 2, "disagree"),
        ("score=fh-pr", 3, "refused"), ("score=rsf", 3, "refused")]
    assert "fh-pr" in rows[1]["message"] and rows[2]["message"] == ""


def test_a_sheet_is_placed_by_row(tmp_path):
    rows = [["Freedom in the World"], [], ["country", "PR", "CL", "Status"], ["Norway", 1, 1, "F"], ["Mali", 3, 3, "F"]]
    path = make_workbook(tmp_path / "fh.xlsx", {"FIW": rows})
    result = invoke(str(path), "-c", "PR,CL=fh-status:Status", "--no-year-column", "-q")
    assert result.stdout.splitlines()[1:] == ["row  value      published  rule",
                                              "  5  pr=3 cl=3  F          Partly Free"]


def test_compressed_input_from_stdin():
    import gzip

    result = invoke("-", "-c", "pr,cl=fh-status:status", "-q", input=gzip.compress((REPO / FH).read_bytes()))
    assert result.exit_code == 1 and result.stdout.startswith("pr,cl=fh-status against status: 4 agree, 1 disagree")


def test_one_classification_path(monkeypatch):
    """verify classifies through batch.label_blocks (label_csv's engine), once per run, and agrees with
    what `label` writes."""
    calls = []
    original = checks.label_blocks
    monkeypatch.setattr(checks, "label_blocks", lambda *a, **k: calls.append(len(a[1])) or original(*a, **k))
    labelled = CliRunner().invoke(cli, ["label", str(REPO / "examples" / "scorecard.csv"), "-c", "rsf_score=rsf:rsf",
                                        "-c", "pr,cl=fh-status:status", "-c", "cpi_score=cpi:cpi", "-q"])
    result = invoke("-", "-c", "rsf_score=rsf:rsf", "-c", "pr,cl=fh-status:status", "-c", "cpi_score=cpi:cpi",
                    "--counts", "--format", "json", "-q", input=labelled.stdout)
    assert calls == [3]
    counts = json.loads(result.stdout)
    assert [(c["agree"], c["missing"], c["disagree"]) for c in counts] == [(6, 1, 0), (7, 0, 0), (7, 0, 0)]


def test_help_names_the_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert "verify" in result.stdout


def test_a_label_only_set_checks_the_labels_themselves():
    try:
        load_rules().get("civicus")
    except UnknownSetError:
        pytest.skip("no civicus set in this build")
    data = "country,rating\nA,Open\nB, closed \nC,Nope\nD,\n"
    result = invoke("-c", "rating=civicus", "--no-year-column", input=data)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "rating=civicus against rating: 2 agree, 1 disagree, 0 ambiguous, 1 missing (1 with no value); 4 records",
        "line  value  published  why",
        "   4  Nope   Nope       not one of civicus's labels (Open, Narrowed, Obstructed, Repressed, Closed)"]
    rows = invoke("-c", "rating=civicus", "--no-year-column", "--format", "jsonl", "--counts", input=data).stdout
    assert json.loads(rows)["agree"] == 2


def test_a_year_no_edition_covers_is_refused_and_the_callbacks_hear_each_block():
    checks = verify.parse_checks(["score=rsf-map:label"], [], load_rules())
    data = b"year,score,label\n1990,10,Good\n2015,10,Good\n,10,Good\n2023,,Good\n2023,90,\n"
    found: list[verify.Finding] = []
    problems, progress = [], []
    report = verify.verify_csv(io.BytesIO(data), checks, on_finding=found.append, on_problem=problems.append,
                               on_progress=progress.append)
    assert [(f.record, f.outcome, f.set_id, f.message) for f in found] == [
        (1, "refused", "rsf-map", problems[0].message), (3, "refused", "rsf-map", problems[1].message),
        (4, "missing", "rsf-2022", "no value"), (5, "missing", "rsf-2022", "no published label")]
    assert [p.kind for p in problems] == ["year", "year"] and progress == [len(data)]
    tally = report.tallies[0]
    assert (tally.agree, tally.refused, tally.no_value, tally.no_label, tally.records) == (1, 2, 1, 1, 5)
