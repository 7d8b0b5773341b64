"""The habits a new user brings to the command line: typos, file suffixes, terminals, completion, Ctrl-C."""

from __future__ import annotations

import pytest


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
