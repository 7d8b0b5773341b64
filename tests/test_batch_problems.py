"""A file whose cells are half problems: every problem is in ``--problems``, one row per bad record, in
input order, the same rows the problems give one by one; and a block's problems are found once each."""

from __future__ import annotations

import csv
import io

from rightsband import load_rules
from rightsband.batch import Mapping, label_csv
from rightsband.problems import PROBLEM_FIELDS, ProblemLog

RULES = load_rules()


def half_bad(rows: int) -> str:
    """``year,score``: every other year outside rsf-map's editions, now and then a missing score or a bad one."""
    text = "year,score\n"
    for n in range(rows):
        year = 1990 + n % 23 if n % 2 else 2013 + n % 12
        score = "NA" if n % 7 == 0 else "abc" if n % 11 == 0 else f"{n % 100}.{n % 10}"
        text += f"{year},{score}\n"
    return text


def test_every_problem_of_a_half_bad_file_is_in_the_problems_file(run, tmp_path):
    rows = 5000
    problems = tmp_path / "problems.csv"
    result = run("label", "-", "-c", "score=rsf-map", "-q", "--problems", str(problems), input=half_bad(rows))
    assert result.exit_code == 1
    logged = list(csv.DictReader(problems.open(encoding="utf-8")))
    expected = [n + 1 for n in range(rows) if (n % 2 and n % 7) or (n % 11 == 0 and n % 7)]
    assert [int(row["record"]) for row in logged] == expected
    assert [int(row["line"]) for row in logged] == [n + 1 for n in expected]
    for row in logged:
        year = 1990 + (int(row["record"]) - 1) % 23
        if row["kind"] == "year":
            assert row["cell"] == str(year) and f"no edition for {year}" in row["message"]
        else:
            assert row["kind"] == "not-a-number" and row["cell"] == "abc"


def test_the_problems_file_is_what_each_problem_writes():
    data = half_bad(3000).encode()
    mappings = [Mapping.parse("score=rsf-map", RULES), Mapping.parse("score=rsf-2013:other", RULES)]
    one_by_one, batched = io.StringIO(), io.StringIO()
    single, whole = ProblemLog(one_by_one), ProblemLog(batched)
    label_csv(io.BytesIO(data), io.BytesIO(), mappings, on_problem=single.add, chunk_size=1 << 12)
    label_csv(io.BytesIO(data), io.BytesIO(), mappings, on_problems=whole.add_all, chunk_size=1 << 12)
    assert batched.getvalue() == one_by_one.getvalue()
    assert list(whole.kinds.items()) == list(single.kinds.items()) and sum(whole.kinds.values()) > 1500
    assert one_by_one.getvalue().startswith(",".join(PROBLEM_FIELDS))


def test_a_year_problem_is_found_once_per_block(monkeypatch):
    from rightsband.engine import Engine

    calls = []
    original = Engine.issue
    monkeypatch.setattr(Engine, "issue", lambda self, *a: calls.append(a) or original(self, *a))
    report = label_csv(io.BytesIO(half_bad(3000).encode()), io.BytesIO(), [Mapping.parse("score=rsf-map", RULES)])
    assert report.problems > 1000 and len(calls) < 300  # a call per distinct bad cell, not per record
