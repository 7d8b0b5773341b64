"""The README cannot drift: its console examples run and print what it says, its rules-file
example loads, its Python example runs, and every command is documented."""

from __future__ import annotations

import pytest

from conftest import REAL_DATA, REPO
from docblocks import blocks, console_examples, needs_real_data, run_console
from rightsband import check_rules
from rightsband.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return blocks(README, language)


EXAMPLES = console_examples(README)


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_console_example(command, expected):
    if needs_real_data(command):
        pytest.skip(f"publisher data not found at {REAL_DATA}")
    got, stderr = run_console(command)
    assert got == expected.splitlines(), stderr
    assert stderr == ""


def test_rules_example_loads(tmp_path):
    [example] = [b for b in _blocks("toml") if "schema = 1" in b]
    path = tmp_path / "example.toml"
    path.write_text(example, encoding="utf-8")
    assert check_rules(path) == []
    overlapping = example.replace('# closed = "both"', 'closed = "both"')
    path.write_text(overlapping, encoding="utf-8")
    assert any("overlaps" in f.message for f in check_rules(path))


def test_python_examples_run(capsys):
    look_up, label = _blocks("python")[:2]  # the Python API section's look-up and CSV examples
    exec(compile(look_up, "README.md", "exec"), {})
    assert "outside the rsf scale" in capsys.readouterr().out
    names: dict = {}
    exec(compile(label, "README.md", "exec"), names)
    assert names["out"].getvalue() == b"code;score;score_label\nNA;53,46;Highly controlled, limited or intimidated\n"
    report = names["report"]
    assert (report.records, report.problems, report.tallies[0].bands) == (1, 0, [0, 0, 0, 0, 1])


def test_the_two_setup_commands_are_the_ci_commands():
    sh = _blocks("sh")
    assert sh[:2] == ["python -m pip install . && rightsband classify rsf 53.46\n",
                      "python -m pip install -e '.[test]' && python -m pytest\n"]
    assert "python -m pip install -e '.[test]' && python -m pytest" in (REPO / ".ci" / "run").read_text()


def test_every_command_is_documented():
    for name in cli.list_commands(None):  # type: ignore[arg-type]
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        assert f"### `rightsband {name}" in README, name
        assert command.help and "Examples:" in command.help, name
