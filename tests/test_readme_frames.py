"""The README's DataFrame examples (``pycon`` blocks) run and print what they say, from the repo root."""

from __future__ import annotations

import pytest

from conftest import REPO
from docblocks import blocks, run_pycon

README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = blocks(README, "pycon")


def test_there_are_dataframe_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.threads  # the examples import polars
def test_the_dataframe_examples_run():
    pytest.importorskip("polars")
    assert run_pycon(README, "README.md").attempted >= 10  # one session
