"""The README's DataFrame example (its ``pycon`` block) runs and prints what it says, from the repo
root; the full DataFrame how-to (docs/howto/dataframes.md) runs in tests/test_docs.py."""

from __future__ import annotations

from conftest import REPO
from docblocks import blocks, run_pycon

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_dataframe_example_runs():
    assert len(blocks(README, "pycon")) == 1
    assert run_pycon(README, "README.md").attempted >= 4
