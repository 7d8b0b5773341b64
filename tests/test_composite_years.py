"""``label`` and ``classify`` agree on a composite set's record, whatever mix of missing, bad and
good inputs it has, on a year an edition covers and on one none does."""

from __future__ import annotations

import itertools
import re

import pytest

#: A pr and a cl cell each: missing, in range, out of range.
CELLS = {"missing": "NA", "ok": "3", "bad": "8"}
COVERED, UNCOVERED = "2000", "1960"


def _message(stderr: str) -> list[str]:
    """The problem messages of a run, without their place (``line 2, column "year": ``, ``arguments 1-2: ``,
    ``Error: ``) and without notices and summaries."""
    kept = []
    for line in stderr.splitlines():
        line = re.sub(r"^rightsband: ", "", line)
        if line.startswith(("years from column", "1 problem(s)")) or line.startswith(("Usage:", "Try ")) or not line:
            continue
        kept.append(re.sub(r'^(line \d+, column "[^"]*"|arguments [\d-]+|Error): ', "", line))
    return kept


@pytest.mark.parametrize(("pr", "cl", "year"), list(itertools.product(CELLS, CELLS, [COVERED, UNCOVERED])))
def test_label_reports_what_classify_reports(run, pr, cl, year):
    csv_text = f"year,pr,cl\n{year},{CELLS[pr]},{CELLS[cl]}\n"
    labelled = run("label", "-", "-c", "pr,cl=fh-fiw-status", input=csv_text)
    classified = run("classify", "fh-fiw-status", "--year", year, f"pr={CELLS[pr]}", f"cl={CELLS[cl]}")
    empty = pr == cl == "missing"
    if year == COVERED:
        assert labelled.exit_code == classified.exit_code == (1 if "bad" in (pr, cl) else 0)
        assert _message(labelled.stderr) == _message(classified.stderr)
        return
    # --year is an option, so classify refuses a year with no edition as a usage error (2) whatever the values;
    # in a file the year is a cell: a record with any input reports the same message as a bad cell (1).
    assert classified.exit_code == 2 and len(_message(classified.stderr)) == 1
    assert labelled.exit_code == (0 if empty else 1)
    assert _message(labelled.stderr) == ([] if empty else _message(classified.stderr))
    assert labelled.stdout.splitlines()[1].endswith(",")  # the label is empty


def test_a_missing_and_a_bad_input_on_an_uncovered_year_is_one_line(run):
    result = run("label", "-", "-c", "pr,cl=fh-fiw-status", input="year,pr,cl\n1960,NA,8\n")
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if "line 2" in line]
    assert problems == ['rightsband: line 2, column "year": fh-fiw-status has no edition for 1960 (its editions: '
                        "fh-status-1972 (1972–2002), fh-status (2003 onward)); no band set here covers 1960 for "
                        "Freedom House"]
