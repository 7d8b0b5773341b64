"""The README cannot drift: its console examples run and print what it says, its set-up commands
are the ones CI runs, and it shows the five examples a newcomer needs. (The reference it used to
hold is in docs/, checked by tests/test_docs.py; its tables by tests/test_readme_tables.py.)"""

from __future__ import annotations

import re

import pytest

from conftest import REAL_DATA, REPO
from docblocks import blocks, console_examples, needs_real_data, run_console

README = (REPO / "README.md").read_text(encoding="utf-8")
EXAMPLES = console_examples(README)


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_console_example(command, expected):
    if needs_real_data(command):
        pytest.skip(f"publisher data not found at {REAL_DATA}")
    got, stderr = run_console(command)
    assert got == expected.splitlines(), stderr
    assert stderr == ""


def test_the_two_setup_commands_are_the_ci_commands():
    sh = blocks(README, "sh")
    assert sh[:2] == ["python -m pip install . && rightsband classify rsf 53.46\n",
                      "python -m pip install -e '.[test]' && python -m pytest\n"]
    assert "python -m pip install -e '.[test]' && python -m pytest" in (REPO / ".ci" / "run").read_text()


def test_the_five_examples():
    commands = [command.split()[:2] for command, _ in EXAMPLES]
    for command in (["rightsband", "classify"], ["rightsband", "label"], ["rightsband", "panel"],
                    ["rightsband", "scorecard"]):
        assert command in commands, command
    assert "rightsband.band(" in "".join(blocks(README, "pycon"))
    assert "(docs/scorecard-kz.png)" in README and (REPO / "docs" / "scorecard-kz.png").is_file()


def test_it_fits_on_two_screens():
    assert len(README.splitlines()) <= 160


def test_every_link_into_the_repository_exists():
    links = re.findall(r"\]\(([^)#]+)\)", README)
    local = [link for link in links if not link.startswith(("https://", "http://"))]
    assert len(local) > 20
    assert [link for link in local if not (REPO / link).exists()] == []
