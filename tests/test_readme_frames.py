"""The README's DataFrame examples (``pycon`` blocks) run and print what they say, from the repo root."""

from __future__ import annotations

import doctest
import os
import re

import pytest

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```pycon\n(.*?)```", README, flags=re.S)


def test_there_are_dataframe_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.threads  # the examples import polars
def test_the_dataframe_examples_run(monkeypatch):
    pytest.importorskip("polars")
    monkeypatch.chdir(REPO)
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    test = parser.get_doctest("\n".join(BLOCKS), {}, "README pycon blocks", "README.md", 0)  # one session
    runner.run(test, out=lambda text: pytest.fail(text))
    assert runner.summarize(verbose=False).failed == 0
    assert os.getcwd() == str(REPO)
