"""The README cannot drift: its console examples run and print what it says, its rules-file
example loads, its Python example runs, and every command is documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REAL_DATA, REPO
from rightsband import check_rules
from rightsband.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def _console_examples() -> list[tuple[str, str]]:
    examples = []
    for block in _blocks("console"):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


@pytest.mark.parametrize(("command", "expected"), _console_examples(), ids=[c for c, _ in _console_examples()])
def test_console_example(command, expected):
    if "../shared/" in command and not REAL_DATA.is_dir():
        pytest.skip(f"publisher data not found at {REAL_DATA}")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "80"}
    env.pop("RIGHTSBAND_BANDS", None)
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=REPO, env=env)
    got = [line.rstrip() for line in result.stdout.splitlines()]
    assert got == expected.splitlines(), result.stderr
    assert result.stderr == ""


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
